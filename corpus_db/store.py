"""The only module that touches SQLite: schema migrations, writes and reads.

Every document is written in one transaction (`write_document`), so a crash
or Ctrl-C never leaves half an article. Entities are linked across the
corpus here, through the linking keys each document's entities carry: the
first key already known names the corpus entity; otherwise a new one is made.
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
import zlib
from importlib import resources

import sqlite_utils

from .pipeline import Document

MIGRATION_SET = "corpus_db"
_MIGRATION_FILE = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class SchemaError(Exception):
    """The database cannot be used by this version of corpus_db."""


# --- connection and migrations ------------------------------------------------


def open_db(path: str) -> sqlite_utils.Database:
    """Open (creating if needed) a corpus database in WAL mode.

    WAL lets Datasette and other readers query the database while an ingest
    writes to it.
    """
    db = sqlite_utils.Database(path)
    db.conn.execute("PRAGMA foreign_keys = ON")
    db.conn.execute("PRAGMA busy_timeout = 10000")
    if path != ":memory:":
        db.conn.execute("PRAGMA journal_mode = WAL")
        # NORMAL is crash-safe in WAL mode (a power cut may lose the last
        # commits, never consistency) and much faster than FULL.
        db.conn.execute("PRAGMA synchronous = NORMAL")
    register_functions(db.conn)
    return db


def register_functions(conn: sqlite3.Connection) -> None:
    """SQL functions users can call: corpus_raw(raw, compression, encoding)."""
    conn.create_function("corpus_raw", 3, raw_text, deterministic=True)


def raw_text(raw: bytes | None, compression: str | None, encoding: str | None) -> str | None:
    """The decoded input text from a `sources` row."""
    if raw is None:
        return None
    data = zlib.decompress(raw) if compression == "zlib" else raw
    return data.decode(encoding or "utf-8", errors="replace")


def migration_files() -> list[tuple[str, str]]:
    """(name, sql) of every migration shipped with the package, in order."""
    folder = resources.files("corpus_db.migrations")
    names = sorted(p.name for p in folder.iterdir() if _MIGRATION_FILE.match(p.name))
    return [(name[:-4], folder.joinpath(name).read_text(encoding="utf-8")) for name in names]


def _migrations() -> sqlite_utils.Migrations:
    migrations = sqlite_utils.Migrations(MIGRATION_SET)
    for name, sql in migration_files():
        migrations(name=name)(_sql_runner(sql))
    return migrations


def _sql_runner(sql: str):
    def run(db: sqlite_utils.Database) -> None:
        for statement in split_statements(sql):
            db.conn.execute(statement)

    return run


def split_statements(sql: str) -> list[str]:
    """Split a script into statements (executescript would commit mid-migration)."""
    statements, current = [], ""
    for line in sql.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                statements.append(current.strip())
            current = ""
    if current.strip() and not current.strip().startswith("--"):
        statements.append(current.strip())
    return [s for s in statements if _has_code(s)]


def _has_code(statement: str) -> bool:
    return any(line.strip() and not line.strip().startswith("--") for line in statement.splitlines())


def pending_migrations(db: sqlite_utils.Database) -> list[str]:
    check_not_newer(db)
    return [m.name for m in _migrations().pending(db)]


def check_not_newer(db: sqlite_utils.Database) -> None:
    """Refuse a database written by a newer corpus_db (unknown migrations)."""
    known = {name for name, _ in migration_files()}
    applied = [m.name for m in _migrations().applied(db)]
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise SchemaError(
            f"this database was written by a newer corpus_db (it has migration {unknown[-1]}, "
            "which this version does not know): upgrade corpus_db to use it"
        )


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply pending migrations in order; return the names applied."""
    pending = pending_migrations(db)
    if pending:
        # Table rebuilds in later migrations must not cascade deletes.
        db.conn.execute("PRAGMA foreign_keys = OFF")
        try:
            _migrations().apply(db)
        finally:
            db.conn.execute("PRAGMA foreign_keys = ON")
    return pending


# --- files and articles -------------------------------------------------------


def file_row(db: sqlite_utils.Database, path: str) -> dict | None:
    row = db.conn.execute(
        "SELECT path, size, mtime, sha256, article_id, status FROM files WHERE path = ?", (path,)
    ).fetchone()
    if row is None:
        return None
    return dict(zip(("path", "size", "mtime", "sha256", "article_id", "status"), row))


def article_id_for_sha(db: sqlite_utils.Database, sha256: str) -> int | None:
    row = db.conn.execute("SELECT id FROM articles WHERE sha256 = ?", (sha256,)).fetchone()
    return row[0] if row else None


