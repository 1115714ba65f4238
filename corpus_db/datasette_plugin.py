"""Datasette plugin: the research workbench over a corpus_db database.

Registered through the `datasette` entry point, so plain `datasette serve
corpus.db` picks it up. It applies to every attached database that has the
corpus schema (found by its tables, whatever the file is called) and adds:

- titles, descriptions, licence and source notes on the database, every
  table, view and column (written into Datasette's internal metadata at
  startup, never over what the user's own metadata says);
- table settings (label columns, sortable columns, default facets, full-text
  search) merged under the user's datasette.yaml;
- stored queries for the questions researchers ask (corpus_queries.py-style
  SQL below, all parameterised);
- pages of its own: an article reader, an entity page, one search box over
  articles and quotes, and an overview with a timeline and a map (inline
  SVG: no script and no network needed);
- a `_stem=` table filter and SQL functions for Russian/Ukrainian word forms.

Every piece of corpus text reaches HTML escaped: templates autoescape, the
article body is built from escaped segments, and highlighted snippets are
escaped before their marks become <mark> tags (stemming.marks_to_html).
"""
from __future__ import annotations

import functools
import json
import math
import re
import weakref
from pathlib import Path

import markupsafe
from datasette import hookimpl
from datasette.resources import TableResource
from datasette.utils import tilde_decode, tilde_encode
from datasette.utils.asgi import NotFound, Response
from datasette.filters import FilterArguments
from jinja2 import ChoiceLoader, FileSystemLoader

from . import stemming
from .store import register_functions

TEMPLATES = Path(__file__).parent / "templates"

# A database is a corpus when it has these tables.
CORPUS_TABLES = {"articles", "quotes", "entities", "mentions", "boilerplate"}

# --- metadata -------------------------------------------------------------------

DATABASE_METADATA = {
    "title": "News corpus (corpus_db)",
    "description": (
        "News articles turned into a research corpus by corpus_db: cleaned text, "
        "metadata, quotations with their speakers and named entities linked across "
        "articles and languages. Start with the search box, the stored queries below, "
        "or the overview (timeline and map)."
    ),
    "license": "Articles © their publishers: for research use; the corpus_db code is Apache-2.0",
    "source": "The input files listed in the files table, kept byte for byte in sources",
}

