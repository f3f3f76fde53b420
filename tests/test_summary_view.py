"""The summary email of a big roster: exact counts, lists cut at a cap; districts unchanged."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mailbot.messages.compose import compose_summary
from mailbot.messages.summary_view import (
    FULL_LISTS_UP_TO,
    LIST_CAP,
    cut_text_lines,
    list_limit,
    summary_lists,
)
from mailbot.rollup import Rollup
from tests.support.rollup_builders import roster_rollup


def text_body(rollup: Rollup) -> str:
    """The plain-text body of the rollup's summary email."""
    msg = compose_summary(
        rollup,
        b"xlsx",
        to_addrs=["vanphong@example.org"],
        from_addr="mailbot@example.org",
        from_name="Mailbot",
        message_id="<s@example.org>",
    )
    return msg.get_body(preferencelist=("plain",)).get_content()


def test_district_roster_lists_everything():
    """Up to the threshold every unit is named and nothing is cut."""
    rollup = roster_rollup(FULL_LISTS_UP_TO)
    lists = summary_lists(rollup)
    shown = {name: (len(v.items), v.total) for name, v in lists.items()}
    assert shown == {
        "new": (len(rollup.new), len(rollup.new)),
        "missing": (len(rollup.missing), len(rollup.missing)),
        "late": (len(rollup.late), len(rollup.late)),
        "warned": (len(rollup.warned), len(rollup.warned)),
        "problems": (len(rollup.unreadable), len(rollup.unreadable)),
    }


def test_district_summary_has_no_see_the_workbook_line():
    """A district-sized summary never says "… và N đơn vị khác"."""
    assert "khác — xem bảng tính đính kèm" not in text_body(roster_rollup(40))


def test_big_roster_names_at_most_the_cap_per_list():
    """Above the threshold each list names the first LIST_CAP entries and keeps its total."""
    rollup = roster_rollup(FULL_LISTS_UP_TO + 400)
    lists = summary_lists(rollup)
    shown = {name: (len(v.items), v.total) for name, v in lists.items()}
    assert shown == {
        "new": (LIST_CAP, len(rollup.new)),
        "missing": (LIST_CAP, len(rollup.missing)),
        "late": (LIST_CAP, len(rollup.late)),
        "warned": (LIST_CAP, len(rollup.warned)),
        "problems": (LIST_CAP, len(rollup.unreadable)),
    }


def test_big_roster_summary_points_to_the_workbook_with_the_rest():
    """The text body lists the first missing units, then how many more the workbook has."""
    rollup = roster_rollup(1000)
    text = text_body(rollup)
    missing = [u.name for u in rollup.missing]
    expected = (
        f"Đơn vị chưa nộp ({len(missing)}):\n"
        + "".join(f"  - {name}\n" for name in missing[:LIST_CAP])
        + f"  … và {len(missing) - LIST_CAP} đơn vị khác — xem bảng tính đính kèm.\n"
    )
    assert expected in text and missing[LIST_CAP] + "\n" not in text


def test_big_roster_summary_counts_use_dot_grouping():
    """Counts above a thousand are written the Vietnamese way."""
    rollup = roster_rollup(3000)
    assert f"Đơn vị chưa nộp ({len(rollup.missing) // 1000}.000)" in text_body(rollup)


def test_big_roster_summary_cuts_the_activity_lines():
    """The totals' text row names LIST_CAP units' activities, then points to Theo đơn vị."""
    text = text_body(roster_rollup(1000))
    assert "Trường số 72: Hoạt động 72\n" in text
    assert "Trường số 76: Hoạt động 76\n" not in text
    assert "đơn vị khác — xem bảng tính đính kèm, trang Theo đơn vị" in text


@pytest.mark.parametrize(
    ("units", "limit"), [(40, None), (FULL_LISTS_UP_TO, None), (201, LIST_CAP)]
)
def test_list_limit_switches_above_the_threshold(units, limit):
    """Lists are cut only for rosters above FULL_LISTS_UP_TO units."""
    assert list_limit(roster_rollup(units)) == limit


@given(st.lists(st.text(min_size=1, max_size=5), max_size=80), st.integers(1, 60))
def test_cut_text_lines_keeps_a_prefix_and_counts_the_rest(lines, limit):
    """Cut lines are a prefix of the original plus one line naming how many were left out."""
    got = cut_text_lines(lines, limit)
    if len(lines) <= limit:
        assert got == lines
    else:
        assert got[:-1] == lines[:limit] and got[-1].startswith(f"… và {len(lines) - limit} ")


def test_each_problem_mail_shows_the_number_reprocess_takes():
    """The office reads the message number it passes to `mailbot reprocess` next to a problem."""
    text = text_body(roster_rollup(12))
    assert "[thư số 5] Tệp không đọc được" in text
    assert "[thư số 11] Tệp không đọc được" in text
