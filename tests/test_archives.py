"""Attached .rar and .7z archives are opened like .zip: one level, the same limits, and a clear
Vietnamese reason for a password, damage, or a member that cannot be unpacked.

7z archives are written by py7zr; RAR archives by tests/support/rar5.py (stored members, as
no free RAR writer exists).
"""

from __future__ import annotations

import io

import py7zr
import pytest

from mailbot.mail import rar_tool
from mailbot.mail.containers import ArchiveLimits
from mailbot.mail.mime import read_message
from tests.support.mailfiles import zip_bytes
from tests.support.mailshapes import XLSX, report_email
from tests.support.rar5 import rar5

SENDER = "thcs.muonggiang@example.org"
NAME = "Phụ lục 2 - Trường THCS Mường Giàng.xlsx"
DATA = b"PK\x03\x04 workbook " * 50


def seven_zip(members: list[tuple[str, bytes]], password: str | None = None, *,
              header_encryption: bool = False) -> bytes:  # fmt: skip
    """A .7z holding `members`, written by py7zr (LZMA2; AES when a password is given)."""
    buf = io.BytesIO()
    with py7zr.SevenZipFile(
        buf, "w", password=password, header_encryption=header_encryption
    ) as archive:
        for name, data in members:
            archive.writestr(data, name)
    return buf.getvalue()


def opened(name: str, archive: bytes, **kwargs) -> tuple[list[tuple], list[str]]:
    """(filename, type, bytes, origin) of the files read, and the names skipped."""
    mail = read_message(report_email(SENDER, attachments=[(name, archive)]), **kwargs)
    files = [(a.filename, a.content_type, a.data, a.origin) for a in mail.attachments]
    return files, [s.filename for s in mail.skipped]


def reasons(name: str, archive: bytes, **kwargs) -> list[str]:
    """The Vietnamese reasons given for what was not read."""
    mail = read_message(report_email(SENDER, attachments=[(name, archive)]), **kwargs)
    return [s.reason for s in mail.skipped]


@pytest.mark.parametrize("kind", ["7z", "rar"])
def test_members_become_files_with_the_archive_as_origin(kind: str) -> None:
    """Each member is a file whose origin names the archive."""
    members = [(NAME, DATA), ("ke-hoach.txt", b"Ke hoach")]
    archive = seven_zip(members) if kind == "7z" else rar5(members)
    files, skipped = opened(f"bao-cao.{kind}", archive)
    assert (files, skipped) == (
        [(NAME, XLSX, DATA, f"{kind}:bao-cao.{kind}"),
         ("ke-hoach.txt", "text/plain", b"Ke hoach", f"{kind}:bao-cao.{kind}")],
        [],
    )  # fmt: skip


@pytest.mark.parametrize("kind", ["7z", "rar"])
def test_an_archive_is_recognised_by_its_bytes_whatever_its_name(kind: str) -> None:
    """A .rar/.7z sent under another name is opened by its signature."""
    archive = seven_zip([(NAME, DATA)]) if kind == "7z" else rar5([(NAME, DATA)])
    files, _ = opened("tep-dinh-kem.bin", archive)
    assert [f[0] for f in files] == [NAME]


@pytest.mark.parametrize("kind", ["7z", "rar"])
def test_folders_and_junk_are_left_out(kind: str) -> None:
    """Folders, Thumbs.db and Office lock files are not files."""
    members = [
        ("Bao cao/" + NAME, DATA),
        ("Bao cao/Thumbs.db", b"x"),
        ("Bao cao/~$lock.xlsx", b"x"),
    ]
    archive = seven_zip(members) if kind == "7z" else rar5(members)
    files, skipped = opened(f"a.{kind}", archive)
    assert ([f[0] for f in files], skipped) == ([NAME], [])


@pytest.mark.parametrize("kind", ["7z", "rar"])
def test_too_many_members_is_refused_unopened(kind: str) -> None:
    """More members than the limit: nothing taken out, one reason."""
    members = [(f"tep-{i}.xlsx", DATA) for i in range(6)]
    archive = seven_zip(members) if kind == "7z" else rar5(members)
    files, skipped = opened(f"a.{kind}", archive, limits=ArchiveLimits(max_members=5))
    assert (files, skipped) == ([], [f"a.{kind}"])


@pytest.mark.parametrize("kind", ["7z", "rar"])
def test_too_big_unpacked_is_refused_unopened(kind: str) -> None:
    """Declared sizes past the total limit: refused before unpacking."""
    members = [(NAME, DATA * 10)]
    archive = seven_zip(members) if kind == "7z" else rar5(members)
    limits = ArchiveLimits(max_total_bytes=len(DATA) * 5)
    assert "quá lớn khi giải nén" in reasons(f"a.{kind}", archive, limits=limits)[0]


def test_a_7z_bomb_ratio_is_refused_unopened() -> None:
    """4 MB of zeros in a few KB: the ratio limit refuses it."""
    archive = seven_zip([("so-lieu.csv", b"0" * (4 * 1024 * 1024))])
    files, skipped = opened("a.7z", archive)
    assert (files, skipped) == ([], ["a.7z"])
    assert "tỉ lệ nén bất thường" in reasons("a.7z", archive)[0]


