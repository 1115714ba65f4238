-- 0002: word-form search for Russian and Ukrainian (and a month column to facet by).
--
-- articles_stem_fts and quotes_stem_fts index the stemmed text of articles
-- and quotes (corpus_db.stemming.stem_text, by the article's language), with
-- the same rowid as the row they index. They are contentless (content=''):
-- they keep only the index, not a second copy of every body, so the
-- database stays small. The store fills them when it writes an article (and
-- backfills any row missing after a migration, stemming.SYNC_SQL).
--
-- The triggers keep them in step when articles or quotes change or go: a
-- contentless index forgets a row only when told its exact stemmed words,
-- so they call corpus_stem(), which every corpus_db connection registers
-- (the store, the Datasette plugin). In a plain sqlite3 shell, deleting or
-- editing articles fails with "no such function: corpus_stem" instead of
-- leaving the index silently wrong.
CREATE VIRTUAL TABLE articles_stem_fts USING FTS5 (title, body, content='', detail=column);
CREATE VIRTUAL TABLE quotes_stem_fts USING FTS5 (text, speaker, content='', detail=column);

-- Before an article goes: its quotes' entries (the quotes' language is the
-- article's, unknown once the article is gone), then its own.
CREATE TRIGGER articles_stem_bd BEFORE DELETE ON articles BEGIN
    INSERT INTO quotes_stem_fts (quotes_stem_fts, rowid, text, speaker)
        SELECT 'delete', q.id, corpus_stem(q.text, old.language), corpus_stem(q.speaker, old.language)
        FROM quotes q WHERE q.article_id = old.id AND q.id IN (SELECT rowid FROM quotes_stem_fts);
    INSERT INTO articles_stem_fts (articles_stem_fts, rowid, title, body)
        SELECT 'delete', old.id, corpus_stem(old.title, old.language), corpus_stem(old.body, old.language)
        WHERE old.id IN (SELECT rowid FROM articles_stem_fts);
END;
CREATE TRIGGER articles_stem_au AFTER UPDATE OF title, body, language ON articles BEGIN
    INSERT INTO articles_stem_fts (articles_stem_fts, rowid, title, body)
        SELECT 'delete', old.id, corpus_stem(old.title, old.language), corpus_stem(old.body, old.language)
        WHERE old.id IN (SELECT rowid FROM articles_stem_fts);
    INSERT INTO articles_stem_fts (rowid, title, body)
        VALUES (new.id, corpus_stem(new.title, new.language), corpus_stem(new.body, new.language));
END;
CREATE TRIGGER quotes_stem_ad AFTER DELETE ON quotes BEGIN
    INSERT INTO quotes_stem_fts (quotes_stem_fts, rowid, text, speaker)
        SELECT 'delete', old.id, corpus_stem(old.text, a.language), corpus_stem(old.speaker, a.language)
        FROM articles a WHERE a.id = old.article_id AND old.id IN (SELECT rowid FROM quotes_stem_fts);
END;
CREATE TRIGGER quotes_stem_au AFTER UPDATE OF text, speaker ON quotes BEGIN
    INSERT INTO quotes_stem_fts (quotes_stem_fts, rowid, text, speaker)
        SELECT 'delete', old.id, corpus_stem(old.text, a.language), corpus_stem(old.speaker, a.language)
        FROM articles a WHERE a.id = old.article_id AND old.id IN (SELECT rowid FROM quotes_stem_fts);
    INSERT INTO quotes_stem_fts (rowid, text, speaker)
        SELECT new.id, corpus_stem(new.text, a.language), corpus_stem(new.speaker, a.language)
        FROM articles a WHERE a.id = new.article_id;
END;

-- The month of publication (YYYY-MM), for the "published by month" facet.
ALTER TABLE articles ADD COLUMN published_month TEXT
    GENERATED ALWAYS AS (substr(published, 1, 7)) VIRTUAL;
