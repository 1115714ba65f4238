"""The `corpus` command line: click commands that call the library and print.

No logic lives here: each command parses its options, calls one function of
the package and reports what it returned.
"""
from __future__ import annotations

import sys

import click

from . import __version__, export as export_module, ingest as ingest_module, store
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
@click.option("--force", is_flag=True, help="Re-process every file, changed or not (after an upgrade): "
              "articles keep their ids, everything derived is made again.")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Worker processes [default: all cores].")
@click.option("--strict", is_flag=True, help="Stop at the first file that cannot be ingested.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES, show_default=True,
              help="Reject input files larger than this.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where the stages run: worker processes here, or a Dask cluster (pip install corpus-db[dask]).")
@click.option("--scheduler", help="Dask scheduler address (tcp://host:8786); without it a local cluster is started.")
@click.option("--parquet", "parquet_dir", type=click.Path(file_okay=False),
              help="With --engine dask: where the Parquet output goes [default: DB.parquet].")
def ingest(paths, db, force, workers, strict, max_bytes, engine, scheduler, parquet_dir):
    """Ingest files and folders (recursively) into the corpus database.

    Unchanged files are skipped; a file whose content changed replaces its
    old article. Exits non-zero when any file could not be ingested.
    """
    if engine == "local" and (scheduler or parquet_dir):
        raise click.UsageError("--scheduler and --parquet go with --engine dask")
    if engine == "dask" and force:
        # The Dask engine assigns ids in its reduce step and cannot yet rewrite
        # stored articles in place; better refused than silently ignored.
        raise click.UsageError("--force goes with the local engine: run `corpus ingest --force` without --engine dask")
    progress = _progress_bar() if engine == "local" else None
    try:
        if engine == "dask":
            summary = _ingest_dask(list(paths), db, scheduler, workers, parquet_dir, force, max_bytes)
        else:
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


def _ingest_dask(paths, db, scheduler, workers, parquet_dir, force, max_bytes):
    import importlib.util

    if importlib.util.find_spec("distributed") is None:
        raise click.ClickException("--engine dask needs Dask: pip install 'corpus-db[dask]'")
    from . import distributed

    return distributed.ingest_dask(paths, db, scheduler=scheduler, workers=workers, parquet_dir=parquet_dir,
                                   force=force, max_bytes=max_bytes)


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
        f"{summary.unchanged} unchanged, {len(summary.failed)} failed; "
        f"{summary.articles} articles written, {summary.duplicates} duplicates of stored articles; "
        f"{summary.seconds:.1f}s -> {db}"
    )
    if summary.seen and not (summary.new or summary.updated):
        click.echo("Nothing new to ingest.")
    if summary.interrupted:
        click.echo("Interrupted: everything reported above is saved; run the same command again to finish.", err=True)


@cli.command()
@click.argument("parquet_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--db", **DB_OPTION)
def load(parquet_dir, db):
    """Load the Parquet output of `corpus ingest --engine dask` into DB (one writer)."""
    with ingest_module._exclusive(db):
        database = store.open_db(db)
        try:
            store.migrate(database)
            counts = store.load_parquet(database, parquet_dir)
        except (SchemaError, FileNotFoundError) as error:
            raise click.ClickException(str(error))
    click.echo(", ".join(f"{n} {table}" for table, n in counts.items() if n) + f" -> {db}")


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


@cli.command()
@click.argument("db", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(export_module.FORMATS), default="jsonl", show_default=True)
@click.option("--table", default="articles", show_default=True, help="Table or view to export.")
@click.option("--where", help="SQL condition on the rows, e.g. \"language = 'ru'\" (read-only).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Output file [default: TABLE.FORMAT].")
def export(db, fmt, table, where, output):
    """Export a table (articles by default) to JSON Lines, CSV or Parquet.

    JSON Lines exports of articles can be ingested again as they are.
    """
    import sqlite3

    output = output or f"{table}.{fmt}"
    conn = store.open_readonly(db)
    try:
        columns, rows, count = store.iter_rows(conn, table, where)
    except (ValueError, sqlite3.Error) as error:
        raise click.ClickException(str(error))
    show = sys.stderr.isatty() and count > 1000
    with click.progressbar(length=count, label=f"Exporting {table}", file=sys.stderr) if show else _NoBar() as bar:
        export_module.export(output, fmt, table, columns, rows, bar.update, store.column_types(conn, table))
    click.echo(f"{count} rows of {table} -> {output}")


