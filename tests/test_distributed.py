"""The Dask engine gives the database a local ingest gives, row for row."""
import shutil
import sqlite3

import pytest

from conftest import SEEDS, SHARED, dump, run_cli

pytest.importorskip("dask.distributed")

CORPORA = ["bbc", "gilets_jaunes_fr", "bsnlp2021_ru", "bruk_press"]


def build_inputs(folder, per_corpus):
    """The seeds plus real articles from ../shared/data/corpora when it is there."""
    folder.mkdir()
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, folder / seed.name)
    corpora = SHARED / "data" / "corpora"
    if per_corpus and corpora.exists():
        for name in CORPORA:
            for path in sorted((corpora / name).glob("*.txt"))[:per_corpus]:
                shutil.copy(path, folder / f"{name}_{path.name}")
    return folder


@pytest.mark.parametrize("per_corpus", [0, 50])
def test_dask_cluster_matches_local_ingest(runner, tmp_path, per_corpus):
    if per_corpus and not (SHARED / "data" / "corpora").exists():
        pytest.skip("real articles from ../shared/data/corpora are not available")
    inputs = build_inputs(tmp_path / "in", per_corpus)
    local, dask = tmp_path / "local.db", tmp_path / "dask.db"
    assert run_cli(runner, "ingest", inputs, "--db", local, "--workers", 1).exit_code == 0
    result = run_cli(runner, "ingest", inputs, "--db", dask, "--engine", "dask", "--workers", 2)
    assert result.exit_code == 0, result.output
    expected, got = dump(local), dump(dask)
    for table in expected:
        assert got[table] == expected[table], table
    conn = sqlite3.connect(dask)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    assert conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'Nadezhdin'").fetchone()[0] >= 1
    # the Parquet output loads into another empty database with the same result
    again = tmp_path / "again.db"
    loaded = run_cli(runner, "load", f"{dask}.parquet", "--db", again)
    assert loaded.exit_code == 0, loaded.output
    assert dump(again) == got
    # and is refused by a database whose state it was not made for
    refused = run_cli(runner, "load", f"{dask}.parquet", "--db", dask)
    assert refused.exit_code == 1 and "another state of this database" in refused.output


def test_engine_options_are_checked(runner, tmp_path):
    result = run_cli(runner, "ingest", SEEDS, "--db", tmp_path / "c.db", "--scheduler", "tcp://127.0.0.1:1")
    assert result.exit_code == 2 and "--engine dask" in result.output
