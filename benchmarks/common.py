"""Helpers shared by the benchmark scripts: finding shared data, timing, memory."""
from __future__ import annotations

import os
import platform
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "work"


def shared_data(option: str | None = None) -> Path:
    """The shared evaluation data folder, or exit with a clear message."""
    path = Path(option) if option else ROOT.parent / "shared" / "data"
    if not path.exists():
        sys.exit(f"benchmark data not found at {path}: it lives in ../shared/data (pass --data to point elsewhere)")
    return path


def machine() -> str:
    """One line describing the machine the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(open("/proc/meminfo", encoding="utf-8").readline().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores ({cpu}){memory}, Python {platform.python_version()}, {platform.system()}"


def _tree_memory(pid: int) -> int:
    """Memory in bytes (PSS, see _memory_of) of a process and all its descendants (Linux)."""
    return sum(_memory_of(process) for process in _tree(pid))


def _tree(pid: int) -> set[int]:
    """A process and its descendants, from each task's `children` file (cheap:
    a sampler that scanned all of /proc five times a second took a tenth of
    the two cores the ingest benchmark measures; see also sample_interval)."""
    found, todo = set(), [pid]
    while todo:
        process = todo.pop()
        found.add(process)
        try:
            tasks = os.listdir(f"/proc/{process}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{process}/task/{task}/children", encoding="utf-8") as handle:
                    todo.extend(int(child) for child in handle.read().split() if int(child) not in found)
            except (OSError, ValueError):
                continue
    return found


def _memory_of(pid: int) -> int:
    """Memory of one process in bytes: its proportional set size (PSS) where Linux
    reports it, else its resident set size.

    PSS counts a page shared by n processes as 1/n in each, so the sum over a
    process tree is the memory the tree takes from the machine. A sum of RSS
    would count the models that forked ingest workers share once per worker.
    """
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    try:
        with open(f"/proc/{pid}/statm", encoding="utf-8") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


def sample_interval(elapsed: float) -> float:
    """Seconds between memory samples, `elapsed` seconds into a run.

    Five times a second for the first ten seconds, so that a sub-second run is
    sampled at all; then once a second. Reading PSS makes the kernel walk every
    page of each process: five times a second over an ingest's three
    processes of ~1 GB it cost 15% of a core (6 CPU-minutes of a 40-minute
    run), taken from the two cores being measured. Memory grows over minutes,
    so a second between samples misses no peak that matters.
    """
    return 0.2 if elapsed < 10 else 1.0


def run_measured(command: list[str], **kwargs) -> dict:
    """Run a command; return its wall time, CPU time and the peak memory of its process tree.

    CPU time (of the command and every process it started and waited for)
    says what the work costs even when other programs share the machine.
    """
    import resource

    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, **kwargs)
    peak = 0
    stop = threading.Event()

    def sample():
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_memory(process.pid))
            stop.wait(sample_interval(time.perf_counter() - started))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    process.wait()
    stop.set()
    sampler.join()
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    return {"seconds": time.perf_counter() - started, "cpu_seconds": cpu, "peak_bytes": peak,
            "returncode": process.returncode}


def words_in(folder: Path) -> tuple[int, int, int]:
    """(files, words, bytes) of the .txt files under a folder."""
    files = words = size = 0
    for path in folder.rglob("*.txt"):
        data = path.read_bytes()
        files += 1
        size += len(data)
        words += len(data.split())
    return files, words, size
