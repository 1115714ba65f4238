"""The Datasette workbench: metadata, facets, search, stored queries, pages, escaping.

Runs against a small synthetic corpus written through SQL that matches the
schema (so it does not depend on the pipeline stages), through the same
client Datasette's own tests use.
"""
from __future__ import annotations

import asyncio
import sqlite3

import pytest
from datasette.app import Datasette

from corpus_db import stemming, store
from corpus_db.datasette_plugin import QUERIES, highlight_body, sentence_around

XSS = "<script>alert(1)</script>"
XSS_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"

NADEZHDIN_BODY = (
    "A Russian presidential candidate backed the soldiers' wives.\n\n"
    "In a post on Telegram, Boris Nadezhdin wrote: “The war must end so the men can come home.”\n\n"
    "The women met in Moscow."
)
RU_BODY = "Жёны мобилизованных говорили о выборах. До выборов осталось три месяца."
UK_BODY = "Дружини мобілізованих вимагають демобілізації до виборів у Києві."
XSS_BODY = f"Before {XSS} after. Vladimir Putin spoke in Moscow."


def _span(body: str, text: str) -> tuple[int, int]:
    start = body.index(text)
    return start, start + len(text)


def build_fixture(path: str) -> None:
    """A five-article corpus with quotes, entities, mentions and boilerplate."""
    db = store.open_db(path)
    store.migrate(db)
    conn = db.conn
    stemming.register_functions(conn)
    articles = [
        (1, "Nadezhdin backs soldiers' wives", "The Moscow Times", "2023-11-20", "en", NADEZHDIN_BODY),
        (2, "Выборы и жёны", "Meduza", "2023-11-27", "ru", RU_BODY),
        (3, "Дружини та вибори", "UNIAN", "2023-12-04", "uk", UK_BODY),
        (4, f"Headline {XSS}", "Evil Outlet", "2023-12-04", "en", XSS_BODY),
        (5, None, None, None, "en", "An undated note with no title."),
    ]
    for id_, title, source, published, language, body in articles:
        conn.execute(
            "INSERT INTO articles (id, path, sha256, title, source, published, language, body, word_count) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (id_, f"in/{id_}.txt", f"sha{id_}", title, source, published, language, body, len(body.split())),
        )
    entities = [
        (1, "Boris Nadezhdin", "PERSON", None, None),
        (2, "Moscow", "PLACE", 55.75, 37.62),
        (3, "Vladimir Putin", "PERSON", None, None),
        (4, "Kyiv", "PLACE", 50.45, 30.52),
        (5, "Telegram", "ORG", None, None),
    ]
    conn.executemany("INSERT INTO entities (id, name, type, latitude, longitude) VALUES (?, ?, ?, ?, ?)", entities)
    conn.execute("INSERT INTO entity_aliases (entity_id, alias) VALUES (1, 'Nadezhdin'), (3, 'Putin')")
    mentions = [
        (1, 1, "Boris Nadezhdin", NADEZHDIN_BODY),
        (1, 2, "Moscow", NADEZHDIN_BODY),
        (1, 5, "Telegram", NADEZHDIN_BODY),
        (3, 4, "Києві", UK_BODY),
        (4, 3, "Vladimir Putin", XSS_BODY),
        (4, 2, "Moscow", XSS_BODY),
    ]
    for article_id, entity_id, text, body in mentions:
        start, end = _span(body, text)
        conn.execute(
            'INSERT INTO mentions (article_id, entity_id, start, "end", text) VALUES (?, ?, ?, ?, ?)',
            (article_id, entity_id, start, end, text),
        )
    quotes = [
        (1, "The war must end so the men can come home.", "Boris Nadezhdin", 1, NADEZHDIN_BODY),
        (2, "говорили о выборах", None, None, RU_BODY),
        (4, XSS, f"Speaker {XSS}", None, XSS_BODY),
    ]
    for article_id, text, speaker, entity_id, body in quotes:
        start, end = _span(body, text)
        conn.execute(
            'INSERT INTO quotes (article_id, text, speaker, entity_id, kind, start, "end") '
            "VALUES (?, ?, ?, ?, 'direct', ?, ?)",
            (article_id, text, speaker, entity_id, start, end),
        )
    conn.executemany(
        "INSERT INTO boilerplate (article_id, position, text, reason) VALUES (?, ?, ?, ?)",
        [(1, 0, "Support independent journalism: donate now", "donation_appeal"),
         (4, 0, f"Read more {XSS}", "related_link")],
    )
    # What the store does after writing each article, then its backfill (a no-op here).
    for article_id, *_ in articles:
        for statement in stemming.INDEX_ARTICLE_SQL:
            conn.execute(statement, {"article_id": article_id})
    for statement in stemming.SYNC_SQL:
        conn.execute(statement)
    conn.commit()
    conn.close()


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("ds") / "research.db")  # any file name works
    build_fixture(path)
    return path


