"""The daemon: triggers and start-up catch-up with an injected now, the scheduler with injected
jobs, jobs in child processes with hard limits, and `mailbot run` against real servers."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time as clock_time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mailbot.config import Config
from mailbot.errors import JobError, LockedError
from mailbot.office.jobs import queue_summary
from mailbot.runtime.childjob import STOP_GRACE_S, run_in_child
from mailbot.runtime.daemon import (
    Jobs,
    Timing,
    catch_up,
    daily_trigger,
    last_due,
    poll_trigger,
    run,
    summary_missed,
)
from mailbot.runtime.demo import demo_config
from mailbot.runtime.wiring import open_store, system_clock
from tests.support.daemon_jobs import fail, hang_with_a_worker
from tests.support.mailshapes import report_email
from tests.support.pipeline_env import OFFICE, PipelineEnv, config_mapping, file_bytes, report_file
from tests.support.servers import Dovecot, SmtpServer

ICT = ZoneInfo("Asia/Ho_Chi_Minh")
TIMING = Timing(tz=ICT, poll_every=timedelta(minutes=5), summary_at=time(17), reminder_at=time(8))
MG = "ubnd.muonggiang@example.test"
ROOT = Path(__file__).resolve().parent.parent


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in October 2021, campaign time."""
    return datetime(2021, 10, day, hour, minute, tzinfo=ICT)


# --- triggers -----------------------------------------------------------------------------


def test_the_summary_fires_today_at_its_time_before_it() -> None:
    """At 16:00 the next summary is today at 17:00, campaign time."""
    trigger = daily_trigger(time(17), ICT)
    assert trigger.get_next_fire_time(None, at(14, 16)) == at(14, 17)


def test_the_summary_fires_tomorrow_after_its_time() -> None:
    """At 17:05 the next summary is tomorrow at 17:00."""
    trigger = daily_trigger(time(17), ICT)
    assert trigger.get_next_fire_time(None, at(14, 17, 5)) == at(15, 17)


def test_the_daily_time_is_read_in_the_campaign_timezone() -> None:
    """From a UTC clock, 17:00 in Asia/Ho_Chi_Minh is 10:00 UTC."""
    trigger = daily_trigger(time(17), ICT)
    now = datetime(2021, 10, 14, 9, 30, tzinfo=UTC)
    assert trigger.get_next_fire_time(None, now) == datetime(2021, 10, 14, 10, 0, tzinfo=UTC)


def test_polls_follow_each_other_by_the_interval() -> None:
    """After a poll at 10:00 the next one is at 10:05."""
    trigger = poll_trigger(TIMING)
    assert trigger.get_next_fire_time(at(14, 10), at(14, 10, 1)) == at(14, 10, 5)


# --- catch-up after a restart ---------------------------------------------------------------


def test_a_restart_at_17_05_catches_up_todays_summary() -> None:
    """No summary queued today and it is five minutes past summary time: run it now."""
    assert catch_up(TIMING, date(2021, 10, 13), at(14, 17, 5)) == ["summary"]


def test_a_restart_after_todays_summary_does_not_repeat_it() -> None:
    """Today's summary already queued: nothing to catch up."""
    assert catch_up(TIMING, date(2021, 10, 14), at(14, 17, 5)) == []


def test_a_restart_before_summary_time_waits_for_the_trigger() -> None:
    """At 16:59 yesterday's summary is long past its grace and today's is not due."""
    assert catch_up(TIMING, date(2021, 10, 12), at(14, 16, 59)) == []


def test_a_summary_missed_by_more_than_the_grace_is_dropped() -> None:
    """At 23:30 (6.5 hours late) today's missed summary is left to tomorrow."""
    assert catch_up(TIMING, None, at(14, 23, 30)) == []


def test_reminders_missed_this_morning_are_queued_at_a_restart() -> None:
    """At 09:00 the 08:00 reminders are within the grace (queueing twice is a no-op)."""
    assert catch_up(TIMING, date(2021, 10, 13), at(14, 9)) == ["reminders"]


def test_a_summary_due_before_midnight_is_caught_up_after_it() -> None:
    """Summary at 23:00; a restart at 01:00 runs the one of the day before."""
    late = Timing(ICT, timedelta(minutes=5), summary_at=time(23), reminder_at=time(8))
    assert last_due(time(23), ICT, at(15, 1)) == at(14, 23)
    assert summary_missed(late, date(2021, 10, 13), at(15, 1))


