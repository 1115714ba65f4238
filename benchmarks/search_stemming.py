"""Does the stemmed shadow index find the other forms of Russian and Ukrainian words?

    .venv/bin/python benchmarks/search_stemming.py [--data DIR] [--queries N]

For each corpus (factrueval: Russian news; bruk_press: Ukrainian press, in
../shared/data/corpora), it indexes the documents twice in FTS5: as written
(unicode61, what articles_fts does) and stemmed (corpus_db.stemming, what
articles_stem_fts does). Queries are the dictionary forms (lemmas) of N
frequent nouns, adjectives and verbs of the corpus, as a researcher would
type them. A document is relevant when it contains any form of the word,
where the forms come from the pymorphy3 dictionary's paradigm of the lemma
(for Ukrainian this is the same dictionary the stemmer uses, which flatters
it; Russian is stemmed with Snowball, so the Russian figures are independent).

Prints, per corpus and method, mean recall and precision over the queries,
and the time to stem the corpus. Methods: exact words; the lemma as a prefix
query (`выбор*`, the usual workaround); the stemmed index.

Figures of 2026-11-23 (100 queries per corpus):

    corpus            method            recall  precision
    factrueval (ru)   exact words       0.327   1.000
                      lemma as prefix   0.455   0.959
                      stemmed index     0.917   0.950
    bruk_press (uk)   exact words       0.318   1.000
                      lemma as prefix   0.465   0.949
                      stemmed index     1.000   0.936   (same dictionary as the gold: optimistic)

Stemming runs at 30,000-115,000 words/s on one core (Snowball for Russian
is the fast end, pymorphy3 for Ukrainian the slow one, both cached per word).
"""
from __future__ import annotations

import argparse
import collections
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus_db import stemming  # noqa: E402

CORPORA = {"factrueval": "ru", "bruk_press": "uk"}
CONTENT = {"NOUN", "ADJF", "VERB", "INFN"}


def load(folder: Path) -> list[str]:
    return [p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.glob("*.txt"))]


def queries(docs: list[str], morph, count: int) -> list[tuple[str, set[str]]]:
    """(lemma, every form of it) for the `count` most frequent content lemmas."""
    lemmas = collections.Counter()
    for doc in docs:
        for word in stemming.WORD.findall(doc.lower()):
            if len(word) < 5 or not word.isalpha():
                continue
            parse = morph.parse(word)[0]
            if parse.tag.POS in CONTENT:
                lemmas[parse.normal_form] += 1
    chosen = []
    for lemma, _ in lemmas.most_common(count * 3):
        parse = morph.parse(lemma)[0]
        forms = {f.word.replace("ё", "е") for f in parse.lexeme}
        if len(forms) > 1:
            chosen.append((lemma, forms))
        if len(chosen) == count:
            break
    return chosen


def build(docs: list[str], language: str) -> tuple[sqlite3.Connection, float]:
    conn = sqlite3.connect(":memory:")
    stemming.register_functions(conn)
    conn.execute("CREATE VIRTUAL TABLE plain USING FTS5 (body)")
    conn.execute("CREATE VIRTUAL TABLE stem USING FTS5 (body)")
    conn.executemany("INSERT INTO plain (rowid, body) VALUES (?, ?)", enumerate(docs, 1))
    started = time.perf_counter()
    conn.executemany(
        "INSERT INTO stem (rowid, body) VALUES (?, ?)",
        [(i, stemming.stem_text(doc, language)) for i, doc in enumerate(docs, 1)],
    )
    return conn, time.perf_counter() - started


def relevant(docs: list[str], forms: set[str]) -> set[int]:
    found = set()
    for i, doc in enumerate(docs, 1):
        words = {w.replace("ё", "е") for w in stemming.WORD.findall(doc.lower())}
        if words & forms:
            found.add(i)
    return found


def search(conn, table: str, match: str) -> set[int]:
    return {row[0] for row in conn.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ?", (match,))}


def score(got: set[int], want: set[int]) -> tuple[float, float]:
    hit = len(got & want)
    return hit / len(want) if want else 1.0, hit / len(got) if got else 1.0


def run(data: Path, count: int) -> None:
    import pymorphy3

    for name, language in CORPORA.items():
        folder = data / "corpora" / name
        if not folder.is_dir():
            print(f"{name}: not found in {data}, skipped")
            continue
        docs = load(folder)
        morph = pymorphy3.MorphAnalyzer(lang=language)
        conn, seconds = build(docs, language)
        words = sum(len(stemming.WORD.findall(d)) for d in docs)
        print(f"\n{name} ({language}): {len(docs)} documents, {words} words, stemmed in {seconds:.1f} s "
              f"({words / seconds:,.0f} words/s)")
        methods = {
            "exact words (articles_fts)": lambda q: search(conn, "plain", stemming.fts_escape(q)),
            "lemma as prefix (q*)": lambda q: search(conn, "plain", stemming.fts_escape(q) + " *"),
            "stemmed index (articles_stem_fts)": lambda q: search(conn, "stem", stemming.stem_query(q)),
        }
        totals = {m: [0.0, 0.0] for m in methods}
        chosen = queries(docs, morph, count)
        for lemma, forms in chosen:
            want = relevant(docs, forms)
            for method, find in methods.items():
                r, p = score(find(lemma), want)
                totals[method][0] += r
                totals[method][1] += p
        print(f"{len(chosen)} queries (lemmas of frequent words); mean over queries:")
        for method, (r, p) in totals.items():
            print(f"  {method:36} recall {r / len(chosen):.3f}  precision {p / len(chosen):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--queries", type=int, default=100)
    args = parser.parse_args()
    run(args.data, args.queries)


if __name__ == "__main__":
    main()
