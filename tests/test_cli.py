"""`corpus ingest`, `migrate` and `stats` driven through click, checked through the contract."""
import sqlite3

from conftest import SEEDS, dump, run_cli
from corpus_db import store


def test_ingest_seeds_creates_contract_rows(runner, tmp_path):
    db = tmp_path / "corpus.db"
    result = run_cli(runner, "ingest", SEEDS, "--db", db, "--workers", 1)
    assert result.exit_code == 0, result.output
    assert "5 new" in result.output
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT path, sha256, language, body FROM articles ORDER BY path").fetchall()
    assert [r[0].rsplit("/", 1)[-1] for r in rows] == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert all(len(r[1]) == 64 and r[2] == "en" and r[3] for r in rows)
    # full-text search is wired and in step with the table
    hits = conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'Nadezhdin'").fetchall()
    assert hits
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")


def _without_ids(quotes):
    return sorted((r[1], r[2], r[3], r[5], r[6], r[7]) for r in quotes)


def test_ingest_twice_gives_same_database(runner, tmp_path):
    db = tmp_path / "corpus.db"
    run_cli(runner, "ingest", SEEDS, "--db", db, "--workers", 1)
    first = dump(db)
    again = run_cli(runner, "ingest", SEEDS, "--db", db, "--workers", 1)
    assert again.exit_code == 0
    assert "5 unchanged" in again.output and "Nothing new" in again.output
    assert dump(db) == first
    # --force re-processes unchanged files in place (as after upgrading the
    # cleaner): rows an older version wrote are replaced, ids are kept
    conn = store.open_db(str(db)).conn  # the word-form index's triggers need corpus_stem()
    conn.execute("UPDATE articles SET body = 'left by an older version', title = NULL WHERE id = 2")
    conn.execute("DELETE FROM quotes WHERE article_id = 1")
    conn.commit()
    conn.close()
    forced = run_cli(runner, "ingest", SEEDS, "--db", db, "--force", "--workers", 1)
    assert forced.exit_code == 0
    assert "5 updated" in forced.output
    after = dump(db)
    assert after["articles"] == first["articles"] and after["boilerplate"] == first["boilerplate"]
    # Quotes and mentions are made again from the same text. Their entity ids
    # may differ: a re-processed article is linked against every entity the
    # corpus holds now, not only those of the articles before it.
    assert _without_ids(after["quotes"]) == _without_ids(first["quotes"])
    assert sorted(r[:1] + r[2:] for r in after["mentions"]) == sorted(r[:1] + r[2:] for r in first["mentions"])
    check = sqlite3.connect(db)
    assert check.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'older'").fetchone()[0] == 0
    check.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")


def test_fresh_databases_are_identical(runner, tmp_path):
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    run_cli(runner, "ingest", SEEDS, "--db", one, "--workers", 1)
    run_cli(runner, "ingest", SEEDS, "--db", two, "--workers", 1)
    assert dump(one) == dump(two)


def test_changed_file_replaces_its_article(runner, tmp_path, seeds_copy):
    db = tmp_path / "corpus.db"
    run_cli(runner, "ingest", seeds_copy, "--db", db, "--workers", 1)
    target = sorted(seeds_copy.glob("*.txt"))[3]
    text = target.read_text(encoding="utf-8")
    assert "Around 15 women" in text
    target.write_text(text.replace("Around 15 women", "Around 20 women, a correction says,"), encoding="utf-8")
    result = run_cli(runner, "ingest", seeds_copy, "--db", db, "--workers", 1)
    assert result.exit_code == 0
    assert "1 updated" in result.output and "4 unchanged" in result.output
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT id, body FROM articles WHERE path = ?", (str(target),)).fetchall()
    assert len(rows) == 1 and "Around 20 women, a correction says," in rows[0][1]
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 5
    # nothing derived from the old version is left behind
    for table in ("boilerplate", "quotes", "mentions", "sources"):
        column = "article_id"
        orphans = conn.execute(
            f"SELECT count(*) FROM {table} WHERE {column} NOT IN (SELECT id FROM articles)"
        ).fetchone()[0]
        assert orphans == 0, table
    assert conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'correction'").fetchone()[0] == 1
    # the word-form index forgot the old version (it is contentless: told by a trigger)
    stale = conn.execute(
        "SELECT count(*) FROM articles_stem_fts WHERE articles_stem_fts MATCH 'women' "
        "AND rowid NOT IN (SELECT id FROM articles)"
    ).fetchone()[0]
    assert stale == 0
    assert conn.execute("SELECT count(*) FROM articles_stem_fts").fetchone()[0] == 5


def test_legacy_encodings_and_bad_files(runner, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    russian = (
        "Жёны мобилизованных вышли к Министерству обороны в Москве.\n\n"
        "«Верните наших мужей домой», — сказала одна из участниц акции."
    )
    (folder / "cp1251.txt").write_bytes(russian.encode("cp1251"))
    (folder / "utf16.txt").write_bytes(russian.encode("utf-16"))
    (folder / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (folder / "empty.txt").write_bytes(b"")
    db = tmp_path / "corpus.db"
    result = run_cli(runner, "ingest", folder, "--db", db, "--workers", 1)
    assert result.exit_code == 1  # some files failed
    assert f"{folder / 'picture.txt'}: binary file" in result.output
    assert f"{folder / 'empty.txt'}: empty file" in result.output
    conn = sqlite3.connect(db)
    bodies = dict(conn.execute("SELECT path, body FROM articles"))
    assert "Жёны мобилизованных" in bodies[str(folder / "cp1251.txt")]
    # the UTF-16 file holds the same text, so it is the same article once decoded?
    # No: sha256 is of the raw bytes, so it is its own article with the same body.
    assert "Жёны мобилизованных" in bodies[str(folder / "utf16.txt")]
    langs = {row[0] for row in conn.execute("SELECT language FROM articles")}
    assert langs == {"ru"}


def test_missing_path_is_reported_and_run_goes_on(runner, tmp_path):
    db = tmp_path / "corpus.db"
    result = run_cli(runner, "ingest", tmp_path / "nowhere", SEEDS / "001_ddb7c593e1a6f170.txt", "--db", db, "--workers", 1)
    assert result.exit_code == 1
    assert "nowhere: no such file or directory" in result.output
    assert "1 new" in result.output


def test_migrate_and_stats(runner, tmp_path):
    db = tmp_path / "corpus.db"
    result = run_cli(runner, "migrate", db)
    assert "0001_initial" in result.output
    assert "up to date" in run_cli(runner, "migrate", db).output
    run_cli(runner, "ingest", SEEDS, "--db", db, "--workers", 1)
    out = run_cli(runner, "stats", db).output
    assert "articles" in out and "en" in out


def test_quotes_and_entities_commands(runner, tmp_path):
    db = tmp_path / "corpus.db"
    run_cli(runner, "ingest", SEEDS, "--db", db, "--workers", 1)
    out = run_cli(runner, "quotes", db, "--speaker", "Nadezhdin").output
    assert "Boris Nadezhdin" in out and "It has dawned on them" in out
    assert "Paulina" not in out
    searched = run_cli(runner, "quotes", db, "--search", "placards").output
    assert "We are taking down our placards" in searched
    assert run_cli(runner, "quotes", db, "--speaker", "Nobody Atall").output.strip() == "No quotes match."
    places = run_cli(runner, "entities", db, "--type", "place", "--top", "5").output.splitlines()
    assert places[0].split()[:2] == ["entity", "type"]
    assert len(places) == 6 and all(" PLACE " in line for line in places[1:])
    assert "Moscow" in "\n".join(places)
