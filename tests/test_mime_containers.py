"""read_message on containers: .zip members, refused archives, winmail.dat (TNEF)."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from mailbot.errors import TnefError
from mailbot.mail.containers import ArchiveLimits
from mailbot.mail.mime import Skipped, read_message
from mailbot.mail.tnef import read_tnef
from tests.support.mailfiles import tnef_bytes, zip_bytes
from tests.support.mailshapes import XLSX, report_email

SENDER = "thcs.muonggiang@example.org"
NAME = "Phụ lục 2 - Trường THCS Mường Giàng.xlsx"
DATA = b"PK\x03\x04 workbook"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def files_of(raw: bytes, **kwargs) -> list[tuple[str, str, bytes, str]]:
    """read_message's attachments as plain tuples."""
    mail = read_message(raw, **kwargs)
    return [(a.filename, a.content_type, a.data, a.origin) for a in mail.attachments]


def mail_with_zip(archive: bytes, name: str = "bao-cao.zip") -> bytes:
    """A Gmail mail carrying one .zip."""
    return report_email(SENDER, attachments=[(name, archive)])


def test_zip_members_become_files_with_zip_origin():
    """Each member of an attached .zip is a file whose origin names the archive."""
    archive = zip_bytes([(NAME, DATA), ("ke-hoach.docx", b"DOCX")])
    assert files_of(mail_with_zip(archive)) == [
        (NAME, XLSX, DATA, "zip:bao-cao.zip"),
        ("ke-hoach.docx", DOCX, b"DOCX", "zip:bao-cao.zip"),
    ]


def test_zip_by_content_type_without_extension_is_opened():
    """A part typed application/zip with no extension is opened as a zip."""
    raw = report_email(SENDER, attachments=[(None, zip_bytes([(NAME, DATA)]), "application/zip")])
    assert files_of(raw) == [(NAME, XLSX, DATA, "zip:tep-dinh-kem-1.zip")]


def test_xlsx_is_not_opened_as_zip():
    """An .xlsx (itself a zip) sent as application/zip stays one file."""
    workbook = zip_bytes([("xl/workbook.xml", b"<workbook/>")])
    raw = report_email(SENDER, attachments=[(NAME, workbook, "application/zip")])
    assert files_of(raw) == [(NAME, "application/zip", workbook, "attachment")]


def test_zip_junk_and_folders_are_left_out():
    """__MACOSX, ._ files, Thumbs.db, desktop.ini and folders are not files."""
    archive = zip_bytes(
        [
            ("Bao cao/", b""),
            ("Bao cao/" + NAME, DATA),
            ("__MACOSX/Bao cao/._" + NAME, b"mac"),
            ("Bao cao/Thumbs.db", b"x"),
            ("Bao cao/desktop.ini", b"x"),
            ("Bao cao/~$" + NAME, b"lock"),
        ]
    )
    assert files_of(mail_with_zip(archive)) == [(NAME, XLSX, DATA, "zip:bao-cao.zip")]


def test_zip_in_zip_is_refused():
    """A zip inside the attached zip is not opened; the clerk is told why."""
    inner = zip_bytes([(NAME, DATA)])
    mail = read_message(mail_with_zip(zip_bytes([("trong.zip", inner)])))
    assert (mail.attachments, [s.filename for s in mail.skipped]) == ([], ["trong.zip"])
    assert "một lớp nén" in mail.skipped[0].reason


def test_a_damaged_rar_is_refused_with_vietnamese_reason():
    """A .rar that cannot be listed is not opened; the clerk is asked to send it again."""
    mail = read_message(report_email(SENDER, attachments=[("bao-cao.rar", b"Rar!\x1a\x07")]))
    assert mail.attachments == []
    assert mail.skipped == [
        Skipped(
            "bao-cao.rar",
            "Tệp nén “bao-cao.rar” bị hỏng, không mở được. Xin gửi lại tệp, hoặc gửi trực tiếp "
            "tệp .xlsx hoặc .docx (không nén).",
        )
    ]


