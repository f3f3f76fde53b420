"""Store: migrations, one-transaction booking, supersession, retries, outbox, locks."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mailbot.errors import LockedError, StoreError
from mailbot.records import Problem, Submission
from mailbot.store import (
    AttachmentRecord,
    Booking,
    IncomingMessage,
    NewSubmission,
    OutgoingMail,
    Store,
    backoff,
    imap_source_key,
    parse_imap_source_key,
)
from mailbot.store.migrations import MIGRATIONS

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
T0 = datetime(2021, 10, 12, 8, 0, tzinfo=TZ)
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Path of a fresh database file in a temporary folder."""
    return tmp_path / "mailbot.sqlite3"


@pytest.fixture
def store(db_path: Path):
    """A migrated, empty store in the campaign time zone."""
    with Store.open(db_path, TZ, now=T0) as opened:
        yield opened


def incoming(uid: int, at: datetime = T0, sender: str = "a@example.org", **kw) -> IncomingMessage:
    """A message fetched from INBOX with this UID; hash and Message-ID derived from the UID."""
    return IncomingMessage(
        source_key=imap_source_key("INBOX", 7, uid),
        sha256=f"{uid:064x}",
        received_at=at,
        message_id_header=kw.pop("message_id_header", f"<m{uid}@example.org>"),
        from_addr=sender,
        subject=f"Báo cáo {uid}",
        **kw,
    )


def report(unit: str, value: int, late: bool = False) -> NewSubmission:
    """A submission for `unit` whose row 2 count is `value`."""
    return NewSubmission(unit, late, {"2": {"count": value}}, [], [f"{unit}.xlsx"])


def receipt(uid: int, to: str = "a@example.org") -> OutgoingMail:
    """The receipt for message `uid`, with a deterministic Message-ID."""
    return OutgoingMail("receipt", f"<receipt-{uid}@example.org>", (to,), b"receipt %d" % uid)


def book(store: Store, uid: int, unit: str, value: int, at: datetime = T0) -> Booking:
    """Book message `uid` as unit's report with a receipt."""
    msg = incoming(uid, at)
    store.begin_attempt(msg, at, max_attempts=3)
    return store.book_message(
        msg, "booked", at, submission=report(unit, value), receipt=receipt(uid)
    )


