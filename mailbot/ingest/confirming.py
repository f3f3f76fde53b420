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
from dataclasses import dataclass, replace
from datetime import datetime

from mailbot.ingest.decision import Decision, IntakeSettings
from mailbot.mail.replies import says_confirmed
from mailbot.messages.compose import make_message_id, message_domain
from mailbot.messages.confirmation import AckContent, compose_confirmation_ack
from mailbot.records import TO_CONFIRM, Submission

REASON_CONFIRMED = "Đơn vị trả lời xác nhận số liệu của bài nộp số {id}; số liệu đã được tính."
REASON_NOTHING_TO_DO = (
    "Đơn vị trả lời xác nhận số liệu của bài nộp số {id}; bài nộp này không cần xác nhận thêm."
)
REASON_SUPERSEDED = (
    "Đơn vị trả lời xác nhận số liệu của bài nộp số {id}, nhưng bài nộp đó đã được thay bằng "
    "bài nộp sau; không thay đổi gì."
)


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
        domain = message_domain(settings.from_addr)
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
