-- 0001: the corpus schema of shared/CONTRACT.md, plus what ingest needs to
-- stay idempotent (files) and traceable (sources).
-- Never edit this file once released: add 0002_... instead.

-- One row per ingested document (distinct content: sha256 is unique).
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    item INTEGER NOT NULL DEFAULT 0,  -- line of a JSON Lines file; 0 for one-article files
    sha256 TEXT NOT NULL UNIQUE,
    url TEXT,
    title TEXT,
    author TEXT,
    published TEXT,
    source TEXT,
    language TEXT NOT NULL DEFAULT 'und',
    body TEXT NOT NULL DEFAULT '',
    word_count INTEGER NOT NULL DEFAULT 0,
    encoding TEXT,
    warnings TEXT,        -- JSON list of what ingest noticed but accepted
    field_sources TEXT,   -- JSON object: where each metadata field came from
    duplicate_of INTEGER REFERENCES articles(id) ON DELETE SET NULL  -- near-duplicate of an earlier article
);
CREATE INDEX idx_articles_duplicate_of ON articles(duplicate_of);
CREATE INDEX idx_articles_path ON articles(path);
CREATE INDEX idx_articles_source ON articles(source);
CREATE INDEX idx_articles_language ON articles(language);
CREATE INDEX idx_articles_published ON articles(published);

-- The input exactly as read, so any result can be traced back to its bytes.
-- raw is zlib-compressed (the corpus_raw() SQL function, registered by the
-- store and by the Datasette plugin, gives back the decoded text).
CREATE TABLE sources (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    size INTEGER NOT NULL,
    encoding TEXT,
    compression TEXT NOT NULL DEFAULT 'zlib',
    raw BLOB NOT NULL
);

-- Every input file ingest has seen, so unchanged files are skipped cheaply
-- (size and mtime first, the hash only when those changed).
CREATE TABLE files (
    path TEXT PRIMARY KEY,
    size INTEGER,
    mtime REAL,
    sha256 TEXT,            -- of the file's bytes
    status TEXT NOT NULL,   -- ingested, failed
    error TEXT              -- why it failed, or what was wrong with some of its records
) WITHOUT ROWID;

-- Which articles each file holds (a JSON Lines file holds many; two files
-- with the same content share one article).
CREATE TABLE file_articles (
    path TEXT NOT NULL REFERENCES files(path) ON DELETE CASCADE,
    item INTEGER NOT NULL DEFAULT 0,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (path, item)
) WITHOUT ROWID;
CREATE INDEX idx_file_articles_article ON file_articles(article_id);

-- How many stored documents contain each line (by a hash of the line's
-- folded form, corpus_db.clean.line_key): the cleaner's strongest signal,
-- since a line that recurs across many pages is almost always boilerplate.
-- Incremented in the same transaction as the document that contributes, so
-- an interrupted ingest never counts a document twice.
CREATE TABLE line_counts (
    key INTEGER PRIMARY KEY,   -- the line's 64-bit hash, as a signed integer
    long INTEGER NOT NULL,     -- 1 for a long line (could be article text), 0 for a short one
    documents INTEGER NOT NULL
) WITHOUT ROWID;

-- Near-duplicate detection (corpus_db.dedup): each article's MinHash
-- signature, and its locality-sensitive band keys for finding candidates.
CREATE TABLE minhashes (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    signature BLOB NOT NULL
);
CREATE TABLE minhash_bands (
    band_key INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (band_key, article_id)
) WITHOUT ROWID;

