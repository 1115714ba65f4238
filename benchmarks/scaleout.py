"""Local engine versus a local Dask cluster on the same input; and what 10 million articles would take.

    python benchmarks/scaleout.py [--n 20000] [--workers 2] [--data ../shared/data]

Builds N real articles (as benchmarks/ingest.py does), ingests them with the
local engine (--workers W) and with a local Dask cluster of W workers,
prints both times, checks the two databases are equal row for row, and
estimates from the measured per-article cost the time for 10 million
articles on clusters of several sizes. Not part of the test suite.
"""
from __future__ import annotations

import argparse
import shutil
import sys

from common import ROOT, WORK, machine, run_measured, shared_data, words_in
from ingest import build_inputs

sys.path.insert(0, str(ROOT / "tests"))
from conftest import dump  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--data")
    args = parser.parse_args()
    data = shared_data(args.data)
    work = WORK / f"scaleout-{args.n}"
    shutil.rmtree(work, ignore_errors=True)
    build_inputs(data, args.n, work / "in")
    files, words, size = words_in(work / "in")
    print(f"{files} articles, {words} words; machine: {machine()}")
    base = [sys.executable, "-m", "corpus_db", "ingest", str(work / "in"), "--workers", str(args.workers)]
    local = run_measured(base + ["--db", str(work / "local.db")], cwd=ROOT, stdout=sys.stderr)
    dask = run_measured(base + ["--db", str(work / "dask.db"), "--engine", "dask"], cwd=ROOT, stdout=sys.stderr)
    equal = dump(work / "local.db") == dump(work / "dask.db")
    print("| engine | seconds | articles/s | words/s | peak memory |\n| --- | ---: | ---: | ---: | ---: |")
    for name, result in (("local", local), ("dask (LocalCluster)", dask)):
        s = result["seconds"]
        print(f"| {name}, {args.workers} workers | {s:.0f} | {files / s:.0f} | {words / s:.0f} | "
              f"{result['peak_bytes'] / 1e6:.0f} MB |")
    print(f"databases equal row for row: {equal}")
    per_article_cpu = dask["seconds"] * args.workers / files  # worker-seconds per article
    print("\nEstimate for 10,000,000 articles (same mix), from the measured "
          f"{per_article_cpu * 1000:.1f} worker-ms per article; the single-writer load is extra:")
    for n in (8, 32, 128):
        hours = 10_000_000 * per_article_cpu / n / 3600
        print(f"  {n:4d} single-core workers: {hours:6.1f} h of processing, "
              f"{hours * n:8.0f} core-hours (at $0.04 per core-hour: ${hours * n * 0.04:,.0f})")


if __name__ == "__main__":
    main()
