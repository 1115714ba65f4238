"""Split an input file's bytes into documents, by format.

- `.txt`: one article per file, decoded by `read.decode`.
- `.html`/`.htm`: one article per page; trafilatura extracts the main text and
  the page's title, author, date, site name and URL from the markup. The
  lines of the page that trafilatura dropped are kept as removed pieces
  (reason `html_boilerplate`, no offsets) so nothing is silently lost.
- `.jsonl`/`.json`: one article per line (or a JSON array of articles, or a
  single object); `text`/`body`/`content`, `title`, `url`, `date`/`published`,
  `source`/`outlet`, `author`, `language` are mapped when present. Lines that
  are not valid JSON, or have no text, are reported with their line numbers
  while the others are ingested.
- `.gz` of any of these: decompressed first (with the same size limit).

The format is chosen by extension, and by sniffing the bytes when the
extension lies (HTML saved as .txt, gzip without .gz).
"""
from __future__ import annotations

import gzip
import hashlib
import io
import json
import re

from .pipeline import Document, Removed
from .read import Problem, ReadError, decode

SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".json", ".gz")

TEXT_FIELDS = ("text", "body", "content", "article", "maintext")
KNOWN_FIELDS = {
    "title": ("title", "headline"),
    "url": ("url", "link", "source_url"),
    "published": ("published", "date", "date_published", "datetime", "pubdate"),
    "source": ("source", "outlet", "site_name", "sitename", "publisher"),
    "author": ("author", "byline", "authors"),
    "language": ("language", "lang"),
    "cleaned": ("cleaned",),
}

_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta)\b", re.I | re.S)


def split(path: str, raw: bytes, max_bytes: int) -> tuple[list[Document], list[Problem]]:
    """Documents (item, raw, sha256, text, known metadata) in one file's bytes."""
    name = path.lower()
    if name.endswith(".gz") or raw.startswith(b"\x1f\x8b"):
        raw = gunzip(raw, max_bytes)
        name = name[:-3] if name.endswith(".gz") else name
    kind = format_of(name, raw)
    if kind == "html":
        return [html_document(path, raw)], []
    if kind == "jsonl":
        return json_documents(path, raw)
    return [text_document(path, raw)], []


def format_of(name: str, raw: bytes) -> str:
    """`txt`, `html` or `jsonl`: the extension, unless the bytes say otherwise."""
    if name.endswith((".html", ".htm")) or _HTML_START.match(raw[:2048]):
        return "html"
    if name.endswith((".jsonl", ".json")):
        return "jsonl"
    head = raw.lstrip()[:1]
    if head in (b"{", b"[") and _first_line_is_json(raw):
        return "jsonl"
    return "txt"


def _first_line_is_json(raw: bytes) -> bool:
    line = raw.lstrip().split(b"\n", 1)[0]
    try:
        return isinstance(json.loads(line), (dict, list))
    except ValueError:
        return False


