"""IMAP IDLE: wake the pipeline within seconds of new mail; interval polling stays the fallback.

Owns `wait_for_mail` (IDLE on an open source, renewed every `renew_s` ≤ 10 minutes, far below
the 29-minute limit of RFC 2177 and Gmail, so a half-open connection is found within one round)
and `IdleWatcher`, a thread holding one extra IMAP connection that calls `on_mail()` whenever
the folder announces a message, reconnecting with backoff and jitter. It never books mail: the
callback triggers a normal poll, whose exactly-once rules do the rest. Must not touch the store.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any

from mailbot.config import Config
from mailbot.errors import MailbotError
from mailbot.mailbox.imap import ImapSource
from mailbot.runtime.resilience import Backoff, classify

log = logging.getLogger(__name__)

# Re-issue IDLE this often: detects a silently dead connection and stays under 29 minutes.
IDLE_RENEW_S = 9 * 60.0
# Log out and in again this often, whatever happens: clears server-side session state.
RECONNECT_EVERY_S = 60 * 60.0
# After a permanent failure (refused login), try again this rarely: a person must fix it.
PERMANENT_RETRY_S = 30 * 60.0


def wait_for_mail(
    source: ImapSource,
    timeout_s: float,
    *,
    renew_s: float = IDLE_RENEW_S,
    stop: threading.Event | None = None,
) -> bool:
    """Block until the selected folder announces new mail (True) or `timeout_s` passes (False).

    Without IDLE on the server this just waits out the timeout: the interval poll covers it.
    """
    deadline = time.monotonic() + timeout_s
    if not source.can_idle():
        if stop is not None:
            stop.wait(timeout_s)
        else:
            time.sleep(timeout_s)
        return False
    while not (stop is not None and stop.is_set()):
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        if source.idle_wait(min(renew_s, left), stop=stop):
            return True
    return False


@dataclass
class IdleWatcher:
    """A thread that IDLEs on `folder` and calls `on_mail()` when a message arrives.

    `on_mail` also runs once after every (re)connect, for mail that came while not watching.
    `on_permanent(exc)` hears of failures no retry fixes (refused login, bad folder).
    """

    open_source: Callable[[], ImapSource]
    folder: str
    on_mail: Callable[[], object]
    on_permanent: Callable[[MailbotError], object] = lambda exc: None
    renew_s: float = IDLE_RENEW_S
    reconnect_every_s: float = RECONNECT_EVERY_S
    permanent_retry_s: float = PERMANENT_RETRY_S
    backoff: Backoff = field(default_factory=Backoff)
    stop_event: threading.Event = field(default_factory=threading.Event)
    idling: threading.Event = field(default_factory=threading.Event)
    connects: int = 0
    _thread: threading.Thread | None = None

    def start(self) -> IdleWatcher:
        """Run the watcher in a daemon thread."""
        self._thread = threading.Thread(target=self.run, name="mailbot-idle", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout_s: float = 10.0) -> None:
        """Ask the watcher to end and wait for it (an IDLE round notices within a second)."""
        self.stop_event.set()
        if self._thread is not None:
            self._thread.join(timeout_s)

    def run(self) -> None:
        """Watch until stopped; returns at once when the server has no IDLE (polling only)."""
        failures = 0
        while not self.stop_event.is_set():
            try:
                if not self._session():
                    return
                failures = 0
            except MailbotError as exc:
                self.idling.clear()
                if classify(exc) == "permanent":
                    log.error("IDLE watcher: %s; retrying in %g s", exc, self.permanent_retry_s)
                    self.on_permanent(exc)
                    self.stop_event.wait(self.permanent_retry_s)
                    continue
                wait = self.backoff.delay(failures)
                failures += 1
                log.warning("IDLE connection lost (%s); reconnecting in %.1f s", exc, wait)
                self.stop_event.wait(wait)

    def _session(self) -> bool:
        """One connection: select, catch up, IDLE until the periodic reconnect; False: no IDLE."""
        with self.open_source() as source:
            source.select(self.folder)
            if not source.can_idle():
                log.info("IMAP server has no IDLE: new mail waits for the next poll")
                return False
            self.connects += 1
            log.info("IDLE on %s: new mail is read within seconds", self.folder)
            self._notify()
            until = time.monotonic() + self.reconnect_every_s
            while not self.stop_event.is_set():
                left = until - time.monotonic()
                if left <= 0:
                    break
                self.idling.set()
                if wait_for_mail(source, left, renew_s=self.renew_s, stop=self.stop_event):
                    log.info("new mail announced in %s", self.folder)
                    self._notify()
        self.idling.clear()
        return True

    def _notify(self) -> None:
        # The callback's failures are the poll's business; the watcher keeps watching.
        try:
            self.on_mail()
        except Exception:
            log.exception("IDLE watcher: the new-mail callback failed")


class PollKicker:
    """Runs the scheduler's poll job now when mail is announced, and again if it was busy.

    `job` wraps the poll job: mail announced while a poll runs (which may have listed the
    folder already) makes that poll schedule one more run a second after it ends, since the
    scheduler skips a run while the previous one is still going.
    """

    def __init__(self, poll: Callable[[datetime], object], tz: tzinfo, job_id: str = "poll"):
        self.poll = poll
        self.tz = tz
        self.job_id = job_id
        self.scheduler: Any = None
        self.pending = threading.Event()
        # Held around every scheduler call, so `detach` can guarantee none is in flight.
        self._lock = threading.Lock()

    def job(self, now: datetime) -> object:
        """The poll job, as the scheduler runs it."""
        self.pending.clear()
        try:
            return self.poll(now)
        finally:
            if self.pending.is_set():
                self.kick(delay_s=1.0)

    def __call__(self) -> None:
        """New mail: run the poll job as soon as possible (the watcher's `on_mail`)."""
        self.pending.set()
        self.kick()

    def kick(self, delay_s: float = 0.0) -> None:
        """Move the poll job's next run to now (+ `delay_s`)."""
        with self._lock:
            if self.scheduler is None:
                return
            when = datetime.now(self.tz) + timedelta(seconds=delay_s)
            try:
                self.scheduler.modify_job(self.job_id, next_run_time=when)
            except Exception:  # the scheduler is shutting down: the next start polls anyway
                log.debug("could not move the poll job", exc_info=True)

    def detach(self) -> None:
        """Stop touching the scheduler; call before `shutdown(wait=True)`.

        A poll job ending during shutdown would otherwise call `modify_job`, which waits for
        the lock that shutdown holds while it waits for that very job: a deadlock.
        """
        with self._lock:
            self.scheduler = None


def watch_config(cfg: Config, on_mail: Callable[[], object]) -> IdleWatcher | None:
    """A started IdleWatcher on the configured IMAP folder; None for a Maildir."""
    from mailbot.runtime.wiring import open_source

    if cfg.mailbox.maildir is not None:
        return None

    def source() -> ImapSource:
        opened = open_source(cfg)
        assert isinstance(opened, ImapSource)
        return opened

    return IdleWatcher(open_source=source, folder=cfg.mailbox.folder, on_mail=on_mail).start()