-- Everything of the input that is not in body, title, author or metadata.
CREATE TABLE boilerplate (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,   -- order in the input (0, 1, 2, ...)
    start INTEGER,               -- offsets in the normalised input text
    "end" INTEGER,
    text TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID;
CREATE INDEX idx_boilerplate_reason ON boilerplate(reason);

CREATE TABLE entities (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,          -- PERSON, ORG, PLACE, MISC
    latitude REAL,
    longitude REAL,
    curated INTEGER NOT NULL DEFAULT 0  -- 1 when the name comes from the alias file
);
CREATE INDEX idx_entities_type ON entities(type);
CREATE INDEX idx_entities_name ON entities(name);

-- Linking keys (type + normalised name, transliteration, curated alias id, ...)
-- that map a document's names to corpus-wide entities.
CREATE TABLE entity_keys (
    key TEXT PRIMARY KEY,
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE entity_aliases (
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    alias TEXT NOT NULL,
    PRIMARY KEY (entity_id, alias)
) WITHOUT ROWID;
CREATE INDEX idx_entity_aliases_alias ON entity_aliases(alias);

CREATE TABLE mentions (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    text TEXT NOT NULL,
    confidence REAL NOT NULL DEFAULT 1.0,
    PRIMARY KEY (article_id, start, "end", entity_id)
) WITHOUT ROWID;
CREATE INDEX idx_mentions_entity ON mentions(entity_id, article_id);

CREATE TABLE quotes (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    speaker TEXT,
    entity_id INTEGER REFERENCES entities(id),
    kind TEXT NOT NULL DEFAULT 'direct',
    cue TEXT,
    quote_group INTEGER,         -- parts of one quotation (split by attribution, continued) share it
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    speaker_start INTEGER,
    speaker_end INTEGER
);
CREATE INDEX idx_quotes_article ON quotes(article_id, start);
CREATE INDEX idx_quotes_entity ON quotes(entity_id);
CREATE INDEX idx_quotes_speaker ON quotes(speaker);
CREATE INDEX idx_quotes_kind ON quotes(kind);

-- Full-text search, kept in step with its tables by triggers. The
-- content=[table] form is what Datasette looks for to wire its search box.
-- A bulk load into an empty database (corpus load) pauses the insert
-- triggers with a row in fts_paused and rebuilds the indexes once at the
-- end, in the same transaction.
CREATE TABLE fts_paused (reason TEXT);
CREATE VIRTUAL TABLE articles_fts USING FTS5 (title, body, content=[articles], content_rowid=[id]);
CREATE TRIGGER articles_ai AFTER INSERT ON articles WHEN NOT EXISTS (SELECT 1 FROM fts_paused) BEGIN
    INSERT INTO articles_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
END;
CREATE TRIGGER articles_au AFTER UPDATE OF title, body ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
    INSERT INTO articles_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;

CREATE VIRTUAL TABLE quotes_fts USING FTS5 (text, speaker, content=[quotes], content_rowid=[id]);
CREATE TRIGGER quotes_ai AFTER INSERT ON quotes WHEN NOT EXISTS (SELECT 1 FROM fts_paused) BEGIN
    INSERT INTO quotes_fts (rowid, text, speaker) VALUES (new.id, new.text, new.speaker);
END;
CREATE TRIGGER quotes_ad AFTER DELETE ON quotes BEGIN
    INSERT INTO quotes_fts (quotes_fts, rowid, text, speaker) VALUES ('delete', old.id, old.text, old.speaker);
END;
CREATE TRIGGER quotes_au AFTER UPDATE OF text, speaker ON quotes BEGIN
    INSERT INTO quotes_fts (quotes_fts, rowid, text, speaker) VALUES ('delete', old.id, old.text, old.speaker);
    INSERT INTO quotes_fts (rowid, text, speaker) VALUES (new.id, new.text, new.speaker);
END;

-- Views for SQL users.
-- Entities per article, with how often the article names each.
CREATE VIEW article_entities AS
SELECT m.article_id, m.entity_id, e.name, e.type, count(*) AS mentions
FROM mentions m JOIN entities e ON e.id = m.entity_id
GROUP BY m.article_id, m.entity_id;

-- Pairs of entities that occur in the same article, with the number of such articles.
CREATE VIEW entity_pairs AS
WITH pairs AS (SELECT DISTINCT article_id, entity_id FROM mentions)
SELECT a.entity_id AS entity_a, ea.name AS name_a, ea.type AS type_a,
       b.entity_id AS entity_b, eb.name AS name_b, eb.type AS type_b,
       count(*) AS articles
FROM pairs a
JOIN pairs b ON a.article_id = b.article_id AND a.entity_id < b.entity_id
JOIN entities ea ON ea.id = a.entity_id
JOIN entities eb ON eb.id = b.entity_id
GROUP BY a.entity_id, b.entity_id;

-- Every entity with its mention and article counts.
CREATE VIEW entity_counts AS
SELECT e.id, e.name, e.type, count(m.article_id) AS mentions, count(DISTINCT m.article_id) AS articles
FROM entities e LEFT JOIN mentions m ON m.entity_id = e.id
GROUP BY e.id;
