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
from importlib import resources

import sqlite_utils

from . import dedup, records, registry as registry_module, stemming
from .pipeline import Document

MIGRATION_SET = "corpus_db"
_MIGRATION_FILE = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class SchemaError(Exception):
    """The database cannot be used by this version of corpus_db."""


# --- connection and migrations ------------------------------------------------


PAGE_SIZE = 2048


def open_db(path: str) -> sqlite_utils.Database:
    """Open (creating if needed) a corpus database in WAL mode.

    WAL lets Datasette and other readers query the database while an ingest
    writes to it.
    """
    db = sqlite_utils.Database(path)
    # A new database gets 2 KB pages (SQLite's default is 4 KB): most article
    # rows overflow a page, and the half-empty last page of each costs less.
    # Measured on 1,000 articles: 4% smaller. Only takes effect before the
    # first table exists; an existing database keeps its page size.
    db.conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
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
    """SQL functions users can call: corpus_raw(raw, compression, encoding, body)
    (the `source_texts` view calls it), and the word-form search functions of
    `stemming` (corpus_stem, corpus_stem_query, ...)."""
    conn.create_function("corpus_raw", 3, raw_text, deterministic=True)
    conn.create_function("corpus_raw", 4, raw_text, deterministic=True)
    conn.create_function("corpus_key_id", 1, registry_module.key_id, deterministic=True)
    stemming.register_functions(conn)


def raw_text(raw: bytes | None, compression: str | None, encoding: str | None,
             body: str | None = None) -> str | None:
    """The decoded input text from a `sources` row (and its article's body)."""
    if raw is None:
        return None
    data = records.decompress_raw(raw, compression, body, encoding)
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
            with db.atomic():  # a migration that adds word-form indexes: fill them
                for statement in stemming.SYNC_SQL:
                    db.conn.execute(statement)
        finally:
            db.conn.execute("PRAGMA foreign_keys = ON")
    return pending


# --- files and articles -------------------------------------------------------


def file_row(db: sqlite_utils.Database, path: str) -> dict | None:
    row = db.conn.execute(
        "SELECT path, size, mtime, sha256, status, (SELECT count(*) FROM file_articles fa WHERE fa.path = f.path) "
        "FROM files f WHERE path = ?",
        (path,),
    ).fetchone()
    if row is None:
        return None
    return dict(zip(("path", "size", "mtime", "sha256", "status", "articles"), row))


def article_id_for_sha(db: sqlite_utils.Database, sha256: str) -> int | None:
    row = db.conn.execute("SELECT id FROM articles WHERE sha256 = ?", (sha256,)).fetchone()
    return row[0] if row else None


def mark_file(db, path, size, mtime, sha256, status="ingested", error=None) -> None:
    """Record what ingest decided about one input file."""
    db.conn.execute(
        "INSERT INTO files (path, size, mtime, sha256, status, error) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime = excluded.mtime, "
        "sha256 = excluded.sha256, status = excluded.status, error = excluded.error",
        (path, size, mtime, sha256, status, error),
    )


def mark_failed(db, path: str, reason: str, size=None, mtime=None) -> None:
    """Record a file that could not be ingested; the articles it gave before stay."""
    db.conn.execute(
        "INSERT INTO files (path, size, mtime, status, error) VALUES (?, ?, ?, 'failed', ?) "
        "ON CONFLICT(path) DO UPDATE SET status = 'failed', error = excluded.error",
        (path, size, mtime, reason),
    )


def unlink_file(db, path: str) -> None:
    """Forget which articles a file held (before its new content is linked).

    The articles themselves stay until `collect_garbage`, because another
    file processed later in the same run may hold the same content.
    """
    db.conn.execute("DELETE FROM file_articles WHERE path = ?", (path,))


def link(db, path: str, item: int, article_id: int) -> None:
    db.conn.execute(
        "INSERT OR REPLACE INTO file_articles (path, item, article_id) VALUES (?, ?, ?)", (path, item, article_id)
    )