# title, description and column descriptions of every table and view users see.
TABLES = {
    "articles": {
        "title": "Articles",
        "description": "One row per ingested document, with its cleaned text and metadata. "
                       "Click a title to read the article with its quotes and entities highlighted.",
        "columns": {
            "id": "Article id",
            "path": "The input file's path as given on the command line",
            "item": "Line of a JSON Lines file the article came from; 0 for one-article files",
            "sha256": "SHA-256 of the raw input bytes (unique: one article per distinct content)",
            "url": "The article's web address, where the input gave one",
            "title": "Headline, empty where the document has none",
            "author": "Byline, empty where none was found",
            "published": "Publication date (ISO 8601), empty where unknown",
            "source": "The outlet's name, empty where the text does not say",
            "language": "ISO 639-1 language code (en, ru, uk, fr; und = undetermined)",
            "body": "The cleaned article text: paragraphs separated by a blank line, boilerplate removed",
            "word_count": "Number of words in the body",
            "encoding": "Character encoding the input was read in",
            "warnings": "JSON list of what ingest noticed but accepted",
            "field_sources": "JSON object: where each metadata field came from",
            "duplicate_of": "The earlier article this one nearly duplicates, if any",
            "published_month": "Month of publication (YYYY-MM), for faceting",
        },
    },
    "sources": {
        "title": "Raw inputs",
        "description": "The input of every article exactly as read, compressed (zlib with the "
                       "article's body as dictionary). The source_texts view gives the text back.",
        "columns": {
            "article_id": "The article read from this input",
            "size": "Size of the input in bytes",
            "encoding": "Character encoding the input was read in",
            "compression": "How raw is compressed: zlib+body (needs the article's body), or zlib",
            "raw": "The input bytes, compressed",
        },
    },
    "files": {
        "title": "Input files",
        "description": "Every input file ingest has seen, so unchanged files are skipped and failures are traceable.",
        "columns": {
            "path": "The input file's path",
            "size": "Size in bytes when last seen",
            "mtime": "Modification time (Unix seconds) when last seen",
            "sha256": "SHA-256 of the file's bytes",
            "article_id": "The article it gave, empty when it failed",
            "status": "ingested or failed",
            "error": "Why the file failed, or what was wrong with some of its records",
        },
    },
    "file_articles": {
        "title": "Articles per input file",
        "description": "Which articles each input file holds: a JSON Lines file holds many, "
                       "and two files with the same content share one article.",
        "columns": {
            "path": "The input file's path",
            "item": "Line of the file (0 for one-article files)",
            "article_id": "The article",
        },
    },
    "line_counts": {
        "title": "Line counts (cleaner state)",
        "description": "How many stored documents contain each line, by a 64-bit hash of the line: "
                       "the cleaner's signal that a recurring line is boilerplate. Internal; hidden by default.",
        "columns": {
            "key": "64-bit hash of the line's normalised form",
            "documents": "Number of documents containing the line",
        },
    },
    "minhashes": {
        "title": "MinHash signatures (near-duplicate detection)",
        "description": "Each article's MinHash signature, used to find near-duplicate articles. "
                       "Internal; hidden by default.",
        "columns": {
            "article_id": "The article",
            "signature": "Its MinHash signature (binary)",
        },
    },
    "minhash_bands": {
        "title": "MinHash bands (near-duplicate detection)",
        "description": "Locality-sensitive band keys of each article's signature, for finding "
                       "near-duplicate candidates. Internal; hidden by default.",
        "columns": {
            "band_key": "Band key (hash of one band of the signature)",
            "article_id": "The article",
        },
    },
    "articles_stem_fts": {
        "title": "Word-form index of articles",
        "description": "Full-text index of the stemmed title and body of each article (rowid = article id), "
                       "behind searches in all word forms. Hidden by default.",
        "columns": {"title": "Stemmed title", "body": "Stemmed body"},
    },
    "quotes_stem_fts": {
        "title": "Word-form index of quotes",
        "description": "Full-text index of the stemmed text and speaker of each quote (rowid = quote id), "
                       "behind searches in all word forms. Hidden by default.",
        "columns": {"text": "Stemmed quote", "speaker": "Stemmed speaker"},
    },
    "fts_paused": {
        "title": "Full-text index pause flag",
        "description": "A row here pauses the full-text insert triggers during a bulk load, "
                       "which rebuilds the indexes at its end. Internal; hidden by default.",
        "columns": {"reason": "Why the triggers are paused"},
    },
    "boilerplate": {
        "title": "Removed boilerplate",
        "description": "Every piece of input text that is not in an article's body, title, byline or "
                       "metadata, with the reason the cleaner removed it, so nothing is silently lost.",
        "columns": {
            "article_id": "The article it was removed from",
            "position": "Order in the input (0, 1, 2, …)",
            "start": "Start offset in the normalised input text",
            "end": "End offset in the normalised input text",
            "text": "The removed text",
            "reason": "Why it was removed (donation_appeal, related_link, photo_caption, …)",
        },
    },
    "entities": {
        "title": "Entities",
        "description": "One row per real-world person, organisation, place or other named thing across the corpus.",
        "columns": {
            "id": "Entity id",
            "name": "Canonical name",
            "type": "PERSON, ORG, PLACE or MISC",
            "latitude": "Latitude of a place (WGS84), empty for other entities",
            "longitude": "Longitude of a place (WGS84), empty for other entities",
            "curated": "1 when the name comes from the curated alias file",
        },
    },
    "entity_keys": {
        "title": "Entity linking keys",
        "description": "The keys (type + normalised name, transliteration, curated alias id) that link "
                       "the names found in documents to corpus-wide entities.",
        "columns": {
            "key": "Linking key: 64-bit hash of the key's text (corpus_key_id)",
            "entity_id": "The entity it links to",
        },
    },
    "entity_aliases": {
        "title": "Entity aliases",
        "description": "Every other name the corpus uses for an entity (Putin for Vladimir Putin).",
        "columns": {
            "entity_id": "The entity",
            "alias": "Another name of it",
        },
    },
    "mention_counts": {
        "title": "Mentions per article and entity",
        "description": "How many times each article names each entity: one row per pair, kept in step "
                       "with mentions (the view article_entities adds names). Internal; hidden by default.",
        "columns": {
            "article_id": "The article",
            "entity_id": "The entity",
            "mentions": "Number of mentions of the entity in the article",
        },
    },
    "entity_names": {
        "title": "Entity names by use",
        "description": "In how many documents each name of an entity was the name that document gave it: "
                       "the corpus name is the most used well-formed one (for people, a full name). "
                       "Internal; hidden by default.",
        "columns": {
            "entity_id": "The entity",
            "name": "A name documents gave it",
            "documents": "Number of documents that named it so",
        },
    },
    "mentions": {
        "title": "Entity mentions",
        "description": "Each place in an article's body where an entity is named.",
        "columns": {
            "article_id": "The article",
            "entity_id": "The entity named",
            "start": "Start offset of the mention in the article's body",
            "end": "End offset of the mention in the article's body",
            "text": "The words as written",
            "confidence": "How sure the linker is (0 to 1)",
        },
    },
    "quotes": {
        "title": "Quotes",
        "description": "Quotations found in article bodies, with their speakers. "
                       "Search matches the quote and the speaker.",
        "columns": {
            "id": "Quote id",
            "article_id": "The article quoted from",
            "text": "The words quoted, without the quote marks",
            "speaker": "The speaker as written in the text, empty where none",
            "entity_id": "The speaker's entity where one is known",
            "kind": "direct for someone's words; partial, slogan, term, … for the rest",
            "cue": "The verb or phrase attributing the quote (said, told, …)",
            "quote_group": "Parts of one quotation share this number: pieces split by their attribution, a follow-on sentence of the same speaker, a quote continued in the next paragraph",
            "start": "Start offset of the quote in the article's body",
            "end": "End offset of the quote in the article's body",
            "speaker_start": "Start offset of the speaker's name in the body",
            "speaker_end": "End offset of the speaker's name in the body",
        },
    },
    "source_texts": {
        "title": "Input texts",
        "description": "View: the input of every article as read, decoded with its detected encoding "
                       "(from the compressed sources table).",
        "columns": {
            "article_id": "The article read from this input",
            "path": "The input file",
            "size": "Size of the input in bytes",
            "encoding": "Character encoding the input was read in",
            "text": "The input text, boilerplate and all",
        },
    },
    "article_entities": {
        "title": "Entities per article",
        "description": "View: each entity an article names, with how often it names it.",
        "columns": {
            "article_id": "The article",
            "entity_id": "The entity",
            "name": "The entity's canonical name",
            "type": "PERSON, ORG, PLACE or MISC",
            "mentions": "How many times the article names it",
        },
    },
    "entity_pairs": {
        "title": "Entity pairs",
        "description": "View: pairs of entities named in the same article, with the number of such articles.",
        "columns": {
            "entity_a": "First entity's id (the smaller)",
            "name_a": "First entity's name",
            "type_a": "First entity's type",
            "entity_b": "Second entity's id",
            "name_b": "Second entity's name",
            "type_b": "Second entity's type",
            "articles": "Number of articles naming both",
        },
    },
    "entity_counts": {
        "title": "Entity counts",
        "description": "View: every entity with its number of mentions and of articles naming it.",
        "columns": {
            "id": "Entity id",
            "name": "Canonical name",
            "type": "PERSON, ORG, PLACE or MISC",
            "mentions": "Number of mentions",
            "articles": "Number of articles naming it",
        },
    },
}

# Table settings (datasette.yaml shape). The user's own configuration wins.
TABLE_CONFIG = {
    "articles": {
        "label_column": "title",
        "sortable_columns": ["id", "title", "author", "published", "source", "language", "word_count", "path"],
        "facets": ["source", "language", "published_month"],
        "fts_table": "articles_fts",
        "fts_pk": "id",
    },
    "quotes": {
        "label_column": "text",
        "sortable_columns": ["id", "article_id", "speaker", "entity_id", "kind", "start"],
        "facets": ["kind", "speaker"],
        "fts_table": "quotes_fts",
        "fts_pk": "id",
    },
    "entities": {
        "label_column": "name",
        "sortable_columns": ["id", "name", "type", "latitude", "longitude", "curated"],
        "facets": ["type"],
    },
    "boilerplate": {
        "sortable_columns": ["article_id", "position", "reason"],
        "facets": ["reason"],
    },
    "mentions": {
        "sortable_columns": ["article_id", "entity_id", "start", "confidence"],
    },
    "entity_counts": {"sortable_columns": ["id", "name", "type", "mentions", "articles"], "facets": ["type"]},
    "entity_pairs": {"sortable_columns": ["name_a", "name_b", "articles"]},
    "article_entities": {"sortable_columns": ["article_id", "name", "type", "mentions"], "facets": ["type"]},
    "file_articles": {"sortable_columns": ["path", "item", "article_id"]},
    # Bookkeeping (sqlite-utils' migrations, the cleaner's line hashes): nothing for users.
    "_sqlite_migrations": {"hidden": True},
    "line_counts": {"hidden": True},
    "entity_names": {"hidden": True},
    "mention_counts": {"hidden": True},
    "minhashes": {"hidden": True},
    "fts_paused": {"hidden": True},
    "articles_stem_fts": {"hidden": True},
    "quotes_stem_fts": {"hidden": True},
    "minhash_bands": {"hidden": True},
}

# --- stored queries ---------------------------------------------------------------

