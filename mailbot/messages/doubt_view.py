"""The summary's list of submissions awaiting confirmation, with their numbers marked.

A doubtful submission's numbers are left out of the district totals (`rollup.build_rollup`);
the office still sees them here, each value marked "(?)", beside the reasons for the doubt.
Pure: a Rollup in, template values out.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from mailbot.forms import Form
from mailbot.messages.summary_view import Listing, list_limit
from mailbot.rollup import Rollup, Values, table_rows, vn_datetime, vn_number

MARK = " (?)"  # after each number not yet confirmed


def marked_rows(form: Form, values: Values) -> list[dict]:
    """The filled rows of `values` as {code, label, unit, text}, every value marked "(?)"."""
    rows = []
    for row in table_rows(form, values):
        line = row.line
        if line.heading or not line.code:
            continue
        parts = []
        for slot in line.slots:
            if slot == "text":
                shown = row.text.strip() if row.text else ""
            elif slot == "people":
                shown = vn_number(row.people) + MARK if row.people is not None else ""
            else:
                shown = vn_number(row.quantity) + MARK if row.quantity is not None else ""
            if shown:
                name = form.slot_names.get(slot, slot)
                parts.append(shown if len(line.slots) == 1 else f"{name}: {shown}")
        if parts:
            rows.append(
                {
                    "code": line.code,
                    "label": line.label,
                    "unit": line.unit,
                    "text": "; ".join(parts),
                }
            )
    return rows


def doubtful_listing(rollup: Rollup) -> Listing:
    """One entry per doubtful unit (cut like the summary's other lists): name, when
    received, submission number, doubts and marked rows."""
    tz: ZoneInfo = rollup.campaign.tz
    limit = list_limit(rollup)
    shown = rollup.doubtful if limit is None else rollup.doubtful[:limit]
    items = []
    for report in shown:
        sub = report.submission
        if sub is None:
            continue
        items.append(
            {
                "name": report.unit.name,
                "code": report.unit.code,
                "number": sub.id,
                "when": vn_datetime(sub.received_at, tz),
                "doubts": list(sub.doubts),
                "rows": marked_rows(rollup.form, sub.values),
            }
        )
    return Listing(tuple(items), len(rollup.doubtful))
