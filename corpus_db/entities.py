"""The entities stage: named entities in the body, linked within the document.

    run(doc, ctx)         one document (the pipeline's stage)
    run_many(docs, ctx)   many documents, NER batched per language (faster)

Steps per document: the language's recogniser (corpus_db.ner) -> span repair
(line breaks, articles, trailing numbers) -> names of the curated alias file
found in the text -> document-level consistency (a name recognised once is a
mention wherever it recurs; one name keeps one type) -> typing rules (a country's
people are MISC, data/demonyms.json; in Russian an acronym no gazetteer knows is an
organisation, and a relational adjective before one is part of it) -> sports-results rule
(a club named after its town is an organisation) -> linking into entities with
cross-document keys (corpus_db.linking). Mentions are offsets into doc.body,
and doc.body[m.start:m.end] == m.text always holds.
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from . import linking, ner
from .pipeline import Context, Document, Mention

_WORD = re.compile(r"\w", re.UNICODE)


def run(doc: Document, ctx: Context) -> None:
    """Fill doc.entities and doc.mentions for one document."""
    run_many([doc], ctx)


def run_many(docs: list[Document], ctx: Context) -> None:
    """Fill entities and mentions for many documents, batching NER per language."""
    by_lang: dict[str, list[Document]] = defaultdict(list)
    for doc in docs:
        by_lang[doc.language or "und"].append(doc)
    for lang, group in by_lang.items():
        if not ner.supported(lang):
            for doc in group:
                doc.entities, doc.mentions = [], []
            continue
        spans = ner.recognize([d.body or "" for d in group], lang, ctx)
        for doc, raw in zip(group, spans):
            link_document(doc, repair(doc.body or "", raw, lang), ctx)


def link_document(doc: Document, spans: list[ner.RawSpan], ctx: Context) -> None:
    """Turn repaired spans into doc.entities and doc.mentions."""
    body = doc.body or ""
    items = [
        linking.Item(body[s.start : s.end], s.type, s.lemma, {k: v for k, v in s.parts.items() if k != "label"}, s.confidence)
        for s in spans
    ]
    gaz = ctx.cached("entities:gazetteer", load_gazetteer)
    entities, index = linking.cluster_document(items, gaz)
    doc.entities = entities
    doc.mentions = [Mention(s.start, s.end, body[s.start : s.end], index[i], s.confidence) for i, s in enumerate(spans)]


def load_gazetteer():
    from .gazetteer import gazetteer

    return gazetteer()


# --- span repair -------------------------------------------------------------------


def repair(text: str, spans: list[ner.RawSpan], lang: str) -> list[ner.RawSpan]:
    """All text-level fixes, in order; returns sorted, non-overlapping spans."""
    out = []
    for s in spans:
        for piece in split_lines(text, s):
            out += [t for t in split_brackets(text, piece) if trim(text, t)]
    stop = set(ner.rules()["not_names"])
    out = [s for s in out if text[s.start : s.end].casefold() not in stop]
    out = add_alias_matches(text, out, lang)
    out = propagate(text, out, lang)
    if lang == "ru":
        out += ner.geo_words(text, out)
    out = demonym_types(text, out)
    out = place_types(text, out, lang)
    if lang in ner.rules()["gazetteer_typed_langs"] or lang in ner.rules()["country_typed_langs"]:
        out = gazetteer_types(text, out, cities=lang in ner.rules()["gazetteer_typed_langs"])
    if lang in ner.rules()["acronym_org_langs"]:
        out = acronym_orgs(text, out)
    if lang in ner.rules()["org_adjective"]:
        out = org_adjectives(text, out, lang)
    out = sports_tables(text, out, lang)
    return sorted(dedupe_spans(out), key=lambda s: (s.start, s.end))


@lru_cache(maxsize=None)
def rule_pattern(*path: str) -> re.Pattern:
    """A regex of the rule file, compiled once (path: "split", or "trim", "leading")."""
    rule = ner.rules()
    for key in path:
        rule = rule[key]
    return re.compile(rule)


def split_lines(text: str, s: ner.RawSpan) -> list[ner.RawSpan]:
    """A name never runs over a line break, a " / " (photo credits) or a list separator
    ("Овечкин, Фёдоров", "Суринам • Сирия"): cut the span there (rules: "split")."""
    parts, start = [], s.start
    for m in rule_pattern("split").finditer(text[s.start : s.end]):
        parts.append(clone(s, start, s.start + m.start(), text))
        start = s.start + m.end()
    parts.append(clone(s, start, s.end, text))
    return [p for p in parts if p.end > p.start]


def split_brackets(text: str, s: ner.RawSpan) -> list[ner.RawSpan]:
    """A span that runs into a quote or bracket holds two names at most.

    'Джошуа Вольфа (Joshua Wolf)' is one name in two scripts: two mentions.
    'ОАО «Газпром»' is the company 'Газпром'; 'Русской службе «Голоса Америки'
    is two organisations. The part before a quote is kept when it has at least
    two words (a legal form or agency prefix alone, 'ОАО', 'РИА', is dropped).
    """
    piece = text[s.start : s.end]
    for opener in ("(", "«", "„", "“"):
        at = piece.find(opener)
        if at > 0:
            before = clone(s, s.start, s.start + at, text)
            after = clone(s, s.start + at + 1, s.end, text)
            keep = [before] if opener == "(" or len(piece[:at].split()) >= 2 else []
            return keep + split_brackets(text, after)
    return [s]


def clone(s: ner.RawSpan, start: int, end: int, text: str | None = None, **kw) -> ner.RawSpan:
    """A copy of `s` over start:end. A piece cut from a span loses the span's lemma,
    and its name parts unless it holds the surname: "Трампа\n\nБайден", cut at the
    line break, must not make "Байден" Donald Trump."""
    fields = dict(start=start, end=end, type=s.type, confidence=s.confidence, lemma=s.lemma, parts=dict(s.parts))
    if (start, end) != (s.start, s.end):
        fields["lemma"] = None  # the lemma was of the whole span
        last = s.parts.get("last")
        if last and (text is None or last.casefold() not in text[start:end].casefold()):
            fields["parts"] = {k: v for k, v in s.parts.items() if k == "label"}
    fields.update(kw)
    return ner.RawSpan(**fields)


def trim(text: str, s: ner.RawSpan) -> bool:
    """Trim articles, possessives, quotes and trailing numbers in place; False if nothing is left."""
    before = (s.start, s.end)
    changed = True
    while changed and s.end > s.start:
        changed = False
        piece = text[s.start : s.end]
        lead = rule_pattern("trim", "leading").match(piece)
        if lead and lead.end() < len(piece) and not sentence_start_keep(text, s.start, lead.group(0)):
            s.start += lead.end()
            changed = True
            continue
        tail = rule_pattern("trim", "trailing").search(piece)
        if tail and tail.start() > 0:
            s.end = s.start + tail.start()
            changed = True
    if (s.start, s.end) != before:
        s.lemma = None  # the lemma was of the untrimmed span
    piece = text[s.start : s.end]
    return bool(_WORD.search(piece)) and not piece.isdigit()


def sentence_start_keep(text: str, start: int, lead: str) -> bool:
    """Keep a capitalised "The" inside a sentence ("publication The Insider"): it is part of the name."""
    if not lead.startswith("The"):
        return False
    before = text[max(0, start - 3) : start]
    return bool(before.strip()) and not re.search(r"[.!?\n]\s*$|^\s*$", before)


def overlaps(a: ner.RawSpan, b: ner.RawSpan) -> bool:
    return a.start < b.end and b.start < a.end


def add_alias_matches(text: str, spans: list[ner.RawSpan], lang: str) -> list[ner.RawSpan]:
    """Find the alias file's distinctive names the model missed; they win over overlapping spans."""
    found = []
    for m in alias_pattern().finditer(text):
        entry = linking.find_alias(m.group(0))
        if entry is None:
            continue
        found.append(ner.RawSpan(m.start(), m.end(), entry["type"], ner.confidence("alias")))
    keep = [s for s in spans if not any(overlaps(s, f) for f in found)]
    # Keep model spans that contain an alias match and are longer ("Telegram channel" is not
    # a name, but "AFP" inside a longer ORG is its own mention): alias spans win.
    return keep + found


