"""The short acknowledgement of a unit's reply confirming its doubtful numbers.

One plain-text message, threaded under the reply and marked auto-replied (RFC 3834), so the
clerk knows the confirmation arrived and need not phone or send again. Pure: a record in, an
`EmailMessage` out; never sends, reads the clock or touches the store.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

from mailbot.messages.compose import Sender, reply_subject
from mailbot.rollup import vn_datetime


@dataclass(frozen=True)
class AckContent:
    """What the acknowledgement says: whose report, which campaign, received when."""

    unit_name: str | None
    campaign_name: str
    office_name: str
    submission_received_at: datetime


def ack_text(content: AckContent) -> str:
    """The acknowledgement's body, in Vietnamese."""
    who = content.unit_name or "Quý đơn vị"
    received = vn_datetime(content.submission_received_at)
    return (
        f"Kính gửi: {who},\n\n"
        f"{content.office_name} đã nhận được xác nhận của đơn vị: số liệu báo cáo "
        f"{content.campaign_name} (nhận lúc {received}) đã được ghi nhận chính thức và tính "
        "vào số liệu tổng hợp.\n\n"
        "Đơn vị không cần trả lời thư này. Nếu cần sửa số liệu, xin gửi lại tệp đã sửa.\n\n"
        f"Trân trọng.\n{content.office_name}\n\n"
        "--\nĐây là thư trả lời tự động của hệ thống nhận báo cáo.\n"
    )


def compose_confirmation_ack(
    content: AckContent,
    *,
    to_addr: str,
    from_addr: str,
    from_name: str,
    in_reply_to: str | None,
    references: Sequence[str],
    original_subject: str,
    message_id: str,
    date: datetime | None = None,
) -> EmailMessage:
    """The acknowledgement of a confirming reply, threaded under it."""
    msg = EmailMessage()
    fallback = f"Xác nhận số liệu báo cáo {content.campaign_name}"
    msg["Subject"] = reply_subject(original_subject, fallback)
    msg["From"] = Sender(from_addr, from_name).header()
    msg["To"] = to_addr
    msg["Message-ID"] = message_id
    if date is not None:
        msg["Date"] = format_datetime(date)
    msg["Auto-Submitted"] = "auto-replied"
    msg["X-Auto-Response-Suppress"] = "All"
    refs = list(references)
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        if in_reply_to not in refs:
            refs.append(in_reply_to)
    if refs:
        msg["References"] = " ".join(refs)
    msg.set_content(unicodedata.normalize("NFC", ack_text(content)), charset="utf-8")
    return msg
