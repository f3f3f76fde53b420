"""The daemon behind `mailbot run`: poll on an interval, the daily summary, the reminders.

Owns the schedule (APScheduler 3 in the campaign timezone), the catch-up of a daily job that a
restart missed, the daemon lock, the signal handling, running each job in a child process
with a hard time limit, and telling systemd it is ready and alive (`runtime.watchdog`). Must
not hold the jobs' logic (`wiring.run_poll`, `office.jobs`) nor touch the mailbox, the SMTP
server or the database beyond the lock and the start check.

Hung jobs: each run is a fresh `spawn`ed child in its own process group. A poll stuck on a
dead socket, a wedged parser worker or LibreOffice is killed with its whole group after its
time limit, and the next run starts clean. This is safe because the pipeline is crash-safe by
design (a claimed message is retried from the archive, flocks die with their holder, SQLite
rolls back), and it never leaves the daemon itself holding a stuck socket or thread.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    JobEvent,
    JobExecutionEvent,
)
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from mailbot.config import Config
from mailbot.errors import JobError
from mailbot.runtime import watchdog as wd
from mailbot.runtime.childjob import STOP_GRACE_S, one_line, run_in_child
from mailbot.runtime.mail_watch import PollKicker, watch_config
from mailbot.runtime.watchdog import Heartbeat, Watchdog, notify, watchdog_period
from mailbot.runtime.wiring import open_mailer, open_store, system_clock

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
Job = Callable[[datetime], object]

# A daily job missed by a restart or a stall still runs if we are back within this long.
DAILY_GRACE = timedelta(hours=6)
POLL_TIMEOUT_S = 20 * 60.0  # worst case: a full batch of slow files, each under its own limit
DAILY_TIMEOUT_S = 10 * 60.0


@dataclass(frozen=True)
class Jobs:
    """The daemon's three jobs; each is called with the moment it runs for."""

    poll: Job
    summary: Job
    reminders: Job


@dataclass(frozen=True)
class Timing:
    """When the jobs run: the poll interval and the two daily times, in campaign time."""

    tz: ZoneInfo
    poll_every: timedelta
    summary_at: time
    reminder_at: time
    grace: timedelta = DAILY_GRACE


def timing(cfg: Config, interval_seconds: float | None = None) -> Timing:
    """The schedule of a config; `interval_seconds` overrides the poll interval (tests)."""
    every = (
        cfg.schedule.poll_interval_minutes * 60.0 if interval_seconds is None else interval_seconds
    )
    return Timing(
        tz=cfg.campaign.timezone,
        poll_every=timedelta(seconds=every),
        summary_at=cfg.schedule.summary_at,
        reminder_at=cfg.schedule.reminder_at,
    )


# --- triggers and catch-up (pure) -------------------------------------------------------


def poll_trigger(t: Timing) -> IntervalTrigger:
    """Every `poll_every`, in the campaign timezone."""
    return IntervalTrigger(seconds=t.poll_every.total_seconds(), timezone=t.tz)


def daily_trigger(at: time, tz: ZoneInfo) -> CronTrigger:
    """Every day at `at`, wall-clock time in `tz`."""
    return CronTrigger(hour=at.hour, minute=at.minute, second=0, timezone=tz)


def last_due(at: time, tz: ZoneInfo, now: datetime) -> datetime:
    """The latest moment at or before `now` when a daily job at `at` was due."""
    local = now.astimezone(tz)
    due = datetime.combine(local.date(), at, tzinfo=tz)
    if due > local:
        due = datetime.combine(local.date() - timedelta(days=1), at, tzinfo=tz)
    return due


def summary_missed(t: Timing, last_summary_day: date | None, now: datetime) -> bool:
    """True when the last due summary was not queued and we are still within the grace."""
    due = last_due(t.summary_at, t.tz, now)
    if now - due > t.grace:
        return False
    return last_summary_day is None or last_summary_day < due.date()


def reminders_missed(t: Timing, now: datetime) -> bool:
    """True when reminders fell due within the grace (queueing them again is a no-op)."""
    return now - last_due(t.reminder_at, t.tz, now) <= t.grace


def catch_up(t: Timing, last_summary_day: date | None, now: datetime) -> list[str]:
    """The daily jobs a restart at `now` must run at once: "summary", "reminders"."""
    missed = []
    if summary_missed(t, last_summary_day, now):
        missed.append("summary")
    if reminders_missed(t, now):
        missed.append("reminders")
    return missed


# --- the scheduler ----------------------------------------------------------------------


