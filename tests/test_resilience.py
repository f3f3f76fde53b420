"""Resilience: transient vs permanent failures, backoff with jitter, retried polls, one alert.

Against a real Dovecot (stopped and started, wrong password), real aiosmtpd and the local
OAuth token endpoint; sleeps are recorded, not slept, where the test only needs the schedule.
"""

from __future__ import annotations

import os
import random
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mailbot.config import parse_config
from mailbot.errors import (
    AuthError,
    ConfigError,
    OAuthGrantError,
    SendError,
    SourceError,
    TokenEndpointError,
)
from mailbot.mailbox.imap import ImapSource
from mailbot.oauth import grant_error_message
from mailbot.runtime.mail_watch import IdleWatcher
from mailbot.runtime.resilience import Backoff, alert_office, classify, guarded_poll
from mailbot.store import Store
from tests.support.gmail_servers import dovecot_root, running
from tests.support.mailshapes import report_email
from tests.support.pipeline_env import PipelineEnv, file_bytes, report_file
from tests.support.servers import Dovecot, SmtpServer, dovecot_unavailable_reason
from tests.test_config_auth import with_oauth
from tests.test_oauth_dovecot import NO_AUTH_PENALTY

MG = "ubnd.muonggiang@example.test"
OFFICE_TO = "lanhdao@example.test"  # summary_recipients of the pipeline test config


@dataclass
class QuickRefusalDovecot(Dovecot):
    """The test Dovecot without anvil's seconds-long penalty after a refused login."""

    def configure(self) -> None:
        """The usual setup plus the penalty socket switched off."""
        super().configure()
        conf = self.root / "dovecot.conf"
        conf.write_text(conf.read_text() + NO_AUTH_PENALTY)


@pytest.fixture
def env(smtp_server: SmtpServer, tmp_path: Path) -> Iterator[PipelineEnv]:
    """The pipeline on fresh servers, an empty database and a settable clock."""
    reason = dovecot_unavailable_reason()
    if reason:
        pytest.skip(reason)
    with running(QuickRefusalDovecot(root=dovecot_root("mailbot-dovecot-res-"))) as dovecot:
        os.environ["MAILBOT_TEST_IMAP_PASSWORD"] = dovecot.password
        yield PipelineEnv(dovecot, smtp_server, tmp_path)


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (AuthError("NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)"), "permanent"),
        (AuthError("NO [UNAVAILABLE] Temporary authentication failure"), "transient"),
        (AuthError("NO [THROTTLED] Too many login attempts"), "transient"),
        (OAuthGrantError("invalid_grant"), "permanent"),
        (ConfigError("mailbox.folder is All Mail"), "permanent"),
        (TokenEndpointError("timed out"), "transient"),
        (SourceError("IMAP IDLE failed: socket error: EOF"), "transient"),
        (SourceError("closed the connection (BYE)"), "transient"),
        (SendError("SMTP send failed: 421 try later"), "transient"),
    ],
)
def test_failures_are_classified(exc: Exception, kind: str) -> None:
    """Refused logins and bad config are permanent; network, BYE and throttling are not."""
    assert classify(exc) == kind


@given(attempt=st.integers(min_value=0, max_value=40), seed=st.integers())
def test_backoff_grows_with_jitter_and_is_capped(attempt: int, seed: int) -> None:
    """Each wait lies in [½, 1] of min(cap, base·2^attempt)."""
    backoff = Backoff(base_s=2.0, cap_s=300.0, rng=random.Random(seed))
    ceiling = min(300.0, 2.0 * 2**attempt)
    assert ceiling / 2 <= backoff.delay(attempt) <= ceiling


def test_backoff_waits_differ_between_clients() -> None:
    """Two clients retrying at once do not wait the same time (jitter)."""
    a, b = Backoff(rng=random.Random(1)), Backoff(rng=random.Random(2))
    assert [a.delay(n) for n in range(5)] != [b.delay(n) for n in range(5)]


