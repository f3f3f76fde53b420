"""Builders of the container files mail carries: .zip archives and TNEF (winmail.dat).

Pure functions returning bytes, written the way the tools that make them write them, so
the readers are tested against the shapes they meet: zip names with the UTF-8 flag, bare
UTF-8 (macOS, 7-Zip), CP437 (old Western tools) and CP1258 (Vietnamese Windows); TNEF as
Outlook writes it (8.3 title, data, MAPI properties with the long file name).
"""

from __future__ import annotations

import io
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Sequence

CONTENT_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xls": "application/vnd.ms-excel",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
    ".pdf": "application/pdf",
    ".zip": "application/zip",
    ".rar": "application/x-rar-compressed",
    ".7z": "application/x-7z-compressed",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".txt": "text/plain",
    ".csv": "text/csv",
}


class _RawNameInfo(zipfile.ZipInfo):
    """A ZipInfo that writes its name as given bytes, with the UTF-8 flag only if asked."""

    raw_name: bytes = b""
    utf8_flag: bool = False
    encrypted: bool = False

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:
        # zipfile resets flag_bits when writing; the flags returned here are what it stores.
        flags = self.flag_bits | 0x800 if self.utf8_flag else self.flag_bits & ~0x800
        return self.raw_name, flags | (0x1 if self.encrypted else 0)


def cp1258_bytes(text: str) -> bytes:
    """Text in Windows-1258 the way Vietnamese Windows writes it: tone marks combining."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in decomposed if c in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        out += (base + tones).encode("cp1258")
    return bytes(out)


def zip_bytes(
    members: Sequence[tuple[str, bytes]],
    *,
    encoding: str = "utf-8",
    utf8_flag: bool | None = None,
    unicode_path_extra: bool = False,
    compress: bool = True,
    encrypted: Sequence[str] = (),
) -> bytes:
    """A .zip of `members`, names written in `encoding` ("utf-8", "cp437", "cp1258").

    `utf8_flag` defaults to True for UTF-8 (Windows 10, Python) and False otherwise; pass
    False with UTF-8 for the macOS/7-Zip shape. `unicode_path_extra` adds Info-ZIP's
    Unicode Path field (0x7075) next to a legacy-encoded name, as WinZip and 7-Zip do.
    Members named in `encrypted` carry the "encrypted" flag (their bytes stay plain).
    """
    flag = (encoding == "utf-8") if utf8_flag is None else utf8_flag
    buf = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in members:
            raw = cp1258_bytes(name) if encoding == "cp1258" else name.encode(encoding)
            info = _RawNameInfo(raw.decode("cp437"), date_time=(2021, 10, 14, 9, 30, 0))
            info.raw_name = raw
            info.utf8_flag = flag
            info.compress_type = method
            info.encrypted = name in encrypted
            if unicode_path_extra:
                utf8 = unicodedata.normalize("NFC", name).encode("utf-8")
                body = struct.pack("<BI", 1, zlib.crc32(raw)) + utf8
                info.extra = struct.pack("<HH", 0x7075, len(body)) + body
            zf.writestr(info, data)
    return buf.getvalue()


# --- TNEF -----------------------------------------------------------------------------------

TNEF_SIGNATURE = 0x223E9F78
_ATT_TNEF_VERSION = 0x00089006
_ATT_OEM_CODEPAGE = 0x00069007
_ATT_MESSAGE_CLASS = 0x00078008
_ATT_REND_DATA = 0x00069002
_ATT_TITLE = 0x00018010
_ATT_DATA = 0x0006800F
_ATT_ATTACHMENT = 0x00069005


def _attribute(level: int, att_id: int, data: bytes) -> bytes:
    checksum = sum(data) & 0xFFFF
    return struct.pack("<BII", level, att_id, len(data)) + data + struct.pack("<H", checksum)


def _pad(data: bytes) -> bytes:
    return data + b"\x00" * (-len(data) % 4)


def _prop_string(tag: int, text: str, unicode: bool) -> bytes:
    if unicode:
        value = text.encode("utf-16-le") + b"\x00\x00"
        ptype = 0x001F
    else:
        value = text.encode("cp1252", errors="replace") + b"\x00"
        ptype = 0x001E
    return struct.pack("<HHII", ptype, tag, 1, len(value)) + _pad(value)


def _short_name(name: str) -> str:
    """The 8.3 name Outlook puts in attAttachTitle: "BAOCAO~1.XLS"."""
    stem, _, ext = name.rpartition(".")
    folded = unicodedata.normalize("NFD", stem or ext).replace("đ", "d").replace("Đ", "D")
    letters = "".join(c for c in folded if c.isascii() and c.isalnum()).upper()
    return f"{letters[:6] or 'FILE'}~1" + (f".{ext[:3].upper()}" if stem else "")


def tnef_bytes(
    files: Sequence[tuple[str, bytes]],
    *,
    unicode_names: bool = True,
    long_names: bool = True,
    mime_tags: bool = True,
) -> bytes:
    """A winmail.dat holding `files`, as Outlook writes it for "Rich Text" mail.

    With `long_names` the real name is in PR_ATTACH_LONG_FILENAME (PT_UNICODE when
    `unicode_names`, else PT_STRING8); without, only the 8.3 title remains.
    """
    out = struct.pack("<IH", TNEF_SIGNATURE, 0x0001)
    out += _attribute(1, _ATT_TNEF_VERSION, struct.pack("<I", 0x00010000))
    out += _attribute(1, _ATT_OEM_CODEPAGE, struct.pack("<II", 1252, 0))
    out += _attribute(1, _ATT_MESSAGE_CLASS, b"IPM.Microsoft Mail.Note\x00")
    for name, data in files:
        rend = struct.pack("<HIhhI", 1, 0xFFFFFFFF, -1, -1, 0)
        out += _attribute(2, _ATT_REND_DATA, rend)
        out += _attribute(2, _ATT_TITLE, _short_name(name).encode("ascii") + b"\x00")
        out += _attribute(2, _ATT_DATA, data)
        props = [struct.pack("<HHI", 0x0003, 0x3705, 1)]  # PR_ATTACH_METHOD = by value
        if long_names:
            props.append(_prop_string(0x3707, name, unicode_names))
        if mime_tags:
            ext = name[name.rfind(".") :].lower() if "." in name else ""
            props.append(
                _prop_string(0x370E, CONTENT_TYPES.get(ext, "application/octet-stream"), False)
            )
        block = struct.pack("<I", len(props)) + b"".join(props)
        out += _attribute(2, _ATT_ATTACHMENT, block)
    return out
