"""`mailbot run` with IMAP IDLE: a report is booked and answered within seconds, not at the next
interval. Real Dovecot, aiosmtpd and the daemon as a subprocess (fixtures of test_daemon).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from mailbot.runtime.mail_watch import PollKicker
from tests.support.mailshapes import report_email
from tests.support.pipeline_env import PipelineEnv, file_bytes, report_file
from tests.test_daemon import MG, OFFICE, daemon_env, spawn, wait_until

__all__ = ["daemon_env", "spawn"]  # fixtures imported from test_daemon


@pytest.mark.servers
def test_daemon_books_new_mail_within_5_s_through_idle(
    daemon_env: PipelineEnv,
    spawn,  # type: ignore[no-untyped-def]
) -> None:
    """With a 10-minute poll interval, a delivered report is booked and answered in under 5 s."""
    daemon = spawn("--interval-seconds", "600")
    daemon.wait_for("job poll done")
    daemon.wait_for("IDLE on INBOX")
    time.sleep(0.5)  # the watcher's own first poll (after connecting) may still be running
    form = report_file("mg", "xlsx", unit_index=0)
    start = time.monotonic()
    daemon_env.deliver(report_email(MG, OFFICE, attachments=[("bc.xlsx", file_bytes(form))]))
    wait_until(lambda: len(daemon_env.smtp.messages) >= 1, timeout=5)
    latency = time.monotonic() - start
    print(f"daemon IDLE latency, APPEND to receipt sent: {latency:.2f} s")
    assert [r.rcpt_tos for r in daemon_env.smtp.messages] == [(MG,)]


class FakeScheduler:
    """Records modify_job calls, as APScheduler's would move the job."""

    def __init__(self) -> None:
        self.moves: list[tuple[str, datetime]] = []

    def modify_job(self, job_id: str, next_run_time: datetime) -> None:
        self.moves.append((job_id, next_run_time))


def test_mail_announced_during_a_poll_runs_one_more_poll() -> None:
    """New mail during a running poll moves the poll job again once that poll has finished."""
    sched = FakeScheduler()
    kicker: PollKicker

    def poll(now: datetime) -> None:
        kicker()  # mail arrives while this poll runs

    kicker = PollKicker(poll, UTC)
    kicker.scheduler = sched
    before = datetime.now(UTC)
    kicker.job(before)
    [(_, during), (job_id, after)] = sched.moves
    assert job_id == "poll" and (after - during).total_seconds() >= 0.9


def test_a_quiet_poll_does_not_reschedule() -> None:
    """A poll with no mail announced meanwhile leaves the schedule alone."""
    sched = FakeScheduler()
    kicker = PollKicker(lambda now: None, UTC)
    kicker.scheduler = sched
    kicker.job(datetime.now(UTC))
    assert sched.moves == []
