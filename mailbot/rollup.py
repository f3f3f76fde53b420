"""The district roll-up: pure aggregation of the units' latest submissions and open problems.

Owns `Campaign`, `Rollup` and the table-row view of a form (`table_rows`) that the workbook,
the receipts and the summary email all print. Pure: takes records and `now`, never reads the
store, the clock or the file system.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from mailbot.config import Config
from mailbot.forms import Form, FormLine
from mailbot.records import CONFIDENCE_VI, TO_CONFIRM, Problem, Submission, Unit

Value = int | str | None
Values = dict[str, dict[str, Value]]

# Problem kinds grouped the way the office reads them.
UNREADABLE_KINDS = ("unreadable", "failed")
UNASSIGNED_KINDS = ("unassigned", "unknown_sender", "quarantined", "possible_report")
PROBLEM_KIND_VI = {
    "unreadable": "Tệp không đọc được",
    "failed": "Lỗi khi xử lý thư",
    "unassigned": "Chưa xác định được đơn vị",
    "unknown_sender": "Người gửi không có trong danh sách",
    "quarantined": "Thư bị cách ly (nghi ngờ không an toàn)",
    "possible_report": "Có thể là báo cáo (chưa xử lý; nhận bằng mailbot reprocess ID --as-report)",
}


@dataclass(frozen=True)
class Campaign:
    """One reporting round: its name, deadline (aware), timezone, district and office."""

    name: str
    deadline: datetime
    timezone: str
    district: str
    office_name: str
    # The body the office belongs to, printed above it in the header block.
    authority: str = ""
    # Who signs the printed workbook ([office] settings); empty names are written by hand.
    preparer_name: str = ""
    head_name: str = ""

    @property
    def tz(self) -> ZoneInfo:
        """The campaign's timezone."""
        return ZoneInfo(self.timezone)

    @property
    def authority_name(self) -> str:
        """The body above the office, defaulting to the district People's Committee."""
        return self.authority or f"UBND huyện {self.district}"


@dataclass(frozen=True)
class UnitReport:
    """One roster unit with its latest submission (None when it has not reported)."""

    unit: Unit
    submission: Submission | None

    @property
    def submitted(self) -> bool:
        """True when the unit has a booked submission."""
        return self.submission is not None

    @property
    def late(self) -> bool:
        """True when the latest submission arrived after the deadline."""
        return self.submission is not None and self.submission.late

    @property
    def warnings(self) -> tuple[str, ...]:
        """The warning texts of the latest submission, in order."""
        if self.submission is None:
            return ()
        return tuple(warning_text(w) for w in self.submission.warnings)

    @property
    def to_confirm(self) -> bool:
        """True when the latest submission awaits confirmation: not counted in the totals."""
        return self.submission is not None and self.submission.confidence == TO_CONFIRM


@dataclass(frozen=True)
class ProblemItem:
    """An open problem with the name of the unit it concerns, when known."""

    problem: Problem
    unit_name: str | None

    @property
    def kind_vi(self) -> str:
        """The problem kind in Vietnamese."""
        return PROBLEM_KIND_VI.get(self.problem.kind, self.problem.kind)


@dataclass(frozen=True)
class Rollup:
    """Everything the summary email and the workbook print, computed at `now`."""

    form: Form
    campaign: Campaign
    now: datetime
    since: datetime | None
    totals: Values
    units: tuple[UnitReport, ...]
    missing: tuple[Unit, ...]
    late: tuple[UnitReport, ...]
    warned: tuple[UnitReport, ...]
    new: tuple[UnitReport, ...]
    unreadable: tuple[ProblemItem, ...]
    unassigned: tuple[ProblemItem, ...]
    # Units whose latest numbers await confirmation: listed apart, left out of `totals`.
    doubtful: tuple[UnitReport, ...] = ()

    @property
    def counted_count(self) -> int:
        """How many roster units' numbers are in the totals (reported, not awaiting)."""
        return self.submitted_count - len(self.doubtful)

    @property
    def submitted_count(self) -> int:
        """How many roster units have reported."""
        return sum(1 for r in self.units if r.submitted)

    @property
    def unit_count(self) -> int:
        """How many units the roster has."""
        return len(self.units)

    @property
    def past_deadline(self) -> bool:
        """True when `now` is after the campaign deadline."""
        return self.now > self.campaign.deadline


