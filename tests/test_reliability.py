"""Crashes, concurrent ingests and schema versions never corrupt a corpus."""
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

import sqlite_utils

from conftest import SEEDS, dump, run_cli
from corpus_db import ingest, store

CORPUS = [sys.executable, "-m", "corpus_db"]


def make_inputs(folder, copies=8):
    """Real seed articles, each copied with a distinct closing paragraph."""
    folder.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        for n in range(copies):
            variant = text.replace("\n\n", f"\n\nCopy {n} of this report, filed from desk {n}.\n\n", 1)
            (folder / f"{seed.stem}_{n:02d}.txt").write_text(variant, encoding="utf-8")
    return folder


def check_integrity(db_path):
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    for fts in ("articles_fts", "quotes_fts", "articles_stem_fts", "quotes_stem_fts"):
        conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('integrity-check')")
    assert_mention_counts_in_step(conn)
    conn.close()


def assert_mention_counts_in_step(conn):
    """mention_counts (kept by triggers) is exactly the mentions counted per article and entity."""
    expected = conn.execute(
        "SELECT article_id, entity_id, count(*) FROM mentions GROUP BY article_id, entity_id ORDER BY 1, 2"
    ).fetchall()
    assert conn.execute("SELECT article_id, entity_id, mentions FROM mention_counts ORDER BY 1, 2").fetchall() == expected


