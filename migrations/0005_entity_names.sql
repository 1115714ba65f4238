-- 0005: how many documents call each entity by each name.
--
-- An entity's corpus name used to be the longest well-formed name any
-- document gave it. Over a hundred thousand articles the longest is often a
-- recogniser's mistake seen once ("Сполучених Штатів Дональда Трампа" for
-- Donald Trump, "Slitine Emmanuel Macron"); the name most documents use is
-- the better choice (corpus_db.registry.better_name). Existing entities start
-- with their current name counted once.
CREATE TABLE entity_names (
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    documents INTEGER NOT NULL,
    PRIMARY KEY (entity_id, name)
) WITHOUT ROWID;
INSERT INTO entity_names (entity_id, name, documents) SELECT id, name, 1 FROM entities;
