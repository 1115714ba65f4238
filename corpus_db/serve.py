"""`corpus serve DB`: Datasette over a corpus with the settings research needs.

Runs the same server as `datasette serve` (so the plugin, the user's
datasette.yaml and every installed Datasette plugin apply), bound to this
machine only unless the caller asks for another host.
"""
from __future__ import annotations

import os

# Settings that differ from Datasette's defaults, and why.
SETTINGS = {
    # Stemmed search and co-occurrence over a large corpus need more than 1 s.
    "sql_time_limit_ms": "5000",
    # Facets are advice, not the answer: give up on slow ones quickly.
    "facet_time_limit_ms": "500",
    # Enough rows for "who said what" over a whole story without paging.
    "max_returned_rows": "5000",
}


def datasette_args(db_path: str, host: str = "127.0.0.1", port: int = 8001, open_browser: bool = False,
                   config: str | None = None) -> list[str]:
    """The `datasette serve` arguments for a corpus database."""
    if not os.path.exists(db_path):
        raise FileNotFoundError(f"no such database: {db_path} (run `corpus ingest` first)")
    args = [db_path, "--host", host, "--port", str(port)]
    for name, value in SETTINGS.items():
        args += ["--setting", name, value]
    if config:
        args += ["--config", config]
    if open_browser:
        args.append("--open")
    return args


def serve(db_path: str, host: str = "127.0.0.1", port: int = 8001, open_browser: bool = False,
          config: str | None = None) -> None:
    """Serve `db_path` with Datasette until interrupted."""
    from datasette.cli import serve as datasette_serve

    datasette_serve.main(
        datasette_args(db_path, host=host, port=port, open_browser=open_browser, config=config),
        prog_name="corpus serve",
        standalone_mode=False,
    )
