-- 0006: how many times each article names each entity, one row per pair,
-- kept in step with `mentions` by triggers.
--
-- "Which entities appear together with X" counts, over every article that
-- names X, the entities that article names. Read from `mentions` that means
-- sorting every mention of those articles (some 256,000 rows for the most
-- quoted person of a 100,000-article corpus); one row per article and entity
-- is 158,000 of them, and the query takes half the time (124 -> 63 ms). The
-- views article_entities and entity_pairs read it too. It costs about 2% of
-- the database.
--
-- No foreign key to entities: an entity is deleted only when nothing
-- mentions it, and the check would scan this table for every such entity.
CREATE TABLE mention_counts (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    entity_id INTEGER NOT NULL,
    mentions INTEGER NOT NULL,
    PRIMARY KEY (article_id, entity_id)
) WITHOUT ROWID;

INSERT INTO mention_counts (article_id, entity_id, mentions)
SELECT article_id, entity_id, count(*) FROM mentions GROUP BY article_id, entity_id;

CREATE TRIGGER mentions_count_ai AFTER INSERT ON mentions BEGIN
    INSERT INTO mention_counts (article_id, entity_id, mentions) VALUES (new.article_id, new.entity_id, 1)
    ON CONFLICT (article_id, entity_id) DO UPDATE SET mentions = mentions + 1;
END;

CREATE TRIGGER mentions_count_ad AFTER DELETE ON mentions BEGIN
    UPDATE mention_counts SET mentions = mentions - 1
    WHERE article_id = old.article_id AND entity_id = old.entity_id;
    DELETE FROM mention_counts
    WHERE article_id = old.article_id AND entity_id = old.entity_id AND mentions <= 0;
END;

CREATE TRIGGER mentions_count_au AFTER UPDATE OF article_id, entity_id ON mentions BEGIN
    UPDATE mention_counts SET mentions = mentions - 1
    WHERE article_id = old.article_id AND entity_id = old.entity_id;
    DELETE FROM mention_counts
    WHERE article_id = old.article_id AND entity_id = old.entity_id AND mentions <= 0;
    INSERT INTO mention_counts (article_id, entity_id, mentions) VALUES (new.article_id, new.entity_id, 1)
    ON CONFLICT (article_id, entity_id) DO UPDATE SET mentions = mentions + 1;
END;

DROP VIEW article_entities;
CREATE VIEW article_entities AS
SELECT c.article_id, c.entity_id, e.name, e.type, c.mentions
FROM mention_counts c JOIN entities e ON e.id = c.entity_id;

DROP VIEW entity_pairs;
CREATE VIEW entity_pairs AS
SELECT a.entity_id AS entity_a, ea.name AS name_a, ea.type AS type_a,
       b.entity_id AS entity_b, eb.name AS name_b, eb.type AS type_b,
       count(*) AS articles
FROM mention_counts a
JOIN mention_counts b ON a.article_id = b.article_id AND a.entity_id < b.entity_id
JOIN entities ea ON ea.id = a.entity_id
JOIN entities eb ON eb.id = b.entity_id
GROUP BY a.entity_id, b.entity_id;
