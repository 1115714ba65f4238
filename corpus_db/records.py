"""A processed document as table rows: what the store writes and Parquet holds.

`document_rows` is the one place that maps a `pipeline.Document` to the
columns of the corpus tables. The local store inserts these rows into SQLite;
the distributed engine writes them (with ids assigned by its reduce step) to
Parquet, which `corpus load` inserts. Ids are not set here: `article_id` and
`entity_id` are filled by whoever knows them; mentions and quotes carry the
index of their entity in the document (`entity`) until then.
"""
from __future__ import annotations

import json
import zlib

from . import dedup, stemming
from .pipeline import Document

# Columns of each table as written by ingest (ids and generated columns aside).
COLUMNS = {
    "articles": ["path", "item", "sha256", "url", "title", "author", "published", "source", "language", "body",
                 "word_count", "encoding", "warnings", "field_sources"],
    "sources": ["size", "encoding", "compression", "raw"],
    "boilerplate": ["position", "start", "end", "text", "reason"],
    "mentions": ["entity", "start", "end", "text", "confidence"],
    "quotes": ["text", "speaker", "entity", "kind", "cue", "quote_group", "start", "end",
               "speaker_start", "speaker_end"],
}


# Raw input is stored zlib-compressed with the article's own body as zlib's
# preset dictionary: the body is most of the input, so the compressed bytes
# hold little more than the boilerplate and back-references (a tenth of plain
# zlib's size on the benchmark corpus). Reading it back needs the body too.
BODY_ZLIB = "zlib+body"
_WINDOW = 32768  # zlib looks back at most this far, so only the body's end can help


def raw_dictionary(body: str | None, encoding: str | None) -> bytes:
    """The body in the input's own encoding (so a cp1251 input finds its words in it)."""
    try:
        data = (body or "").encode(encoding or "utf-8", errors="replace")
    except LookupError:
        data = (body or "").encode("utf-8")
    return data[-_WINDOW:]


def compress_raw(raw: bytes, body: str | None, encoding: str | None) -> bytes:
    packer = zlib.compressobj(9, zdict=raw_dictionary(body, encoding))
    return packer.compress(raw) + packer.flush()


def decompress_raw(raw: bytes, compression: str | None, body: str | None = None,
                   encoding: str | None = None) -> bytes:
    """The input bytes of a `sources` row (`compression` 'zlib+body', 'zlib' or none).

    'zlib+body' needs the article's body: a different body (an edited
    article) fails zlib's dictionary check and raises ValueError.
    """
    if compression == BODY_ZLIB:
        if body is None:
            raise ValueError("raw bytes compressed against the body: pass the article's body too")
        try:
            unpacker = zlib.decompressobj(zdict=raw_dictionary(body, encoding))
            return unpacker.decompress(raw) + unpacker.flush()
        except zlib.error as error:
            raise ValueError(f"raw bytes do not match this body ({error}); was the body edited?") from None
    if compression == "zlib":
        return zlib.decompress(raw)
    return raw


def _json(value, **kw):
    return json.dumps(value, ensure_ascii=False, **kw) if value else None


def document_rows(doc: Document) -> dict[str, list[dict]]:
    """Rows of every table for one document (no ids); cached on `doc.rows`.

    Ingest workers call this right after processing, so the costly part
    (stemming for the word-form indexes) runs in parallel, not in the writer.
    """
    if doc.rows is None:
        doc.rows = _rows(doc)
    return doc.rows


def _rows(doc: Document) -> dict[str, list[dict]]:
    article = {
        "path": doc.path, "item": doc.item, "sha256": doc.sha256, "url": doc.url, "title": doc.title,
        "author": doc.author, "published": doc.published, "source": doc.source, "language": doc.language,
        "body": doc.body, "word_count": len(doc.body.split()), "encoding": doc.encoding,
        "warnings": _json(doc.warnings), "field_sources": _json(doc.field_sources, sort_keys=True),
    }
    source = {"size": len(doc.raw), "encoding": doc.encoding, "compression": BODY_ZLIB,
              "raw": compress_raw(doc.raw, doc.body, doc.encoding)}
    # pieces without offsets (dropped by an HTML extractor) come first, in page order
    pieces = sorted(doc.removed, key=lambda p: (-1, -1) if p.start is None else (p.start, p.end))
    boilerplate = [{"position": n, "start": p.start, "end": p.end, "text": p.text, "reason": p.reason}
                   for n, p in enumerate(pieces)]
    unique = {(m.start, m.end, m.entity): m for m in doc.mentions}  # one row per span and entity
    mentions = [{"entity": m.entity, "start": m.start, "end": m.end, "text": m.text, "confidence": m.confidence}
                for _, m in sorted(unique.items())]
    quotes = [{"text": q.text, "speaker": q.speaker, "entity": q.entity, "kind": q.kind, "cue": q.cue,
               "quote_group": q.group, "start": q.start, "end": q.end, "speaker_start": q.speaker_start,
               "speaker_end": q.speaker_end}
              for q in sorted(doc.quotes, key=lambda q: (q.start, q.end))]
    # Word-form index rows (stemming is the costly part: done here, in the
    # worker, not by the single writer).
    articles_stem = [{"title": stemming.stem_text(doc.title, doc.language),
                      "body": stemming.stem_text(doc.body, doc.language)}]
    quotes_stem = [{"text": stemming.stem_text(q["text"], doc.language),
                    "speaker": stemming.stem_text(q["speaker"], doc.language)} for q in quotes]
    return {"articles": [article], "sources": [source], "boilerplate": boilerplate,
            "mentions": mentions, "quotes": quotes, "articles_stem": articles_stem, "quotes_stem": quotes_stem}


def signature_rows(article_id: int, signature: list[int] | None) -> tuple[list[dict], list[dict]]:
    """(minhashes rows, minhash_bands rows) of an article's near-duplicate signature."""
    if signature is None:
        return [], []
    return ([{"article_id": article_id, "signature": dedup.pack(signature)}],
            [{"band_key": key, "article_id": article_id} for key in dedup.bands(signature)])


def resolve_entities(rows: list[dict], entity_ids: list[int]) -> list[dict]:
    """Mention or quote rows with `entity_id` in place of the document's entity index."""
    resolved = []
    for row in rows:
        row = dict(row)
        index = row.pop("entity")
        row["entity_id"] = entity_ids[index] if index is not None else None
        resolved.append(row)
    return resolved
