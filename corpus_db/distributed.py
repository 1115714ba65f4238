"""The same ingest on a Dask cluster, for corpora one machine cannot process in time.

`corpus ingest PATH... --engine dask [--scheduler ADDRESS]` runs:

1. plan (client): which input files changed, from the database's `files`
   table, exactly as a local ingest does (`ingest._plan`);
2. survey (map over partitions of files): read, hash, line keys (`ingest._survey`);
3. decide (client, hashes only): which articles are new, which are copies;
4. line statistics (reduce task): `ingest.line_statistics` over the new
   articles in input order, per chunk; the result is broadcast to the workers;
5. process (map): `ingest._process` — every stage of `pipeline` — per file;
6. canonicalise (reduce task): article ids, corpus-wide entities
   (`registry.link_entity` over a `DictRegistry` seeded from the database),
   near-duplicates (`dedup.find_original`) and row ids, in input order;
7. write (map): each partition's rows, ids filled in, as Parquet files under
   PARQUET_DIR/<table>/ (schema: `parquet_schema.md`), plus entities and a
   manifest from the reduce;
8. load (client, one writer): `store.load_parquet`, the same as
   `corpus load PARQUET_DIR --db DB`, with full-text indexes built in bulk.

No stage logic lives here: tasks call the functions the local ingest calls,
so the database is the same as a local ingest of the same input gives.
Without `--scheduler` a LocalCluster with one single-threaded worker process
per core is started, so one user gets the same code path.
"""
from __future__ import annotations

import json
import os
import shutil
import time

from . import ingest, read, records, registry, store
from .ingest import Summary
from .read import Problem

PARTITION_FILES = 50  # files per task: enough work to hide scheduling overhead


# --- tasks (run on workers; plain functions of plain data) -----------------------


def survey_partition(paths: list[str], max_bytes: int) -> list:
    return [ingest._survey((path, max_bytes)) for path in paths]


def strip_keys(surveyed: list) -> list:
    """What the client needs to decide: hashes and problems, not the line keys."""
    heads = []
    for result in surveyed:
        if isinstance(result, Problem):
            heads.append(result)
        else:
            file_sha, items, problems = result
            heads.append((file_sha, [(item, sha, set()) for item, sha, _ in items], problems))
    return heads


def reduce_line_stats(surveys: list, wanted: list[tuple[int, int, str, int]], stored: dict, chunk_files: int):
    """Per chunk: LineStats for cleaning it, and each new article's increments.

    `wanted` lists (partition, index in partition, path, item) of the new
    articles in input order, with the chunk taken from the file's position.
    """
    keys_by_chunk: dict[int, list] = {}
    order: dict[int, list] = {}
    for partition, index, position, item in wanted:
        _, items, _ = surveys[partition][index]
        keys = next(k for i, _, k in items if i == item)
        chunk = position // chunk_files
        keys_by_chunk.setdefault(chunk, []).append(keys)
        order.setdefault(chunk, []).append((position, item))
    stats_by_chunk, increments = {}, {}
    counts = dict(stored)
    for chunk in sorted(keys_by_chunk):
        stats, chunk_increments = ingest.line_statistics(counts, keys_by_chunk[chunk])
        stats_by_chunk[chunk] = stats
        for key, increment in zip(order[chunk], chunk_increments):
            increments[key] = increment
            for line_key, n in increment.items():  # later chunks see this one as stored
                counts[line_key] = counts.get(line_key, 0) + n
    return stats_by_chunk, increments


