"""Entity linking: one document's mentions into entities, and entities across the corpus.

Within a document, mentions that name the same thing form one `Entity`: the
same name in any inflection or script, a surname after the full name
("Nadezhdin" after "Boris Nadezhdin"), names the curated alias file
(data/aliases.json) puts together, places the gazetteer resolves to one place.

Across documents, each `Entity` carries linking keys, strongest first:

    alias:<id>                    curated entity (data/aliases.json); its name is canonical
    PLACE:geo:<geonameid>         a city in the gazetteer
    PLACE:country:<ISO2>          a country (any language, any form countrynames knows)
    PLACE:region:<code>           a nation named like a country (Scotland; data/places.json)
    <TYPE>:name:<skeleton>        the full name, lemmatised, transliterated to Latin
    <TYPE>:tokens:<sorted>        the same words in any order ("Defense Ministry")
    <TYPE>:sound:<consonants>     a consonant skeleton for names transcribed between
                                  scripts (Джонсън/Johnson, Брекзит/Brexit)
    <TYPE>:sound-tokens:<sorted>  the same in any word order (Evropská unie/Unia Europejska)
    <TYPE>:acronym:<latin>        an acronym ("EU") looks up...
    +<TYPE>:acronym:<latin>       ...what a spelled-out name registers ("Evropská unie")
    +PLACE:sound:<consonants>     other names of a known country ("Británie" finds GB)
    ?PERSON:bare:<surname>        (lookup only) a surname seen alone in an earlier document
    +PERSON:surname:<surname>     (register only) lets a later bare "Putin" find this person
    PERSON:surname:<skeleton>     a bare surname looks up full names with that surname...
    PERSON:bare:<skeleton>        ...then earlier bare uses of it
    (PERSON:surname-sound / bare-sound: the same with the consonant skeleton)

Prefixes: "+" = register only (never looked up), "?" = look up only (never
registered). Keys without a prefix are both.
A given name alone ("Maria") gets no key: it is never linked across documents
unless the alias file knows it. `assign` is the one linking rule; `registry.link_entity`
applies it for the store, distributed ingests, benchmarks and tests.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Callable, Iterable

from .pipeline import Entity

TYPES = ("PERSON", "ORG", "PLACE", "MISC")


# --- resources ----------------------------------------------------------------


def _data(name: str) -> str:
    return resources.files("corpus_db").joinpath(f"data/{name}").read_text("utf-8")


@lru_cache(maxsize=None)
def tables() -> dict:
    """Transliteration table, skeleton rules and word lists (data/linking.json)."""
    return json.loads(_data("linking.json"))


@lru_cache(maxsize=None)
def alias_entries() -> list[dict]:
    """The curated entities of data/aliases.json."""
    return json.loads(_data("aliases.json"))["entities"]


@lru_cache(maxsize=None)
def alias_index() -> dict[str, dict]:
    """Folded name and name skeleton -> curated entity."""
    index: dict[str, dict] = {}
    for entry in alias_entries():
        for name in [entry["name"], *entry["names"]]:
            index.setdefault("f:" + fold(strip_article(name)), entry)
            index.setdefault("s:" + skeleton(name), entry)
    return index


@lru_cache(maxsize=None)
def demonyms() -> dict[str, str]:
    """Skeleton of a people's name -> its place key ("britantsi" -> "country:GB"),
    from data/demonyms.json; a form listed for two places is left out."""
    data = json.loads(_data("demonyms.json"))
    seen: dict[str, set] = defaultdict(set)
    for group, prefix in (("countries", "country:"), ("regions", "region:")):
        for code, forms in data[group].items():
            for form in forms:
                seen[skeleton(form)].add(prefix + code)
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1 and k}


@lru_cache(maxsize=None)
def demonym_forms() -> frozenset[str]:
    """Every listed demonym exactly as written (folded), for typing mentions."""
    data = json.loads(_data("demonyms.json"))
    return frozenset(fold(f) for group in ("countries", "regions") for forms in data[group].values() for f in forms)


def demonym_place(names: Iterable[str]) -> str | None:
    """The place key of the first name that is a country's people ("Brytyjczycy" -> "country:GB")."""
    table = demonyms()
    for name in names:
        hit = table.get(skeleton(name))
        if hit:
            return hit
    return None


