"""Domain records shared across modules: units of the roster, submissions, problems.

Pure data; no I/O. The store returns these; roll-up, receipts and status consume them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# How sure the office can be of a submission's numbers (stored in submissions.confidence).
CERTAIN, TO_CONFIRM, CONFIRMED = "certain", "to_confirm", "confirmed"
CONFIDENCE_VI = {CERTAIN: "chắc chắn", TO_CONFIRM: "cần xác nhận", CONFIRMED: "đã xác nhận"}


@dataclass(frozen=True)
class Unit:
    """A reporting unit of the roster: a commune People's Committee or a school."""

    code: str
    name: str
    emails: tuple[str, ...] = ()


@dataclass(frozen=True)
class Submission:
    """One booked report of a unit: the values read from its Appendix 2 table.

    `received_at` is timezone-aware in the campaign timezone. `values` has the parse shape
    (code → slot → value); `warnings` is a list of {"code", "message"} dicts. A newer
    submission of the same unit supersedes this one (`superseded_by` is its id).
    """

    id: int
    unit_code: str
    message_id: int
    received_at: datetime
    late: bool
    values: dict[str, dict[str, int | str | None]]
    warnings: list[dict] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    sender: str = ""
    superseded_by: int | None = None
    # Doubt (issue 11): the parser's reasons the reading may be wrong; such a submission is
    # booked "cần xác nhận" and counts as fact only once the unit (or the office) confirms it.
    doubts: list[str] = field(default_factory=list)
    confirmed_at: datetime | None = None
    confirmed_by: str | None = None

    @property
    def confidence(self) -> str:
        """'certain' (clean reading), 'to_confirm' (doubtful, unconfirmed) or 'confirmed'."""
        if not self.doubts:
            return CERTAIN
        return TO_CONFIRM if self.confirmed_at is None else CONFIRMED

    @property
    def counts_as_fact(self) -> bool:
        """True when its numbers go into the district totals (not awaiting confirmation)."""
        return self.confidence != TO_CONFIRM


@dataclass(frozen=True)
class Problem:
    """A message the office must look at: unreadable, unassigned, quarantined or failed.

    `kind` is one of "unreadable", "unassigned", "quarantined", "failed", "unknown_sender".
    `detail` is Vietnamese, for the office.
    """

    message_id: int
    kind: str
    sender: str
    subject: str
    received_at: datetime
    detail: str
    unit_code: str | None = None
    files: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class UnitNarrative:
    """One booked Appendix 1 narrative of a unit: its sections as `Narrative.to_dict()`.

    `source` is the file it was read from, or "(nội dung thư)" for a mail body. A newer
    narrative of the same unit supersedes this one (`superseded_by` is its id).
    """

    id: int
    unit_code: str
    message_id: int
    received_at: datetime
    source: str
    narrative: dict
    superseded_by: int | None = None

    def section_codes(self) -> list[str]:
        """Codes of the sections found ("I.1", …), in the plan's order."""
        return [s["code"] for s in self.narrative.get("sections", [])]