def process_partition(tasks: list, stats_by_chunk: dict, chunk_files: int) -> list:
    """Run every stage over a partition's files: [(docs, problems) or Problem]."""
    results = []
    for position, path, max_bytes, wanted in tasks:
        stats = stats_by_chunk.get(position // chunk_files)
        results.append(ingest._process((path, max_bytes, wanted, stats)))
    return results


def summarise_partition(processed: list) -> list:
    """The little the canonicalise step needs of each document."""
    summary = []
    for result in processed:
        if isinstance(result, Problem):
            summary.append(None)
            continue
        docs, _ = result
        summary.append([
            {"item": d.item, "sha256": d.sha256, "entities": d.entities, "signature": d.signature,
             "counts": (len(d.removed), len(d.mentions), len(d.quotes))}
            for d in docs
        ])
    return summary


def canonicalise(summaries: list, plan: list, base: dict, seed: dict) -> dict:
    """Assign every id in input order, as the local store would, in one reduce task.

    `plan` holds per file (path, duplicates [(item, sha)]), parallel to the
    flattened summaries; `base` the database's highest ids; `seed` its
    entities, keys, aliases, article hashes and near-duplicate signatures.
    """
    reg = registry.DictRegistry(
        entities={int(k): v for k, v in seed["entities"].items()}, keys=dict(seed["keys"]),
        aliases={int(k): set(v) for k, v in seed["aliases"].items()},
        names={int(k): dict(v) for k, v in seed["names"].items()}, next_id=base["entities"] + 1,
    )
    by_sha = dict(seed["shas"])
    bands: dict[int, list[int]] = {}
    signatures: dict[int, list[int]] = {}
    duplicate_of: dict[int, int | None] = dict(seed["duplicate_of"])
    for article_id, sig in seed["signatures"]:
        signatures[article_id] = sig
        for key in records.dedup.bands(sig):
            bands.setdefault(key, []).append(article_id)

    def candidates(keys):
        found = sorted({a for key in keys for a in bands.get(key, [])})
        return [(a, signatures[a]) for a in found]

    def original_of(article_id):
        return duplicate_of.get(article_id) or article_id

    next_ids = {table: base[table] + 1 for table in ("articles", "quotes")}
    assigned, links = {}, []
    flat = [file_docs for part in summaries for file_docs in part]
    for (path, duplicates), docs in zip(plan, flat):
        for doc in docs or []:
            article_id = next_ids["articles"]
            next_ids["articles"] += 1
            dup = records.dedup.find_original(doc["signature"], candidates, original_of)
            duplicate_of[article_id] = dup
            if doc["signature"] is not None:
                signatures[article_id] = doc["signature"]
                for key in records.dedup.bands(doc["signature"]):
                    bands.setdefault(key, []).append(article_id)
            entity_ids = [registry.link_entity(reg, entity) for entity in doc["entities"]]
            first_ids = {"quotes": next_ids["quotes"]}
            next_ids["quotes"] += doc["counts"][2]
            assigned[(path, doc["item"])] = {"id": article_id, "duplicate_of": dup, "entity_ids": entity_ids,
                                             "first_ids": first_ids}
            by_sha[doc["sha256"]] = article_id
            links.append((path, doc["item"], article_id))
        if docs is not None:
            links.extend((path, item, by_sha[sha]) for item, sha in duplicates if sha in by_sha)
    return {"assigned": assigned, "links": links, "registry": reg}


def write_partition(processed: list, plan_part: list, canon: dict, increments: dict, out: str, number: int) -> int:
    """Write one partition's rows, ids filled in, as Parquet; return rows written."""
    tables: dict[str, list[dict]] = {name: [] for name in PARQUET_TABLES}
    for (position, path, planned), result in zip(plan_part, processed):
        problems = planned["problems"] + (result[1] if not isinstance(result, Problem) else [result])
        status = "failed" if isinstance(result, Problem) else "ingested"
        tables["files"].append({"path": path, "size": planned["size"], "mtime": planned["mtime"],
                                "sha256": planned["sha256"], "status": status,
                                "error": "; ".join(p.reason for p in problems) or None})
        if isinstance(result, Problem):
            continue
        for doc in result[0]:
            ids = canon["assigned"][(path, doc.item)]
            _document_tables(tables, doc, ids, increments.get((position, doc.item), {}))
    written = 0
    for name, rows in tables.items():
        if rows:
            write_rows(os.path.join(out, name, f"part-{number:05d}.parquet"), name, rows)
            written += len(rows)
    return written


def _document_tables(tables: dict, doc, ids: dict, increment: dict) -> None:
    rows = records.document_rows(doc)
    article_id = ids["id"]
    tables["articles"].append(dict(rows["articles"][0], id=article_id, duplicate_of=ids["duplicate_of"]))
    tables["sources"].append(dict(rows["sources"][0], article_id=article_id))
    minhashes, bands = records.signature_rows(article_id, doc.signature)
    tables["minhashes"].extend(minhashes)
    tables["minhash_bands"].extend(bands)
    tables["boilerplate"].extend(dict(row, article_id=article_id) for row in rows["boilerplate"])
    tables["mentions"].extend(dict(row, article_id=article_id)
                              for row in records.resolve_entities(rows["mentions"], ids["entity_ids"]))
    first = ids["first_ids"]["quotes"]
    tables["quotes"].extend(dict(row, id=first + n, article_id=article_id)
                            for n, row in enumerate(records.resolve_entities(rows["quotes"], ids["entity_ids"])))
    tables["line_counts"].extend({"key": k, "documents": n} for k, n in sorted(increment.items()))
    tables["articles_stem_fts"].append(dict(rows["articles_stem"][0], rowid=article_id))
    first = ids["first_ids"]["quotes"]
    tables["quotes_stem_fts"].extend(dict(row, rowid=first + n) for n, row in enumerate(rows["quotes_stem"]))


PARQUET_TABLES = ["files", "articles", "sources", "minhashes", "minhash_bands", "boilerplate", "mentions",
                  "quotes", "line_counts", "articles_stem_fts", "quotes_stem_fts"]


def write_rows(path: str, table: str, rows: list[dict]) -> None:
    from .export import write_parquet

    os.makedirs(os.path.dirname(path), exist_ok=True)
    columns = list(rows[0])
    write_parquet(path, table, columns, ([row[c] for c in columns] for row in rows), lambda n: None,
                  PARQUET_TYPES.get(table, {}))


# Declared types for columns whose first values may all be NULL.
PARQUET_TYPES = {
    "articles": {"id": "INTEGER", "item": "INTEGER", "word_count": "INTEGER", "duplicate_of": "INTEGER",
                 "url": "TEXT", "title": "TEXT", "author": "TEXT", "published": "TEXT", "source": "TEXT",
                 "encoding": "TEXT", "warnings": "TEXT", "field_sources": "TEXT"},
    "files": {"size": "INTEGER", "mtime": "REAL", "error": "TEXT", "sha256": "TEXT"},
    "sources": {"size": "INTEGER", "encoding": "TEXT", "raw": "BLOB"},
    "boilerplate": {"start": "INTEGER", "end": "INTEGER"},
    "quotes": {"speaker": "TEXT", "entity_id": "INTEGER", "cue": "TEXT", "quote_group": "INTEGER",
               "speaker_start": "INTEGER", "speaker_end": "INTEGER"},
    "mentions": {"confidence": "REAL"},
    "minhashes": {"signature": "BLOB"},
}


# --- the client --------------------------------------------------------------------


def ingest_dask(paths: list[str], db_path: str, *, scheduler: str | None = None, workers: int | None = None,
                parquet_dir: str | None = None, force: bool = False, max_bytes: int = read.DEFAULT_MAX_BYTES,
                keep_parquet: bool = True) -> Summary:
    """Ingest on a Dask cluster into Parquet, then load it into the database."""
    from dask.distributed import Client, LocalCluster

    started = time.monotonic()
    summary = Summary()
    files = ingest.discover(paths, summary)
    out = parquet_dir or db_path + ".parquet"
    with ingest.opened(db_path, summary) as db:
        todo = ingest._plan(db, files, force, summary)
        cluster = None if scheduler else LocalCluster(
            n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
            dashboard_address=None)
        with Client(scheduler or cluster) as client:
            _on_cluster(client, db, todo, summary, out, max_bytes)
        if cluster is not None:
            cluster.close()
        if os.path.exists(os.path.join(out, "manifest.json")):
            store.load_parquet(db, out)
            if not keep_parquet:
                shutil.rmtree(out)
    summary.seconds = time.monotonic() - started
    return summary


def _on_cluster(client, db, todo, summary, out, max_bytes) -> None:
    shutil.rmtree(out, ignore_errors=True)
    parts = [todo[i:i + PARTITION_FILES] for i in range(0, len(todo), PARTITION_FILES)]
    surveys = [client.submit(survey_partition, [p.path for p in part], max_bytes, pure=False) for part in parts]
    heads = client.gather([client.submit(strip_keys, s) for s in surveys])
    flat_heads = [h for part in heads for h in part]
    to_process, new_items = ingest._survey_all(db, todo, summary, flat_heads, strict=False)
    if not to_process:
        return
    where = {id(p): (n // PARTITION_FILES, n % PARTITION_FILES) for n, p in enumerate(todo)}
    wanted = [(*where[id(p)], p.position, item) for p, item, _ in new_items]
    stored = store.load_all_line_counts(db)
    stats = client.submit(reduce_line_stats, surveys, wanted, stored, ingest.CHUNK_FILES)
    stats_by_chunk = client.submit(lambda pair: pair[0], stats)
    increments = client.submit(lambda pair: pair[1], stats)
    work = [to_process[i:i + PARTITION_FILES] for i in range(0, len(to_process), PARTITION_FILES)]
    processed = [
        client.submit(process_partition, [(p.position, p.path, max_bytes, p.wanted) for p in part],
                      stats_by_chunk, ingest.CHUNK_FILES, pure=False)
        for part in work
    ]
    summaries = [client.submit(summarise_partition, p) for p in processed]
    plan = [(p.path, p.duplicates) for p in to_process]
    base, seed = store.id_bases(db), store.registry_seed(db)
    for planned in to_process:  # copies of articles already stored link to them
        for _, sha in planned.duplicates:
            article_id = store.article_id_for_sha(db, sha)
            if article_id is not None:
                seed["shas"][sha] = article_id
    canon = client.submit(canonicalise, summaries, plan, base, seed)
    written = [
        client.submit(write_partition, proc, [(p.position, p.path, _plain_plan(p)) for p in part],
                      canon, increments, out, n)
        for n, (proc, part) in enumerate(zip(processed, work))
    ]
    client.gather(written)
    result = canon.result()
    _write_reduce_outputs(out, result, base, [p.path for p in to_process if p.previous])
    results = [r for part in client.gather(processed) for r in part]
    for planned, planned_result in zip(to_process, results):
        _count(summary, planned, planned_result)


def _plain_plan(planned) -> dict:
    return {"size": planned.size, "mtime": planned.mtime, "sha256": planned.sha256, "problems": planned.problems}


def _count(summary: Summary, planned, result) -> None:
    """The same counts a local ingest reports (new or updated file, problems)."""
    if isinstance(result, Problem):
        summary.failed.append(result)
        return
    docs, problems = result
    if planned.previous and planned.previous["articles"]:
        summary.updated += 1
    else:
        summary.new += 1
    summary.articles += len(docs)
    summary.duplicates += len(planned.duplicates)
    summary.failed.extend(planned.problems + problems)


def _write_reduce_outputs(out: str, canon: dict, base: dict, replaced_paths: list[str]) -> None:
    reg = canon["registry"]
    entities = [dict(entity, id=entity_id) for entity_id, entity in sorted(reg.entities.items())]
    if entities:
        write_rows(os.path.join(out, "entities", "part-00000.parquet"), "entities", entities)
    keys = [{"key": k, "entity_id": v} for k, v in sorted(reg.keys.items())]
    if keys:
        write_rows(os.path.join(out, "entity_keys", "part-00000.parquet"), "entity_keys", keys)
    aliases = [{"entity_id": e, "alias": a} for e, names in sorted(reg.aliases.items()) for a in sorted(names)]
    if aliases:
        write_rows(os.path.join(out, "entity_aliases", "part-00000.parquet"), "entity_aliases", aliases)
    names = [{"entity_id": e, "name": n, "documents": d} for e, counts in sorted(reg.names.items())
             for n, d in sorted(counts.items())]
    if names:
        write_rows(os.path.join(out, "entity_names", "part-00000.parquet"), "entity_names", names)
    links = [{"path": p, "item": i, "article_id": a} for p, i, a in canon["links"]]
    if links:
        write_rows(os.path.join(out, "file_articles", "part-00000.parquet"), "file_articles", links)
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as handle:
        json.dump({"format": "corpus_db parquet 1", "base_ids": base, "replaced_paths": replaced_paths},
                  handle, indent=1)