_ALIAS_RE = None


def alias_pattern():
    """One regex over the distinctive curated names, longest first, case-sensitive."""
    global _ALIAS_RE
    if _ALIAS_RE is None:
        names = set()
        for entry in linking.alias_entries():
            if entry.get("match_in_text"):
                for n in entry["names"]:
                    names |= {n, n.upper()}
                    names.add(n.replace("'", "’"))
        alts = sorted(names, key=len, reverse=True)
        _ALIAS_RE = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(a) for a in alts) + r")(?!\w)")
    return _ALIAS_RE


def propagate(text: str, spans: list[ner.RawSpan], lang: str) -> list[ner.RawSpan]:
    """A name the model found once is a mention wherever else it occurs in the document.

    Also finds the surname of a full person name used alone, and all-capitals
    headlines ("KEVIN BROWN") once the name is known from the body.
    """
    names: dict[str, ner.RawSpan] = {}
    for s in spans:
        piece = text[s.start : s.end]
        if len(piece) >= 3 and piece[:1].isupper():
            names.setdefault(piece, s)
    for s in spans:  # surnames after every full name, so a real one-word name wins
        words = text[s.start : s.end].split()
        if s.type == "PERSON" and len(words) > 1 and len(words[-1]) >= 3 and words[-1][:1].isupper():
            names.setdefault(words[-1], s)
    if not names:
        return spans
    taken = sorted((s.start, s.end) for s in spans)
    added = []
    for start, end in occurrences(text, names):
        word = text[start:end]
        src = names.get(word) or (names.get(_case_match(word, names)) if word.isupper() else None)
        if src is None or any(a < end and start < b for a, b in taken):
            continue
        lemma = src.lemma if text[src.start : src.end] == word else None
        added.append(ner.RawSpan(start, end, src.type, ner.confidence("propagated"), lemma=lemma))
        taken.append((start, end))
    return spans + added


