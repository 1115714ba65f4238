"""Read title, author, publication date and outlet from a cleaned document.

The cleaner has already cut the text into body and labelled pieces: the
headline (`title`), the page's HTML title (`page_title`), bylines, datelines,
copyright lines, donation appeals. This stage parses those pieces; it never
looks at the body, where other outlets and dates are the article's subject.
Values a reader found in structured input (`doc.known`, e.g. JSON Lines
fields) win over the text. A field stays None rather than being guessed.

`doc.field_sources[field]` says where each value came from: "input:<key>",
"text:title_line", "text:title_affix", "text:copyright", "text:mention",
"text:byline", "text:dateline".
"""
from __future__ import annotations

import datetime as dt
import json
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

from .pipeline import Context, Document

DATA = Path(__file__).parent / "data"

KNOWN_KEYS = {
    "title": ("title", "headline"),
    "author": ("author", "authors", "byline", "creator"),
    "published": ("published", "date", "datetime", "pubdate", "published_at", "date_published", "publish_date"),
    "source": ("source", "outlet", "publisher", "site_name", "sitename", "site"),
}
# Separators between a headline and the site name in an HTML <title>.
AFFIX_SEPS = (" | ", " - ", " – ", " — ", " :: ", " · ", " • ", " // ")
# Removed pieces whose mention of an outlet names the page's own outlet.
SELF_REASONS = {"donation_appeal", "paywall", "newsletter", "copyright", "comment_form", "share_widget",
                "cookie_notice", "correction_note", "page_title"}


# --------------------------------------------------------------------------
# Outlets


@lru_cache(maxsize=1)
def outlets() -> tuple[dict[str, str], dict[str, str], re.Pattern]:
    """(name or variant -> canonical, domain -> canonical, regex of names)."""
    spec = json.loads((DATA / "outlets.json").read_text(encoding="utf8"))
    names, domains = {}, {}
    for o in spec["outlets"]:
        for n in [o["name"], *o.get("variants", [])]:
            names[n] = o["name"]
        for d in o.get("domains", []):
            domains[d.lower()] = o["name"]
    alts = sorted(names, key=len, reverse=True)
    rx = re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in alts) + r")(?!\w)")
    return names, domains, rx


def outlet_of_domain(text: str) -> str | None:
    """Canonical outlet of a URL or bare domain ("www.reuters.com")."""
    _, domains, _ = outlets()
    host = urlparse(text if "//" in text else "//" + text).hostname or ""
    host = host.lower().removeprefix("www.")
    while host:
        if host in domains:
            return domains[host]
        host = host.partition(".")[2]
    return None


def canonical_outlet(name: str) -> str | None:
    """Known outlet for a name as written, else None."""
    names, _, _ = outlets()
    name = name.strip(" .,:;|-–—")
    if name in names:
        return names[name]
    for key, canon in names.items():
        if key.lower() == name.lower():
            return canon
    if "." in name and " " not in name:
        return outlet_of_domain(name)
    return None


def looks_like_site(name: str) -> bool:
    """A short, capitalised name or a domain: plausible as a site suffix."""
    words = name.split()
    if not 1 <= len(words) <= 5 or len(name) > 40:
        return False
    if re.fullmatch(r"[\w-]+(\.[\w-]+)+", name):
        return True
    return all(w[0].isupper() or w[0].isdigit() or w.lower() in {"the", "of", "and", "de", "la", "le", "der", "die", "&"}
               for w in words)


