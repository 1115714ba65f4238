-- 0002: word-form search for Russian and Ukrainian (and a month column to facet by).
--
-- articles_stem_fts and quotes_stem_fts hold the stemmed text of articles and
-- quotes (corpus_db.stemming.stem_text, by the article's language), with the
-- same rowid as the row they index. SQLite cannot stem, so the store fills
-- them from Python when it writes an article (and backfills any row missing
-- after a migration); the triggers below only remove stale rows, so they
-- need no Python function and any SQLite client can still write the tables.
-- detail=column: word-form search needs no positions (no phrases), and the
-- index is less than half the size.
CREATE VIRTUAL TABLE articles_stem_fts USING FTS5 (title, body, detail=column);
CREATE VIRTUAL TABLE quotes_stem_fts USING FTS5 (text, speaker, detail=column);

CREATE TRIGGER articles_stem_ad AFTER DELETE ON articles BEGIN
    DELETE FROM articles_stem_fts WHERE rowid = old.id;
END;
-- An edited article drops out of the stemmed index until the store re-adds
-- it (the next `corpus ingest` does), rather than matching its old text.
CREATE TRIGGER articles_stem_au AFTER UPDATE OF title, body, language ON articles BEGIN
    DELETE FROM articles_stem_fts WHERE rowid = old.id;
END;
CREATE TRIGGER quotes_stem_ad AFTER DELETE ON quotes BEGIN
    DELETE FROM quotes_stem_fts WHERE rowid = old.id;
END;
CREATE TRIGGER quotes_stem_au AFTER UPDATE OF text, speaker ON quotes BEGIN
    DELETE FROM quotes_stem_fts WHERE rowid = old.id;
END;

-- The month of publication (YYYY-MM), for the "published by month" facet.
ALTER TABLE articles ADD COLUMN published_month TEXT
    GENERATED ALWAYS AS (substr(published, 1, 7)) VIRTUAL;
