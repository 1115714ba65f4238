"""Shared fixtures: the committed seeds, a scratch folder, the CLI runner."""
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus_db.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"

CONTRACT_TABLES = {
    "articles": "id, path, sha256, title, author, published, source, language, body",
    "boilerplate": 'article_id, position, text, reason',
    "quotes": 'id, article_id, text, speaker, entity_id, kind, start, "end"',
    "entities": "id, name, type",
    "entity_aliases": "entity_id, alias",
    "mentions": 'article_id, entity_id, start, "end", text',
}


def shared_path(*parts):
    """A path under ../shared, or skip the test when shared data is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not available (shared evaluation data is not in a user's clone)")
    return path


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def seeds_copy(tmp_path):
    """A private copy of seeds/ that a test may change."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


def run_cli(runner, *args):
    return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)


def dump(db_path, relative_to=None):
    """Every contract row of a database, for row-for-row comparison."""
    conn = sqlite3.connect(db_path)
    result = {}
    for table, columns in CONTRACT_TABLES.items():
        rows = conn.execute(f"SELECT {columns} FROM {table} ORDER BY {columns}").fetchall()
        if table == "articles" and relative_to:
            rows = [(r[0], os.path.relpath(r[1], relative_to)) + r[2:] for r in rows]
        result[table] = rows
    conn.close()
    return result