def split_title(text: str) -> tuple[str, str | None]:
    """(headline, site) of a page title: "Headline - The Verge" ->
    ("Headline", "The Verge"); "Forbes.com: Headline" -> ("Headline", "Forbes")."""
    text = text.strip()
    parts = text.split(" | ")
    if len(parts) > 2:
        # "BBC NEWS | Business | Headline": sections between site and headline;
        # the headline is the longest part.
        head = max(parts, key=len)
        site = next((canonical_outlet(p) for p in parts if p != head and canonical_outlet(p)), None)
        if site is None and looks_like_site(parts[-1]) and parts[-1] != head:
            site = parts[-1].strip()
        return head.strip(), site
    for sep in AFFIX_SEPS:
        if sep in text:
            head, _, tail = text.rpartition(sep)
            if len(tail) % 2 == 0 and tail[:len(tail) // 2] == tail[len(tail) // 2:]:
                tail = tail[:len(tail) // 2]  # "BBC NewsBBC News", a doubled scrape
            known = canonical_outlet(tail)
            strict = sep in (" | ", " :: ", " // ") or known is not None
            if head and (known or (looks_like_site(tail) and (strict or len(head) > 2 * len(tail)))):
                return head.strip(), known or tail.strip()
            first, _, rest = text.partition(sep)
            if rest and canonical_outlet(first):
                return rest.strip(), canonical_outlet(first)
    m = re.match(r"([\w .&'-]{2,30}):\s+(.+)", text)
    if m and canonical_outlet(m.group(1)):
        return m.group(2).strip(), canonical_outlet(m.group(1))
    return text, None


# --------------------------------------------------------------------------
# Dates


@lru_cache(maxsize=1)
def _date_patterns() -> tuple[dict[str, int], list[tuple[str, re.Pattern]]]:
    spec = json.loads((DATA / "months.json").read_text(encoding="utf8"))
    months = {name: int(num) for num, names in spec["months"].items() for name in names}
    mon = "(?P<mon>" + "|".join(sorted(map(re.escape, months), key=len, reverse=True)) + r")\.?"
    pats = [
        ("iso", re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)(?:[T ](?P<hh>\d\d):(?P<mm>\d\d)(?::(?P<ss>\d\d))?(?P<tz>Z|[+-]\d\d:?\d\d)?)?(?!\d)")),
        ("mdy", re.compile(r"(?<!\w)" + mon + r" (?P<d>\d{1,2})(?:st|nd|rd|th)?,? (?P<y>(?:19|20)\d\d)(?!\d)", re.I)),
        ("dmy", re.compile(r"(?<!\d)(?P<d>\d{1,2})(?:er|\.)? " + mon + r",? (?P<y>(?:19|20)\d\d)(?!\d)", re.I)),
        ("dotted", re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>(?:19|20)?\d\d)(?![\d.]\d)")),
        ("slashed", re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>(?:19|20)\d\d)(?!\d)")),
    ]
    return months, pats


def parse_date(text: str) -> str | None:
    """First date in `text` as ISO 8601 ("2023-11-20", or a full timestamp
    when one is written ISO-style), else None. Dotted dates are day first
    (20.11.23); slashed ones month first unless that cannot be (US style)."""
    months, pats = _date_patterns()
    found = []
    for kind, rx in pats:
        for m in rx.finditer(text):
            g = m.groupdict()
            y = int(g["y"])
            if y < 100:
                y += 2000
            if kind in ("mdy", "dmy"):
                mo, d = months[g["mon"].lower()], int(g["d"])
            elif kind == "slashed":
                a, b = int(g["a"]), int(g["b"])
                mo, d = (a, b) if a <= 12 else (b, a)
            else:
                mo, d = int(g["m"]), int(g["d"])
            try:
                date = dt.date(y, mo, d)
            except ValueError:
                continue
            if not 1990 <= y <= 2100:
                continue
            iso = date.isoformat()
            if kind == "iso" and g.get("hh"):
                iso += f"T{g['hh']}:{g['mm']}:{g.get('ss') or '00'}"
                if g.get("tz"):
                    iso += "+00:00" if g["tz"] == "Z" else g["tz"]
            # ISO wins when present (it is unambiguous), else the first date.
            found.append((kind != "iso", m.start(), iso))
            break  # first of this kind is enough
    return min(found)[2] if found else None


def known_date(value) -> str | None:
    """A date from structured input: ISO strings pass through, others are parsed."""
    if isinstance(value, (int, float)):
        return dt.datetime.fromtimestamp(value, dt.timezone.utc).date().isoformat()
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d\d-\d\d([T ][\d:.]+(Z|[+-][\d:]+)?)?", text):
        return text.replace(" ", "T")
    return parse_date(text)


# --------------------------------------------------------------------------
# Authors

_NAME = r"[A-ZА-ЯЁІЇЄҐ][\w'’-]*\.?"
_NAMES = re.compile(_NAME + r"(?: (?:de |van |von |der |da |di |le |la )?" + _NAME + r"){1,3}")
_BYLINE_LEAD = re.compile(
    r"^\W*(?:by|von|par|por|автор(?:ы)?|текст|author|authors|written by|story by|reporting by|date|published|posted|updated|"
    r"опубликовано|опубліковано|дата)\b[: ]*", re.I)
_TIME = re.compile(r"\d{1,2}:\d\d(?::\d\d)?(?: ?[AaPp]\.?[Mm]\.?)?(?: [A-Z]{2,4}\b)?")
_NOT_NAMES = {"updated", "published", "posted", "staff", "reporter", "correspondent", "editor", "news", "photo"}


def parse_author(text: str) -> str | None:
    """Author names in a byline or dateline, as written ("Yuri Kobzar",
    "Jane Doe, John Roe"), else None."""
    months, pats = _date_patterns()
    for _, rx in pats:
        text = rx.sub(" ", text)
    text = _TIME.sub(" ", text)
    text = _BYLINE_LEAD.sub("", text.strip())
    names = []
    for m in _NAMES.finditer(text):
        name = m.group().strip(" .")
        words = name.split()
        if any(w.lower().strip(".") in months or w.lower() in _NOT_NAMES for w in words):
            continue
        if canonical_outlet(name):
            continue
        names.append(name)
    return ", ".join(dict.fromkeys(names)) if names and len(names) <= 4 else None


# --------------------------------------------------------------------------
# The stage


def _known(doc: Document, field: str):
    for key in KNOWN_KEYS[field]:
        value = doc.known.get(key) if doc.known else None
        if value not in (None, "", []):
            return key, value
    return None, None


# Words after "Copyright" that are not a holder ("Copyright Policy").
_NOT_HOLDERS = {"policy", "notice", "information", "info", "terms", "statement", "agent", "complaints", "the"}


def copyright_holder(text: str) -> str | None:
    """Outlet named by a copyright line ("(C)UNIAN 2023", "© 2017 BBC")."""
    m = re.search(r"(?:©|\(c\)|copyright)\s*(.{2,80})", text, re.I)
    if not m:
        return None
    rest = m.group(1)
    rest = re.split(r"all rights reserved|tous droits|alle rechte|все права|всі права|\. |\||;", rest, flags=re.I)[0]
    rest = re.sub(r"\b(19|20)\d\d\b(\s*[-–]\s*(19|20)?\d\d)?", " ", rest)
    rest = re.sub(r"\b(Inc|Ltd|LLC|GmbH|SA|S\.A|AG|Corp|Co|Limited|plc)\b\.?", " ", rest)
    for _, rx in _date_patterns()[1]:
        rest = rx.sub(" ", rest)
    rest = " ".join(rest.replace("©", " ").split()).strip(" .,-–")
    if not rest or re.fullmatch(r"[MDCLXVI]+", rest) or rest.lower() in _NOT_HOLDERS \
            or not any(ch.isalpha() for ch in rest):
        return None
    known = canonical_outlet(rest)
    if known:
        return known
    _, _, rx = outlets()
    hit = rx.search(rest)
    if hit:
        return canonical_outlet(hit.group())
    return rest if looks_like_site(rest) else None


def find_source(doc: Document, page_site: str | None) -> tuple[str | None, str | None]:
    """(outlet, where from) for a document, from its removed pieces."""
    if page_site:
        return page_site, "text:title_affix"
    for piece in doc.removed:
        if piece.reason == "copyright":
            holder = copyright_holder(piece.text)
            if holder:
                return holder, "text:copyright"
    _, _, rx = outlets()
    counts: dict[str, int] = {}
    for piece in doc.removed:
        if piece.reason in SELF_REASONS:
            for m in rx.finditer(piece.text):
                name = canonical_outlet(m.group())
                counts[name] = counts.get(name, 0) + 1
    if counts:
        return max(counts, key=lambda k: counts[k]), "text:mention"
    return None, None


def run(doc: Document, ctx: Context) -> None:
    """Fill doc.title, author, published, source and doc.field_sources."""
    pieces = doc.removed
    title_piece = next((p for p in pieces if p.reason == "title"), None)
    page_piece = next((p for p in pieces if p.reason == "page_title"), None)
    page_site = None
    if page_piece is not None:
        _, page_site = split_title(page_piece.text)
    title = None
    if title_piece is not None:
        title, site = split_title(title_piece.text)
        page_site = page_site or site

    key, value = _known(doc, "title")
    if value:
        doc.title, doc.field_sources["title"] = str(value).strip(), f"input:{key}"
    elif title:
        doc.title, doc.field_sources["title"] = title, "text:title_line"

    key, value = _known(doc, "source")
    url = doc.known.get("url") if doc.known else None
    if value:
        doc.source = canonical_outlet(str(value)) or str(value).strip()
        doc.field_sources["source"] = f"input:{key}"
    elif url and outlet_of_domain(str(url)):
        doc.source, doc.field_sources["source"] = outlet_of_domain(str(url)), "input:url"
    else:
        source, where = find_source(doc, page_site)
        if source:
            doc.source, doc.field_sources["source"] = source, where

    key, value = _known(doc, "published")
    if value and known_date(value):
        doc.published, doc.field_sources["published"] = known_date(value), f"input:{key}"
    else:
        _from_pieces(doc, "published", pieces, ("dateline", "byline"), parse_date)

    key, value = _known(doc, "author")
    if value:
        doc.author = ", ".join(map(str, value)) if isinstance(value, list) else str(value).strip()
        doc.field_sources["author"] = f"input:{key}"
    else:
        _from_pieces(doc, "author", pieces, ("byline", "dateline"), parse_author)


def _from_pieces(doc: Document, field: str, pieces, reasons, parse) -> None:
    """Set `field` from the first removed byline/dateline piece `parse` reads."""
    for piece in pieces:
        if piece.reason in reasons:
            value = parse(piece.text)
            if value:
                setattr(doc, field, value)
                doc.field_sources[field] = f"text:{piece.reason}"
                return
