"""The `corpus` command line: click commands that call the library and print.

No logic lives here: each command parses its options, calls one function of
the package and reports what it returned.
"""
from __future__ import annotations

import sys

import click

from . import __version__, ingest as ingest_module, store
from .ingest import IngestLocked
from .read import DEFAULT_MAX_BYTES
from .store import SchemaError

DB_OPTION = dict(default="corpus.db", show_default=True, help="The corpus database (created if missing).")


@click.group()
@click.version_option(__version__, prog_name="corpus")
def cli():
    """Turn folders of news articles into a research-grade SQLite corpus."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--db", **DB_OPTION)
@click.option("--force", is_flag=True, help="Re-process every file, changed or not.")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Worker processes [default: all cores].")
@click.option("--strict", is_flag=True, help="Stop at the first file that cannot be ingested.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES, show_default=True,
              help="Reject input files larger than this.")
def ingest(paths, db, force, workers, strict, max_bytes):
    """Ingest files and folders (recursively) into the corpus database.

    Unchanged files are skipped; a file whose content changed replaces its
    old article. Exits non-zero when any file could not be ingested.
    """
    progress = _progress_bar()
    try:
        summary = ingest_module.ingest(
            list(paths), db, force=force, workers=workers, max_bytes=max_bytes, strict=strict,
            on_progress=progress.update if progress else None,
        )
    except (IngestLocked, SchemaError) as error:
        raise click.ClickException(str(error))
    finally:
        if progress:
            progress.close()
    _print_summary(summary, db)
    if summary.failed or summary.interrupted:
        sys.exit(1)


class _Progress:
    """A progress bar on a terminal; nothing when output is piped or logged."""

    def __init__(self):
        self.bar = None

    def update(self, done, total, path):
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Ingesting", file=sys.stderr, show_pos=True)
            self.bar.__enter__()
        self.bar.update(1)

    def close(self):
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _progress_bar():
    return _Progress() if sys.stderr.isatty() else None


def _print_summary(summary, db):
    if summary.migrations:
        click.echo(f"Applied migrations: {', '.join(summary.migrations)}")
    for problem in summary.warnings:
        click.echo(f"warning: {problem.path}: {problem.reason}", err=True)
    for problem in summary.failed:
        click.echo(f"failed: {problem.path}: {problem.reason}", err=True)
    click.echo(
        f"{summary.seen} files seen: {summary.new} new, {summary.updated} updated, "
        f"{summary.unchanged} unchanged, {summary.duplicates} duplicate, {len(summary.failed)} failed "
        f"in {summary.seconds:.1f}s -> {db}"
    )
    if summary.seen and not (summary.new or summary.updated):
        click.echo("Nothing new to ingest.")
    if summary.interrupted:
        click.echo("Interrupted: everything reported above is saved; run the same command again to finish.", err=True)


@cli.command()
@click.argument("db", type=click.Path())
def migrate(db):
    """Apply pending schema migrations to DB (creating it if missing)."""
    try:
        database = store.open_db(db)
        applied = store.migrate(database)
    except SchemaError as error:
        raise click.ClickException(str(error))
    click.echo(f"Applied: {', '.join(applied)}" if applied else "Database is up to date.")


@cli.command()
@click.argument("db", type=click.Path(exists=True, dir_okay=False))
def stats(db):
    """Counts per table, per language and per source."""
    database = store.open_db(db)
    try:
        store.check_not_newer(database)
        result = store.stats(database)
    except SchemaError as error:
        raise click.ClickException(str(error))
    click.echo("Tables:")
    for table, count in result["tables"].items():
        click.echo(f"  {table:16s} {count:>8}")
    click.echo("Languages:")
    for language, count in result["languages"]:
        click.echo(f"  {language:16s} {count:>8}")
    click.echo("Sources:")
    for source, count in result["sources"]:
        click.echo(f"  {source[:40]:40s} {count:>8}")
    if result["failed_files"]:
        click.echo(f"Files that failed on their last ingest: {result['failed_files']}")
