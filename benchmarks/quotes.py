"""Benchmark the quotes stage on PolNeAR (shared/data/quotes/polnear_dev.jsonl).

Runs corpus_db.quotes.run over every article (body = the article text, so the
gold offsets apply), writes the predictions as JSON Lines in the format of
that folder's score.py, and prints its span, speaker and end-to-end scores
for direct quotes and for direct + mixed quotes, plus quotes per second.

A quote group (parts of one quotation split by its attribution or continued
over paragraphs) is written as one predicted quote with several `spans`,
which is how PolNeAR annotates such quotations.

Usage: .venv/bin/python benchmarks/quotes.py [--data DIR] [--split dev]
       [--limit N] [--entities] [--kinds direct] [--errors FILE]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus_db import quotes  # noqa: E402
from corpus_db.pipeline import Context, Document  # noqa: E402


def load(path: Path, split: str | None, limit: int | None) -> list[dict]:
    """The gold articles, optionally one split and the first N."""
    arts = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            art = json.loads(line)
            if split and art.get("split") != split:
                continue
            arts.append(art)
            if limit and len(arts) >= limit:
                break
    return arts


def predict(arts: list[dict], kinds: set[str], use_entities: bool) -> tuple[list[dict], int, float]:
    """Run the stage; return predictions, the number of quote rows and the seconds spent in it."""
    ctx = Context()
    entities_run = None
    if use_entities:
        from corpus_db import entities

        entities_run = entities.run
    preds, rows, spent = [], 0, 0.0
    warnings = 0
    for art in arts:
        doc = Document(path=art["id"], body=art["text"], language="en")
        if entities_run:
            entities_run(doc, ctx)
        t0 = time.perf_counter()
        quotes.run(doc, ctx)
        spent += time.perf_counter() - t0
        rows += len(doc.quotes)
        warnings += sum(1 for w in doc.warnings if w.startswith("quotes:"))
        groups: dict[int, list] = {}
        for q in doc.quotes:
            if q.kind in kinds:
                groups.setdefault(q.group if q.group is not None else -len(groups) - 1, []).append(q)
        out = []
        for parts in groups.values():
            spans = [[q.start, q.end] for q in parts]
            out.append({"start": spans[0][0], "end": spans[-1][1], "spans": spans,
                        "speaker": parts[0].speaker, "cue": parts[0].cue, "kind": parts[0].kind,
                        "text": " | ".join(q.text for q in parts)})
        preds.append({"id": art["id"], "quotes": out})
    if warnings:
        print(f"warning: the stage reported an error on {warnings} articles", file=sys.stderr)
    return preds, rows, spent


def score(score_py: Path, gold: Path, pred: Path, types: str, split: str | None) -> dict:
    """Run the shared score.py and parse its JSON line."""
    cmd = [sys.executable, str(score_py), str(gold), str(pred), "--types", types]
    if split:
        cmd += ["--split", split]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "quotes"),
                    help="folder holding polnear_dev.jsonl and score.py (default: ../shared/data/quotes)")
    ap.add_argument("--split", default=None, help="only this PolNeAR split (train or dev); default both")
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles")
    ap.add_argument("--entities", action="store_true", help="run corpus_db.entities first (speaker linking)")
    ap.add_argument("--kinds", default="direct", help="quote kinds to submit (default: direct)")
    ap.add_argument("--errors", default=None, help="write the predictions JSONL here for inspection")
    a = ap.parse_args()
    data = Path(a.data)
    gold, score_py = data / "polnear_dev.jsonl", data / "score.py"
    if not gold.exists() or not score_py.exists():
        print(f"quotes benchmark: no PolNeAR data at {data} (expected polnear_dev.jsonl and score.py); "
              "pass --data DIR", file=sys.stderr)
        return 2
    arts = load(gold, a.split, a.limit)
    preds, rows, spent = predict(arts, set(a.kinds.split(",")), a.entities)
    with tempfile.TemporaryDirectory() as tmp:
        gold_path = gold
        if a.limit:
            gold_path = Path(tmp) / "gold.jsonl"
            gold_path.write_text("".join(json.dumps(x) + "\n" for x in arts), encoding="utf-8")
        pred_path = Path(a.errors) if a.errors else Path(tmp) / "pred.jsonl"
        pred_path.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in preds), encoding="utf-8")
        for types in ("direct", "direct,mixed"):
            res = score(score_py, gold_path, pred_path, types, a.split)
            print(f"[{types}] articles={res['articles']} gold={res['gold_quotes']} pred={res['pred_quotes_scored']}")
            print(f"  span exact P/R/F1   {res['exact_P_R_F1']}")
            print(f"  span overlap P/R/F1 {res['overlap50_P_R_F1']}")
            print(f"  speaker acc {res['spk_acc']}  named-gold acc {res['spk_acc_named_gold']}  lenient {res['spk_acc_lenient']}")
            print(f"  end-to-end P/R/F1   {res['e2e_quote+speaker_P_R_F1']}")
    words = sum(len(x["text"].split()) for x in arts)
    print(f"speed: {rows} quote rows in {spent:.2f}s = {rows / max(spent, 1e-9):.0f} quotes/s, "
          f"{len(arts) / max(spent, 1e-9):.0f} articles/s, {words / max(spent, 1e-9) / 1000:.0f}k words/s (one core)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
