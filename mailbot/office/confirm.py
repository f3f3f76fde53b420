"""The office confirms a doubtful submission (after a phone call): `mailbot confirm`.

One function, `confirm`, that the CLI (and later the web console) calls: the target is a
roster unit's code (its current submission) or a submission number (as the summary prints
it). Only a submission awaiting confirmation changes; anything else is answered with what it
is. The store and `now` are passed in; messages are Vietnamese, for the office.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from mailbot.errors import StoreError
from mailbot.records import CERTAIN, CONFIRMED, Submission, Unit
from mailbot.rollup import vn_datetime
from mailbot.store import Store


@dataclass(frozen=True)
class ConfirmOutcome:
    """What `confirm` did: `ok` False when there was nothing to confirm by that name."""

    ok: bool
    changed: bool
    message: str
    submission: Submission | None = None


def confirm(
    store: Store, units: Sequence[Unit], target: str, now: datetime, by: str = "office"
) -> ConfirmOutcome:
    """Confirm the numbers of a unit's current submission (unit code) or of submission N."""
    target = target.strip()
    unit = next((u for u in units if u.code.casefold() == target.casefold()), None)
    if unit is not None:
        sub = store.current_submission(unit.code)
        if sub is None:
            return ConfirmOutcome(False, False, f"{unit.name} chưa có báo cáo nào.")
    else:
        number = target.removeprefix("#")
        if not number.isdigit():
            return ConfirmOutcome(
                False, False, f"Không có đơn vị mã “{target}” và đây không phải số bài nộp."
            )
        try:
            sub = store.submission(int(number))
        except StoreError:
            return ConfirmOutcome(False, False, f"Không có bài nộp số {number}.")
    names = {u.code: u.name for u in units}
    who = f"bài nộp số {sub.id} của {names.get(sub.unit_code, sub.unit_code)}"
    if sub.superseded_by is not None:
        return ConfirmOutcome(
            False,
            False,
            f"{who.capitalize()} đã được thay bằng bài nộp số {sub.superseded_by}; "
            "hãy xác nhận bài nộp mới nếu cần.",
            sub,
        )
    if sub.confidence == CERTAIN:
        return ConfirmOutcome(True, False, f"{who.capitalize()} không cần xác nhận.", sub)
    if sub.confidence == CONFIRMED:
        when = vn_datetime(sub.confirmed_at) if sub.confirmed_at else ""
        return ConfirmOutcome(True, False, f"{who.capitalize()} đã được xác nhận {when}.", sub)
    changed = store.confirm_submission(sub.id, now, by)
    message = f"Đã xác nhận số liệu {who}; số liệu được tính vào tổng hợp."
    return ConfirmOutcome(True, changed, message, store.submission(sub.id))
