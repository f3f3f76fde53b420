"""File bytes → Document: pick a reader by content (sniff), never by the file's name.

Owns the dispatch between readers, LibreOffice conversion for legacy/foreign formats, and
turning any reader failure into a ParseError with a clerk-facing Vietnamese reason. Must not
interpret the table (interpret.py does) and never writes the input anywhere but convert's
private temporary folder.
"""

from __future__ import annotations

import logging
import zipfile
import zlib

from mailbot.errors import ParseError, XlsUnreadable
from mailbot.parsing import convert as converter
from mailbot.parsing.docx import read_docx
from mailbot.parsing.model import Document
from mailbot.parsing.safety import CORRUPT, open_checked_zip
from mailbot.parsing.sniff import CONVERT_TO, sniff_or_refuse
from mailbot.parsing.webtable import read_html, read_mhtml, read_text
from mailbot.parsing.xls import read_xls
from mailbot.parsing.xlsx import read_xlsx

log = logging.getLogger(__name__)

# Library failures that mean "this file is damaged", not "mailbot has a bug".
DAMAGED = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
    AssertionError,
    OSError,
    SyntaxError,  # xml.etree ParseError and defusedxml's refusals derive from it
)
DEFUSED = (
    "Tệp chứa khai báo XML không an toàn (DOCTYPE/ENTITY) mà Excel/Word không tạo ra, "
    "mailbot từ chối mở. Xin mở bằng Excel/Word, lưu lại rồi gửi lại."
)


def read_document(data: bytes, filename: str, *, convert_timeout_s: float = 60.0) -> Document:
    """Read any supported file into a Document; raises ParseError with a reason otherwise."""
    kind = sniff_or_refuse(data)
    if kind in CONVERT_TO:
        data, kind = convert_foreign(data, kind, timeout_s=convert_timeout_s)
    return read_native(data, filename, kind)


def convert_foreign(data: bytes, kind: str, *, timeout_s: float = 60.0) -> tuple[bytes, str]:
    """Convert a legacy/foreign kind to .docx/.xlsx bytes; returns (bytes, new kind)."""
    target = CONVERT_TO[kind]
    converted = converter.convert(data, kind, target, timeout_s=timeout_s)
    new_kind = sniff_or_refuse(converted)
    if new_kind not in ("docx", "xlsx", "docm", "xlsm"):
        raise ParseError(CORRUPT, f"conversion of {kind} produced {new_kind}")
    return converted, new_kind


def read_native(data: bytes, filename: str, kind: str) -> Document:
    """Read a kind mailbot reads itself (xlsx/xlsm/docx/docm/xls/html/text)."""
    try:
        if kind == "xls":
            return _read_xls(data, filename)
        if kind == "html":
            return read_html(data, filename)
        if kind == "mhtml":
            return read_mhtml(data, filename)
        if kind == "text":
            return read_text(data, filename)
        with open_checked_zip(data) as zf:
            if kind in ("xlsx", "xlsm"):
                return read_xlsx(zf, data, filename, kind)
            return read_docx(zf, filename, kind)
    except ParseError:
        raise
    except DAMAGED as exc:
        reason = DEFUSED if _is_defused(exc) else CORRUPT
        log.info("cannot read %s (%s): %s", filename, kind, exc)
        raise ParseError(reason, f"{type(exc).__name__}: {exc}") from exc


def _read_xls(data: bytes, filename: str) -> Document:
    try:
        return read_xls(data, filename)
    except XlsUnreadable as exc:
        # Old BIFF versions and odd writers: let LibreOffice try before giving up.
        log.info("xlrd cannot read %s: %s; trying LibreOffice", filename, exc)
        converted, kind = _convert_xls(data)
        return read_native(converted, filename, kind)


def _convert_xls(data: bytes) -> tuple[bytes, str]:
    converted = converter.convert(data, "xls", "xlsx")
    return converted, sniff_or_refuse(converted)


def _is_defused(exc: BaseException) -> bool:
    return type(exc).__module__.startswith("defusedxml")