@pytest.fixture(scope="module")
def ds(db_path):
    datasette = Datasette([db_path])
    asyncio.run(datasette.invoke_startup())
    return datasette


def get(ds, path):
    return asyncio.run(ds.client.get(path))


def get_json(ds, path):
    response = get(ds, path)
    assert response.status_code == 200, (path, response.text[:500])
    return response.json()


def get_html(ds, path):
    response = get(ds, path)
    assert response.status_code == 200, (path, response.text[:500])
    return response.text


# --- descriptions -----------------------------------------------------------------


def visible_tables(ds) -> list[str]:
    """The tables and views Datasette lists on the database page."""
    data = get_json(ds, "/research.json")
    views = [v if isinstance(v, str) else v["name"] for v in data["views"]]
    return [t["name"] for t in data["tables"] if not t["hidden"]] + views


def test_database_has_title_description_licence_and_source(ds):
    metadata = asyncio.run(ds.get_database_metadata("research"))
    for key in ("title", "description", "license", "source"):
        assert metadata.get(key), key


def test_every_table_and_column_users_see_is_described(ds):
    tables = visible_tables(ds)

    async def check():
        db = ds.databases["research"]
        assert {"articles", "quotes", "entities", "entity_pairs"} <= set(tables)
        assert not [t for t in tables if "_fts" in t or t.startswith("_")]
        for table in tables:
            metadata = await ds.get_resource_metadata("research", table)
            assert metadata.get("title") and metadata.get("description"), table
            for column in await db.table_columns(table):
                column_metadata = await ds.get_column_metadata("research", table, column)
                assert column_metadata.get("description"), (table, column)

    asyncio.run(check())


def test_descriptions_show_on_table_pages(ds):
    html = get_html(ds, "/research/quotes")
    assert "Quotations found in article bodies" in html
    assert "The words quoted, without the quote marks" in html


def test_migrations_table_is_hidden(ds):
    tables = {t["name"]: t for t in get_json(ds, "/research.json")["tables"]}
    assert tables["_sqlite_migrations"]["hidden"] is True


# --- table settings ---------------------------------------------------------------------


def test_default_facets(ds):
    cases = {
        "articles": {"source", "language", "published_month"},
        "quotes": {"kind", "speaker"},
        "entities": {"type"},
        "boilerplate": {"reason"},
    }
    for table, facets in cases.items():
        data = get_json(ds, f"/research/{table}.json?_extra=facet_results")
        assert facets <= set(data["facet_results"]["results"]), table
    months = get_json(ds, "/research/articles.json?_extra=facet_results")["facet_results"]["results"]
    assert {"2023-11", "2023-12"} <= {v["value"] for v in months["published_month"]["results"]}


def test_label_columns_show_names(ds):
    html = get_html(ds, "/research/quotes")
    assert "Nadezhdin backs soldiers" in html  # articles.title for article_id
    assert "Boris Nadezhdin" in get_html(ds, "/research/mentions")  # entities.name for entity_id


def test_sortable_columns(ds):
    rows = get_json(ds, "/research/articles.json?_sort_desc=published&_shape=array")
    assert rows[0]["published"] == "2023-12-04"


