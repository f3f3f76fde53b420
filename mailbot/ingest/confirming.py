"""A unit's reply confirming the numbers of a doubtful submission ("đúng", "xác nhận").

The receipt of a doubtful submission asks the unit to check the numbers read and either reply
"đúng"/"xác nhận" in the thread or send a corrected file. Here a decided mail (`decide`) that
answers one of our receipts, carries no file to read and says the numbers are right becomes the
confirmation of that submission: booked 'ignored' (it is no report), with at most one short
acknowledgement, and only when the submission was still awaiting confirmation. A reply with a
file stays a new submission; a reply that says "sai"/"chưa đúng" is not a confirmation.

Pure: the decision, the submission the reply answers (looked up by the caller) and `now` in,
a decision out. No store, no clock, no sending.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime

from mailbot.ingest.decide import Decision, IntakeSettings
from mailbot.messages.compose import make_message_id
from mailbot.messages.confirmation import AckContent, compose_confirmation_ack
from mailbot.records import TO_CONFIRM, Submission

# Where the quoted original starts: "> …", "On … wrote:", Gmail's "Vào … đã viết:", Outlook.
_QUOTE_START = re.compile(
    r"^\s*(>|-{2,}\s*(original message|thư gốc|forwarded message)|_{8,}|"
    r"(from|từ|người gửi)\s*:)",
    re.IGNORECASE,
)
_WROTE = re.compile(r"(wrote|đã viết|viết)\s*:\s*$", re.IGNORECASE)
_SIGNATURE = re.compile(r"^--\s*$")
_GREETING = re.compile(r"^(kính gửi|kinh gui|gửi|gui|dear|chào|chao|xin chào|xin chao)\b")
# Matched on folded text, so "không đúng" and "khong dung" alike.
_NEGATIVE = re.compile(r"\b(khong|chua|ko|k)\s+(dung|chinh xac|xac nhan)\b")
# Matched on the text as typed, never folded: "Mường Sại" (a commune) folds to "muong sai".
_NEGATIVE_WORD = re.compile(r"\b(sai|nhầm|nham)\b")
_POSITIVE = re.compile(r"\b(đúng|xác nhận|đồng ý)\b")
# Typed without a Vietnamese keyboard, only at the start of a line ("dung" is also a name).
_POSITIVE_ASCII = re.compile(r"^(ok|oke|vang|da)?[\s,.!:-]*(dung|xac nhan|dong y)\b")
_MAX_NEW_TEXT = 600  # characters: a confirmation is short; a long text is a letter to a person
_LINES_LOOKED_AT = 2  # the first lines after any greeting say it; signatures come last

REASON_CONFIRMED = "Đơn vị trả lời xác nhận số liệu của bài nộp số {id}; số liệu đã được tính."
REASON_NOTHING_TO_DO = (
    "Đơn vị trả lời xác nhận số liệu của bài nộp số {id}; bài nộp này không cần xác nhận thêm."
)
REASON_SUPERSEDED = (
    "Đơn vị trả lời xác nhận số liệu của bài nộp số {id}, nhưng bài nộp đó đã được thay bằng "
    "bài nộp sau; không thay đổi gì."
)


def new_text(body: str) -> str:
    """The text the sender wrote in a reply: before the quoted original and the signature."""
    lines = body.splitlines()
    kept: list[str] = []
    for i, line in enumerate(lines):
        if _QUOTE_START.match(line) or _SIGNATURE.match(line):
            break
        if _WROTE.search(line):
            # "On Tue, … <addr>" may wrap: drop its first half already kept.
            if kept and re.match(r"^\s*(on|vào|lúc)\b", kept[-1], re.IGNORECASE):
                kept.pop()
            break
        if (
            i + 1 < len(lines)
            and _WROTE.search(lines[i + 1])
            and re.match(r"^\s*(on|vào|lúc)\b", line, re.IGNORECASE)
        ):
            break
        kept.append(line)
    return "\n".join(kept).strip()


def _fold(text: str) -> str:
    """Lower case without diacritics (đ → d): how text typed without accents compares."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def says_confirmed(body: str) -> bool:
    """True when the new text of a reply says the numbers are right and nothing says otherwise."""
    text = unicodedata.normalize("NFC", new_text(body)).lower()
    if not text or len(text) > _MAX_NEW_TEXT:
        return False
    if _NEGATIVE.search(_fold(text)) or _NEGATIVE_WORD.search(text):
        return False
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    lines = [ln for ln in lines if not _GREETING.match(ln)][:_LINES_LOOKED_AT]
    return any(_POSITIVE.search(ln) or _POSITIVE_ASCII.match(_fold(ln)) for ln in lines)


