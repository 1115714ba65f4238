"""Normalise decoded text: Unicode NFC, hyphens, line endings, white space, paragraphs.

After this stage `doc.text` has Unix line endings, no control characters, no
exotic spaces, no space at either end of a line, and at most one blank line
between blocks. Single line breaks are kept: in page-text dumps a line is
often a unit of its own (a menu item, a caption), and the cleaner decides per
line.
"""
from __future__ import annotations

import re
import unicodedata

from .pipeline import Context, Document

# Characters that carry no text: zero-width space, word joiner, BOM, soft hyphen.
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad]")
# Spaces of every width become one plain space (NBSP included: the cleaner and
# the search index should not have to know about them).
_SPACES = re.compile("[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
# C0/C1 controls other than the line feed; NUL bytes come through here too.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f]")
_BLANK_RUN = re.compile(r"\n{3,}")
# Hyphens that look like "-" but are other characters (U+2010 hyphen, U+2011 non-breaking hyphen):
# "Санкт‑Петербург" and "COVID‑19" must match their plain spellings, and a spaced one is a dash
# ("Мне 73 года, ‑ рассказывает Вячеслав Черняев. ‑ Считаю …"). One character for one: offsets hold.
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-"})
# A minus sign (U+2212) between spaces is a dash typed with the wrong key: `", − підкреслила Мей`.
# Bound to a number (`−5 °C`) or between numbers (`7 − 3`) it stays a minus.
_MINUS_DASH = re.compile(r"(?:(?<=\s)(?<!\d\s)|^)\u2212(?=\s)(?!\s\d)", re.M)


def normalize_text(text: str) -> str:
    """Return `text` normalised as described in the module docstring."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2029", "\n\n").replace("\u2028", "\n").replace("\x85", "\n")
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = text.translate(_HYPHENS)
    text = _MINUS_DASH.sub("\u2013", text)
    text = _CONTROLS.sub("", text)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = _BLANK_RUN.sub("\n\n", text)
    return text.strip("\n")


def run(doc: Document, ctx: Context) -> None:
    doc.text = normalize_text(doc.text)
