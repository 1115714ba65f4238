-- 0003: raw input compressed against the article's body, and a view to read it.
--
-- From this version ingest stores sources.raw with compression 'zlib+body':
-- zlib with the article's own body as preset dictionary, a tenth of plain
-- zlib's size, since the body is most of the input (corpus_db.records).
-- Rows written earlier keep 'zlib' and read back as before.
--
-- source_texts gives every article's input text as read (decoded with the
-- detected encoding) through corpus_raw(), which every corpus_db connection
-- registers (the store, the Datasette plugin).
CREATE VIEW source_texts AS
SELECT s.article_id, a.path, s.size, s.encoding,
       corpus_raw(s.raw, s.compression, s.encoding, a.body) AS text
FROM sources s JOIN articles a ON a.id = s.article_id;
