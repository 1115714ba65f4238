"""Find input files and read them: bytes, hash, and text in the right encoding.

Reading never guesses silently. Each file either becomes a `Document` (maybe
with warnings, such as invalid UTF-8 bytes replaced) or raises `ReadError`
with a reason a person can act on. What is accepted and what is rejected is
listed in the README ("Bad input").
"""
from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
from dataclasses import dataclass

from .pipeline import Document

SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".json")
SUFFIXES = SUFFIXES + tuple(suffix + ".gz" for suffix in SUFFIXES)
DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # a news article is kilobytes; 20 MB is a dump, not an article

# Legacy single-byte encodings our users' archives come in: Cyrillic and
# Western/Central European. The detector only chooses among these, because on
# short texts an open choice often lands on an exotic code page.
LEGACY_ENCODINGS = [
    "cp1251", "koi8_r", "koi8_u", "cp866", "mac_cyrillic", "iso8859_5",
    "cp1252", "iso8859_15", "cp1250", "iso8859_2",
]

# File signatures of formats that are not text, so a renamed file gets a clear reason.
SIGNATURES = [
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"\x7fELF", "an executable"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"RIFF", "a RIFF media file"),
]

BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]

MAX_CONTROL_SHARE = 0.05  # more control characters than this: not text
# C0 controls other than white space (\t \n \v \f \r), DEL and the C1 controls
CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# A paragraph of 200,000 characters is some 30,000 words: no article has one.
# Such a line is a minified page, a data dump or a broken export.
MAX_LINE_CHARS = 200_000


class ReadError(Exception):
    """A file that cannot be ingested; str(error) is the reason."""


@dataclass
class Problem:
    """An input path that was reported instead of ingested."""

    path: str
    reason: str


def discover(paths: list[str], suffixes=SUFFIXES) -> tuple[list[str], list[Problem]]:
    """Expand files and folders (recursively) into a sorted list of input files.

    Paths stay as given (relative where relative). Missing paths, broken
    symlinks, symlink loops and folders with nothing to ingest are returned as
    problems, not raised, so the run goes on with the rest.
    """
    found: set[str] = set()
    problems: list[Problem] = []
    for path in paths:
        problem = _path_problem(path)
        if problem:
            problems.append(Problem(path, problem))
        elif os.path.isdir(path):
            files, inner = _walk(path, suffixes)
            problems.extend(inner)
            if not files and not inner:
                problems.append(Problem(path, f"nothing to ingest: no {'/'.join(suffixes)} files in this folder"))
            found.update(files)
        else:
            found.add(path)
    return sorted(found), problems


def _path_problem(path: str) -> str | None:
    """Why `path` cannot be opened at all, or None."""
    try:
        os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            return "broken symbolic link (its target does not exist)"
        return "no such file or directory"
    except OSError as error:
        if error.errno == 40:  # ELOOP
            return "symbolic link loop"
        return error.strerror or str(error)
    return None


def _walk(folder: str, suffixes) -> tuple[list[str], list[Problem]]:
    """Files under `folder` with a wanted suffix, following links but not loops."""
    files, problems = [], []
    seen_dirs = set()
    for root, dirs, names in os.walk(folder, followlinks=True):
        real = os.path.realpath(root)
        if real in seen_dirs:  # a link back up the tree: do not walk it twice
            dirs[:] = []
            continue
        seen_dirs.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith(".") or not name.lower().endswith(suffixes):
                continue
            path = os.path.join(root, name)
            problem = _path_problem(path)
            if problem:
                problems.append(Problem(path, problem))
            else:
                files.append(path)
    return files, problems


def file_signature(path: str) -> tuple[int, float]:
    """(size, mtime) of a file: the cheap test of whether it changed."""
    st = os.stat(path)
    return st.st_size, st.st_mtime


