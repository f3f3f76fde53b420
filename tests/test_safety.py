"""Hostile and broken files: refused with a Vietnamese reason, within time and memory."""

from __future__ import annotations

import functools
import io
import os
import time
import zipfile

import pytest
from lxml import etree

from mailbot.errors import ParseError
from mailbot.parsing import guard
from mailbot.parsing.guard import parse_guarded, parse_many_guarded
from mailbot.parsing.readers import read_document
from mailbot.parsing.safety import parse_xml
from tests.support.office_builders import docx_bytes, member, p, patch_zip, xlsx_bytes

XLSX = xlsx_bytes({"S": [["STT", "Các hoạt động"], [1, "Xóa mù chữ"]]})
DOCX = docx_bytes(p("UBND xã Mường Giàng"))

LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b"]>"
)


def zip_bomb() -> bytes:
    """A zip whose one member inflates 20 MB of zeros from about 20 kilobytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("xl/workbook.xml", "w", force_zip64=True) as fh:
            block = b"\x00" * (1 << 20)
            for _ in range(20):
                fh.write(block)
    return buf.getvalue()


def _body(xml: bytes) -> bytes:
    """The XML without its declaration, so a DOCTYPE can be put in front."""
    return xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml


@functools.cache
def hostile_files() -> dict[str, bytes]:
    """Every hostile sample, named the way a sender might name it."""
    sheet = member(XLSX, "xl/worksheets/sheet1.xml")
    laughs_xlsx = patch_zip(
        XLSX,
        {"xl/worksheets/sheet1.xml": LAUGHS + _body(sheet).replace(b"STT", b"&lol9;")},
    )
    document = member(DOCX, "word/document.xml")
    xxe = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    xxe_docx = patch_zip(
        DOCX,
        {"word/document.xml": xxe + _body(document).replace(b"UBND", b"&x;")},
    )
    return {
        "bomb.xlsx": zip_bomb(),
        "laughs.xlsx": laughs_xlsx,
        "xxe.docx": xxe_docx,
        "truncated.xlsx": XLSX[: len(XLSX) // 2],
        "truncated.docx": DOCX[: len(DOCX) - 40],
        "random.xlsx": os.urandom(20_000),
        "empty.xlsx": b"",
        "scan.pdf": b"%PDF-1.4\n" + os.urandom(2000),
        "photo.png": b"\x89PNG\r\n\x1a\n" + os.urandom(2000),
        "files.rar": b"Rar!\x1a\x07\x01\x00" + os.urandom(200),
        "files.7z": b"7z\xbc\xaf\x27\x1c\x00\x04" + os.urandom(200),
        "encrypted.xlsx": _encrypted(),
    }


def _encrypted() -> bytes:
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    out = io.BytesIO()
    ooxml.OOXMLFile(io.BytesIO(XLSX)).encrypt("mat-khau", out)
    return out.getvalue()


NAMES = [
    "bomb.xlsx", "laughs.xlsx", "xxe.docx", "truncated.xlsx", "truncated.docx", "random.xlsx",
    "empty.xlsx", "scan.pdf", "photo.png", "files.rar", "files.7z", "encrypted.xlsx",
]  # fmt: skip


@pytest.mark.parametrize("name", NAMES)
def test_hostile_file_is_refused_with_a_reason(name: str) -> None:
    """read_document raises ParseError with a Vietnamese reason that asks for a resend."""
    data = hostile_files()[name]
    started = time.monotonic()
    with pytest.raises(ParseError) as info:
        read_document(data, name)
    assert time.monotonic() - started < 5
    assert "Xin" in info.value.reason and info.value.reason.isprintable()


def test_guarded_batch_of_hostile_files_is_all_not_ok_and_bounded() -> None:
    """Through the guard every hostile file is ok:false with one reason, inside the limits."""
    files = hostile_files()
    started = time.monotonic()
    results = parse_many_guarded([(d, n) for n, d in files.items()], timeout_s=10, memory_mb=300)
    assert time.monotonic() - started < 20
    assert [(r.file, r.ok, len(r.errors)) for r in results] == [(n, False, 1) for n in files]


def test_encrypted_file_reason_names_the_password() -> None:
    """A password-protected workbook is reported as such, not as corrupt."""
    with pytest.raises(ParseError) as info:
        read_document(_encrypted(), "bao-cao.xlsx")
    assert "mật khẩu" in info.value.reason


def test_billion_laughs_reason_names_unsafe_xml() -> None:
    """Entity declarations are refused before any XML library expands them."""
    with pytest.raises(ParseError) as info:
        read_document(hostile_files()["laughs.xlsx"], "x.xlsx")
    assert "DOCTYPE" in info.value.reason


def test_xxe_file_content_never_reaches_the_document() -> None:
    """An external-entity docx is refused, so no local file text can leak into a receipt."""
    with pytest.raises(ParseError) as info:
        read_document(hostile_files()["xxe.docx"], "x.docx")
    assert "root:" not in info.value.reason and "DOCTYPE" in info.value.reason


def test_runaway_parse_is_stopped_at_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    """A parse that never ends is killed at its timeout and reported as too slow."""

    def spin(*_args: object) -> None:
        while True:
            pass

    monkeypatch.setattr(guard, "parse_bytes", spin)
    started = time.monotonic()
    result = parse_guarded(XLSX, "slow.xlsx", timeout_s=1)
    assert time.monotonic() - started < 3
    assert (result.ok, len(result.errors)) == (False, 1) and "giây" in result.errors[0]


def test_memory_hungry_parse_is_stopped_by_the_ceiling(monkeypatch: pytest.MonkeyPatch) -> None:
    """A parse that allocates past the memory ceiling ends as ok:false, the parent unharmed."""

    def hog(*_args: object) -> None:
        hoard = []
        while True:
            hoard.append(bytearray(50 * 1024 * 1024))

    monkeypatch.setattr(guard, "parse_bytes", hog)
    result = parse_guarded(XLSX, "hog.xlsx", timeout_s=5, memory_mb=100)
    assert (result.ok, len(result.errors)) == (False, 1)


def test_child_crash_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    """A child that dies without a result (a native crash) gives ok:false with a reason."""
    monkeypatch.setattr(guard, "parse_bytes", lambda *_a: os._exit(3))
    result = parse_guarded(XLSX, "crash.xlsx")
    assert (result.ok, result.errors) == (False, [guard.CRASHED])


def test_own_xml_parser_never_resolves_external_entities() -> None:
    """Even without the pre-scan, our lxml parser leaves an external entity unexpanded."""
    xml = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>'
    root = parse_xml(xml, "d.xml")
    assert "root:" not in etree.tostring(root).decode()


def test_one_runaway_file_does_not_spoil_the_rest_of_a_batch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After a worker is killed for one slow file, the files queued behind it still parse."""
    real = guard.parse_bytes

    def slow_for_one(data: bytes, filename: str, form: object) -> object:
        while filename == "slow.xlsx":
            pass
        return real(data, filename, form)

    monkeypatch.setattr(guard, "parse_bytes", slow_for_one)
    names = ["a.xlsx", "slow.xlsx", "b.xlsx", "c.xlsx"]
    results = parse_many_guarded([(XLSX, n) for n in names], jobs=1, timeout_s=1)
    assert [(r.file, "giây" in " ".join(r.errors)) for r in results] == [
        ("a.xlsx", False),
        ("slow.xlsx", True),
        ("b.xlsx", False),
        ("c.xlsx", False),
    ]
