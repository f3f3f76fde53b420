"""A small reader for TNEF (winmail.dat, application/ms-tnef): the attached files only.

Outlook sends "rich text" mail as one opaque winmail.dat part; the files the clerk attached
live inside it. This module owns walking that format (MS-OXTNEF) far enough to return each
attached file's name and bytes. It ignores the message body (compressed RTF) and every
other property. Pure functions on bytes; no I/O, no email objects.

Format, in short: a 4-byte signature and a 2-byte key, then attributes, each
`level (1) | id (4: type << 16 | tag) | length (4) | data | checksum (2)`. An attachment
starts at attAttachRendData; its 8.3 name is attAttachTitle, its bytes attAttachData, and
attAttachment carries MAPI properties, among them the long file name (PR_ATTACH_LONG_FILENAME).
"""

from __future__ import annotations

import struct
import unicodedata
from dataclasses import dataclass

from mailbot.errors import TnefError

__all__ = ["TNEF_SIGNATURE", "TnefError", "TnefFile", "is_tnef", "read_tnef"]

TNEF_SIGNATURE = 0x223E9F78

# Attribute ids (type in the high word, tag in the low word), from MS-OXTNEF 2.1.3.
ATT_OEM_CODEPAGE = 0x00069007
ATT_ATTACH_REND_DATA = 0x00069002
ATT_ATTACH_TITLE = 0x00018010
ATT_ATTACH_DATA = 0x0006800F
ATT_ATTACHMENT = 0x00069005

LEVEL_ATTACHMENT = 0x02

# MAPI property tags (ids) that matter here.
PR_DISPLAY_NAME = 0x3001
PR_ATTACH_DATA_OBJ = 0x3701
PR_ATTACH_FILENAME = 0x3704
PR_ATTACH_METHOD = 0x3705
PR_ATTACH_LONG_FILENAME = 0x3707
PR_ATTACH_MIME_TAG = 0x370E

# MAPI property types.
PT_STRING8 = 0x001E
PT_UNICODE = 0x001F
PT_BINARY = 0x0102
PT_OBJECT = 0x000D
MV_FLAG = 0x1000
_FIXED_SIZES = {
    0x0001: 0,  # PT_NULL
    0x0002: 2,  # PT_SHORT
    0x0003: 4,  # PT_LONG
    0x0004: 4,  # PT_FLOAT
    0x0005: 8,  # PT_DOUBLE
    0x0006: 8,  # PT_CURRENCY
    0x0007: 8,  # PT_APPTIME
    0x000A: 4,  # PT_ERROR
    0x000B: 2,  # PT_BOOLEAN
    0x0014: 8,  # PT_I8
    0x0040: 8,  # PT_SYSTIME
    0x0048: 16,  # PT_CLSID
}
_VARIABLE = {PT_STRING8, PT_UNICODE, PT_BINARY, PT_OBJECT}

# An embedded message (attach method 5) carries a nested TNEF stream after a 16-byte IID.
ATTACH_EMBEDDED_MSG = 5
_MAX_DEPTH = 3


@dataclass(frozen=True)
class TnefFile:
    """One file found inside a TNEF stream; `content_type` is "" when Outlook gave none."""

    filename: str
    data: bytes
    content_type: str = ""


@dataclass
class _Pending:
    title: str = ""
    long_name: str = ""
    data: bytes | None = None
    content_type: str = ""
    nested: list[TnefFile] | None = None


def is_tnef(data: bytes) -> bool:
    """True when the bytes start with the TNEF signature."""
    return len(data) >= 6 and struct.unpack_from("<I", data)[0] == TNEF_SIGNATURE


def read_tnef(data: bytes) -> list[TnefFile]:
    """The attached files inside a TNEF stream, in order; raises TnefError when unreadable."""
    try:
        return _read(data, 0)
    except struct.error as exc:  # a length field pointing past the data
        raise TnefError(f"truncated TNEF stream: {exc}") from exc


def _read(data: bytes, depth: int) -> list[TnefFile]:
    if not is_tnef(data):
        raise TnefError("not a TNEF stream")
    pos = 6
    codepage = "cp1252"
    files: list[TnefFile] = []
    current: _Pending | None = None
    while pos + 9 <= len(data):
        level, att_id, length = struct.unpack_from("<BII", data, pos)
        start = pos + 9
        end = start + length
        if end + 2 > len(data):
            raise TnefError("attribute runs past the end of the stream")
        value = data[start:end]
        pos = end + 2  # the checksum is not worth verifying: a bad one still has our bytes
        if att_id == ATT_OEM_CODEPAGE and length >= 4:
            codepage = _codec(struct.unpack_from("<I", value)[0])
        elif level != LEVEL_ATTACHMENT:
            continue
        elif att_id == ATT_ATTACH_REND_DATA:
            _finish(current, files)
            current = _Pending()
        elif current is None:
            continue  # attachment data before any attAttachRendData: malformed, skip it
        elif att_id == ATT_ATTACH_TITLE:
            current.title = _cstring(value, codepage)
        elif att_id == ATT_ATTACH_DATA:
            current.data = value
        elif att_id == ATT_ATTACHMENT:
            _apply_props(current, value, codepage, depth)
    if data[pos:].strip(b"\x00"):
        raise TnefError("stream ends inside an attribute")
    _finish(current, files)
    return files


