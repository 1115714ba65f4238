"""Word-form matching for search: `выборы` finds `выборов`, `вибори` finds `виборів`.

SQLite's FTS5 has no Russian or Ukrainian stemmer, so corpus_db keeps a
shadow index (migration 0002: `articles_stem_fts`, `quotes_stem_fts`) whose
text is the stemmed form of each word, and stems the user's query the same
way. benchmarks/search_stemming.py measures what this buys.

- Russian, English, French, German, …: the Snowball stemmers
  (`snowballstemmer`), fast and dictionary-free; with PyStemmer installed
  (a dependency) snowballstemmer hands the work to its C stemmers, which give
  the same stems in a third of the time.
- Ukrainian: Snowball has no Ukrainian stemmer, so words are lemmatised with
  pymorphy3 and its Ukrainian dictionary; every lemma of an ambiguous word is
  kept (`Києві` is both `київ` and `кий`), which favours recall.

A query does not say its language, so each query word becomes an OR of its
stems under every stemmer that fits its script (Cyrillic: Russian and
Ukrainian; Latin: English and French), plus the word itself.
"""
from __future__ import annotations

import bisect
import functools
import html
import itertools
import re
from collections.abc import Iterator

try:
    import snowballstemmer
except ImportError:  # without it words are indexed as written: search still works
    snowballstemmer = None

# The highlight marks used in snippets. Private-use characters never occur in
# news text; the Datasette plugin HTML-escapes a value first and only then
# turns these into <mark> tags, so article text can never inject markup.
MARK_OPEN = "\ue000"
MARK_CLOSE = "\ue001"

# Words as FTS5's unicode61 tokenizer sees them, keeping the Ukrainian
# apostrophe inside a word (пам'ять) so the lemmatiser gets the whole word.
WORD = re.compile(r"\w+(?:['’ʼ]\w+)*")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")

SNOWBALL = {
    "ru": "russian", "en": "english", "fr": "french", "de": "german", "es": "spanish",
    "it": "italian", "pt": "portuguese", "nl": "dutch", "pl": "polish", "cs": "czech",
    "sv": "swedish", "da": "danish", "no": "norwegian", "fi": "finnish", "hu": "hungarian",
    "ro": "romanian", "tr": "turkish", "el": "greek", "sr": "serbian", "lt": "lithuanian",
    "et": "estonian", "ca": "catalan", "eu": "basque", "hy": "armenian", "ar": "arabic",
}
QUERY_LANGUAGES_CYRILLIC = ("ru", "uk")
QUERY_LANGUAGES_LATIN = ("en", "fr")


@functools.lru_cache(maxsize=None)
def _snowball(language: str):
    return snowballstemmer.stemmer(SNOWBALL[language])


@functools.lru_cache(maxsize=1)
def _ukrainian():
    """The pymorphy3 analyser for Ukrainian, or None where it is not installed."""
    try:
        import pymorphy3
        return pymorphy3.MorphAnalyzer(lang="uk")
    except Exception:  # missing package or dictionary: fall back to plain words
        return None


CYRILLIC_LANGUAGES = {"ru", "uk"}


def _language_for(word: str, language: str) -> str:
    """The stemmer for a word: its text's language, unless the word is in another
    script (a Russian phrase in an English article, "Telegram" in a Russian one)."""
    cyrillic = bool(CYRILLIC.search(word))
    if cyrillic and language not in CYRILLIC_LANGUAGES:
        return "ru"
    if not cyrillic and language in CYRILLIC_LANGUAGES:
        return "en"
    return language


@functools.lru_cache(maxsize=200_000)
def word_stems(word: str, language: str) -> tuple[str, ...]:
    """The index terms for one word of a text in `language`."""
    language = _language_for(word, language)
    word = word.lower().replace("ё", "е").replace("’", "'").replace("ʼ", "'")
    if language == "uk":
        morph = _ukrainian()
        if morph is None:
            return (word,)
        lemmas = dict.fromkeys(p.normal_form.replace("ё", "е") for p in morph.parse(word))
        return tuple(lemmas) or (word,)
    if language in SNOWBALL and snowballstemmer is not None:
        return (_snowball(language).stemWord(word),)
    return (word,)