def mark_file(db, path, size, mtime, sha256, article_id, status, error=None) -> None:
    """Record what ingest decided about one input file."""
    db.conn.execute(
        "INSERT INTO files (path, size, mtime, sha256, article_id, status, error) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET size = excluded.size, "
        "mtime = excluded.mtime, sha256 = excluded.sha256, article_id = excluded.article_id, "
        "status = excluded.status, error = excluded.error",
        (path, size, mtime, sha256, article_id, status, error),
    )


def mark_failed(db, path: str, reason: str, size=None, mtime=None) -> None:
    """Record a file that could not be ingested; an article it gave before stays."""
    db.conn.execute(
        "INSERT INTO files (path, size, mtime, status, error) VALUES (?, ?, ?, 'failed', ?) "
        "ON CONFLICT(path) DO UPDATE SET status = 'failed', error = excluded.error",
        (path, size, mtime, reason),
    )


def write_document(db: sqlite_utils.Database, doc: Document) -> int:
    """Write one processed document and everything derived from it; return its id.

    If the file at this path held other content before, that article (and its
    boilerplate, quotes and mentions) is replaced. Call inside a transaction.
    """
    previous = file_row(db, doc.path)
    article_id = _insert_article(db, doc)
    _insert_source(db, article_id, doc)
    _insert_boilerplate(db, article_id, doc)
    entity_ids = link_entities(db, doc)
    _insert_mentions(db, article_id, doc, entity_ids)
    _insert_quotes(db, article_id, doc, entity_ids)
    mark_file(db, doc.path, doc.size, doc.mtime, doc.sha256, article_id, "ingested")
    if previous and previous["article_id"] and previous["article_id"] != article_id:
        delete_article_if_unused(db, previous["article_id"])
    return article_id


def _insert_article(db, doc: Document) -> int:
    cursor = db.conn.execute(
        "INSERT INTO articles (path, sha256, title, author, published, source, language, body, "
        "word_count, encoding, warnings, field_sources) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            doc.path, doc.sha256, doc.title, doc.author, doc.published, doc.source, doc.language,
            doc.body, len(doc.body.split()), doc.encoding,
            json.dumps(doc.warnings, ensure_ascii=False) if doc.warnings else None,
            json.dumps(doc.field_sources, ensure_ascii=False, sort_keys=True) if doc.field_sources else None,
        ),
    )
    return cursor.lastrowid


def _insert_source(db, article_id: int, doc: Document) -> None:
    db.conn.execute(
        "INSERT INTO sources (article_id, size, encoding, compression, raw) VALUES (?, ?, ?, 'zlib', ?)",
        (article_id, len(doc.raw), doc.encoding, zlib.compress(doc.raw, 6)),
    )


def _insert_boilerplate(db, article_id: int, doc: Document) -> None:
    pieces = sorted(doc.removed, key=lambda piece: (piece.start, piece.end))
    db.conn.executemany(
        'INSERT INTO boilerplate (article_id, position, start, "end", text, reason) VALUES (?, ?, ?, ?, ?, ?)',
        [(article_id, n, p.start, p.end, p.text, p.reason) for n, p in enumerate(pieces)],
    )


def _insert_mentions(db, article_id: int, doc: Document, entity_ids: list[int]) -> None:
    db.conn.executemany(
        'INSERT INTO mentions (article_id, entity_id, start, "end", text, confidence) VALUES (?, ?, ?, ?, ?, ?)',
        [
            (article_id, entity_ids[m.entity], m.start, m.end, m.text, m.confidence)
            for m in sorted(doc.mentions, key=lambda m: (m.start, m.end))
        ],
    )