def build_scheduler(
    t: Timing,
    jobs: Jobs,
    clock: Clock,
    missed: Sequence[str] = (),
    scheduler: BaseScheduler | None = None,
) -> BaseScheduler:
    """A scheduler (not started) with the poll, both daily jobs, catch-ups and the logging."""
    sched = scheduler or BackgroundScheduler(timezone=t.tz)
    grace_s = int(t.grace.total_seconds())
    common = {"max_instances": 1, "coalesce": True}
    triggers: dict[str, BaseTrigger] = {
        "poll": poll_trigger(t),
        "summary": daily_trigger(t.summary_at, t.tz),
        "reminders": daily_trigger(t.reminder_at, t.tz),
    }
    sched.add_job(
        _at_now(jobs.poll, clock),
        triggers["poll"],
        id="poll",
        name="poll",
        # The first poll at once; a run late by more than an interval is dropped (the next
        # one reads the same mail).
        next_run_time=datetime.now(t.tz),
        misfire_grace_time=max(1, int(t.poll_every.total_seconds())),
        **common,
    )
    daily = {"summary": jobs.summary, "reminders": jobs.reminders}
    for name, job in daily.items():
        sched.add_job(
            _at_now(job, clock),
            triggers[name],
            id=name,
            name=name,
            misfire_grace_time=grace_s,
            **common,
        )
    for name in missed:
        sched.add_job(
            _at_now(daily[name], clock),
            "date",
            run_date=datetime.now(t.tz),
            id=f"{name}-catch-up",
            name=f"{name} (catch-up)",
            misfire_grace_time=grace_s,
        )
    sched.add_listener(
        _listener(triggers, t.tz),
        EVENT_JOB_ERROR | EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES | EVENT_JOB_EXECUTED,
    )
    return sched


def _at_now(job: Job, clock: Clock) -> Callable[[], object]:
    def run() -> object:
        return job(clock())

    return run


def _listener(triggers: dict[str, BaseTrigger], tz: ZoneInfo) -> Callable[[JobEvent], None]:
    # The next run comes from the trigger itself: asking the scheduler (get_job) from a
    # listener deadlocks with shutdown(wait=True), which holds the job store lock meanwhile.
    def listen(event: JobEvent) -> None:
        due = getattr(event, "scheduled_run_time", None)
        if due is None:
            due = (getattr(event, "scheduled_run_times", None) or [None])[0]
        trigger = triggers.get(event.job_id)
        following = trigger.get_next_fire_time(due, datetime.now(tz)) if trigger else None
        upcoming = f"; next run {following:%Y-%m-%d %H:%M:%S %z}" if following else ""
        if event.code == EVENT_JOB_ERROR:
            exc = getattr(event, "exception", None)
            log.error("job %s failed: %s%s", event.job_id, one_line(exc), upcoming)
            if not isinstance(exc, JobError):  # an in-process job: keep its traceback
                log.debug("%s", getattr(event, "traceback", ""))
        elif event.code == EVENT_JOB_MISSED:
            log.warning("job %s missed its run due at %s%s", event.job_id, due, upcoming)
        elif event.code == EVENT_JOB_MAX_INSTANCES:
            log.warning(
                "job %s still running; the run due at %s is skipped%s", event.job_id, due, upcoming
            )
        elif isinstance(event, JobExecutionEvent):
            log.info("job %s done%s", event.job_id, upcoming)

    return listen


# --- jobs in child processes ------------------------------------------------------------


def poll_once(cfg: Config, offset: timedelta) -> None:
    """One poll cycle (child process), on the system clock moved by `offset`."""
    from mailbot.runtime.poll_health import watched_poll  # a poll gap alerts the office
    from mailbot.runtime.resilience import guarded_poll  # retries; alerts the office when permanent

    clock = lambda: system_clock() + offset  # noqa: E731
    report = watched_poll(cfg, clock, lambda: guarded_poll(cfg, clock=clock))
    counts = ", ".join(f"{k}={v}" for k, v in sorted(report.counts.items())) or "nothing new"
    log.info("poll done: %s", counts)


def summary_once(cfg: Config, now: datetime) -> None:
    """Queue today's summary (once per day) and send the outbox (child process)."""
    from mailbot.office.jobs import send_summary

    with open_store(cfg) as store:
        queued, report = send_summary(cfg, store, open_mailer(cfg), now)
    log.info("summary %s; %s", "queued" if queued else "already queued today", report.counts)


def reminders_once(cfg: Config, now: datetime) -> None:
    """Queue today's reminders; the next poll sends them (child process)."""
    from mailbot.office.jobs import queue_reminders

    with open_store(cfg) as store:
        queued = queue_reminders(cfg, store, now)
    log.info("reminders queued: %s", ", ".join(queued) or "none")


