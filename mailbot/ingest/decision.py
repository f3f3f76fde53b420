"""The records of one mail's decision: the settings it is made with, the mail and files read.

Pure data and the cheap header reading every step shares (`read_mail`, `parse_headers`);
`decide` makes a `Decision`, `receipt` turns it into the receipt, `booking` stores it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from typing import Any

from mailbot.forms import Form
from mailbot.ingest.relevance import CAMPAIGN
from mailbot.mail.mime import Attachment, IncomingMail, read_message
from mailbot.messages.compose import FileOutcome
from mailbot.parsing.model import ParseResult
from mailbot.records import Unit

ParseFn = Callable[[bytes, str], ParseResult]

_HEADERS = BytesParser(policy=policy.default)
_BLANK_LINE = re.compile(rb"\n\r?\n")

SIGNED_WITH_FIGURES = "Bản ký/đóng dấu, lưu cùng số liệu Phụ lục 2 đã nhận của đơn vị."


@dataclass(frozen=True)
class IntakeSettings:
    """What intake needs from the config: form, roster, campaign and our own identity."""

    form: Form
    units: tuple[Unit, ...]
    campaign_name: str
    office_name: str
    deadline: datetime
    from_addr: str
    from_name: str
    own_addresses: tuple[str, ...] = ()
    authserv_id: str = "mx.google.com"
    quarantine_unauthenticated: bool = True


@dataclass(frozen=True)
class ReadMail:
    """A raw mail read once: its header block (trust, store row) and its MIME content."""

    headers: Message
    mail: IncomingMail


def read_mail(raw: bytes) -> ReadMail:
    """Parse a raw mail once for everything intake needs: header block, then MIME tree."""
    return ReadMail(parse_headers(raw), read_message(raw))


def parse_headers(raw: bytes) -> Message:
    """The header block of `raw` alone, parsed; the body is never decoded (cheap on big mail)."""
    return _HEADERS.parsebytes(header_block(raw), headersonly=True)


def header_block(raw: bytes) -> bytes:
    """`raw` up to and including its first blank line (all of it when there is none)."""
    found = _BLANK_LINE.search(raw)
    return raw[: found.end()] if found else raw


@dataclass(frozen=True)
class ReadFile:
    """One attachment with what became of it (parse result for tables, None otherwise)."""

    attachment: Attachment
    outcome: FileOutcome
    result: ParseResult | None = None

    @property
    def sha256(self) -> str:
        """Content hash of the file, its name in the archive."""
        return hashlib.sha256(self.attachment.data).hexdigest()


@dataclass
class Decision:
    """The fate of one mail.

    `status`: 'booked' (a submission for `unit`), 'unreadable' (a known unit, no table read),
    'unassigned' (no unit found), 'quarantined' (failed authentication) or 'ignored'
    (auto-replies, bounces, list mail, our own mail). `reason` is for the office.
    `receipt` is None when the sender must not be answered.
    """

    status: str
    mail: IncomingMail
    unit: Unit | None = None
    reason: str | None = None
    problem_kind: str | None = None
    files: list[ReadFile] = field(default_factory=list)
    chosen: ParseResult | None = None
    late: bool = False
    receipt: EmailMessage | None = None
    reply_to: str | None = None
    notices: list[FileOutcome] = field(default_factory=list)
    confirms: int | None = None  # the submission a confirming reply confirms (ingest.confirming)
    # Appendix 1 read from a file or the mail body (`Narrative.to_dict()`), and from where.
    narrative: dict[str, Any] | None = None
    narrative_source: str = ""
    relevance: str = CAMPAIGN  # 'unrelated' and 'ambiguous' mail is left as it was