def collect_garbage(db, replaced: bool = False) -> int:
    """Delete articles no file holds any more, and entities nothing mentions.

    Returns the number of articles deleted. Idempotent, so an interrupted run
    that left unlinked articles behind is tidied by the next one.
    """
    orphans = [row[0] for row in db.conn.execute(
        "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM file_articles)"
    )]
    for article_id in orphans:
        db.conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
    # an article that stays but whose first file changed: name a file that still holds it
    db.conn.execute(
        "UPDATE articles SET path = (SELECT min(path) FROM file_articles fa WHERE fa.article_id = articles.id) "
        "WHERE path NOT IN (SELECT path FROM file_articles fa WHERE fa.article_id = articles.id)"
    )
    if orphans or replaced:  # `replaced`: articles were re-processed in place (--force)
        db.conn.execute(
            "DELETE FROM entities WHERE id NOT IN (SELECT entity_id FROM mentions) "
            "AND id NOT IN (SELECT entity_id FROM quotes WHERE entity_id IS NOT NULL)"
        )
    return len(orphans)


def write_document(db: sqlite_utils.Database, doc: Document, replace: int | None = None,
                   registry: "SqliteRegistry | None" = None) -> int:
    """Write one processed document and everything derived from it; return its id.

    `replace`: the id of a stored article this document is a new processing
    of (`corpus ingest --force`); it keeps its id, its files and the
    near-duplicates that point at it, and everything derived is rewritten.
    Call inside a transaction; the caller links it to its file with `link`.
    `registry`: one `SqliteRegistry` kept across the writes of a run (it
    remembers keys), forgotten after a rollback.
    """
    rows = records.document_rows(doc)
    if replace is not None:
        clear_derived(db, replace)
    article = dict(rows["articles"][0], duplicate_of=near_duplicate_of(db, doc.signature))
    if replace is None:
        article_id = insert(db, "articles", [article])
    else:
        article_id = replace
        assignments = ", ".join(f"[{column}] = :{column}" for column in article)
        db.conn.execute(f"UPDATE articles SET {assignments} WHERE id = :id", dict(article, id=article_id))
    minhashes, bands = records.signature_rows(article_id, doc.signature)
    insert(db, "minhashes", minhashes)
    insert(db, "minhash_bands", bands)
    for table in ("sources", "boilerplate"):
        insert(db, table, [dict(row, article_id=article_id) for row in rows[table]])
    entity_ids = link_entities(db, doc, registry)
    insert(db, "mentions", [dict(row, article_id=article_id)
                            for row in records.resolve_entities(rows["mentions"], entity_ids)])
    for row, stems in zip(records.resolve_entities(rows["quotes"], entity_ids), rows["quotes_stem"]):
        quote_id = insert(db, "quotes", [dict(row, article_id=article_id)])
        insert(db, "quotes_stem_fts", [dict(stems, rowid=quote_id)])
    if replace is None:  # an update of the article re-indexed it already (trigger)
        insert(db, "articles_stem_fts", [dict(rows["articles_stem"][0], rowid=article_id)])
    return article_id


def clear_derived(db, article_id: int) -> None:
    """Delete what was derived from an article (not the article, nor its file links)."""
    # minhash_bands is keyed by band: find the article's bands from its signature
    row = db.conn.execute("SELECT signature FROM minhashes WHERE article_id = ?", (article_id,)).fetchone()
    if row is not None:
        for band_key in dedup.bands(dedup.unpack(row[0])):
            db.conn.execute("DELETE FROM minhash_bands WHERE band_key = ? AND article_id = ?", (band_key, article_id))
    for table in ("quotes", "mentions", "boilerplate", "sources", "minhashes"):
        db.conn.execute(f"DELETE FROM [{table}] WHERE article_id = ?", (article_id,))


