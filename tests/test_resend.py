"""A mail is never given up silently: the next summary names it with its reason and the
`mailbot resend ID` that puts it back; resend takes only mail given up after failed sends.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest

from mailbot.errors import StoreError
from mailbot.sending.outbox import outgoing
from mailbot.sending.resend import given_up, resend
from mailbot.store import Store
from tests.support.office_env import OfficeEnv, copy_database, polled_database
from tests.support.pipeline_env import PipelineEnv
from tests.support.servers import Dovecot, SmtpServer

T0 = datetime(2021, 10, 12, 5, 0, tzinfo=UTC)
LOST = "vanthu.sai@example.test"  # the address the server refuses for good


def receipt(to: str, n: int = 0) -> EmailMessage:
    """A small receipt to `to`."""
    msg = EmailMessage()
    msg["From"] = "phonggd@example.test"
    msg["To"] = to
    msg["Subject"] = f"Biên nhận {n}"
    msg["Message-ID"] = f"<resend-{n}@example.test>"
    msg.set_content("Đã nhận báo cáo.")
    return msg


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """An empty database."""
    return Store.open(tmp_path / "db.sqlite3")


def test_resend_puts_a_given_up_mail_back_due_now_with_no_attempts(store: Store) -> None:
    """The row is pending again, due at once, its attempts and give-up time cleared."""
    outbox_id = store.enqueue(outgoing("receipt", receipt(LOST), 10), T0)
    assert outbox_id is not None
    store.mark_send_failed(outbox_id, "550 5.1.1 no such user", T0, permanent=True)
    later = T0 + timedelta(days=1)
    row = resend(store, outbox_id, later)
    assert (row.status, row.attempts, row.next_attempt_at, row.failed_at) == (
        "pending", 0, later, None
    )  # fmt: skip
    assert [r.id for r in store.pending_outbox(later)] == [outbox_id]


def test_resend_refuses_a_mail_that_was_sent(store: Store) -> None:
    """A sent mail is never sent again by resend."""
    outbox_id = store.enqueue(outgoing("receipt", receipt(LOST), 10), T0)
    assert outbox_id is not None
    store.mark_sent(outbox_id, T0)
    with pytest.raises(StoreError, match="already sent"):
        resend(store, outbox_id, T0)


def test_resend_refuses_a_mail_still_queued(store: Store) -> None:
    """A queued mail needs no resend: the next poll sends it."""
    outbox_id = store.enqueue(outgoing("receipt", receipt(LOST), 10), T0)
    assert outbox_id is not None
    with pytest.raises(StoreError, match="still queued"):
        resend(store, outbox_id, T0)


def test_a_cancelled_reminder_is_neither_given_up_nor_resent(store: Store) -> None:
    """A reminder dropped because its unit reported is no failure to report or undo."""
    mail = outgoing("reminder", receipt(LOST), 0, unit_code="xa-a", day=T0.date())
    outbox_id = store.enqueue(mail, T0)
    assert outbox_id is not None
    store.cancel_outbox(outbox_id, "unit reported meanwhile")
    assert given_up(store) == []
    with pytest.raises(StoreError, match="cancelled"):
        resend(store, outbox_id, T0)


def test_given_up_lists_only_mail_given_up_since_the_cut_off(store: Store) -> None:
    """The summary's cut-off: what was given up before the last summary is not repeated."""
    first = store.enqueue(outgoing("receipt", receipt(LOST, 1), 10), T0)
    second = store.enqueue(outgoing("receipt", receipt(LOST, 2), 10), T0)
    assert first is not None and second is not None
    store.mark_send_failed(first, "550 a", T0, permanent=True)
    store.mark_send_failed(second, "550 b", T0 + timedelta(hours=2), permanent=True)
    assert [r.id for r in given_up(store, T0 + timedelta(hours=1))] == [second]


# ---- end to end: real aiosmtpd, real summary, the CLI ---------------------------------------

