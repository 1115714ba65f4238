"""Near-duplicate fingerprints: a MinHash signature of each article's body.

Syndicated copies and lightly edited republications share most of their
sentences but not their headline, byline or page furniture. The signature is
computed over the cleaned body only (boilerplate already removed), so two
articles from one outlet that share a donation appeal are not duplicates,
while a copy of a story with a new headline and footer is.

The store compares signatures through locality-sensitive hashing bands
(`bands`) and links a new article to the earliest stored one whose estimated
Jaccard similarity reaches `THRESHOLD` (`articles.duplicate_of`).
"""
from __future__ import annotations

import hashlib
import itertools
import re
import struct
import zlib
from functools import lru_cache

from .pipeline import Context, Document

NUM_PERM = 32  # estimates Jaccard within about ±0.08 around the threshold: enough to tell copies
BANDS = 8  # 8 bands of 4 rows: pairs above ~0.6 similarity become candidates
ROWS = NUM_PERM // BANDS
THRESHOLD = 0.7  # estimated Jaccard of 5-word shingles to call two bodies near-duplicates
SHINGLE = 5
MIN_WORDS = 25  # shorter bodies say too little to be called copies of each other
_WORD = re.compile(r"\w+")


def shingles(text: str) -> set[bytes]:
    """The text's runs of SHINGLE lower-cased words, each as UTF-8 words joined by spaces."""
    words = [w.encode("utf-8") for w in _WORD.findall(text.lower())]
    if len(words) < SHINGLE:
        return {b" ".join(words)} if words else set()
    # Slices of one joined string: the same bytes as joining every run, faster.
    joined = b" ".join(words)
    starts = [0, *itertools.accumulate(len(w) + 1 for w in words)]
    return {joined[starts[i]:starts[i + SHINGLE] - 1] for i in range(len(words) - SHINGLE + 1)}


@lru_cache(maxsize=1)
def _permutations():
    """datasketch's permutations for our seed, made once (making them costs
    more than hashing a whole article) together with their scheme."""
    from datasketch import MinHash

    first = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=zlib.crc32)
    return first.permutations, first.scheme


def warm_up() -> None:
    """Import datasketch (and the scipy it imports, ~0.8 s) and make the
    permutations: done before ingest forks its workers, so that no worker
    pays for them again."""
    _permutations()


def signature(text: str) -> list[int] | None:
    """MinHash of the text's shingles (deterministic: fixed seed), or None if too short."""
    if len(_WORD.findall(text)) < MIN_WORDS:
        return None
    from datasketch import MinHash

    # crc32 instead of datasketch's default sha1: four times faster, and as
    # good a 32-bit hash of shingles for estimating overlap
    permutations, scheme = _permutations()
    minhash = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=zlib.crc32, permutations=permutations, scheme=scheme)
    minhash.update_batch(list(shingles(text)))  # a minimum: the order does not matter
    # datasketch's hash values fit in 32 bits; packing them as such halves the storage
    return [int(v) & 0xFFFFFFFF for v in minhash.hashvalues]


def bands(sig: list[int]) -> list[int]:
    """One 63-bit key per band, for an indexed lookup of candidate duplicates."""
    keys = []
    for band in range(BANDS):
        chunk = struct.pack(f">I{ROWS}I", band, *sig[band * ROWS:(band + 1) * ROWS])
        keys.append(int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "big") >> 1)
    return keys


def pack(sig: list[int]) -> bytes:
    return struct.pack(f">{len(sig)}I", *sig)


def unpack(blob: bytes) -> list[int]:
    return list(struct.unpack(f">{len(blob) // 4}I", blob))


def similarity(a: list[int], b: list[int]) -> float:
    return sum(x == y for x, y in zip(a, b)) / len(a)


def find_original(sig: list[int] | None, candidates, original_of) -> int | None:
    """The earliest article whose signature is within THRESHOLD of `sig`.

    `candidates(band_keys)` gives (article id, signature) of the articles
    sharing a band, in id order; `original_of(id)` follows a copy back to
    its original. The store answers both from SQLite, the distributed reduce
    from memory: one algorithm for both.
    """
    if sig is None:
        return None
    for candidate_id, other in candidates(bands(sig)):
        if similarity(sig, other) >= THRESHOLD:
            return original_of(candidate_id)  # link to the original, not to another copy
    return None


def run(doc: Document, ctx: Context) -> None:
    doc.signature = signature(doc.body)
