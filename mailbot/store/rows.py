"""Records that go into and come out of the store, and the timestamp encoding it uses.

Pure data; no I/O. Timestamps are stored as UTC ISO-8601 text with microseconds (so text
order is time order) and handed back aware, in the store's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

MESSAGE_STATUSES = (
    "processing",
    "booked",
    "unassigned",
    "quarantined",
    "failed",
    "ignored",
    "unreadable",
)
PROBLEM_STATUSES = ("unreadable", "unassigned", "quarantined", "failed")
OUTBOX_KINDS = ("receipt", "summary", "reminder", "alert")


def to_db(moment: datetime) -> str:
    """An aware datetime as sortable UTC text; naive datetimes are a programming error."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: pass an aware `now`")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_db(text: str | None, tz: tzinfo) -> datetime | None:
    """Stored UTC text back to an aware datetime in `tz` (None stays None)."""
    return None if text is None else moment_from_db(text, tz)


def moment_from_db(text: str, tz: tzinfo) -> datetime:
    """Stored UTC text of a NOT NULL column back to an aware datetime in `tz`."""
    return datetime.fromisoformat(text).astimezone(tz)


def imap_source_key(folder: str, uidvalidity: int, uid: int) -> str:
    """The identity of an IMAP message: "folder/uidvalidity/uid"."""
    return f"{folder}/{uidvalidity}/{uid}"


def parse_imap_source_key(key: str) -> tuple[str, int, int] | None:
    """(folder, uidvalidity, uid) of an IMAP source key; None for other sources."""
    parts = key.rsplit("/", 2)  # the folder itself may contain "/"
    if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit():
        return None
    return parts[0], int(parts[1]), int(parts[2])


def backoff(
    attempts: int, base: timedelta = timedelta(minutes=1), cap: timedelta = timedelta(hours=1)
) -> timedelta:
    """Delay before retry number `attempts` + 1: base, 2·base, 4·base, … capped."""
    if attempts < 1:
        return timedelta(0)
    factor: int = 2 ** min(attempts - 1, 32)  # int ** int is typed Any (could be a float)
    return min(base * factor, cap)


@dataclass(frozen=True)
class IncomingMessage:
    """What the pipeline knows about a fetched message before deciding its fate."""

    source_key: str
    sha256: str
    received_at: datetime
    message_id_header: str | None = None
    from_addr: str = ""
    subject: str = ""
    date_header: str | None = None
    raw_path: str | None = None
    gm_msgid: int | None = None  # Gmail's X-GM-MSGID, the same under every label


@dataclass(frozen=True)
class AttachmentRecord:
    """One attachment of a message, with its parse result (`ParseResult.to_dict()`)."""

    filename: str
    sha256: str
    content_type: str = ""
    path: str | None = None
    parse_ok: bool = False
    parse: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class NewSubmission:
    """The report a booked message carries for its unit (sender and time come from it)."""

    unit_code: str
    late: bool
    values: dict[str, dict[str, int | str | None]]
    warnings: list[dict[str, Any]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    doubts: list[str] = field(default_factory=list)  # non-empty: booked 'to_confirm'


@dataclass(frozen=True)
class NewNarrative:
    """The Appendix 1 narrative a booked message carries for its unit (`Narrative.to_dict()`)."""

    unit_code: str
    source: str
    narrative: dict[str, Any]


@dataclass(frozen=True)
class OutgoingMail:
    """A rendered mail to queue: `raw` is the full RFC 5322 message with `rfc_message_id`."""

    kind: str
    rfc_message_id: str
    to_addrs: tuple[str, ...]
    raw: bytes = field(repr=False)
    priority: int = 0
    unit_code: str | None = None
    day: date | None = None


@dataclass(frozen=True)
class Booking:
    """What book_message wrote: the message row, and the submission and receipt if any."""

    message_row_id: int
    status: str
    submission_id: int | None = None
    superseded_id: int | None = None
    receipt_id: int | None = None


@dataclass(frozen=True)
class Attempt:
    """Result of begin_attempt: go ahead (`proceed`), or leave the message alone."""

    message_row_id: int
    attempts: int
    status: str
    proceed: bool


@dataclass(frozen=True)
class FolderState:
    """How far an IMAP folder has been read, under one UIDVALIDITY."""

    folder: str
    uidvalidity: int
    last_uid: int


@dataclass(frozen=True)
class MessageRow:
    """One row of `messages`."""

    id: int
    source_key: str
    message_id_header: str | None
    sha256: str
    from_addr: str
    subject: str
    date_header: str | None
    received_at: datetime
    status: str
    problem_kind: str | None
    unit_code: str | None
    flagged_reason: str | None
    duplicate_of: int | None
    attempts: int
    last_error: str | None
    raw_path: str | None
    processed_marked: bool
    created_at: datetime
    updated_at: datetime

    def incoming(self) -> IncomingMessage:
        """The row as the IncomingMessage it was made from (to process it again)."""
        return IncomingMessage(
            source_key=self.source_key,
            sha256=self.sha256,
            received_at=self.received_at,
            message_id_header=self.message_id_header,
            from_addr=self.from_addr,
            subject=self.subject,
            date_header=self.date_header,
            raw_path=self.raw_path,
        )


@dataclass(frozen=True)
class OutboxRow:
    """One row of `outbox`."""

    id: int
    kind: str
    rfc_message_id: str
    to_addrs: tuple[str, ...]
    raw: bytes = field(repr=False)
    priority: int = 0
    status: str = "pending"
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error: str | None = None
    created_at: datetime | None = None
    sent_at: datetime | None = None
    message_row_id: int | None = None
    unit_code: str | None = None
    day: date | None = None
    failed_at: datetime | None = None  # when it was given up (None: never, or cancelled)


@dataclass(frozen=True)
class SummaryRow:
    """One daily summary that was queued: `created_at` is the cut-off for "new since"."""

    id: int
    day: date
    created_at: datetime
    outbox_id: int | None
    stats: dict[str, Any] = field(default_factory=dict)