@dataclass(frozen=True)
class TableRow:
    """One printed row of the form with its values placed in the form's columns.

    `quantity` is the "Số lớp/số cuộc thi" column (counts, and money on đồng rows);
    `people` the "Người" column; `text` the free text of a text row (code 11).
    """

    line: FormLine
    quantity: int | None
    people: int | None
    text: str | None

    @property
    def heading(self) -> bool:
        """True for a heading row with no values."""
        return self.line.heading

    @property
    def money(self) -> bool:
        """True when the quantity column holds an amount in đồng."""
        return "amount" in self.line.slots


def warning_text(warning: dict | str) -> str:
    """A stored warning ({"code", "message"} or plain text) as one readable sentence."""
    if isinstance(warning, str):
        return warning
    return str(warning.get("message", ""))


def latest_per_unit(submissions: Iterable[Submission]) -> dict[str, Submission]:
    """The latest submission of each unit: not superseded first, then received_at, then id."""
    best: dict[str, Submission] = {}
    for sub in submissions:
        seen = best.get(sub.unit_code)
        if seen is None or _rank(sub) > _rank(seen):
            best[sub.unit_code] = sub
    return best


def _rank(sub: Submission) -> tuple[bool, datetime, int]:
    return (sub.superseded_by is None, sub.received_at, sub.id)


def sum_values(form: Form, named_values: Sequence[tuple[str, Values]]) -> Values:
    """Add up (unit name, values) pairs per code and slot; a slot nobody reported stays None.

    Numbers add; a text slot becomes "Unit: text" lines in the given order.
    """
    slots_of = {ind.code: ind.slots for ind in form.indicators}
    numbers: dict[str, dict[str, int]] = {code: {} for code in slots_of}
    texts: dict[tuple[str, str], list[str]] = {}
    # One pass over each unit's own values: 10,000 units × 70 slots is the hot loop, so the
    # common cases (a plain int, a blank) are decided first and cheaply.
    for name, values in named_values:
        for code, got in values.items():
            sums = numbers.get(code)
            if sums is None or not isinstance(got, dict):
                continue
            slots = slots_of[code]
            for slot, value in got.items():
                if value is None or slot not in slots:
                    continue
                if slot == "text":
                    if isinstance(value, str) and value.strip():
                        texts.setdefault((code, slot), []).append(f"{name}: {value.strip()}")
                # bool is an int subclass; a stray True must not count as 1.
                elif type(value) is int or (isinstance(value, int) and not isinstance(value, bool)):
                    sums[slot] = sums.get(slot, 0) + value
    totals = form.empty_values()
    for code, sums in numbers.items():
        totals[code].update(sums)
    for (code, slot), lines in texts.items():
        totals[code][slot] = "\n".join(lines)
    return totals


def build_rollup(
    form: Form,
    campaign: Campaign,
    units: Sequence[Unit],
    submissions: Iterable[Submission],
    problems: Iterable[Problem],
    now: datetime,
    since: datetime | None = None,
) -> Rollup:
    """Roll the roster's latest submissions and the open problems up into a Rollup.

    Submissions of units not on the roster are left out, and so are, from the totals only,
    submissions awaiting confirmation (listed in `doubtful`: a doubt is never summed as fact).
    A problem of a unit whose latest submission arrived after it is treated as resolved. With
    no `since`, every submission counts as new.
    """
    latest = latest_per_unit(submissions)
    reports = tuple(UnitReport(u, latest.get(u.code)) for u in units)
    done = [r for r in reports if r.submission is not None]
    booked = [(r.unit, r.submission) for r in reports if r.submission and not r.to_confirm]
    totals = sum_values(form, [(unit.name, sub.values) for unit, sub in booked])
    names = {u.code: u.name for u in units}
    open_problems = [p for p in problems if not _resolved(p, latest)]
    open_problems.sort(key=lambda p: (p.received_at, p.message_id))

    def items(kinds: tuple[str, ...]) -> tuple[ProblemItem, ...]:
        return tuple(
            ProblemItem(p, names.get(p.unit_code) if p.unit_code else None)
            for p in open_problems
            if p.kind in kinds
        )

    return Rollup(
        form=form,
        campaign=campaign,
        now=now,
        since=since,
        totals=totals,
        units=reports,
        missing=tuple(r.unit for r in reports if not r.submitted),
        late=tuple(r for r in done if r.late),
        warned=tuple(r for r in done if r.warnings),
        new=tuple(r for r in done if _new(r.submission, since)),
        unreadable=items(UNREADABLE_KINDS),
        unassigned=items(UNASSIGNED_KINDS),
        doubtful=tuple(r for r in done if r.to_confirm),
    )


