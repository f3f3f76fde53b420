"""Reading one mail's headers: raw values, encoded words, addresses, dates, file names.

Owns decoding header text however the client wrote it (RFC 2047 even where it is not
allowed, RFC 2231 parameters, raw 8-bit), address lists, Message-IDs and the Date header,
and a part's content type, disposition and file name. Pure and never raises on malformed
input. It must not walk the MIME tree or decide which parts are files (see `mime`).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime

from mailbot.mail.bodies import decode_words, repair_8bit


def part_filename(part: Message) -> str:
    """The part's file name however the client encoded it, NFC; "" when it has none."""
    name = ""
    try:
        name = part.get_filename() or ""
    except Exception:  # header parser corner cases: fall back to the raw header below
        name = ""
    if not name:
        name = raw_param(part, "content-disposition", "filename") or raw_param(
            part, "content-type", "name"
        )
    return nfc(repair_8bit(decode_words(name))).strip()


def raw_param(part: Message, header: str, param: str) -> str:
    """A parameter of a raw header (quotes removed); "" when absent."""
    value = raw_header(part, header)
    m = re.search(rf"""(?:^|;)\s*{param}\s*=\s*("(?:[^"\\]|\\.)*"|[^;]+)""", value, re.I)
    if not m:
        return ""
    found = m.group(1).strip()
    return found[1:-1] if found.startswith('"') and found.endswith('"') else found


def nfc(value: str) -> str:
    """The text in NFC; "" for None or empty."""
    return unicodedata.normalize("NFC", value or "")


def raw_header(msg: Message, name: str) -> str:
    """The header's raw value, unfolded; "" when absent. Never parses (never raises)."""
    for key, value in msg.raw_items():
        if key.lower() == name:
            text = value if isinstance(value, str) else str(value)
            return re.sub(r"\r?\n[ \t]+", " ", text).strip()
    return ""


def header_text(msg: Message, name: str) -> str:
    """The header decoded to one line of NFC text; "" when absent."""
    raw = raw_header(msg, name)
    return nfc(re.sub(r"\s+", " ", repair_8bit(decode_words(raw)))).strip()


def addresses(msg: Message, name: str) -> list[tuple[str, str]]:
    """(display name, lower-case address) pairs of an address header; robust to junk."""
    raw = raw_header(msg, name)
    if not raw:
        return []
    try:
        pairs = getaddresses([raw])
    except Exception:
        pairs = []
    out = []
    for display, addr in pairs:
        addr = repair_8bit(addr).strip().strip("<>").lower()
        if "@" in addr or display:
            out.append((nfc(repair_8bit(decode_words(display))).strip(), addr))
    return out


def first_address(msg: Message, name: str) -> tuple[str, str]:
    """The first (display name, address) pair with an @, or ("", "")."""
    pairs = [p for p in addresses(msg, name) if "@" in p[1]]
    return pairs[0] if pairs else ("", "")


def msg_id(msg: Message, name: str) -> str | None:
    """The <id> in a Message-ID style header, else its first word, or None."""
    raw = raw_header(msg, name)
    m = re.search(r"<[^<>\s]+>", raw)
    return m.group() if m else (raw.split()[0] if raw.split() else None)


def header_date(msg: Message) -> datetime | None:
    """The Date header as an aware datetime, or None when absent or malformed."""
    raw = raw_header(msg, "date")
    if not raw:
        return None
    try:
        value = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    # RFC 5322 "-0000" (and a missing zone) means UTC with the local offset unknown.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def part_content_type(part: Message) -> str:
    """The part's lower-case content type; octet-stream when unreadable."""
    try:
        return part.get_content_type().lower()
    except Exception:
        return "application/octet-stream"


def part_disposition(part: Message) -> str | None:
    """The part's Content-Disposition type, lower-case, or None."""
    value = raw_header(part, "content-disposition").split(";", 1)[0].strip().lower()
    return value or None
