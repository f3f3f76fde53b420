"""Sending through an SMTP outage, against a real aiosmtpd: the server's failures charge no
mail, the first poll after it is back sends everything due and nothing twice; a refusal of one
message is charged to that message only.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from pathlib import Path

import pytest

from mailbot.cycle import PollReport
from mailbot.ingest.poll import poll
from mailbot.runtime.wiring import open_archive, poll_settings
from mailbot.sending.mailer import SmtpMailer
from mailbot.sending.outbox import deliver, outgoing
from mailbot.sending.quota import Pacer, SendQuota
from mailbot.store import Store
from tests.support.mailshapes import report_email
from tests.support.pipeline_env import PipelineEnv, file_bytes, report_file
from tests.support.servers import Dovecot, SmtpServer

pytestmark = pytest.mark.servers

NOON = datetime(2021, 10, 12, 5, 0, tzinfo=UTC)
QUOTA = SendQuota(daily_cap=1000, per_minute=1000)


class StopsServerAfter(SmtpMailer):
    """A real SMTP mailer that stops its server right after the server accepted `after` mails."""

    def __init__(self, server: SmtpServer, after: int) -> None:
        super().__init__(server.host, server.port, "none", timeout_s=10)
        self.server = server
        self.left = after

    def send_bytes(self, raw: bytes) -> None:
        """Send, then stop the server once `after` mails were accepted."""
        super().send_bytes(raw)
        self.left -= 1
        if self.left == 0:
            self.server.stop()


def receipt(n: int) -> EmailMessage:
    """A small receipt numbered `n` to its own clerk."""
    msg = EmailMessage()
    msg["From"] = "phonggd@example.test"
    msg["To"] = f"vanthu{n}@example.test"
    msg["Subject"] = f"Biên nhận {n}"
    msg["Message-ID"] = f"<receipt-{n}@example.test>"
    msg.set_content("Đã nhận báo cáo.")
    return msg


def queued(tmp_path: Path, count: int) -> Store:
    """A store holding `count` pending receipts queued at NOON."""
    store = Store.open(tmp_path / "db.sqlite3")
    for n in range(count):
        store.enqueue(outgoing("receipt", receipt(n), 10), NOON)
    return store


def send(store: Store, mailer: SmtpMailer, now: datetime, batch: int = 50) -> PollReport:
    """One delivery at `now` (no pacing sleeps)."""
    report = PollReport()
    pacer = Pacer(sleep=lambda _s: None)
    deliver(store, mailer, lambda: now, report, batch=batch, quota=QUOTA, pacer=pacer)
    return report


def mailer_for(server: SmtpServer) -> SmtpMailer:
    """A real SMTP mailer on `server`."""
    return SmtpMailer(server.host, server.port, "none", timeout_s=10)


def message_ids(server: SmtpServer) -> Counter[str]:
    """How many times the server received each Message-ID."""
    parser = BytesParser(policy=default)
    return Counter(str(parser.parsebytes(m.data)["Message-ID"]) for m in server.messages)


def rows(store: Store) -> Counter[tuple[str, int]]:
    """(status, attempts) of every outbox row, counted."""
    found = store.conn.execute("SELECT status, attempts FROM outbox").fetchall()
    return Counter((status, attempts) for status, attempts in found)


def test_after_an_outage_mid_batch_the_first_poll_sends_every_receipt_once(
    smtp_server: SmtpServer, tmp_path: Path
) -> None:
    """Down after 30 of 120, down for two more polls, back: the next poll sends the other 90."""
    store = queued(tmp_path, 120)
    send(store, StopsServerAfter(smtp_server, after=30), NOON)
    for minutes in (5, 10):  # two polls while the server is still down
        send(store, mailer_for(smtp_server), NOON + timedelta(minutes=minutes))
    assert len(smtp_server.messages) == 30
    smtp_server.start()
    # A minute after the last failed poll: retries charged to each row would not be due yet.
    send(store, mailer_for(smtp_server), NOON + timedelta(minutes=11))
    assert message_ids(smtp_server) == Counter(
        {f"<receipt-{n}@example.test>": 1 for n in range(120)}
    )


def test_a_server_outage_charges_no_mail_an_attempt(
    smtp_server: SmtpServer, tmp_path: Path
) -> None:
    """Polls against a dead server leave every unsent row pending, with no attempt counted."""
    store = queued(tmp_path, 20)
    send(store, StopsServerAfter(smtp_server, after=5), NOON)
    for minutes in range(5, 65, 5):  # an hour of polls against a dead server
        send(store, mailer_for(smtp_server), NOON + timedelta(minutes=minutes))
    assert rows(store) == Counter({("sent", 1): 5, ("pending", 0): 15})


def test_a_poll_against_a_dead_server_says_how_many_wait(
    smtp_server: SmtpServer, tmp_path: Path
) -> None:
    """The poll's report has one line for the outage, with the number of mails waiting."""
    store = queued(tmp_path, 7)
    smtp_server.stop()
    report = send(store, mailer_for(smtp_server), NOON)
    assert report.counts["send_failed"] == 1
    assert [line for line in report.lines if "7 mail(s) wait for the next poll" in line]


