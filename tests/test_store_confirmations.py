"""Store: doubtful submissions booked 'to_confirm', confirmed once, found from a reply's ids."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mailbot.office.confirm import confirm
from mailbot.records import Unit
from mailbot.store import IncomingMessage, NewSubmission, OutgoingMail, Store, imap_source_key
from mailbot.store.migrations import MIGRATIONS, m003_submission_confidence
from tests.support.old_databases import database_before, insert_old_submission

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
T0 = datetime(2021, 10, 12, 8, 0, tzinfo=TZ)
DOUBT = "Dòng 2: ô “hai” không phải số; để trống."
UNITS = (Unit("xa-a", "UBND xã A", ("a@example.org",)), Unit("xa-b", "UBND xã B"))


@pytest.fixture
def store(tmp_path: Path):
    """A migrated, empty store in the campaign time zone."""
    with Store.open(tmp_path / "db.sqlite3", TZ, now=T0) as opened:
        yield opened


def incoming(uid: int, at: datetime = T0) -> IncomingMessage:
    """Message `uid` from a@example.org."""
    return IncomingMessage(
        imap_source_key("INBOX", 7, uid),
        f"{uid:064x}",
        at,
        f"<m{uid}@example.org>",
        "a@example.org",
    )


def book(store: Store, uid: int, doubts: list[str], at: datetime = T0, unit: str = "xa-a") -> int:
    """Book message `uid` as `unit`'s report (with its receipt); the submission id."""
    sub = NewSubmission(unit, False, {"2": {"count": uid}}, [], ["a.xlsx"], doubts=doubts)
    mail = OutgoingMail("receipt", f"<receipt-{uid}@example.org>", ("a@example.org",), b"r")
    booking = store.book_message(incoming(uid, at), "booked", at, submission=sub, receipt=mail)
    assert booking.submission_id is not None
    return booking.submission_id


def test_a_doubtful_submission_is_stored_to_be_confirmed_with_its_doubts(store: Store) -> None:
    """confidence 'to_confirm' in the row, the doubts kept, nobody confirmed yet."""
    sub = store.submission(book(store, 1, [DOUBT]))
    row = store.conn.execute("SELECT confidence FROM submissions WHERE id = ?", (sub.id,))
    assert (row.fetchone()[0], sub.doubts, sub.confirmed_at) == ("to_confirm", [DOUBT], None)


def test_a_clean_submission_is_stored_certain(store: Store) -> None:
    """No doubts: 'certain', exactly the row booked before doubts existed."""
    sub = store.submission(book(store, 1, []))
    assert (sub.confidence, sub.doubts, sub.confirmed_at, sub.confirmed_by) == (
        "certain",
        [],
        None,
        None,
    )


def test_confirming_changes_a_submission_once(store: Store) -> None:
    """The first confirmation records when and by whom; a second one changes nothing."""
    sub_id = book(store, 1, [DOUBT])
    later = T0 + timedelta(hours=3)
    assert store.confirm_submission(sub_id, later, "office") is True
    assert store.confirm_submission(sub_id, later + timedelta(hours=1), "office") is False
    sub = store.submission(sub_id)
    assert (sub.confidence, sub.confirmed_at, sub.confirmed_by) == ("confirmed", later, "office")


def test_a_reply_finds_the_submission_of_the_receipt_it_answers(store: Store) -> None:
    """In-Reply-To/References naming our receipt lead to that message's submission."""
    first = book(store, 1, [DOUBT])
    book(store, 2, [], at=T0 + timedelta(hours=1), unit="xa-b")
    found = store.submission_answered_by(["<other@example.org>", "<receipt-1@example.org>"])
    assert found is not None and found.id == first
    assert store.submission_answered_by(["<receipt-9@example.org>"]) is None


def test_a_confirming_reply_is_booked_with_its_confirmation_in_one_transaction(
    store: Store,
) -> None:
    """book_message(confirms=…) writes the reply and confirms the submission together."""
    sub_id = book(store, 1, [DOUBT])
    later = T0 + timedelta(hours=2)
    ack = OutgoingMail("receipt", "<ack-2@example.org>", ("a@example.org",), b"ack")
    booking = store.book_message(incoming(2, later), "ignored", later, receipt=ack, confirms=sub_id)
    sub = store.submission(sub_id)
    assert (sub.confidence, sub.confirmed_by) == ("confirmed", "reply")
    # A reply to the acknowledgement leads back to the same submission.
    assert store.submission_answered_by(["<ack-2@example.org>"]) == sub
    assert booking.receipt_id is not None


def test_an_old_database_gains_confidence_and_keeps_its_submissions_certain(
    tmp_path: Path,
) -> None:
    """Migrating a database booked before issue 11 leaves every submission certain."""
    path = tmp_path / "old.sqlite3"
    database_before(path, m003_submission_confidence, T0)
    sub_id = insert_old_submission(path, "xa-a", T0)
    with Store.open(path, TZ, now=T0) as store:
        assert store.version == len(MIGRATIONS)
        assert store.submission(sub_id).confidence == "certain"


# ---- the office confirms (mailbot confirm) ------------------------------------------------------


def test_the_office_confirms_a_units_current_submission_by_unit_code(store: Store) -> None:
    """`confirm xa-a` confirms unit A's current submission and says so."""
    sub_id = book(store, 1, [DOUBT])
    outcome = confirm(store, UNITS, "XA-A", T0 + timedelta(hours=1))
    assert (outcome.ok, outcome.changed) == (True, True)
    assert outcome.message == (
        f"Đã xác nhận số liệu bài nộp số {sub_id} của UBND xã A; số liệu được tính vào tổng hợp."
    )
    assert store.submission(sub_id).confirmed_by == "office"


def test_the_office_confirms_by_submission_number(store: Store) -> None:
    """`confirm 1` (or `#1`) names the submission the summary printed."""
    sub_id = book(store, 1, [DOUBT])
    assert confirm(store, UNITS, f"#{sub_id}", T0).changed
    assert store.submission(sub_id).confidence == "confirmed"


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("xa-b", "UBND xã B chưa có báo cáo nào."),
        ("42", "Không có bài nộp số 42."),
        ("xa-khong-co", "Không có đơn vị mã “xa-khong-co” và đây không phải số bài nộp."),
    ],
)
def test_confirming_nothing_by_that_name_fails_with_a_reason(
    store: Store, target: str, message: str
) -> None:
    """Unknown units and numbers, and units without a report, are refused in words."""
    book(store, 1, [DOUBT])
    outcome = confirm(store, UNITS, target, T0)
    assert (outcome.ok, outcome.changed, outcome.message) == (False, False, message)


def test_a_superseded_submission_is_not_confirmed(store: Store) -> None:
    """Confirming an old submission is refused: the newer one is what counts."""
    old = book(store, 1, [DOUBT])
    new = book(store, 2, [DOUBT], at=T0 + timedelta(hours=1))
    outcome = confirm(store, UNITS, str(old), T0 + timedelta(hours=2))
    assert (outcome.ok, store.submission(old).confidence) == (False, "to_confirm")
    assert f"bài nộp số {new}" in outcome.message


def test_a_certain_submission_needs_no_confirmation(store: Store) -> None:
    """A clean submission stays certain; the office is told there is nothing to confirm."""
    sub_id = book(store, 1, [])
    outcome = confirm(store, UNITS, "xa-a", T0)
    assert (outcome.ok, outcome.changed, store.submission(sub_id).confidence) == (
        True,
        False,
        "certain",
    )
    assert outcome.message.endswith("không cần xác nhận.")