@lru_cache(maxsize=None)
def first_names() -> frozenset[str]:
    """Skeletons of given names: the package's list plus natasha's Russian names."""
    names = {skeleton(n) for n in _data("first_names.txt").split("\n") if n and not n.startswith("#")}
    try:
        from natasha import data as natasha_data

        text = resources.files(natasha_data).joinpath("dict/first.txt").read_text("utf-8")
        names |= {skeleton(n) for n in text.split("\n") if len(n) > 2}
    except Exception:  # natasha missing: the package list alone
        pass
    return frozenset(names)


# --- normalising names ---------------------------------------------------------------


@lru_cache(maxsize=200_000)
def fold(s: str) -> str:
    """NFKC, straight apostrophes and quotes, case-folded, single spaces."""
    s = unicodedata.normalize("NFKC", s)
    s = s.replace("’", "'").replace("‘", "'").replace("ʼ", "'").replace("`", "'")
    s = s.replace("“", '"').replace("”", '"').replace("«", '"').replace("»", '"').replace("„", '"')
    return re.sub(r"\s+", " ", s).strip().casefold()


@lru_cache(maxsize=200_000)
def strip_article(s: str) -> str:
    """Drop a leading English article ("the Kremlin" -> "Kremlin")."""
    return re.sub(r"^(?:the|The|THE)\s+", "", s.strip())


def strip_possessive(s: str) -> str:
    for suffix in tables()["possessive_suffixes"]:
        if s.endswith(suffix) and len(s) > len(suffix) + 1:
            return s[: -len(suffix)]
    return s


@lru_cache(maxsize=200_000)
def latin(s: str) -> str:
    """Lower-case Latin transliteration (Cyrillic by a fixed table, diacritics dropped)."""
    table = tables()["translit"]
    out = []
    for ch in fold(s):
        if ch in table:
            out.append(table[ch])
        else:
            out.append(ch)
    s = unicodedata.normalize("NFKD", "".join(out))
    return "".join(c for c in s if not unicodedata.combining(c))


@lru_cache(maxsize=200_000)
def skeleton(s: str) -> str:
    """A spelling-insensitive Latin key: Путин/Putin, Put' Domoi/Put Domoy meet."""
    s = latin(s)
    s = re.sub(r"['\"\u02bc]", "", s)
    s = re.sub(r"[^a-z0-9]+", " ", s).strip()
    for old, new in tables()["skeleton_rules"]:
        s = s.replace(old, new)
    s = re.sub(r"(.)\1+", r"\1", s)  # doubled letters: Melnikova/Mel'nikova, Ryanair/Rajanair
    return s


@lru_cache(maxsize=None)
def dropped_tokens() -> frozenset[str]:
    """Skeletons of stop words and titles, left out of name tokens."""
    return frozenset(skeleton(d) for d in tables()["name_stopwords"] + tables()["person_titles"])


def name_tokens(s: str) -> list[str]:
    """Skeleton tokens of a name without stop words and titles."""
    return list(_name_tokens(s))


@lru_cache(maxsize=200_000)
def _name_tokens(s: str) -> tuple[str, ...]:
    return tuple(t for t in skeleton(s).split() if t not in dropped_tokens())


@lru_cache(maxsize=200_000)
def sound(s: str) -> str:
    """Consonant skeleton of a name: the weakest spelling-insensitive key."""
    words = []
    for w in re.sub(r"[^a-z0-9 ]+", "", re.sub(r"[-/]", " ", latin(s))).split():
        for old, new in tables()["sound_rules"]:
            if old.startswith("^"):
                w = new + w[len(old) - 1 :] if w.startswith(old[1:]) else w
            else:
                w = w.replace(old, new)
        # Vowels, y and h go; so does j after the first letter, where it is a glide
        # (Europejska/Evropská, komisja/komise).
        w = w[:1] + re.sub(r"j", "", w[1:])
        w = re.sub(r"(.)\1+", r"\1", re.sub(r"[aeiouyh]", "", w))
        if w:
            words.append(w)
    return " ".join(words)