def occurrences(text: str, names) -> list[tuple[int, int]]:
    """Where the names occur as whole words, any letter case, left to right without
    overlaps, the longest name winning at one position (like one regex alternation
    of the names, longest first, but without compiling one per document)."""
    low = text.lower()
    if len(low) != len(text):  # a letter whose lower case is longer: use a regex
        alts = sorted(names, key=len, reverse=True)
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(a) for a in alts) + r")(?!\w)", re.IGNORECASE)
        return [m.span() for m in pattern.finditer(text)]
    found = []
    for name in {n.lower() for n in names}:
        at = low.find(name)
        while at >= 0:
            end = at + len(name)
            if not (at and _is_word(text[at - 1])) and not (end < len(text) and _is_word(text[end])):
                found.append((at, end))
            at = low.find(name, at + 1)
    out, consumed = [], 0
    for start, end in sorted(found, key=lambda p: (p[0], -p[1])):
        if start >= consumed:
            out.append((start, end))
            consumed = end
    return out


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _case_match(word: str, names: dict) -> str | None:
    for n in names:
        if n.upper() == word:
            return n
    return None


@lru_cache(maxsize=16)
def is_sports(text: str, lang: str = "en") -> bool:
    """A sports report: enough sports words and scores ("3-1"), in a language the word list covers."""
    rules = ner.rules()["sports"]
    if lang not in rules["langs"]:
        return False
    words = set(rules["words"])
    hits = sum(1 for w in re.findall(r"[a-z-]+", text.lower()) if w in words)
    scores = len(re.findall(r"(?<![\d-])\d{1,3}-\d{1,3}(?![\d-])", text))
    return hits + scores >= rules["min_hits"]