def test_a_550_for_one_recipient_charges_only_that_message(
    smtp_server: SmtpServer, tmp_path: Path
) -> None:
    """The refused receipt is given up with the server's reason; the others all go."""
    smtp_server.refuse_rcpt["vanthu3@example.test"] = "550 5.1.1 No such user"
    store = queued(tmp_path, 8)
    send(store, mailer_for(smtp_server), NOON)
    [failed] = store.failed_outbox()
    assert (failed.rfc_message_id, failed.attempts) == ("<receipt-3@example.test>", 1)
    assert "550" in (failed.last_error or "")
    assert rows(store) == Counter({("sent", 1): 7, ("failed", 1): 1})


def test_a_450_for_one_recipient_retries_that_message_later(
    smtp_server: SmtpServer, tmp_path: Path
) -> None:
    """A temporary refusal of one address keeps that receipt pending behind its own backoff."""
    smtp_server.refuse_rcpt["vanthu2@example.test"] = "450 4.2.1 Mailbox busy"
    store = queued(tmp_path, 4)
    send(store, mailer_for(smtp_server), NOON)
    assert rows(store) == Counter({("sent", 1): 3, ("pending", 1): 1})
    del smtp_server.refuse_rcpt["vanthu2@example.test"]
    send(store, mailer_for(smtp_server), NOON + timedelta(minutes=2))
    assert rows(store) == Counter({("sent", 1): 3, ("sent", 2): 1})


def test_a_message_the_server_hangs_up_on_does_not_hold_back_the_others(
    smtp_server: SmtpServer, tmp_path: Path
) -> None:
    """Dropped during DATA (as by a content filter): that receipt is charged, the rest go."""
    smtp_server.hang_up_rcpt.add("vanthu0@example.test")
    store = queued(tmp_path, 5)
    send(store, mailer_for(smtp_server), NOON)
    assert rows(store) == Counter({("pending", 1): 1, ("sent", 1): 4})
    [line] = [r.last_error for r in store.pending_outbox(NOON + timedelta(hours=1))]
    assert line is not None and line.endswith("(during DATA)")


@pytest.fixture
def env(dovecot: Dovecot, smtp_server: SmtpServer, tmp_path: Path) -> PipelineEnv:
    """The pipeline wired to fresh servers, an empty database and a settable clock."""
    os.environ["MAILBOT_TEST_IMAP_PASSWORD"] = dovecot.password
    env = PipelineEnv(dovecot, smtp_server, tmp_path)
    env.overrides = {"smtp": {"per_minute": 1000, "max_receipts_per_sender_per_day": 50}}
    return env


def test_receipts_of_a_poll_cut_by_an_outage_go_with_the_first_poll_after_it(
    env: PipelineEnv,
) -> None:
    """Real mailbox and SMTP: 8 reports, SMTP dies after 3 receipts and stays down for two
    polls; the first poll after it is back sends the other 5, and nobody gets two."""
    data = file_bytes(report_file("mg", "xlsx", unit_index=0))
    for i in range(8):
        env.deliver(
            report_email(
                "ubnd.muonggiang@example.test",
                attachments=[("bc.xlsx", data)],
                message_id=f"<o{i}@t>",
            )
        )
    cfg = env.config
    settings = replace(poll_settings(cfg), send_batch=3)

    def one_poll(mailer: SmtpMailer) -> None:
        """One poll cycle through `mailer` at the clock's time."""
        with env.store() as store:
            poll(env.source(), store, mailer, open_archive(cfg), settings, env.clock)

    one_poll(StopsServerAfter(env.smtp, after=3))
    for _ in range(2):
        env.clock.advance(minutes=5)
        one_poll(env.mailer())
    assert len(env.smtp.messages) == 3
    env.smtp.start()
    env.clock.advance(minutes=1)  # the server is back a minute after the last failed poll
    one_poll(env.mailer())
    replied_to = Counter(str(m["In-Reply-To"]) for m in env.receipts())
    assert replied_to == Counter({f"<o{i}@t>": 1 for i in range(8)})