# --- search ---------------------------------------------------------------------------------


def test_search_box_on_articles_and_quotes(ds):
    rows = get_json(ds, "/research/articles.json?_search=Nadezhdin&_shape=array")
    assert [r["id"] for r in rows] == [1]
    rows = get_json(ds, "/research/quotes.json?_search=Nadezhdin&_shape=array")
    assert [r["article_id"] for r in rows] == [1]
    assert 'name="_search"' in get_html(ds, "/research/articles")


def test_word_form_filter_on_tables(ds):
    rows = get_json(ds, "/research/articles.json?_stem=выборы&_shape=array")
    assert [r["id"] for r in rows] == [2]
    rows = get_json(ds, "/research/articles.json?_stem=вибори&_shape=array")
    assert [r["id"] for r in rows] == [3]
    # The plain search finds only the exact form.
    assert get_json(ds, "/research/articles.json?_search=выборами&_shape=array") == []
    assert [r["id"] for r in get_json(ds, "/research/articles.json?_stem=выборами&_shape=array")] == [2]


QUERY_PARAMS = {
    "quotes_by_speaker": ({"speaker": "Nadezhdin"}, lambda rows: rows and all(r["entity_id"] == 1 for r in rows)),
    "articles_mentioning": ({"entity": "Putin"}, lambda rows: [r["article_id"] for r in rows] == [4]),
    "cooccurring_entities": ({"entity": "Nadezhdin"}, lambda rows: {r["name"] for r in rows} == {"Moscow", "Telegram"}),
    "outlet_on_entity": ({"source": "Moscow Times", "entity": "Nadezhdin"},
                         lambda rows: {r["kind"] for r in rows} == {"quote", "sentence"}
                         and all("Nadezhdin" in r["passage"] for r in rows if r["kind"] == "sentence")),
    "timeline": ({}, lambda rows: {(r["week"], r["outlet"]) for r in rows} >= {("2023-11-20", "The Moscow Times")}),
    "search_articles": ({"q": "Nadezhdin"}, lambda rows: [r["article_id"] for r in rows] == [1]),
    "search_quotes": ({"q": "war"}, lambda rows: [r["quote_id"] for r in rows] == [1]),
    "search_articles_stemmed": ({"q": "выборы"}, lambda rows: [r["article_id"] for r in rows] == [2]),
    "search_quotes_stemmed": ({"q": "выборы"}, lambda rows: [r["quote_id"] for r in rows] == [2]),
}


def test_every_stored_query_is_tested():
    assert set(QUERY_PARAMS) == set(QUERIES)


@pytest.mark.parametrize("name", sorted(QUERY_PARAMS))
def test_stored_query(ds, name):
    params, check = QUERY_PARAMS[name]
    query = "&".join(f"{k}={v}" for k, v in params.items())
    rows = get_json(ds, f"/research/{name}.json?_shape=array&{query}")
    assert check(rows), rows
    # Empty parameters never fail either.
    get_json(ds, f"/research/{name}.json?_shape=array")
    get_html(ds, f"/research/{name}?{query}")


def test_stored_queries_listed_with_titles(ds):
    html = get_html(ds, "/research")
    for query in QUERIES.values():
        assert query["title"] in html


def test_search_snippets_are_highlighted(ds):
    html = get_html(ds, "/research/search_articles?q=Nadezhdin")
    assert "<mark>Nadezhdin</mark>" in html
    html = get_html(ds, "/research/search_articles_stemmed?q=выборы")
    assert "<mark>выборах</mark>" in html and "<mark>выборов</mark>" in html


def test_search_page_lands_on_quotes(ds):
    html = get_html(ds, "/-/corpus-search/research?q=Nadezhdin")
    assert "The war must end" in html
    assert "/-/article/research/1" in html
    assert "quotes_by_speaker?speaker=Boris+Nadezhdin" in html


# --- pages ---------------------------------------------------------------------------------------


