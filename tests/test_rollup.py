"""Roll-up aggregation: totals, gaps, lateness, warnings, problems, news, status rows."""

from __future__ import annotations

import dataclasses
import random
from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from mailbot.records import Submission, Unit
from mailbot.rollup import build_rollup, status_rows, table_rows, vn_number, vn_place_date
from tests.support.outputs import (
    CAMPAIGN,
    FORM,
    NOW,
    PROBLEMS,
    SINCE,
    SUBMISSIONS,
    TZ,
    UNITS,
    sample_rollup,
    values,
)


def test_numbers_add_up_over_units():
    """Each slot's total is the sum of the units' numbers."""
    totals = sample_rollup().totals
    assert totals["1"] == {"count": 15, "people": 1385}
    assert totals["1.1"] == {"count": 13, "people": 1385}
    assert totals["10.1"] == {"amount": 16_500_000}
    assert totals["10.2"] == {"amount": 2_000_000}


def test_slot_nobody_reported_stays_none():
    """A slot left blank by every unit stays None in the totals."""
    assert sample_rollup().totals["1.2"] == {"count": None, "people": None}


def test_reported_zero_makes_a_number():
    """A single reported 0 turns the total into 0, not None."""
    assert sample_rollup().totals["2"] == {"count": 0}


def test_text_slot_lists_units_in_roster_order():
    """The text slot becomes 'Unit: text' lines in roster order."""
    assert sample_rollup().totals["11"]["text"] == (
        "UBND xã Mường Giàng: Thi vẽ tranh về sách\nUBND xã Chiềng Bằng: Tọa đàm khuyến học"
    )


def test_missing_units_in_roster_order():
    """Units without a submission are listed, in roster order."""
    assert sample_rollup().missing == (UNITS[2],)


def test_progress_counts():
    """Submitted and roster counts reflect the latest submissions."""
    rollup = sample_rollup()
    assert (rollup.submitted_count, rollup.unit_count) == (2, 3)


def test_late_units_listed():
    """Units whose latest submission came after the deadline are the late ones."""
    assert [r.unit.name for r in sample_rollup().late] == ["UBND xã Chiềng Bằng"]


def test_warned_units_carry_warning_texts():
    """Units with warnings are listed with the warning messages."""
    warned = sample_rollup().warned
    assert [(r.unit.name, r.warnings) for r in warned] == [
        ("UBND xã Mường Giàng", ("Tổng số lớp (12) khác tổng các dòng chi tiết (10)",))
    ]


def test_problems_grouped_with_unit_names():
    """Unreadable files and unassigned messages are split, with the unit's name when known."""
    rollup = sample_rollup()
    assert [(i.problem.message_id, i.unit_name) for i in rollup.unreadable] == [
        (13, "Trường PTDTBT THCS Nậm Ét")
    ]
    assert [(i.problem.message_id, i.unit_name) for i in rollup.unassigned] == [(14, None)]


def test_problem_resolved_by_later_submission_is_dropped():
    """An unreadable file is no longer listed once the unit's later submission is booked."""
    fixed = Submission(
        9, "thcs-nam-et", 19, PROBLEMS[0].received_at + timedelta(hours=1), False, {}
    )
    rollup = build_rollup(FORM, CAMPAIGN, UNITS, [*SUBMISSIONS, fixed], PROBLEMS, NOW)
    assert rollup.unreadable == ()


def test_new_since_previous_summary():
    """Only submissions received after `since` are new."""
    assert [r.unit.code for r in sample_rollup().new] == ["xa-chieng-bang"]


def test_everything_new_without_previous_summary():
    """With no previous summary every submission is new."""
    rollup = build_rollup(FORM, CAMPAIGN, UNITS, SUBMISSIONS, (), NOW, since=None)
    assert [r.unit.code for r in rollup.new] == ["xa-muong-giang", "xa-chieng-bang"]


def test_duplicate_submissions_use_latest():
    """Given two submissions of one unit, only the latest (received_at, then id) counts."""
    older = dataclasses.replace(
        SUBMISSIONS[0], id=0, received_at=SUBMISSIONS[0].received_at - timedelta(days=1)
    )
    older = dataclasses.replace(older, values=values(**{"1__count": 100}))
    same_time = dataclasses.replace(SUBMISSIONS[0], id=7, values=values(**{"1__count": 50}))
    subs = [same_time, *SUBMISSIONS, older]
    rollup = build_rollup(FORM, CAMPAIGN, UNITS, subs, (), NOW)
    assert rollup.totals["1"]["count"] == 53


def test_superseded_submission_not_counted():
    """A submission marked superseded loses to its unit's current one even if newer-looking."""
    stale = dataclasses.replace(
        SUBMISSIONS[0],
        id=99,
        received_at=NOW,
        superseded_by=1,
        values=values(**{"1__count": 1000}),
    )
    rollup = build_rollup(FORM, CAMPAIGN, UNITS, [stale, *SUBMISSIONS], (), NOW)
    assert rollup.totals["1"]["count"] == 15


