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

import functools
import html
import re

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
    # Quoted, so no query text is ever read as FTS5 syntax.
    return '"' + stem.replace('"', '""') + '"'


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
    return " ".join(_fts_term(w) for w in words)


def stem_snippet(text: str | None, query: str | None, language: str | None, words: int = 24) -> str:
    """A window of `text` around the words matching `query` in any form, marked.

    Matching words are wrapped in MARK_OPEN/MARK_CLOSE; the text itself is
    returned unescaped (the plugin escapes it before it reaches HTML).
    """
    if not text:
        return ""
    wanted = {s for w in WORD.findall(query or "") for s in query_word_stems(w)}
    tokens = list(WORD.finditer(text))
    language = (language or "und").lower()
    hits = _hits(tokens, wanted, language, {stem[:2] for stem in wanted})
    if not hits:  # a form that shares no first letters with its stem (rare): look at every word
        hits = _hits(tokens, wanted, language, None)
    if not tokens:
        return text[:200]
    start = _best_window(hits, words)
    end = min(len(tokens), start + words)
    return _marked(text, tokens, start, end, set(hits))


def _hits(tokens, wanted: set[str], language: str, prefixes: set[str] | None) -> list[int]:
    """Indexes of the tokens whose stems include a wanted one. With `prefixes`,
    only words starting like a wanted stem are stemmed: a snippet of a long
    body then costs a few stems, not one per word."""
    return [i for i, m in enumerate(tokens)
            if (prefixes is None or m.group()[:2].lower().replace("ё", "е") in prefixes)
            and wanted.intersection(word_stems(m.group(), language))]


def _best_window(hits: list[int], words: int) -> int:
    """Index of the first token of the window holding the most hits."""
    if not hits:
        return 0
    best, best_count = hits[0], 0
    for first in hits:
        count = sum(1 for h in hits if first <= h < first + words)
        if count > best_count:
            best, best_count = first, count
    return max(0, best - 3)


def _marked(text: str, tokens, start: int, end: int, hits: set[int]) -> str:
    """Tokens start..end of `text` with the hits wrapped in marks."""
    pieces, cursor = [], tokens[start].start()
    for i in range(start, end):
        m = tokens[i]
        pieces.append(text[cursor:m.start()])
        pieces.append(MARK_OPEN + m.group() + MARK_CLOSE if i in hits else m.group())
        cursor = m.end()
    if end == len(tokens):
        pieces.append(text[cursor:].rstrip())
    # An ellipsis only where words were left out, not for trailing punctuation.
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(tokens) else ""
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
