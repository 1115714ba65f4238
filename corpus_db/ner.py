"""Named-entity recognisers per language, loaded once per process.

English and French use spaCy's small pipelines with only the `ner` component
(each ships its own tok2vec inside `ner`, so nothing else is needed). Russian
uses natasha (slovnet NER + morphology for lemmas and name parts). Ukrainian
has no NER model on PyPI: natasha's Russian NER is applied to it, with a lower
confidence, and pymorphy3's Ukrainian dictionary gives lemmas.

Every recogniser returns `RawSpan`s: character offsets into the text given, a
coarse type (PERSON, ORG, PLACE, MISC), a confidence, and for Slavic text the
lemma and name parts used for linking.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

SPACY_LANGS = ("en", "fr")
NATASHA_LANGS = ("ru", "uk")


@dataclass
class RawSpan:
    """One recognised span before linking."""

    start: int
    end: int
    type: str
    confidence: float
    lemma: str | None = None  # normal form of the whole span (Slavic languages)
    parts: dict[str, str] = field(default_factory=dict)  # first/last/middle for people


@lru_cache(maxsize=None)
def rules() -> dict[str, Any]:
    """The stage's rule file (label maps, model names, confidences)."""
    text = resources.files("corpus_db").joinpath("data/ner_rules.json").read_text("utf-8")
    return json.loads(text)


def confidence(lang: str) -> float:
    conf = rules()["confidence"]
    return conf.get(lang, conf["default"])


def coarse(label: str) -> str | None:
    """Map a model's label to PERSON/ORG/PLACE/MISC, or None for dates, numbers..."""
    return rules()["labels"].get(label)


def supported(lang: str) -> bool:
    return lang in SPACY_LANGS or lang in NATASHA_LANGS


# --- spaCy -----------------------------------------------------------------


def load_spacy(lang: str):
    """Load the language's spaCy pipeline with only the NER component."""
    import spacy

    name = rules()["spacy_models"][lang]
    # Excluded components are never built, which saves load time and memory.
    return spacy.load(name, exclude=rules()["spacy_exclude"])


def spacy_model(lang: str, ctx):
    return ctx.cached(f"ner:spacy:{lang}", lambda: load_spacy(lang))


def spacy_spans(texts: list[str], lang: str, ctx) -> list[list[RawSpan]]:
    """Run spaCy NER over texts in batches (nlp.pipe)."""
    nlp = spacy_model(lang, ctx)
    conf = confidence(lang)
    out = []
    inputs = [model_text(t) for t in texts] if rules().get("titlecase_caps_lines") else texts
    for sdoc in nlp.pipe(inputs, batch_size=rules()["batch_size"]):
        spans = []
        for ent in sdoc.ents:
            kind = coarse(ent.label_)
            if kind:
                spans.append(RawSpan(ent.start_char, ent.end_char, kind, conf, parts={"label": ent.label_}))
        out.append(spans)
    return out


def model_text(text: str) -> str:
    """The text as the model should see it: all-capitals lines in title case.

    Small models trained on mixed case miss names in capitals ("KEVIN BROWN
    LOWERS ERA"); offsets are unchanged because only letter case changes (a
    line whose length title-casing would change is left as it is).
    """
    lines = text.split("\n")
    for i, line in enumerate(lines):
        letters = [c for c in line if c.isalpha()]
        if len(letters) >= 4 and all(c.isupper() for c in letters):
            titled = line.title()
            if len(titled) == len(line):
                lines[i] = titled
    return "\n".join(lines)


# --- natasha (Russian, applied to Ukrainian) --------------------------------