def test_a_tar_is_refused_with_vietnamese_reason():
    """Archive kinds other than .zip, .rar and .7z are refused; the reason asks for .zip."""
    mail = read_message(report_email(SENDER, attachments=[("bao-cao.tar.gz", b"\x1f\x8b")]))
    assert mail.attachments == []
    assert mail.skipped == [
        Skipped(
            "bao-cao.tar.gz",
            "Tệp nén “bao-cao.tar.gz” (định dạng gzip) không mở được tự động. Xin gửi trực "
            "tiếp tệp .xlsx hoặc .docx (không nén), hoặc nén bằng định dạng .zip.",
        )
    ]


def test_7z_by_content_type_is_opened_as_7z():
    """An archive recognised only by its 7z content type is opened as one (here: broken)."""
    raw = report_email(SENDER, attachments=[("bao-cao", b"7z", "application/x-7z-compressed")])
    assert [s.filename for s in read_message(raw).skipped] == ["bao-cao"]


def test_zip_with_too_many_members_is_refused():
    """More members than the limit: nothing extracted, one reason."""
    archive = zip_bytes([(f"tep-{i}.xlsx", DATA) for i in range(6)])
    mail = read_message(mail_with_zip(archive), limits=ArchiveLimits(max_members=5))
    assert (mail.attachments, len(mail.skipped)) == ([], 1)
    assert "quá nhiều tệp (6, tối đa 5)" in mail.skipped[0].reason


def test_zip_too_big_uncompressed_is_refused():
    """A total uncompressed size above the limit refuses the archive."""
    archive = zip_bytes([("a.xlsx", bytes(3000)), ("b.xlsx", bytes(3000))])
    limits = ArchiveLimits(max_total_bytes=5000)
    mail = read_message(mail_with_zip(archive), limits=limits)
    assert (mail.attachments, "quá lớn khi giải nén" in mail.skipped[0].reason) == ([], True)


def test_zip_bomb_ratio_is_refused():
    """A member expanding far beyond the archive's size is not extracted."""
    archive = zip_bytes([("a.xlsx", bytes(2_000_000))])
    mail = read_message(mail_with_zip(archive))
    assert (mail.attachments, "tỉ lệ nén bất thường" in mail.skipped[0].reason) == ([], True)


def test_small_well_compressed_zip_is_not_a_bomb():
    """Below the ratio floor a high ratio is fine (a few KB of repeated cells)."""
    archive = zip_bytes([("a.csv", b"0," * 20_000)])
    assert files_of(mail_with_zip(archive))[0][0] == "a.csv"


def test_corrupt_zip_is_refused():
    """Bytes that are not a zip give a "bị hỏng" reason."""
    mail = read_message(mail_with_zip(b"PK\x03\x04 not really a zip"))
    assert (mail.attachments, "bị hỏng" in mail.skipped[0].reason) == ([], True)


def test_encrypted_member_is_refused_others_kept():
    """A password-protected member is refused; the other members still come out."""
    archive = zip_bytes([(NAME, DATA), ("mat-khau.xlsx", b"secret")], encrypted=["mat-khau.xlsx"])
    mail = read_message(mail_with_zip(archive))
    assert [a.filename for a in mail.attachments] == [NAME]
    assert [s.filename for s in mail.skipped] == ["mat-khau.xlsx"]


def test_zip_name_cp1258_without_flag():
    """A Vietnamese Windows (CP1258, no UTF-8 flag) member name decodes to NFC."""
    archive = zip_bytes([(NAME, DATA)], encoding="cp1258")
    assert files_of(mail_with_zip(archive))[0][0] == NAME


def test_zip_name_utf8_without_flag():
    """A macOS/7-Zip UTF-8 name without the flag decodes as UTF-8."""
    archive = zip_bytes([(NAME, DATA)], encoding="utf-8", utf8_flag=False)
    assert files_of(mail_with_zip(archive))[0][0] == NAME


def test_zip_unicode_path_field_wins():
    """The Info-ZIP Unicode Path field gives the name when the header name is legacy."""
    archive = zip_bytes([(NAME, DATA)], encoding="cp1258", unicode_path_extra=True)
    assert files_of(mail_with_zip(archive))[0][0] == NAME


