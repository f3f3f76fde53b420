"""Legacy formats: .xls via xlrd, .doc/.rtf/.ods through LibreOffice, and its absence."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from mailbot.errors import ParseError
from mailbot.parsing import convert
from mailbot.parsing.readers import read_document
from tests.support.office_builders import xlsx_bytes

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")


def soffice_convert(tmp_path: Path, data: bytes, source: str, target: str) -> bytes:
    """Convert test bytes with LibreOffice (test setup only), returning the new file's bytes."""
    src = tmp_path / source
    src.write_bytes(data)
    profile = (tmp_path / "profile").as_uri()
    cmd = ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", target]
    subprocess.run([*cmd, "--outdir", str(tmp_path / "out"), str(src)], check=True, timeout=120)
    return next((tmp_path / "out").iterdir()).read_bytes()


@needs_soffice
@pytest.mark.slow
def test_xls_workbook_reads_merges_once_and_numbers(tmp_path: Path) -> None:
    """An Excel 97-2003 workbook reads with xlrd: merged header once, numbers as values."""
    data = xlsx_bytes(
        {"Biểu": [["STT", "Số lượng", None], [1, 12, 340]]}, merges={"Biểu": ["B1:C1"]}
    )
    xls = soffice_convert(tmp_path, data, "bieu.xlsx", "xls")
    doc = read_document(xls, "bieu.xls")
    assert doc.kind == "xls"
    assert [[(c.text, c.value) for c in r] for r in doc.grids[0].rows] == [
        [("STT", None), ("Số lượng", None), ("", None)],
        [("1", 1), ("12", 12), ("340", 340)],
    ]


@needs_soffice
@pytest.mark.slow
def test_rtf_saved_as_doc_is_converted_and_read() -> None:
    """An RTF file (often sent named .doc) is converted by LibreOffice and its table read."""
    rtf = (
        rb"{\rtf1\ansi\deff0 {\fonttbl {\f0 Times New Roman;}}"
        rb"\pard UBND x\u227? M\u432?\u7901?ng Gi\u224?ng\par"
        rb"\trowd\cellx2000\cellx4000 STT\cell Ho\u7841?t \u273?\u7897?ng\cell\row"
        rb"\trowd\cellx2000\cellx4000 1\cell 12\cell\row}"
    )
    doc = read_document(rtf, "bao-cao.doc")
    assert doc.kind == "docx"
    assert [[c.text for c in r] for r in doc.grids[0].rows] == [["STT", "Hoạt động"], ["1", "12"]]
    assert doc.text[0] == "UBND xã Mường Giàng"


def test_without_libreoffice_a_doc_asks_for_docx(monkeypatch: pytest.MonkeyPatch) -> None:
    """With no soffice on the machine, a legacy file is refused with a request for .docx/.xlsx."""
    monkeypatch.setattr(convert, "soffice_path", lambda: None)
    with pytest.raises(ParseError) as info:
        read_document(b"{\\rtf1 hello}", "bao-cao.doc")
    assert ".docx" in info.value.reason and "RTF" in info.value.reason


def test_stuck_conversion_is_killed_at_its_timeout(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A converter that hangs is killed (with its process group) and reported as too slow."""
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 30 &\nsleep 30\n")
    fake.chmod(0o755)
    monkeypatch.setattr(convert, "soffice_path", lambda: str(fake))
    with pytest.raises(ParseError) as info:
        convert.convert(b"{\\rtf1 x}", "rtf", "docx", timeout_s=0.5)
    assert "quá nhiều thời gian" in info.value.reason