def _entities_named(param: str, table: str) -> str:
    """CTEs naming `table` the entities a user means by :param: those whose name or
    an alias is exactly it; when there are none, those whose name or an alias
    contains it (any case).

    Exact first, because over a large corpus "contains" takes in far more than
    was meant: "U.S." is in the names or aliases of 560 entities (U.S. Army,
    U.S. Navy...), and counting all their mentions took seconds.
    """
    return f"""{table}_exact AS (
    SELECT id FROM entities WHERE name = :{param}
    UNION SELECT entity_id FROM entity_aliases WHERE alias = :{param}
),
{table} AS (
    SELECT id FROM {table}_exact
    UNION SELECT id FROM entities WHERE NOT EXISTS (SELECT 1 FROM {table}_exact)
        AND :{param} != '' AND name LIKE '%' || :{param} || '%'
    UNION SELECT entity_id FROM entity_aliases WHERE NOT EXISTS (SELECT 1 FROM {table}_exact)
        AND :{param} != '' AND alias LIKE '%' || :{param} || '%'
)"""


# The entities a user means by a name: by canonical name or any alias.
_TARGET = _entities_named("entity", "target")

QUERIES = {
    "quotes_by_speaker": {
        "title": "Who said what",
        "description": "Quotes whose speaker as written contains the name, or whose speaker's entity "
                       "goes by it (its name or an alias exactly; when none does, names containing it), "
                       "with outlet and date, oldest first (at most 1,000). Empty name: every quote.",
        "params": ["speaker"],
        # Quote ids are collected through the indexes on entity_id and speaker
        # (an OR over the joined rows would scan every quote); with an empty
        # name the first 1,000 by date are taken before the join.
        "sql": "WITH " + _entities_named("speaker", "named") + """,
written AS (SELECT DISTINCT speaker FROM quotes WHERE :speaker != '' AND speaker LIKE '%' || :speaker || '%'),
chosen AS (
    SELECT id FROM quotes WHERE entity_id IN (SELECT id FROM named)
    UNION SELECT id FROM quotes WHERE speaker IN (SELECT speaker FROM written)
),
everyone AS (
    SELECT q.id FROM articles a JOIN quotes q ON q.article_id = a.id
    WHERE :speaker = ''
    ORDER BY a.published, q.article_id, q.start
    LIMIT 1000
)
SELECT q.speaker, q.text AS quote, q.kind, a.source AS outlet, a.published,
       q.article_id, a.title AS article, q.entity_id, e.name AS entity
FROM (SELECT id FROM chosen UNION ALL SELECT id FROM everyone) AS picked
JOIN quotes q ON q.id = picked.id
JOIN articles a ON a.id = q.article_id
LEFT JOIN entities e ON e.id = q.entity_id
ORDER BY a.published, q.article_id, q.start
LIMIT 1000""",
    },
    "articles_mentioning": {
        "title": "Articles mentioning an entity",
        "description": "Articles that name an entity, found by its name or any alias (exactly; when none "
                       "matches exactly, names containing it), with how often; oldest first, at most 1,000.",
        "params": ["entity"],
        # Counted in the order of the (entity_id, article_id) index, then the
        # first 1,000 articles by date, then their titles: a place named in
        # tens of thousands of articles stays fast.
        "sql": f"""WITH {_TARGET},
counts AS (
    SELECT article_id, entity_id, count(*) AS mentions FROM mentions
    WHERE entity_id IN (SELECT id FROM target)
    GROUP BY entity_id, article_id
),
page AS (
    SELECT c.article_id, c.entity_id, c.mentions, a.published
    FROM counts c JOIN articles a ON a.id = c.article_id
    ORDER BY a.published, c.article_id
    LIMIT 1000
)
SELECT p.article_id, a.title, a.source AS outlet, a.published, a.language,
       p.entity_id, e.name AS entity, p.mentions
FROM page p JOIN articles a ON a.id = p.article_id JOIN entities e ON e.id = p.entity_id
ORDER BY p.published, p.article_id""",
    },
    "cooccurring_entities": {
        "title": "Entities that appear together with an entity",
        "description": "Entities named in the same articles as the given one (found by its name or an "
                       "alias exactly; when none matches exactly, names containing it), by number of "
                       "shared articles.",
        "params": ["entity"],
        # Counted over mention_counts (one row per article and entity), names
        # joined afterwards. Sorting the target articles' rows by entity is
        # most of the time; from `mentions` it was 256,000 rows instead of
        # 158,000 (the most quoted person at 100,000 articles), and no
        # rewrite over `mentions` beat that (SQLite 3.40): DISTINCT pairs,
        # window functions, chunks, scanning idx_mentions_entity in entity order.
        "sql": f"""WITH {_TARGET},
target_articles AS (SELECT DISTINCT article_id FROM mentions WHERE entity_id IN (SELECT id FROM target)),
counts AS (
    SELECT c.entity_id, count(*) AS shared_articles, sum(c.mentions) AS mentions
    FROM mention_counts c
    WHERE c.article_id IN (SELECT article_id FROM target_articles)
    GROUP BY c.entity_id
)
SELECT c.entity_id, e.name, e.type, c.shared_articles, c.mentions
FROM counts c JOIN entities e ON e.id = c.entity_id
WHERE c.entity_id NOT IN (SELECT id FROM target)
ORDER BY c.shared_articles DESC, c.mentions DESC, e.name
LIMIT 1000""",
    },
    "outlet_on_entity": {
        "title": "What an outlet said about an entity",
        "description": "From the articles of an outlet (name contains; empty: every outlet) that name the "
                       "entity: quotes by the entity or naming it, and every sentence naming it.",
        "params": ["source", "entity"],
        # The passages are cut from the body only for the rows shown (Datasette
        # shows at most 1,000), and only around each mention (substr in SQL),
        # so a frequent entity in a large corpus stays fast.
        "sql": f"""WITH {_TARGET},
chosen AS (
    SELECT id, title, source, published FROM articles
    WHERE (:source = '' OR source LIKE '%' || :source || '%')
      AND id IN (SELECT article_id FROM mentions WHERE entity_id IN (SELECT id FROM target))
),
hits AS (
    SELECT 'quote' AS kind, q.article_id, q.start, q."end", q.speaker, q.text AS passage
    FROM quotes q
    WHERE q.article_id IN (SELECT id FROM chosen)
      AND (q.entity_id IN (SELECT id FROM target)
           OR EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = q.article_id
                      AND m.entity_id IN (SELECT id FROM target) AND m.start >= q.start AND m."end" <= q."end"))
    UNION ALL
    SELECT 'sentence', m.article_id, m.start, m."end", NULL, NULL
    FROM mentions m
    WHERE m.article_id IN (SELECT id FROM chosen) AND m.entity_id IN (SELECT id FROM target)
),
page AS (
    SELECT h.*, a.source, a.published, a.title FROM hits h JOIN chosen a ON a.id = h.article_id
    ORDER BY a.published, h.article_id, h.kind, h.start
    LIMIT 1000
)
SELECT kind, source AS outlet, published, article_id, title AS article, speaker,
       coalesce(passage, corpus_sentence(
           (SELECT substr(body, max(start - 299, 1), "end" - max(start - 300, 0) + 300)
            FROM articles WHERE id = page.article_id),
           min(start, 300), min(start, 300) + "end" - start)) AS passage
FROM page
ORDER BY published, article_id, kind, start""",
    },
    "timeline": {
        "title": "Timeline: articles and quotes per week and outlet",
        "description": "Weeks start on Monday. Articles without a publication date are left out.",
        "params": [],
        "sql": """SELECT date(a.published, '-6 days', 'weekday 1') AS week,
       coalesce(a.source, '(unknown outlet)') AS outlet,
       count(*) AS articles,
       sum((SELECT count(*) FROM quotes q WHERE q.article_id = a.id)) AS quotes
FROM articles a
WHERE date(a.published) IS NOT NULL
GROUP BY week, outlet
ORDER BY week, outlet""",
    },
    "search_articles": {
        "title": "Search articles",
        "description": "Full-text search of titles and bodies, best matches first (bm25, titles weigh "
                       "more), with highlighted snippets. Exact word forms: for Russian and Ukrainian "
                       "word forms use “Search articles, all word forms”.",
        "params": ["q"],
        "sql": """SELECT articles_fts.rowid AS article_id, a.title, a.source AS outlet, a.published, a.language,
       snippet(articles_fts, 1, char(57344), char(57345), '…', 24) AS snippet,
       round(bm25(articles_fts, 5.0, 1.0), 3) AS score
FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
WHERE articles_fts MATCH corpus_fts_query(:q)
ORDER BY bm25(articles_fts, 5.0, 1.0)
LIMIT 200""",
    },
    "search_quotes": {
        "title": "Search quotes",
        "description": "Full-text search of quotes and their speakers, best matches first (bm25), highlighted.",
        "params": ["q"],
        "sql": """SELECT quotes_fts.rowid AS quote_id,
       highlight(quotes_fts, 1, char(57344), char(57345)) AS speaker,
       highlight(quotes_fts, 0, char(57344), char(57345)) AS quote,
       a.source AS outlet, a.published, q.article_id, a.title AS article, q.entity_id,
       round(bm25(quotes_fts), 3) AS score
FROM quotes_fts JOIN quotes q ON q.id = quotes_fts.rowid JOIN articles a ON a.id = q.article_id
WHERE quotes_fts MATCH corpus_fts_query(:q)
ORDER BY bm25(quotes_fts)
LIMIT 200""",
    },
    "search_articles_stemmed": {
        "title": "Search articles, all word forms",
        "description": "Like Search articles, but Russian and Ukrainian (and English, French) words "
                       "also match their other forms: выборы finds выборов, вибори finds виборів.",
        "params": ["q"],
        "needs": "articles_stem_fts",
        # Ranked and cut to 200 first, so snippets are made for those rows only.
        "sql": """SELECT r.article_id, a.title, a.source AS outlet, a.published, a.language,
       corpus_stem_snippet(a.body, :q, a.language) AS snippet, round(r.rank, 3) AS score
FROM (SELECT rowid AS article_id, bm25(articles_stem_fts, 5.0, 1.0) AS rank
      FROM articles_stem_fts WHERE articles_stem_fts MATCH corpus_stem_query(:q)
      ORDER BY rank LIMIT 200) r
JOIN articles a ON a.id = r.article_id
ORDER BY r.rank, r.article_id""",
    },
    "search_quotes_stemmed": {
        "title": "Search quotes, all word forms",
        "description": "Like Search quotes, but words also match their other forms.",
        "params": ["q"],
        "needs": "quotes_stem_fts",
        "sql": """SELECT f.rowid AS quote_id, q.speaker,
       corpus_stem_snippet(q.text, :q, a.language) AS quote,
       a.source AS outlet, a.published, q.article_id, a.title AS article, q.entity_id,
       round(bm25(quotes_stem_fts), 3) AS score
FROM quotes_stem_fts f JOIN quotes q ON q.id = f.rowid JOIN articles a ON a.id = q.article_id
WHERE quotes_stem_fts MATCH corpus_stem_query(:q)
ORDER BY bm25(quotes_stem_fts)
LIMIT 200""",
    },
}

