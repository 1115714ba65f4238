"""Write rows of a corpus table to JSON Lines, CSV or Parquet, streaming.

Rows come from `store.iter_rows` in batches, so exports of any size run in
constant memory. Article exports in JSON Lines carry `"cleaned": true`, so
`corpus ingest` of the export takes the body as it is instead of cleaning it
a second time: the round trip gives the same articles.
"""
from __future__ import annotations

import csv
import json
from typing import Callable, Iterable

FORMATS = ("jsonl", "csv", "parquet")


def _plain(value):
    if isinstance(value, bytes):
        return value.hex()  # raw bytes (sources.raw) as hex text
    return value


def write_jsonl(path: str, table: str, columns: list[str], rows: Iterable, tick: Callable[[int], None]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for row in rows:
            record = {c: _plain(v) for c, v in zip(columns, row)}
            if table == "articles":
                record["cleaned"] = True
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            tick(1)


def write_csv(path: str, table: str, columns: list[str], rows: Iterable, tick: Callable[[int], None]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_plain(v) for v in row])
            tick(1)


def arrow_type(declared: str | None, sample):
    """The Arrow type for a column: from its SQLite declared type, else from a value."""
    import pyarrow as pa

    declared = (declared or "").upper()
    if "INT" in declared:
        return pa.int64()
    if any(t in declared for t in ("REAL", "FLOA", "DOUB")):
        return pa.float64()
    if declared:
        return pa.string()
    if isinstance(sample, bool) or isinstance(sample, int):
        return pa.int64()
    if isinstance(sample, float):
        return pa.float64()
    return pa.string()


def write_parquet(path: str, table: str, columns: list[str], rows: Iterable, tick: Callable[[int], None],
                  types: dict | None = None, batch: int = 10_000) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = types or {}
    writer = None
    schema = None
    chunk = []

    def flush():
        nonlocal writer, schema
        if schema is None:
            samples = [next((r[i] for r in chunk if r[i] is not None), None) for i in range(len(columns))]
            schema = pa.schema([(c, arrow_type(types.get(c), samples[i])) for i, c in enumerate(columns)])
            writer = pq.ParquetWriter(path, schema)
        arrays = []
        for i, field in enumerate(schema):
            values = [_plain(r[i]) for r in chunk]
            if pa.types.is_string(field.type):
                values = [None if v is None else str(v) for v in values]
            arrays.append(pa.array(values, field.type))
        writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
        tick(len(chunk))
        chunk.clear()

    for row in rows:
        chunk.append(row)
        if len(chunk) >= batch:
            flush()
    if chunk:
        flush()
    if writer is None:  # an empty table still gets a file with its columns
        schema = pa.schema([(c, arrow_type(types.get(c), None)) for c in columns])
        pq.write_table(schema.empty_table(), path)
    else:
        writer.close()


WRITERS = {"jsonl": write_jsonl, "csv": write_csv, "parquet": write_parquet}


def export(path: str, fmt: str, table: str, columns: list[str], rows: Iterable, tick=lambda n: None,
           types: dict | None = None) -> None:
    """Write rows to `path` in format `fmt` ("jsonl", "csv" or "parquet").

    `types` maps columns to their SQLite declared types, so Parquet columns
    get stable types even when the first rows are all NULL.
    """
    if fmt == "parquet":
        write_parquet(path, table, columns, rows, tick, types)
    else:
        WRITERS[fmt](path, table, columns, rows, tick)