def dump(path: Path) -> list[str]:
    """Every row of every table, as SQL text, read through a separate connection."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


# ---- migrations ---------------------------------------------------------------------------


def test_migrations_apply_from_empty(db_path):
    """A new database gets every migration, recorded in schema_version."""
    with Store.open(db_path, TZ, now=T0) as store:
        rows = store.conn.execute("SELECT version, name FROM schema_version").fetchall()
        assert [tuple(r) for r in rows] == [
            (i, m.__name__) for i, m in enumerate(MIGRATIONS, start=1)
        ]
        tables = {
            r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
    assert {"folder_state", "messages", "attachments", "submissions", "outbox"} <= tables
    assert {"summaries", "schema_version"} <= tables


def test_reopen_is_idempotent_and_keeps_data(db_path):
    """Opening again applies nothing and leaves every row as it was."""
    with Store.open(db_path, TZ, now=T0) as store:
        book(store, 1, "xa-a", 5)
    before = dump(db_path)
    with Store.open(db_path, TZ, now=T0 + timedelta(days=1)) as store:
        assert store.version == len(MIGRATIONS)
    assert dump(db_path) == before


def test_newer_schema_is_refused(db_path):
    """A database from a newer mailbot is refused, not modified."""
    Store.open(db_path, TZ, now=T0).close()
    conn = sqlite3.connect(db_path)
    conn.execute("INSERT INTO schema_version VALUES (999, 'm999_future', '2030-01-01')")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer than this mailbot"):
        Store.open(db_path, TZ, now=T0)


def test_pragmas_wal_and_foreign_keys(store):
    """The connection runs in WAL mode with foreign keys enforced."""
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute(
            "INSERT INTO attachments (message_id, filename, sha256, parse_ok, parse_json)"
            " VALUES (42, 'x', 'y', 0, '{}')"
        )


def test_not_a_database_is_a_store_error(db_path):
    """A file that is not SQLite raises StoreError."""
    db_path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError):
        Store.open(db_path, TZ)


# ---- booking and supersession -------------------------------------------------------------


def test_book_writes_message_attachments_submission_and_receipt(store):
    """One booking leaves the whole set of rows, read back exactly."""
    msg = incoming(1, raw_path="ab/cd/x.eml")
    store.begin_attempt(msg, T0, max_attempts=3)
    att = AttachmentRecord(
        "bc.xlsx", "f" * 64, "application/vnd.ms-excel", "f.xlsx", True, {"a": 1}
    )
    booking = store.book_message(
        msg, "booked", T0, attachments=[att], submission=report("xa-a", 5), receipt=receipt(1)
    )
    assert booking == Booking(1, "booked", 1, None, 1)
    assert store.latest_submissions() == [
        Submission(1, "xa-a", 1, T0, False, {"2": {"count": 5}}, [], ["xa-a.xlsx"], "a@example.org")
    ]
    row = store.message(1)
    assert (row.status, row.unit_code, row.attempts, row.raw_path) == (
        "booked",
        "xa-a",
        1,
        "ab/cd/x.eml",
    )
    atts = store.conn.execute("SELECT filename, parse_ok, parse_json FROM attachments").fetchall()
    assert [tuple(a) for a in atts] == [("bc.xlsx", 1, '{"a": 1}')]
    [out] = store.pending_outbox(T0)
    assert (out.kind, out.message_row_id, out.unit_code, out.to_addrs, out.raw) == (
        "receipt",
        1,
        "xa-a",
        ("a@example.org",),
        b"receipt 1",
    )


def test_newer_submission_supersedes_and_history_is_kept(store):
    """A unit's second report becomes current; the first stays in history, superseded."""
    first = book(store, 1, "xa-a", 5, T0)
    second = book(store, 2, "xa-a", 7, T0 + timedelta(hours=1))
    assert second.superseded_id == first.submission_id
    assert [s.values["2"]["count"] for s in store.latest_submissions()] == [7]
    history = store.history("xa-a")
    assert [(s.id, s.superseded_by) for s in history] == [(2, None), (1, 2)]


def test_latest_is_by_received_time_not_booking_order(store):
    """A late-booked older report goes into history without displacing the newer one."""
    book(store, 2, "xa-a", 7, T0 + timedelta(hours=1))
    older = book(store, 1, "xa-a", 5, T0)
    assert older.superseded_id is None
    assert [(s.id, s.values["2"]["count"]) for s in store.latest_submissions()] == [(1, 7)]
    assert [(s.id, s.superseded_by) for s in store.history("xa-a")] == [(1, None), (2, 1)]


def test_latest_submissions_one_per_unit(store):
    """latest_submissions lists each unit once, by code."""
    book(store, 1, "xa-b", 1)
    book(store, 2, "xa-a", 2)
    book(store, 3, "xa-b", 3, T0 + timedelta(minutes=5))
    assert [(s.unit_code, s.values["2"]["count"]) for s in store.latest_submissions()] == [
        ("xa-a", 2),
        ("xa-b", 3),
    ]


def test_exception_inside_booking_leaves_nothing_half_written(store, db_path):
    """An error midway through book_message rolls back every row of it."""
    msg = incoming(1)
    store.begin_attempt(msg, T0, max_attempts=3)
    before = dump(db_path)
    bad = NewSubmission("xa-a", False, {"2": {"count": {1, 2}}})  # a set: not JSON
    att = AttachmentRecord("a.xlsx", "e" * 64, parse_ok=True)
    with pytest.raises(TypeError):
        store.book_message(msg, "booked", T0, attachments=[att], submission=bad, receipt=receipt(1))
    assert dump(db_path) == before
    assert store.status_of(msg.source_key) == "processing"