def _finish(pending: _Pending | None, files: list[TnefFile]) -> None:
    if pending is None:
        return
    if pending.nested is not None:
        files.extend(pending.nested)
        return
    if pending.data is None:
        return
    name = pending.long_name or pending.title
    files.append(TnefFile(unicodedata.normalize("NFC", name), pending.data, pending.content_type))


def _apply_props(pending: _Pending, block: bytes, codepage: str, depth: int) -> None:
    props = _read_props(block, codepage)
    long_name = props.get(PR_ATTACH_LONG_FILENAME) or props.get(PR_DISPLAY_NAME)
    if isinstance(long_name, str) and long_name:
        pending.long_name = long_name
    elif isinstance(props.get(PR_ATTACH_FILENAME), str) and not pending.title:
        pending.title = str(props[PR_ATTACH_FILENAME])
    mime_tag = props.get(PR_ATTACH_MIME_TAG)
    if isinstance(mime_tag, str):
        pending.content_type = mime_tag.strip().lower()
    obj = props.get(PR_ATTACH_DATA_OBJ)
    if isinstance(obj, bytes):
        if props.get(PR_ATTACH_METHOD) == ATTACH_EMBEDDED_MSG:
            if is_tnef(obj) and depth < _MAX_DEPTH:
                pending.nested = _read(obj, depth + 1)
        elif pending.data is None:
            pending.data = obj


def _read_props(block: bytes, codepage: str) -> dict[int, object]:
    """MAPI properties of one attAttachment block: tag → first value (str, bytes or int)."""
    out: dict[int, object] = {}
    (count,) = struct.unpack_from("<I", block, 0)
    pos = 4
    for _ in range(count):
        ptype, tag = struct.unpack_from("<HH", block, pos)
        pos += 4
        if tag >= 0x8000:  # named property: GUID, kind, then an id or a name
            pos += 16
            (kind,) = struct.unpack_from("<I", block, pos)
            pos += 4
            if kind == 0:
                pos += 4
            else:
                (name_len,) = struct.unpack_from("<I", block, pos)
                pos += 4 + _pad4(name_len)
        multi = bool(ptype & MV_FLAG)
        base = ptype & ~MV_FLAG
        nvalues = 1
        if multi or base in _VARIABLE:
            (nvalues,) = struct.unpack_from("<I", block, pos)
            pos += 4
        values: list[object] = []
        for _ in range(nvalues):
            value, pos = _read_value(block, pos, base, codepage)
            values.append(value)
        if values and tag not in out:
            out[tag] = values[0]
    return out


def _read_value(block: bytes, pos: int, base: int, codepage: str) -> tuple[object, int]:
    if base in _VARIABLE:
        (length,) = struct.unpack_from("<I", block, pos)
        pos += 4
        raw = block[pos : pos + length]
        if len(raw) < length:
            raise TnefError("property value runs past its block")
        pos += _pad4(length)
        if base == PT_UNICODE:
            return raw.decode("utf-16-le", errors="replace").split("\x00", 1)[0], pos
        if base == PT_STRING8:
            return _cstring(raw, codepage), pos
        if base == PT_OBJECT:  # an object value starts with the 16-byte IID of its interface
            return raw[16:], pos
        return raw, pos
    if base not in _FIXED_SIZES:
        raise TnefError(f"unknown MAPI property type 0x{base:04x}")
    size = _FIXED_SIZES[base]
    value: object = block[pos : pos + size]
    if size == 4 or size == 2:
        value = int.from_bytes(block[pos : pos + size], "little")
    return value, pos + _pad4(size)


def _pad4(n: int) -> int:
    return (n + 3) & ~3


def _cstring(raw: bytes, codepage: str) -> str:
    text = raw.split(b"\x00", 1)[0]
    try:
        return text.decode("utf-8")  # newer Outlook writes UTF-8 into 8-bit strings
    except UnicodeDecodeError:
        return text.decode(codepage, errors="replace")


def _codec(codepage: int) -> str:
    name = f"cp{codepage}"
    try:
        "".encode(name)
    except LookupError:
        return "cp1252"
    return name