def stem_text(text: str | None, language: str | None) -> str:
    """The text as index terms: every word replaced by its stem(s)."""
    if not text:
        return ""
    language = (language or "und").lower()
    return " ".join(" ".join(word_stems(m.group(), language)) for m in WORD.finditer(text))


def query_word_stems(word: str) -> list[str]:
    """Every stem a query word may have in the index, whatever its language."""
    languages = QUERY_LANGUAGES_CYRILLIC if CYRILLIC.search(word) else QUERY_LANGUAGES_LATIN
    stems = {word.lower().replace("ё", "е")}
    for language in languages:
        stems.update(word_stems(word, language))
    return sorted(stems)


def _fts_term(stem: str) -> str:
    """One index term as FTS5 syntax: quoted, so no query text is ever read as
    syntax. A stem the index's tokenizer splits ("пам'ять", "don't") is its
    pieces ANDed: quoted whole it would be a phrase, which an index without
    positions (detail=column) refuses."""
    pieces = _FTS_TOKEN.findall(stem)
    if len(pieces) > 1:
        return "(" + " AND ".join(_quoted(p) for p in pieces) + ")"
    return _quoted(stem)


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


# What FTS5's unicode61 tokenizer keeps together: letters and digits (ʼ, a
# modifier letter, among them), not apostrophes, hyphens or underscores.
_FTS_TOKEN = re.compile(r"[^\W_]+")


def stem_query(query: str | None) -> str:
    """An FTS5 MATCH expression for the stemmed index: all query words, any form.

    `выборы Надеждин` -> `("выбор" OR "выборы" OR ...) AND ("надеждин" OR ...)`.
    Returns a term that matches nothing when the query has no words.
    """
    words = WORD.findall(query or "")
    if not words:
        return '"\ue000"'
    groups = ["(" + " OR ".join(_fts_term(s) for s in query_word_stems(w)) + ")" for w in words]
    return " AND ".join(groups)


def fts_escape(query: str | None) -> str:
    """A plain FTS5 query that searches for every word of `query` (no syntax errors)."""
    words = WORD.findall(query or "")
    if not words:
        return '"\ue000"'
    return " ".join(_quoted(w) for w in words)  # a split word is a phrase here (detail=full)


def stem_snippet(text: str | None, query: str | None, language: str | None, words: int = 24) -> str:
    """A window of `text` around the words matching `query` in any form, marked.

    Matching words are wrapped in MARK_OPEN/MARK_CLOSE; the text itself is
    returned unescaped (the plugin escapes it before it reaches HTML).

    Called for every row a stemmed search shows, on whole article bodies, so
    it spares work per word: only words starting like a wanted stem are
    stemmed, words between hits are counted only as far as the window needs,
    and only the window's words are listed.
    """
    if not text:
        return ""
    words = max(words, 0)  # a negative size gives an empty window, as it always did
    wanted = {s for w in WORD.findall(query or "") for s in query_word_stems(w)}
    language = (language or "und").lower()
    hits = []
    if wanted:
        prefixes = frozenset(stem[:2] for stem in wanted)
        # A form that shares no first letters with its stem (rare): look at every word.
        hits = _prefiltered_hits(text, wanted, language, prefixes) or _all_hits(text, wanted, language)
    if not hits:
        first = WORD.search(text)
        return text[:200] if first is None else _marked(text, first.start(), words, set(), False)
    # Words between hits are counted up to max(words, 4) only: the window and
    # its ellipses come out the same (see _token_indexes).
    indexes = _token_indexes(text, hits, max(words, 4))
    best = _best_window(indexes, words)
    back = min(3, indexes[best])  # the window opens three words before its first hit
    first = _word_before(text, hits[best], back)
    return _marked(text, first, words, set(hits), indexes[best] > back)


