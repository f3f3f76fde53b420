"""Outgoing messages as `email.message.EmailMessage`: receipts, summaries, reminders, alerts.

Owns the view models handed to the templates, the headers (threading, RFC 3834
Auto-Submitted, deterministic Message-IDs) and the MIME structure. Pure: bytes and records
in, messages out; it never sends, reads the clock or touches the store.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from mailbot.forms import Form
from mailbot.messages.doubt_view import doubtful_listing
from mailbot.messages.render import BLANK, render
from mailbot.messages.subject import set_subject
from mailbot.messages.summary_view import cut_text_lines, list_limit, summary_lists
from mailbot.records import Unit
from mailbot.rollup import (
    Campaign,
    Rollup,
    Values,
    table_rows,
    vn_datetime,
    vn_number,
    warning_text,
)

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
FILE_STATUSES = ("read", "signed_copy", "unreadable", "ignored")
REPLY_PREFIX = re.compile(r"^\s*(re|trả lời)\s*:", re.IGNORECASE)
BAR_WIDTH = 20


@dataclass(frozen=True)
class FileOutcome:
    """What became of one attachment: read, a signed copy (PDF/image), unreadable or ignored.

    `reason_vi` says, for the clerk, what is wrong and what to send instead (unreadable,
    ignored); it may stay empty for read files and signed copies.
    """

    filename: str
    status: str
    reason_vi: str = ""

    def __post_init__(self) -> None:
        if self.status not in FILE_STATUSES:
            raise ValueError(f"unknown file status {self.status!r}; use {FILE_STATUSES}")


@dataclass(frozen=True)
class ReceiptContent:
    """Everything a receipt says about one incoming message.

    `unit_name` is the unit the report was booked to (None: not booked to any unit);
    `values` the values read (None when nothing could be read); `warnings` stored warnings
    ({"code", "message"} dicts or plain texts); `deadline` and `received_at` are aware.
    """

    form: Form
    campaign_name: str
    office_name: str
    deadline: datetime
    unit_name: str | None
    files: Sequence[FileOutcome] = ()
    values: Values | None = None
    warnings: Sequence[dict | str] = ()
    late: bool = False
    links: Sequence[str] = ()
    received_at: datetime | None = None
    # Why the reading may be wrong: the receipt asks the unit to confirm or correct (issue 11).
    doubts: Sequence[str] = ()
    # Which appendix the unit has still to send (issue 14), e.g. "Đã nhận Phụ lục 2, …".
    parts_note: str | None = None
    narrative_received: bool = False  # an Appendix 1 was read from this mail (no table in it)
    figures_on_file: bool = False  # the unit's Appendix 2 is booked; this mail brings no table

    def with_status(self, status: str) -> list[FileOutcome]:
        """The files with this status, in order."""
        return [f for f in self.files if f.status == status]


@dataclass(frozen=True)
class Sender:
    """Who a message is from: address and display name."""

    addr: str
    name: str = ""

    def header(self) -> str:
        """The From header value (display name encoded as needed by the email policy)."""
        return str(Address(display_name=self.name, addr_spec=self.addr))


@dataclass
class _Headers:
    subject: str
    to_addrs: Sequence[str]
    sender: Sender
    message_id: str
    auto_submitted: str
    date: datetime | None = None
    extra: dict[str, str] = field(default_factory=dict)


def make_message_id(kind: str, key: str, domain: str) -> str:
    """A deterministic Message-ID for `kind` from a stable `key`: <kind.sha@domain>."""
    digest = hashlib.sha256(f"{kind}\0{key}".encode()).hexdigest()[:32]
    return f"<{kind}.{digest}@{domain}>"


def message_domain(from_addr: str) -> str:
    """The domain our Message-IDs carry: the sending address's, or a reserved placeholder."""
    return from_addr.rsplit("@", 1)[-1] or "mailbot.invalid"


def reply_subject(original: str, fallback: str) -> str:
    """ "Re: " + the original subject (or `fallback` when it had none), unless already a reply."""
    subject = unicodedata.normalize("NFC", " ".join(original.split())) or fallback
    return subject if REPLY_PREFIX.match(subject) else f"Re: {subject}"


def table_view(form: Form, values: Values | None) -> list[dict]:
    """The form's rows as template-ready dicts, numbers written the Vietnamese way."""
    rows = []
    for row in table_rows(form, values):
        line = row.line
        quantity = vn_number(row.quantity, BLANK)
        people = vn_number(row.people, BLANK)
        shown = {"people": people, "text": row.text or BLANK}
        parts = [
            (form.slot_names.get(slot, slot), shown.get(slot, quantity)) for slot in line.slots
        ]
        rows.append(
            {
                "code": line.code or "",
                "stt": line.stt or "",
                "label": line.label,
                "unit": line.unit,
                "heading": line.heading,
                "is_text": "text" in line.slots,
                "has_people": "people" in line.slots,
                "quantity": quantity if line.slots and "text" not in line.slots else "",
                "people": people if "people" in line.slots else "",
                "text_lines": (row.text or BLANK).split("\n"),
                "slots_text": _slots_text(parts),
            }
        )
    return rows


