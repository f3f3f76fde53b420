"""The store's timestamp encoding: aware datetimes to sortable UTC text and back."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mailbot.store.rows import from_db, moment_from_db, to_db

TZ = ZoneInfo("Asia/Ho_Chi_Minh")

moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)


@given(moments)
def test_moment_from_db_gives_back_the_stored_moment_in_the_store_zone(moment):
    """A NOT NULL column's text decodes to the same instant, expressed in the store's zone."""
    back = moment_from_db(to_db(moment), TZ)
    assert back == moment
    assert back.tzinfo is TZ


@given(moments)
def test_from_db_agrees_with_moment_from_db_on_stored_text(moment):
    """The nullable decoder and the NOT NULL one read stored text alike."""
    text = to_db(moment)
    assert from_db(text, TZ) == moment_from_db(text, TZ)


def test_from_db_keeps_none():
    """A NULL column stays None."""
    assert from_db(None, TZ) is None


@given(moments, moments)
def test_stored_text_sorts_in_time_order(a, b):
    """Text order is time order, so SQL comparisons on the columns are time comparisons."""
    assert (to_db(a) < to_db(b)) == (a < b)


def test_to_db_refuses_a_naive_datetime():
    """A naive datetime is a programming error, not a silent local-time guess."""
    with pytest.raises(ValueError, match="naive"):
        to_db(datetime(2021, 10, 12, 8, 0))


def test_to_db_writes_utc():
    """A Vietnam-time moment is stored as its UTC instant (7 hours earlier)."""
    moment = datetime(2021, 10, 12, 8, 0, tzinfo=TZ)
    assert to_db(moment) == "2021-10-12T01:00:00.000000+00:00"
