"""Find quotations by their marks: pair opening and closing quote marks.

Works on one paragraph at a time. Real articles mix mark styles and pair them
sloppily (`“…"`, `"…”`, `“…»`), so marks are paired by role, not by shape:
each mark is an opener or a closer from its own shape and from the characters
around it (a `"` after a space and before a letter opens, one after a letter
and before a space closes). Guillemets and low marks may hold inner
quotations („…“ inside «…»); single marks (‘…’) only ever nest, because an
apostrophe looks the same as a closing single mark.

A quotation whose paragraph ends before it closes is returned with
`closed=False`; the caller decides whether the next paragraph continues it.
"""
from __future__ import annotations

from dataclasses import dataclass
import re
from functools import lru_cache

OPEN_ONLY = "«„‹"
CLOSE_ONLY = "»›"
DOUBLE_AMBIGUOUS = '"“”'
# Marks that may close a quotation opened by each opener (sloppy pairs kept).
CLOSERS = {
    "«": "»”\"“",
    "‹": "›",
    "„": "“”\"»",
    "“": "”\"»“",
    "”": "”\"»“",
    '"': "\"”»“",
}
# Inner openers that nest inside each kind of quotation.
NESTS = {"«": "„“\"", "‹": "", "„": "«‚", "“": "«", "”": "«", '"': "«"}
# What closes each inner opener.
INNER_CLOSE = {"„": "“”\"", "“": "”\"“", '"': "\"”“", "«": "»", "‚": "‘’"}
SPACE_BEFORE_OPEN = set("([{—–-/:;,") | set(OPEN_ONLY)
PUNCT_AFTER_CLOSE = set(".,;:!?…)]}—–-/") | set(CLOSE_ONLY) | set("’'")


@dataclass(frozen=True)
class Marked:
    """A stretch of a paragraph between an opening mark and its closer.

    `open_at` is the offset of the opening mark, `close_at` that of the
    closing mark (paragraph end when `closed` is False); offsets are into the
    string passed to `find_marked`.
    """

    open_at: int
    close_at: int
    opener: str
    closer: str | None
    closed: bool


def _left_flanking(text: str, i: int) -> bool:
    """A mark that starts something: text follows it, space or start precedes it."""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    prev = text[i - 1] if i > 0 else ""
    return bool(nxt) and not nxt.isspace() and (not prev or prev.isspace() or prev in SPACE_BEFORE_OPEN)


def _right_flanking(text: str, i: int) -> bool:
    """A mark that ends something: text precedes it, space, end or punctuation follows."""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    prev = text[i - 1] if i > 0 else ""
    return bool(prev) and not prev.isspace() and (not nxt or nxt.isspace() or nxt in PUNCT_AFTER_CLOSE or nxt in DOUBLE_AMBIGUOUS)


def _can_open(text: str, i: int) -> bool:
    """Whether the mark at i can open a top-level quotation."""
    ch = text[i]
    if ch in OPEN_ONLY:
        return True
    if ch == "“":
        # “ opens unless it clearly ends a word with nothing after it
        return not (_right_flanking(text, i) and not _left_flanking(text, i))
    if ch in '"”':
        return _left_flanking(text, i) and not _right_flanking(text, i)
    return False


def _can_close(text: str, i: int, opener: str) -> bool:
    """Whether the mark at i closes a quotation opened by `opener`."""
    ch = text[i]
    if ch not in CLOSERS.get(opener, ""):
        return False
    if ch in CLOSE_ONLY or ch == "”":
        # a lone » or ” after a space still closes (sloppy "help! »")
        return True
    if ch == "“" and opener not in "„«" and _left_flanking(text, i) and not _right_flanking(text, i):
        return False  # a new “ opening, not a closer
    if ch == '"':
        return not (_left_flanking(text, i) and not _right_flanking(text, i)) or i == len(text) - 1
    return _right_flanking(text, i) or i == len(text) - 1


@lru_cache(maxsize=4096)
def find_marked(text: str) -> tuple[Marked, ...]:
    """Pair the quote marks of one paragraph into quotations, left to right.

    Cached: the stage asks about the same paragraph from several places.
    """
    if not any(ch in text for ch in OPEN_ONLY + DOUBLE_AMBIGUOUS):
        return _single_headline(text)
    found: list[Marked] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] in OPEN_ONLY + DOUBLE_AMBIGUOUS and _can_open(text, i):
            end, closer = _find_close(text, i)
            found.append(Marked(i, end, text[i], closer, closer is not None))
            i = end + 1
        else:
            i += 1
    return tuple(found)


SINGLE_HEADLINE = re.compile(r"(?:^|:\s+)(‘)[^‘\n]+(’)[.!?…]?\s*$")


def _single_headline(text: str) -> tuple[Marked, ...]:
    """`Ted Cruz: ‘Physically Assaulting A Reporter Is A Fireable Offense.’`: single marks as the only quotation.

    Headlines quote with single marks; elsewhere ‘…’ only nests, because an
    apostrophe looks like a closing single mark. Only a whole tail after a
    colon (or a whole paragraph) that ends on the closing mark counts.
    """
    m = SINGLE_HEADLINE.search(text)
    if not m:
        return ()
    return (Marked(m.start(1), m.start(2), "‘", "’", True),)


def _nested(text: str, at: int) -> bool:
    """Whether the mark at `at`, inside a quotation in the same marks, opens an inner one:
    «A «B» C», «A «B», «C» D», `"… спонсору "Брекзита" еще четыре приглашения …", - сообщают журналисты`.

    Only when the marks after it balance to close the outer quotation too:
    Russian and Ukrainian close «ОАО «НК «Роснефть» with one mark, so
    `«НК «Роснефть», ОАО «НОВАТЭК»` is a run of names, not a nesting; and in
    `"He called it "fake news," she said.` the quotation ends at `news,"`.
    A straight mark opens when it stands after a space and before a letter."""
    mark = text[at]
    closer = "»" if mark == "«" else mark
    depth = 2  # the outer quotation and this one
    for k in range(at + 1, len(text)):
        ch = text[k]
        if ch != mark and ch != closer:
            continue
        if ch == mark and (mark != closer or _left_flanking(text, k) and not _right_flanking(text, k)):
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return True
    return False


def _find_close(text: str, start: int) -> tuple[int, str | None]:
    """Offset of the mark closing the quotation opened at `start`, tracking nesting."""
    opener = text[start]
    # «…» with a later » only closes on »: inner “…” are nested quotations
    last_close = text.rfind("»")
    strict = opener == "«" and last_close > start
    stack: list[str] = []
    for j in range(start + 1, len(text)):
        ch = text[j]
        if stack:
            if ch in INNER_CLOSE.get(stack[-1], "") and (ch in "»’" or _right_flanking(text, j)):
                stack.pop()
            elif ch in NESTS.get(opener, "") and _left_flanking(text, j) and ch not in INNER_CLOSE.get(stack[-1], ""):
                stack.append(ch)
            continue
        if ch in NESTS.get(opener, "") and _left_flanking(text, j) and not _right_flanking(text, j):
            if not (strict and ch in "“\"") or last_close > j:
                stack.append(ch)
                continue
        if (ch == "“" and opener in "“”" and text.count("”", j + 1) >= 2 or ch in "«\"" and opener == ch and _nested(text, j)) \
                and _left_flanking(text, j) and not _right_flanking(text, j):
            # “A “B” C”, «A «B» C», "A "B" C": a quotation inside a quotation in the same marks, when the
            # marks after it close both
            stack.append(ch)
            continue
        if strict and ch != "»":
            continue
        if _can_close(text, j, opener):
            return j, ch
    return len(text), None
