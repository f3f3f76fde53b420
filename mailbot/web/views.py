"""What the console's pages show, computed from records: pure, no store, no request.

Owns the page models (`Overview`, `UnitPage`, `SubmissionView`) and the reading of a value
typed by the office (`read_value`). Takes the roll-up, submissions, corrections and `now`;
never reads the clock, the store or the archive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from mailbot.forms import Form
from mailbot.records import CONFIDENCE_VI, Submission, Unit
from mailbot.rollup import Rollup, TableRow, table_rows
from mailbot.store.console import StoredFile
from mailbot.store.corrections import Correction
from mailbot.store.rows import MessageRow, OutboxRow

SLOT_VI = {
    "count": "Số lượng",
    "people": "Số người",
    "amount": "Số tiền (đồng)",
    "text": "Nội dung",
}
_DIGITS = re.compile(r"^\d{1,3}([.\s]\d{3})+$|^\d+$")


@dataclass(frozen=True)
class UnitLine:
    """One roster unit on the overview."""

    code: str
    name: str
    submitted: bool
    received_at: datetime | None
    late: bool
    warnings: int
    corrected: bool
    confidence: str | None = None  # "chắc chắn", "cần xác nhận", "đã xác nhận"; None: none


@dataclass(frozen=True)
class Overview:
    """The overview page: progress, the last poll, the outbox, problems, totals, units."""

    unit_count: int
    reported: int
    missing: int
    late: int
    to_confirm: int
    problems: int
    last_poll: datetime | None
    outbox_waiting: dict[str, int]
    totals: list[TableRow]
    units: list[UnitLine]
    now: datetime
    given_up: int = 0  # mails given up after failed sends: not waiting, they need a resend
    unrelated: int = 0  # mail judged not the campaign's: counted, never in the problems

    @property
    def percent(self) -> int:
        """Share of units that reported, in whole percent."""
        return round(100 * self.reported / self.unit_count) if self.unit_count else 0


def overview(
    rollup: Rollup,
    last_poll: datetime | None,
    outbox_waiting: dict[str, int],
    corrected_units: set[str],
) -> Overview:
    """The overview of a roll-up (its submissions already carry the office's corrections)."""
    lines = [
        UnitLine(
            code=r.unit.code,
            name=r.unit.name,
            submitted=r.submitted,
            received_at=r.submission.received_at if r.submission else None,
            late=r.late,
            warnings=len(r.submission.warnings) if r.submission else 0,
            corrected=r.unit.code in corrected_units and r.submitted,
            confidence=CONFIDENCE_VI[r.submission.confidence] if r.submission else None,
        )
        for r in rollup.units
    ]
    return Overview(
        unit_count=rollup.unit_count,
        reported=rollup.submitted_count,
        missing=len(rollup.missing),
        late=len(rollup.late),
        to_confirm=len(rollup.doubtful),
        problems=len(rollup.unreadable) + len(rollup.unassigned),
        last_poll=last_poll,
        outbox_waiting=dict(outbox_waiting),
        totals=table_rows(rollup.form, rollup.totals),
        units=lines,
        now=rollup.now,
    )


@dataclass(frozen=True)
class SubmissionView:
    """One submission on a unit's page, with its mail, files, receipt and corrections."""

    submission: Submission
    message: MessageRow
    files: list[StoredFile]
    receipt: OutboxRow | None
    receipt_text: str
    original: list[TableRow]
    corrected: list[TableRow] | None
    corrections: list[Correction]
    current: bool

    @property
    def dropped(self) -> bool:
        """True when this older submission's corrections no longer count."""
        return bool(self.corrections) and not self.current


@dataclass(frozen=True)
class UnitPage:
    """A unit's page: every submission in time order (oldest first)."""

    unit: Unit
    submissions: list[SubmissionView]
    fields: list[tuple[str, str]]  # ("code:slot", label) the office may correct

    @property
    def current(self) -> SubmissionView | None:
        """The unit's current submission, if it reported."""
        return next((s for s in self.submissions if s.current), None)

    @property
    def dropped_corrections(self) -> int:
        """How many corrections a newer report made void."""
        return sum(len(s.corrections) for s in self.submissions if s.dropped)


def correctable_fields(form: Form) -> list[tuple[str, str]]:
    """Every (code:slot, label) of the form, in form order."""
    return [
        (f"{ind.code}:{slot}", f"{ind.code} · {ind.label} · {SLOT_VI.get(slot, slot)}")
        for ind in form.indicators
        for slot in ind.slots
    ]


def read_value(text: str, slot: str) -> int | str | None:
    """A value typed by the office: whole numbers (dots or spaces between thousands), or text.

    Raises ValueError with a Vietnamese reason when a number slot gets something else.
    """
    text = " ".join(text.split())
    if not text:
        return None
    if slot == "text":
        return text
    if not _DIGITS.match(text):
        raise ValueError(f"“{text}” không phải số nguyên (ví dụ 1200 hoặc 1.200).")
    return int(re.sub(r"[.\s]", "", text))
