"""Near-duplicate fingerprints on the seed articles."""
from __future__ import annotations

import re
from pathlib import Path

from corpus_db import dedup

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))

# The signature of seeds/000_... as the first release computed it. Databases
# store signatures; a new article is compared with the stored ones, so the
# computation must never change (a faster one must give the same numbers).
SEED_0_SIGNATURE = [
    1808583, 5464554, 2132744, 3731455, 10840163, 2469414, 5229652, 3686491, 338375, 454308, 17923879,
    3312302, 11269215, 6508751, 7968507, 10317981, 899195, 8176404, 3627820, 11151543, 14023594, 4021953,
    2135845, 8666176, 9626974, 4380, 12378946, 5713551, 2437811, 5707103, 7142966, 9450915,
]


def text(i: int) -> str:
    return SEEDS[i].read_text(encoding="utf-8")


def test_shingles_are_runs_of_five_lower_cased_words():
    sentence = "Wives of mobilised soldiers gathered outside the Defence Ministry in Moscow"
    words = re.findall(r"\w+", sentence.lower())
    expected = {" ".join(words[i:i + 5]).encode("utf-8") for i in range(len(words) - 4)}
    assert dedup.shingles(sentence) == expected
    assert dedup.shingles("Путь домой") == {"путь домой".encode("utf-8")}


def test_signature_never_changes():
    assert dedup.signature(text(0)) == SEED_0_SIGNATURE


def test_a_republished_copy_is_a_near_duplicate_and_another_story_is_not():
    original = text(0)
    copy = "A new headline\n\n" + original + "\n\nRead more on our site."
    assert dedup.similarity(dedup.signature(original), dedup.signature(copy)) >= dedup.THRESHOLD
    assert dedup.similarity(dedup.signature(original), dedup.signature(text(1))) < dedup.THRESHOLD
    assert dedup.signature("Too short to tell.") is None