def test_units_off_roster_not_counted():
    """A submission of a unit not on the roster is left out of totals and counts."""
    stray = dataclasses.replace(SUBMISSIONS[0], id=50, unit_code="khong-co")
    rollup = build_rollup(FORM, CAMPAIGN, UNITS[1:], [stray, SUBMISSIONS[1]], (), NOW)
    assert (rollup.totals["1"]["count"], rollup.submitted_count) == (3, 1)


def test_status_rows_one_per_roster_unit():
    """status_rows gives one JSON-ready row per roster unit, in roster order."""
    rows = status_rows(UNITS, SUBMISSIONS)
    assert rows[1] == {
        "unit_code": "xa-chieng-bang",
        "unit_name": "UBND xã Chiềng Bằng",
        "submitted": True,
        "received_at": "2021-10-15T20:05:00+07:00",
        "late": True,
        "warnings": 0,
        "values": SUBMISSIONS[1].values,
        "confidence": "chắc chắn",
        "doubts": [],
    }
    assert rows[2] == {
        "unit_code": "thcs-nam-et",
        "unit_name": "Trường PTDTBT THCS Nậm Ét",
        "submitted": False,
        "received_at": None,
        "late": False,
        "warnings": 0,
        "values": None,
        "confidence": None,
        "doubts": [],
    }


def test_table_rows_place_code_one_on_two_lines():
    """Code 1's count sits on its first printed line and its people on the second."""
    rows = table_rows(FORM, sample_rollup().totals)
    first, second = rows[0], rows[1]
    assert (first.line.code, first.quantity, first.people) == ("1", 15, None)
    assert (second.line.code, second.quantity, second.people) == ("1", None, 1385)


def test_table_rows_put_money_in_quantity_column():
    """An amount row carries its đồng value in the quantity column."""
    row = next(r for r in table_rows(FORM, sample_rollup().totals) if r.line.code == "10.1")
    assert (row.quantity, row.money) == (16_500_000, True)


def test_vn_number_groups_with_dots():
    """Thousands are separated by dots; None becomes the blank text."""
    assert [vn_number(0), vn_number(999), vn_number(1_215_000_000), vn_number(None, "—")] == [
        "0",
        "999",
        "1.215.000.000",
        "—",
    ]


def test_place_date_pads_day_and_early_months():
    """Day < 10 and months 1–2 take a leading zero; later months do not."""
    assert vn_place_date("Quỳnh Nhai", datetime(2021, 2, 5, tzinfo=TZ)) == (
        "Quỳnh Nhai, ngày 05 tháng 02 năm 2021"
    )
    assert vn_place_date("Quỳnh Nhai", datetime(2026, 11, 26, tzinfo=TZ)) == (
        "Quỳnh Nhai, ngày 26 tháng 11 năm 2026"
    )


slot_value = st.one_of(st.none(), st.integers(min_value=0, max_value=10**9))


@settings(max_examples=60, deadline=None)
@given(numbers=st.lists(slot_value, min_size=1, max_size=12), seed=st.integers(0, 2**16))
def test_total_is_sum_whatever_the_order(numbers, seed):
    """A slot's total equals the sum of the units' numbers for any order of submissions."""
    units = [Unit(f"u{i}", f"Đơn vị {i}") for i in range(len(numbers))]
    subs = [
        Submission(
            i, f"u{i}", i, SINCE, False, values(**{"1_5__people": n} if n is not None else {})
        )
        for i, n in enumerate(numbers)
    ]
    random.Random(seed).shuffle(subs)
    total = build_rollup(FORM, CAMPAIGN, units, subs, (), NOW).totals["1.5"]["people"]
    reported = [n for n in numbers if n is not None]
    assert total == (sum(reported) if reported else None)


@settings(max_examples=40, deadline=None)
@given(
    history=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 500)), min_size=1, max_size=15),
    seed=st.integers(0, 2**16),
)
def test_only_each_units_latest_counts(history, seed):
    """With several submissions per unit in any order, only each unit's latest is counted."""
    units = [Unit(f"u{i}", f"Đơn vị {i}") for i in range(4)]
    subs = [
        Submission(n, f"u{u}", n, SINCE + timedelta(minutes=n), False, values(**{"2__count": v}))
        for n, (u, v) in enumerate(history)
    ]
    latest = {}
    for sub in subs:
        latest[sub.unit_code] = sub.values["2"]["count"]
    random.Random(seed).shuffle(subs)
    total = build_rollup(FORM, CAMPAIGN, units, subs, (), NOW).totals["2"]["count"]
    assert total == sum(latest.values())