def test_article_page(ds):
    html = get_html(ds, "/-/article/research/1")
    assert "Nadezhdin backs soldiers" in html and "The Moscow Times" in html and "2023-11-20" in html
    assert '<mark class="quote kind-direct" data-quote="1"' in html
    assert 'href="/-/entity/research/1"' in html  # speaker and mention link to the entity
    assert 'href="/-/entity/research/2"' in html
    assert "<details" in html and "donate now" in html


def test_article_titles_link_to_article_page(ds):
    assert 'href="/-/article/research/1"' in get_html(ds, "/research/articles")
    assert 'href="/-/article/research/1"' in get_html(ds, "/research/articles/1")


def test_entity_page_lists_articles(ds):
    html = get_html(ds, "/-/entity/research/2")
    assert "/-/article/research/1" in html and "/-/article/research/4" in html
    assert 'href="/-/entity/research/2"' in get_html(ds, "/research/entities")


def test_overview_has_timeline_and_map(ds):
    html = get_html(ds, "/-/corpus/research")
    assert 'id="timeline-articles"' in html and "<rect" in html
    assert 'id="places-map"' in html and "<circle" in html and "Moscow" in html


def test_homepage_has_search_box(ds):
    html = get_html(ds, "/")
    assert 'action="/-/corpus-search/research"' in html


def test_missing_article_is_404(ds):
    assert get(ds, "/-/article/research/999").status_code == 404
    assert get(ds, "/-/article/nosuchdb/1").status_code == 404


# --- escaping --------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [
    "/research/articles",
    "/research/articles/4",
    "/research/quotes",
    "/research/boilerplate",
    "/-/article/research/4",
    "/-/entity/research/3",
    "/-/corpus-search/research?q=script",
    "/-/corpus-search/research?q=alert",
    "/research/search_articles?q=alert",
    "/research/search_quotes?q=alert",
    "/research/search_articles_stemmed?q=alert",
    "/research/outlet_on_entity?entity=Putin&source=",
    "/research/quotes_by_speaker?speaker=Speaker",
    "/research/articles?_search=alert",
])
def test_article_text_is_never_markup(ds, path):
    html = get_html(ds, path)
    assert XSS not in html
    assert "alert(1)" in html  # it is there, as text
    assert "<script>alert" not in html.replace(" ", "")


def test_arbitrary_sql_with_marks_stays_escaped(ds):
    # Highlight marks are turned into <mark> only after escaping, whoever wrote the SQL.
    html = get_html(ds, "/research/-/query?sql=select+char(57344)+||+'<script>alert(1)</script>'+||+char(57345)+as+x")
    assert XSS not in html and "<mark>" + XSS_ESCAPED + "</mark>" in html


def test_highlight_body_escapes_every_piece():
    body = f"a {XSS} b"
    quotes = [{"id": 1, "start": 2, "end": 2 + len(XSS), "speaker": "<b>x</b>", "entity_id": None, "kind": "direct"}]
    html = str(highlight_body(body, quotes, [], lambda i: f"/e/{i}"))
    assert XSS not in html and XSS_ESCAPED in html and "&lt;b&gt;x&lt;/b&gt;" in html


# --- helpers ---------------------------------------------------------------------------------------------


def test_sentence_around_marks_the_mention():
    body = "First one. The women met in Moscow today. Last."
    start, end = _span(body, "Moscow")
    assert sentence_around(body, start, end) == "The women met in \ue000Moscow\ue001 today."


def test_other_databases_are_left_alone(tmp_path):
    other = str(tmp_path / "other.db")
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE articles (id INTEGER PRIMARY KEY, title TEXT)")
    conn.commit()
    conn.close()
    datasette = Datasette([other])
    asyncio.run(datasette.invoke_startup())
    assert get(datasette, "/other/search_articles").status_code == 404
    assert get(datasette, "/-/article/other/1").status_code == 404
    assert get(datasette, "/").status_code == 200