def _insert_quotes(db, article_id: int, doc: Document, entity_ids: list[int]) -> None:
    rows = []
    for q in sorted(doc.quotes, key=lambda q: (q.start, q.end)):
        entity_id = entity_ids[q.entity] if q.entity is not None else None
        rows.append(
            (article_id, q.text, q.speaker, entity_id, q.kind, q.cue, q.group, q.start, q.end,
             q.speaker_start, q.speaker_end)
        )
    db.conn.executemany(
        'INSERT INTO quotes (article_id, text, speaker, entity_id, kind, cue, quote_group, start, "end", '
        "speaker_start, speaker_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def delete_article_if_unused(db, article_id: int) -> None:
    """Delete an article no input file points at any more, and what hangs on it."""
    still_used = db.conn.execute("SELECT 1 FROM files WHERE article_id = ? LIMIT 1", (article_id,)).fetchone()
    if still_used:
        return
    entity_ids = [
        row[0]
        for row in db.conn.execute(
            "SELECT entity_id FROM mentions WHERE article_id = ? UNION "
            "SELECT entity_id FROM quotes WHERE article_id = ? AND entity_id IS NOT NULL",
            (article_id, article_id),
        )
    ]
    db.conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
    _delete_orphan_entities(db, entity_ids)


def _delete_orphan_entities(db, entity_ids: list[int]) -> None:
    for entity_id in entity_ids:
        used = db.conn.execute(
            "SELECT 1 FROM mentions WHERE entity_id = ? UNION ALL SELECT 1 FROM quotes WHERE entity_id = ? LIMIT 1",
            (entity_id, entity_id),
        ).fetchone()
        if not used:
            db.conn.execute("DELETE FROM entities WHERE id = ?", (entity_id,))


# --- entity linking -----------------------------------------------------------


def link_entities(db, doc: Document) -> list[int]:
    """Corpus-wide entity ids for `doc.entities`, creating entities as needed."""
    return [_link_one(db, entity) for entity in doc.entities]


def _is_curated(keys: list[str]) -> bool:
    return any(key.startswith("alias:") for key in keys)


def _link_one(db, entity) -> int:
    entity_id = None
    for key in entity.keys:
        row = db.conn.execute("SELECT entity_id FROM entity_keys WHERE key = ?", (key,)).fetchone()
        if row:
            entity_id = row[0]
            break
    curated = _is_curated(entity.keys)
    if entity_id is None:
        entity_id = db.conn.execute(
            "INSERT INTO entities (name, type, latitude, longitude, curated) VALUES (?, ?, ?, ?, ?)",
            (entity.name, entity.type, entity.latitude, entity.longitude, int(curated)),
        ).lastrowid
    else:
        _improve_entity(db, entity_id, entity, curated)
    db.conn.executemany(
        "INSERT OR IGNORE INTO entity_keys (key, entity_id) VALUES (?, ?)",
        [(key, entity_id) for key in entity.keys],
    )
    name = db.conn.execute("SELECT name FROM entities WHERE id = ?", (entity_id,)).fetchone()[0]
    aliases = sorted({entity.name, *entity.aliases} - {name})
    db.conn.executemany(
        "INSERT OR IGNORE INTO entity_aliases (entity_id, alias) VALUES (?, ?)",
        [(entity_id, alias) for alias in aliases if alias.strip()],
    )
    return entity_id


def _improve_entity(db, entity_id: int, entity, curated: bool) -> None:
    """Take a better canonical name or missing coordinates from a new sighting.

    A curated name (from the alias file) always wins and is never replaced;
    otherwise a fuller name ("Vladimir Putin" over "Putin") replaces a shorter
    one, and the old name is kept as an alias.
    """
    name, was_curated, latitude = db.conn.execute(
        "SELECT name, curated, latitude FROM entities WHERE id = ?", (entity_id,)
    ).fetchone()
    better = not was_curated and entity.name != name and (curated or _fuller(entity.name, name))
    if better:
        db.conn.execute(
            "UPDATE entities SET name = ?, curated = ? WHERE id = ?", (entity.name, int(curated), entity_id)
        )
        db.conn.execute("DELETE FROM entity_aliases WHERE entity_id = ? AND alias = ?", (entity_id, entity.name))
        db.conn.execute(
            "INSERT OR IGNORE INTO entity_aliases (entity_id, alias) VALUES (?, ?)", (entity_id, name)
        )
    if latitude is None and entity.latitude is not None:
        db.conn.execute(
            "UPDATE entities SET latitude = ?, longitude = ? WHERE id = ?",
            (entity.latitude, entity.longitude, entity_id),
        )


def _fuller(new: str, old: str) -> bool:
    return (len(new.split()), len(new)) > (len(old.split()), len(old))


# --- reading back ---------------------------------------------------------------


def stats(db: sqlite_utils.Database) -> dict:
    """Counts per table, per language and per source."""
    tables = ["articles", "boilerplate", "quotes", "entities", "entity_aliases", "mentions", "files"]
    counts = {t: db.conn.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in tables}
    languages = db.conn.execute(
        "SELECT language, count(*) FROM articles GROUP BY language ORDER BY count(*) DESC, language"
    ).fetchall()
    sources = db.conn.execute(
        "SELECT coalesce(source, '(unknown)'), count(*) FROM articles GROUP BY source "
        "ORDER BY count(*) DESC, source"
    ).fetchall()
    failed = db.conn.execute("SELECT count(*) FROM files WHERE status = 'failed'").fetchone()[0]
    return {"tables": counts, "languages": languages, "sources": sources, "failed_files": failed}


def database_exists(path: str) -> bool:
    return path == ":memory:" or os.path.exists(path)