def sound_key(s: str) -> str | None:
    """`sound(s)` when it keeps enough letters to mean something, else None."""
    snd = sound(s)
    return snd if len(snd.replace(" ", "")) >= tables()["sound_min_letters"] else None


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """A skeleton token without its final vowels: inflected forms of one Slavic name
    meet inside a document ("poroshenka"/"poroshenko" -> "poroshenk")."""
    return re.sub(r"(?<=..)[aeiouy]+$", "", token)


def has_cyrillic(s: str) -> bool:
    return bool(re.search(r"[\u0400-\u04FF]", s))


def unfeminine(s: str) -> str:
    """Drop Czech/Slovak feminine endings of surnames (Theresa Mayová -> Theresa May)."""
    words = s.split()
    for i, w in enumerate(words):
        for suffix in tables()["feminine_suffixes"]:
            if w.lower().endswith(suffix) and len(w) > len(suffix) + 1:
                words[i] = w[: -len(suffix)]
    return " ".join(words)


@lru_cache(maxsize=200_000)
def clean_name(s: str) -> str:
    """The name as written, without article, possessive and surrounding quotes."""
    s = s.strip().strip("\"'“”«»‘’„")
    return strip_possessive(strip_article(s)).strip()


# --- one document ----------------------------------------------------------------------


@dataclass
class Item:
    """One mention to link: its words, type and (for Slavic text) lemma and name parts."""

    text: str
    type: str
    lemma: str | None = None
    parts: dict = field(default_factory=dict)
    confidence: float = 1.0


@dataclass
class Group:
    """Mentions of one entity inside a document."""

    type: str
    members: list[int] = field(default_factory=list)
    alias: dict | None = None
    place: object | None = None
    forms: Counter = field(default_factory=Counter)  # cleaned surface forms
    lemmas: Counter = field(default_factory=Counter)
    parts: dict = field(default_factory=dict)
    written: set = field(default_factory=set)  # mentions exactly as written ("The Way Home")

    def best_form(self) -> str:
        return _best(self.forms, self.type)

    def best_lemma(self) -> str:
        return _best(self.lemmas, self.type) if self.lemmas else self.best_form()


def _best(counts: dict[str, int], type_: str | None = None) -> str:
    """The best name (name_rank), then the most frequent, then the first seen."""
    order = list(counts)
    return max(order, key=lambda f: (*name_rank(f, type_), counts[f], -order.index(f)))


@lru_cache(maxsize=65536)  # asked again for every comparison of a document's names
def name_rank(name: str, type_: str | None = None) -> tuple[bool, bool, int]:
    """How good a name is: well formed first, then shaped like a name of its
    type, then the more words the better."""
    return well_formed(name), type_ != "PERSON" or person_shaped(name), len(name.split())


# a particle written onto the name: d'Estaing, al-Assad
_PARTICLE_PREFIX = re.compile(r"^(?:d|l|al|el|de)['’-](?=\w)", re.IGNORECASE)


def person_shaped(name: str) -> bool:
    """Every word of a person's name is capitalised or a particle (de, von, bin:
    data/name_particles.json). "Philippe emmène Emmanuel Macron", swept from a
    French tweet, is not, and must not become Macron's name for being longer."""
    particles = name_particles()
    for word in name.split():
        bare = word.strip(".,'’")
        head = _PARTICLE_PREFIX.sub("", bare)
        if bare and not head[:1].isupper() and bare.casefold() not in particles:
            return False
    return True


@lru_cache(maxsize=1)
def name_particles() -> frozenset[str]:
    """Lower-case words that belong inside people's names, in any language."""
    text = resources.files("corpus_db").joinpath("data/name_particles.json").read_text("utf-8")
    return frozenset(w.casefold() for w in json.loads(text)["particles"])


