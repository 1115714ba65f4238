"""Cue words for the quotes stage, loaded from data/speech_verbs.json.

The word lists (speech verbs, 'according to' cues, pronouns, descriptions,
slogan and title context words) live in the data file so that adding a
language or a verb never means editing code. This module only compiles them
into regular expressions and sets, once per process.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

LANGS = ("en", "ru", "uk", "fr")
GENDERS = ("male", "female")
# word lists of speech_verbs.json whose words are not taken for census given names
NOT_GIVEN_NAMES = ("title_words", "person_words", "subject_stop", "determiners", "time_words", "org_words", "place_nouns")


@dataclass
class Lexicon:
    """Compiled cue lists for one language (or several merged)."""

    cue_re: PhraseMatcher
    according_re: PhraseMatcher
    pronouns: dict[str, set[str]]
    org_words: set[str]
    person_words: set[str]
    naming_re: PhraseMatcher | None
    subject_cut: set[str]
    leading_preps: set[str]
    adverbs: set[str]
    partial_before: set[str]
    determiners: set[str]
    slogan_context: set[str]
    chant_context: set[str]
    title_after: set[str]
    title_before: set[str]
    abbreviations: set[str]
    verbish: set[str] = field(default_factory=set)
    gender_words: dict = field(default_factory=dict)
    gender_titles: dict = field(default_factory=dict)
    female_suffixes: tuple = ()
    participle_leads: tuple = ()
    object_clitics: set[str] = field(default_factory=set)
    reflexive_possessives: set[str] = field(default_factory=set)
    quote_labels: set[str] = field(default_factory=set)
    subject_stop: set[str] = field(default_factory=set)
    subordinators: set[str] = field(default_factory=set)
    relatives: set[str] = field(default_factory=set)
    speaker_tails: set[str] = field(default_factory=set)
    subject_leads: set[str] = field(default_factory=set)
    inversion_leads: set[str] = field(default_factory=set)
    object_preps: set[str] = field(default_factory=set)
    topic_preps: set[str] = field(default_factory=set)
    see_also: set[str] = field(default_factory=set)
    source_preps: set[str] = field(default_factory=set)
    author_preps: set[str] = field(default_factory=set)
    result_leads: set[str] = field(default_factory=set)
    complementizers: set[str] = field(default_factory=set)
    document_cues: set[str] = field(default_factory=set)
    document_nouns: set[str] = field(default_factory=set)
    auxiliaries: set[str] = field(default_factory=set)
    participles: set[str] = field(default_factory=set)
    inverted_auxiliary: re.Pattern = re.compile(r"(?!)")  # `a-t-il`: an auxiliary and its subject pronoun
    not_inverted: set[str] = field(default_factory=set)
    first_names: dict = field(default_factory=dict)
    citing_cues: set[str] = field(default_factory=set)
    object_pronouns: dict = field(default_factory=dict)
    lang: str | None = None  # None: several languages merged
    adverbial_re: re.Pattern = re.compile(r"(?!)")  # a phrase between auxiliary and participle, or cue and speaker
    outlet_nouns: set[str] = field(default_factory=set)
    cited_nouns: set[str] = field(default_factory=set)
    honorifics: dict = field(default_factory=dict)
    openers: set[str] = field(default_factory=set)
    ly_nouns: set[str] = field(default_factory=set)
    np_extend: set[str] = field(default_factory=set)
    np_extend_stop: set[str] = field(default_factory=set)
    dash_dialogue: bool = False
    byline: set[str] = field(default_factory=set)
    noun_cues: set[str] = field(default_factory=set)
    title_words: set[str] = field(default_factory=set)
    conjunctions: set[str] = field(default_factory=set)
    noun_links: set[str] = field(default_factory=set)
    name_particles: set[str] = field(default_factory=set)
    time_words: set[str] = field(default_factory=set)
    place_nouns: set[str] = field(default_factory=set)
    numbers: dict = field(default_factory=dict)

    def pronoun_type(self, word: str) -> str | None:
        """'male', 'female', 'org', 'plural' or 'self' for a bare pronoun, else None."""
        w = word.strip().lower()
        for kind, words in self.pronouns.items():
            if w in words:
                return kind
        return None


def _alternation(words) -> str:
    """A regex alternation of phrases, longest first, spaces matching any whitespace."""
    uniq = sorted({w.lower() for w in words if w}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in uniq)


WORD_RE = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


class PhraseMatcher:
    """Find whole-word phrases from a list, fast: index by first word, then check the rest.

    A single regular expression alternating hundreds of verb forms is slow on
    long articles; looking each word up in a dictionary is not. Offers the
    `search`, `match` and `finditer(text, pos, endpos)` of a compiled pattern.
    """

    def __init__(self, phrases, blocked=()):
        """`blocked`: longer phrases that hold a phrase but are not one
        ("autrement dit" holds "dit"): matched, so that their words are taken,
        and never returned."""
        self.first: dict[str, list[re.Pattern]] = {}
        self.blocked = {" ".join(w.lower().split()) for w in blocked if w}
        by_first: dict[str, list[str]] = {}
        phrases = {w.lower() for w in phrases if w}
        # Ukrainian writes its apostrophe three ways (роз'яснив, роз’яснив, розʼяснив); the data file one
        phrases |= {w.replace("'", alt) for w in phrases if "'" in w for alt in "’ʼ"}
        for p in phrases | self.blocked:
            head = WORD_RE.match(p)
            if head:
                by_first.setdefault(head.group(), []).append(p)
        for head, group in by_first.items():
            self.first[head] = re.compile(
                "(?:" + _alternation(group) + r")(?![\w'’-])", re.IGNORECASE)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        """Matches left to right that do not overlap, as a compiled pattern's finditer gives them
        (`a dit` once, not `a dit` and then `dit`)."""
        end = len(text) if endpos is None else endpos
        taken = pos
        first = self.first
        for w in WORD_RE.finditer(text, pos, end):
            pat = first.get(w.group().lower())  # most words start no phrase: look that up first
            if pat is None:
                continue
            start = w.start()
            if start < taken or start > 0 and (text[start - 1] in "-'’" or text[start - 1].isalnum()):
                continue
            m = pat.match(text, start, end)
            if m:
                taken = m.end()
                if not self.blocked or not self._is_blocked(m):
                    yield m

    def search(self, text: str, pos: int = 0, endpos: int | None = None):
        return next(self.finditer(text, pos, endpos), None)

    def match(self, text: str, pos: int = 0, endpos: int | None = None):
        w = WORD_RE.match(text, pos, len(text) if endpos is None else endpos)
        pat = self.first.get(w.group().lower()) if w else None
        m = pat.match(text, pos, len(text) if endpos is None else endpos) if pat else None
        return None if m and self.blocked and self._is_blocked(m) else m

    def _is_blocked(self, m: re.Match) -> bool:
        return " ".join(m.group().lower().split()) in self.blocked


def _phrase_re(words, blocked=()) -> PhraseMatcher:
    """Match any of the phrases as whole words, case-insensitively (never
    the `blocked` phrases, nor the words inside them)."""
    return PhraseMatcher(words, blocked)


def _french_inversions(verbs: list[str], suffixes: list[str]) -> list[str]:
    """`a-t-il dit`, `explique-t-elle`, `dit-il`: verbs with the subject after them."""
    out = []
    pronouns = {s.rsplit("-", 1)[-1] for s in suffixes}
    for verb in verbs:
        parts = verb.split()
        if len(parts) == 2 and parts[0] in ("a", "ont"):
            aux = parts[0]
            for p in pronouns:
                link = "-t-" if aux == "a" else "-"
                out.append(f"{aux}{link}{p} {parts[1]}")
        elif len(parts) == 1:
            out.extend(verb + s for s in suffixes)
    return out


def _merged_dict(data: dict, langs: list[str], key: str) -> dict[str, set[str]]:
    """Merge {'male': [...], 'female': [...]} tables over languages."""
    out: dict[str, set[str]] = {}
    for code in langs:
        for kind, words in data[code].get(key, {}).items():
            out.setdefault(kind, set()).update(w.lower() for w in words)
    return out


def _first_names(data: dict, langs: list[str]) -> dict[str, set[str]]:
    """'male'/'female' -> given names: the languages' own lists, and for English the census list (given_names.tsv).

    The census counts Americans, so it serves English only (most American
    Patrices are women, French ones men), and a census name is left out
    when any language's list gives it the other gender (`Adrien`).
    """
    def listed(codes):
        return {g: {w for code in codes for w in data[code].get("first_names", {}).get(g, "").split()} for g in GENDERS}

    own = listed(langs)
    if langs != ["en"]:
        return own
    anywhere = listed(LANGS)
    # the census also has people called Aide, Star, Sunday and Many: words this file gives other work
    roles = {w.lower().rstrip(".") for key in NOT_GIVEN_NAMES for w in data["en"].get(key, []) + data["any"].get(key, [])}
    for name, gender in given_names():
        other = "female" if gender == "male" else "male"
        if name not in anywhere[other] and name not in roles:
            own[gender].add(name)
    return own


@lru_cache(maxsize=None)
def given_names() -> tuple[tuple[str, str], ...]:
    """(name, gender) pairs from data/given_names.tsv (see scripts/build_given_names.py)."""
    text = resources.files("corpus_db").joinpath("data/given_names.tsv").read_text(encoding="utf-8")
    return tuple(tuple(line.split("\t")) for line in text.splitlines() if line and not line.startswith("#"))


@lru_cache(maxsize=None)
def raw_data() -> dict:
    """The parsed data file."""
    with resources.files("corpus_db").joinpath("data/speech_verbs.json").open(encoding="utf-8") as f:
        return json.load(f)


def lexicon(lang: str) -> Lexicon:
    """The compiled lexicon for a language; unknown languages get all of them merged."""
    # One merged lexicon for every other language: compiling it takes ~0.15 s,
    # paid once, not once per language code (sv, de, und...) in every worker.
    return _lexicon(lang if lang in LANGS else None)


@lru_cache(maxsize=None)
def _lexicon(lang: str | None) -> Lexicon:
    data = raw_data()
    langs = [lang] if lang else list(LANGS)
    common = data["any"]

    def merged(key):
        out = []
        for code in langs:
            out.extend(data[code].get(key, []))
        return out

    def word_set(key):  # a merged word list as a lower-cased set
        return {w.lower() for w in merged(key)}

    def common_set(key):  # a language-independent word list as a lower-cased set
        return {w.lower() for w in common.get(key, [])}

    verbs = merged("verbs")
    # a one-word cue that is also written after an auxiliary ("déploré", "a déploré") is a participle:
    # it is a cue alone only when an adverb splits it from its auxiliary ("a encore déploré")
    auxiliaries = word_set("auxiliaries")
    verb_set = {v.lower() for v in verbs}
    participles = {v for v in verb_set if " " not in v and v.endswith(("é", "ée", "és", "ées", "u", "ue", "i", "ie", "is"))
                   and any(f"{a} {v}" in verb_set for a in auxiliaries)}  # ("dit" is also a present tense)
    inverted_pronouns = {x.rsplit("-", 1)[-1] for code in langs for x in data[code].get("inverted_suffixes", [])}
    inverted_auxiliary = re.compile(r"(?:" + _alternation(auxiliaries) + r")-(?:t-)?(" + _alternation(inverted_pronouns)
                                    + r"),?", re.IGNORECASE) if auxiliaries and inverted_pronouns else re.compile(r"(?!)")
    if "fr" in langs:
        verbs += _french_inversions(data["fr"]["verbs"], data["fr"].get("inverted_suffixes", []))
    pronouns: dict[str, set[str]] = {}
    for code in langs:
        for kind, words in data[code].get("pronouns", {}).items():
            pronouns.setdefault(kind, set()).update(w.lower() for w in words)
    naming = merged("naming")
    adverbials = merged("adverbials")
    return Lexicon(
        lang=lang,
        cue_re=_phrase_re(verbs, merged("not_cues")),
        according_re=_phrase_re(merged("according")),
        adverbial_re=re.compile(r"\s*,?\s*(?:" + _alternation(adverbials) + r")(?![\w'’-])\s*,?",
                                re.IGNORECASE) if adverbials else re.compile(r"(?!)"),
        pronouns=pronouns,
        org_words=word_set("org_descriptions"),
        person_words=word_set("person_descriptions"),
        naming_re=_phrase_re(naming) if naming else None,
        subject_cut=word_set("subject_cut"),
        leading_preps=word_set("leading_preps"),
        adverbs=word_set("adverbs"),
        partial_before=word_set("partial_before"),
        determiners=word_set("determiners"),
        slogan_context=common_set("slogan_context"),
        chant_context=common_set("chant_context"),
        title_after=common_set("title_after"),
        title_before=common_set("title_before"),
        abbreviations=common_set("abbreviations"),
        verbish=word_set("verbish"),
        gender_words=_merged_dict(data, langs, "gender_words"),
        gender_titles=_merged_dict(data, langs, "gender_titles"),
        honorifics=_merged_dict(data, langs, "honorifics"),
        openers=word_set("openers"),
        ly_nouns=word_set("ly_nouns"),
        np_extend=word_set("np_extend"),
        np_extend_stop=word_set("np_extend_stop"),
        byline=word_set("byline"),
        noun_cues=word_set("noun_cues"),
        dash_dialogue=any(data[code].get("dash_dialogue") for code in langs) and lang in LANGS,
        female_suffixes=tuple(merged("female_suffixes")),
        participle_leads=tuple(merged("participle_leads")),
        object_clitics=word_set("object_clitics"),
        reflexive_possessives=word_set("reflexive_possessives"),
        quote_labels=word_set("quote_labels"),
        subject_stop=word_set("subject_stop"),
        subordinators=word_set("subordinators"),
        relatives=word_set("relatives"),
        speaker_tails=word_set("speaker_tails"),
        subject_leads=word_set("subject_leads"),
        inversion_leads=word_set("inversion_leads"),
        citing_cues=word_set("citing_cues"),
        outlet_nouns=word_set("outlet_nouns"),
        cited_nouns=word_set("cited_nouns"),
        object_pronouns={k: v for code in langs for k, v in data[code].get("object_pronouns", {}).items()},
        object_preps=word_set("object_preps"),
        topic_preps=word_set("topic_preps"),
        see_also=word_set("see_also"),
        source_preps=word_set("source_preps"),
        author_preps=word_set("author_preps"),
        result_leads=word_set("result_leads"),
        complementizers=word_set("complementizers"),
        document_cues=word_set("document_cues"),
        document_nouns=word_set("document_nouns"),
        auxiliaries=auxiliaries,
        participles=participles,
        inverted_auxiliary=inverted_auxiliary,
        not_inverted=word_set("not_inverted"),
        title_words=word_set("title_words"),
        conjunctions=word_set("conjunctions"),
        noun_links=word_set("noun_links"),
        name_particles=common_set("name_particles"),
        time_words=word_set("time_words"),
        place_nouns=common_set("place_nouns"),
        first_names=_first_names(data, langs),
        numbers={k: common[k] for k in ("min_direct_words", "max_term_words", "max_speaker_words", "max_tail_words_to_cue",
                                        "attribution_window", "max_fragment_gap_words")},
    )