def articles_of_file(db, path: str) -> dict[int, int]:
    """item -> article id of what a file held at the last ingest."""
    return dict(db.conn.execute("SELECT item, article_id FROM file_articles WHERE path = ?", (path,)))


def insert(db, table: str, rows: list[dict], conflict: str = "") -> int | None:
    """Insert rows (all with the same keys) into a table; the last rowid.

    `conflict` is "", "OR IGNORE" or "OR REPLACE".
    """
    if not rows:
        return None
    columns = list(rows[0])
    sql = (f"INSERT {conflict} INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
           f"VALUES ({', '.join('?' * len(columns))})")
    if len(rows) == 1:
        return db.conn.execute(sql, [rows[0][c] for c in columns]).lastrowid
    db.conn.executemany(sql, [[row[c] for c in columns] for row in rows])
    return None


def near_duplicate_of(db, signature) -> int | None:
    """The earliest stored article whose body is nearly the same (dedup.find_original)."""

    def candidates(keys):
        marks = ",".join("?" * len(keys))
        rows = db.conn.execute(
            f"SELECT DISTINCT m.article_id, m.signature FROM minhash_bands b JOIN minhashes m "
            f"ON m.article_id = b.article_id WHERE b.band_key IN ({marks}) ORDER BY m.article_id",
            keys,
        )
        return [(article_id, dedup.unpack(blob)) for article_id, blob in rows]

    def original_of(article_id):
        return db.conn.execute("SELECT coalesce(duplicate_of, id) FROM articles WHERE id = ?",
                               (article_id,)).fetchone()[0]

    return dedup.find_original(signature, candidates, original_of)


# --- corpus line statistics ------------------------------------------------------


# Line keys are "L" or "S" (long or short line) and 16 hex digits of hash
# (clean.line_key); stored as a signed 64-bit integer and a flag, half the size.
# The number of documents counted (LineStats.DOCS) is the row (0, -1).


def _key_to_row(key: str) -> tuple[int, int]:
    value = int(key[1:], 16)
    return (value - (1 << 64) if value >= 1 << 63 else value), int(key[0] == "L")


def _row_to_key(value: int, long: int) -> str:
    return ("L" if long else "S") + format(value % (1 << 64), "016x")


def load_line_counts(db, keys) -> dict[str, int]:
    """Stored document counts of the given line keys (absent keys are 0)."""
    from .clean import LineStats

    counts = {}
    wanted = [key for key in keys if key != LineStats.DOCS]
    if len(wanted) != len(keys):
        row = db.conn.execute("SELECT documents FROM line_counts WHERE key = 0 AND long = -1").fetchone()
        if row:
            counts[LineStats.DOCS] = row[0]
    for start in range(0, len(wanted), 500):
        chunk = [_key_to_row(key)[0] for key in wanted[start:start + 500]]
        marks = ",".join("?" * len(chunk))
        for value, long, documents in db.conn.execute(
            f"SELECT key, long, documents FROM line_counts WHERE key IN ({marks}) AND long >= 0", chunk
        ):
            counts[_row_to_key(value, long)] = documents
    return counts


def load_all_line_counts(db) -> dict[str, int]:
    """Every stored line count (for a distributed run's reduce step)."""
    from .clean import LineStats

    counts = {}
    for value, long, documents in db.conn.execute("SELECT key, long, documents FROM line_counts"):
        counts[LineStats.DOCS if long < 0 else _row_to_key(value, long)] = documents
    return counts


def add_line_counts(db, increments: dict[str, int]) -> None:
    """Add one document's contribution to the line counts (inside its transaction)."""
    from .clean import LineStats

    rows = [((0, -1) if key == LineStats.DOCS else _key_to_row(key)) + (n,) for key, n in increments.items()]
    db.conn.executemany(
        "INSERT INTO line_counts (key, long, documents) VALUES (?, ?, ?) "
        "ON CONFLICT(key) DO UPDATE SET documents = documents + excluded.documents",
        sorted(rows),
    )


