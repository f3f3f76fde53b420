"""systemd's notify protocol for `mailbot run`: READY, STOPPING, and a watchdog fed while the
poll job keeps making progress, so a wedged daemon is killed and restarted by systemd.

Owns `notify` (one datagram to $NOTIFY_SOCKET, as sd_notify(3) sends it), the watchdog period
systemd asks for ($WATCHDOG_USEC), `Heartbeat` (when a poll last started or ended) and
`Watchdog` (the main loop's feeder). A daemon whose poll job hangs past its time limit and
kill, or whose scheduler stopped starting polls, stops feeding: after WatchdogSec systemd
kills it and `Restart=on-failure` starts a fresh one.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

log = logging.getLogger(__name__)

Job = Callable[[datetime], object]
# Slack on top of the poll's own limits before the daemon counts as wedged.
MARGIN_S = 60.0


def notify(state: str, environ: Mapping[str, str] = os.environ) -> bool:
    """Send `state` ("READY=1", "WATCHDOG=1", …) to systemd; False when not run by systemd."""
    address = environ.get("NOTIFY_SOCKET", "")
    if not address:
        return False
    if address.startswith("@"):  # an abstract socket
        address = "\0" + address[1:]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.connect(address)
            sock.sendall(state.encode())
    except OSError as exc:
        log.warning("cannot notify systemd (%s): %s", state.split("=", 1)[0], exc)
        return False
    return True


def watchdog_period(
    environ: Mapping[str, str] = os.environ, pid: int | None = None
) -> float | None:
    """Seconds systemd waits for a WATCHDOG=1 (WatchdogSec), or None when it waits for none."""
    usec = environ.get("WATCHDOG_USEC", "")
    owner = environ.get("WATCHDOG_PID", "")
    if not usec.isdigit() or int(usec) == 0:
        return None
    if owner.isdigit() and int(owner) != (pid if pid is not None else os.getpid()):
        return None  # meant for another process (we were started by one that was watched)
    return int(usec) / 1e6


@dataclass
class Heartbeat:
    """When a poll last started or ended, and whether one is running (monotonic seconds)."""

    monotonic: Callable[[], float] = time.monotonic
    running_since: float | None = None
    last: float = field(default=0.0)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self.last = self.monotonic()  # the daemon's start counts as the first sign of life

    def around(self, job: Job) -> Job:
        """`job`, noting when each run starts and ends."""

        def beating(now: datetime) -> object:
            with self._lock:
                self.running_since = self.last = self.monotonic()
            try:
                return job(now)
            finally:
                with self._lock:
                    self.running_since, self.last = None, self.monotonic()

        return beating

    def alive(self, idle_limit_s: float, running_limit_s: float) -> bool:
        """True while a poll runs within its limit, or the next one is not overdue."""
        with self._lock:
            now = self.monotonic()
            if self.running_since is not None:
                return now - self.running_since <= running_limit_s
            return now - self.last <= idle_limit_s


@dataclass
class Watchdog:
    """Sends WATCHDOG=1 every half period while the heartbeat is alive; nothing otherwise."""

    heartbeat: Heartbeat
    period_s: float | None
    idle_limit_s: float
    running_limit_s: float
    send: Callable[[str], object] = notify
    monotonic: Callable[[], float] = time.monotonic
    _sent: float = float("-inf")
    _silent: bool = False

    def tick(self) -> None:
        """Called from the daemon's main loop every fraction of a second."""
        if self.period_s is None or self.monotonic() - self._sent < self.period_s / 2:
            return
        if not self.heartbeat.alive(self.idle_limit_s, self.running_limit_s):
            if not self._silent:
                log.error("the poll job is stuck or overdue: no longer feeding systemd's watchdog")
                self._silent = True
            return
        self._silent = False
        self._sent = self.monotonic()
        self.send("WATCHDOG=1")