@given(
    st.datetimes(min_value=datetime(2021, 1, 1), max_value=datetime(2023, 1, 1)),
    st.times(),
)
def test_a_caught_up_summary_is_never_due_again_the_same_day(naive: datetime, at_: time) -> None:
    """Once the day of the last due summary is recorded, no catch-up runs it again."""
    now = naive.replace(tzinfo=ICT)
    t = Timing(ICT, timedelta(minutes=5), summary_at=at_, reminder_at=time(8))
    due = last_due(at_, ICT, now)
    assert due <= now < due + timedelta(days=1)
    if summary_missed(t, None, now):
        assert now - due <= t.grace
        assert not summary_missed(t, due.date(), now)


# --- the scheduler with injected jobs -----------------------------------------------------------


@dataclass
class Recorder:
    """Injected jobs that record the moment each call was made for."""

    calls: dict[str, list[datetime]] = field(
        default_factory=lambda: {"poll": [], "summary": [], "reminders": []}
    )
    fail_first_poll: bool = False
    poll_seconds: float = 0.0

    def jobs(self) -> Jobs:
        """The three jobs."""
        return Jobs(
            poll=self._poll,
            summary=lambda now: self.calls["summary"].append(now),
            reminders=lambda now: self.calls["reminders"].append(now),
        )

    def _poll(self, now: datetime) -> None:
        self.calls["poll"].append(now)
        if self.fail_first_poll and len(self.calls["poll"]) == 1:
            raise ValueError("IMAP went away")
        clock_time.sleep(self.poll_seconds)


@dataclass
class Daemon:
    """`run()` on a thread with injected jobs; stop() sets its stop event and joins."""

    thread: threading.Thread
    stop_event: threading.Event
    errors: list[BaseException]

    def stop(self) -> None:
        """Stop the daemon and wait for it."""
        self.stop_event.set()
        self.thread.join(10)
        assert not self.thread.is_alive()


@pytest.fixture
def cfg(tmp_path: Path) -> Config:
    """The demo's config, rooted in a temporary folder (no server needed for injected jobs)."""
    return demo_config(tmp_path)


@pytest.fixture
def start_daemon(cfg: Config) -> Iterator:
    """Start `run(cfg, ...)` on a thread; every daemon started is stopped at teardown."""
    started: list[Daemon] = []

    def start(recorder: Recorder, **kw: object) -> Daemon:
        stop = threading.Event()
        errors: list[BaseException] = []

        def target() -> None:
            try:
                run(cfg, jobs=recorder.jobs(), stop=stop, **kw)  # type: ignore[arg-type]
            except BaseException as exc:
                errors.append(exc)

        thread = threading.Thread(target=target, daemon=True)
        thread.start()
        daemon = Daemon(thread, stop, errors)
        started.append(daemon)
        return daemon

    yield start
    for daemon in started:
        daemon.stop()