def gunzip(raw: bytes, max_bytes: int) -> bytes:
    """Decompress, refusing more than max_bytes of output (a gzip bomb is small)."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as handle:
            data = handle.read(max_bytes + 1)
    except (OSError, EOFError) as error:
        raise ReadError(f"broken gzip data: {error}") from None
    if len(data) > max_bytes:
        raise ReadError(f"decompresses to more than {max_bytes / 1e6:.0f} MB (raise the limit with --max-bytes)")
    return data


def _new(path: str, raw: bytes, item: int = 0) -> Document:
    return Document(path=path, item=item, raw=raw, sha256=hashlib.sha256(raw).hexdigest())


def text_document(path: str, raw: bytes) -> Document:
    doc = _new(path, raw)
    doc.text, doc.encoding, warnings = decode(raw)
    doc.warnings.extend(warnings)
    doc.field_sources["format"] = "txt"
    return doc


def html_document(path: str, raw: bytes) -> Document:
    """Main text and metadata of a saved web page, via trafilatura."""
    import trafilatura

    doc = _new(path, raw)
    html, doc.encoding, warnings = decode(raw)
    doc.warnings.extend(warnings)
    result = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=True, favor_recall=True
    )
    if result is None or not (getattr(result, "text", None) or "").strip():
        raise ReadError("no article text found in this HTML page")
    doc.text = result.text
    known = {
        "title": result.title, "author": result.author, "published": result.date,
        "source": result.sitename, "url": result.url, "language": None,
    }
    if known["author"] and _is_month(known["author"]):
        known["author"] = None  # trafilatura read a dateline ("June 24, 2024 · AFP") as the byline
    doc.known = {k: v for k, v in known.items() if v}
    doc.url = doc.known.get("url")
    doc.field_sources["format"] = "html"
    doc.removed.extend(p for p in _dropped_lines(html, doc.text) if p.text != known["title"])
    return doc


def _is_month(value: str) -> bool:
    import calendar

    months = {m.lower() for m in list(calendar.month_name) + list(calendar.month_abbr) if m}
    return value.strip().lower().rstrip(".") in months


# Elements that hold a visual block of text on a page.
_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "td", "th", "blockquote",
           "dt", "dd", "div", "span", "a", "button", "label", "caption", "address", "pre", "time"}


def _dropped_lines(html: str, kept: str) -> list[Removed]:
    """Visible text blocks of the page that the extraction left out, in page order."""
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, TypeError, lxml_html.etree.ParserError):
        return []
    for element in tree.xpath("//script|//style|//noscript|//template|//head"):
        element.drop_tree()
    kept_flat = " ".join(kept.split())
    dropped, seen = [], set()
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag not in _BLOCKS:
            continue
        if any(isinstance(child.tag, str) and child.tag in _BLOCKS for child in element.iterdescendants()):
            continue  # only the innermost blocks, so no text is counted twice
        text = " ".join(element.text_content().split())
        if text and text not in kept_flat and text not in seen:
            seen.add(text)
            dropped.append(Removed(None, None, text, "html_boilerplate"))
    return dropped


def json_documents(path: str, raw: bytes) -> tuple[list[Document], list[Problem]]:
    """One document per JSON Lines record (or array item); problems by line number."""
    text, _, _ = decode(raw)
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            records = json.loads(stripped)
        except ValueError as error:
            raise ReadError(f"not valid JSON: {error}") from None
        items = [(n, json.dumps(r, ensure_ascii=False, sort_keys=True), r) for n, r in enumerate(records, 1)]
        return _records(path, items, "item")
    items = []
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            items.append((number, line, json.loads(line)))
        except ValueError as error:
            problems.append(Problem(f"{path}:{number}", f"line {number}: not valid JSON ({error})"))
    docs, more = _records(path, items, "line")
    return docs, problems + more


def _records(path: str, items, unit: str) -> tuple[list[Document], list[Problem]]:
    docs, problems = [], []
    for number, line, record in items:
        if not isinstance(record, dict):
            problems.append(Problem(f"{path}:{number}", f"{unit} {number}: not a JSON object"))
            continue
        body = next((record[f] for f in TEXT_FIELDS if isinstance(record.get(f), str) and record[f].strip()), None)
        if body is None:
            problems.append(Problem(f"{path}:{number}", f"{unit} {number}: no text ({', '.join(TEXT_FIELDS)})"))
            continue
        doc = _new(path, line.encode("utf-8"), item=number)
        doc.text, doc.encoding = body, "utf-8"
        doc.known = _known_fields(record)
        doc.url = doc.known.get("url")
        doc.field_sources["format"] = "jsonl"
        docs.append(doc)
    return docs, problems


def _known_fields(record: dict) -> dict:
    known = {}
    for field, names in KNOWN_FIELDS.items():
        for name in names:
            value = record.get(name)
            if isinstance(value, list):
                value = ", ".join(str(v) for v in value if v)
            if value not in (None, ""):
                known[field] = str(value).strip()
                break
    return known