def child_jobs(
    cfg: Config,
    offset: timedelta,
    stopping: threading.Event,
    poll_timeout_s: float = POLL_TIMEOUT_S,
    daily_timeout_s: float = DAILY_TIMEOUT_S,
    stop_grace_s: float = STOP_GRACE_S,
) -> Jobs:
    """The real jobs, each run in a child process with its time limit."""

    def child(target: Callable[..., object], name: str, timeout_s: float) -> Job:
        def job(now: datetime) -> None:
            arg = offset if target is poll_once else now
            run_in_child(
                target,
                (cfg, arg),
                name=name,
                timeout_s=timeout_s,
                stopping=stopping,
                stop_grace_s=stop_grace_s,
            )

        return job

    return Jobs(
        poll=child(poll_once, "poll", poll_timeout_s),
        summary=child(summary_once, "summary", daily_timeout_s),
        reminders=child(reminders_once, "reminders", daily_timeout_s),
    )


# --- the daemon -------------------------------------------------------------------------


def run(
    cfg: Config,
    *,
    interval_seconds: float | None = None,
    clock_offset: timedelta = timedelta(0),
    jobs: Jobs | None = None,
    stop: threading.Event | None = None,
    poll_timeout_s: float = POLL_TIMEOUT_S,
    stop_grace_s: float = STOP_GRACE_S,
    beside: Callable[[], Callable[[], None]] | None = None,
) -> int:
    """Run the daemon until SIGTERM/SIGINT (or `stop` is set); LockedError if one runs already.

    `clock_offset` moves the jobs' `now` and the start-up catch-up (tests, not the triggers);
    `jobs` replaces the child-process jobs (tests). `beside` starts a service that runs next
    to the scheduler (the console) and returns how to stop it; its failure is only logged.
    """
    stop = stop or threading.Event()
    clock: Clock = lambda: system_clock() + clock_offset  # noqa: E731
    t = timing(cfg, interval_seconds)
    jobs = jobs or child_jobs(
        cfg, clock_offset, stop, poll_timeout_s=poll_timeout_s, stop_grace_s=stop_grace_s
    )
    # APScheduler's own lines would repeat what the listener says, less precisely.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    logging.getLogger("apscheduler.executors").setLevel(logging.CRITICAL)
    heartbeat = Heartbeat()  # systemd's watchdog is fed while polls keep coming and ending
    every_s = t.poll_every.total_seconds()
    dog = Watchdog(heartbeat, watchdog_period(), 2 * every_s + wd.MARGIN_S,
                   poll_timeout_s + stop_grace_s + wd.MARGIN_S)  # fmt: skip
    with open_store(cfg) as store, store.daemon_lock(f"mailbot run (pid {os.getpid()})"):
        last = store.last_summary()
        now = clock()
        missed = catch_up(t, last.day if last else None, now)
        # IMAP IDLE: new mail runs the poll at once.
        kicker = PollKicker(heartbeat.around(jobs.poll), t.tz)
        sched = build_scheduler(t, replace(jobs, poll=kicker.job), clock, missed)
        kicker.scheduler = sched
        _handle_signals(stop)
        sched.start()
        watcher = watch_config(cfg, kicker)
        stop_beside = _start_beside(beside) if beside is not None else None
        log.info(
            "daemon started: poll every %gs, summary at %s, reminders at %s (%s)",
            t.poll_every.total_seconds(),
            t.summary_at.strftime("%H:%M"),
            t.reminder_at.strftime("%H:%M"),
            t.tz.key,
        )
        for name in missed:
            log.info("%s was due while the daemon was down: running it now", name)
        notify("READY=1")
        try:
            while not stop.wait(0.5):
                dog.tick()
        finally:
            log.info("stopping after the running job (if any)")
            notify("STOPPING=1")
            stop.set()
            if watcher is not None:
                watcher.stop()
            if stop_beside is not None:
                stop_beside()
            kicker.detach()
            sched.shutdown(wait=True)
    log.info("daemon stopped")
    return 0


def _start_beside(start: Callable[[], Callable[[], None]]) -> Callable[[], None] | None:
    """Start a side service; one that cannot start is logged and never stops the polls."""
    try:
        return start()
    except Exception as exc:  # e.g. the console's bind rule: the daemon goes on polling
        log.error("not started beside the daemon: %s", exc)
        return None


def _handle_signals(stop: threading.Event) -> None:
    """SIGTERM and SIGINT set `stop` (only possible from the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        return

    def handler(signum: int, _frame: object) -> None:
        log.info("%s received", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