class Natasha:
    """natasha's segmenter, NER and morphology, with pymorphy3 for Ukrainian."""

    def __init__(self):
        from natasha import (
            MorphVocab,
            NamesExtractor,
            NewsEmbedding,
            NewsMorphTagger,
            NewsNERTagger,
            Segmenter,
        )

        emb = NewsEmbedding()
        self.segmenter = Segmenter()
        self.ner = NewsNERTagger(emb)
        self.morph = NewsMorphTagger(emb)
        self.vocab = MorphVocab()
        self.names = NamesExtractor(self.vocab)
        self._parts: dict[str, dict] = {}

    def uk_morph(self):
        return ukrainian_morph()

    def spans(self, text: str, lang: str) -> list[RawSpan]:
        from natasha import Doc

        doc = Doc(text)
        doc.segment(self.segmenter)
        doc.tag_ner(self.ner)
        conf = confidence(lang)
        if lang == "ru":
            tag_morph_where_named(doc, self.morph)
        out = []
        for span in doc.spans:
            kind = coarse(span.type)
            if not kind:
                continue
            lemma, parts = None, {}
            if lang == "ru":
                span.normalize(self.vocab)
                lemma = span.normal
                if span.type == "PER":
                    parts = self.name_parts(lemma)
            else:
                for start, stop in self.uk_pieces(text, span.start, span.stop):
                    # Lemmas only for places: the dictionary reads foreign names as common
                    # nouns ("Бібі" -> "Біба").
                    lemma = self.uk_lemma(text[start:stop]) if kind == "PLACE" else None
                    out.append(RawSpan(start, stop, kind, conf, lemma=lemma))
                continue
            out.append(RawSpan(span.start, span.stop, kind, conf, lemma=lemma, parts=parts))
        return out

    def name_parts(self, normal: str) -> dict:
        """First, middle and last name of a normalised person name, cached.

        natasha's name grammar (yargy) cost a fifth of Russian NER time, and
        the same names recur across a corpus; the parts depend only on the
        normalised name, so each is parsed once per process.
        """
        parts = self._parts.get(normal)
        if parts is None:
            match = self.names.find(normal)
            parts = {}
            if match:
                parts = {k: v for k, v in match.fact.slots if v}
            if len(self._parts) < 100_000:
                self._parts[normal] = parts
        return dict(parts)

    def uk_pieces(self, text: str, start: int, stop: int) -> list[tuple[int, int]]:
        """The parts of a Ukrainian span made of words that can be names.

        The Russian model applied to Ukrainian takes capitalised adverbs and
        conjunctions for names ("Торік", "Проте") and runs over verbs
        ("Зеленський відвідав Київ"): words that the Ukrainian dictionary knows,
        but never as a noun or adjective, split the span and are dropped.
        """
        morph = self.uk_morph()
        if morph is None:
            return [(start, stop)]
        pieces, current = [], None
        for m in re.finditer(r"\S+", text[start:stop]):
            word = m.group(0).strip(".,;:!?«»\"'()").lower()
            a, b = start + m.start(), start + m.end()
            nameable = not word or not morph.word_is_known(word) or any(
                p.tag.POS in ("NOUN", "ADJF") for p in morph.parse(word)
            )
            if nameable:
                current = (current[0], b) if current else (a, b)
            else:
                if current:
                    pieces.append(current)
                current = None
        if current:
            pieces.append(current)
        return pieces

    def uk_lemma(self, words: str) -> str | None:
        return ukrainian_lemma(words)


def tag_morph_where_named(doc, tagger) -> None:
    """Morphology (for lemmas of names) only for the sentences that hold a name.

    The morphology tagger costs twice the NER model, and works sentence by
    sentence, so tagging only these sentences gives the same lemmas at a
    fraction of the cost.
    """
    from natasha.doc import inject_morph, sent_words

    named = [s for s in doc.sents if any(span.start < s.stop and span.stop > s.start for span in doc.spans)]
    if named:
        for sent, markup in zip(named, tagger.map([sent_words(s) for s in named])):
            inject_morph(sent.tokens, markup.tokens)


def natasha(ctx) -> Natasha:
    return ctx.cached("ner:natasha", Natasha)


@lru_cache(maxsize=None)
def ukrainian_morph():
    """pymorphy3 with its Ukrainian dictionary (the one word-form search uses), or None."""
    try:
        import pymorphy3

        return pymorphy3.MorphAnalyzer(lang="uk")
    except Exception:  # dictionary package missing: no Ukrainian lemmas
        return None


def ukrainian_lemma(words: str) -> str | None:
    """Ukrainian lemma of a name, word by word ("Україні" -> "Україна").

    The dictionary has no proper-name tags, so: a word that is already a
    normal form stays as it is ("Київ", not "кий"); otherwise the first noun
    reading's normal form.
    """
    morph = ukrainian_morph()
    if morph is None:
        return None
    out = []
    for word in words.split():
        parses = [p for p in morph.parse(word) if p.tag.POS == "NOUN"]
        if not parses or any(p.normal_form == word.lower() for p in parses):
            out.append(word)
            continue
        lemma = parses[0].normal_form
        out.append(lemma.capitalize() if word[:1].isupper() else lemma)
    return " ".join(out)


@lru_cache(maxsize=None)
def russian_morph():
    """pymorphy2 for Russian (natasha is imported first: it makes pymorphy2 work on Python 3.11)."""
    import natasha  # noqa: F401
    import pymorphy2

    return pymorphy2.MorphAnalyzer()


def geo_words(text: str, taken: list[RawSpan]) -> list[RawSpan]:
    """Russian place names the model missed: capitalised words that pymorphy2's
    dictionary tags as geographic (Geox) and whose lemma the gazetteer knows."""
    from .gazetteer import gazetteer

    morph, gaz = russian_morph(), gazetteer()
    out = []
    for m in re.finditer(r"(?<![\w-])[А-ЯЁ][а-яё]+(?![\w-])", text):
        if any(s.start < m.end() and m.start() < s.end for s in taken):
            continue
        best = morph.parse(m.group(0))[0]
        if "Geox" in best.tag.grammemes and best.score >= 0.5 and gaz.lookup(best.normal_form):
            lemma = best.normal_form.capitalize()
            out.append(RawSpan(m.start(), m.end(), "PLACE", confidence("propagated"), lemma=lemma))
    return out


# --- dispatch ---------------------------------------------------------------


def recognize(texts: list[str], lang: str, ctx) -> list[list[RawSpan]]:
    """Spans for each text in one language; empty lists for unsupported languages."""
    if lang in SPACY_LANGS:
        return spacy_spans(texts, lang, ctx)
    if lang in NATASHA_LANGS:
        model = natasha(ctx)
        return [model.spans(t, lang) for t in texts]
    return [[] for _ in texts]