@dataclass(frozen=True)
class ReplyConfirmation:
    """A reply that confirms `submission_id`; `fresh` when it was awaiting confirmation."""

    submission_id: int
    fresh: bool
    reason: str


def reply_confirmation(
    decision: Decision, answered: Submission | None, machine: bool
) -> ReplyConfirmation | None:
    """The confirmation a decided mail makes, or None when it is not one.

    `answered` is the submission whose receipt the mail replies to; `machine` is True for
    auto-replies, bounces and our own mail, which never confirm anything.
    """
    if answered is None or machine or decision.status in ("booked", "quarantined"):
        return None
    mail = decision.mail
    if decision.chosen is not None or mail.links or mail.skipped:
        return None  # it sends something to read: a new submission, as always
    if any(f.outcome.status != "signed_copy" for f in decision.files):
        return None
    same_unit = decision.unit is not None and decision.unit.code == answered.unit_code
    if not same_unit and mail.from_addr != answered.sender:
        return None
    if not says_confirmed(mail.body_text):
        return None
    if answered.superseded_by is not None:
        return ReplyConfirmation(answered.id, False, REASON_SUPERSEDED.format(id=answered.id))
    if answered.confidence != TO_CONFIRM:
        return ReplyConfirmation(answered.id, False, REASON_NOTHING_TO_DO.format(id=answered.id))
    return ReplyConfirmation(answered.id, True, REASON_CONFIRMED.format(id=answered.id))


def confirm_by_reply(
    decision: Decision,
    answered: Submission | None,
    *,
    machine: bool,
    ack_allowed: bool,
    raw: bytes,
    settings: IntakeSettings,
    now: datetime,
) -> Decision:
    """`decision` turned into the confirmation it makes (unchanged when it makes none).

    The confirming mail is booked 'ignored' with the reason for the office. It gets one short
    acknowledgement only when the submission was awaiting confirmation (so a second "đúng", or
    a reply to the acknowledgement, is answered by nothing) and `ack_allowed`.
    """
    reply = reply_confirmation(decision, answered, machine)
    if reply is None:
        return decision
    ack = None
    if reply.fresh and ack_allowed and decision.reply_to and answered is not None:
        mail = decision.mail
        content = AckContent(
            unit_name=decision.unit.name if decision.unit else None,
            campaign_name=settings.campaign_name,
            office_name=settings.office_name,
            submission_received_at=answered.received_at,
        )
        domain = settings.from_addr.rsplit("@", 1)[-1] or "mailbot.invalid"
        ack = compose_confirmation_ack(
            content,
            to_addr=decision.reply_to,
            from_addr=settings.from_addr,
            from_name=settings.from_name,
            in_reply_to=mail.message_id,
            references=mail.references,
            original_subject=mail.subject,
            # Derived from the mail's bytes like a receipt's: the same reply, the same id.
            message_id=make_message_id("confirm", hashlib.sha256(raw).hexdigest(), domain),
            date=now,
        )
    return replace(
        decision,
        status="ignored",
        reason=reply.reason,
        problem_kind=None,
        receipt=ack,
        confirms=reply.submission_id if reply.fresh else None,
    )
