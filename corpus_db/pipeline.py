"""The document record and the stages that fill it, in order.

Ingest is a pipeline of small stages over one `Document`:

    read -> normalise -> clean -> metadata -> language -> entities -> quotes -> dedup

then the store writes the record to SQLite. Each stage is a plain function
`run(doc, ctx)` in its own module: it reads fields that earlier stages set and
fills its own. Stages never touch SQLite, the terminal or each other's
internals, so a stage can be replaced, tested or run in a worker process on
its own. Entities run before quotes so that the quote stage can resolve
speakers ("he added", "Nadezhdin") to the entities already found.

`Context` carries what is shared between documents: corpus-level statistics
(line repetition for the cleaner) and lazily loaded models. It is built once
per process.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass
class Removed:
    """A piece of the input that is not in the body: boilerplate or metadata.

    `start`/`end` are character offsets into `Document.text` (the normalised
    input), so every removed piece can be found again in its context. They are
    None for pieces that never reached `text` (page lines an HTML extractor
    dropped).
    """

    start: int | None
    end: int | None
    text: str
    reason: str


@dataclass
class Quote:
    """A quotation found in the body.

    `start`/`end` are offsets into `Document.body` of the quoted words without
    their quote marks. `speaker` is as written ("the women", "Nadezhdin");
    `speaker_start`/`speaker_end` locate it in the body when it is written
    there (None when resolved from an earlier sentence). Parts of one quote
    split by its attribution ("A," he said, "B.") share a `group`.
    `entity` is the index into `Document.entities` of the speaker's entity,
    set by the quote stage from the entities found before it.
    """

    text: str
    start: int
    end: int
    speaker: str | None = None
    kind: str = "direct"
    cue: str | None = None
    group: int | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    entity: int | None = None


@dataclass
class Entity:
    """One real-world entity as one document names it (a cluster of mentions).

    `keys` are linking keys, strongest first ("PERSON:vladimir putin",
    "PERSON:putin"); the store maps them to corpus-wide entity ids.
    """

    name: str
    type: str
    keys: list[str] = field(default_factory=list)
    aliases: set[str] = field(default_factory=set)
    latitude: float | None = None
    longitude: float | None = None


@dataclass
class Mention:
    """A named-entity mention: offsets into `Document.body`."""

    start: int
    end: int
    text: str
    entity: int  # index into Document.entities
    confidence: float = 1.0


@dataclass
class Document:
    """Everything known about one input document as it moves through ingest."""

    path: str
    item: int = 0  # position within a multi-article file (JSON Lines line number); 0 otherwise
    raw: bytes = b""
    sha256: str = ""
    size: int = 0
    mtime: float = 0.0
    encoding: str | None = None
    text: str = ""  # decoded and normalised whole input
    body: str = ""  # cleaned article text, paragraphs separated by "\n\n"
    title: str | None = None
    author: str | None = None
    published: str | None = None
    source: str | None = None
    url: str | None = None
    language: str = "und"
    removed: list[Removed] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    signature: list[int] | None = None  # MinHash of the body, for near-duplicate links
    rows: dict | None = None  # records.document_rows, computed where the document was processed
    # where each metadata field came from ("text:title_line", "input:jsonl", ...)
    field_sources: dict[str, str] = field(default_factory=dict)
    # what a reader knew before the text was looked at (JSON Lines fields, HTML meta)
    known: dict[str, Any] = field(default_factory=dict)


class Context:
    """Shared, per-process state for the stages: statistics and model caches."""

    def __init__(self, line_stats=None):
        # clean.LineStats or None: how many documents of the corpus hold each line
        self.line_stats = line_stats
        self._cache: dict[str, Any] = {}

    def cached(self, name: str, make: Callable[[], Any]) -> Any:
        """Build a model or table once per process, the first time a stage asks."""
        if name not in self._cache:
            self._cache[name] = make()
        return self._cache[name]


def stages() -> list[Callable[[Document, Context], None]]:
    """The per-document stages after reading, in order."""
    # Imported here so that importing the record does not load every stage.
    from . import clean, dedup, entities, language, metadata, normalize, quotes

    return [normalize.run, clean.run, metadata.run, language.run, entities.run, quotes.run, dedup.run]


def process(doc: Document, ctx: Context) -> Document:
    """Run every stage over a document that has been read and decoded.

    Input that declares itself already cleaned (a corpus_db JSON Lines export,
    `"cleaned": true`) keeps its text as the body: cleaning it again could
    only lose sentences.
    """
    from . import clean

    for stage in stages():
        if stage is clean.run and doc.known.get("cleaned"):
            doc.body = doc.text
            continue
        stage(doc, ctx)
    return doc


def warm_up(ctx: Context) -> None:
    """Load every model the stages use, by running them over one short text per
    language (data/warmup.json); the results are thrown away.

    Ingest calls this before forking its workers, so that the models are loaded
    once and their memory is shared between the processes.
    """
    import json
    from importlib import resources

    from . import dedup, quote_lexicon
    from . import language as language_stage

    samples = json.loads(resources.files("corpus_db").joinpath("data/warmup.json").read_text("utf-8"))
    for language, text in sorted(samples.items()):
        if language.startswith("_"):
            continue
        doc = Document(path=f"<warm-up:{language}>", text=text, known={"language": language})
        process(doc, ctx)
        # a known language skips detection: load langdetect's profiles too
        language_stage.run(Document(path="<warm-up>", body=text), ctx)
    # What the short samples do not reach: the MinHash machinery (the samples
    # are under its minimum length) and the quote lexicon of other languages.
    dedup.warm_up()
    quote_lexicon.lexicon("und")
