"""Every kind of bad input is reported with its path and reason, or ingested with a warning.

Policy (also in the README): text we can decode is ingested, with a warning
when we had to guess or repair; what is not text, or cannot be opened, is
rejected with a reason; the run goes on either way.
"""
import os
import sqlite3
import zipfile

import pytest

from conftest import SEEDS, run_cli
from corpus_db import read, store
from corpus_db.read import ReadError, decode, discover, read_document

RUSSIAN = "Жёны мобилизованных пришли к Министерству обороны. \"Верните мужей домой\", - сказала Мария."
FRENCH = "Les épouses de soldats mobilisés réclament le retour de leurs maris, a déclaré une manifestante à Moscou."
UKRAINIAN = "Дружини мобілізованих вимагають повернення чоловіків додому, заявила організаторка акції."


@pytest.mark.parametrize(
    "text, encoding",
    [(RUSSIAN, "cp1251"), (RUSSIAN, "koi8_r"), (UKRAINIAN, "cp1251"), (FRENCH, "cp1252"),
     (RUSSIAN, "utf-16"), (RUSSIAN, "utf-16-le"), (FRENCH, "utf-16-be"), (RUSSIAN, "utf-8-sig")],
)
def test_encodings_are_detected(text, encoding):
    decoded, name, warnings = decode(text.encode(encoding))
    assert decoded == text


def test_legacy_encoding_is_a_warning():
    _, name, warnings = decode(RUSSIAN.encode("koi8_r"))
    assert name == "koi8-r" and warnings == ["decoded as koi8-r (detected)"]


def test_invalid_utf8_is_repaired_with_a_warning():
    raw = RUSSIAN.encode("utf-8") + b"\xff\xfe broken tail"
    text, name, warnings = decode(raw)
    assert name == "utf-8" and "\ufffd" in text and "invalid UTF-8" in warnings[0]


def test_nul_bytes_are_removed_with_a_warning(tmp_path):
    path = tmp_path / "nul.txt"
    path.write_bytes(b"Moscow protest\x00 report. " * 20)
    doc = read_document(str(path))
    assert any("NUL" in w for w in doc.warnings)


@pytest.mark.parametrize(
    "raw, reason",
    [
        (b"", "empty file"),
        (b"  \n\t \r\n", "only white space"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x00\x01\x02\x03\x04\x05\x06\x07" * 100, "control characters"),
    ],
)
def test_not_text_is_rejected(raw, reason):
    with pytest.raises(ReadError, match=reason):
        decode(raw)


def test_zip_renamed_txt_is_rejected(tmp_path):
    path = tmp_path / "archive.txt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", "hello")
    with pytest.raises(ReadError, match="ZIP"):
        read_document(str(path))


