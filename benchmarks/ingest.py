"""Ingest speed and scale on N real articles.

    python benchmarks/ingest.py N [--workers W] [--data ../shared/data]

Builds an input folder of N real articles from ../shared/data/corpora/
(English, French, Russian and Ukrainian sets interleaved; when N exceeds what
is there, articles are reused with a marker line that makes each copy a new
document), then measures in one run:

  (a) the floor: the same raw texts loaded with sqlite-utils into one table
      with an FTS index and nothing else;
  (b) a full `corpus ingest`;
  (c) the same command again with nothing changed;
  (d) the same command after adding 1% new files.

For each it prints seconds, articles/s, words/s, peak memory of the process
tree and database size, and the ratio (b)/(a). Not part of the test suite.
"""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from common import ROOT, WORK, machine, run_measured, shared_data, words_in

SETS = ["bbc", "gilets_jaunes_fr", "bsnlp2021_ru", "bruk_press", "reuters21578", "factrueval",
        "gilets_jaunes_en", "bsnlp2021_uk"]

FLOOR = """
import sys, pathlib, sqlite_utils
folder, db_path = pathlib.Path(sys.argv[1]), sys.argv[2]
db = sqlite_utils.Database(db_path)
rows = ({"path": str(p), "text": p.read_text(encoding="utf-8")} for p in sorted(folder.rglob("*.txt")))
db["raw"].insert_all(rows, pk="path", batch_size=1000)
db["raw"].enable_fts(["text"])
"""


def articles(data: Path):
    """Articles from the corpora, one set after another in turn (a language mix)."""
    lists = []
    for name in SETS:
        folder = data / "corpora" / name
        if folder.exists():
            lists.append(sorted(folder.glob("*.txt")))
    longest = max(len(files) for files in lists)
    for i in range(longest):
        for files in lists:
            if i < len(files):
                yield files[i]


def build_inputs(data: Path, n: int, folder: Path, start: int = 0) -> None:
    """Write articles start..n-1 into folder (cycling with a marker past the end)."""
    folder.mkdir(parents=True, exist_ok=True)
    pool = list(articles(data))
    for i in range(start, n):
        source = pool[i % len(pool)]
        text = source.read_text(encoding="utf-8")
        cycle = i // len(pool)
        if cycle:
            text += f"\n\n[benchmark copy {cycle}]\n"
        (folder / f"{i // 1000:03d}" ).mkdir(exist_ok=True)
        (folder / f"{i // 1000:03d}" / f"{i:06d}_{source.parent.name}_{source.name}").write_text(text, encoding="utf-8")


def report(label: str, result: dict, files: int, words: int, db: Path) -> str:
    seconds = result["seconds"]
    size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*")) if db.exists() else 0
    cpu = result["cpu_seconds"]
    return (
        f"| {label} | {seconds:.1f} | {cpu:.1f} | {files / seconds:.0f} | {words / seconds:.0f} | "
        f"{words / cpu if cpu else 0:.0f} | {result['peak_bytes'] / 1e6:.0f} MB | {size / 1e6:.1f} MB |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--data")
    args = parser.parse_args()
    data = shared_data(args.data)
    work = WORK / f"ingest-{args.n}"
    shutil.rmtree(work, ignore_errors=True)
    inputs = work / "in"
    base = args.n - max(1, args.n // 100)
    build_inputs(data, base, inputs)
    files, words, size = words_in(inputs)
    print(f"{files} articles, {words} words, {size / 1e6:.1f} MB of text; machine: {machine()}")
    corpus = [sys.executable, "-m", "corpus_db", "ingest", str(inputs), "--db", str(work / "corpus.db")]
    if args.workers:
        corpus += ["--workers", str(args.workers)]
    rows = ["| run | seconds | CPU seconds | articles/s | words/s | words per CPU-s | peak memory | database |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    floor = run_measured([sys.executable, "-c", FLOOR, str(inputs), str(work / "floor.db")])
    rows.append(report("(a) floor: sqlite-utils + FTS", floor, files, words, work / "floor.db"))
    full = run_measured(corpus, cwd=ROOT, stdout=sys.stderr)
    rows.append(report("(b) corpus ingest", full, files, words, work / "corpus.db"))
    full_size = (work / "corpus.db").stat().st_size
    again = run_measured(corpus, cwd=ROOT, stdout=sys.stderr)
    rows.append(report("(c) re-run, nothing changed", again, files, words, work / "corpus.db"))
    build_inputs(data, args.n, inputs, start=base)  # 1% new files
    new_files = args.n - base
    _, all_words, all_size = words_in(inputs)
    new_words = all_words - words
    added = run_measured(corpus, cwd=ROOT, stdout=sys.stderr)
    rows.append(report(f"(d) {new_files} new files (1%)", added, new_files, new_words, work / "corpus.db"))
    print("\n".join(rows))
    print(f"ratio (b)/(a): {full['seconds'] / floor['seconds']:.1f}x; "
          f"(c)/(b): {100 * again['seconds'] / full['seconds']:.1f}%; (d)/(b): {100 * added['seconds'] / full['seconds']:.1f}%; "
          f"database/raw text: {full_size / size:.2f}x after (b), "
          f"{(work / 'corpus.db').stat().st_size / all_size:.2f}x after (d)")


if __name__ == "__main__":
    main()