EVENING = datetime(2021, 10, 12, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def polled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding the polled reports (made once for this module)."""
    return polled_database(tmp_path_factory.mktemp("polled"))


@pytest.fixture
def office(
    dovecot: Dovecot,
    smtp_server: SmtpServer,
    tmp_path: Path,
    polled: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> OfficeEnv:
    """The polled database, fresh servers, a receipt to LOST queued; the server refuses LOST."""
    copy_database(polled, tmp_path / "db.sqlite3")
    env = OfficeEnv(PipelineEnv(dovecot, smtp_server, tmp_path), capsys, monkeypatch)
    env.at(EVENING)
    smtp_server.refuse_rcpt[LOST] = "550 5.1.1 The email account does not exist"
    with env.pipe.store() as store:
        store.enqueue(outgoing("receipt", receipt(LOST), 10), EVENING)
    return env


def summary_text(env: OfficeEnv) -> str:
    """The plain text of the last summary the office received."""
    [summary] = [m for m in env.sent() if "Tổng hợp báo cáo" in str(m["Subject"])][-1:]
    return summary.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]


def lost_id(env: OfficeEnv) -> int:
    """The outbox id of the receipt to LOST, given up."""
    with env.pipe.store() as store:
        [row] = [r for r in store.failed_outbox() if LOST in r.to_addrs]
    return row.id


@pytest.mark.servers
def test_the_next_summary_names_a_given_up_receipt_with_its_reason_and_resend_command(
    office: OfficeEnv,
) -> None:
    """Refused with 550 on day 1: day 2's summary names it, the server's reason and the command."""
    office.run("summary", "--send")  # the receipt is refused with 550 on this send
    office.at(EVENING + timedelta(days=1))
    office.run("summary", "--send")
    text = summary_text(office)
    outbox_id = lost_id(office)
    assert f"Số {outbox_id}: Biên nhận gửi {LOST}" in text
    assert "550 5.1.1 The email account does not exist" in text
    assert f"mailbot resend -c <tệp cấu hình> {outbox_id}" in text


@pytest.mark.servers
def test_a_given_up_receipt_is_named_in_one_summary_only(office: OfficeEnv) -> None:
    """The summary after the one that named it does not repeat it."""
    office.run("summary", "--send")
    for day in (1, 2):
        office.at(EVENING + timedelta(days=day))
        office.run("summary", "--send")
    assert LOST not in summary_text(office)


@pytest.mark.servers
def test_mailbot_resend_queues_it_again_and_the_next_send_delivers_it(office: OfficeEnv) -> None:
    """Once the address works again, resend + the next send deliver exactly one copy."""
    office.run("summary", "--send")
    del office.pipe.smtp.refuse_rcpt[LOST]
    outbox_id = lost_id(office)
    code, out, _ = office.run("resend", str(outbox_id))
    assert (code, f"outbox #{outbox_id} (receipt)" in out) == (0, True)
    office.run("summary", "--send")  # sends what the outbox holds, as a poll would
    assert len(office.sent_to(LOST)) == 1


@pytest.mark.servers
def test_mailbot_resend_of_a_sent_mail_exits_1_with_one_line(office: OfficeEnv) -> None:
    """Resending a mail that went out is refused: exit 1, one line on stderr."""
    office.run("summary", "--send")
    with office.pipe.store() as store:
        sent = store.conn.execute("SELECT id FROM outbox WHERE status = 'sent'").fetchone()[0]
    code, _, err = office.run("resend", str(sent))
    assert (code, len(err.splitlines()), "already sent" in err) == (1, 1, True)


@pytest.mark.servers
def test_mailbot_resend_without_an_id_lists_what_was_given_up(office: OfficeEnv) -> None:
    """Without an ID, resend lists each given-up mail with its id, kind and address."""
    office.run("summary", "--send")
    code, out, _ = office.run("resend")
    assert (code, out.startswith(f"#{lost_id(office)} receipt to {LOST}")) == (0, True)