def test_zip_name_true_cp437():
    """A Western CP437 name ("Résumé") is read as CP437, not CP1258."""
    archive = zip_bytes([("Résumé año.xlsx", DATA)], encoding="cp437")
    assert files_of(mail_with_zip(archive))[0][0] == "Résumé año.xlsx"


VIETNAMESE = "aàảãáạăằẳẵắặâầẩẫấậđeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵ"
viet_names = st.text(VIETNAMESE + VIETNAMESE.upper() + "bcghklmnt 0-9_", min_size=1, max_size=60)
cp437_names = st.text(
    "abcdefghijklmnoprstuvwxyzABCDEFGHIJKLMNOPRSTUVWXYZ0123456789 _-éèêëàâäçîïôöûüùñÉÇÑÄÖÜ",
    min_size=1,
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(stem=viet_names, encoding=st.sampled_from(["utf-8", "utf-8-noflag", "cp1258"]))
def test_vietnamese_zip_names_round_trip(stem, encoding):
    """Any Vietnamese member name survives UTF-8 (flag or not) and CP1258 zips."""
    name = unicodedata.normalize("NFC", stem.strip() or "x") + ".xlsx"
    archive = zip_bytes(
        [(name, DATA)],
        encoding="utf-8" if encoding.startswith("utf-8") else encoding,
        utf8_flag=encoding == "utf-8",
    )
    assert [f[0] for f in files_of(mail_with_zip(archive))] == [name]


@settings(max_examples=60, deadline=None)
@given(stem=cp437_names)
def test_cp437_zip_names_round_trip(stem):
    """Western names written in CP437 without the flag survive."""
    name = (stem.strip() or "x") + ".xlsx"
    archive = zip_bytes([(name, DATA)], encoding="cp437")
    assert [f[0] for f in files_of(mail_with_zip(archive))] == [name]


def test_winmail_dat_files_are_unpacked():
    """Outlook's winmail.dat yields the attached files with their long names."""
    raw = report_email(SENDER, attachments=[(NAME, DATA), ("kh.docx", b"D")], client="outlook-tnef")
    assert files_of(raw) == [(NAME, XLSX, DATA, "tnef"), ("kh.docx", DOCX, b"D", "tnef")]


def test_tnef_8bit_long_name_is_used():
    """A PT_STRING8 long file name (older Outlook) is used when there is no Unicode one."""
    files = read_tnef(tnef_bytes([("Bao cao xa.xlsx", DATA)], unicode_names=False))
    assert [(f.filename, f.data) for f in files] == [("Bao cao xa.xlsx", DATA)]


def test_tnef_without_long_name_falls_back_to_short_title():
    """Without MAPI long names the 8.3 attAttachTitle names the file."""
    files = read_tnef(tnef_bytes([(NAME, DATA)], long_names=False, mime_tags=False))
    assert [(f.filename, f.content_type) for f in files] == [("PHULUC~1.XLS", "")]


def test_zip_inside_winmail_dat_is_opened():
    """A .zip attached in Outlook rich text is opened after TNEF."""
    archive = zip_bytes([(NAME, DATA)])
    raw = report_email(SENDER, attachments=[("bc.zip", archive)], client="outlook-tnef")
    assert files_of(raw) == [(NAME, XLSX, DATA, "zip:bc.zip")]


def test_damaged_winmail_dat_is_refused():
    """A cut-short winmail.dat gives a Vietnamese reason, not an exception."""
    blob = tnef_bytes([(NAME, DATA * 50)])[:80]
    raw = report_email(SENDER, attachments=[("winmail.dat", blob, "application/ms-tnef")])
    mail = read_message(raw)
    assert (mail.attachments, [s.filename for s in mail.skipped]) == ([], ["winmail.dat"])


def test_read_tnef_rejects_non_tnef():
    """read_tnef raises TnefError on bytes without the signature."""
    try:
        read_tnef(b"not tnef at all")
    except TnefError:
        return
    raise AssertionError("TnefError not raised")