# --- full-text indexes in bulk ------------------------------------------------------


def pause_fts(db, large_run: bool) -> bool:
    """Pause the FTS insert triggers for a large first load; True when paused.

    Also True when an earlier paused run was interrupted (its row is still
    in fts_paused): then this run finishes it and rebuilds. Meanwhile full-text
    search misses the new rows; nothing else is affected.
    """
    if db.conn.execute("SELECT 1 FROM fts_paused").fetchone():
        return True
    empty = not db.conn.execute("SELECT 1 FROM articles LIMIT 1").fetchone()
    if not (large_run and empty):
        return False
    with db.atomic():
        db.conn.execute("INSERT INTO fts_paused (reason) VALUES ('first load')")
    return True


def resume_fts(db) -> None:
    """Rebuild the full-text indexes from their tables and resume the triggers."""
    with db.atomic():  # a savepoint when called inside a bulk load's transaction
        db.conn.execute("DELETE FROM fts_paused")
        db.conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
        db.conn.execute("INSERT INTO quotes_fts (quotes_fts) VALUES ('rebuild')")


# --- bulk loading (the distributed engine's output) -------------------------------

TABLES_WITH_IDS = ("articles", "quotes", "entities")


def id_bases(db) -> dict[str, int]:
    """The highest id of each table: a distributed run numbers new rows after these."""
    return {t: db.conn.execute(f"SELECT coalesce(max(id), 0) FROM [{t}]").fetchone()[0] for t in TABLES_WITH_IDS}


def registry_seed(db) -> dict:
    """What the distributed reduce needs to link new rows to what is stored."""
    entities = {
        row[0]: {"name": row[1], "type": row[2], "latitude": row[3], "longitude": row[4], "curated": row[5]}
        for row in db.conn.execute("SELECT id, name, type, latitude, longitude, curated FROM entities")
    }
    aliases: dict[int, list[str]] = {}
    for entity_id, alias in db.conn.execute("SELECT entity_id, alias FROM entity_aliases"):
        aliases.setdefault(entity_id, []).append(alias)
    names: dict[int, dict[str, int]] = {}
    for entity_id, name, documents in db.conn.execute("SELECT entity_id, name, documents FROM entity_names"):
        names.setdefault(entity_id, {})[name] = documents
    return {
        "entities": entities,
        "keys": dict(db.conn.execute("SELECT key, entity_id FROM entity_keys")),
        "aliases": aliases,
        "names": names,
        "signatures": [(a, dedup.unpack(blob)) for a, blob in
                       db.conn.execute("SELECT article_id, signature FROM minhashes ORDER BY article_id")],
        "duplicate_of": dict(db.conn.execute("SELECT id, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL")),
        "shas": {},
    }


def load_parquet(db, folder: str) -> dict[str, int]:
    """Insert a distributed run's Parquet output in one transaction; rows per table.

    Refuses output made against another state of the database (its ids would
    clash). On an empty database the full-text indexes are built once, after
    the rows are in.
    """
    import pyarrow.parquet as pq

    with open(os.path.join(folder, "manifest.json"), encoding="utf-8") as handle:
        manifest = json.load(handle)
    if manifest["base_ids"] != id_bases(db):
        raise SchemaError(
            f"{folder} was produced for another state of this database "
            f"(ids {manifest['base_ids']}, now {id_bases(db)}): run the ingest again"
        )
    empty = not any(manifest["base_ids"].values())
    counts = {}
    db.conn.execute("BEGIN")
    try:
        if empty:
            db.conn.execute("INSERT INTO fts_paused (reason) VALUES ('bulk load')")
        for path in manifest["replaced_paths"]:
            unlink_file(db, path)
        for table in LOAD_ORDER:
            counts[table] = 0
            for rows in _parquet_batches(pq, os.path.join(folder, table)):
                _load_rows(db, table, rows)
                counts[table] += len(rows)
        collect_garbage(db)
        for statement in stemming.SYNC_SQL:  # word-form indexes of the new rows
            db.conn.execute(statement)
        if empty:
            resume_fts(db)
        db.conn.execute("COMMIT")
    except BaseException:
        db.conn.execute("ROLLBACK")
        raise
    return counts