def test_mention_counts_follow_every_change_of_mentions(runner, tmp_path):
    inputs = make_inputs(tmp_path / "in", copies=2)
    db = tmp_path / "corpus.db"
    run_cli(runner, "ingest", inputs, "--db", db, "--workers", 1)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM mention_counts WHERE mentions > 1").fetchone()[0] > 10
    assert_mention_counts_in_step(conn)
    run_cli(runner, "ingest", inputs, "--db", db, "--workers", 1, "--force")  # every article's mentions rewritten
    assert_mention_counts_in_step(conn)
    changed = sorted(inputs.glob("*.txt"))[0]
    before = conn.execute("SELECT article_id FROM file_articles WHERE path = ?", (str(changed),)).fetchone()[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nA new last paragraph.\n", encoding="utf-8")
    run_cli(runner, "ingest", inputs, "--db", db, "--workers", 1)  # the old article is deleted
    assert conn.execute("SELECT count(*) FROM mention_counts WHERE article_id = ?", (before,)).fetchone()[0] == 0
    assert_mention_counts_in_step(conn)


def test_upgrade_counts_the_mentions_already_stored(runner, tmp_path):
    names = [name for name, _ in store.migration_files()]
    db_path = tmp_path / "old.db"
    db = store.open_db(str(db_path))
    store._migrations().apply(db, stop_before="0006_mention_counts")
    db.conn.execute("INSERT INTO articles (id, path, sha256, title, language, body) "
                    "VALUES (1, 'a.txt', 'abc', 'T', 'en', 'Putin met Putin.')")
    db.conn.execute("INSERT INTO entities (id, name, type) VALUES (7, 'Vladimir Putin', 'PERSON')")
    db.conn.executemany("INSERT INTO mentions (article_id, start, \"end\", entity_id, text) VALUES (1, ?, ?, 7, 'Putin')",
                        [(0, 5), (10, 15)])
    db.conn.commit()
    db.close()
    assert "0006_mention_counts" in run_cli(runner, "migrate", db_path).output
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT article_id, entity_id, mentions FROM mention_counts").fetchall() == [(1, 7, 2)]
    assert conn.execute("SELECT name, mentions FROM article_entities").fetchall() == [("Vladimir Putin", 2)]
    assert names[-1] == "0006_mention_counts"


def test_kill_minus_nine_then_rerun_gives_a_clean_runs_rows(tmp_path):
    inputs = make_inputs(tmp_path / "in")
    clean_db = tmp_path / "clean.db"
    subprocess.run(CORPUS + ["ingest", str(inputs), "--db", str(clean_db), "--workers", "1"], check=True,
                   capture_output=True)
    expected = dump(clean_db)
    rng = random.Random(7)
    for attempt in range(3):
        db = tmp_path / f"crash{attempt}.db"
        process = subprocess.Popen(CORPUS + ["ingest", str(inputs), "--db", str(db), "--workers", "1"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(1.0, 6.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        if db.exists():
            check_integrity(db)
        subprocess.run(CORPUS + ["ingest", str(inputs), "--db", str(db), "--workers", "1"], check=True,
                       capture_output=True)
        check_integrity(db)
        assert dump(db) == expected


def test_ctrl_c_stops_cleanly_and_says_what_was_done(tmp_path):
    inputs = make_inputs(tmp_path / "in", copies=6)
    db = tmp_path / "c.db"
    process = subprocess.Popen(CORPUS + ["ingest", str(inputs), "--db", str(db), "--workers", "1"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 60
    while time.time() < deadline:  # wait until some articles are committed
        time.sleep(0.5)
        try:
            with sqlite3.connect(db) as conn:
                if conn.execute("SELECT count(*) FROM articles").fetchone()[0] >= 1:
                    break
        except sqlite3.Error:
            pass
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=60)
    check_integrity(db)
    if "Interrupted" in output:  # it may have finished just before the signal
        assert process.returncode == 1
        assert "run the same command again" in output
    done = subprocess.run(CORPUS + ["ingest", str(inputs), "--db", str(db), "--workers", "1"],
                          capture_output=True, text=True)
    assert done.returncode == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 30


def test_second_ingest_is_refused_while_one_runs(runner, tmp_path):
    db = tmp_path / "c.db"
    with ingest._exclusive(str(db)):
        result = run_cli(runner, "ingest", SEEDS, "--db", db)
    assert result.exit_code == 1
    assert "another corpus ingest" in result.output and "is writing to" in result.output
    assert run_cli(runner, "ingest", SEEDS, "--db", db, "--workers", 1).exit_code == 0


def test_readers_see_committed_rows_while_a_write_is_open(runner, tmp_path):
    db = tmp_path / "c.db"
    run_cli(runner, "ingest", SEEDS, "--db", db, "--workers", 1)
    writer = store.open_db(str(db))
    writer.conn.execute("BEGIN IMMEDIATE")
    writer.conn.execute("DELETE FROM quotes")
    reader = sqlite3.connect(db, timeout=1)
    assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 5  # not blocked (WAL)
    writer.conn.execute("ROLLBACK")


def test_older_schema_is_upgraded_without_losing_rows(runner, tmp_path):
    names = [name for name, _ in store.migration_files()]
    assert len(names) >= 2, "needs at least two migrations to test an upgrade"
    db_path = tmp_path / "old.db"
    db = sqlite_utils.Database(db_path)
    store._migrations().apply(db, stop_before=names[1])
    db.conn.execute(
        "INSERT INTO articles (path, sha256, title, language, body) VALUES ('old.txt', 'abc', 'Old', 'en', 'Kept body.')"
    )
    db.conn.commit()
    db.close()
    result = run_cli(runner, "migrate", db_path)
    assert all(name in result.output for name in names[1:])
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT title, body FROM articles").fetchall() == [("Old", "Kept body.")]
    applied = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert applied == names


def test_newer_schema_is_refused(runner, tmp_path):
    db_path = tmp_path / "new.db"
    run_cli(runner, "migrate", db_path)
    conn = sqlite3.connect(db_path)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('corpus_db', '9999_future', 'now')")
    conn.commit()
    result = run_cli(runner, "ingest", SEEDS, "--db", db_path)
    assert result.exit_code == 1
    assert "newer corpus_db" in result.output


def test_large_first_load_builds_full_text_index_in_bulk(tmp_path, monkeypatch, runner):
    monkeypatch.setattr(ingest, "BULK_FTS_FILES", 10)
    inputs = make_inputs(tmp_path / "in", copies=3)
    db = tmp_path / "bulk.db"
    assert run_cli(runner, "ingest", inputs, "--db", db, "--workers", 1).exit_code == 0
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM fts_paused").fetchone()[0] == 0
    hits = conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'Nadezhdin'").fetchone()[0]
    assert hits == 3
    check_integrity(db)


def test_interrupted_bulk_load_is_finished_by_the_next_run(tmp_path, monkeypatch, runner):
    inputs = make_inputs(tmp_path / "in", copies=2)
    db = tmp_path / "bulk.db"
    run_cli(runner, "migrate", db)
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO fts_paused (reason) VALUES ('first load')")  # as a killed run leaves it
    conn.commit()
    assert run_cli(runner, "ingest", inputs, "--db", db, "--workers", 1).exit_code == 0
    assert conn.execute("SELECT count(*) FROM fts_paused").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'Nadezhdin'").fetchone()[0] == 2


def test_worker_processes_give_the_same_database(tmp_path, runner, monkeypatch):
    # Every task on a freshly forked worker: replacing workers changes nothing.
    monkeypatch.setattr(ingest, "TASKS_PER_WORKER", 1)
    inputs = make_inputs(tmp_path / "in", copies=4)
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    assert run_cli(runner, "ingest", inputs, "--db", one, "--workers", 1).exit_code == 0
    assert run_cli(runner, "ingest", inputs, "--db", two, "--workers", 2).exit_code == 0
    assert dump(two) == dump(one)


def _children(pid):
    """Process ids whose parent is `pid` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked workers and /proc are Linux's")
def test_kill_minus_nine_with_workers_running_then_immediate_rerun(tmp_path):
    # The forked workers outlive a killed parent for a moment; they must not
    # hold the ingest lock, or the user's re-run would be refused.
    inputs = make_inputs(tmp_path / "in", copies=8)
    clean_db, db = tmp_path / "clean.db", tmp_path / "crash.db"
    subprocess.run(CORPUS + ["ingest", str(inputs), "--db", str(clean_db), "--workers", "1"], check=True,
                   capture_output=True)
    process = subprocess.Popen(CORPUS + ["ingest", str(inputs), "--db", str(db), "--workers", "2"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(_children(process.pid)) < 2 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.1)
    time.sleep(1.0)
    process.send_signal(signal.SIGKILL)
    process.wait()
    rerun = subprocess.run(CORPUS + ["ingest", str(inputs), "--db", str(db), "--workers", "2"],
                           capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    check_integrity(db)
    assert dump(db) == dump(clean_db)
    # the killed run's folder of line statistics is cleaned up by the re-run
    assert not list(Path(tempfile.gettempdir()).glob(f"{ingest.TEMP_PREFIX}{process.pid}-*"))


def test_upgrade_turns_linking_keys_into_hashes_that_still_link(runner, tmp_path):
    # Before 0004 entity_keys held the keys' text; after it, their hashes.
    # A name seen before the upgrade must still link to its entity after it.
    db_path = tmp_path / "old.db"
    db = store.open_db(str(db_path))
    store._migrations().apply(db, stop_before="0004_entity_key_ids")
    entity = db.conn.execute("INSERT INTO entities (name, type) VALUES ('Boris Nadezhdin', 'PERSON')").lastrowid
    db.conn.execute("INSERT INTO entity_keys (key, entity_id) VALUES ('PERSON:name:boris nadezhdin', ?)", (entity,))
    db.conn.commit()
    db.close()
    assert run_cli(runner, "migrate", db_path).exit_code == 0
    db = store.open_db(str(db_path))
    assert store.SqliteRegistry(db.conn).entity_for_key("PERSON:name:boris nadezhdin") == entity
    assert db.conn.execute("SELECT typeof(key) FROM entity_keys").fetchall() == [("integer",)]
