"""Outlook .msg files for tests, built by code (MS-OXMSG on the CFB writer in cfb.py).

A clerk drags a received mail out of Outlook and attaches it: mailbot gets an .msg whose
attachments hold the report. This builds such a file: the message's property stream, class,
subject and named-property storage, and per attached file a storage with its properties
(attach method 1, by value), its bytes, long and short file names and MIME type.
"""

from __future__ import annotations

import struct

from tests.support.cfb import cfb

PT_LONG, PT_UNICODE, PT_BINARY = 0x0003, 0x001F, 0x0102
PR_ATTACH_METHOD, PR_RENDERING_POSITION = 0x3705, 0x370B
ATTACH_BY_VALUE = 1


def _text(value: str) -> bytes:
    return value.encode("utf-16-le") + b"\0\0"


def _props(header: bytes, fixed: list[tuple[int, int, int]],
           variable: list[tuple[int, int, int]]) -> bytes:  # fmt: skip
    """A __properties_version1.0 stream: header, then 16-byte entries (tag, flags, value)."""
    out = bytearray(header)
    for prop, kind, value in fixed:
        out += struct.pack("<IIII", (prop << 16) | kind, 6, value, 0)
    for prop, kind, size in variable:
        out += struct.pack("<IIII", (prop << 16) | kind, 6, size, 0)
    return bytes(out)


def outlook_msg(subject: str, files: list[tuple[str, bytes]], mime: str = "") -> bytes:
    """An .msg of class IPM.Note with `subject`, carrying `files` (name, bytes) by value."""
    streams: dict[str, bytes] = {
        "__substg1.0_001A001F": _text("IPM.Note"),
        "__substg1.0_0037001F": _text(subject),
        "__substg1.0_1000001F": _text("Kính gửi phòng, đơn vị gửi lại báo cáo."),
        "__nameid_version1.0/__substg1.0_00020102": b"",
        "__nameid_version1.0/__substg1.0_00030102": b"",
        "__nameid_version1.0/__substg1.0_00040102": b"",
    }
    top_header = struct.pack("<8sIIII8s", b"\0" * 8, 0, len(files), 0, len(files), b"\0" * 8)
    streams["__properties_version1.0"] = _props(
        top_header,
        [],
        [(0x001A, PT_UNICODE, len(_text("IPM.Note"))), (0x0037, PT_UNICODE, len(_text(subject)))],
    )
    for n, (name, data) in enumerate(files):
        folder = f"__attach_version1.0_#{n:08X}"
        short = name if len(name) <= 12 else name[:6] + "~1" + name[name.rfind(".") :]
        streams[f"{folder}/__substg1.0_37010102"] = data
        streams[f"{folder}/__substg1.0_3707001F"] = _text(name)
        streams[f"{folder}/__substg1.0_3704001F"] = _text(short)
        streams[f"{folder}/__substg1.0_3001001F"] = _text(name)
        if mime:
            streams[f"{folder}/__substg1.0_370E001F"] = _text(mime)
        streams[f"{folder}/__properties_version1.0"] = _props(
            b"\0" * 8,
            [
                (PR_ATTACH_METHOD, PT_LONG, ATTACH_BY_VALUE),
                (PR_RENDERING_POSITION, PT_LONG, 0xFFFFFFFF),
            ],
            [(0x3701, PT_BINARY, len(data)), (0x3707, PT_UNICODE, len(_text(name)))],
        )
    return cfb(streams)
