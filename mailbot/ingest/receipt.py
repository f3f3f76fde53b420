"""The receipt for a decided mail: what was received, the numbers read, what looks wrong.

Pure: a `Decision` and the settings in, an `EmailMessage` out (composed by
`messages.compose`); whether the sender is answered at all is `worth_answering`.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from email.message import EmailMessage
from typing import Any

from mailbot.ingest.decision import SIGNED_WITH_FIGURES, Decision, IntakeSettings
from mailbot.messages.compose import (
    FileOutcome,
    ReceiptContent,
    compose_receipt,
    make_message_id,
    message_domain,
)
from mailbot.parsing.narrative import cross_check

MISSING_NARRATIVE = (
    "Đã nhận Phụ lục 2, chưa nhận Phụ lục 1 (báo cáo). "
    "Đề nghị đơn vị gửi bổ sung báo cáo Phụ lục 1."
)
MISSING_TABLE = (
    "Đã nhận Phụ lục 1 (báo cáo), chưa nhận Phụ lục 2 (biểu tổng hợp số liệu). "
    "Đề nghị đơn vị gửi bổ sung biểu Phụ lục 2."
)


def worth_answering(decision: Decision) -> bool:
    """Answer units always; an unknown sender only when it tried to send something."""
    if decision.status == "quarantined" or (decision.status == "ignored" and not decision.unit):
        return False
    if decision.status == "unassigned":
        mail = decision.mail
        return bool(decision.files or decision.notices or mail.links or mail.skipped)
    return True


def parts_note(decision: Decision, on_file: tuple[bool, bool]) -> str | None:
    """The receipt's line on which appendix is still missing for the unit, or None."""
    if decision.unit is None:
        return None
    table = decision.chosen is not None or on_file[0]
    story = decision.narrative is not None or on_file[1]
    if table and not story:
        return MISSING_NARRATIVE
    if story and not table:
        return MISSING_TABLE
    return None


def build_receipt(
    decision: Decision,
    to_addr: str,
    raw: bytes,
    received_at: datetime,
    settings: IntakeSettings,
    now: datetime | None = None,
    on_file: tuple[bool, bool] = (False, False),
) -> EmailMessage:
    """The receipt for a decided mail, with a Message-ID derived from the mail's content."""
    mail = decision.mail
    outcomes = [f.outcome for f in decision.files] + decision.notices
    outcomes += [FileOutcome(s.filename, "unreadable", s.reason) for s in mail.skipped]
    chosen = decision.chosen
    warnings: list[dict[str, Any] | str] = [w.to_dict() for w in chosen.warnings] if chosen else []
    warnings += cross_check(decision.narrative, chosen.values if chosen else None)
    if decision.status == "unassigned":
        warnings.append(
            {
                "code": None,
                "message": "Chưa xác định được đơn vị của thư này; Phòng sẽ kiểm tra, liên hệ lại.",
            }
        )
    content = ReceiptContent(
        form=settings.form,
        campaign_name=settings.campaign_name,
        office_name=settings.office_name,
        deadline=settings.deadline,
        unit_name=decision.unit.name if decision.unit else None,
        files=outcomes,
        values=chosen.values if chosen else None,
        warnings=warnings,
        late=decision.late and decision.status == "booked",
        doubts=chosen.doubts if chosen and decision.status == "booked" else [],
        links=mail.links,
        received_at=received_at,
        parts_note=parts_note(decision, on_file),
        narrative_received=decision.narrative is not None and decision.status == "booked",
        figures_on_file=decision.reason == SIGNED_WITH_FIGURES,
    )
    # The raw bytes' hash: the same mail always gets the same receipt id, so the outbox's
    # unique index refuses a second receipt even across a crash and a re-read.
    key = hashlib.sha256(raw).hexdigest()
    domain = message_domain(settings.from_addr)
    return compose_receipt(
        content,
        to_addr=to_addr,
        from_addr=settings.from_addr,
        from_name=settings.from_name,
        in_reply_to=mail.message_id,
        references=mail.references,
        original_subject=mail.subject,
        message_id=make_message_id("receipt", key, domain),
        date=now or received_at,
    )