@pytest.mark.servers
def test_poll_survives_a_server_that_comes_back(env: PipelineEnv) -> None:
    """With Dovecot down, the poll retries with backoff and books the report once it is back."""
    form = report_file("mg", "xlsx", unit_index=0)
    env.deliver(report_email(MG, attachments=[("bc.xlsx", file_bytes(form))]))
    env.dovecot.stop()
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 2:
            env.dovecot.start()

    report = guarded_poll(
        env.config, env.clock, attempts=4, backoff=Backoff(base_s=1.0, cap_s=8.0), sleep=sleep
    )
    assert report.counts["booked"] == 1
    assert len(waits) == 2 and 0.5 <= waits[0] <= 1.0 and 1.0 <= waits[1] <= 2.0


def alerts(env: PipelineEnv) -> list:
    """The alert mails the office received."""
    parser = BytesParser(policy=policy.default)
    got = [parser.parsebytes(m.data) for m in env.smtp.messages if OFFICE_TO in m.rcpt_tos]
    return [m for m in got if str(m["Subject"]).startswith("[Cảnh báo]")]


@pytest.mark.servers
def test_wrong_password_alerts_the_office_once_with_the_fix(env: PipelineEnv) -> None:
    """AUTHENTICATIONFAILED is not retried; three polls on one day send one alert with the fix."""
    os.environ["MAILBOT_TEST_IMAP_PASSWORD"] = "wrong-" + env.dovecot.password
    waits: list[float] = []
    for _ in range(3):
        with pytest.raises(AuthError, match="AUTHENTICATIONFAILED"):
            guarded_poll(env.config, env.clock, sleep=waits.append)
        env.clock.advance(minutes=5)
    [alert] = alerts(env)
    body = alert.get_content()
    assert waits == []
    assert "Mật khẩu ứng dụng" in body and "MAILBOT_TEST_IMAP_PASSWORD" in body
    assert "mailbot check" in body


@pytest.mark.servers
def test_the_alert_comes_again_the_next_day(env: PipelineEnv) -> None:
    """A problem still there the next day gets that day's alert (one per problem and day)."""
    os.environ["MAILBOT_TEST_IMAP_PASSWORD"] = "wrong-" + env.dovecot.password
    for _ in range(2):
        with pytest.raises(AuthError):
            guarded_poll(env.config, env.clock, sleep=lambda s: None)
        env.clock.advance(days=1)
    assert len(alerts(env)) == 2


def test_refused_refresh_token_alert_explains_testing_status(tmp_path: Path) -> None:
    """The invalid_grant alert names auth-gmail and the 7-day expiry of apps in Testing."""
    cfg = parse_config(with_oauth(), tmp_path)
    exc = OAuthGrantError(grant_error_message("invalid_grant: Token has been expired or revoked."))
    now = datetime(2021, 10, 12, 3, 0, tzinfo=UTC)
    with Store.open(tmp_path / "db.sqlite3") as store:
        first = alert_office(store, cfg, exc, now)
        second = alert_office(store, cfg, exc, now)
        [row] = store.pending_outbox(now)
    body = BytesParser(policy=policy.default).parsebytes(row.raw).get_content()
    assert (first is not None, second) == (True, None)
    assert "mailbot auth-gmail" in body and "7 ngày" in body and "Testing" in body


@pytest.mark.servers
def test_idle_watcher_reports_a_refused_login_without_hammering(env: PipelineEnv) -> None:
    """A refused login reaches on_permanent once; the watcher then waits, it does not loop."""
    os.environ["MAILBOT_TEST_IMAP_PASSWORD"] = "wrong-" + env.dovecot.password
    heard: list[Exception] = []
    reported = threading.Event()

    def on_permanent(exc: Exception) -> None:
        heard.append(exc)
        reported.set()

    watcher = IdleWatcher(
        open_source=lambda: ImapSource(
            env.dovecot.host, env.dovecot.port, "none", env.dovecot.user, "wrong", timeout_s=5
        ),
        folder="INBOX",
        on_mail=lambda: None,
        on_permanent=on_permanent,
        permanent_retry_s=30,
    ).start()
    try:
        assert reported.wait(10)
        threading.Event().wait(0.5)
        assert [type(e) for e in heard] == [AuthError]
    finally:
        watcher.stop()