def test_user_metadata_wins(db_path):
    datasette = Datasette([db_path], metadata={"databases": {"research": {"title": "My corpus"}}})
    asyncio.run(datasette.invoke_startup())
    assert asyncio.run(datasette.get_database_metadata("research"))["title"] == "My corpus"


# --- stemming and serve ---------------------------------------------------------------------------------------


def test_stem_query_matches_other_forms():
    assert stemming.stem_text("выборов", "ru") in stemming.query_word_stems("выборы")
    assert set(stemming.word_stems("виборів", "uk")) & set(stemming.query_word_stems("вибори"))
    assert stemming.stem_query("") == stemming.fts_escape("")  # matches nothing, no syntax error
    assert '"' not in stemming.stem_query('a"b').replace('"a"', "").replace('"b"', "")


def test_serve_binds_to_localhost_by_default(db_path):
    from corpus_db.serve import datasette_args

    args = datasette_args(db_path)
    assert args[args.index("--host") + 1] == "127.0.0.1"
    assert args[args.index("--port") + 1] == "8001"
    with pytest.raises(FileNotFoundError):
        datasette_args(db_path + ".missing")


def test_search_page_falls_back_to_exact_forms(tmp_path):
    path = str(tmp_path / "unstemmed.db")
    build_fixture(path)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO quotes_stem_fts (quotes_stem_fts) VALUES ('delete-all')")
    conn.execute("INSERT INTO articles_stem_fts (articles_stem_fts) VALUES ('delete-all')")
    conn.commit()
    conn.close()
    datasette = Datasette([path])
    asyncio.run(datasette.invoke_startup())
    html = get_html(datasette, "/-/corpus-search/unstemmed?q=Nadezhdin")
    assert "The war must end" in html


def test_stem_index_follows_deletes_and_backfills(tmp_path):
    path = str(tmp_path / "sync.db")
    build_fixture(path)
    db = store.open_db(path)
    conn = db.conn
    stemming.register_functions(conn)
    count = "SELECT (SELECT count(*) FROM articles_stem_fts), (SELECT count(*) FROM quotes_stem_fts)"
    assert conn.execute(count).fetchone() == (5, 3)
    conn.execute("DELETE FROM articles WHERE id = 2")  # cascades to its quote
    assert conn.execute(count).fetchone() == (4, 2)
    conn.execute("UPDATE articles SET body = 'выборы снова' WHERE id = 1")  # re-indexed at once
    assert conn.execute(count).fetchone() == (4, 2)
    conn.execute("INSERT INTO articles_stem_fts (articles_stem_fts) VALUES ('delete-all')")
    for statement in stemming.SYNC_SQL:  # a missing index is filled again
        conn.execute(statement)
    assert conn.execute(count).fetchone() == (4, 2)
    conn.execute("INSERT INTO articles_stem_fts (articles_stem_fts) VALUES ('integrity-check')")
    hits = conn.execute(
        "SELECT rowid FROM articles_stem_fts WHERE articles_stem_fts MATCH corpus_stem_query('выборами')"
    ).fetchall()
    assert hits == [(1,)]


def test_an_entity_named_exactly_is_the_one_meant(db_path, tmp_path):
    """"Moscow" means the city, not every entity whose name contains it (at
    100,000 articles "U.S." is in the names of 560 entities); a partial name
    still finds what contains it."""
    import shutil
    import sqlite3

    path = tmp_path / "copy.db"
    shutil.copy(db_path, path)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO entities (id, name, type) VALUES (6, 'The Moscow Times', 'ORG')")
    start, end = _span(NADEZHDIN_BODY, "Moscow")
    conn.execute('INSERT INTO mentions (article_id, entity_id, start, "end", text) VALUES (1, 6, ?, ?, ?)',
                 (start, end, "Moscow"))
    sql = QUERIES["articles_mentioning"]["sql"]
    entities_of = {name: {row[5] for row in conn.execute(sql, {"entity": name})} for name in ("Moscow", "oscow")}
    assert entities_of == {"Moscow": {2}, "oscow": {2, 6}}