CRASH_SCRIPT = """
import os, sys
from datetime import datetime
from zoneinfo import ZoneInfo
from mailbot.store import IncomingMessage, NewSubmission, OutgoingMail, Store, AttachmentRecord
tz = ZoneInfo("Asia/Ho_Chi_Minh")
now = datetime(2021, 10, 12, 8, 0, tzinfo=tz)
store = Store.open(sys.argv[1], tz)
msg = IncomingMessage("INBOX/7/1", "1" * 64, now, "<m1@example.org>", "a@example.org")
store.begin_attempt(msg, now, 3)
# Die for real (no cleanup, no rollback) the moment the receipt row is being written.
store.conn.set_trace_callback(lambda sql: "INSERT INTO outbox" in sql and os._exit(9))
store.book_message(
    msg, "booked", now,
    attachments=[AttachmentRecord("a.xlsx", "2" * 64, parse_ok=True)],
    submission=NewSubmission("xa-a", False, {"2": {"count": 5}}),
    receipt=OutgoingMail("receipt", "<r1@example.org>", ("a@example.org",), b"r"),
)
"""


def test_process_killed_mid_booking_leaves_only_the_attempt(db_path):
    """A process killed inside book_message leaves the message 'processing', nothing else."""
    run = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(CRASH_SCRIPT), str(db_path)],
        cwd=REPO,
        capture_output=True,
        timeout=60,
    )
    assert run.returncode == 9, run.stderr.decode()
    with Store.open(db_path, TZ) as store:
        row = store.message_by_key("INBOX/7/1")
        assert row is not None
        assert (row.status, row.attempts) == ("processing", 1)
        counts = [
            store.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("attachments", "submissions", "outbox")
        ]
        assert counts == [0, 0, 0]
        assert store.unfinished() == [row]


def test_finished_message_cannot_be_booked_twice(store):
    """Booking a message that is already booked is refused."""
    book(store, 1, "xa-a", 5)
    with pytest.raises(StoreError, match="already booked"):
        store.book_message(incoming(1), "booked", T0, submission=report("xa-a", 6))
    assert len(store.history("xa-a")) == 1


def test_booked_status_requires_a_submission(store):
    """'booked' without a submission (or a problem status with one) is a programming error."""
    with pytest.raises(ValueError, match="submission"):
        store.book_message(incoming(1), "booked", T0)
    with pytest.raises(ValueError, match="submission"):
        store.book_message(incoming(1), "unassigned", T0, submission=report("xa-a", 1))


# ---- receipts: never two -----------------------------------------------------------------


def test_second_receipt_for_a_message_is_not_queued(store):
    """enqueue of another receipt for an already answered message is a no-op."""
    first = book(store, 1, "xa-a", 5)
    other = OutgoingMail("receipt", "<another@example.org>", ("a@example.org",), b"again")
    assert store.enqueue(other, T0, message_row_id=first.message_row_id) is None
    assert [r.rfc_message_id for r in store.pending_outbox(T0)] == ["<receipt-1@example.org>"]


def test_unique_index_refuses_a_second_receipt_row(store):
    """The database itself refuses a second receipt row for one message."""
    book(store, 1, "xa-a", 5)
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute(
            """INSERT INTO outbox (kind, message_row_id, rfc_message_id, to_addrs, raw,
            next_attempt_at, created_at) VALUES ('receipt', 1, '<x@example.org>', '[]', x'00',
            '', '')"""
        )


def test_reprocessed_message_gets_no_second_receipt(store):
    """A problem message answered once and reprocessed into a booking is not answered again."""
    msg = incoming(1)
    store.begin_attempt(msg, T0, 3)
    store.book_message(msg, "unassigned", T0, receipt=receipt(1), reason="Không rõ đơn vị")
    store.reprocess(1, T0 + timedelta(hours=1))
    store.begin_attempt(msg, T0, 3)
    later = OutgoingMail("receipt", "<receipt-1b@example.org>", ("a@example.org",), b"ok")
    booking = store.book_message(msg, "booked", T0, submission=report("xa-a", 1), receipt=later)
    assert (booking.status, booking.receipt_id) == ("booked", None)
    assert len(store.pending_outbox(T0)) == 1