def _new(sub: Submission | None, since: datetime | None) -> bool:
    return sub is not None and (since is None or sub.received_at > since)


def _resolved(problem: Problem, latest: dict[str, Submission]) -> bool:
    if problem.unit_code is None or problem.unit_code not in latest:
        return False
    return latest[problem.unit_code].received_at > problem.received_at


def status_rows(units: Sequence[Unit], submissions: Iterable[Submission]) -> list[dict]:
    """One JSON-ready row per roster unit for `mailbot status`, in roster order."""
    latest = latest_per_unit(submissions)
    rows = []
    for unit in units:
        sub = latest.get(unit.code)
        rows.append(
            {
                "unit_code": unit.code,
                "unit_name": unit.name,
                "submitted": sub is not None,
                "received_at": sub.received_at.isoformat() if sub else None,
                "late": bool(sub and sub.late),
                "warnings": len(sub.warnings) if sub else 0,
                "values": sub.values if sub else None,
                # "chắc chắn", "cần xác nhận" (not in the totals) or "đã xác nhận"; None: no report.
                "confidence": CONFIDENCE_VI[sub.confidence] if sub else None,
                "doubts": list(sub.doubts) if sub else [],
            }
        )
    return rows


def table_rows(form: Form, values: Values | None) -> list[TableRow]:
    """The form's printed rows with `values` placed in their columns (None values: blanks)."""
    values = values or {}
    rows = []
    for line in form.lines:
        got = values.get(line.code, {}) if line.code else {}
        quantity = people = None
        text = None
        for slot in line.slots:
            value = got.get(slot)
            if slot == "text":
                text = value if isinstance(value, str) else None
            elif slot == "people":
                people = _number(value)
            else:
                quantity = _number(value)
        rows.append(TableRow(line, quantity, people, text))
    return rows


def _number(value: Value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def vn_number(value: int | None, blank: str = "") -> str:
    """An integer written the Vietnamese way (dots between thousands): 1234567 → 1.234.567."""
    if value is None:
        return blank
    return f"{value:,}".replace(",", ".")


def vn_datetime(moment: datetime, tz: ZoneInfo | None = None) -> str:
    """A moment as "dd/mm/yyyy HH:MM" in `tz` (or its own zone)."""
    return (moment.astimezone(tz) if tz else moment).strftime("%d/%m/%Y %H:%M")


def vn_place_date(place: str, moment: datetime) -> str:
    """The dateline of an official document: "Quỳnh Nhai, ngày 05 tháng 10 năm 2021".

    Days below 10 and the months 1 and 2 take a leading zero (Decree 30/2020/NĐ-CP).
    """
    month = f"{moment.month:02d}" if moment.month < 3 else str(moment.month)
    return f"{place}, ngày {moment.day:02d} tháng {month} năm {moment.year}"


def campaign(cfg: Config) -> Campaign:
    """The campaign record used by roll-ups, summaries and reminders."""
    district = cfg.campaign.district
    place = district.removeprefix("huyện ").strip()
    return Campaign(
        name=cfg.campaign.name,
        deadline=cfg.campaign.deadline,
        timezone=cfg.campaign.timezone.key,
        district=place,
        office_name=cfg.office.name,
        preparer_name=cfg.office.preparer_name,
        head_name=cfg.office.head_name,
    )
