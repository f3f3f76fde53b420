"""The daemon serves the console beside its jobs (`mailbot run` with `[web] enabled = true`)."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from mailbot.config.model import WebConfig
from mailbot.runtime.daemon import Jobs, run
from mailbot.runtime.demo import demo_config
from mailbot.web.server import serve_beside

pytestmark = pytest.mark.servers  # a uvicorn server on a loopback port


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthz(port: int) -> int | None:
    """The status of GET /healthz, or None while nothing listens."""
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code
    except httpx.TransportError:
        return None


def wait_for(condition, timeout: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    """Poll `condition` until it holds or `timeout` passes; whether it held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_the_daemon_serves_the_console_while_it_polls_and_stops_it(tmp_path: Path) -> None:
    """/healthz answers while polls keep running; after stop the port is closed."""
    port = free_port()
    cfg = replace(demo_config(tmp_path), web=WebConfig(enabled=True, port=port))
    polls: list[datetime] = []
    jobs = Jobs(poll=polls.append, summary=lambda now: None, reminders=lambda now: None)
    stop = threading.Event()
    daemon = threading.Thread(
        target=run,
        args=(cfg,),
        kwargs={
            "jobs": jobs, "stop": stop, "interval_seconds": 0.2,
            "beside": lambda: serve_beside(cfg, None),
        },
    )  # fmt: skip
    daemon.start()
    try:
        served = wait_for(lambda: healthz(port) == 200)
        polled = wait_for(lambda: len(polls) >= 3)
    finally:
        stop.set()
        daemon.join(15)
    assert (served, polled, daemon.is_alive()) == (True, True, False)
    assert wait_for(lambda: healthz(port) is None, timeout=5)


def test_a_console_that_cannot_start_never_stops_the_polls(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    """The bind rule refusing the console is logged; the daemon keeps polling."""
    cfg = replace(demo_config(tmp_path), web=WebConfig(enabled=True, host="192.0.2.7"))
    polls: list[datetime] = []
    jobs = Jobs(poll=polls.append, summary=lambda now: None, reminders=lambda now: None)
    stop = threading.Event()
    daemon = threading.Thread(
        target=run,
        args=(cfg,),
        kwargs={
            "jobs": jobs, "stop": stop, "interval_seconds": 0.2,
            "beside": lambda: serve_beside(cfg, None),
        },
    )  # fmt: skip
    daemon.start()
    try:
        polled = wait_for(lambda: len(polls) >= 3)
    finally:
        stop.set()
        daemon.join(15)
    assert polled
    assert "not started beside the daemon: web.host = '192.0.2.7'" in caplog.text