def test_reminder_once_per_unit_and_day(store):
    """A second reminder for the same unit and day is not queued."""
    day = date(2021, 10, 12)
    mail = OutgoingMail("reminder", "<rem-a@example.org>", ("a@example.org",), b"r", 0, "xa-a", day)
    assert store.enqueue(mail, T0) == 1
    again = OutgoingMail(
        "reminder", "<rem-a2@example.org>", ("a@example.org",), b"r", 0, "xa-a", day
    )
    assert store.enqueue(again, T0) is None
    assert store.reminder_sent("xa-a", day) is True
    assert store.reminder_sent("xa-b", day) is False


def test_receipts_sent_today_counts_per_address_and_day(store):
    """The rate-limit count is per recipient (case-insensitive) and per local day."""
    book(store, 1, "xa-a", 1)
    book(store, 2, "xa-a", 2, T0 + timedelta(minutes=1))
    next_day = T0 + timedelta(days=1)
    msg = incoming(3, next_day)
    store.begin_attempt(msg, next_day, 3)
    store.book_message(msg, "unreadable", next_day, receipt=receipt(3))
    assert store.receipts_sent_today("A@Example.org", T0.date()) == 2
    assert store.receipts_sent_today("a@example.org", next_day.date()) == 1
    assert store.receipts_sent_today("b@example.org", T0.date()) == 0


# ---- attempts and failures ----------------------------------------------------------------


def test_crash_loop_is_bounded_by_begin_attempt(store):
    """A message whose processing never finishes is given up after max_attempts starts."""
    msg = incoming(1)
    attempts = [store.begin_attempt(msg, T0, max_attempts=3) for _ in range(4)]
    assert [(a.attempts, a.status, a.proceed) for a in attempts] == [
        (1, "processing", True),
        (2, "processing", True),
        (3, "processing", True),
        (3, "failed", False),
    ]
    assert store.seen(msg.source_key) is True


def test_record_failure_retries_then_fails(store):
    """record_failure keeps a message for retry until its attempts reach the maximum."""
    msg = incoming(1)
    statuses = []
    for _ in range(2):
        store.begin_attempt(msg, T0, max_attempts=2)
        statuses.append(store.record_failure(msg.source_key, "boom", T0, max_attempts=2))
    assert statuses == ["processing", "failed"]
    [problem] = store.problems()
    assert (problem.kind, problem.detail) == ("failed", "Không xử lý được sau 2 lần thử: boom")


def test_record_failure_for_unseen_message_needs_its_data(store):
    """record_failure creates the row when given the message, and refuses otherwise."""
    with pytest.raises(StoreError, match="begin_attempt"):
        store.record_failure("INBOX/7/9", "boom", T0, 3)
    assert store.record_failure("INBOX/7/9", "boom", T0, 3, msg=incoming(9)) == "processing"


def test_begin_attempt_on_finished_message_does_not_proceed(store):
    """begin_attempt tells the caller to leave an already booked message alone."""
    book(store, 1, "xa-a", 1)
    attempt = store.begin_attempt(incoming(1), T0, 3)
    assert (attempt.status, attempt.proceed, attempt.attempts) == ("booked", False, 1)


def test_reprocess_resets_a_problem_and_refuses_booked(store):
    """reprocess puts a problem back to 'processing' with no attempts; booked is refused."""
    msg = incoming(1)
    store.begin_attempt(msg, T0, 3)
    store.book_message(msg, "unreadable", T0, reason="Tệp hỏng")
    row = store.reprocess(1, T0)
    assert (row.status, row.attempts, row.flagged_reason) == ("processing", 0, None)
    book(store, 2, "xa-a", 1)
    with pytest.raises(StoreError, match="booked"):
        store.reprocess(2, T0)


# ---- what is new ------------------------------------------------------------------------


def test_seen_only_after_a_final_status(store):
    """seen() is False for unknown and in-progress messages, True once finished."""
    msg = incoming(1)
    assert store.seen(msg.source_key) is False
    store.begin_attempt(msg, T0, 3)
    assert store.seen(msg.source_key) is False
    store.book_message(msg, "ignored", T0, reason="Thư tự động")
    assert store.seen(msg.source_key) is True


