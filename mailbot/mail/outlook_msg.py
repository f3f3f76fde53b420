"""Outlook .msg attachments: the files inside, read with extract-msg.

A clerk who drags a received mail out of Outlook into a new one sends an .msg; the report is
one of its attachments. This module owns recognising an .msg (an OLE2 file named .msg or typed
application/vnd.ms-outlook) and taking out the files it carries by value. An .msg inside it,
a link or a signed part is left out with a Vietnamese reason. Pure functions on bytes.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass

__all__ = ["MsgError", "MsgFile", "is_msg", "read_msg"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Not application/x-ole-storage: old .doc and .xls files are sent with that type too.
MSG_TYPES = {"application/vnd.ms-outlook"}

# extract-msg logs every oddity of a hostile file at WARNING; the receipt says what matters.
logging.getLogger("extract_msg").setLevel(logging.ERROR)


class MsgError(Exception):
    """The .msg cannot be read at all."""


@dataclass(frozen=True)
class MsgFile:
    """One file carried by an .msg: its name, bytes and declared type ("" when none)."""

    filename: str
    data: bytes
    content_type: str = ""


@dataclass(frozen=True)
class MsgContents:
    """The files taken out of one .msg, and (name, reason) for what was left in it."""

    files: list[MsgFile]
    skipped: list[tuple[str, str]]


def is_msg(name: str, content_type: str, data: bytes) -> bool:
    """True for an OLE2 file named .msg or typed as an Outlook message."""
    if not data.startswith(OLE_MAGIC):
        return False
    return name.lower().endswith(".msg") or content_type in MSG_TYPES


def read_msg(data: bytes, name: str) -> MsgContents:
    """The files an .msg carries by value; MsgError when it is no readable .msg."""
    import extract_msg  # heavy (≈0.3 s): only mail that carries an .msg pays for it

    try:
        msg = extract_msg.openMsg(data, strict=False)
    except Exception as exc:  # a hostile file may break the library anywhere: one reason
        raise MsgError(f"{type(exc).__name__}: {exc}") from None
    contents = MsgContents(files=[], skipped=[])
    try:
        for n, attachment in enumerate(msg.attachments, start=1):
            label = _name(attachment, n)
            payload = getattr(attachment, "data", None)  # signed and embedded kinds differ
            if isinstance(payload, bytes):
                mime = getattr(attachment, "mimetype", None) or ""
                contents.files.append(MsgFile(label, payload, str(mime).lower()))
            else:  # an embedded message, a web link, a signed or broken part
                contents.skipped.append((label, _left_in(label, name)))
    except Exception as exc:  # the same: a damaged attachment table is one reason
        raise MsgError(f"{type(exc).__name__}: {exc}") from None
    finally:
        msg.close()
    if not contents.files and not contents.skipped:
        contents.skipped.append((name, _empty(name)))
    return contents


def _name(attachment: object, n: int) -> str:
    for field in ("longFilename", "shortFilename", "displayName", "name"):
        value = getattr(attachment, field, None)
        if isinstance(value, str) and value.strip("\0 "):
            return unicodedata.normalize("NFC", value.strip("\0 "))
    return f"tep-dinh-kem-{n}"


def _left_in(label: str, name: str) -> str:
    return (
        f"Mục “{label}” trong thư Outlook “{name}” không phải tệp đính kèm thông thường nên "
        "không đọc được. Xin đính kèm trực tiếp tệp .xlsx hoặc .docx."
    )


def _empty(name: str) -> str:
    return (
        f"Thư Outlook “{name}” đính kèm không mang tệp nào. Xin đính kèm trực tiếp tệp .xlsx "
        "hoặc .docx vào thư."
    )