# Columns of stored query results that link to the plugin's pages.
QUERY_LINK_COLUMNS = {"article_id": "article", "entity_id": "entity"}


# --- SQL functions -----------------------------------------------------------------

SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


def sentence_around(body: str | None, start: int | None, end: int | None) -> str | None:
    """The sentence of `body` holding [start, end), with that span marked."""
    if body is None or start is None or end is None:
        return None
    lo = max((m.end() for m in SENTENCE_END.finditer(body, 0, start)), default=0)
    after = SENTENCE_END.search(body, end)
    hi = after.start() if after else len(body)
    return (body[lo:start] + stemming.MARK_OPEN + body[start:end] + stemming.MARK_CLOSE + body[end:hi]).strip()


@hookimpl
def prepare_connection(conn):
    register_functions(conn)
    stemming.register_functions(conn)
    conn.create_function("corpus_sentence", 3, sentence_around, deterministic=True)


# --- configuration at startup -------------------------------------------------------


async def is_corpus(db) -> bool:
    """Whether a Datasette database has the corpus schema."""
    return CORPUS_TABLES <= set(await db.table_names())


async def corpus_databases(datasette) -> list[str]:
    names = []
    for name, db in datasette.databases.items():
        if name.startswith("_"):
            continue
        if await is_corpus(db):
            names.append(name)
    return names


@hookimpl
def prepare_jinja2_environment(env, datasette):
    # This module is not a package, so Datasette does not find its templates
    # folder by itself; the templates are added after every other source, so
    # they never shadow Datasette's or the user's templates.
    env.loader = ChoiceLoader([env.loader, FileSystemLoader(str(TEMPLATES))])


@hookimpl
def startup(datasette):
    async def inner():
        names = await corpus_databases(datasette)
        _CORPORA[datasette] = set(names)
        for name in names:
            db = datasette.databases[name]
            tables = set(await db.table_names()) | set(await db.view_names())
            columns = {t: set(await db.table_columns(t)) for t in TABLE_CONFIG if t in tables}
            merge_table_config(datasette, name, columns)
            await add_metadata(datasette, name, tables)
            await add_queries(datasette, name, tables)

    return inner