def _slots_text(parts: list[tuple[str, str]]) -> str:
    # A one-slot row needs no slot name: the unit column already says what it is.
    if len(parts) == 1:
        return parts[0][1]
    return "; ".join(f"{name}: {value}" for name, value in parts)


def compose_receipt(
    content: ReceiptContent,
    *,
    to_addr: str,
    from_addr: str,
    from_name: str,
    in_reply_to: str | None,
    references: str | Sequence[str] | None,
    original_subject: str,
    message_id: str,
    date: datetime | None = None,
) -> EmailMessage:
    """The receipt answering one incoming message, threaded under it (RFC 3834 auto-reply)."""
    context = {
        "c": content,
        "read_files": content.with_status("read"),
        "signed_files": content.with_status("signed_copy"),
        "bad_files": content.with_status("unreadable") + content.with_status("ignored"),
        "has_values": content.values is not None and bool(content.with_status("read")),
        "table": table_view(content.form, content.values),
        "warnings": [_warning_line(w) for w in content.warnings],
        "deadline": vn_datetime(content.deadline),
        "received": vn_datetime(content.received_at) if content.received_at else "",
        "doubts": list(content.doubts) if content.values is not None else [],
    }
    fallback = f"Xác nhận đã nhận báo cáo {content.campaign_name}"
    headers = _Headers(
        subject=reply_subject(original_subject, fallback),
        to_addrs=[to_addr],
        sender=Sender(from_addr, from_name),
        message_id=message_id,
        auto_submitted="auto-replied",
        date=date,
    )
    refs = _references(references, in_reply_to)
    if in_reply_to:
        headers.extra["In-Reply-To"] = in_reply_to
    if refs:
        headers.extra["References"] = " ".join(refs)
    msg = _message(headers)
    _bodies(msg, "receipt", context)
    return msg


def _warning_line(warning: dict | str) -> str:
    text = warning_text(warning)
    code = warning.get("code") if isinstance(warning, dict) else None
    return f"Mục {code}: {text}" if code else text


def _references(references: str | Sequence[str] | None, in_reply_to: str | None) -> list[str]:
    refs = references.split() if isinstance(references, str) else list(references or ())
    if in_reply_to and in_reply_to not in refs:
        refs.append(in_reply_to)
    return refs


def progress_bar(done: int, total: int, width: int = BAR_WIDTH) -> str:
    """A text progress bar: "[#######-------------]"."""
    filled = round(width * done / total) if total else 0
    return "[" + "#" * filled + "-" * (width - filled) + "]"


def compose_summary(
    rollup: Rollup,
    workbook_bytes: bytes,
    *,
    to_addrs: Sequence[str],
    from_addr: str,
    from_name: str,
    message_id: str,
    date: datetime | None = None,
    waiting: Mapping[str, int] | None = None,
    given_up: Sequence[Mapping[str, str]] = (),
    last_poll: datetime | None = None,
    unrelated: int = 0,
    report_file: str | None = None,
) -> EmailMessage:
    """The office's roll-up email: progress, news, gaps, problems, totals; workbook attached.

    `waiting` counts mails still queued by kind (e.g. held by the daily sending cap);
    `given_up` lists mails given up since the last summary (`messages.outbox_view`);
    `last_poll` is when the mailbox was last read to the end.
    `unrelated` counts mails judged not the campaign's since the last summary.
    `report_file` names the drafted district report the caller attaches (None: none).
    """
    campaign = rollup.campaign
    tz = campaign.tz
    done, total = rollup.submitted_count, rollup.unit_count
    percent = round(100 * done / total) if total else 0
    context = {
        "r": rollup,
        "campaign": campaign,
        "done": done,
        "total": total,
        "percent": percent,
        "bar": progress_bar(done, total),
        "now": vn_datetime(rollup.now, tz),
        "since": vn_datetime(rollup.since, tz) if rollup.since else "",
        "deadline": vn_datetime(campaign.deadline, tz),
        **summary_lists(rollup),
        "doubtful": doubtful_listing(rollup),
        "table": _summary_table(rollup),
        "waiting": waiting_text(waiting or {}),
        "given_up": list(given_up),
        "last_poll": vn_datetime(last_poll, tz) if last_poll else "",
        "unrelated": unrelated,
        "report_file": report_file or "",
    }
    headers = _Headers(
        subject=f"Tổng hợp báo cáo {campaign.name}: {done}/{total} đơn vị ({context['now']})",
        to_addrs=to_addrs,
        sender=Sender(from_addr, from_name),
        message_id=message_id,
        auto_submitted="auto-generated",
        date=date,
    )
    msg = _message(headers)
    _bodies(msg, "summary", context)
    filename = f"tong-hop-{rollup.now.astimezone(tz):%Y-%m-%d}.xlsx"
    msg.add_attachment(workbook_bytes, *XLSX_TYPE, filename=filename)
    return msg