LOAD_ORDER = ["entities", "entity_keys", "entity_aliases", "entity_names", "files", "articles", "sources", "minhashes",
              "minhash_bands", "boilerplate", "mentions", "quotes", "file_articles", "line_counts",
              "articles_stem_fts", "quotes_stem_fts"]


def _parquet_batches(pq, folder: str):
    if not os.path.isdir(folder):
        return
    for name in sorted(os.listdir(folder)):
        if name.endswith(".parquet"):
            yield pq.read_table(os.path.join(folder, name)).to_pylist()


def _load_rows(db, table: str, rows: list[dict]) -> None:
    if table == "entities":
        db.conn.executemany(
            "INSERT INTO entities (id, name, type, latitude, longitude, curated) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET name = excluded.name, curated = excluded.curated, "
            "latitude = excluded.latitude, longitude = excluded.longitude",
            [(r["id"], r["name"], r["type"], r["latitude"], r["longitude"], r["curated"]) for r in rows],
        )
    elif table == "entity_aliases":
        # the reduce gives each entity's full alias set (a renamed entity loses one)
        db.conn.executemany("DELETE FROM entity_aliases WHERE entity_id = ?", sorted({(r["entity_id"],) for r in rows}))
        insert(db, table, rows)
    elif table == "entity_names":  # the reduce gives the totals, stored counts included
        db.conn.executemany(
            "INSERT INTO entity_names (entity_id, name, documents) VALUES (?, ?, ?) "
            "ON CONFLICT (entity_id, name) DO UPDATE SET documents = excluded.documents",
            [(r["entity_id"], r["name"], r["documents"]) for r in rows],
        )
    elif table in ("entity_keys", "file_articles"):
        insert(db, table, rows, "OR IGNORE" if table == "entity_keys" else "OR REPLACE")
    elif table == "files":
        for r in rows:
            mark_file(db, r["path"], r["size"], r["mtime"], r["sha256"], r["status"], r["error"])
    elif table == "line_counts":
        totals: dict[str, int] = {}
        for r in rows:  # one row per article and key: add them up
            totals[r["key"]] = totals.get(r["key"], 0) + r["documents"]
        add_line_counts(db, totals)
    else:
        insert(db, table, rows)


# --- entity linking -----------------------------------------------------------


def link_entities(db, doc: Document, registry: "SqliteRegistry | None" = None) -> list[int]:
    """Corpus-wide entity ids for `doc.entities`, creating entities as needed."""
    registry = registry or SqliteRegistry(db.conn)
    return [registry_module.link_entity(registry, entity) for entity in doc.entities]


# "Ask the database": a key not remembered, or one known to be registered
# (an INSERT OR IGNORE that was ignored) to an entity not read yet.
_UNKNOWN = object()


