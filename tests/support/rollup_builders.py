"""A roster of any size with a known mix of reports, for the big-roster tests (built from code)."""

from __future__ import annotations

from datetime import timedelta

from mailbot.records import Problem, Submission, Unit
from mailbot.rollup import Rollup, build_rollup
from tests.support.outputs import CAMPAIGN, FORM, NOW

SINCE = NOW - timedelta(days=1)


def roster_rollup(units: int) -> Rollup:
    """`units` units: every third one missing (some with an unreadable mail), every fourth one
    late, every fifth warned, half new since SINCE; each reported unit writes an activity."""
    roster = [Unit(f"u{i:05d}", f"Trường số {i}", (f"u{i}@example.org",)) for i in range(units)]
    subs, problems = [], []
    for i, unit in enumerate(roster):
        if i % 3 == 2:
            if i % 6 == 5:
                problems.append(
                    Problem(i, "unreadable", unit.emails[0], "Báo cáo", NOW, "Hỏng", unit.code, [])
                )
            continue
        values = FORM.empty_values()
        values["1"]["count"] = i
        values["11"]["text"] = f"Hoạt động {i}"
        received = NOW - timedelta(hours=2 if i % 2 else 30)
        warnings = [{"code": "1", "message": "Lệch tổng"}] if i % 5 == 0 else []
        subs.append(
            Submission(i + 1, unit.code, i + 1, received, i % 4 == 0, values, warnings, ["a.xlsx"])
        )
    return build_rollup(FORM, CAMPAIGN, roster, subs, problems, NOW, SINCE)