def wait_until(condition, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    """Poll `condition` until it holds; fail after `timeout` seconds."""
    deadline = clock_time.monotonic() + timeout
    while not condition():
        assert clock_time.monotonic() < deadline, "timed out"
        clock_time.sleep(0.05)


def offset_to(moment: datetime) -> timedelta:
    """The clock offset that makes now = `moment`."""
    return moment - system_clock()


def test_the_poll_job_runs_at_once_and_then_every_interval(start_daemon) -> None:  # type: ignore[no-untyped-def]
    """With a 0.2 s interval the poll runs at start and keeps running."""
    recorder = Recorder()
    start_daemon(recorder, interval_seconds=0.2)
    wait_until(lambda: len(recorder.calls["poll"]) >= 4, timeout=5)


def test_a_restart_at_17_05_runs_todays_summary_once(start_daemon) -> None:  # type: ignore[no-untyped-def]
    """The daemon started at 17:05 with no summary today runs the summary job once, for now."""
    recorder = Recorder()
    start_daemon(recorder, clock_offset=offset_to(at(14, 17, 5)))
    wait_until(lambda: recorder.calls["summary"])
    clock_time.sleep(0.3)
    [moment] = recorder.calls["summary"]
    assert at(14, 17, 5) <= moment < at(14, 17, 6)


def test_a_restart_after_todays_summary_runs_none(cfg: Config, start_daemon) -> None:  # type: ignore[no-untyped-def]
    """Today's summary is in the store: a restart at 17:05 polls but sends no summary."""
    with open_store(cfg) as store:
        queue_summary(cfg, store, at(14, 17))
    recorder = Recorder()
    daemon = start_daemon(recorder, interval_seconds=0.1, clock_offset=offset_to(at(14, 17, 5)))
    wait_until(lambda: len(recorder.calls["poll"]) >= 3)
    daemon.stop()
    assert recorder.calls["summary"] == []


def test_a_failing_job_is_logged_and_runs_again(start_daemon, caplog) -> None:  # type: ignore[no-untyped-def]
    """A poll that raises is logged with its error, and the next polls still run."""
    caplog.set_level(logging.INFO, logger="mailbot.runtime.daemon")
    recorder = Recorder(fail_first_poll=True)
    start_daemon(recorder, interval_seconds=0.2)
    wait_until(lambda: len(recorder.calls["poll"]) >= 3)
    failed = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert failed and "job poll failed: ValueError: IMAP went away" in failed[0].getMessage()


def test_an_overrunning_poll_skips_runs_and_says_so(start_daemon, caplog) -> None:  # type: ignore[no-untyped-def]
    """A poll longer than the interval is not started twice; the skipped run is logged."""
    caplog.set_level(logging.INFO, logger="mailbot.runtime.daemon")
    recorder = Recorder(poll_seconds=1.5)
    start_daemon(recorder, interval_seconds=0.2)
    wait_until(lambda: any("still running" in r.getMessage() for r in caplog.records))
    assert len(recorder.calls["poll"]) == 1


def test_a_second_daemon_on_the_same_database_refuses_to_start(
    cfg: Config,
    start_daemon,  # type: ignore[no-untyped-def]
) -> None:
    """While one daemon runs, run() on the same database raises LockedError."""
    recorder = Recorder()
    start_daemon(recorder)
    wait_until(lambda: recorder.calls["poll"])
    with pytest.raises(LockedError, match="another daemon is running"):
        run(cfg, jobs=Recorder().jobs(), stop=threading.Event())


# --- jobs in child processes -------------------------------------------------------------------


def alive(pid: int) -> bool:
    """True when `pid` is a live (not zombie) process."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


def test_a_hung_job_is_killed_with_its_workers_after_its_limit(tmp_path: Path) -> None:
    """A child past its time limit is killed with its process group and JobError raised."""
    pid_file = tmp_path / "worker.pid"
    started = clock_time.monotonic()
    with pytest.raises(JobError, match="ran over its limit of 2 s"):
        run_in_child(
            hang_with_a_worker,
            (str(pid_file),),
            name="poll",
            timeout_s=2,
            stopping=threading.Event(),
        )
    assert clock_time.monotonic() - started < 10
    worker = int(pid_file.read_text())
    wait_until(lambda: not alive(worker), timeout=5)


def test_a_failing_child_job_raises_job_error() -> None:
    """A child whose job raises ends in JobError naming the exit code."""
    with pytest.raises(JobError, match="exit code 1"):
        run_in_child(fail, (), name="summary", timeout_s=30, stopping=threading.Event())


def test_stopping_kills_a_running_job_after_the_stop_grace(tmp_path: Path) -> None:
    """When the daemon stops, a job still running after the stop grace is killed."""
    stopping = threading.Event()
    stopping.set()
    started = clock_time.monotonic()
    with pytest.raises(JobError, match="after stop"):
        run_in_child(
            hang_with_a_worker,
            (str(tmp_path / "w.pid"),),
            name="poll",
            timeout_s=60,
            stopping=stopping,
            stop_grace_s=1,
        )
    assert clock_time.monotonic() - started < 10


# --- `mailbot run` against real servers -------------------------------------------------------


def toml_text(data: dict) -> str:
    """The config mapping as TOML (strings, numbers, booleans, lists, tables, [[units]])."""

    def value(v: object) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int | float):
            return str(v)
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = []
    for section, table in data.items():
        for row in table if isinstance(table, list) else [table]:
            lines.append(f"[[{section}]]" if isinstance(table, list) else f"[{section}]")
            lines += [f"{k} = {value(v)}" for k, v in row.items()]
            lines.append("")
    return "\n".join(lines)


@dataclass
class DaemonProcess:
    """`python -m mailbot run` as a subprocess, its log in a file."""

    proc: subprocess.Popen
    log: Path

    def text(self) -> str:
        """Everything logged so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, needle: str, timeout: float = 30) -> None:
        """Wait until the log holds `needle`."""
        wait_until(lambda: needle in self.text() or self.proc.poll() is not None, timeout)
        assert needle in self.text(), self.text()

    def terminate(self) -> float:
        """SIGTERM; the seconds until the process exited.

        Waits as long as the daemon may take by design (a running job gets STOP_GRACE_S, then
        its group is killed); callers assert the figure they promise.
        """
        started = clock_time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(STOP_GRACE_S + 30)
        return clock_time.monotonic() - started