class SqliteRegistry:
    """registry.Registry over the entities, entity_keys and entity_aliases tables.

    It remembers the keys and entities it has read or written: an ingest's
    writer asks about the same few thousand keys (the countries, the people
    of the story) over and over, and these look-ups were a fifth of its
    time. What it remembers is right only while nothing else changes those
    tables: keep one instance for a run of writes, and call `forget` after a
    rollback (the rows written since the savepoint are gone).
    """

    MEMORY_LIMIT = 2_000_000  # keys remembered; past it the memory starts again

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._keys: dict[int, object] = {}  # key id -> entity id, None (no such key) or _UNKNOWN
        self._entities: dict[int, tuple] = {}  # id -> (name, curated, latitude, longitude)

    def forget(self) -> None:
        """Drop what is remembered (after a rollback)."""
        self._keys.clear()
        self._entities.clear()

    def entity_for_key(self, key):
        kid = registry_module.key_id(key)
        known = self._keys.get(kid, _UNKNOWN)
        if known is not _UNKNOWN:
            return known
        row = self.conn.execute("SELECT entity_id FROM entity_keys WHERE key = ?", (kid,)).fetchone()
        self._remember(kid, row[0] if row else None)
        return row[0] if row else None

    def add_key(self, key, entity_id):
        kid = registry_module.key_id(key)
        if self._keys.get(kid) is not None:
            return  # registered already: the INSERT OR IGNORE would change nothing
        cursor = self.conn.execute("INSERT OR IGNORE INTO entity_keys (key, entity_id) VALUES (?, ?)",
                                   (kid, entity_id))
        self._remember(kid, entity_id if cursor.rowcount == 1 else _UNKNOWN)

    def _remember(self, kid: int, value) -> None:
        if len(self._keys) >= self.MEMORY_LIMIT:
            self._keys.clear()
        self._keys[kid] = value

    def create(self, name, type_, latitude, longitude, curated):
        entity_id = self.conn.execute(
            "INSERT INTO entities (name, type, latitude, longitude, curated) VALUES (?, ?, ?, ?, ?)",
            (name, type_, latitude, longitude, int(curated)),
        ).lastrowid
        self._entities[entity_id] = (name, bool(curated), latitude, longitude)
        return entity_id

    def get(self, entity_id):
        known = self._entities.get(entity_id)
        if known is None:
            name, curated, latitude, longitude = self.conn.execute(
                "SELECT name, curated, latitude, longitude FROM entities WHERE id = ?", (entity_id,)
            ).fetchone()
            known = self._entities[entity_id] = (name, bool(curated), latitude, longitude)
        return known

    def rename(self, entity_id, name, curated):
        self.conn.execute("UPDATE entities SET name = ?, curated = ? WHERE id = ?", (name, int(curated), entity_id))
        self._entities.pop(entity_id, None)

    def set_coordinates(self, entity_id, latitude, longitude):
        self.conn.execute("UPDATE entities SET latitude = ?, longitude = ? WHERE id = ?",
                          (latitude, longitude, entity_id))
        self._entities.pop(entity_id, None)

    def add_alias(self, entity_id, alias):
        self.conn.execute("INSERT OR IGNORE INTO entity_aliases (entity_id, alias) VALUES (?, ?)", (entity_id, alias))

    def remove_alias(self, entity_id, alias):
        self.conn.execute("DELETE FROM entity_aliases WHERE entity_id = ? AND alias = ?", (entity_id, alias))

    def count_name(self, entity_id, name):
        return self.conn.execute(
            "INSERT INTO entity_names (entity_id, name, documents) VALUES (?, ?, 1) "
            "ON CONFLICT (entity_id, name) DO UPDATE SET documents = documents + 1 RETURNING documents",
            (entity_id, name),
        ).fetchone()[0]

    def name_documents(self, entity_id, name):
        row = self.conn.execute("SELECT documents FROM entity_names WHERE entity_id = ? AND name = ?",
                                (entity_id, name)).fetchone()
        return row[0] if row else 0


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


# --- export and search ----------------------------------------------------------