class _NoBar:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n):
        pass


@cli.command()
@click.argument("db", type=click.Path(exists=True, dir_okay=False))
@click.argument("query")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def search(db, query, limit, as_json):
    """Full-text search of articles: ranked results with highlighted snippets.

    QUERY uses SQLite FTS5 syntax: words (all must match), "a phrase",
    prefix*, OR, NOT, NEAR(a b).
    """
    import json

    conn = store.open_readonly(db)
    results = store.search_articles(conn, query, limit)
    if as_json:
        for r in results:
            r["snippet"] = r["snippet"].replace("\x02", "[").replace("\x03", "]")
        click.echo(json.dumps(results, ensure_ascii=False, indent=2))
        return
    if not results:
        click.echo("No articles match.")
    for n, r in enumerate(results, 1):
        heading = r["title"] or r["path"]
        meta = " · ".join(str(x) for x in (r["source"], r["published"]) if x)
        click.echo(click.style(f"{n}. {heading}", bold=True) + (f"  ({meta})" if meta else "") + f"  [article {r['id']}]")
        snippet = click.style("", reset=False)
        parts = r["snippet"].split("\x02")
        snippet = parts[0] + "".join(
            click.style(p.split("\x03", 1)[0], fg="yellow", bold=True) + (p.split("\x03", 1)[1] if "\x03" in p else "")
            for p in parts[1:]
        )
        click.echo("   " + " ".join(snippet.split()))


@cli.command()
@click.argument("db", type=click.Path(exists=True, dir_okay=False))
@click.option("--speaker", help="Speaker as written or any name of their entity (part of a name is enough).")
@click.option("--search", help="Words in the quote (full-text search).")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
def quotes(db, speaker, search, limit):
    """Who said what: direct quotes with speaker, outlet, date and article."""
    rows = store.find_quotes(store.open_readonly(db), speaker, search, limit)
    if not rows:
        click.echo("No quotes match.")
    for row in rows:
        who = row["speaker"] or "(unattributed)"
        if row["entity"] and row["entity"] != row["speaker"]:
            who += f" [{row['entity']}]"
        meta = " · ".join(str(x) for x in (row["source"], row["published"]) if x)
        click.echo(click.style(who, bold=True) + (f"  ({meta})" if meta else ""))
        click.echo(f"  “{row['text']}”")
        click.echo(click.style(f"  article {row['article_id']}: {row['article']}", dim=True))


@cli.command()
@click.argument("db", type=click.Path(exists=True, dir_okay=False))
@click.option("--type", "type_", type=click.Choice(["PERSON", "ORG", "PLACE", "MISC"], case_sensitive=False))
@click.option("--top", type=click.IntRange(min=1), default=30, show_default=True)
def entities(db, type_, top):
    """Entities with their mention and article counts, most mentioned first."""
    rows = store.top_entities(store.open_readonly(db), type_, top)
    click.echo(f"{'entity':40s} {'type':7s} {'mentions':>8s} {'articles':>8s}")
    for row in rows:
        click.echo(f"{row['name'][:40]:40s} {row['type']:7s} {row['mentions']:>8} {row['articles']:>8}")


@cli.command()
@click.argument("db", type=click.Path(exists=True, dir_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to bind (0.0.0.0 exposes the corpus to your network).")
@click.option("--port", "-p", type=int, default=8001, show_default=True)
@click.option("--open", "open_browser", is_flag=True, help="Open it in your web browser.")
@click.option("--config", "-c", type=click.Path(exists=True, dir_okay=False), help="A datasette.yaml to apply on top.")
def serve(db, host, port, open_browser, config):
    """Browse the corpus in Datasette (on this machine only, unless --host says otherwise)."""
    from .serve import serve as run

    run(db, host=host, port=port, open_browser=open_browser, config=config)
