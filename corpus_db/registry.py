"""Corpus-wide entity linking: one algorithm over two kinds of storage.

A document's entities (`pipeline.Entity`) carry linking keys, strongest
first. `link_entity` maps one of them to a corpus-wide entity id: the first
key already registered names the entity (unless `compatible` finds the two
known to differ); otherwise a new entity is made. Then every key of the
document's entity is registered to that id, its names become aliases, and
the name it goes by in that document is counted: the corpus name is the
best-formed name most documents use (`better_name`).

The algorithm is written once, against the small `Registry` interface. The
store implements it over SQLite (`store.SqliteRegistry`) for local ingests;
`DictRegistry` implements it in memory for the reduce step of a distributed
ingest and for tests. Documents are linked in input order on both paths, so
both give the same entities.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Protocol

from .linking import assign, demonym_forms, fold, is_curated, name_rank, name_tokens, sound, tables


class Registry(Protocol):
    def entity_for_key(self, key: str) -> int | None: ...
    def create(self, name: str, type_: str, latitude, longitude, curated: bool) -> int: ...
    def get(self, entity_id: int) -> tuple[str, bool, float | None, float | None]: ...  # name, curated, lat, lon
    def rename(self, entity_id: int, name: str, curated: bool) -> None: ...
    def set_coordinates(self, entity_id: int, latitude: float, longitude: float) -> None: ...
    def add_key(self, key: str, entity_id: int) -> None: ...  # ignored when the key is taken
    def add_alias(self, entity_id: int, alias: str) -> None: ...  # ignored when present
    def remove_alias(self, entity_id: int, alias: str) -> None: ...
    def count_name(self, entity_id: int, name: str) -> int: ...  # one more document; the new count
    def name_documents(self, entity_id: int, name: str) -> int: ...  # 0 for a name never counted


def key_id(key: str) -> int:
    """A linking key as stored: a signed 64-bit hash of its text.

    Keys are many (about 25 per entity) and only ever looked up by equality;
    their text ("ORG:sound-tokens:mkn nk tmsn") is never shown, so the
    database keeps an 8-byte hash as an integer primary key. A collision
    between two of a few million keys has odds of about one in a million.
    """
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def link_entity(registry: Registry, entity) -> int:
    """The corpus-wide id of a document's entity, registering what is new.

    Which keys are looked up and which registered is `linking.assign`'s rule
    ("+key" is registered only, "?key" looked up only), so that a bare
    surname finds the full name without making two people with that surname
    one.
    """
    curated = is_curated(entity.keys)
    entity_id, register = assign(registry.entity_for_key, entity.keys, compatible(registry, entity, curated))
    if entity_id is None:
        entity_id = registry.create(entity.name, entity.type, entity.latitude, entity.longitude, curated)
        registry.count_name(entity_id, entity.name)
    else:
        _improve(registry, entity_id, entity, curated)
    for key in register:
        registry.add_key(key, entity_id)
    name = registry.get(entity_id)[0]
    for alias in sorted({entity.name, *entity.aliases} - {name}):
        if alias.strip():
            registry.add_alias(entity_id, alias)
    return entity_id


def compatible(registry: Registry, entity, curated: bool):
    """A check for `linking.assign`: may a look-alike key join `entity` to a corpus entity?

    At a few documents look-alike keys (a name's sound, a bare surname) only
    ever meet their own entity; over a hundred thousand articles they meet
    others, and one wrong join pulls in everything keyed like the newcomer
    (Maroc -> America by sound, then Morocco with it). So a look-alike hit is
    turned down when the two are known to differ: two entities of the alias
    file, two places with different coordinates, or two people with the same
    surname and different given names (Ivanka Trump finding Donald Trump
    through the bare "Trump" of an earlier article). `curated`: `entity`
    is of the alias file.
    """

    def accept(entity_id: int, key: str) -> bool:
        name, was_curated, latitude, longitude = registry.get(entity_id)
        if curated and was_curated:
            return False  # its own alias key would have matched first
        if (entity.latitude is not None and latitude is not None
                and (entity.latitude, entity.longitude) != (latitude, longitude)):
            return False
        if key.startswith("PERSON:bare") and not same_given_name(entity.name, name):
            return False
        if latitude is not None and entity.latitude is None and short_sound(key):
            return False  # "Merci" is not America, "Presse" not Paris
        return True

    return accept


def short_sound(key: str) -> bool:
    """A sound key of few consonants ("PLACE:sound:mrk"): too common a shape to
    join a name the gazetteer does not know to a place it knows."""
    value = key.partition(":sound:")[2]
    return bool(value) and len(value.replace(" ", "")) < tables()["place_sound_min_letters"]


def same_given_name(a: str, b: str) -> bool:
    """Could two names of people with one surname be one person? True unless both
    have a given name and the two differ ("D. Trump" and "Donald Trump" agree)."""
    tokens_a, tokens_b = name_tokens(a), name_tokens(b)
    if len(tokens_a) < 2 or len(tokens_b) < 2:
        return True
    x, y = tokens_a[0], tokens_b[0]
    return x == y or sound(x) == sound(y) or (min(len(x), len(y)) == 1 and x[0] == y[0])


def _improve(registry: Registry, entity_id: int, entity, curated: bool) -> None:
    """Count the document's name for the entity; take it as the canonical name
    when it is now the better one, and missing coordinates from it.

    A curated name (from the alias file) always wins and is never replaced;
    otherwise `better_name` decides, and the old name is kept as an alias.
    """
    documents = registry.count_name(entity_id, entity.name)
    name, was_curated, latitude, _ = registry.get(entity_id)
    if not was_curated and entity.name != name and (
            curated or better_name(entity.name, documents, name, registry.name_documents(entity_id, name),
                                   entity.type)):
        registry.rename(entity_id, entity.name, curated)
        registry.remove_alias(entity_id, entity.name)
        registry.add_alias(entity_id, name)
    if latitude is None and entity.latitude is not None:
        registry.set_coordinates(entity_id, entity.latitude, entity.longitude)


def better_name(new: str, new_documents: int, old: str, old_documents: int, type_: str | None = None) -> bool:
    """Is `new` the better corpus name? Well formed and shaped like a name of its
    type first (for people, a full name over a bare surname), not a people's
    name ("British"); then the name more documents use; then the longer.

    Within one article the longest name is the best ("Vladimir Putin", then
    "Putin"); across a corpus, length alone crowns the rare mistake of a
    recogniser, so the count of documents comes before it.
    """
    return _name_order(new, new_documents, type_) > _name_order(old, old_documents, type_)


def _name_order(name: str, documents: int, type_: str | None) -> tuple:
    formed, shaped, words = name_rank(name, type_)
    full = type_ != "PERSON" or len(name_tokens(name)) > 1
    # A people's name finds its country ("British" -> the United Kingdom) and is
    # used in more articles than the country's own: never the country's name.
    people = fold(name) in demonym_forms()
    return formed, shaped, full, not people, documents, words, len(name)


@dataclass
class DictRegistry:
    """The registry in memory: entities, keys and aliases as plain dicts."""

    entities: dict[int, dict] = field(default_factory=dict)  # id -> name, type, latitude, longitude, curated
    keys: dict[int, int] = field(default_factory=dict)  # key_id(key) -> entity id
    aliases: dict[int, set[str]] = field(default_factory=dict)
    names: dict[int, dict[str, int]] = field(default_factory=dict)  # id -> name -> documents
    next_id: int = 1

    def entity_for_key(self, key):
        return self.keys.get(key_id(key))

    def create(self, name, type_, latitude, longitude, curated):
        entity_id = self.next_id
        self.next_id += 1
        self.entities[entity_id] = {"name": name, "type": type_, "latitude": latitude,
                                    "longitude": longitude, "curated": int(curated)}
        return entity_id

    def get(self, entity_id):
        entity = self.entities[entity_id]
        return entity["name"], bool(entity["curated"]), entity["latitude"], entity["longitude"]

    def rename(self, entity_id, name, curated):
        self.entities[entity_id].update(name=name, curated=int(curated))

    def set_coordinates(self, entity_id, latitude, longitude):
        self.entities[entity_id].update(latitude=latitude, longitude=longitude)

    def add_key(self, key, entity_id):
        self.keys.setdefault(key_id(key), entity_id)

    def add_alias(self, entity_id, alias):
        self.aliases.setdefault(entity_id, set()).add(alias)

    def remove_alias(self, entity_id, alias):
        self.aliases.get(entity_id, set()).discard(alias)

    def count_name(self, entity_id, name):
        counts = self.names.setdefault(entity_id, {})
        counts[name] = counts.get(name, 0) + 1
        return counts[name]

    def name_documents(self, entity_id, name):
        return self.names.get(entity_id, {}).get(name, 0)


def link_documents(docs: list[list]) -> list[list[int]]:
    """Corpus entity ids for each document's entities (`pipeline.Entity`), in
    document order: the store's linking over a fresh in-memory registry, for
    benchmarks and tests."""
    registry = DictRegistry()
    return [[link_entity(registry, entity) for entity in doc] for doc in docs]