def open_readonly(path: str) -> sqlite3.Connection:
    """A read-only connection: exports and searches can never change the corpus."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    register_functions(conn)
    return conn


def table_names(conn: sqlite3.Connection) -> list[str]:
    return [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name"
    )]


def iter_rows(conn: sqlite3.Connection, table: str, where: str | None = None, batch: int = 1000):
    """(columns, row iterator, row count) of a table or view, optionally filtered.

    `table` must name an existing table or view. `where` is the user's own SQL
    condition over their own database (as in `sqlite-utils rows --where`): it
    runs on a read-only connection, so it can filter but never modify.
    """
    if table not in table_names(conn):
        raise ValueError(f"no table or view named {table!r}")
    condition = f" WHERE {where}" if where else ""
    count = conn.execute(f"SELECT count(*) FROM [{table}]{condition}").fetchone()[0]
    cursor = conn.execute(f"SELECT * FROM [{table}]{condition}")
    columns = [d[0] for d in cursor.description]

    def rows():
        while True:
            chunk = cursor.fetchmany(batch)
            if not chunk:
                return
            yield from chunk

    return columns, rows(), count


def column_types(conn: sqlite3.Connection, table: str) -> dict[str, str]:
    """Declared SQLite type of each column of a table or view."""
    return {row[1]: row[2] for row in conn.execute("SELECT * FROM pragma_table_info(?)", (table,))}


def search_articles(conn: sqlite3.Connection, query: str, limit: int = 10, mark=("\x02", "\x03")) -> list[dict]:
    """Articles matching a full-text query, best first (bm25), with snippets.

    The query uses FTS5 syntax; when it is not valid FTS5 (a stray quote or
    parenthesis) each word is searched as a plain term instead.
    """
    sql = (
        "SELECT a.id, a.title, a.source, a.published, a.path, "
        "snippet(articles_fts, 1, ?, ?, '…', 16) AS snippet, bm25(articles_fts, 5.0, 1.0) AS score "
        "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
        "WHERE articles_fts MATCH ? ORDER BY score LIMIT ?"
    )
    try:
        rows = conn.execute(sql, (*mark, query, limit)).fetchall()
    except sqlite3.OperationalError:
        rows = conn.execute(sql, (*mark, stemming.fts_escape(query), limit)).fetchall()
    keys = ("id", "title", "source", "published", "path", "snippet", "score")
    return [dict(zip(keys, row)) for row in rows]


def find_quotes(conn: sqlite3.Connection, speaker: str | None = None, search: str | None = None,
                limit: int = 50) -> list[dict]:
    """Direct quotes with speaker, outlet, date and article, newest first.

    `speaker` matches the speaker as written or any name of the linked
    entity ("Nadezhdin" finds "Boris Nadezhdin"); `search` is a full-text
    query over the quoted words.
    """
    conditions, params = ["q.kind = 'direct'"], []
    if speaker:
        conditions.append(
            "(q.speaker LIKE ? OR q.entity_id IN (SELECT id FROM entities WHERE name LIKE ? "
            "UNION SELECT entity_id FROM entity_aliases WHERE alias LIKE ?))"
        )
        params += [f"%{speaker}%"] * 3
    if search:
        conditions.append("q.id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)")
        params.append(stemming.fts_escape(search))
    sql = (
        "SELECT q.id, q.text, q.speaker, e.name AS entity, a.source, a.published, a.id AS article_id, "
        "coalesce(a.title, a.path) AS article FROM quotes q JOIN articles a ON a.id = q.article_id "
        "LEFT JOIN entities e ON e.id = q.entity_id WHERE " + " AND ".join(conditions)
        + " ORDER BY a.published DESC, a.id, q.start LIMIT ?"
    )
    cursor = conn.execute(sql, params + [limit])
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor]


def top_entities(conn: sqlite3.Connection, type_: str | None = None, top: int = 30) -> list[dict]:
    """Entities with their mention and article counts, most mentioned first."""
    sql = (
        "SELECT e.id, e.name, e.type, count(m.article_id) AS mentions, count(DISTINCT m.article_id) AS articles "
        "FROM entities e JOIN mentions m ON m.entity_id = e.id "
        + ("WHERE e.type = ? " if type_ else "")
        + "GROUP BY e.id ORDER BY mentions DESC, articles DESC, e.name LIMIT ?"
    )
    cursor = conn.execute(sql, ([type_.upper()] if type_ else []) + [top])
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor]
