"""systemd notify and watchdog: READY/STOPPING/WATCHDOG datagrams on a real AF_UNIX socket,
and a daemon whose poll job hangs stops feeding the watchdog (so systemd restarts it).
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from mailbot.config import Config
from mailbot.runtime import watchdog
from mailbot.runtime.daemon import Jobs, run
from mailbot.runtime.demo import demo_config
from mailbot.runtime.watchdog import Heartbeat, Watchdog, notify, watchdog_period


class NotifySocket:
    """The datagram socket systemd listens on for a Type=notify service."""

    def __init__(self, address: str) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(address)
        self.sock.settimeout(0.05)
        self.received: list[str] = []

    def drain(self) -> list[str]:
        """Every datagram received so far, in order."""
        while True:
            try:
                self.received.append(self.sock.recv(4096).decode())
            except TimeoutError:
                return self.received


@pytest.fixture
def systemd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[NotifySocket]:
    """NOTIFY_SOCKET set to a socket this test reads, as systemd sets it for the daemon."""
    address = str(tmp_path / "notify.sock")
    listener = NotifySocket(address)
    monkeypatch.setenv("NOTIFY_SOCKET", address)
    yield listener
    listener.sock.close()


def test_notify_sends_one_datagram_to_the_socket(systemd: NotifySocket) -> None:
    """READY=1 arrives as one datagram on $NOTIFY_SOCKET."""
    assert notify("READY=1")
    assert systemd.drain() == ["READY=1"]


def test_notify_reaches_an_abstract_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    """An '@' address is the abstract namespace, as systemd uses it."""
    name = f"mailbot-test-{uuid.uuid4().hex}"
    listener = NotifySocket("\0" + name)
    monkeypatch.setenv("NOTIFY_SOCKET", "@" + name)
    try:
        assert notify("WATCHDOG=1")
        assert listener.drain() == ["WATCHDOG=1"]
    finally:
        listener.sock.close()


def test_notify_outside_systemd_does_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without $NOTIFY_SOCKET (a terminal, the tests) nothing is sent."""
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    assert notify("READY=1") is False


def test_the_watchdog_period_is_systemds_watchdog_usec() -> None:
    """WatchdogSec=120 arrives as WATCHDOG_USEC=120000000."""
    env = {"WATCHDOG_USEC": "120000000", "WATCHDOG_PID": str(os.getpid())}
    assert watchdog_period(env) == 120.0


def test_a_watchdog_meant_for_another_process_is_ignored() -> None:
    """WATCHDOG_PID of another process: not ours to feed."""
    assert watchdog_period({"WATCHDOG_USEC": "120000000", "WATCHDOG_PID": "1"}, pid=4242) is None


class FakeTime:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_a_heartbeat_is_alive_until_the_next_poll_is_overdue() -> None:
    """Idle: alive until the idle limit passes without a poll."""
    clock = FakeTime()
    beat = Heartbeat(monotonic=clock)
    clock.t += 10
    assert beat.alive(idle_limit_s=10, running_limit_s=100)
    clock.t += 0.1
    assert not beat.alive(idle_limit_s=10, running_limit_s=100)


def test_a_running_poll_keeps_the_heartbeat_alive_until_its_limit() -> None:
    """Running: alive until the running limit, then dead until it ends."""
    clock = FakeTime()
    beat = Heartbeat(monotonic=clock)
    seen: list[bool] = []

    def job(_now: datetime) -> None:
        """A poll that takes 70 s of fake time."""
        clock.t += 50
        seen.append(beat.alive(idle_limit_s=10, running_limit_s=60))
        clock.t += 20
        seen.append(beat.alive(idle_limit_s=10, running_limit_s=60))

    beat.around(job)(datetime.now())
    assert seen == [True, False]
    assert beat.alive(idle_limit_s=10, running_limit_s=60)  # it ended: a fresh sign of life


def test_the_watchdog_is_fed_every_half_period_while_alive() -> None:
    """With a 10 s period, one WATCHDOG=1 every 5 s."""
    clock = FakeTime()
    sent: list[str] = []
    dog = Watchdog(Heartbeat(monotonic=clock), 10.0, 1000, 1000, send=sent.append, monotonic=clock)
    for _ in range(21):  # 10 s in steps of 0.5 s
        dog.tick()
        clock.t += 0.5
    assert sent == ["WATCHDOG=1"] * 3  # at 0, 5 and 10 s


# ---- the daemon under a fake systemd -------------------------------------------------------


@pytest.fixture
def cfg(tmp_path: Path) -> Config:
    """The demo's config, rooted in a temporary folder (the jobs are injected)."""
    return demo_config(tmp_path)


def start(cfg: Config, poll, stop: threading.Event, **kw: object) -> threading.Thread:  # type: ignore[no-untyped-def]
    """`run(cfg)` on a thread with `poll` as the poll job."""
    jobs = Jobs(poll=poll, summary=lambda _now: None, reminders=lambda _now: None)
    thread = threading.Thread(
        target=run, args=(cfg,), kwargs={"jobs": jobs, "stop": stop, **kw}, daemon=True
    )
    thread.start()
    return thread


def wait_for(listener: NotifySocket, message: str, timeout: float = 10.0) -> None:
    """Wait until `message` has arrived."""
    deadline = time.monotonic() + timeout
    while message not in listener.drain():
        assert time.monotonic() < deadline, f"no {message} within {timeout} s"


def test_the_daemon_says_ready_feeds_the_watchdog_and_says_stopping(
    cfg: Config, systemd: NotifySocket, monkeypatch: pytest.MonkeyPatch
) -> None:
    """READY=1 first, WATCHDOG=1 while it runs, STOPPING=1 last."""
    monkeypatch.setenv("WATCHDOG_USEC", "1000000")  # WatchdogSec=1s: fed every 0.5 s
    stop = threading.Event()
    thread = start(cfg, lambda _now: None, stop, interval_seconds=0.2)
    wait_for(systemd, "READY=1")
    time.sleep(2.2)
    stop.set()
    thread.join(10)
    got = systemd.drain()
    assert got[0] == "READY=1" and got[-1] == "STOPPING=1"
    assert got.count("WATCHDOG=1") >= 3


def test_a_daemon_whose_poll_hangs_stops_feeding_the_watchdog(
    cfg: Config, systemd: NotifySocket, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A poll stuck past its limit: no more WATCHDOG=1, so systemd would restart it."""
    monkeypatch.setenv("WATCHDOG_USEC", "400000")
    monkeypatch.setattr(watchdog, "MARGIN_S", 0.2)
    release = threading.Event()
    stop = threading.Event()
    # The poll's own time limit (0.3 s) + grace (0.1 s) + margin (0.2 s): wedged after 0.6 s.
    thread = start(
        cfg, lambda _now: release.wait(30), stop, interval_seconds=60,
        poll_timeout_s=0.3, stop_grace_s=0.1,
    )  # fmt: skip
    try:
        wait_for(systemd, "READY=1")
        time.sleep(1.5)  # past the limit: any feeding has stopped by now
        systemd.drain()
        systemd.received.clear()
        time.sleep(1.5)
        assert "WATCHDOG=1" not in systemd.drain()
    finally:
        release.set()
        stop.set()
        thread.join(10)
