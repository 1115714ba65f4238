"""Saved web pages, JSON Lines, gzip; near-duplicates; export and search."""
import gzip
import json
import sqlite3

import pyarrow.parquet as pq

from conftest import FIXTURES, SEEDS, run_cli

PAGE = FIXTURES / "moscowtimes_protest.html"


def rows(db, sql, *args):
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    return [dict(r) for r in conn.execute(sql, args)]


def test_saved_news_page(runner, tmp_path):
    db = tmp_path / "c.db"
    result = run_cli(runner, "ingest", PAGE, "--db", db, "--workers", 1)
    assert result.exit_code == 0, result.output
    [article] = rows(db, "SELECT * FROM articles")
    assert article["title"] == "Relatives of Mobilized Russian Soldiers Protest Outside Defense Ministry"
    assert article["source"] == "The Moscow Times"
    assert article["published"] == "2024-06-24"
    assert article["url"].startswith("https://www.themoscowtimes.com/2024/06/24/")
    assert article["body"].startswith("A group of women staged a rare protest")
    assert "Privacy Policy" not in article["body"] and "Podcasts" not in article["body"]
    sources = json.loads(article["field_sources"])
    assert sources["format"] == "html" and sources.get("title", "").startswith("input")
    # what the page showed around the article is kept, with a reason
    removed = {r["text"]: r["reason"] for r in rows(db, "SELECT text, reason FROM boilerplate")}
    assert removed["Privacy Policy"] == "html_boilerplate"
    assert "Kremlin Says No Plans for New Mobilization Wave" in removed
    assert article["language"] == "en"


def test_html_saved_as_txt_is_sniffed(runner, tmp_path):
    renamed = tmp_path / "page.txt"
    renamed.write_bytes(PAGE.read_bytes())
    db = tmp_path / "c.db"
    run_cli(runner, "ingest", renamed, "--db", db, "--workers", 1)
    [article] = rows(db, "SELECT source, body FROM articles")
    assert article["source"] == "The Moscow Times" and "<p>" not in article["body"]


def jsonl_lines():
    seed = (SEEDS / "003_9982bdc7bfb361fd.txt").read_text(encoding="utf-8")
    good = {"text": seed, "title": "Wives protest at the ministry", "url": "https://example.org/a",
            "date": "24 June 2024", "outlet": "Example Wire", "author": "Jane Doe"}
    russian = {"content": "Жёны мобилизованных пришли к зданию Министерства обороны в Москве. "
                          "Они требуют вернуть мужей домой и встретиться с министром обороны Андреем Белоусовым.",
               "published": "2024-06-24", "source": "Пример", "language": "ru"}
    return [json.dumps(good, ensure_ascii=False), "{not json", json.dumps({"title": "no text here"}),
            "", json.dumps(russian, ensure_ascii=False)]


def test_json_lines_with_metadata_and_broken_lines(runner, tmp_path):
    path = tmp_path / "scrape.jsonl"
    path.write_text("\n".join(jsonl_lines()) + "\n", encoding="utf-8")
    db = tmp_path / "c.db"
    result = run_cli(runner, "ingest", path, "--db", db, "--workers", 1)
    assert result.exit_code == 1  # two records failed
    assert f"{path}:2: line 2: not valid JSON" in result.output
    assert f"{path}:3: line 3: no text" in result.output
    assert "2 articles written" in result.output
    articles = rows(db, "SELECT * FROM articles ORDER BY item")
    assert [a["item"] for a in articles] == [1, 5]
    first, second = articles
    # known metadata wins over what the text suggests
    assert (first["title"], first["source"], first["author"], first["url"]) == (
        "Wives protest at the ministry", "Example Wire", "Jane Doe", "https://example.org/a")
    assert first["published"] == "2024-06-24"
    assert "Support The Moscow Times!" not in first["body"]  # still cleaned
    assert second["language"] == "ru" and second["source"] == "Пример"
    assert json.loads(first["field_sources"])["source"].startswith("input")
    again = run_cli(runner, "ingest", path, "--db", db, "--workers", 1)
    assert "1 unchanged" in again.output


