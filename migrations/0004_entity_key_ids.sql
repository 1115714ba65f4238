-- 0004: linking keys stored as 64-bit hashes (corpus_db.registry.key_id).
--
-- entity_keys held each key's text ("ORG:sound-tokens:mkn nk tmsn", 23
-- bytes on average, about 25 keys per entity) in a WITHOUT ROWID table.
-- Keys are only ever looked up by equality, so an 8-byte hash as INTEGER
-- PRIMARY KEY (the rowid itself: no separate index) does the same work in
-- half the space. corpus_key_id() is registered by every corpus_db
-- connection; run migrations with `corpus migrate`.
CREATE TABLE entity_key_ids (
    key INTEGER PRIMARY KEY,
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE
);
INSERT OR IGNORE INTO entity_key_ids (key, entity_id)
    SELECT corpus_key_id(key), entity_id FROM entity_keys ORDER BY entity_id, key;
DROP TABLE entity_keys;
ALTER TABLE entity_key_ids RENAME TO entity_keys;
