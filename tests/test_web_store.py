"""The console's store: corrections applied where the latest submissions are handed out,
superseded by a newer report, audited; hashed sessions; setting a problem mail aside."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from mailbot.errors import StoreError
from mailbot.store import Store
from mailbot.store.console import token_hash
from tests.test_store import T0, TZ, book, incoming


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A migrated, empty store in the campaign time zone."""
    with Store.open(tmp_path / "mailbot.sqlite3", TZ, now=T0) as opened:
        yield opened


def test_a_correction_changes_the_latest_submission_and_keeps_the_history(store: Store) -> None:
    """latest_submissions carries the corrected value; history still has what was read."""
    sub_id = book(store, 1, "xa-a", 10).submission_id
    store.correct_value(sub_id, "2", "count", 12, "gọi điện xác nhận", "lan", T0)
    [latest] = store.latest_submissions()
    [original] = store.history("xa-a")
    assert (latest.values["2"]["count"], original.values["2"]["count"]) == (12, 10)


def test_corrections_apply_in_order_and_record_old_and_new(store: Store) -> None:
    """Two corrections of one slot: the last wins; each records the value it replaced."""
    sub_id = book(store, 1, "xa-a", 10).submission_id
    store.correct_value(sub_id, "2", "count", 12, "lần 1", "lan", T0)
    store.correct_value(sub_id, "2", "count", 15, "lần 2", "minh", T0 + timedelta(minutes=5))
    fixes = [(c.old, c.new, c.user_name, c.reason) for c in store.corrections("xa-a")]
    assert fixes == [(10, 12, "lan", "lần 1"), (12, 15, "minh", "lần 2")]
    assert store.latest_submissions()[0].values["2"]["count"] == 15


def test_a_correction_writes_its_audit_row_in_the_same_transaction(store: Store) -> None:
    """The audit log names who corrected what, old → new, and why."""
    sub_id = book(store, 1, "xa-a", 10).submission_id
    store.correct_value(sub_id, "2", "count", 12, "gọi điện", "lan", T0)
    [row] = store.audit_rows()
    assert (row.user_name, row.action, row.target, row.at) == ("lan", "correct", "xa-a", T0)
    assert row.detail == {
        "code": "2", "slot": "count", "old": 10, "new": 12, "reason": "gọi điện",
        "submission_id": sub_id,
    }  # fmt: skip


def test_a_newer_report_supersedes_the_corrections(store: Store) -> None:
    """After the unit reports again its new values count, not the corrected old ones."""
    first = book(store, 1, "xa-a", 10).submission_id
    store.correct_value(first, "2", "count", 12, "gọi điện", "lan", T0)
    book(store, 2, "xa-a", 30, at=T0 + timedelta(hours=1))
    [latest] = store.latest_submissions()
    assert (latest.values["2"]["count"], latest.id != first) == (30, True)


def test_a_superseded_submission_cannot_be_corrected(store: Store) -> None:
    """Correcting a report that a newer one replaced is refused."""
    first = book(store, 1, "xa-a", 10).submission_id
    book(store, 2, "xa-a", 30, at=T0 + timedelta(hours=1))
    with pytest.raises(StoreError, match="báo cáo mới hơn"):
        store.correct_value(first, "2", "count", 12, "gọi điện", "lan", T0)


def test_a_correction_without_a_reason_is_refused(store: Store) -> None:
    """Every correction says why."""
    sub_id = book(store, 1, "xa-a", 10).submission_id
    with pytest.raises(StoreError, match="lý do"):
        store.correct_value(sub_id, "2", "count", 12, "  ", "lan", T0)


def test_sessions_are_stored_as_hashes_and_expire(store: Store) -> None:
    """The token itself is not in the database; an expired session opens nothing."""
    store.set_web_user("lan", "scrypt$x", T0)
    store.open_session("tok", "lan", "csrf", T0, T0 + timedelta(hours=1))
    stored = store.conn.execute("SELECT token_hash FROM web_sessions").fetchall()
    assert [r[0] for r in stored] == [token_hash("tok")]
    assert store.session("tok", T0 + timedelta(minutes=59)).user_name == "lan"  # type: ignore[union-attr]
    assert store.session("tok", T0 + timedelta(hours=1)) is None


def test_changing_a_password_ends_the_users_sessions(store: Store) -> None:
    """set_web_user on an existing user logs its browsers out."""
    store.set_web_user("lan", "scrypt$old", T0)
    store.open_session("tok", "lan", "csrf", T0, T0 + timedelta(hours=1))
    assert store.set_web_user("lan", "scrypt$new", T0) is False
    assert store.session("tok", T0) is None


def test_marking_a_problem_mail_not_a_report_takes_it_off_the_queue(store: Store) -> None:
    """An unassigned mail set aside is 'ignored', leaves problems(), and is audited."""
    msg = incoming(5)
    store.begin_attempt(msg, T0, max_attempts=3)
    row = store.book_message(msg, "unassigned", T0, problem_kind="unassigned").message_row_id
    store.mark_not_report(row, "lan", "thư quảng cáo", T0)
    assert (store.message(row).status, store.problems()) == ("ignored", [])
    assert store.audit_rows()[0].action == "not_a_report"


def test_a_booked_mail_cannot_be_marked_not_a_report(store: Store) -> None:
    """A report already booked keeps its submission."""
    row = book(store, 1, "xa-a", 10).message_row_id
    with pytest.raises(StoreError, match="đã được ghi nhận"):
        store.mark_not_report(row, "lan", "", T0)
