"""What the office's summary says about mail mailbot gave up on: pure, from outbox rows.

Each given-up mail becomes one entry naming what it was, to whom, when and why it was given up,
and the command that puts it back (`mailbot resend ID`), so none is given up silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from mailbot.rollup import vn_datetime

if TYPE_CHECKING:  # the view reads rows it is given; it never opens the store
    from mailbot.store.rows import OutboxRow

KIND_NAMES = {"receipt": "Biên nhận", "reminder": "Thư nhắc", "summary": "Thư tổng hợp",
              "alert": "Cảnh báo"}  # fmt: skip


def resend_command(outbox_id: int) -> str:
    """The command the IT person runs to send a given-up mail again."""
    return f"mailbot resend -c <tệp cấu hình> {outbox_id}"


def given_up_view(rows: Sequence[OutboxRow], tz: ZoneInfo | None = None) -> list[dict[str, str]]:
    """One entry per given-up mail: id, what, to, when, reason, command (all text)."""
    return [
        {
            "id": str(row.id),
            "what": KIND_NAMES.get(row.kind, row.kind),
            "to": ", ".join(row.to_addrs),
            "when": vn_datetime(row.failed_at, tz) if row.failed_at else "",
            "reason": row.last_error or "không rõ",
            "command": resend_command(row.id),
        }
        for row in rows
    ]