def merge_table_config(datasette, database: str, columns: dict[str, set[str]]) -> None:
    """Put TABLE_CONFIG under the user's configuration (theirs wins, key by key).

    `columns` maps each table present to its columns: settings naming a column
    the database lacks (published_month before migration 0002) are dropped.
    """
    if datasette.config is None:
        datasette.config = {}
    db_config = datasette.config.setdefault("databases", {}).setdefault(database, {})
    table_configs = db_config.setdefault("tables", {})
    for table, settings in TABLE_CONFIG.items():
        if table not in columns:
            continue
        current = table_configs.setdefault(table, {})
        for key, value in settings.items():
            if key in ("facets", "sortable_columns"):
                value = [c for c in value if c in columns[table]]
            current.setdefault(key, value)


async def add_metadata(datasette, database: str, tables: set[str]) -> None:
    """Write descriptions into Datasette's metadata where the user gave none."""
    current = await datasette.get_database_metadata(database)
    for key, value in DATABASE_METADATA.items():
        if not current.get(key):
            await datasette.set_database_metadata(database, key, value)
    for table, info in TABLES.items():
        if table not in tables:
            continue
        current = await datasette.get_resource_metadata(database, table)
        for key in ("title", "description"):
            if not current.get(key):
                await datasette.set_resource_metadata(database, table, key, info[key])
        for column, description in info["columns"].items():
            existing = await datasette.get_column_metadata(database, table, column)
            if not existing.get("description"):
                await datasette.set_column_metadata(database, table, column, "description", description)


async def add_queries(datasette, database: str, tables: set[str]) -> None:
    """Register the stored queries (replacing older versions of the plugin's own)."""
    for name, query in QUERIES.items():
        if query.get("needs") and query["needs"] not in tables:
            continue
        existing = await datasette.get_query(database, name)
        if existing is not None and existing.source != "plugin":
            continue  # the user's own query of that name wins
        await datasette.add_query(
            database, name, query["sql"], title=query["title"], description=query["description"],
            parameters=query["params"], source="plugin", is_trusted=False, replace=True,
        )


# --- cell rendering -------------------------------------------------------------------


def page_url(datasette, kind: str, database: str, item_id) -> str:
    """URL of the plugin's article or entity page."""
    return datasette.urls.path(f"/-/{kind}/{tilde_encode(database)}/{int(item_id)}")


def link(href: str, text) -> markupsafe.Markup:
    return markupsafe.Markup('<a href="{}">{}</a>').format(href, text)


@hookimpl
def render_cell(row, value, column, table, database, datasette, request):
    # Highlight marks from snippet(), highlight() or corpus_stem_snippet():
    # escape everything, then turn only the marks into <mark>.
    if isinstance(value, str) and (stemming.MARK_OPEN in value or stemming.MARK_CLOSE in value):
        return markupsafe.Markup(stemming.marks_to_html(value))
    if table is None and column in QUERY_LINK_COLUMNS and isinstance(value, int):
        # Stored query results: ids lead to the reading pages. Only for corpus
        # databases, where those pages exist.
        if database in _CORPORA.get(datasette, ()):
            return link(page_url(datasette, QUERY_LINK_COLUMNS[column], database, value), value)
        return None
    if table == "articles" and column == "title" and value and "id" in row.keys():
        return link(page_url(datasette, "article", database, row["id"]), value)
    if table == "entities" and column == "name" and value and "id" in row.keys():
        return link(page_url(datasette, "entity", database, row["id"]), value)
    return None


# The corpus databases of each Datasette instance, found at startup, for
# render_cell (which cannot await a look at the schema).
_CORPORA: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


# --- table filter: ?_stem= -------------------------------------------------------------

STEM_FILTERS = {
    "articles": ("id", "articles_stem_fts"),
    "quotes": ("id", "quotes_stem_fts"),
}


@hookimpl
def filters_from_request(request, database, table, datasette):
    """`?_stem=выборы` on articles or quotes: rows matching any form of the words."""
    words = request.args.get("_stem")
    if not words or table not in STEM_FILTERS:
        return None
    pk, fts = STEM_FILTERS[table]
    return FilterArguments(
        [f"[{pk}] IN (SELECT rowid FROM [{fts}] WHERE [{fts}] MATCH corpus_stem_query(:corpus_stem))"],
        {"corpus_stem": words},
        [f'any form of "{words}"'],
        {"search": words},
    )


# --- slots on Datasette's own pages --------------------------------------------------------


@hookimpl
def top_homepage(datasette, request):
    async def inner():
        names = await corpus_databases(datasette)
        if not names:
            return None
        return await datasette.render_template(
            "corpus_top_homepage.html", {"corpora": _corpus_links(datasette, names)}, request=request
        )

    return inner


@hookimpl
def top_database(datasette, request, database):
    async def inner():
        if not await is_corpus(datasette.databases[database]):
            return None
        queries = []
        for name, query in QUERIES.items():
            if await datasette.get_query(database, name) is not None:
                queries.append({"title": query["title"], "description": query["description"],
                                "url": datasette.urls.query(database, name)})
        return await datasette.render_template(
            "corpus_top_homepage.html",
            {"corpora": _corpus_links(datasette, [database]), "queries": queries},
            request=request,
        )

    return inner


def _corpus_links(datasette, names: list[str]) -> list[dict]:
    return [
        {
            "name": name,
            "search": datasette.urls.path(f"/-/corpus-search/{tilde_encode(name)}"),
            "overview": datasette.urls.path(f"/-/corpus/{tilde_encode(name)}"),
        }
        for name in names
    ]


@hookimpl
def top_table(datasette, request, database, table):
    if table not in STEM_FILTERS:
        return None

    async def inner():
        db = datasette.databases[database]
        if STEM_FILTERS[table][1] not in await db.table_names():
            return None
        return await datasette.render_template(
            "corpus_top_table.html",
            {"stem": request.args.get("_stem") or "", "table": table},
            request=request,
        )

    return inner


@hookimpl
def top_row(datasette, request, database, table, row):
    if table not in ("articles", "entities"):
        return None
    kind = "article" if table == "articles" else "entity"

    async def inner():
        if not await is_corpus(datasette.databases[database]):
            return None
        return await datasette.render_template(
            "corpus_top_row.html",
            {"kind": kind, "url": page_url(datasette, kind, database, row["id"])},
            request=request,
        )

    return inner


@hookimpl
def menu_links(datasette, actor, request):
    async def inner():
        links = []
        for name in await corpus_databases(datasette):
            links.append({"href": datasette.urls.path(f"/-/corpus-search/{tilde_encode(name)}"),
                          "label": f"Search {name}"})
            links.append({"href": datasette.urls.path(f"/-/corpus/{tilde_encode(name)}"),
                          "label": f"Overview of {name}"})
        return links

    return inner


# --- the plugin's pages ------------------------------------------------------------------------


@hookimpl
def register_routes():
    return [
        (r"^/-/article/(?P<database>[^/]+)/(?P<id>\d+)$", article_page),
        (r"^/-/entity/(?P<database>[^/]+)/(?P<id>\d+)$", entity_page),
        (r"^/-/corpus-search/(?P<database>[^/]+)$", search_page),
        (r"^/-/corpus/(?P<database>[^/]+)$", overview_page),
    ]