def test_find_duplicate_by_message_id_or_hash(store):
    """A copy is found by Message-ID or by raw hash, never matching itself."""
    book(store, 1, "xa-a", 1)
    assert store.find_duplicate("<m1@example.org>", "0" * 64) == 1
    assert store.find_duplicate(None, f"{1:064x}") == 1
    assert store.find_duplicate("<other@example.org>", "0" * 64) is None
    assert store.find_duplicate("<m1@example.org>", "0" * 64, "INBOX/7/1") is None


def test_failed_and_in_progress_messages_are_not_duplicates(store):
    """A resend of a message that was never answered is not treated as a duplicate."""
    msg = incoming(1)
    store.begin_attempt(msg, T0, 1)
    assert store.find_duplicate("<m1@example.org>", msg.sha256) is None
    store.record_failure(msg.source_key, "boom", T0, 1)
    assert store.find_duplicate("<m1@example.org>", msg.sha256) is None


def test_folder_state_round_trip(store):
    """Folder state is None until set, then reads back the latest values."""
    assert store.get_folder_state("INBOX") is None
    store.set_folder_state("INBOX", 7, 10, T0)
    store.set_folder_state("INBOX", 7, 12, T0)
    state = store.get_folder_state("INBOX")
    assert (state.folder, state.uidvalidity, state.last_uid) == ("INBOX", 7, 12)


def test_server_marks_pending_until_recorded(store):
    """Finished messages await their mailbox flag until mark_processed_on_server."""
    book(store, 1, "xa-a", 1)
    store.begin_attempt(incoming(2), T0, 3)
    assert [m.id for m in store.pending_server_marks()] == [1]
    store.mark_processed_on_server([1])
    assert store.pending_server_marks() == []


@pytest.mark.parametrize(
    ("key", "parsed"),
    [
        ("INBOX/7/12", ("INBOX", 7, 12)),
        ("[Gmail]/All Mail/3/4", ("[Gmail]/All Mail", 3, 4)),
        ("maildir/cur/1634.M1P2.host", None),
    ],
)
def test_parse_imap_source_key(key, parsed):
    """IMAP source keys split from the right, so folders may contain '/'."""
    assert parse_imap_source_key(key) == parsed


def test_problems_list_and_since(store):
    """problems() lists problem messages with detail and files, filtered by time set."""
    msg = incoming(1, sender="x@example.net")
    store.begin_attempt(msg, T0, 3)
    store.book_message(
        msg,
        "unassigned",
        T0,
        attachments=[AttachmentRecord("bc.docx", "d" * 64)],
        reason="Không xác định được đơn vị gửi",
        problem_kind="unknown_sender",
    )
    book(store, 2, "xa-a", 1)
    expected = Problem(
        1, "unknown_sender", "x@example.net", "Báo cáo 1", T0, "Không xác định được đơn vị gửi",
        None, ["bc.docx"],
    )  # fmt: skip
    assert store.problems() == [expected]
    assert store.problems(since=T0) == []
    assert store.problems(since=T0 - timedelta(seconds=1)) == [expected]


def test_naive_datetime_is_refused(store):
    """Timestamps must be aware: a naive `now` is a ValueError."""
    with pytest.raises(ValueError, match="naive"):
        store.set_folder_state("INBOX", 1, 1, datetime(2021, 10, 12, 8, 0))


# ---- outbox ---------------------------------------------------------------------------------


