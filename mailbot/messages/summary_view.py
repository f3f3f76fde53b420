"""The lists of the summary email (new, missing, late, warned units; problems), cut for big rosters.

A district roster (tens of units) is listed in full, as before. Above `FULL_LISTS_UP_TO` roster
units the email keeps every count but names at most `LIST_CAP` entries per list, and
`templates/summary.*.j2` add "và N đơn vị khác — xem bảng tính đính kèm": the attached
workbook lists every unit. A 10,000-unit email stays readable and small. Pure: a Rollup in,
template values out; renders nothing and builds no message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from mailbot.rollup import ProblemItem, Rollup, UnitReport, vn_datetime, vn_number

FULL_LISTS_UP_TO = 200  # roster units; a district has ~40, a province ~1,000
LIST_CAP = 50  # entries named per list above that


@dataclass(frozen=True)
class Listing:
    """The first entries of a list and how many it has in all."""

    items: tuple
    total: int

    @property
    def more(self) -> int:
        """How many entries are left out."""
        return self.total - len(self.items)

    def __bool__(self) -> bool:
        return self.total > 0


def list_limit(rollup: Rollup) -> int | None:
    """How many entries each list names: all (None) for a district-sized roster."""
    return None if rollup.unit_count <= FULL_LISTS_UP_TO else LIST_CAP


def summary_lists(rollup: Rollup) -> dict[str, Listing]:
    """The summary's lists by template name: new, missing, late, warned, problems."""
    limit = list_limit(rollup)
    tz = rollup.campaign.tz
    problems = (*rollup.unreadable, *rollup.unassigned)
    return {
        "new": Listing(_received_lines(_head(rollup.new, limit), tz), len(rollup.new)),
        "missing": Listing(
            tuple(u.name for u in _head(rollup.missing, limit)), len(rollup.missing)
        ),
        "late": Listing(_received_lines(_head(rollup.late, limit), tz), len(rollup.late)),
        "warned": Listing(
            tuple((r.unit.name, list(r.warnings)) for r in _head(rollup.warned, limit)),
            len(rollup.warned),
        ),
        "problems": Listing(
            _problem_lines(_head(problems, limit), rollup.campaign.tz), len(problems)
        ),
    }


def cut_text_lines(lines: list[str], limit: int | None) -> list[str]:
    """A text slot's "Unit: text" lines, cut to `limit` with a line saying how many are left."""
    if limit is None or len(lines) <= limit:
        return lines
    more = vn_number(len(lines) - limit)
    return [*lines[:limit], f"… và {more} đơn vị khác — xem bảng tính đính kèm, trang Theo đơn vị"]


def _head(entries: Sequence, limit: int | None) -> Sequence:
    # Only the shown entries are formatted: 10,000 lines nobody reads cost time.
    return entries if limit is None else entries[:limit]


def _received_lines(reports: Sequence[UnitReport], tz: ZoneInfo) -> tuple[str, ...]:
    return tuple(
        f"{r.unit.name} (nhận lúc {vn_datetime(r.submission.received_at, tz)})"
        for r in reports
        if r.submission is not None
    )


def _problem_lines(items: Sequence[ProblemItem], tz: ZoneInfo) -> tuple[dict, ...]:
    lines = []
    for item in items:
        p = item.problem
        who = f"{item.unit_name} ({p.sender})" if item.unit_name else p.sender
        lines.append(
            {
                "kind": item.kind_vi,
                # The office re-runs a message by this number: `mailbot reprocess -c CFG N`.
                "number": p.message_id,
                "who": who,
                "subject": p.subject,
                "when": vn_datetime(p.received_at, tz),
                "detail": p.detail,
                "files": ", ".join(p.files),
            }
        )
    return tuple(lines)
