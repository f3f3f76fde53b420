"""Sending within quotas: the daily cap holds, receipts go before reminders, the rest goes the
next day, office mail is never held, the pace is kept; against a real aiosmtpd with a set clock.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mailbot.cycle import PollReport
from mailbot.messages.compose import compose_summary, waiting_text
from mailbot.sending.mailer import SmtpMailer
from mailbot.sending.outbox import deliver, outgoing
from mailbot.sending.quota import Pacer, SendQuota
from mailbot.store import Store
from tests.support.outputs import sample_rollup
from tests.support.servers import SmtpServer

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# 20:00 local on 12/10/2021: four hours before the local day turns.
EVENING = datetime(2021, 10, 12, 13, 0, tzinfo=UTC)
PRIORITY = {"alert": 20, "receipt": 10, "summary": 5, "reminder": 0}


def mail(kind: str, n: int) -> EmailMessage:
    """A small mail of `kind`, numbered, to a distinct address."""
    msg = EmailMessage()
    msg["From"] = "phonggd@example.test"
    msg["To"] = f"{kind}{n}@example.test"
    msg["Subject"] = f"{kind} {n}"
    msg["Message-ID"] = f"<{kind}-{n}@example.test>"
    msg.set_content("x")
    return msg


def queue(store: Store, kind: str, count: int, now: datetime) -> None:
    """Queue `count` mails of `kind` (reminders per unit and day, as the office queues them)."""
    for n in range(count):
        extra = (
            {"unit_code": f"u{n}", "day": now.astimezone(TZ).date()} if kind == "reminder" else {}
        )
        store.enqueue(outgoing(kind, mail(kind, n), PRIORITY[kind], **extra), now)


def send(store: Store, smtp: SmtpServer, now: datetime, quota: SendQuota) -> PollReport:
    """One deliver() at `now` with `quota`, never sleeping (the pacer's clock is fake)."""
    report = PollReport()
    mailer = SmtpMailer(smtp.host, smtp.port, "none", timeout_s=10)
    fake = FakeTime()
    deliver(store, mailer, lambda: now, report, quota=quota, pacer=Pacer(fake.sleep, fake.now))
    return report


class FakeTime:
    """A monotonic clock that only moves when slept on; remembers the sleeps."""

    def __init__(self) -> None:
        self.t = 1000.0
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds


def sent_to(smtp: SmtpServer) -> list[str]:
    """Recipients in the order the server got them."""
    return [m.rcpt_tos[0] for m in smtp.messages]


@pytest.mark.servers
def test_cap_holds_receipts_first_and_the_rest_goes_next_day(
    smtp_server: SmtpServer, tmp_path: Path
) -> None:
    """With a cap of 3: 3 receipts today, nothing more today, the rest the next local day."""
    quota = SendQuota(daily_cap=3, per_minute=100, tz=TZ)
    with Store.open(tmp_path / "db.sqlite3", tz=TZ) as store:
        queue(store, "reminder", 2, EVENING)
        queue(store, "receipt", 4, EVENING)
        first = send(store, smtp_server, EVENING, quota)
        later = send(store, smtp_server, EVENING + timedelta(hours=3, minutes=59), quota)
        assert sent_to(smtp_server) == [f"receipt{n}@example.test" for n in range(3)]
        assert (first.counts["held"], later.counts["sent"], store.outbox_waiting()) == (
            3,
            0,
            {"receipt": 1, "reminder": 2},
        )
        next_day = send(store, smtp_server, EVENING + timedelta(hours=4), quota)
    assert next_day.counts["sent"] == 3
    assert sent_to(smtp_server)[3:] == [
        "receipt3@example.test",
        "reminder0@example.test",
        "reminder1@example.test",
    ]


@pytest.mark.servers
def test_summary_and_alert_still_go_when_capped(smtp_server: SmtpServer, tmp_path: Path) -> None:
    """Office mail is exempt: after the cap, the summary and an alert are sent, receipts wait."""
    quota = SendQuota(daily_cap=1, per_minute=100, tz=TZ)
    with Store.open(tmp_path / "db.sqlite3", tz=TZ) as store:
        queue(store, "receipt", 3, EVENING)
        send(store, smtp_server, EVENING, quota)
        queue(store, "summary", 1, EVENING)
        queue(store, "alert", 1, EVENING)
        send(store, smtp_server, EVENING, quota)
        assert store.outbox_waiting() == {"receipt": 2}
    assert sent_to(smtp_server) == [
        "receipt0@example.test",
        "alert0@example.test",
        "summary0@example.test",
    ]


@pytest.mark.servers
def test_pace_spreads_a_burst_over_minutes(smtp_server: SmtpServer, tmp_path: Path) -> None:
    """12 mails at 5 per minute: two waits, the sends fall in three separate minutes."""
    quota = SendQuota(daily_cap=400, per_minute=5, tz=TZ)
    fake = FakeTime()
    with Store.open(tmp_path / "db.sqlite3", tz=TZ) as store:
        queue(store, "receipt", 12, EVENING)
        mailer = SmtpMailer(smtp_server.host, smtp_server.port, "none", timeout_s=10)
        report = PollReport()
        deliver(
            store, mailer, lambda: EVENING, report, quota=quota, pacer=Pacer(fake.sleep, fake.now)
        )
    assert (report.counts["sent"], len(fake.sleeps)) == (12, 2)
    assert fake.sleeps == [60.0, 60.0]


@given(
    per_minute=st.integers(min_value=1, max_value=10),
    gaps=st.lists(st.floats(min_value=0, max_value=30), min_size=1, max_size=60),
)
def test_pacer_never_lets_more_than_per_minute_into_any_minute(
    per_minute: int, gaps: list[float]
) -> None:
    """Whatever the gaps between requests, no 60 s window holds more than per_minute sends."""
    fake = FakeTime()
    pacer = Pacer(fake.sleep, fake.now)
    times = []
    for gap in gaps:
        fake.t += gap
        pacer.wait(per_minute)
        times.append(fake.t)
    for i, start in enumerate(times):
        assert sum(1 for t in times[i:] if t < start + 60) <= per_minute


def test_day_starts_at_local_midnight() -> None:
    """17:30 UTC is already the next day in Hà Nội time (UTC+7)."""
    quota = SendQuota(tz=TZ)
    start = quota.day_start(datetime(2021, 10, 12, 17, 30, tzinfo=UTC))
    assert start == datetime(2021, 10, 13, 0, 0, tzinfo=TZ)


def test_summary_tells_the_office_what_waits() -> None:
    """The summary's text and HTML say how many receipts and reminders wait to be sent."""
    msg = compose_summary(
        sample_rollup(),
        b"xlsx",
        to_addrs=["vanphong@example.org"],
        from_addr="phonggd@example.org",
        from_name="Phòng GD&ĐT",
        message_id="<s@example.org>",
        waiting={"reminder": 3, "receipt": 12},
    )
    text = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
    line = "Thư đang chờ gửi: 12 biên nhận, 3 thư nhắc"
    assert line in text and line in html
    assert waiting_text({}) == ""
