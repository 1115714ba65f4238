"""Crash safety: kill ingests with SIGKILL at random moments, check nothing is lost.

    python benchmarks/crash.py [--n 2000] [--runs 30] [--seed 1] [--data ../shared/data]

Builds N real articles (as benchmarks/ingest.py does), ingests them once
cleanly, then RUNS times: starts the same ingest into a fresh database, kills
it with SIGKILL at a random moment, checks `PRAGMA integrity_check` and the
FTS5 integrity-check, re-runs the same command to the end and compares every
contract row with the clean run. Prints how many runs survived.
"""
from __future__ import annotations

import argparse
import random
import signal
import sqlite3
import subprocess
import sys
import time

from common import ROOT, WORK, shared_data
from ingest import build_inputs

sys.path.insert(0, str(ROOT / "tests"))
from conftest import dump  # noqa: E402  (the same row comparison the tests use)


def integrity_problems(db) -> list[str]:
    problems = []
    conn = sqlite3.connect(db)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            problems.append(f"integrity_check: {result}")
        for fts in ("articles_fts", "quotes_fts", "articles_stem_fts", "quotes_stem_fts"):
            try:
                conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('integrity-check')")
            except sqlite3.DatabaseError as error:
                problems.append(f"{fts}: {error}")
    finally:
        conn.close()
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data")
    args = parser.parse_args()
    data = shared_data(args.data)
    work = WORK / f"crash-{args.n}"
    inputs = work / "in"
    if not inputs.exists():
        build_inputs(data, args.n, inputs)
    command = [sys.executable, "-m", "corpus_db", "ingest", str(inputs), "--db"]
    clean = work / "clean.db"
    for leftover in work.glob("*.db*"):
        leftover.unlink()
    started = time.perf_counter()
    subprocess.run(command + [str(clean)], cwd=ROOT, check=True, capture_output=True)
    full = time.perf_counter() - started
    expected = dump(clean)
    print(f"clean ingest of {args.n} articles: {full:.1f}s; killing {args.runs} runs at random moments")
    rng = random.Random(args.seed)
    survived = 0
    for run in range(1, args.runs + 1):
        db = work / f"run{run}.db"
        moment = rng.uniform(0, full)
        process = subprocess.Popen(command + [str(db)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(moment)
        process.send_signal(signal.SIGKILL)
        process.wait()
        problems = integrity_problems(db) if db.exists() else []
        finish = subprocess.run(command + [str(db)], cwd=ROOT, capture_output=True, text=True)
        if finish.returncode != 0:
            problems.append(f"re-run failed: {finish.stderr.strip()[-300:]}")
        problems += integrity_problems(db)
        if not problems and dump(db) != expected:
            problems.append("rows differ from the clean run")
        survived += not problems
        print(f"run {run:2d}: killed at {moment:5.1f}s: {'ok' if not problems else '; '.join(problems)}")
        for path in work.glob(f"run{run}.db*"):
            path.unlink()
    print(f"survived: {survived} of {args.runs}")


if __name__ == "__main__":
    main()
