#!/usr/bin/env python3
"""Benchmark the entities stage on public data in ../shared/data (or --data).

Prints:
  - CoNLL-2003 English dev: micro F1 on exact spans for PER, ORG, LOC, and per type
  - factRuEval-2016 Russian dev: the same
  - BSNLP 2021 dev: B-cubed F1 of mention clustering (in-document linking, then
    cross-document keys through the same `assign` rule as the store)
  - words per second of the stage (NER alone and the whole stage), one core,
    and with two worker processes

Usage: python benchmarks/entities.py [--data DIR] [--only conll,factru,bsnlp,speed]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter, defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from corpus_db import entities, linking, ner, registry  # noqa: E402
from corpus_db.pipeline import Context, Document  # noqa: E402

EVAL_TYPES = {"PERSON": "PER", "ORG": "ORG", "PLACE": "LOC"}
BSNLP_TYPES = {"PER": "PERSON", "ORG": "ORG", "LOC": "PLACE", "EVT": "MISC", "PRO": "MISC"}


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def predict(rows, lang, ctx):
    """Run the stage over benchmark documents; returns the Documents."""
    docs = []
    for r in rows:
        d = Document(path=r["id"])
        d.body, d.language = r["text"], lang
        docs.append(d)
    entities.run_many(docs, ctx)
    return docs


def span_f1(rows, docs, show_errors=0):
    """Micro F1 over exact (start, end, label) for PER, ORG, LOC, and per label."""
    tp, fp, fn = Counter(), Counter(), Counter()
    errors = []
    for r, d in zip(rows, docs):
        gold = {(e["start"], e["end"], e["label"]) for e in r["entities"] if e["label"] in ("PER", "ORG", "LOC")}
        pred = set()
        for m in d.mentions:
            label = EVAL_TYPES.get(d.entities[m.entity].type)
            if label:
                pred.add((m.start, m.end, label))
        for g in gold:
            (tp if g in pred else fn)[g[2]] += 1
        for p in pred - gold:
            fp[p[2]] += 1
        if show_errors:
            errors += [("FN", g[2], r["text"][g[0]:g[1]]) for g in gold - pred]
            errors += [("FP", p[2], r["text"][p[0]:p[1]]) for p in pred - gold]
    out = {}
    for label in ("PER", "ORG", "LOC"):
        out[label] = f1(tp[label], fp[label], fn[label])
    out["micro"] = f1(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return out, errors


def f1(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def show(name, scores):
    per = "  ".join(f"{k} {v:.3f}" for k, v in scores.items() if k != "micro")
    print(f"{name}: micro F1 {scores['micro']:.3f}  ({per})")


def bench_ner(path, lang, name, ctx, errors=0):
    if not os.path.exists(path):
        print(f"{name}: data not found at {path}")
        return
    rows = read_jsonl(path)
    docs = predict(rows, lang, ctx)
    scores, errs = span_f1(rows, docs, errors)
    show(name, scores)
    for e in errs[:errors]:
        print("   ", e)


def bsnlp_clusters(rows, gold_lemma=True):
    """Predicted corpus cluster id for every mention row (documents in sorted order)."""
    by_doc = defaultdict(list)
    for i, r in enumerate(rows):
        by_doc[r["doc"]].append(i)
    from corpus_db.gazetteer import gazetteer

    gaz = gazetteer()
    doc_entities, doc_index = [], []
    for doc in sorted(by_doc):
        idx = by_doc[doc]
        items = [
            linking.Item(rows[i]["mention"], BSNLP_TYPES.get(rows[i]["label"], "MISC"),
                         rows[i].get("lemma") if gold_lemma else None)
            for i in idx
        ]
        ents, of_item = linking.cluster_document(items, gaz)
        doc_entities.append(ents)
        doc_index.append((idx, of_item))
    ids = registry.link_documents(doc_entities)
    pred = [None] * len(rows)
    for (idx, of_item), eids in zip(doc_index, ids):
        for i, e in zip(idx, of_item):
            pred[i] = eids[e]
    return pred


def bcubed(gold, pred):
    """B-cubed precision, recall, F1 over items with gold and predicted cluster labels."""
    g_size, p_size, both = Counter(gold), Counter(pred), Counter(zip(gold, pred))
    n = len(gold)
    p = sum(both[(g, q)] / p_size[q] for g, q in zip(gold, pred)) / n
    r = sum(both[(g, q)] / g_size[g] for g, q in zip(gold, pred)) / n
    return p, r, 2 * p * r / (p + r)


def bench_bsnlp(path):
    if not os.path.exists(path):
        print(f"BSNLP: data not found at {path}")
        return
    rows = read_jsonl(path)
    gold = [r["entity_id"] for r in rows]
    exact = [r["mention"] for r in rows]
    p, r, f = bcubed(gold, exact)
    print(f"BSNLP dev: exact-string baseline B-cubed F1 {f:.3f}")
    for use_lemma in (True, False):
        t = time.time()
        pred = bsnlp_clusters(rows, use_lemma)
        p, r, f = bcubed(gold, pred)
        what = "with the data's lemmas" if use_lemma else "surface forms only"
        print(f"BSNLP dev ({what}): B-cubed P {p:.3f} R {r:.3f} F1 {f:.3f}  ({len(rows)} mentions, {time.time() - t:.1f}s)")


def speed_texts(data, limit_words=150_000):
    """English news for the speed test: the BBC set, else CoNLL dev texts."""
    folder = os.path.join(data, "corpora", "bbc")
    texts = []
    if os.path.isdir(folder):
        for name in sorted(os.listdir(folder)):
            if name.endswith(".txt"):
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    texts.append(f.read())
            if sum(len(t.split()) for t in texts) > limit_words:
                break
    else:
        path = os.path.join(data, "ner", "conll2003_en_dev.jsonl")
        texts = [r["text"] for r in read_jsonl(path)] if os.path.exists(path) else []
    return texts


def _stage_worker(texts):
    """Run the whole stage over texts; returns (wall seconds, CPU seconds)."""
    ctx = Context()
    entities.run_many([_doc(t) for t in texts[:2]], ctx)  # load models before the clock
    wall, cpu = time.perf_counter(), time.process_time()
    entities.run_many([_doc(t) for t in texts], ctx)
    return time.perf_counter() - wall, time.process_time() - cpu


def _doc(text):
    d = Document(path="x")
    d.body, d.language = text, "en"
    return d


def bench_speed(data):
    """Words per second, by the wall clock and per CPU second (the machine is shared:
    CPU time is what one free core would give)."""
    texts = speed_texts(data)
    if not texts:
        print("speed: no English texts found")
        return
    words = sum(len(t.split()) for t in texts)
    ctx = Context()
    ner.recognize(texts[:2], "en", ctx)
    wall, cpu = time.perf_counter(), time.process_time()
    ner.recognize(texts, "en", ctx)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"speed: spaCy NER alone, one process: {words / wall:,.0f} words/s wall, {words / cpu:,.0f} words per CPU-second ({words:,} words)")
    wall, cpu = _stage_worker(texts)
    print(f"speed: whole entities stage, one process: {words / wall:,.0f} words/s wall, {words / cpu:,.0f} words per CPU-second")
    from concurrent.futures import ProcessPoolExecutor

    half = len(texts) // 2
    with ProcessPoolExecutor(2) as pool:
        results = list(pool.map(_stage_worker, [texts[:half], texts[half:]]))
    slowest = max(w for w, _ in results)
    per_core = words / sum(c for _, c in results)
    print(f"speed: whole entities stage, two processes: {words / slowest:,.0f} words/s wall "
          f"(free cores would give about {2 * per_core:,.0f}); load average now {os.getloadavg()[0]:.1f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data"))
    ap.add_argument("--only", default="conll,factru,bsnlp,speed")
    ap.add_argument("--errors", type=int, default=0, help="print this many span errors")
    a = ap.parse_args()
    if not os.path.isdir(a.data):
        print(f"benchmark data not found at {os.path.abspath(a.data)}: pass --data DIR (shared/data)")
        return 1
    only = set(a.only.split(","))
    ctx = Context()
    if "conll" in only:
        bench_ner(os.path.join(a.data, "ner", "conll2003_en_dev.jsonl"), "en", "CoNLL-2003 dev", ctx, a.errors)
    if "factru" in only:
        bench_ner(os.path.join(a.data, "ner", "factru_ru_dev.jsonl"), "ru", "factRuEval-2016 dev", ctx, a.errors)
    if "bsnlp" in only:
        bench_bsnlp(os.path.join(a.data, "aliases", "bsnlp_dev.jsonl"))
    if "speed" in only:
        bench_speed(a.data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