async def _corpus_db(datasette, request):
    """The corpus database named in the URL, after the user's permission checks."""
    name = tilde_decode(request.url_vars["database"])
    if name not in datasette.databases or not await is_corpus(datasette.databases[name]):
        raise NotFound("No corpus database of that name")
    for table in ("articles", "quotes", "entities", "mentions"):
        await datasette.ensure_permission(
            action="view-table", resource=TableResource(database=name, table=table), actor=request.actor
        )
    return name, datasette.databases[name]


async def _rows(db, sql: str, params=None) -> list[dict]:
    result = await db.execute(sql, params or {})
    return [dict(row) for row in result.rows]


async def article_page(datasette, request):
    """An article to read: quotes and entity mentions highlighted and linked."""
    name, db = await _corpus_db(datasette, request)
    article_id = int(request.url_vars["id"])
    found = await _rows(db, "SELECT * FROM articles WHERE id = :id", {"id": article_id})
    if not found:
        raise NotFound("No article with that id")
    article = found[0]
    quotes = await _rows(
        db,
        'SELECT q.id, q.text, q.speaker, q.entity_id, q.kind, q.start, q."end", e.name AS entity '
        "FROM quotes q LEFT JOIN entities e ON e.id = q.entity_id WHERE q.article_id = :id ORDER BY q.start",
        {"id": article_id},
    )
    mentions = await _rows(
        db,
        'SELECT m.start, m."end", m.entity_id, e.name, e.type FROM mentions m '
        "JOIN entities e ON e.id = m.entity_id WHERE m.article_id = :id ORDER BY m.start",
        {"id": article_id},
    )
    entities = await _rows(
        db,
        "SELECT m.entity_id, e.name, e.type, count(*) AS mentions FROM mentions m "
        "JOIN entities e ON e.id = m.entity_id WHERE m.article_id = :id "
        "GROUP BY m.entity_id ORDER BY e.type, count(*) DESC, e.name",
        {"id": article_id},
    )
    boilerplate = await _rows(
        db, "SELECT position, reason, text FROM boilerplate WHERE article_id = :id ORDER BY position",
        {"id": article_id},
    )
    for item in quotes:
        item["entity_url"] = page_url(datasette, "entity", name, item["entity_id"]) if item["entity_id"] else None
    for item in entities:
        item["url"] = page_url(datasette, "entity", name, item["entity_id"])
    body_html = highlight_body(article["body"] or "", quotes, mentions, lambda i: page_url(datasette, "entity", name, i))
    return Response.html(
        await datasette.render_template(
            "corpus_article.html",
            {
                "database": name,
                "article": article,
                "body_html": body_html,
                "quotes": quotes,
                "entities": entities,
                "boilerplate": boilerplate,
                "row_url": datasette.urls.row(name, "articles", str(article_id)),
                "database_url": datasette.urls.database(name),
                "search_url": datasette.urls.path(f"/-/corpus-search/{tilde_encode(name)}"),
            },
            request=request,
        )
    )


def highlight_body(body: str, quotes: list[dict], mentions: list[dict], entity_url) -> markupsafe.Markup:
    """The body as HTML: quotes in <mark>, mentions linked to their entities.

    Offsets may nest or overlap, so the body is cut at every span boundary and
    each piece is escaped on its own and wrapped in the spans that cover it.
    """
    spans = [(q["start"], q["end"]) for q in quotes] + [(m["start"], m["end"]) for m in mentions]
    cuts = sorted({0, len(body)} | {max(0, min(len(body), x)) for span in spans for x in span})
    pieces = []
    for lo, hi in zip(cuts, cuts[1:]):
        text = markupsafe.escape(body[lo:hi])
        mention = next((m for m in mentions if m["start"] <= lo and hi <= m["end"]), None)
        if mention is not None:
            text = markupsafe.Markup('<a class="mention type-{}" href="{}" title="{}">{}</a>').format(
                mention["type"].lower(), entity_url(mention["entity_id"]), f'{mention["name"]} ({mention["type"]})', text
            )
        quote = next((q for q in quotes if q["start"] <= lo and hi <= q["end"]), None)
        if quote is not None:
            speaker = quote["speaker"] or "unknown speaker"
            text = markupsafe.Markup('<mark class="quote kind-{}" data-quote="{}" title="{}">{}</mark>').format(
                quote["kind"], quote["id"], f"{speaker} ({quote['kind']})", text
            )
            if hi == quote["end"] and quote["speaker"]:
                text += _speaker_tag(quote, entity_url)
        pieces.append(text)
    return markupsafe.Markup("").join(pieces)


def _speaker_tag(quote: dict, entity_url) -> markupsafe.Markup:
    """A small tag after a quote naming its speaker, linked where known."""
    speaker = quote["speaker"] or "?"
    if quote["entity_id"]:
        return markupsafe.Markup('<sup class="speaker"><a href="{}">— {}</a></sup>').format(
            entity_url(quote["entity_id"]), speaker
        )
    return markupsafe.Markup('<sup class="speaker">— {}</sup>').format(speaker)


async def entity_page(datasette, request):
    """An entity: its names, the articles that mention it, its quotes, its company."""
    name, db = await _corpus_db(datasette, request)
    entity_id = int(request.url_vars["id"])
    found = await _rows(db, "SELECT * FROM entities WHERE id = :id", {"id": entity_id})
    if not found:
        raise NotFound("No entity with that id")
    params = {"id": entity_id}
    aliases = [r["alias"] for r in await _rows(db, "SELECT alias FROM entity_aliases WHERE entity_id = :id ORDER BY alias", params)]
    articles = await _rows(
        db,
        "SELECT a.id, a.title, a.source, a.published, a.language, count(*) AS mentions FROM mentions m "
        "JOIN articles a ON a.id = m.article_id WHERE m.entity_id = :id GROUP BY a.id ORDER BY a.published, a.id",
        params,
    )
    quotes = await _rows(
        db,
        "SELECT q.text, q.speaker, q.article_id, a.title, a.source, a.published FROM quotes q "
        "JOIN articles a ON a.id = q.article_id WHERE q.entity_id = :id ORDER BY a.published, q.article_id, q.start",
        params,
    )
    company = await _rows(
        db,
        "SELECT e.id, e.name, e.type, count(DISTINCT m.article_id) AS shared FROM mentions m "
        "JOIN entities e ON e.id = m.entity_id WHERE m.entity_id != :id AND m.article_id IN "
        "(SELECT article_id FROM mentions WHERE entity_id = :id) GROUP BY e.id ORDER BY shared DESC, e.name LIMIT 30",
        params,
    )
    for item in articles:
        item["url"] = page_url(datasette, "article", name, item["id"])
    for item in quotes:
        item["url"] = page_url(datasette, "article", name, item["article_id"])
    for item in company:
        item["url"] = page_url(datasette, "entity", name, item["id"])
    return Response.html(
        await datasette.render_template(
            "corpus_entity.html",
            {
                "database": name,
                "entity": found[0],
                "aliases": aliases,
                "articles": articles,
                "quotes": quotes,
                "company": company,
                "row_url": datasette.urls.row(name, "entities", str(entity_id)),
                "database_url": datasette.urls.database(name),
                "search_url": datasette.urls.path(f"/-/corpus-search/{tilde_encode(name)}"),
            },
            request=request,
        )
    )


