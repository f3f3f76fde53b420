"""Archive: content-addressed, atomic, idempotent file storage."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mailbot.store.archive import Archive, safe_suffix


def test_put_stores_under_hash_path(tmp_path):
    """put() writes the bytes at root/ab/cd/<sha256><suffix> and returns hash and path."""
    data = b"From: a@example.org\r\n\r\nhello\r\n"
    sha = hashlib.sha256(data).hexdigest()
    got = Archive(tmp_path).put(data, ".eml")
    assert got == (sha, tmp_path / sha[:2] / sha[2:4] / f"{sha}.eml")
    assert got[1].read_bytes() == data


def test_put_is_idempotent(tmp_path):
    """Putting the same bytes twice returns the same path and leaves one file."""
    archive = Archive(tmp_path)
    first = archive.put(b"same", ".xlsx")
    second = archive.put(b"same", ".xlsx")
    assert first == second
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [first[1]]


def test_put_repairs_a_truncated_file(tmp_path):
    """A file of the wrong size under the final name (torn copy) is rewritten."""
    archive = Archive(tmp_path)
    sha, path = archive.put(b"complete content")
    path.write_bytes(b"compl")
    assert archive.put(b"complete content") == (sha, path)
    assert path.read_bytes() == b"complete content"


def test_no_temp_files_left(tmp_path):
    """After put(), no temporary file remains next to the stored one."""
    _, path = Archive(tmp_path).put(b"x" * 10_000, ".docx")
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_get_reads_back(tmp_path):
    """get() returns what put() stored."""
    archive = Archive(tmp_path)
    sha, _ = archive.put(b"\x00\x01binary", ".bin")
    assert archive.get(sha, ".bin") == b"\x00\x01binary"


def test_unsafe_suffix_is_refused(tmp_path):
    """A suffix that could escape the folder is refused."""
    with pytest.raises(ValueError, match="suffix"):
        Archive(tmp_path).put(b"x", "/../../etc")


def test_resolve_refuses_escape(tmp_path):
    """resolve() refuses a relative path that leaves the archive."""
    with pytest.raises(ValueError, match="outside"):
        Archive(tmp_path).resolve("../secret")


def test_relative_round_trips(tmp_path):
    """relative() and resolve() are inverse for stored files."""
    archive = Archive(tmp_path)
    _, path = archive.put(b"abc", ".eml")
    assert archive.resolve(archive.relative(path)) == path.resolve()


@pytest.mark.parametrize(
    ("filename", "suffix"),
    [
        ("Báo cáo.XLSX", ".xlsx"),
        ("bao-cao.docx", ".docx"),
        ("no-extension", ""),
        ("evil.x/../../y", ""),
        ("C:\\Users\\a\\report.xls", ".xls"),
        ("weird.ex e", ""),
    ],
)
def test_safe_suffix(filename, suffix):
    """safe_suffix keeps plain lowercase extensions and drops anything else."""
    assert safe_suffix(filename) == suffix


@given(st.text())
def test_safe_suffix_is_always_accepted_by_the_archive(filename):
    """Whatever the filename, its safe_suffix is a valid archive suffix."""
    Archive("/nonexistent").path_for("0" * 64, safe_suffix(filename))
