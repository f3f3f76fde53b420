"""The district report's content: the fields that `templates/bao-cao-huyen.docx` prints.

Owns the report's view model: lead sentences from the summed Appendix 2, each unit's text
per Appendix 1 section (communes first, then schools by level), the budget by source, the
II.4 table rows in the official layout and the units still missing. Pure: a roll-up and the
narratives in, a dict out; rendering the .docx is `report_docx`'s job.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime

from mailbot.forms.narrative import NarrativeForm
from mailbot.parsing.narrative import cross_check
from mailbot.parsing.normalize import fold
from mailbot.records import Unit, UnitNarrative
from mailbot.rollup import Rollup, Values, table_rows, vn_number, vn_place_date

_FIELD = re.compile(r"\{([^{}]+)\}")


NOT_COUNTED = " (số liệu cần xác nhận, chưa tính vào tổng)"


def ordered_units(units: Sequence[Unit], nform: NarrativeForm) -> list[Unit]:
    """The roster in the report's order: by the first `unit_order` group a name falls in."""

    def group(unit: Unit) -> int:
        name = f" {fold(unit.name)} "
        for i, g in enumerate(nform.unit_order):
            if any(f" {fold(w)} " in name for w in g.words if fold(w)):
                return i
        return len(nform.unit_order)

    return sorted(units, key=group)  # stable: roster order within a group


def _figures(totals: Values, extra: Mapping[str, int]) -> dict[str, str]:
    figures = {k: vn_number(v) for k, v in extra.items()}
    for code, slots in totals.items():
        for slot, value in slots.items():
            if slot != "text":
                figures[f"{code}.{slot}"] = vn_number(value if isinstance(value, int) else 0)
    return figures


def lead(template: str, figures: Mapping[str, str]) -> str:
    """A lead sentence with its {code.slot} fields filled; unknown fields stay as written."""
    return _FIELD.sub(lambda m: figures.get(m.group(1), m.group(0)), template)


def report_context(
    rollup: Rollup,
    narratives: Mapping[str, UnitNarrative],
    nform: NarrativeForm,
    now: datetime,
) -> dict:
    """Every field of the report template (listed in the README), for `rollup` at `now`."""
    campaign = rollup.campaign
    units = ordered_units([r.unit for r in rollup.units], nform)
    by_code = {r.unit.code: r for r in rollup.units}
    roster = {u.code for u in units}
    narrated = [u for u in units if u.code in narratives]
    totals = rollup.totals
    state = _amount(totals, "10.1")
    other = _amount(totals, "10.2")
    figures = _figures(
        totals,
        {
            "reported": rollup.submitted_count,
            "narrated": len(narrated),
            "units": rollup.unit_count,
            "budget": state + other,
        },
    )
    sections = {}
    for heading in nform.sections:
        written = []
        for unit in units:
            story = narratives.get(unit.code)
            text = _section_text(story, heading.code)
            if text:
                written.append({"ten": unit.name, "doan": text.split("\n")})
        sections[heading.code] = {
            "ten": heading.label,
            "dan": lead(nform.leads.get(heading.code, ""), figures),
            "don_vi": written,
        }
    budget_rows, warnings = [], []
    for unit in units:
        report = by_code[unit.code]
        values = report.submission.values if report.submission else None
        if values is not None:
            s, o = _amount(values, "10.1"), _amount(values, "10.2")
            budget_rows.append(
                {
                    # Its figures await the unit's confirmation: shown, but not in the totals.
                    "ten": unit.name + (NOT_COUNTED if report.to_confirm else ""),
                    "nsnn": vn_number(s),
                    "khac": vn_number(o),
                    "cong": vn_number(s + o),
                }
            )
        story = narratives.get(unit.code)
        for text in cross_check(story.narrative if story else None, values):
            warnings.append(f"{unit.name}: {text}")
    return {
        "co_quan_chu_quan": campaign.authority_name.upper(),
        "co_quan": _without_place(campaign.office_name, campaign.district).upper(),
        "ten_co_quan": campaign.office_name,
        "dia_danh_ngay": vn_place_date(campaign.district, now.astimezone(campaign.tz)),
        "ten_chien_dich": campaign.name,
        "so_don_vi": rollup.unit_count,
        "so_don_vi_bao_cao": rollup.submitted_count,
        "so_don_vi_thuyet_minh": len(narrated),
        "muc": sections,
        "kinh_phi": {
            "nsnn": vn_number(state),
            "khac": vn_number(other),
            "cong": vn_number(state + other),
            "don_vi": budget_rows,
            "canh_bao": warnings,
        },
        "bang": official_rows(rollup),
        "chua_bao_cao": [
            u.name for u in units if not by_code[u.code].submitted and u.code not in narratives
        ],
        "chua_phu_luc_1": [
            u.name for u in units if by_code[u.code].submitted and u.code not in narratives
        ],
        "chua_phu_luc_2": [
            u.name for u in units if not by_code[u.code].submitted and u.code in narratives
        ],
        "ngoai_danh_sach": sorted(set(narratives) - roster),
    }


def official_rows(rollup: Rollup) -> list[dict]:
    """The II.4 table: every printed line of Appendix 2 with the district totals."""
    rows = []
    for row in table_rows(rollup.form, rollup.totals):
        line = row.line
        rows.append(
            {
                "stt": line.stt or "",
                "noi_dung": line.label,
                "don_vi_tinh": line.unit,
                "so_luong": vn_number(row.quantity),
                "nguoi": vn_number(row.people),
                "ghi_chu": row.text or "",
                "dam": line.heading or bool(line.stt),
            }
        )
    return rows


def _without_place(name: str, district: str) -> str:
    """ "Phòng Giáo dục và Đào tạo huyện Quỳnh Nhai" → "Phòng Giáo dục và Đào tạo": the
    letterhead names the district once, in the line above."""
    words = name.split()
    for n in range(1, len(words)):  # the longest matching tail first
        if fold(" ".join(words[n:])) in (fold(f"huyện {district}"), fold(district)):
            return " ".join(words[:n])
    return name


def _amount(values: Values, code: str) -> int:
    value = (values.get(code) or {}).get("amount")
    return value if isinstance(value, int) else 0


def _section_text(story: UnitNarrative | None, code: str) -> str:
    if story is None:
        return ""
    for section in story.narrative.get("sections", []):
        if section.get("code") == code:
            return str(section.get("text", "")).strip()
    return ""