@pytest.mark.parametrize("kind", ["7z", "rar"])
def test_an_archive_inside_is_not_opened(kind: str) -> None:
    """One level only: a .zip inside is refused, the rest kept."""
    members = [("trong.zip", zip_bytes([(NAME, DATA)])), (NAME, DATA)]
    archive = seven_zip(members) if kind == "7z" else rar5(members)
    files, skipped = opened(f"a.{kind}", archive)
    assert ([f[0] for f in files], skipped) == ([NAME], ["trong.zip"])


@pytest.mark.parametrize("kind", ["7z", "rar"])
def test_a_rar_or_7z_inside_a_zip_is_not_opened(kind: str) -> None:
    """One level only: a .rar/.7z inside a .zip is refused."""
    inner = seven_zip([(NAME, DATA)]) if kind == "7z" else rar5([(NAME, DATA)])
    files, skipped = opened("a.zip", zip_bytes([(f"trong.{kind}", inner)]))
    assert (files, skipped) == ([], [f"trong.{kind}"])


def test_a_7z_with_a_password_gets_a_reason_naming_the_password() -> None:
    """Encrypted members: the whole archive gets the password reason."""
    archive = seven_zip([(NAME, DATA)], password="matkhau")
    assert reasons("bao-cao.7z", archive) == [
        "Tệp nén “bao-cao.7z” có mật khẩu nên không mở được. Xin gửi tệp .xlsx hoặc .docx "
        "trực tiếp, hoặc nén lại không đặt mật khẩu."
    ]


def test_a_7z_with_encrypted_names_gets_the_password_reason() -> None:
    """Encrypted headers (names hidden): the password reason too."""
    archive = seven_zip([(NAME, DATA)], password="matkhau", header_encryption=True)
    assert "có mật khẩu" in reasons("bao-cao.7z", archive)[0]


def test_a_truncated_rar_member_gets_the_broken_member_reason() -> None:
    """The listing reads, the member's bytes are cut short: that member is named broken."""
    archive = rar5([(NAME, DATA)])
    assert "bị hỏng, không đọc được" in reasons("a.rar", archive[: len(archive) // 2])[0]


def test_rar_members_with_a_password_each_get_the_reason() -> None:
    """Each encrypted RAR member is named with the password reason."""
    files, skipped = opened("bao-cao.rar", rar5([(NAME, DATA)], encrypted=True))
    assert (files, skipped) == ([], [NAME])
    assert "có mật khẩu" in reasons("bao-cao.rar", rar5([(NAME, DATA)], encrypted=True))[0]


def test_a_rar_with_encrypted_names_gets_the_password_reason() -> None:
    """ "Encrypt file names": the archive gets the password reason."""
    assert "có mật khẩu" in reasons("bao-cao.rar", rar5([], locked_headers=True))[0]


@pytest.mark.parametrize("kind", ["7z", "rar"])
def test_a_damaged_archive_gets_the_broken_reason(kind: str) -> None:
    """An archive cut inside its listing cannot be opened at all."""
    archive = seven_zip([(NAME, DATA)]) if kind == "7z" else rar5([(NAME, DATA)])
    assert reasons(f"a.{kind}", archive[:20]) == [
        f"Tệp nén “a.{kind}” bị hỏng, không mở được. Xin gửi lại tệp, hoặc gửi trực tiếp "
        "tệp .xlsx hoặc .docx (không nén)."
    ]


def test_a_compressed_rar_member_that_does_not_unpack_intact_is_refused() -> None:
    """bsdtar's output is checked against the declared size and CRC32."""
    archive = rar5([(NAME, DATA)], method=3)  # labelled compressed, bytes stored
    files, skipped = opened("a.rar", archive)
    assert (files, skipped) == ([], [NAME])
    assert "không giải nén được" in reasons("a.rar", archive)[0]


def test_bsdtar_unpacks_every_member_by_its_path() -> None:
    """The bsdtar edge returns each member's bytes by its archive path, UTF-8 names kept."""
    archive = rar5([(NAME, DATA), ("Bao cao/ke-hoach.txt", b"Ke hoach")])
    assert rar_tool.unpack(archive, 10**6) == {NAME: DATA, "Bao cao/ke-hoach.txt": b"Ke hoach"}


def test_bsdtar_unpacking_more_than_the_limit_raises() -> None:
    """More unpacked bytes than allowed: RarToolError, not a silent cut."""
    with pytest.raises(rar_tool.RarToolError):
        rar_tool.unpack(rar5([("a.txt", b"a" * 600), ("b.txt", b"b" * 600)]), 1000)


def test_an_empty_archive_is_not_dropped_without_a_word() -> None:
    """An archive with nothing in it still gets a reason, so the clerk hears of it."""
    assert reasons("a.7z", seven_zip([])) == [
        "Tệp nén “a.7z” bị hỏng, không mở được. Xin gửi lại tệp, hoặc gửi trực tiếp tệp .xlsx "
        "hoặc .docx (không nén)."
    ]
