"""Exclusive run locks: lock files next to the database, held with fcntl.flock.

Owns the lock files only. The kernel drops a flock when its holder dies, so a crashed poll
never leaves a stale lock behind (a row in a table would).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mailbot.errors import LockedError


@contextmanager
def hold_lock(path: Path, owner: str, what: str) -> Iterator[None]:
    """Hold the lock file at `path` (non-blocking) or raise LockedError naming its holder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "unknown"
            raise LockedError(
                f"another {what} is running ({holder}); wait for it to finish (lock file {path})"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{owner} pid={os.getpid()}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