# A word (as WORD tokenises the whole text) starts here: not after a letter,
# nor after a letter and an apostrophe, which WORD takes into the word before.
TOKEN_START = r"(?<!\w)(?<!\w['’ʼ])"
WORD_HERE = re.compile(TOKEN_START + WORD.pattern)
WORD_START = re.compile(TOKEN_START + r"\w")
# str.lower() makes one character two only for İ (i + combining dot); it
# stands in for İ in _folded, so that offsets there are offsets in the text.
CAPITAL_I_DOT = "\ue002"


def _prefix(word: str) -> str:
    """The first letters of a word as they are compared with a wanted stem's."""
    return word[:2].lower().replace("ё", "е")


def _folded(text: str) -> str:
    """`text` lower-cased letter by letter as _prefix does it, with `ς` made `σ`
    (lower() makes a sigma final or not by the letters around it)."""
    return text.replace("İ", CAPITAL_I_DOT).lower().replace("ё", "е").replace("ς", "σ")


def _candidates(text: str, prefixes: frozenset[str]) -> Iterator[re.Match]:
    """The words of `text` (match objects, in order) whose `_prefix` may be one
    of `prefixes`: every such word, and a few whose `_prefix` is not (`ΑΣ…`,
    `ας` to _prefix, is found for `ασ`), so callers check each."""
    folded = _folded(text)
    if len(folded) != len(text):  # a character lower() lengthens besides İ (none today)
        yield from WORD.finditer(text)
        return
    keys = {p.replace("ς", "σ") for p in prefixes} | ({CAPITAL_I_DOT} if "i\u0307" in prefixes else set())
    offsets = set()
    for key in keys:  # str.find is much faster than a case-insensitive regex
        offset = folded.find(key)
        while offset >= 0:
            offsets.add(offset)
            offset = folded.find(key, offset + 1)
    for offset in sorted(offsets):
        m = WORD_HERE.match(text, offset)
        if m:
            yield m


def _prefiltered_hits(text: str, wanted: set[str], language: str, prefixes: frozenset[str]) -> list[int]:
    """Offsets of the words of `text` whose stems include a wanted one, among
    the words starting like a wanted stem (`prefixes`): a snippet of a long
    body then costs a few stems, not one per word."""
    return [m.start() for m in _candidates(text, prefixes)
            if _prefix(m.group()) in prefixes and wanted.intersection(word_stems(m.group(), language))]


def _all_hits(text: str, wanted: set[str], language: str) -> list[int]:
    """Offsets of every word of `text` whose stems include a wanted one. Each
    distinct word is stemmed once, and the words are listed only when one of
    them is a hit (a body found through its title has none)."""
    found = {w for w in set(WORD.findall(text)) if wanted.intersection(word_stems(w, language))}
    if not found:
        return []
    return [m.start() for m in WORD.finditer(text) if m.group() in found]


def _token_indexes(text: str, hits: list[int], cap: int) -> list[int]:
    """The token index of each hit (an offset), counting at most `cap` words
    between two hits: hits that far apart share no window either way, and an
    index that reaches `cap` (at least 4) still says whether the window, which
    opens three words before a hit, leaves words out before it."""
    indexes, index, counted_to = [], 0, 0
    for offset in hits:
        if _at_least(cap).match(text, counted_to, offset):
            index += cap
        else:
            index += len(WORD.findall(text, counted_to, offset))
        indexes.append(index)
        counted_to = offset  # the next count starts with this hit's word
    return indexes


@functools.lru_cache(maxsize=None)
def _at_least(n: int) -> re.Pattern:
    """A regex that matches where `n` words follow, each as WORD tokenises them
    (atomic groups: the engine may not split a word to make up the number)."""
    return re.compile(r"(?>\W*" + WORD.pattern + r"){%d}" % n)