WAITING_KINDS = {"receipt": "biên nhận", "reminder": "thư nhắc", "alert": "cảnh báo",
                 "summary": "thư tổng hợp"}  # fmt: skip


def waiting_text(waiting: Mapping[str, int]) -> str:
    """Mails still queued, as text like "12 biên nhận, 3 thư nhắc" ("" when none)."""
    order = [k for k in WAITING_KINDS if waiting.get(k)]
    return ", ".join(f"{waiting[k]} {WAITING_KINDS[k]}" for k in order)


def _summary_table(rollup: Rollup) -> list[dict]:
    rows = table_view(rollup.form, rollup.totals)
    limit = list_limit(rollup)
    for row in rows:
        if row["is_text"]:
            row["text_lines"] = cut_text_lines(row["text_lines"], limit)
    return rows


def days_left_text(days_left: int) -> str:
    """How the reminder words the time left before the deadline."""
    if days_left > 0:
        return f"còn {days_left} ngày nữa là đến hạn"
    if days_left == 0:
        return "hôm nay là ngày cuối cùng của hạn nộp"
    return f"đã quá hạn {-days_left} ngày"


def compose_reminder(
    unit: Unit,
    campaign: Campaign,
    blank_xlsx_bytes: bytes,
    days_left: int,
    *,
    to_addrs: Sequence[str],
    from_addr: str,
    from_name: str,
    message_id: str,
    date: datetime | None = None,
) -> EmailMessage:
    """A polite reminder to one unit that has not reported, with the blank form attached."""
    deadline = vn_datetime(campaign.deadline, campaign.tz)
    context = {
        "unit": unit,
        "campaign": campaign,
        "deadline": deadline,
        "days_left": days_left,
        "days_left_text": days_left_text(days_left),
    }
    headers = _Headers(
        subject=f"Đề nghị gửi báo cáo {campaign.name} (hạn {deadline})",
        to_addrs=to_addrs,
        sender=Sender(from_addr, from_name),
        message_id=message_id,
        auto_submitted="auto-generated",
        date=date,
    )
    msg = _message(headers)
    _bodies(msg, "reminder", context)
    msg.add_attachment(blank_xlsx_bytes, *XLSX_TYPE, filename="phu-luc-2-bieu-tong-hop.xlsx")
    return msg


def compose_alert(
    title: str,
    body: str,
    *,
    to_addrs: Sequence[str],
    from_addr: str,
    from_name: str,
    message_id: str,
    date: datetime | None = None,
) -> EmailMessage:
    """A plain-text alert to the office (e.g. a message that needs a person), in Vietnamese."""
    headers = _Headers(
        subject=f"[Cảnh báo] {title}",
        to_addrs=to_addrs,
        sender=Sender(from_addr, from_name),
        message_id=message_id,
        auto_submitted="auto-generated",
        date=date,
    )
    msg = _message(headers)
    footer = "\n\n--\nThư gửi tự động từ hệ thống nhận báo cáo; xin không trả lời thư này.\n"
    msg.set_content(unicodedata.normalize("NFC", body.rstrip() + footer), charset="utf-8")
    return msg


def _message(h: _Headers) -> EmailMessage:
    msg = EmailMessage()
    set_subject(msg, h.subject)  # folded by us: the library's folding can lose a space
    msg["From"] = h.sender.header()
    msg["To"] = ", ".join(h.to_addrs)
    msg["Message-ID"] = h.message_id
    if h.date is not None:
        msg["Date"] = format_datetime(h.date)
    # RFC 3834: mark machine mail so auto-responders stay quiet; Outlook reads the X- header.
    msg["Auto-Submitted"] = h.auto_submitted
    msg["X-Auto-Response-Suppress"] = "All"
    for name, value in h.extra.items():
        msg[name] = value
    return msg


def _bodies(msg: EmailMessage, name: str, context: dict) -> None:
    msg.set_content(render(f"{name}.txt.j2", **context), charset="utf-8")
    msg.add_alternative(render(f"{name}.html.j2", **context), subtype="html", charset="utf-8")
