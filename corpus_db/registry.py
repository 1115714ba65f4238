"""Corpus-wide entity linking: one algorithm over two kinds of storage.

A document's entities (`pipeline.Entity`) carry linking keys, strongest
first. `link_entity` maps one of them to a corpus-wide entity id: the first
key already registered names the entity; otherwise a new entity is made.
Then every key of the document's entity is registered to that id, and its
names become aliases.

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

from .linking import assign, name_rank


class Registry(Protocol):
    def entity_for_key(self, key: str) -> int | None: ...
    def create(self, name: str, type_: str, latitude, longitude, curated: bool) -> int: ...
    def get(self, entity_id: int) -> tuple[str, bool, float | None]: ...  # name, curated, latitude
    def rename(self, entity_id: int, name: str, curated: bool) -> None: ...
    def set_coordinates(self, entity_id: int, latitude: float, longitude: float) -> None: ...
    def add_key(self, key: str, entity_id: int) -> None: ...  # ignored when the key is taken
    def add_alias(self, entity_id: int, alias: str) -> None: ...  # ignored when present
    def remove_alias(self, entity_id: int, alias: str) -> None: ...


def key_id(key: str) -> int:
    """A linking key as stored: a signed 64-bit hash of its text.

    Keys are many (about 25 per entity) and only ever looked up by equality;
    their text ("ORG:sound-tokens:mkn nk tmsn") is never shown, so the
    database keeps an 8-byte hash as an integer primary key. A collision
    between two of a few million keys has odds of about one in a million.
    """
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def is_curated(keys: list[str]) -> bool:
    """Keys from the curated alias file start with "alias:"."""
    return any(key.startswith("alias:") for key in keys)


def link_entity(registry: Registry, entity) -> int:
    """The corpus-wide id of a document's entity, registering what is new.

    Which keys are looked up and which registered is `linking.assign`'s rule
    ("+key" is registered only, "?key" looked up only), so that a bare
    surname finds the full name without making two people with that surname
    one.
    """
    entity_id, register = assign(registry.entity_for_key, entity.keys)
    curated = is_curated(entity.keys)
    if entity_id is None:
        entity_id = registry.create(entity.name, entity.type, entity.latitude, entity.longitude, curated)
    else:
        _improve(registry, entity_id, entity, curated)
    for key in register:
        registry.add_key(key, entity_id)
    name = registry.get(entity_id)[0]
    for alias in sorted({entity.name, *entity.aliases} - {name}):
        if alias.strip():
            registry.add_alias(entity_id, alias)
    return entity_id


def _improve(registry: Registry, entity_id: int, entity, curated: bool) -> None:
    """Take a better canonical name or missing coordinates from a new sighting.

    A curated name (from the alias file) always wins and is never replaced;
    otherwise a fuller name ("Vladimir Putin" over "Putin") replaces a shorter
    one, and the old name is kept as an alias.
    """
    name, was_curated, latitude = registry.get(entity_id)
    if not was_curated and entity.name != name and (curated or fuller(entity.name, name, entity.type)):
        registry.rename(entity_id, entity.name, curated)
        registry.remove_alias(entity_id, entity.name)
        registry.add_alias(entity_id, name)
    if latitude is None and entity.latitude is not None:
        registry.set_coordinates(entity_id, entity.latitude, entity.longitude)


def fuller(new: str, old: str, type_: str | None = None) -> bool:
    """Is `new` the better name: well formed where `old` is not, shaped like a
    name of its type where `old` is not, else longer."""
    return (*name_rank(new, type_), len(new)) > (*name_rank(old, type_), len(old))


@dataclass
class DictRegistry:
    """The registry in memory: entities, keys and aliases as plain dicts."""

    entities: dict[int, dict] = field(default_factory=dict)  # id -> name, type, latitude, longitude, curated
    keys: dict[int, int] = field(default_factory=dict)  # key_id(key) -> entity id
    aliases: dict[int, set[str]] = field(default_factory=dict)
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
        return entity["name"], bool(entity["curated"]), entity["latitude"]

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
