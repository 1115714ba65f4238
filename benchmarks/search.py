"""Search latency through the Datasette JSON API, on a large corpus database.

    python benchmarks/search.py [DB] [--repeat 20]

DB defaults to the database benchmarks/ingest.py 100000 builds
(benchmarks/work/ingest-100000/corpus.db). Measures p50 and p95 of:
full-text searches on the articles table (common word, rare word, phrase,
prefix, Russian word, each through `?_search=` in raw FTS5 mode) and of every
stored query of the plugin with typical parameters. Requests go through
`Datasette(...).client` (in-process, no network), so the figures are
Datasette's and SQLite's time, not a browser's. Not part of the test suite.
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import sqlite3
import time
from pathlib import Path
from urllib.parse import urlencode

from common import WORK, machine

SEARCHES = {
    "common word": "government",
    "rare word": "Nadezhdin",
    "phrase": '"prime minister"',
    "prefix": "mobili*",
    "Russian word": "выборы",
}


def stored_query_params(db_path: Path) -> dict[str, dict]:
    """Typical parameters for the plugin's stored queries, from the data itself."""
    conn = sqlite3.connect(db_path)
    person = conn.execute(
        "SELECT e.name FROM entities e JOIN quotes q ON q.entity_id = e.id WHERE e.type = 'PERSON' "
        "GROUP BY e.id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    place = conn.execute(
        "SELECT e.name FROM entities e JOIN mentions m ON m.entity_id = e.id WHERE e.type = 'PLACE' "
        "GROUP BY e.id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    source = conn.execute(
        "SELECT source FROM articles WHERE source IS NOT NULL GROUP BY source ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    person, place, source = (person or ["Putin"])[0], (place or ["Moscow"])[0], (source or [""])[0]
    return {
        "quotes_by_speaker": {"speaker": person},
        "articles_mentioning": {"entity": place},
        "cooccurring_entities": {"entity": person},
        "outlet_on_entity": {"source": source, "entity": person},
        "timeline": {},
        "search_articles": {"q": "government"},
        "search_quotes": {"q": "war"},
        "search_articles_stemmed": {"q": "выборы"},
        "search_quotes_stemmed": {"q": "выборы"},
    }


async def timed(client, path: str, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = await client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}: {response.text[:300]}")
    return times


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(round(0.95 * len(values))) - 1)]


async def run(db_path: Path, repeat: int) -> None:
    from datasette.app import Datasette

    datasette = Datasette([str(db_path)])
    await datasette.invoke_startup()
    name = db_path.stem
    client = datasette.client
    await client.get(f"/{name}.json")  # warm up: plugin metadata, connections
    print("| request | p50 ms | p95 ms |\n| --- | ---: | ---: |")
    for label, query in SEARCHES.items():
        path = f"/{name}/articles.json?" + urlencode({"_search": query, "_searchmode": "raw", "_size": 20})
        times = await timed(client, path, repeat)
        print(f"| search: {label} (`{query}`) | {statistics.median(times):.1f} | {p95(times):.1f} |")
    for query, params in stored_query_params(db_path).items():
        path = f"/{name}/{query}.json?" + urlencode({**params, "_size": 50})
        times = await timed(client, path, repeat)
        print(f"| stored query: {query} | {statistics.median(times):.1f} | {p95(times):.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("db", nargs="?", default=str(WORK / "ingest-100000" / "corpus.db"))
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    db_path = Path(args.db)
    if not db_path.exists():
        raise SystemExit(f"{db_path} not found: build it with `python benchmarks/ingest.py 100000` first")
    articles = sqlite3.connect(db_path).execute("SELECT count(*) FROM articles").fetchone()[0]
    print(f"{articles} articles in {db_path}; machine: {machine()}")
    asyncio.run(run(db_path, args.repeat))


if __name__ == "__main__":
    main()
