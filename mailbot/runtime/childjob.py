"""A job in a child process with a hard time limit: `run_in_child`, used by the daemon.

Owns spawning the child (in its own process group), watching its clock, and killing the whole
group when it overruns or the daemon stops. Knows nothing of what the job does.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable

from mailbot.errors import JobError, MailbotError

log = logging.getLogger(__name__)

STOP_GRACE_S = 60.0  # on SIGTERM a running job gets this long to finish, then it is killed
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def run_in_child(
    target: Callable[..., object],
    args: tuple,
    *,
    name: str,
    timeout_s: float,
    stopping: threading.Event,
    stop_grace_s: float = STOP_GRACE_S,
) -> None:
    """Run `target(*args)` in a fresh process; JobError if it fails, overruns or is stopped."""
    ctx = multiprocessing.get_context("spawn")  # no fork of a threaded daemon
    level = logging.getLogger().getEffectiveLevel()
    proc = ctx.Process(target=_child_main, args=(target, args, level), name=f"mailbot-{name}")
    proc.start()
    started = time.monotonic()
    stop_at: float | None = None
    while True:
        proc.join(0.2)
        if proc.exitcode is not None:
            break
        now = time.monotonic()
        if now - started > timeout_s:
            _kill_group(proc)
            raise JobError(f"{name} ran over its limit of {timeout_s:g} s and was killed")
        if stopping.is_set():
            stop_at = stop_at if stop_at is not None else now + stop_grace_s
            if now > stop_at:
                _kill_group(proc)
                raise JobError(f"{name} was still running {stop_grace_s:g} s after stop; killed")
    if proc.exitcode != 0:
        raise JobError(f"{name} failed (child exit code {proc.exitcode}); see its log above")


def _kill_group(proc: multiprocessing.process.BaseProcess) -> None:
    """SIGTERM the child's process group (parser workers included), then SIGKILL."""
    assert proc.pid is not None
    for sig, wait_s in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:  # the child has not made its group yet, or all are gone
            if proc.exitcode is None:
                os.kill(proc.pid, sig)
        proc.join(wait_s)
        if proc.exitcode is not None and sig == signal.SIGKILL:
            return
    log.error("child %s (pid %s) did not die", proc.name, proc.pid)


def _child_main(target: Callable[..., object], args: tuple, level: int) -> None:
    # Its own process group: a kill reaches its parser workers too, and a terminal's Ctrl-C
    # reaches the daemon only (which then lets this job finish).
    os.setpgid(0, 0)
    logging.basicConfig(level=level, format=LOG_FORMAT)
    try:
        target(*args)
    except MailbotError as exc:
        log.error("%s", one_line(exc))
        raise SystemExit(1) from None
    except Exception:
        log.exception("job failed")
        raise SystemExit(1) from None


def one_line(exc: BaseException | None) -> str:
    """The exception as one log line: its type and its message on a single line."""
    if exc is None:
        return "unknown error"
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
