"""Property tests over the text stages: any Unicode input, invariants always hold.

- no stage raises on any input;
- body plus removed pieces account for every character of the input;
- quote and mention offsets always point at their text in the body.
"""
from collections import Counter

from hypothesis import HealthCheck, given, settings, strategies as st

from corpus_db import normalize, pipeline
from corpus_db.pipeline import Context, Document

# Text that looks like what we meet: words in several scripts, quote marks of
# every style, dashes, line and paragraph breaks, plus arbitrary Unicode.
PIECES = st.sampled_from([
    "Putin", "Nadezhdin said", "“", "”", "«", "»", "„", '"', "'", "‘", "’", " — ", ",", ".", "?", "\n", "\n\n",
    "Путин", "сказал он", "заявила", "Москва", "a déclaré", "Kyiv", "Read more", "Support us", "(C)UNIAN 2023",
    " ", "the women said", "he added:", "Moscow", "\t", "\r\n", "\u00a0", "\u200b",
])
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=60).map("".join)
CONTEXT = Context()
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def run_all(text: str) -> Document:
    doc = Document(path="property.txt", text=text)
    return pipeline.process(doc, CONTEXT)


def visible(text: str) -> Counter:
    return Counter(ch for ch in text if not ch.isspace())


@SETTINGS
@given(TEXTS)
def test_normalize_is_idempotent(text):
    once = normalize.normalize_text(text)
    assert normalize.normalize_text(once) == once
    assert "\r" not in once and "\n\n\n" not in once
    assert all(line == line.strip() for line in once.split("\n"))


@SETTINGS
@given(TEXTS)
def test_body_and_removed_pieces_account_for_the_input(text):
    doc = run_all(text)
    kept = visible(doc.body) + sum((visible(p.text) for p in doc.removed), Counter())
    assert kept == visible(doc.text)
    for piece in doc.removed:
        assert doc.text[piece.start:piece.end] == piece.text


@SETTINGS
@given(TEXTS)
def test_offsets_point_at_their_text(text):
    doc = run_all(text)
    for quote in doc.quotes:
        assert doc.body[quote.start:quote.end] == quote.text
        if quote.speaker_start is not None:
            assert doc.body[quote.speaker_start:quote.speaker_end]
    for mention in doc.mentions:
        assert doc.body[mention.start:mention.end] == mention.text
        assert 0 <= mention.entity < len(doc.entities)
