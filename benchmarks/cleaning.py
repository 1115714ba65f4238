"""Benchmark the cleaner on the boilerplate sets in ../shared/data/boilerplate.

    .venv/bin/python benchmarks/cleaning.py [--data DIR] [--set msv|trafeval|all]
        [--no-stats] [--out DIR]

For every page: normalise, clean, read metadata, write the cleaned text to
OUT/<set>/<id>.txt (for msv: title, blank line, body, since its gold starts
with the headline), then run the set's own scorer (score_gold.py,
trafeval/score_segments.py) and print its scores and the milliseconds per
document spent in the per-document stages. Corpus-level line statistics are
built first over each set (timed apart); --no-stats cleans each page alone.
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

from corpus_db import clean, metadata, normalize  # noqa: E402
from corpus_db.pipeline import Context, Document  # noqa: E402


def load_set(data: Path, name: str) -> list[tuple[str, str]]:
    """(id, normalised text) of every page of one set, in file order."""
    folder = data / name
    if name == "msv":
        files = sorted(p for p in folder.glob("*.txt") if not p.name.endswith(".gold.txt"))
    else:
        files = sorted(folder.glob("*.txt"))
    return [(p.stem, normalize.normalize_text(p.read_text(encoding="utf8", errors="replace"))) for p in files]


def build_stats(pages: list[tuple[str, str]]) -> clean.LineStats:
    return clean.LineStats.build(text for _, text in pages)


def clean_page(text: str, ctx: Context) -> Document:
    """Run the cleaning and metadata stages over one normalised text."""
    doc = Document(path="page.txt", text=text)
    clean.run(doc, ctx)
    metadata.run(doc, ctx)
    return doc


def output_text(name: str, doc: Document) -> str:
    if name == "msv" and doc.title:
        return doc.title + "\n\n" + doc.body
    return doc.body


def clean_set(name: str, pages, stats, out: Path) -> tuple[float, float]:
    """Clean every page into out/<id>.txt; return (wall, CPU) ms per document.
    CPU time is the fairer figure on a machine shared with other work."""
    out.mkdir(parents=True, exist_ok=True)
    ctx = Context(line_stats=stats)
    wall = cpu = 0.0
    for pid, text in pages:
        t0, c0 = time.perf_counter(), time.process_time()
        doc = clean_page(text, ctx)
        wall += time.perf_counter() - t0
        cpu += time.process_time() - c0
        (out / f"{pid}.txt").write_text(output_text(name, doc), encoding="utf8")
    n = max(1, len(pages))
    return 1000 * wall / n, 1000 * cpu / n


def score(name: str, data: Path, pred: Path) -> str:
    """Output of the set's own scorer."""
    if name == "msv":
        cmd = [sys.executable, str(data / "score_gold.py"), str(pred), "--gold-dir", str(data / "msv"),
               "--n-bootstrap", "50"]
    else:
        cmd = [sys.executable, str(data / "trafeval" / "score_segments.py"), str(pred),
               "--data", str(data / "trafeval")]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "boilerplate")
    ap.add_argument("--set", choices=["msv", "trafeval", "all"], default="all")
    ap.add_argument("--no-stats", action="store_true", help="clean each page alone, without corpus statistics")
    ap.add_argument("--out", type=Path, help="where to write cleaned texts (default: a temporary folder)")
    args = ap.parse_args()
    if not (args.data / "msv").is_dir() or not (args.data / "trafeval").is_dir():
        sys.exit(f"benchmark data not found at {args.data} (expected msv/ and trafeval/); "
                 "pass --data DIR pointing at shared/data/boilerplate")
    names = ["msv", "trafeval"] if args.set == "all" else [args.set]
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        for name in names:
            pages = load_set(args.data, name)
            t0 = time.perf_counter()
            stats = None if args.no_stats else build_stats(pages)
            stats_ms = 1000 * (time.perf_counter() - t0) / max(1, len(pages))
            wall, cpu = clean_set(name, pages, stats, out / name)
            print(f"== {name}: {len(pages)} pages, cleaning+metadata {wall:.2f} ms/doc wall, {cpu:.2f} ms/doc CPU"
                  f" (+{stats_ms:.2f} ms/doc corpus statistics)")
            print(score(name, args.data, out / name), end="")


if __name__ == "__main__":
    main()