def place_types(text: str, spans: list[ner.RawSpan], lang: str) -> list[ner.RawSpan]:
    """Use the gazetteer to settle place/organisation/person types.

    In sports reports a town or region named as a competitor is its club (ORG);
    countries stay places (national teams carry their country's name), and so
    does a place after "in", "at", "from" or in the dateline. Elsewhere, a
    one-name ORG/MISC that the gazetteer knows as a city or country is a place,
    and a one-word "place" the gazetteer does not know but that is a given
    name is a person ("Paulina").
    """
    from .gazetteer import gazetteer

    gaz = gazetteer()
    sports = is_sports(text, lang)
    surnames = {text[s.start : s.end].split()[-1] for s in spans if s.type == "PERSON" and " " in text[s.start : s.end]}
    out = []
    for s in spans:
        name = text[s.start : s.end]
        kind = s.type
        if sports and name in surnames:
            pass  # "Washington" after "MaliVai Washington" is the player
        elif sports:
            # The model also calls clubs people ("Surrey") or places: the gazetteer decides.
            town = kind == "PLACE" or (kind == "PERSON" and " " not in name and exact_place(gaz, name))
            if town and not is_country(gaz, name) and not place_context(text, s.start):
                kind = "ORG"
            elif kind in ("ORG", "PERSON") and is_country(gaz, name) and exact_place(gaz, name):
                kind = "PLACE"
        elif kind in ("ORG", "MISC") and s.confidence < ner.confidence("alias") and exact_place(gaz, name):
            kind = "PLACE"
        elif kind == "PLACE" and " " not in name and gaz.lookup(name) is None and is_given_name(name):
            kind = "PERSON"
        out.append(s if kind == s.type else clone(s, s.start, s.end, type=kind))
    return out


_NAME = r"[A-Z][A-Za-z'&.-]*(?: [A-Z][A-Za-z'&.-]*){0,2}"
_BEFORE_SCORE = re.compile(r"(?:^|(?<=, )|(?<=: )|(?<=\d )|(?<=\bv ))(" + _NAME + r") (?=\d)", re.M)
_PLAYER = re.compile(r"([A-Z][a-z'.-]+(?: [A-Z][A-Za-z'.-]+){1,2}) \(([A-Z][A-Za-z. ]+)\)")
_AFTER_VERSUS = re.compile(r"\bvs?\.? (" + _NAME + r")(?= \(|$|,| \d)", re.M)


def sports_tables(text: str, spans: list[ner.RawSpan], lang: str) -> list[ner.RawSpan]:
    """Competitors in results tables and fixtures of a sports report (rules: sports.about_table)."""
    if not is_sports(text, lang):
        return spans
    from .gazetteer import gazetteer

    gaz = gazetteer()
    stop = set(ner.rules()["sports"]["table_not_names"])
    found = []
    for pattern in (_BEFORE_SCORE, _AFTER_VERSUS):
        for m in pattern.finditer(text):
            name = m.group(1).rstrip(".")
            words = name.split()
            if words[0] in stop or any(re.fullmatch(r"[A-Z]\.?", w) for w in words):
                continue  # a month, a table heading, or an initial ("P. Simmons")
            start = m.start(1)
            if place_context(text, start):
                continue  # the dateline ("LONDON 1996-08-30") or "in Leeds 3 ..."
            kind = "PLACE" if is_country(gaz, name) else "ORG"
            found.append(ner.RawSpan(start, start + len(name), kind, ner.confidence("propagated")))
    # Results lists name players with their country: "Lindsay Davenport (U.S.) beat ...".
    for m in _PLAYER.finditer(text):
        if is_country(gaz, m.group(2).strip()) and not is_country(gaz, m.group(1)):
            found.append(ner.RawSpan(m.start(1), m.end(1), "PERSON", ner.confidence("propagated")))
    # A table name wins over a model span it overlaps, unless that span is a person's full name.
    keep = [s for s in spans if not any(overlaps(s, f) for f in found) or (s.type == "PERSON" and " " in text[s.start : s.end])]
    found = [f for f in found if not any(overlaps(f, s) for s in keep)]
    return keep + dedupe_spans(found)


