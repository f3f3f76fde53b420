"""The last successful poll is recorded and shown (`mailbot check`, the summary); a gap of more
than 3 poll intervals alerts the office once a day, while failing and when reading resumes.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest

from mailbot.cycle import PollReport
from mailbot.errors import SourceError
from mailbot.office.jobs import summary_mail
from mailbot.runtime.check import last_poll_check
from mailbot.runtime.poll_health import poll_gap, vn_duration, watched_poll
from mailbot.runtime.wiring import run_poll
from tests.support.pipeline_env import START, PipelineEnv
from tests.support.servers import Dovecot, SmtpServer

EVERY = timedelta(minutes=5)
T0 = datetime(2021, 10, 12, 3, 0, tzinfo=UTC)


def test_no_gap_before_the_first_poll() -> None:
    """A fresh install has nothing to compare with."""
    assert poll_gap(None, T0, EVERY) is None


def test_three_intervals_are_not_yet_a_gap() -> None:
    """Exactly 3 intervals is still normal."""
    assert poll_gap(T0, T0 + 3 * EVERY, EVERY) is None


def test_more_than_three_intervals_is_a_gap() -> None:
    """Past 3 intervals the gap is reported with its length."""
    assert poll_gap(T0, T0 + 3 * EVERY + timedelta(seconds=1), EVERY) == 3 * EVERY + timedelta(
        seconds=1
    )


@pytest.mark.parametrize(
    ("span", "text"),
    [
        (timedelta(minutes=45), "45 phút"),
        (timedelta(hours=5, minutes=20), "5 giờ 20 phút"),
        (timedelta(days=2, hours=3, minutes=9), "2 ngày 3 giờ"),
        (timedelta(seconds=20), "dưới 1 phút"),
    ],
)
def test_durations_read_in_vietnamese(span: timedelta, text: str) -> None:
    """Gaps are told in days, hours and minutes."""
    assert vn_duration(span) == text


# ---- against the real servers ---------------------------------------------------------------


@pytest.fixture
def env(dovecot: Dovecot, smtp_server: SmtpServer, tmp_path: Path) -> PipelineEnv:
    """The pipeline wired to fresh servers, an empty database and a settable clock."""
    os.environ["MAILBOT_TEST_IMAP_PASSWORD"] = dovecot.password
    return PipelineEnv(dovecot, smtp_server, tmp_path)


def alerts(env: PipelineEnv) -> list[EmailMessage]:
    """The alerts the office received (subject and body), in order."""
    return [m for m in env.receipts() if "lanhdao@example.test" in str(m["To"])]


def failing_poll() -> PollReport:
    """A poll that cannot reach the mailbox."""
    raise SourceError("IMAP server 127.0.0.1:143 unreachable: connection refused")


def real_poll(env: PipelineEnv):  # type: ignore[no-untyped-def]
    """The configured poll against the test servers."""
    return lambda: run_poll(env.config, env.clock)


@pytest.mark.servers
def test_a_poll_records_when_it_read_the_mailbox(env: PipelineEnv) -> None:
    """A poll that read the mailbox to the end records its time."""
    env.poll()
    with env.store() as store:
        assert store.last_poll() == START


@pytest.mark.servers
def test_a_failing_poll_does_not_move_the_last_poll(env: PipelineEnv) -> None:
    """A failed poll leaves the last successful time as it was."""
    env.poll()
    env.clock.advance(minutes=5)
    with pytest.raises(SourceError):
        watched_poll(env.config, env.clock, failing_poll)
    with env.store() as store:
        assert store.last_poll() == START


@pytest.mark.servers
def test_polls_failing_for_over_three_intervals_alert_the_office_once_a_day(
    env: PipelineEnv,
) -> None:
    """30 minutes of failures (interval 5): one alert with the error and the fix."""
    env.poll()
    for _ in range(6):  # 30 minutes of failing polls
        env.clock.advance(minutes=5)
        with pytest.raises(SourceError):
            watched_poll(env.config, env.clock, failing_poll)
    [alert] = alerts(env)
    assert str(alert["Subject"]) == "[Cảnh báo] mailbot chưa đọc được hộp thư từ 12/10/2021 10:00"
    body = alert.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "connection refused" in body and "mailbot check" in body


@pytest.mark.servers
def test_failing_polls_within_three_intervals_alert_nobody(env: PipelineEnv) -> None:
    """15 minutes of failures is not yet a gap."""
    env.poll()
    for _ in range(3):
        env.clock.advance(minutes=5)
        with pytest.raises(SourceError):
            watched_poll(env.config, env.clock, failing_poll)
    assert alerts(env) == []


@pytest.mark.servers
def test_reading_resumed_after_a_stop_tells_the_office_how_long_it_was(env: PipelineEnv) -> None:
    """After the machine was off 2 h 15 min, the first poll tells the office."""
    env.poll()
    env.clock.advance(hours=2, minutes=15)  # the machine was off
    watched_poll(env.config, env.clock, real_poll(env))
    [alert] = alerts(env)
    assert str(alert["Subject"]) == (
        "[Cảnh báo] mailbot đã đọc lại hộp thư sau 2 giờ 15 phút gián đoạn"
    )


@pytest.mark.servers
def test_check_shows_the_last_poll_and_fails_after_a_gap(env: PipelineEnv) -> None:
    """`mailbot check` shows the time; after a gap it is a problem with a fix."""
    env.poll()
    cfg = env.config
    fresh = last_poll_check(cfg, START, START + timedelta(minutes=4))
    stale = last_poll_check(cfg, START, START + timedelta(hours=1))
    assert (fresh.ok, fresh.detail) == (True, "12/10/2021 10:00 (4 phút trước)")
    assert (stale.ok, stale.detail) == (
        False, "12/10/2021 10:00 (1 giờ trước): hơn 15 phút không đọc thư"
    )  # fmt: skip


@pytest.mark.servers
def test_the_summary_shows_the_last_poll(env: PipelineEnv) -> None:
    """The daily summary says when the mailbox was last read."""
    env.poll()
    env.clock.advance(hours=8)
    with env.store() as store:
        msg, _ = summary_mail(env.config, store, env.clock())
    text = msg.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "Lần đọc hộp thư thành công gần nhất: 12/10/2021 10:00." in text
