"""Sniffing decides a file's kind by content, and foreign kinds are refused with a reason."""

from __future__ import annotations

import pytest

from mailbot.errors import ParseError
from mailbot.parsing.readers import read_document
from mailbot.parsing.sniff import sniff
from tests.support.office_builders import cfb_bytes, docx_bytes, p, patch_zip, xlsx_bytes

XLSX = xlsx_bytes({"S": [["a"]]})


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (XLSX, "xlsx"),
        (docx_bytes(p("x")), "docx"),
        (patch_zip(XLSX, {"xl/vbaProject.bin": b"x"}), "xlsm"),
        (cfb_bytes(["Workbook"]), "xls"),
        (cfb_bytes(["WordDocument", "1Table"]), "doc"),
        (cfb_bytes(["EncryptionInfo", "EncryptedPackage"]), "encrypted"),
        (b"%PDF-1.7\n%\xe2\xe3", "pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "image"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image"),
        (b"Rar!\x1a\x07\x01\x00", "rar"),
        (b"7z\xbc\xaf\x27\x1c\x00\x04", "7z"),
        (b"", "empty"),
        (b"{\\rtf1\\ansi hello}", "rtf"),
        (b'<html xmlns:x="urn:schemas-microsoft-com:office:excel"><table>', "html"),
        ("STT;Các hoạt động\n1;Bồi dưỡng\n".encode(), "text"),
        (b"\x01\x02\x03\x04\xfe\xff\x00\x00\x9c" * 40, "unknown"),
    ],
)
def test_kind_is_decided_by_content(data: bytes, kind: str) -> None:
    """Each sample's bytes sniff to the expected kind, whatever it would be named."""
    assert sniff(data) == kind


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"%PDF-1.4 ...", "PDF"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "ảnh"),
        (b"Rar!\x1a\x07\x00", "giải nén"),
        (b"7z\xbc\xaf\x27\x1c\x00\x04", "giải nén"),
        (b"", "rỗng"),
        (cfb_bytes(["EncryptionInfo", "EncryptedPackage"]), "mật khẩu"),
    ],
)
def test_foreign_kinds_are_refused_with_a_vietnamese_reason(data: bytes, words: str) -> None:
    """PDF, images, archives, empty and encrypted files raise ParseError naming the problem."""
    with pytest.raises(ParseError) as info:
        read_document(data, "bao-cao.xlsx")
    assert words in info.value.reason and ".xlsx" in info.value.reason


def test_html_saved_as_xls_is_read_as_a_grid() -> None:
    """A web export named .xls: its table (colspan/rowspan, x:num) becomes a grid."""
    html = (
        '<html><head><meta charset="utf-8"><style>td{}</style></head><body>'
        "<p>UBND xã Nậm Ét</p><table>"
        '<tr><td rowspan="2">STT</td><td colspan="2">Số lượng</td></tr>'
        "<tr><td>Số lớp</td><td>Người</td></tr>"
        '<tr><td>1</td><td x:num="2">02</td><td x:num="1200">1.200</td></tr>'
        "</table></body></html>"
    ).encode()
    doc = read_document(html, "bao-cao.xls")
    rows = [[(c.text, c.value) for c in r] for r in doc.grids[0].rows]
    assert rows == [
        [("STT", None), ("Số lượng", None), ("", None)],
        [("", None), ("Số lớp", None), ("Người", None)],
        [("1", None), ("02", 2), ("1.200", 1200)],
    ]
    assert doc.text == ["UBND xã Nậm Ét"]


def test_delimited_text_is_read_as_one_grid() -> None:
    """A semicolon-separated export reads as one grid of texts."""
    doc = read_document("STT;Hoạt động\n1;Xóa mù chữ\n".encode(), "x.csv")
    assert [[c.text for c in r] for r in doc.grids[0].rows] == [
        ["STT", "Hoạt động"],
        ["1", "Xóa mù chữ"],
    ]


def test_single_file_web_page_export_is_read() -> None:
    """An MHTML export (quoted-printable HTML inside MIME) is read through its HTML part."""
    mhtml = (
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/related; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/html; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        b"<html><body><table><tr><td>X=C3=B3a m=C3=B9 ch=E1=BB=AF</td><td>3</td></tr>"
        b"</table></body></html>\r\n--b--\r\n"
    )
    doc = read_document(mhtml, "bao-cao.xls")
    assert [[c.text for c in r] for r in doc.grids[0].rows] == [["Xóa mù chữ", "3"]]