async def search_page(datasette, request):
    """One search box over quotes (text and speaker) and articles, all word forms."""
    name, db = await _corpus_db(datasette, request)
    q = (request.args.get("q") or "").strip()
    tables = set(await db.table_names())
    quotes, articles, speakers = [], [], []
    if q:
        stemmed = "quotes_stem_fts" in tables and "articles_stem_fts" in tables
        # The exact-form index answers when the word-form one has nothing
        # (e.g. a database whose stemmed index was never filled).
        quotes = await _search_quotes(db, q, stemmed) or await _search_quotes(db, q, False)
        articles = await _search_articles(db, q, stemmed) or await _search_articles(db, q, False)
        speakers = _speakers(quotes)
    for item in quotes:
        item["quote_html"] = markupsafe.Markup(stemming.marks_to_html(item["quote"] or ""))
        item["speaker_html"] = markupsafe.Markup(stemming.marks_to_html(item["speaker"] or ""))
        item["url"] = page_url(datasette, "article", name, item["article_id"])
        item["entity_url"] = page_url(datasette, "entity", name, item["entity_id"]) if item["entity_id"] else None
    for item in articles:
        item["snippet_html"] = markupsafe.Markup(stemming.marks_to_html(item["snippet"] or ""))
        item["url"] = page_url(datasette, "article", name, item["article_id"])
    for item in speakers:
        item["url"] = datasette.urls.query(name, "quotes_by_speaker") + "?" + _qs(speaker=item["speaker"])
    return Response.html(
        await datasette.render_template(
            "corpus_search.html",
            {
                "database": name,
                "q": q,
                "quotes": quotes,
                "articles": articles,
                "speakers": speakers,
                "database_url": datasette.urls.database(name),
                "table_search_url": datasette.urls.table(name, "articles") + "?" + _qs(_search=q),
            },
            request=request,
        )
    )


def _qs(**params) -> str:
    from urllib.parse import urlencode

    return urlencode(params)


async def _search_quotes(db, q: str, stemmed: bool) -> list[dict]:
    if stemmed:
        sql = (
            "SELECT q.id, q.speaker AS plain_speaker, corpus_stem_snippet(q.speaker, :q, a.language) AS speaker, "
            "corpus_stem_snippet(q.text, :q, a.language) AS quote, q.article_id, q.entity_id, a.title, "
            "a.source, a.published FROM quotes_stem_fts f JOIN quotes q ON q.id = f.rowid "
            "JOIN articles a ON a.id = q.article_id WHERE quotes_stem_fts MATCH corpus_stem_query(:q) "
            "ORDER BY bm25(quotes_stem_fts) LIMIT 100"
        )
    else:
        sql = (
            "SELECT q.id, q.speaker AS plain_speaker, highlight(quotes_fts, 1, char(57344), char(57345)) AS speaker, "
            "highlight(quotes_fts, 0, char(57344), char(57345)) AS quote, q.article_id, q.entity_id, a.title, "
            "a.source, a.published FROM quotes_fts JOIN quotes q ON q.id = quotes_fts.rowid "
            "JOIN articles a ON a.id = q.article_id WHERE quotes_fts MATCH corpus_fts_query(:q) "
            "ORDER BY bm25(quotes_fts) LIMIT 100"
        )
    return await _rows(db, sql, {"q": q})


async def _search_articles(db, q: str, stemmed: bool) -> list[dict]:
    if stemmed:
        sql = (
            "SELECT f.rowid AS article_id, a.title, a.source, a.published, a.language, "
            "corpus_stem_snippet(a.body, :q, a.language) AS snippet FROM articles_stem_fts f "
            "JOIN articles a ON a.id = f.rowid WHERE articles_stem_fts MATCH corpus_stem_query(:q) "
            "ORDER BY bm25(articles_stem_fts, 5.0, 1.0) LIMIT 100"
        )
    else:
        sql = (
            "SELECT articles_fts.rowid AS article_id, a.title, a.source, a.published, a.language, "
            "snippet(articles_fts, 1, char(57344), char(57345), '…', 24) AS snippet FROM articles_fts "
            "JOIN articles a ON a.id = articles_fts.rowid WHERE articles_fts MATCH corpus_fts_query(:q) "
            "ORDER BY bm25(articles_fts, 5.0, 1.0) LIMIT 100"
        )
    return await _rows(db, sql, {"q": q})


def _speakers(quotes: list[dict]) -> list[dict]:
    """Speakers whose name matched, with their number of quotes (for a 'who said' link)."""
    counts: dict[str, int] = {}
    for item in quotes:
        if item["plain_speaker"] and stemming.MARK_OPEN in (item["speaker"] or ""):
            counts[item["plain_speaker"]] = counts.get(item["plain_speaker"], 0) + 1
    return [{"speaker": s, "quotes": n} for s, n in sorted(counts.items(), key=lambda kv: -kv[1])]


# --- overview: timeline and map ---------------------------------------------------------------

PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]


async def overview_page(datasette, request):
    """The corpus at a glance: a timeline per week and outlet, and a map of places."""
    name, db = await _corpus_db(datasette, request)
    weeks = await _rows(db, QUERIES["timeline"]["sql"])
    places = await _rows(
        db,
        "SELECT e.id, e.name, e.latitude, e.longitude, count(DISTINCT m.article_id) AS articles "
        "FROM entities e JOIN mentions m ON m.entity_id = e.id "
        "WHERE e.latitude IS NOT NULL AND e.longitude IS NOT NULL GROUP BY e.id ORDER BY articles DESC",
    )
    counts = (await _rows(
        db,
        "SELECT (SELECT count(*) FROM articles) AS articles, (SELECT count(*) FROM quotes) AS quotes, "
        "(SELECT count(*) FROM entities) AS entities, (SELECT count(*) FROM articles WHERE date(published) IS NULL) AS undated",
    ))[0]
    for place in places:
        place["url"] = page_url(datasette, "entity", name, place["id"])
    entities_url = datasette.urls.table(name, "entities") + "?" + _qs(**{"latitude__notblank": 1})
    return Response.html(
        await datasette.render_template(
            "corpus_overview.html",
            {
                "database": name,
                "counts": counts,
                "articles_chart": timeline_chart(weeks, "articles"),
                "quotes_chart": timeline_chart(weeks, "quotes"),
                "map": place_map(places),
                "places": places,
                "entities_map_url": entities_url,
                "timeline_url": datasette.urls.query(name, "timeline"),
                "database_url": datasette.urls.database(name),
                "search_url": datasette.urls.path(f"/-/corpus-search/{tilde_encode(name)}"),
            },
            request=request,
        )
    )


