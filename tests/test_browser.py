"""A person's path through the workbench, in a real (headless) Chromium.

Ingests seeds/ with `corpus ingest`, serves it with `datasette serve` on a
free localhost port, and walks: home -> search "Nadezhdin" -> his quotes ->
the article in which he backs the soldiers' wives, quotes highlighted -> its
entities -> every article mentioning one -> the timeline and the map.
Screenshots land in test-artifacts/.

Needs Debian's chromium and chromium-driver and Selenium (.ci/install-browser
installs them); skips cleanly without them. Never downloads a browser.
"""
from __future__ import annotations

import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
selenium = pytest.importorskip("selenium", reason="selenium is not installed (.ci/install-browser)")
if not (CHROMIUM and CHROMEDRIVER):
    pytest.skip("chromium and chromium-driver are not installed (.ci/install-browser)", allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1280,1400",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_corpus(path: Path) -> None:
    """`corpus ingest seeds/`, then make sure the word-form index is filled."""
    subprocess.run(
        [sys.executable, "-c", "from corpus_db.cli import cli; cli()", "ingest", str(ROOT / "seeds"), "--db", str(path)],
        check=True, cwd=ROOT, capture_output=True, timeout=600,
    )
    # Idempotent: fills only rows the store has not indexed yet.
    from corpus_db import stemming

    conn = sqlite3.connect(path)
    stemming.register_functions(conn)
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles_stem_fts'").fetchone():
        for statement in stemming.SYNC_SQL:
            conn.execute(statement)
        conn.commit()
    conn.close()


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(url)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("browser") / "corpus.db"
    build_corpus(db)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", str(db), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/")
        yield f"http://127.0.0.1:{port}", db
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def shot(driver, name: str) -> None:
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def seed_000_article_id(db: Path) -> int:
    conn = sqlite3.connect(db)
    row = conn.execute("SELECT id FROM articles WHERE path LIKE '%000_%' ORDER BY id LIMIT 1").fetchone()
    conn.close()
    return row[0]


def test_search_nadezhdin_lands_on_his_quotes(server, browser):
    base, _ = server
    browser.get(base + "/")
    box = browser.find_element(By.CSS_SELECTOR, ".corpus-search input[type=search]")
    box.send_keys("Nadezhdin")
    box.submit()
    quotes = browser.find_elements(By.CSS_SELECTOR, "#quote-results li")
    assert quotes, "no quotes found for Nadezhdin"
    assert all("Nadezhdin" in q.text for q in quotes)
    assert browser.find_elements(By.CSS_SELECTOR, "#quote-results mark")
    shot(browser, "01-search-nadezhdin")
    # The speaker link leads to the stored query of all his quotes.
    browser.find_element(By.CSS_SELECTOR, "#speaker-links a").click()
    rows = browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns tbody tr")
    assert rows and all("Nadezhdin" in r.text for r in rows)
    shot(browser, "02-quotes-by-nadezhdin")


def test_read_the_article_with_quotes_highlighted(server, browser):
    base, db = server
    article_id = seed_000_article_id(db)
    browser.get(base + "/-/corpus-search/corpus?q=Nadezhdin")
    links = [a for a in browser.find_elements(By.CSS_SELECTOR, "#quote-results a")
             if a.get_attribute("href").endswith(f"/-/article/corpus/{article_id}")]
    assert links, "the search results do not link to the soldiers' wives article"
    links[0].click()
    body = browser.find_element(By.ID, "article-body")
    # "wives" is in the lead, which the cleaner may take as the headline
    assert "wives" in (browser.find_element(By.TAG_NAME, "h1").text + body.text)
    marks = body.find_elements(By.CSS_SELECTOR, "mark.quote")
    assert any("Nadezhdin" in (m.get_attribute("title") or "") for m in marks)
    assert body.find_elements(By.CSS_SELECTOR, "sup.speaker a")  # speaker linked to the entity
    browser.find_element(By.CSS_SELECTOR, "#article-boilerplate summary")
    shot(browser, "03-article-quotes-highlighted")


def test_entities_of_the_article_lead_to_all_their_articles(server, browser):
    base, db = server
    article_id = seed_000_article_id(db)
    browser.get(f"{base}/-/article/corpus/{article_id}")
    entities = browser.find_elements(By.CSS_SELECTOR, "ul.corpus-entities a")
    assert len(entities) >= 3
    moscow = [a for a in entities if a.text == "Moscow"] or entities
    moscow[0].click()
    articles = browser.find_elements(By.CSS_SELECTOR, "#entity-articles a")
    assert len(articles) >= 2, "Moscow should be named in more than one seed article"
    shot(browser, "04-entity-articles")
    articles[-1].click()
    assert browser.find_element(By.ID, "article-body").text


def test_timeline_and_map(server, browser):
    base, _ = server
    browser.get(base + "/-/corpus/corpus")
    assert browser.find_elements(By.CSS_SELECTOR, "svg#timeline-articles rect")
    assert browser.find_elements(By.CSS_SELECTOR, "svg#places-map circle")
    shot(browser, "05-timeline-and-map")


def test_article_table_links_to_reader(server, browser):
    base, _ = server
    browser.get(base + "/corpus/articles")
    links = browser.find_elements(By.CSS_SELECTOR, "a[href*='/-/article/corpus/']")
    assert links
    shot(browser, "06-articles-table")