def test_gzipped_inputs(runner, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt.gz").write_bytes(gzip.compress((SEEDS / "001_ddb7c593e1a6f170.txt").read_bytes()))
    (folder / "b.jsonl.gz").write_bytes(gzip.compress("\n".join(jsonl_lines()).encode("utf-8")))
    (folder / "c.html.gz").write_bytes(gzip.compress(PAGE.read_bytes()))
    db = tmp_path / "c.db"
    run_cli(runner, "ingest", folder, "--db", db, "--workers", 1)
    got = rows(db, "SELECT path, item, title FROM articles ORDER BY path, item")
    assert [(r["path"].rsplit("/", 1)[1], r["item"]) for r in got] == [
        ("a.txt.gz", 0), ("b.jsonl.gz", 1), ("b.jsonl.gz", 5), ("c.html.gz", 0)]
    # the sha256 is of the decompressed bytes: the same text plain or gzipped is one article
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "a.txt").write_bytes((SEEDS / "001_ddb7c593e1a6f170.txt").read_bytes())
    result = run_cli(runner, "ingest", plain, "--db", db, "--workers", 1)
    assert "1 duplicates of stored articles" in result.output


def test_near_duplicates(runner, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in SEEDS.glob("*.txt"):
        (folder / seed.name).write_bytes(seed.read_bytes())
    original = (SEEDS / "000_0add55cb8393ee8c.txt").read_text(encoding="utf-8")
    republished = (
        "Soldiers' wives find an unlikely ally in a presidential hopeful\n\n"
        + original.replace("To suggest a correction or clarification, write to us here", "")
        + "\n\nThis article was first published by our partners. All rights reserved 2024.\n"
    )
    (folder / "zz_republished.txt").write_text(republished, encoding="utf-8")
    db = tmp_path / "c.db"
    run_cli(runner, "ingest", folder, "--db", db, "--workers", 1)
    dup = {r["path"].rsplit("/", 1)[1]: r["duplicate_of"] for r in rows(db, "SELECT path, duplicate_of FROM articles")}
    ids = {r["path"].rsplit("/", 1)[1]: r["id"] for r in rows(db, "SELECT path, id FROM articles")}
    assert dup["zz_republished.txt"] == ids["000_0add55cb8393ee8c.txt"]
    # 001 and 003 share The Moscow Times' donation appeal, which is boilerplate: not duplicates
    assert all(dup[name] is None for name in dup if name != "zz_republished.txt")


def test_export_round_trip(runner, tmp_path):
    db = tmp_path / "c.db"
    run_cli(runner, "ingest", SEEDS, PAGE, "--db", db, "--workers", 1)
    out = tmp_path / "articles.jsonl"
    result = run_cli(runner, "export", db, "--format", "jsonl", "-o", out)
    assert "6 rows of articles" in result.output
    again = tmp_path / "again.db"
    run_cli(runner, "ingest", out, "--db", again, "--workers", 1)
    fields = "title, author, published, source, language, url, body"
    assert rows(again, f"SELECT {fields} FROM articles ORDER BY item") == rows(db, f"SELECT {fields} FROM articles ORDER BY id")


def test_export_csv_and_parquet_with_where(runner, tmp_path):
    db = tmp_path / "c.db"
    run_cli(runner, "ingest", SEEDS, "--db", db, "--workers", 1)
    csv_out = tmp_path / "a.csv"
    run_cli(runner, "export", db, "--format", "csv", "--where", "source = 'The Moscow Times'", "-o", csv_out)
    assert csv_out.read_text(encoding="utf-8").count("The Moscow Times") >= 2
    parquet_out = tmp_path / "m.parquet"
    run_cli(runner, "export", db, "--format", "parquet", "--table", "mentions", "-o", parquet_out)
    table = pq.read_table(parquet_out)
    assert table.num_rows == rows(db, "SELECT count(*) AS n FROM mentions")[0]["n"]
    assert str(table.schema.field("start").type) == "int64"
    refused = runner.invoke(__import__("corpus_db.cli").cli.cli,
                            ["export", str(db), "--where", "1); DROP TABLE articles; --"])
    assert refused.exit_code != 0
    assert rows(db, "SELECT count(*) AS n FROM articles")[0]["n"] == 5


def test_search_command(runner, tmp_path):
    db = tmp_path / "c.db"
    run_cli(runner, "ingest", SEEDS, "--db", db, "--workers", 1)
    text = run_cli(runner, "search", db, "Nadezhdin", "--limit", "3").output
    assert text.startswith("1. ") and "Nadezhdin" in text
    data = json.loads(run_cli(runner, "search", db, 'Put Domoy "foreign', "--json").output)
    assert data and "[" in data[0]["snippet"]
    assert run_cli(runner, "search", db, "zzzyyyxxx").output.strip() == "No articles match."