def _best_window(indexes: list[int], words: int) -> int:
    """Which hit (by position in `indexes`, the hits' token indexes) starts the
    window of `words` tokens holding the most hits; the earliest of equals."""
    best, best_count = 0, 0
    for i, first in enumerate(indexes):
        count = bisect.bisect_left(indexes, first + words) - i  # hits in first..first+words-1
        if count > best_count:
            best, best_count = i, count
    return best


def _word_before(text: str, offset: int, n: int) -> int:
    """The offset of the word `n` words before the one at `offset` (there are
    that many), found in a stretch before it that doubles until it holds them."""
    if n == 0:
        return offset
    span = 64
    while True:
        low = max(0, offset - span)
        starts = [m.start() for m in WORD_START.finditer(text, low, offset)]
        if len(starts) >= n or low == 0:
            return (starts[-n:] or [offset])[0]  # fewer words than asked: the first
        span *= 2


def _marked(text: str, offset: int, words: int, hits: set[int], cut_before: bool) -> str:
    """`words` tokens of `text` from the one at `offset`, the hits (offsets)
    wrapped in marks; an ellipsis first when words before are `cut_before`."""
    # One token more than shown tells whether words are left out at the end.
    tokens = list(itertools.islice(WORD.finditer(text, offset), words + 1))
    pieces, cursor = [], offset
    for m in tokens[:words]:
        pieces.append(text[cursor:m.start()])
        pieces.append(MARK_OPEN + m.group() + MARK_CLOSE if m.start() in hits else m.group())
        cursor = m.end()
    at_end = len(tokens) <= words
    if at_end:
        pieces.append(text[cursor:].rstrip())
    # An ellipsis only where words were left out, not for trailing punctuation.
    prefix = "…" if cut_before else ""
    suffix = "" if at_end else "…"
    return prefix + "".join(pieces) + suffix


def marks_to_html(value: str) -> str:
    """HTML for a marked string: escaped first, then the marks become <mark>."""
    escaped = html.escape(value, quote=True)
    return escaped.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")


# What the store runs to keep the shadow indexes in step (corpus_stem must be
# registered on its connection). Each fills only the rows still missing, so
# the same statements serve after writing one article and as a backfill after
# migration 0002 or after an article was edited by hand.
SYNC_SQL = (
    "INSERT INTO articles_stem_fts (rowid, title, body) "
    "SELECT id, corpus_stem(title, language), corpus_stem(body, language) FROM articles "
    "WHERE id NOT IN (SELECT rowid FROM articles_stem_fts)",
    "INSERT INTO quotes_stem_fts (rowid, text, speaker) "
    "SELECT q.id, corpus_stem(q.text, a.language), corpus_stem(q.speaker, a.language) "
    "FROM quotes q JOIN articles a ON a.id = q.article_id "
    "WHERE q.id NOT IN (SELECT rowid FROM quotes_stem_fts)",
)
# The same for one article and its quotes (parameter: the article id).
INDEX_ARTICLE_SQL = (
    "INSERT INTO articles_stem_fts (rowid, title, body) "
    "SELECT id, corpus_stem(title, language), corpus_stem(body, language) FROM articles WHERE id = :article_id",
    "INSERT INTO quotes_stem_fts (rowid, text, speaker) "
    "SELECT q.id, corpus_stem(q.text, a.language), corpus_stem(q.speaker, a.language) "
    "FROM quotes q JOIN articles a ON a.id = q.article_id WHERE q.article_id = :article_id",
)


def register_functions(conn) -> None:
    """SQL functions for stemmed search: corpus_stem, corpus_stem_query, ..."""
    conn.create_function("corpus_stem", 2, stem_text, deterministic=True)
    conn.create_function("corpus_stem_query", 1, stem_query, deterministic=True)
    conn.create_function("corpus_fts_query", 1, fts_escape, deterministic=True)
    conn.create_function("corpus_stem_snippet", 3, stem_snippet, deterministic=True)
