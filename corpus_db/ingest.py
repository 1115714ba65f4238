"""Run an ingest: find inputs, skip what is unchanged, process the rest, store.

This module orchestrates; the stages do the work (`pipeline`), the store does
the writing (`store`), and the CLI does the talking (`cli`). It runs the
per-document stages in worker processes when there is enough to do, and
writes from this process only, in input order, so that ids are stable.

An ingest runs in two passes over the files that changed:
1. survey: read, hash and normalise each file and collect the keys of its
   lines, so the cleaner knows which lines recur across the corpus;
2. process: run every stage and write the document in its own savepoint,
   committing in batches.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import shutil
import signal
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable

from . import clean, formats, normalize, pipeline, read, records, store
from .pipeline import Context
from .read import Problem, ReadError

COMMIT_EVERY = 50  # documents per transaction: fewer fsyncs, still small to redo
CHUNK_FILES = 5000  # files surveyed and cleaned against one set of line statistics
# A first load of at least this many files into an empty database builds the
# full-text indexes once at the end, which is faster than row by row.
BULK_FTS_FILES = 200
CHUNK = 8  # documents per worker task, so stages can batch (spaCy's nlp.pipe)
TASKS_PER_WORKER = 100  # forked workers are replaced after this many tasks (800 files): see benchmarks/RESULTS.md
TEMP_PREFIX = "corpus-ingest-"  # + pid: the folder of line statistics the workers read


@dataclass
class Summary:
    """What an ingest did, for the CLI to print and tests to check."""

    seen: int = 0  # files
    articles: int = 0  # articles written
    new: int = 0
    unchanged: int = 0
    updated: int = 0
    duplicates: int = 0
    failed: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False
    migrations: list[str] = field(default_factory=list)


class IngestLocked(Exception):
    """Another ingest is writing to the same database."""


@dataclass
class _Planned:
    """A file to look at: its signature now and what the database knew of it."""

    path: str
    size: int
    mtime: float
    previous: dict | None
    wanted: list[int] = field(default_factory=list)  # items to process
    duplicates: list[tuple[int, str]] = field(default_factory=list)  # (item, sha) already known
    problems: list[Problem] = field(default_factory=list)  # bad records of a multi-article file
    sha256: str = ""
    position: int = 0  # index in the sorted list of all input files
    increments: dict = field(default_factory=dict)  # item -> its contribution to line_counts
    force: bool = False  # --force: process again even what is unchanged
    replaces: dict = field(default_factory=dict)  # item -> stored article it re-processes in place


def ingest(
    paths: list[str],
    db_path: str,
    *,
    force: bool = False,
    workers: int | None = None,
    max_bytes: int = read.DEFAULT_MAX_BYTES,
    strict: bool = False,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> Summary:
    """Ingest files and folders into the database at `db_path`; return a Summary.

    With `strict`, the first failure stops the run (what was written before
    it stays written).
    """
    started = time.monotonic()
    summary = Summary()
    files = discover(paths, summary)
    if strict and summary.failed:
        summary.seconds = time.monotonic() - started
        return summary
    with opened(db_path, summary) as db:
        todo = _plan(db, files, force, summary)
        bulk = store.pause_fts(db, len(todo) >= BULK_FTS_FILES)
        _run(db, todo, summary, workers, max_bytes, strict, on_progress)
        if bulk and not summary.interrupted:
            store.resume_fts(db)
    summary.seconds = time.monotonic() - started
    return summary


def discover(paths: list[str], summary: Summary) -> list[str]:
    """The input files under `paths`; what cannot be ingested goes to summary.failed."""
    files, problems = read.discover(paths, formats.SUFFIXES)
    summary.failed.extend(problems)
    summary.seen = len(files) + len(problems)
    return files


@contextmanager
def opened(db_path: str, summary: Summary):
    """The database, locked against other ingests and migrated, for one run."""
    with _exclusive(db_path):
        db = store.open_db(db_path)
        try:
            summary.migrations = store.migrate(db)
            yield db
        finally:
            if db.conn.in_transaction:
                db.conn.commit()
            db.close()


def _plan(db, files: list[str], force: bool, summary: Summary) -> list[_Planned]:
    """Files whose size or mtime changed since the last ingest (all with --force)."""
    todo = []
    for position, path in enumerate(files):
        try:
            size, mtime = read.file_signature(path)
        except OSError as error:
            summary.failed.append(Problem(path, error.strerror or str(error)))
            continue
        previous = store.file_row(db, path)
        same = previous and previous["size"] == size and previous["mtime"] == mtime
        if same and not force and previous["status"] == "ingested":
            summary.unchanged += 1
            continue
        todo.append(_Planned(path, size, mtime, previous, position=position, force=force))
    return todo


def _run(db, todo, summary, workers, max_bytes, strict, on_progress) -> None:
    """Survey, then process and write, the planned files, one chunk at a time.

    Chunks are cut by position in the sorted list of *all* input files, not
    of the changed ones, so a re-run after a crash sees the same chunks and
    gives the same database as an uninterrupted run.
    """
    chunks: dict[int, list[_Planned]] = {}
    for planned in todo:
        chunks.setdefault(planned.position // CHUNK_FILES, []).append(planned)
    progress = _Progress(on_progress, len(todo))
    try:
        with Workers(_worker_count(workers, len(todo))) as pool:
            for chunk in chunks.values():
                if not _run_chunk(db, chunk, summary, pool, max_bytes, strict, progress):
                    break
        db.conn.execute("BEGIN")
        store.collect_garbage(db, replaced=any(planned.replaces for planned in todo))
        db.conn.execute("COMMIT")
    except KeyboardInterrupt:
        # Every file written so far is complete (each has its own savepoint);
        # keep them and stop.
        if db.conn.in_transaction:
            db.conn.execute("COMMIT")
        summary.interrupted = True


class _Progress:
    def __init__(self, callback, total):
        self.callback, self.total, self.done = callback, total, 0

    def step(self, path):
        self.done += 1
        if self.callback:
            self.callback(self.done, self.total, path)


def _run_chunk(db, chunk, summary, pool, max_bytes, strict, progress) -> bool:
    """One chunk of files: survey, line statistics, process, write. False: stop."""
    surveyed = pool.map(_survey, [(p.path, max_bytes) for p in chunk])
    to_process, new_items = _survey_all(db, chunk, summary, surveyed, strict)
    if to_process is None:
        return False
    stats = pool.share(_line_stats(db, new_items))
    results = pool.map(_process, [(p.path, max_bytes, p.wanted, stats) for p in to_process])
    skipped = len(chunk) - len(to_process)
    for _ in range(skipped):
        progress.step("")
    db.conn.execute("BEGIN")
    written = 0
    registry = store.SqliteRegistry(db.conn)  # remembers keys for this chunk's writes
    for planned, result in zip(to_process, results):
        progress.step(planned.path)
        if isinstance(result, Problem):
            _fail(db, summary, result, planned)
            if strict:
                db.conn.execute("COMMIT")
                return False
            continue
        written += _write_file(db, planned, result, summary, registry)
        if written >= COMMIT_EVERY:
            db.conn.execute("COMMIT")
            db.conn.execute("BEGIN")
            written = 0
    db.conn.execute("COMMIT")
    for planned in chunk:
        # Written: its line counts are in the database now (kept for every file
        # of a 100,000-file run, they would hold ~45 MB until the run ends).
        planned.increments = {}
    return not (strict and summary.failed)


def _survey_all(db, todo, summary, surveyed, strict):
    """Hash every planned file; decide per article: unchanged, duplicate or to process.

    Returns (files with work to do, (file, item, line keys) of each new
    article), or (None, None) when --strict stops the run.
    """
    to_process, new_items, scheduled = [], [], set()
    db.conn.execute("BEGIN")
    for planned, result in zip(todo, surveyed):
        if isinstance(result, Problem):
            _fail(db, summary, result, planned)
            if strict:
                db.conn.execute("COMMIT")
                return None, None
            continue
        planned.sha256, items, planned.problems = result
        previous = planned.previous
        unchanged = previous and previous["sha256"] == planned.sha256 and previous["status"] == "ingested"
        if unchanged and previous["articles"] and not planned.force:
            # touched but not changed: remember the new mtime, nothing else
            store.mark_file(db, planned.path, planned.size, planned.mtime, planned.sha256)
            summary.unchanged += 1
            continue
        own = store.articles_of_file(db, planned.path) if planned.force else {}
        for item, sha, keys in items:
            stored = store.article_id_for_sha(db, sha)
            if sha in scheduled or (stored is not None and own.get(item) != stored):
                planned.duplicates.append((item, sha))
                continue
            scheduled.add(sha)
            planned.wanted.append(item)
            if stored is None:
                new_items.append((planned, item, keys))
            else:
                # --force on unchanged content: its lines are counted already;
                # it is cleaned again against the corpus statistics as they are now
                planned.replaces[item] = stored
        to_process.append(planned)
    db.conn.execute("COMMIT")
    return to_process, new_items


def _write_file(db, planned: _Planned, result, summary: Summary, registry: store.SqliteRegistry) -> int:
    """Replace what the database holds for one file; return articles written."""
    docs, problems = result
    problems = planned.problems + problems
    db.conn.execute("SAVEPOINT file")
    try:
        store.unlink_file(db, planned.path)
        store.mark_file(db, planned.path, planned.size, planned.mtime, planned.sha256,
                        error="; ".join(p.reason for p in problems) or None)
        for doc in docs:
            article_id = store.write_document(db, doc, replace=planned.replaces.get(doc.item), registry=registry)
            store.link(db, planned.path, doc.item, article_id)
            store.add_line_counts(db, planned.increments.get(doc.item, {}))
        for item, sha in planned.duplicates:
            article_id = store.article_id_for_sha(db, sha)
            if article_id is not None:
                store.link(db, planned.path, item, article_id)
    except BaseException:  # Ctrl-C mid-write included: never keep half a file
        db.conn.execute("ROLLBACK TO file")
        db.conn.execute("RELEASE file")
        registry.forget()  # it may remember keys and entities the rollback removed
        raise
    db.conn.execute("RELEASE file")
    if planned.previous and planned.previous["articles"]:
        summary.updated += 1
    else:
        summary.new += 1
    summary.articles += len(docs)
    summary.duplicates += len(planned.duplicates)
    summary.failed.extend(problems)
    for doc in docs:
        summary.warnings.extend(Problem(doc.path, warning) for warning in doc.warnings)
    return len(docs)


def _fail(db, summary: Summary, problem: Problem, planned: _Planned) -> None:
    summary.failed.append(problem)
    store.mark_failed(db, planned.path, problem.reason, planned.size, planned.mtime)


def _line_stats(db, new_items):
    """Line statistics for cleaning this chunk: stored counts plus its new articles.

    Each article's contribution is kept on its file and written with it, in
    the same transaction.
    """
    keys_in_order = [keys for _, _, keys in new_items]
    wanted = set().union(*keys_in_order) if keys_in_order else set()
    stored = store.load_line_counts(db, wanted | {clean.LineStats.DOCS})
    stats, increments = line_statistics(stored, keys_in_order)
    for (planned, item, _), increment in zip(new_items, increments):
        planned.increments[item] = increment
    return stats


def line_statistics(stored: dict[str, int], keys_in_order: list[set[str]]):
    """(LineStats for cleaning, each article's increments) from stored counts and new articles.

    Articles are added in input order, as `clean.LineStats.add` expects (it
    spots near-duplicate pages as they come). Shared by the local ingest and
    the distributed reduce step.
    """
    stats = clean.LineStats(stored)
    increments = []
    for keys in keys_in_order:
        touched = set(keys) | {clean.LineStats.DOCS}
        before = {key: stats.counts.get(key, 0) for key in touched}
        stats.add(keys)
        increments.append({k: stats.counts[k] - n for k, n in before.items() if stats.counts[k] != n})
    # A line held by one document only tells the cleaner nothing (it counts
    # other documents); leaving those out keeps what goes to the workers small.
    useful = {k: n for k, n in stats.counts.items() if n >= 2 or k == clean.LineStats.DOCS}
    return clean.LineStats(useful), increments


# --- worker side ------------------------------------------------------------------

_CONTEXT: Context | None = None  # per process: models stay loaded from task to task
_STATS_FILE: str | None = None  # which shared line statistics _CONTEXT holds
_LOCK_FD: int | None = None  # the ingest lock's descriptor while this process holds it


class Workers:
    """One pool of worker processes for a whole ingest, or this process alone.

    Tasks run in order (`map` yields results in input order) so ids stay
    stable. Models load once per worker. Line statistics change per chunk:
    `share` writes them to a file the workers read once per chunk, rather than
    sending them with every task.
    """

    def __init__(self, count: int):
        self.count = count
        self.pool = None
        self.folder = None
        self.shared = 0

    def __enter__(self):
        return self

    def __exit__(self, kind, error, trace):
        if self.pool is not None:
            if kind is None:
                self.pool.close()
            else:  # Ctrl-C or a failure: stop the workers now
                self.pool.terminate()
            self.pool.join()
            gc.unfreeze()  # frozen by _start_pool (a no-op where nothing was)
        if self.folder is not None:
            self.folder.cleanup()
        return False

    def map(self, function, items):
        if self.count <= 1:
            return map(function, items)
        if self.pool is None:
            self.pool = _start_pool(self.count)
        return self.pool.imap(function, items, chunksize=CHUNK)

    def share(self, line_stats):
        """What a task needs to find `line_stats`: the object here, a file for workers."""
        if self.count <= 1:
            return line_stats
        if self.folder is None:
            _remove_stale_folders()
            self.folder = tempfile.TemporaryDirectory(prefix=f"{TEMP_PREFIX}{os.getpid()}-")
        self.shared += 1
        path = os.path.join(self.folder.name, f"line-stats-{self.shared}.pickle")
        with open(path, "wb") as handle:
            pickle.dump(line_stats, handle, protocol=pickle.HIGHEST_PROTOCOL)
        return path


def _remove_stale_folders() -> None:
    """Delete the statistics folders of ingests that were killed (kill -9 gives
    them no chance to clean up); a folder's name holds its ingest's pid."""
    base = tempfile.gettempdir()
    for name in os.listdir(base):
        if not name.startswith(TEMP_PREFIX):
            continue
        pid = name[len(TEMP_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(os.path.join(base, name), ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # alive, but another user's
        return True
    return True


def _start_pool(count: int):
    """Worker processes that share this process's loaded models where the OS allows.

    On Linux the models (about 600 MB for English, French, Russian and
    Ukrainian) are loaded here once and the workers are forked: they share
    those pages instead of each loading its own copy, which halves the memory
    of a two-worker ingest and saves each worker the seconds of loading.
    Elsewhere (macOS, Windows: forking is unsafe or missing) workers are
    spawned and load the models themselves.
    """
    if sys.platform != "linux":
        return multiprocessing.get_context("spawn").Pool(count, initializer=_init_worker)
    pipeline.warm_up(_context(None))
    gc.collect()
    # Keep the collector from writing to (and so copying) the shared objects,
    # in the workers forked now and in those forked later to replace them;
    # Workers.__exit__ unfreezes.
    gc.freeze()
    # A worker's caches (name keys, word stems, spaCy's string store) grow
    # with the corpus; after TASKS_PER_WORKER tasks it is replaced by a
    # fresh fork of this process, which costs nothing (the models are here).
    return multiprocessing.get_context("fork").Pool(count, initializer=_init_worker,
                                                    maxtasksperchild=TASKS_PER_WORKER)


def _init_worker() -> None:
    # A forked worker inherits the ingest lock's file descriptor; if it kept it,
    # a parent killed with SIGKILL would leave the lock held until the orphaned
    # workers noticed and exited, and the user's re-run would be refused.
    if _LOCK_FD is not None:
        try:
            os.close(_LOCK_FD)
        except OSError:
            pass
    # Ctrl-C goes to the whole process group; the parent decides what to do.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _context(stats) -> Context:
    """This process's context, holding the line statistics a task refers to."""
    global _CONTEXT, _STATS_FILE
    if _CONTEXT is None:
        _CONTEXT = Context()
    if isinstance(stats, str):  # a file written by Workers.share
        if stats != _STATS_FILE:
            with open(stats, "rb") as handle:
                _CONTEXT.line_stats = pickle.load(handle)
            _STATS_FILE = stats
    else:
        _CONTEXT.line_stats, _STATS_FILE = stats, None
    return _CONTEXT


def _survey(args):
    """Hash one file and its articles, with the line keys of each article."""
    path, max_bytes = args
    try:
        docs, problems, file_sha = read.read_file(path, max_bytes)
    except ReadError as error:
        return Problem(path, str(error))
    items = [(doc.item, doc.sha256, clean.line_keys(normalize.normalize_text(doc.text))) for doc in docs]
    return file_sha, items, problems


def _process(args):
    """Read one file and run every stage over the wanted articles in it.

    `args` is (path, max_bytes, wanted items, line statistics or the file
    holding them). Returns (documents, problems), or a Problem when the file
    as a whole cannot be read.
    """
    path, max_bytes, wanted, stats = args
    try:
        docs, _, _ = read.read_file(path, max_bytes)  # record problems were reported by the survey
    except ReadError as error:
        return Problem(path, str(error))
    ctx = _context(stats)
    wanted = set(wanted)
    done, problems = [], []
    for doc in docs:
        if doc.item not in wanted:
            continue
        try:
            pipeline.process(doc, ctx)
            records.document_rows(doc)
            done.append(doc)
        except Exception as error:  # a bug in a stage must not lose the other files
            where = path if not doc.item else f"{path}:{doc.item}"
            problems.append(Problem(where, f"processing failed: {type(error).__name__}: {error}"))
    return done, problems


def _worker_count(workers: int | None, jobs: int) -> int:
    if workers is None:
        workers = os.cpu_count() or 1
    # Starting a process and loading models costs seconds: not worth it for a few files.
    return max(1, min(workers, jobs // CHUNK))


@contextmanager
def _exclusive(db_path: str):
    """Hold an exclusive lock on DB.lock so two ingests never interleave."""
    if db_path == ":memory:":
        yield
        return
    try:
        import fcntl
    except ImportError:  # Windows: SQLite's own locking still keeps writes whole
        yield
        return
    lock_path = db_path + ".lock"
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise IngestLocked(
                f"another corpus ingest ({holder}) is writing to {db_path}; wait for it to finish"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        global _LOCK_FD
        _LOCK_FD = handle.fileno()
        try:
            yield
        finally:
            _LOCK_FD = None
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