def test_too_large_file_is_rejected_without_reading_it(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:  # sparse: 100 MB on paper, nothing on disk
        handle.truncate(100 * 1024 * 1024)
    with pytest.raises(ReadError, match="file too large"):
        read_document(str(path))


def test_ten_megabyte_line_is_rejected(tmp_path):
    path = tmp_path / "oneline.txt"
    path.write_bytes(b"word " * (2 * 1024 * 1024))
    with pytest.raises(ReadError, match="with no line break"):
        read_document(str(path))


def test_unreadable_file_is_rejected(tmp_path, monkeypatch):
    path = tmp_path / "secret.txt"
    path.write_text("Moscow", encoding="utf-8")
    os.chmod(path, 0)
    if os.geteuid() == 0:  # root reads anything: make open fail as it would for a user
        def deny(_):
            raise PermissionError(13, "Permission denied")
        monkeypatch.setattr(read, "_read_all", deny)
    with pytest.raises(ReadError, match="permission denied"):
        read_document(str(path))


def test_links_and_missing_paths_are_problems(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("Moscow", encoding="utf-8")
    os.symlink(folder / "gone.txt", folder / "broken.txt")
    os.symlink(folder / "loop_b.txt", folder / "loop_a.txt")
    os.symlink(folder / "loop_a.txt", folder / "loop_b.txt")
    os.symlink(folder, folder / "cycle")  # a folder link back up the tree
    empty = tmp_path / "empty"
    empty.mkdir()
    files, problems = discover([str(folder), str(tmp_path / "missing.txt"), str(empty)])
    assert files == [str(folder / "good.txt")]
    reasons = {os.path.basename(p.path): p.reason for p in problems}
    assert reasons["broken.txt"].startswith("broken symbolic link")
    assert reasons["loop_a.txt"] == "symbolic link loop"
    assert reasons["missing.txt"] == "no such file or directory"
    assert reasons["empty"].startswith("nothing to ingest")


def test_bad_inputs_through_the_cli(runner, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_good.txt").write_bytes((SEEDS / "003_9982bdc7bfb361fd.txt").read_bytes())
    (folder / "b_koi8.txt").write_bytes(RUSSIAN.encode("koi8_r"))
    (folder / "c_blank.txt").write_bytes(b"\n\n  \n")
    (folder / "d_pdf.txt").write_bytes(b"%PDF-1.4 binary")
    os.symlink(folder / "nowhere.txt", folder / "e_broken.txt")
    db = tmp_path / "corpus.db"
    result = run_cli(runner, "ingest", folder, "--db", db, "--workers", 1)
    assert result.exit_code == 1
    assert "warning: " + str(folder / "b_koi8.txt") + ": decoded as koi8-r" in result.output
    for name in ("c_blank.txt", "d_pdf.txt", "e_broken.txt"):
        assert f"failed: {folder / name}: " in result.output
    assert "2 new" in result.output and "3 failed" in result.output
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    failed = dict(conn.execute("SELECT path, error FROM files WHERE status = 'failed'"))
    assert "binary file" in failed[str(folder / "d_pdf.txt")]


def test_strict_stops_with_non_zero_exit(runner, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_pdf.txt").write_bytes(b"%PDF-1.4 binary")
    (folder / "b_good.txt").write_bytes((SEEDS / "003_9982bdc7bfb361fd.txt").read_bytes())
    db = tmp_path / "corpus.db"
    result = run_cli(runner, "ingest", folder, "--db", db, "--strict", "--workers", 1)
    assert result.exit_code == 1
    assert "0 new" in result.output
    without = run_cli(runner, "ingest", folder, "--db", db, "--workers", 1)
    assert "1 new" in without.output


def test_folder_with_nothing_to_ingest(runner, tmp_path):
    (tmp_path / "notes.md").write_text("not an article", encoding="utf-8")
    result = run_cli(runner, "ingest", tmp_path, "--db", tmp_path / "c.db")
    assert result.exit_code == 1
    assert "nothing to ingest" in result.output


# SQLite reports the ValueError inside corpus_raw() as an OperationalError;
# Python also hands the original to the unraisable hook, which is expected here.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_every_input_is_kept_and_gives_back_its_bytes(runner, tmp_path):
    # The input as read is stored (compressed against the body); the
    # source_texts view decodes it, and re-encoding gives the exact bytes.
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_seed.txt").write_bytes((SEEDS / "001_ddb7c593e1a6f170.txt").read_bytes())
    (folder / "b_cp1251.txt").write_bytes((RUSSIAN + "\n\n" + RUSSIAN[::-1]).encode("cp1251"))
    db = tmp_path / "corpus.db"
    assert run_cli(runner, "ingest", folder, "--db", db, "--workers", 1).exit_code == 0
    conn = store.open_db(str(db)).conn
    rows = conn.execute("SELECT t.path, t.encoding, t.text, s.compression, length(s.raw), t.size "
                        "FROM source_texts t JOIN sources s USING (article_id) ORDER BY t.path").fetchall()
    assert [r[0] for r in rows] == [str(folder / "a_seed.txt"), str(folder / "b_cp1251.txt")]
    for path, encoding, text, compression, stored, size in rows:
        assert text.encode(encoding) == open(path, "rb").read()
        assert compression == "zlib+body" and stored < size
    assert rows[0][4] < rows[0][5] / 3  # the body is most of the input: little else to store
    # an edited body no longer matches: an error, never wrong text
    conn.execute("UPDATE articles SET body = body || ' edited' WHERE path = ?", (str(folder / "a_seed.txt"),))
    with pytest.raises(sqlite3.OperationalError):
        conn.execute("SELECT text FROM source_texts WHERE path = ?", (str(folder / "a_seed.txt"),)).fetchall()