@pytest.fixture
def daemon_env(dovecot: Dovecot, smtp_server: SmtpServer, tmp_path: Path) -> PipelineEnv:
    """Servers, a config file at tmp/config.toml and the password in the environment."""
    os.environ["MAILBOT_TEST_IMAP_PASSWORD"] = dovecot.password
    data = config_mapping(dovecot, smtp_server, tmp_path)
    (tmp_path / "config.toml").write_text(toml_text(data), encoding="utf-8")
    return PipelineEnv(dovecot, smtp_server, tmp_path)


QUIET_MORNING = "2021-10-12T06:30:00+07:00"


@pytest.fixture
def spawn(daemon_env: PipelineEnv) -> Iterator:
    """Start `mailbot run` subprocesses on the test config; all are killed at teardown."""
    procs: list[DaemonProcess] = []

    def start(*extra: str, name: str = "daemon") -> DaemonProcess:
        log = daemon_env.tmp / f"{name}-{len(procs)}.log"
        args = [sys.executable, "-m", "mailbot", "run", "-c", str(daemon_env.tmp / "config.toml")]
        if "--now" not in extra:
            # An early-morning clock: no daily job falls due by accident of the real time of day.
            extra = ("--now", QUIET_MORNING, *extra)
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [*args, "--interval-seconds", "1", *extra],
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
            )
        procs.append(DaemonProcess(proc, log))
        return procs[-1]

    yield start
    for p in procs:
        if p.proc.poll() is None:
            p.proc.kill()
            p.proc.wait()


def subjects(env: PipelineEnv) -> list[str]:
    """The subjects of every mail the SMTP server received."""
    parser = BytesParser(policy=policy.default)
    return [str(parser.parsebytes(m.data)["Subject"]) for m in env.smtp.messages]


@pytest.mark.servers
def test_the_running_daemon_books_a_delivered_report_and_answers_it(
    daemon_env: PipelineEnv,
    spawn,  # type: ignore[no-untyped-def]
) -> None:
    """A report delivered while the daemon runs is booked and its receipt sent."""
    daemon = spawn()
    daemon.wait_for("daemon started")
    form = report_file("mg", "xlsx", unit_index=0)
    daemon_env.deliver(report_email(MG, OFFICE, attachments=[("bc.xlsx", file_bytes(form))]))
    wait_until(lambda: len(daemon_env.smtp.messages) >= 1, timeout=30)
    assert [r.rcpt_tos for r in daemon_env.smtp.messages] == [(MG,)]
    with daemon_env.store() as store:
        assert {s.unit_code: s.values for s in store.latest_submissions()} == {
            "xa-muong-giang": form.values
        }


@pytest.mark.servers
def test_the_daemon_exits_within_5_s_of_sigterm(spawn) -> None:  # type: ignore[no-untyped-def]
    """Idle between polls, the daemon exits cleanly within 5 seconds of SIGTERM."""
    daemon = spawn()
    daemon.wait_for("job poll done")
    assert daemon.terminate() < 5
    assert daemon.proc.returncode == 0
    assert "daemon stopped" in daemon.text()


@pytest.mark.servers
def test_a_second_daemon_refuses_to_start_with_one_line(spawn) -> None:  # type: ignore[no-untyped-def]
    """A second `mailbot run` on the same database prints one line and exits 1."""
    first = spawn()
    first.wait_for("daemon started")
    second = spawn(name="second")
    assert second.proc.wait(30) == 1
    [line] = second.text().splitlines()
    assert line.startswith("mailbot: another daemon is running")


@pytest.mark.servers
def test_a_restart_at_17_05_sends_todays_summary_once(
    daemon_env: PipelineEnv,
    spawn,  # type: ignore[no-untyped-def]
) -> None:
    """Started at 17:05 (injected) the daemon sends today's summary; a restart sends no other."""
    now = "2021-10-14T17:05:00+07:00"
    first = spawn("--now", now)
    wait_until(lambda: any(s.startswith("Tổng hợp") for s in subjects(daemon_env)), timeout=30)
    first.terminate()
    second = spawn("--now", now)
    second.wait_for("job poll done")
    assert "summary was due" not in second.text()
    assert second.terminate() < 5
    assert sum(s.startswith("Tổng hợp") for s in subjects(daemon_env)) == 1
    with daemon_env.store() as store:
        last = store.last_summary()
    assert last is not None and last.day == date(2021, 10, 14)