def dedupe_spans(spans: list[ner.RawSpan]) -> list[ner.RawSpan]:
    """Non-overlapping spans: of two that overlap, the earlier (then longer) one stays."""
    out: list[ner.RawSpan] = []
    for s in sorted(spans, key=lambda s: (s.start, -s.end)):
        if not any(overlaps(s, o) for o in out):
            out.append(s)
    return out


def gazetteer_types(text: str, spans: list[ner.RawSpan], cities: bool) -> list[ner.RawSpan]:
    """A name the gazetteer knows as a country is a place ("Эфиопия" tagged as a person).

    With `cities` (where the model is a stand-in: natasha's Russian NER on
    Ukrainian), a one-word name it knows as a city is a place too ("Київ").
    """
    from .gazetteer import gazetteer

    gaz = gazetteer()
    out = []
    for s in spans:
        name = text[s.start : s.end]
        if s.type != "PLACE" and s.confidence < ner.confidence("alias"):
            lemma = s.lemma or (ner.ukrainian_lemma(name) if cities else None)
            place = gaz.lookup(*(n for n in (name, lemma) if n))
            if place is not None and (place.nation or (cities and " " not in name)):
                s = clone(s, s.start, s.end, type="PLACE", lemma=lemma)
        out.append(s)
    return out


def demonym_types(text: str, spans: list[ner.RawSpan]) -> list[ner.RawSpan]:
    """A country's people ("Briton", "британцы") are not a person, place or organisation:
    MISC (data/demonyms.json); linking still finds their country."""
    from .gazetteer import gazetteer

    out = []
    for s in spans:
        name = text[s.start : s.end]
        people = s.type != "MISC" and s.confidence < ner.confidence("alias") and linking.fold(name) in linking.demonym_forms()
        if people and gazetteer().lookup(name) is None:  # "Niemcy" is Germany too
            s = clone(s, s.start, s.end, type="MISC")
        out.append(s)
    return out


def acronym_orgs(text: str, spans: list[ner.RawSpan]) -> list[ner.RawSpan]:
    """An acronym typed as a place that the gazetteer does not know is an organisation
    ("ФАС", "USPTO"); known ones ("США", "РФ") stay places."""
    from .gazetteer import gazetteer, is_acronym

    gaz = gazetteer()
    out = []
    for s in spans:
        name = text[s.start : s.end]
        if s.type == "PLACE" and s.confidence < ner.confidence("alias") and is_acronym(name) and gaz.lookup(name) is None:
            s = clone(s, s.start, s.end, type="ORG")
        out.append(s)
    return out


@lru_cache(maxsize=None)
def org_adjective_pattern(lang: str) -> re.Pattern:
    return re.compile(ner.rules()["org_adjective"][lang])


def org_adjectives(text: str, spans: list[ner.RawSpan], lang: str) -> list[ner.RawSpan]:
    """Extend organisations over a relational adjective before them ("японского МИДа")."""
    pattern = org_adjective_pattern(lang)
    ends = {s.end for s in spans}
    out = []
    for s in spans:
        if s.type == "ORG":
            m = pattern.search(text, max(0, s.start - 40), s.start)
            if m and m.start() not in ends and not any(o.start < s.start and o.end > m.start() for o in spans):
                s = clone(s, m.start(), s.end)
        out.append(s)
    return out


def exact_place(gaz, name: str) -> bool:
    return gaz.is_known(name)


def is_given_name(name: str) -> bool:
    return linking.skeleton(name) in linking.first_names()


def is_country(gaz, name: str) -> bool:
    """A country or nation by one of its listed names (not countrynames' looser matches)."""
    from .gazetteer import fold

    place = gaz.countries.get(fold(name))
    return place is not None and place.nation


def place_context(text: str, start: int) -> bool:
    """True where a place is the scene ("in London", "LONDON 1996-08-30" dateline)."""
    before = text[max(0, start - 12) : start].lower()
    if re.search(ner.rules()["sports"]["place_before"], before):
        return True
    line_start = text.rfind("\n", 0, start) + 1
    line = text[line_start:].split("\n", 1)[0]
    return start == line_start and bool(re.search(r"^\D+\s\d{4}-\d{2}-\d{2}\s*$", line))