# Marks a recogniser sometimes sweeps into a name from tweets and headlines
# ("Emmanuel Macron?– Emmanuel Macron", "#Macron"): such a form is never
# chosen as a name over a clean one.
_ODD_IN_NAME = re.compile(r"[?!#@\[\]{}()<>|/\\–—…\"“”«»]")


def well_formed(name: str) -> bool:
    """Could this be written as the entity's name: no stray marks, not the same words twice?"""
    words = name.casefold().split()
    half = len(words) // 2
    doubled = half > 0 and len(words) % 2 == 0 and words[:half] == words[half:]
    return bool(words) and not doubled and not _ODD_IN_NAME.search(name)


def find_alias(*names: str | None) -> dict | None:
    """The curated entity one of these names belongs to, if any."""
    index = alias_index()
    for name in names:
        if name:
            hit = index.get("f:" + fold(strip_article(name))) or index.get("s:" + skeleton(name))
            if hit:
                return hit
    return None


def vote_types(items: list[Item]) -> list[str]:
    """Document-level consistency: one name gets its majority type everywhere."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for it in items:
        votes[skeleton(clean_name(it.lemma or it.text))][it.type] += it.confidence
    out = []
    for it in items:
        ranked = votes[skeleton(clean_name(it.lemma or it.text))].most_common()
        out.append(ranked[0][0] if ranked else it.type)
    return out


def group_key(item: Item, kind: str, gaz) -> tuple[str, dict | None, object | None]:
    """Initial grouping key of a mention: curated entity, place, or typed name."""
    name, lemma = clean_name(item.text), clean_name(item.lemma) if item.lemma else None
    alias = find_alias(name, lemma)
    if alias:
        return "alias:" + alias["id"], alias, None
    if kind == "PLACE" and gaz is not None:
        place = gaz.lookup(*(n for n in (lemma, name) if n), strict=True)
        if place:
            return "PLACE:" + place.key, None, place
    parts = item.parts or {}
    if kind == "PERSON" and parts.get("first") and parts.get("last"):
        return f"PERSON:{skeleton(parts['first'] + ' ' + parts['last'])}", None, None
    if kind == "PERSON":  # without titles: "Президент Петро Порошенко" is "Петро Порошенко"
        toks = name_tokens(lemma or name)
        if not lemma and has_cyrillic(name):  # no lemmatiser (Ukrainian names): stems
            toks = [stem(t) for t in toks]
        return f"PERSON:{' '.join(toks)}", None, None
    return f"{kind}:{skeleton(lemma or name)}", None, None


def cluster_document(items: list[Item], gaz=None) -> tuple[list[Entity], list[int]]:
    """Link one document's mentions: returns its entities and each mention's entity index."""
    kinds = vote_types(items)
    groups: dict[str, Group] = {}
    of_item: list[str] = []
    for i, (item, kind) in enumerate(zip(items, kinds)):
        key, alias, place = group_key(item, kind, gaz)
        g = groups.get(key)
        if g is None:
            g = groups[key] = Group(alias["type"] if alias else kind, alias=alias, place=place)
        g.members.append(i)
        g.forms[clean_name(item.text)] += 1
        g.written.add(re.sub(r"\s+", " ", item.text.strip()))
        if item.lemma:
            g.lemmas[clean_name(item.lemma)] += 1
        for k, v in (item.parts or {}).items():
            g.parts.setdefault(k, v)
        of_item.append(key)
    merged = join_short_forms(groups)
    order: list[str] = []
    for key in of_item:
        root = merged.get(key, key)
        if root not in order:
            order.append(root)
    entities = [make_entity(groups[k]) for k in order]
    index = {k: i for i, k in enumerate(order)}
    return entities, [index[merged.get(k, k)] for k in of_item]


def surname_of(g: Group) -> str | None:
    """Skeleton of a person group's last name (from natasha's parts or the last word)."""
    if g.parts.get("last"):
        return skeleton(g.parts["last"])
    toks = name_tokens(g.best_lemma())
    return toks[-1] if toks else None


def given_of(g: Group) -> str | None:
    if g.parts.get("first"):
        return skeleton(g.parts["first"])
    toks = name_tokens(g.best_lemma())
    return toks[0] if len(toks) > 1 else None


def join_short_forms(groups: dict[str, Group]) -> dict[str, str]:
    """Map one-word groups onto the full name they shorten: surname first, then given name.

    Returns key -> key of the group it joins (members are moved there).
    """
    full = [k for k, g in groups.items() if g.type == "PERSON" and len(name_tokens(g.best_lemma())) > 1]
    by_surname: dict[str, list[str]] = defaultdict(list)
    by_given: dict[str, list[str]] = defaultdict(list)
    by_any: dict[str, list[str]] = defaultdict(list)
    for k in full:
        if surname_of(groups[k]):
            by_surname[stem(surname_of(groups[k]))].append(k)
        if given_of(groups[k]):
            by_given[given_of(groups[k])].append(k)
        for tok in set(name_tokens(groups[k].best_lemma())):
            by_any[tok].append(k)
    joined: dict[str, str] = {}
    for k, g in groups.items():
        toks = name_tokens(g.best_lemma())
        if len(toks) != 1 or g.alias or g.place is not None or g.type not in ("PERSON", "ORG"):
            continue
        # A one-word ORG that is a person's name in this document is that person (models
        # often type a bare surname as an organisation). Surname first; a given name only
        # when it is known as one; any other word of one full name ("Wang" of "Wang Donghai",
        # family name first) when that name is the only one holding it.
        targets = by_surname.get(stem(toks[0]), [])
        if not targets and toks[0] in first_names():
            targets = by_given.get(toks[0], [])
        if not targets:
            targets = by_any.get(toks[0], [])
        if len(set(targets)) == 1 and targets[0] != k:
            joined[k] = targets[0]
    joined.update(join_org_heads(groups, joined))
    joined.update(join_acronyms(groups, joined))
    roots = {k: final_root(k, joined) for k in joined}
    for k, root in roots.items():
        if k == root:
            continue
        src, dst = groups[k], groups[root]
        dst.members += src.members
        dst.forms.update(src.forms)
        dst.lemmas.update(src.lemmas)
        dst.written |= src.written
    return {k: r for k, r in roots.items() if k != r}


def final_root(key: str, joined: dict[str, str]) -> str:
    """Follow joins to the group that absorbs them all ("Unia" -> "Unia Europejska" -> "UE")."""
    seen = {key}
    while key in joined and joined[key] not in seen:
        key = joined[key]
        seen.add(key)
    return key


def join_org_heads(groups: dict[str, Group], joined: dict[str, str]) -> dict[str, str]:
    """A short organisation name joins the one longer organisation name in the document
    that holds all its words ("Unia" -> "Unia Europejska", "Верховный суд" -> "Верховный
    суд Пакистана")."""
    longer = [(k, set(name_tokens(g.best_lemma()))) for k, g in groups.items()
              if g.type == "ORG" and len(name_tokens(g.best_lemma())) > 1 and k not in joined]
    out = {}
    for k, g in groups.items():
        toks = set(name_tokens(g.best_lemma()))
        if g.type != "ORG" or not toks or g.alias or k in joined:
            continue
        targets = [t for t, words in longer if t != k and toks < words]
        if len(targets) == 1 and targets[0] not in out:
            out[k] = targets[0]
    return out


def join_acronyms(groups: dict[str, Group], joined: dict[str, str]) -> dict[str, str]:
    """An acronym ("UE") and the one multi-word name of its type it abbreviates
    ("Unia Europejska") are one entity; the curated one of the two keeps its identity."""
    expansions: dict[tuple[str, str], list[str]] = defaultdict(list)
    for k, g in groups.items():
        acr = expansion_acronym(g.best_lemma())
        if acr and k not in joined:
            expansions[(g.type, acr)].append(k)
    out = {}
    for k, g in groups.items():
        acr = acronym_of(g.best_form())
        if k in joined or not acr:
            continue
        targets = expansions.get((g.type, acr), [])
        if len(targets) != 1 or targets[0] == k or groups[targets[0]].alias:
            continue
        if g.alias:  # a curated acronym ("EU") takes in its spelled-out form ("Evropská unie")
            out[targets[0]] = k
        else:
            out[k] = targets[0]
    return out


def strip_titles(name: str) -> str:
    """Leading titles off a person's name ("Президент Петро Порошенко" -> "Петро Порошенко")."""
    words = name.split()
    while len(words) > 1 and skeleton(words[0].rstrip(".")) in dropped_tokens():
        words = words[1:]
    return " ".join(words)


def make_entity(g: Group) -> Entity:
    """An Entity with its canonical name, aliases, coordinates and keys."""
    if g.alias:
        name = g.alias["name"]
    elif g.lemmas:
        name = g.best_lemma()  # "Владимир Путин", not "Владимира Путина"; "Москва", not "Москве"
    else:
        name = g.best_form()
    if g.type == "PERSON" and not g.alias:
        name = strip_titles(name)
    aliases = {f for f in [*g.forms, *g.lemmas, *sorted(g.written)] if f and f != name}
    ent = Entity(name=name, type=g.type, keys=entity_keys(g, name), aliases=aliases)
    if g.place is not None:
        ent.latitude, ent.longitude = g.place.latitude, g.place.longitude
    return ent


def entity_keys(g: Group, name: str) -> list[str]:
    """Linking keys of one document entity, strongest first (see the module doc)."""
    keys: list[str] = []
    t = g.type
    if g.alias:
        keys.append("alias:" + g.alias["id"])
    if g.place is not None:
        keys.append("PLACE:" + g.place.key)
    forms = dedupe([name, *g.lemmas, *g.forms])
    if g.place is None and not g.alias:
        people = demonym_place(forms)
        if people:  # "Brytyjczycy" find Great Britain (look-up only: the country keeps its name)
            keys.append(f"?PLACE:{people}")
    if g.place is not None:
        # Register how the gazetteer spells the place, so a form it does not know
        # ("Británie") finds it by sound.
        keys += [f"+PLACE:sound:{sound_key(n)}" for n in getattr(g.place, "names", ()) if sound_key(n)]
    if t == "PERSON":
        return dedupe(keys + person_keys(g, [unfeminine(f) for f in forms]))
    multi = [f for f in forms if len(name_tokens(f)) > 1]
    for f in forms:
        if name_tokens(f):
            keys.append(f"{t}:name:{skeleton(f)}")
    for f in multi:
        keys.append(f"{t}:tokens:{' '.join(sorted(name_tokens(f)))}")
    for f in forms:
        if sound_key(f):
            keys.append(f"{t}:sound:{sound_key(f)}")
    for f in multi:
        if sound_key(f):  # "Evropská unie" / "Unia Europejska"
            keys.append(f"{t}:sound-tokens:{' '.join(sorted(sound(f).split()))}")
    for f in forms:
        if acronym_of(f):
            keys.append(f"{t}:acronym:{acronym_of(f)}")  # "EU" looks up...
    for f in multi:
        if expansion_acronym(f):
            keys.append(f"+{t}:acronym:{expansion_acronym(f)}")  # ...what "Evropská unie" registers
    return dedupe(keys)


@lru_cache(maxsize=200_000)
def acronym_of(name: str) -> str | None:
    """The Latin form of a name written as an acronym ("EU", "ЕС"), else None."""
    word = name.strip()
    if 2 <= len(word) <= 6 and word.isalpha() and word.isupper():
        return latin(word)
    return None


@lru_cache(maxsize=200_000)
def expansion_acronym(name: str) -> str | None:
    """Initials of a multi-word name, stop words left out ("Unia Europejska" -> "ue")."""
    words = [w for w in re.split(r"[\s-]+", name) if w and fold(w) not in tables()["name_stopwords"]]
    if len(words) < 2 or not all(w[:1].isalpha() for w in words):
        return None
    return latin("".join(w[0] for w in words))


def person_keys(g: Group, forms: list[str]) -> list[str]:
    """Keys of a person: full names, then sound-alike full names, then surname keys."""
    keys: list[str] = []
    multi = [f for f in forms if len(name_tokens(f)) > 1]
    has_parts = bool(g.parts.get("first") and g.parts.get("last"))
    if multi or has_parts:
        if has_parts:
            keys.append(f"PERSON:name:{skeleton(g.parts['first'] + ' ' + unfeminine(g.parts['last']))}")
        for f in multi:
            toks = name_tokens(f)
            keys.append(f"PERSON:name:{' '.join(toks)}")
            if len(toks) > 2:  # "Andrei Removich Belousov" -> "Andrei Belousov"
                keys.append(f"PERSON:name:{toks[0]} {toks[-1]}")
            keys.append(f"PERSON:tokens:{' '.join(sorted(toks))}")
        for f in multi:
            words = f.split()
            if sound_key(f) and sound(words[0]) and sound(words[-1]):
                keys.append(f"PERSON:sound:{sound(words[0])} {sound(words[-1])}")
        last = surname_of(g)
        if last and len(last) < 2:  # "Macron N" (a stray letter): no surname to find him by
            last = None
        last_sound = sound_key(unfeminine(g.parts.get("last") or multi[-1].split()[-1])) if (multi or has_parts) else None
        if last:
            keys += [f"?PERSON:bare:{last}", f"+PERSON:surname:{last}"]
        if last_sound:
            keys += [f"?PERSON:bare-sound:{last_sound}", f"+PERSON:surname-sound:{last_sound}"]
        return dedupe(keys)
    toks = name_tokens(unfeminine(g.best_lemma()))
    if len(toks) == 1 and len(toks[0]) > 1 and toks[0] not in first_names():
        keys += [f"PERSON:surname:{toks[0]}", f"PERSON:bare:{toks[0]}"]
        snd = sound_key(unfeminine(g.best_lemma()))
        if snd and " " not in snd:
            keys += [f"PERSON:surname-sound:{snd}", f"PERSON:bare-sound:{snd}"]
    # A given name alone: no cross-document key (unless curated, above).
    return dedupe(keys)


def dedupe(keys: Iterable[str]) -> list[str]:
    seen, out = set(), []
    for k in keys:
        if k not in seen:
            seen.add(k)
            out.append(k)
    return out


# --- across documents ------------------------------------------------------------------


def is_curated(keys: list[str]) -> bool:
    """True when the first key names an entity of the alias file (its name is canonical)."""
    return bool(keys) and keys[0].startswith("alias:")


# Keys that state what an entity is (a curated entity, a gazetteer place): a hit
# on one is the entity. Every other key only says a name looks alike.
STRONG_KEY = re.compile(r"^(?:alias:|PLACE:(?:geo|country|region):)")


def assign(lookup: Callable[[str], int | None], keys: list[str],
           accept: Callable[[int, str], bool] | None = None) -> tuple[int | None, list[str]]:
    """The linking rule (`registry.link_entity` applies it).

    Looks the keys up in order (skipping register-only "+" keys) and returns the
    first corpus entity found (or None: create one), and the keys to register
    for that entity where no entity holds them yet (lookup-only "?" keys are
    never registered). Prefixes are stripped from the returned keys.
    `accept(entity_id, key)`, when given, may turn down a hit on a key that is
    not STRONG_KEY (see registry.compatible); the look-up then goes on.
    """
    found = None
    for key in keys:
        if key.startswith("+"):
            continue
        key = key.lstrip("?")
        hit = lookup(key)
        if hit is not None and (accept is None or STRONG_KEY.match(key) or accept(hit, key)):
            found = hit
            break
    register = [k.lstrip("+") for k in keys if not k.startswith("?")]
    return found, register