def timeline_chart(rows: list[dict], value: str, width: int = 760, height: int = 220) -> dict:
    """Geometry of a stacked bar chart of `value` per week, one colour per outlet.

    Every week from the first to the last gets a slot, so gaps show as gaps.
    """
    weeks = _all_weeks(sorted({r["week"] for r in rows}))
    outlets = sorted({r["outlet"] for r in rows})
    colours = {o: PALETTE[i % len(PALETTE)] for i, o in enumerate(outlets)}
    totals = {w: sum(r[value] or 0 for r in rows if r["week"] == w) for w in weeks}
    top = max(totals.values(), default=0) or 1
    left, bottom, plot_h = 40, 30, height - 50
    step = min((width - left - 10) / max(len(weeks), 1), 60)
    bars = []
    for i, week in enumerate(weeks):
        y = height - bottom
        for row in (r for r in rows if r["week"] == week):
            h = (row[value] or 0) / top * plot_h
            y -= h
            bars.append({"x": round(left + i * step + 2, 1), "y": round(y, 1), "w": round(max(step - 4, 1), 1),
                         "h": round(h, 1), "colour": colours[row["outlet"]],
                         "label": f"week of {week} · {row['outlet']}: {row[value]} {value}"})
    labels = [{"x": round(left + i * step + step / 2, 1), "text": w} for i, w in enumerate(weeks)]
    if len(labels) > 8:  # keep the axis readable
        labels = labels[:: math.ceil(len(labels) / 8)]
    return {"width": width, "height": height, "bars": bars, "labels": labels, "top": top,
            "baseline": height - bottom, "left": left, "plot_top": height - bottom - plot_h,
            "legend": [{"outlet": o, "colour": c} for o, c in colours.items()], "empty": not rows}


def _all_weeks(weeks: list[str]) -> list[str]:
    """Every Monday from the first week to the last (ISO dates)."""
    import datetime

    if not weeks:
        return []
    first, last = (datetime.date.fromisoformat(w) for w in (weeks[0], weeks[-1]))
    count = min((last - first).days // 7 + 1, 520)  # ten years of weeks at most
    return [(first + datetime.timedelta(weeks=i)).isoformat() for i in range(count)]


def place_map(places: list[dict], width: int = 760, height: int = 420) -> dict:
    """Geometry of a map of places: equirectangular, framed on the places.

    Country outlines come from a file shipped with the package
    (static/countries-110m.json), so the map needs no tiles and no network.
    """
    if not places:
        return {"empty": True, "width": width, "height": height}
    lats = [p["latitude"] for p in places]
    lons = [p["longitude"] for p in places]
    pad_lat = max(4, (max(lats) - min(lats)) * 0.15)
    pad_lon = max(6, (max(lons) - min(lons)) * 0.1)
    south, north = max(min(lats) - pad_lat, -85), min(max(lats) + pad_lat, 85)
    west, east = max(min(lons) - pad_lon, -180), min(max(lons) + pad_lon, 180)
    # Equal distances on both axes at the map's middle latitude, so shapes are not stretched.
    scale_lon = math.cos(math.radians((south + north) / 2))
    span = max((east - west) * scale_lon / width, (north - south) / height)
    mid_lon, mid_lat = (west + east) / 2, (south + north) / 2

    def x(lon):
        return round(width / 2 + (lon - mid_lon) * scale_lon / span, 1)

    def y(lat):
        return round(height / 2 - (lat - mid_lat) / span, 1)

    most = max(p["articles"] for p in places)
    points = [
        {"x": x(p["longitude"]), "y": y(p["latitude"]), "r": round(4 + 10 * math.sqrt(p["articles"] / most), 1),
         "name": p["name"], "url": p["url"], "articles": p["articles"]}
        for p in places
    ]
    _place_labels(points, width)
    view = (mid_lon - width / 2 * span / scale_lon, mid_lat - height / 2 * span,
            mid_lon + width / 2 * span / scale_lon, mid_lat + height / 2 * span)
    lon_step = _grid_step(view[2] - view[0])
    lat_step = _grid_step(view[3] - view[1])
    meridians = [{"x": x(v), "label": f"{v}°"} for v in range(-180, 181, lon_step) if view[0] <= v <= view[2]]
    parallels = [{"y": y(v), "label": f"{v}°"} for v in range(-90, 91, lat_step) if view[1] <= v <= view[3]]
    return {"empty": False, "width": width, "height": height, "points": points,
            "meridians": meridians, "parallels": parallels, "countries": _country_paths(view, x, y)}


@functools.lru_cache(maxsize=1)
def _countries() -> list[dict]:
    path = Path(__file__).parent / "static" / "countries-110m.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))["countries"]
    except (OSError, ValueError, KeyError):
        return []  # a map without outlines is still a map


def _country_paths(view, x, y) -> list[dict]:
    """SVG path data of the country outlines that reach into the view."""
    west, south, east, north = view
    paths = []
    for country in _countries():
        parts = []
        for ring in country["rings"]:
            lons = [p[0] for p in ring]
            lats = [p[1] for p in ring]
            if max(lons) < west or min(lons) > east or max(lats) < south or min(lats) > north:
                continue
            parts.append(_ring_path(ring, x, y))
        if parts:
            paths.append({"name": country["name"], "d": "".join(parts)})
    return paths


def _ring_path(ring, x, y) -> str:
    """SVG path data of one ring; a jump across the antimeridian starts a new subpath
    (else Russia's far east would draw a line across the whole map)."""
    out, previous = [], None
    for lon, lat in ring:
        command = "M" if previous is None or abs(lon - previous) > 180 else "L"
        out.append(f"{command}{x(lon)},{y(lat)}")
        previous = lon
    return "".join(out) + "Z"


def _place_labels(points: list[dict], width: int) -> None:
    """Label the points, most-mentioned first, skipping labels that would overlap.

    A label goes right of its point, or left of it near the right edge.
    """
    taken = []
    for p in points:  # already ordered by number of articles
        text_width = 7 * len(p["name"])
        right = p["x"] + p["r"] + 2 + text_width <= width
        p["anchor"] = "start" if right else "end"
        p["label_x"] = p["x"] + p["r"] + 2 if right else p["x"] - p["r"] - 2
        left_edge = p["label_x"] if right else p["label_x"] - text_width
        box = (left_edge, p["y"] - 8, left_edge + text_width, p["y"] + 4)
        clear = all(box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3] for b in taken)
        p["label"] = clear
        if clear:
            taken.append(box)


def _grid_step(degrees: float) -> int:
    for step in (1, 2, 5, 10, 15, 30):
        if degrees / step <= 8:
            return step
    return 45