def test_backoff_schedule_doubles_then_caps(store):
    """Each failed send waits 1, 2, 4, … minutes (capped at 60), then gives up."""
    store.enqueue(receipt(1), T0)
    now, delays, statuses = T0, [], []
    for _ in range(9):
        [row] = store.pending_outbox(now)
        statuses.append(store.mark_send_failed(row.id, "421 try later", now, max_attempts=9))
        next_at = store.outbox_row(row.id).next_attempt_at
        delays.append(int((next_at - now).total_seconds() // 60))
        assert store.pending_outbox(next_at - timedelta(seconds=1)) == []
        now = next_at
    assert delays == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert statuses == ["pending"] * 8 + ["failed"]
    assert store.pending_outbox(now + timedelta(days=1)) == []
    assert [r.last_error for r in store.failed_outbox()] == ["421 try later"]


@given(st.integers(min_value=1, max_value=10_000))
def test_backoff_is_monotone_and_capped(attempts):
    """backoff never shrinks from one attempt to the next and never exceeds the cap."""
    assert backoff(attempts) <= backoff(attempts + 1) <= timedelta(hours=1)


def test_permanent_failure_gives_up_at_once(store):
    """A permanent send failure marks the mail failed on the first try."""
    outbox_id = store.enqueue(receipt(1), T0)
    assert store.mark_send_failed(outbox_id, "550 no such user", T0, permanent=True) == "failed"
    store.retry_outbox(outbox_id, T0)
    assert [r.id for r in store.pending_outbox(T0)] == [outbox_id]


def test_mark_sent_removes_from_queue(store):
    """A sent mail is no longer pending and records when it was sent."""
    outbox_id = store.enqueue(receipt(1), T0)
    store.mark_sent(outbox_id, T0 + timedelta(seconds=5))
    row = store.outbox_row(outbox_id)
    assert (row.status, row.sent_at, row.attempts) == ("sent", T0 + timedelta(seconds=5), 1)
    assert store.pending_outbox(T0 + timedelta(days=1)) == []


def test_pending_outbox_orders_by_priority_then_age(store):
    """Higher priority goes first; equal priority in queue order."""
    for i, priority in enumerate([0, 5, 0], start=1):
        mail = OutgoingMail("alert", f"<a{i}@example.org>", ("o@example.org",), b"x", priority)
        store.enqueue(mail, T0)
    assert [r.rfc_message_id for r in store.pending_outbox(T0)] == [
        "<a2@example.org>",
        "<a1@example.org>",
        "<a3@example.org>",
    ]


def test_summary_log_gives_the_cutoff(store):
    """record_summary logs the summary; submissions_since(cut-off) lists only newer ones."""
    assert store.last_summary() is None
    book(store, 1, "xa-a", 1, T0)
    mail = OutgoingMail("summary", "<sum-1012@example.org>", ("o@example.org",), b"s")
    summary_at = T0 + timedelta(hours=9)
    assert store.record_summary(mail, summary_at, {"units": 1}) == 1
    assert store.record_summary(mail, summary_at, {"units": 1}) is None
    last = store.last_summary()
    assert (last.day, last.created_at, last.stats) == (date(2021, 10, 12), summary_at, {"units": 1})
    book(store, 2, "xa-b", 1, summary_at + timedelta(hours=1))
    assert [s.unit_code for s in store.submissions_since(last.created_at)] == ["xa-b"]
    assert [s.unit_code for s in store.submissions_since(None)] == ["xa-a", "xa-b"]


# ---- locks ---------------------------------------------------------------------------------

HOLDER_SCRIPT = """
import sys
from mailbot.store import Store
store = Store.open(sys.argv[1])
with store.poll_lock("holder-process"):
    print("locked", flush=True)
    sys.stdin.readline()
"""


def test_poll_lock_refuses_a_second_process(db_path):
    """While another process holds the poll lock, poll_lock raises LockedError naming it."""
    Store.open(db_path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(HOLDER_SCRIPT), str(db_path)],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with Store.open(db_path) as store:
            with pytest.raises(LockedError, match="holder-process"), store.poll_lock("second"):
                pass
            holder.communicate("go\n", timeout=30)
            with store.poll_lock("second"):
                pass
    finally:
        holder.kill()
        holder.wait()


def test_poll_and_daemon_locks_are_separate(store):
    """The daemon lock does not block a poll, but a second daemon lock is refused."""
    with store.daemon_lock("daemon"):
        with store.poll_lock("poll"):
            pass
        with pytest.raises(LockedError), store.daemon_lock("daemon-2"):
            pass


def test_stored_time_is_utc_text(store):
    """Timestamps are stored as UTC text, whatever the zone of the value passed in."""
    store.set_folder_state("INBOX", 1, 1, datetime(2021, 10, 12, 8, 0, tzinfo=TZ))
    row = store.conn.execute("SELECT updated_at FROM folder_state").fetchone()
    assert row[0] == datetime(2021, 10, 12, 1, 0, tzinfo=UTC).isoformat(timespec="microseconds")