def read_bytes(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The file's bytes, or ReadError for what is not a readable regular file."""
    try:
        st = os.stat(path)
    except OSError as error:
        raise ReadError(error.strerror or str(error)) from None
    if not stat.S_ISREG(st.st_mode):
        raise ReadError("not a regular file")
    if st.st_size > max_bytes:
        raise ReadError(
            f"file too large ({st.st_size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB, "
            "raise it with --max-bytes)"
        )
    try:
        return _read_all(path)
    except PermissionError:
        raise ReadError("permission denied") from None
    except OSError as error:
        raise ReadError(error.strerror or str(error)) from None


def _read_all(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def read_file(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[list[Document], list[Problem], str]:
    """Read one input file into (documents, problems, sha256 of the file's bytes).

    Texts are decoded, not yet normalised. Raises ReadError when the file as a whole cannot be used; problems with
    single records of a multi-article file (a bad JSON line) come back as
    Problems beside the documents that could be read.
    """
    from . import formats

    raw = read_bytes(path, max_bytes)
    size, mtime = file_signature(path)
    docs, problems = formats.split(path, raw, max_bytes)
    kept = []
    for doc in docs:
        doc.size, doc.mtime = size, mtime
        reason = _line_problem(doc.text)
        if reason and len(docs) == 1:
            raise ReadError(reason)
        if reason:
            problems.append(Problem(f"{path}:{doc.item}", reason))
        else:
            kept.append(doc)
    return kept, problems, hashlib.sha256(raw).hexdigest()


def read_document(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read a single-article file into a Document; ReadError when it cannot be."""
    docs, problems, _ = read_file(path, max_bytes)
    if problems or len(docs) != 1:
        raise ReadError(problems[0].reason if problems else f"holds {len(docs)} articles, not one")
    return docs[0]


def _line_problem(text: str) -> str | None:
    longest = max((len(line) for line in text.splitlines()), default=0)
    if longest > MAX_LINE_CHARS:
        return (
            f"a line of {longest:,} characters with no line break: not article text "
            f"(the limit is {MAX_LINE_CHARS:,} characters per line)"
        )
    return None


def decode(raw: bytes) -> tuple[str, str, list[str]]:
    """Decode bytes to text: (text, encoding name, warnings). Raises ReadError."""
    if not raw.strip():
        raise ReadError("empty file" if not raw else "file holds only white space")
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            return _checked(raw.decode(encoding, errors="replace"), encoding, raw)
    kind = _binary_kind(raw)
    if kind:
        raise ReadError(f"binary file: looks like {kind}, not text")
    utf16 = _utf16_without_bom(raw)
    if utf16:
        return _checked(raw.decode(utf16, errors="replace"), utf16, raw)
    try:
        return _checked(raw.decode("utf-8"), "utf-8", raw)
    except UnicodeDecodeError:
        pass
    text = raw.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ch >= "\u0080" and ch != "\ufffd")
    # Mostly valid UTF-8 with a few broken bytes (a truncated download, a bad
    # copy): keep UTF-8 and say so. A legacy encoding instead breaks nearly
    # every non-ASCII byte.
    if good >= 4 * bad:
        return _checked(text, "utf-8", raw, [f"invalid UTF-8: {bad} byte sequence(s) replaced with U+FFFD"])
    encoding = _detect_legacy(raw)
    return _checked(raw.decode(encoding, errors="replace"), encoding, raw, [f"decoded as {encoding} (detected)"])


def _checked(text: str, encoding: str, raw: bytes, warnings=None) -> tuple[str, str, list[str]]:
    """Reject decoded text that is mostly control characters or empty."""
    warnings = list(warnings or [])
    if not text.strip():
        raise ReadError("file holds only white space")
    controls = len(CONTROLS.findall(text))
    if controls > MAX_CONTROL_SHARE * len(text):
        raise ReadError("binary file: too many control characters to be text")
    if "\x00" in text:
        warnings.append(f"{text.count(chr(0))} NUL character(s) removed")
    return text, encoding, warnings


def _binary_kind(raw: bytes) -> str | None:
    for signature, kind in SIGNATURES:
        if raw.startswith(signature):
            return kind
    return None


def _utf16_without_bom(raw: bytes) -> str | None:
    """utf-16-le/-be when the bytes look like UTF-16 text with no BOM.

    In UTF-16 text of one script the high byte of every character takes very
    few values (0x00 for Latin, 0x04 for Cyrillic), while the low byte varies.
    """
    from collections import Counter

    sample = raw[:4096]
    if len(sample) < 8 or len(sample) % 2:
        return None

    def top_two_share(part: bytes) -> float:
        return sum(n for _, n in Counter(part).most_common(2)) / len(part)

    even, odd = top_two_share(sample[0::2]), top_two_share(sample[1::2])
    for high, low, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if high >= 0.9 and low < 0.6:
            try:
                raw.decode(encoding)
            except UnicodeDecodeError:
                return None
            return encoding
    return None


def _detect_legacy(raw: bytes) -> str:
    """Pick the legacy single-byte encoding that makes the most sense of `raw`.

    Among equally clean and coherent decodings (short texts often tie), the
    one earlier in LEGACY_ENCODINGS wins: Cyrillic before Western before
    Central European, the order of this corpus' sources.
    """
    from charset_normalizer import from_bytes

    def preference(match):
        name = codecs.lookup(match.encoding).name
        order = [codecs.lookup(e).name for e in LEGACY_ENCODINGS]
        rank = order.index(name) if name in order else len(order)
        return (round(match.chaos, 2), -round(match.coherence, 2), rank)

    matches = list(from_bytes(raw, cp_isolation=LEGACY_ENCODINGS))
    if not matches:
        return "cp1252"
    return codecs.lookup(min(matches, key=preference).encoding).name
