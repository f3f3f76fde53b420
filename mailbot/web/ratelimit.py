"""Login rate limiting: a sliding window of failed attempts per user name and per client.

Pure and in memory (one console process): `now` is passed in as monotonic seconds. Failures
are counted both per user name (one account guessed from many places) and per client address
(many accounts guessed from one place).
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field

MAX_FAILURES = 5
WINDOW_S = 15 * 60.0
# Past this many remembered keys, keys whose failures all left the window are dropped.
SWEEP_AT = 10_000


@dataclass
class LoginLimiter:
    """Refuses logins for a key that failed `max_failures` times within `window_s`."""

    max_failures: int = MAX_FAILURES
    window_s: float = WINDOW_S
    _failures: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_seconds(self, keys: tuple[str, ...], now: float) -> float:
        """Seconds until any of `keys` may try again (0: allowed now)."""
        with self._lock:
            wait = 0.0
            for key in keys:
                times = self._recent(key, now)
                if len(times) >= self.max_failures:
                    wait = max(wait, times[0] + self.window_s - now)
            return wait

    def failed(self, keys: tuple[str, ...], now: float) -> None:
        """Count one failed attempt against each key."""
        with self._lock:
            if len(self._failures) >= SWEEP_AT:
                for stale in [k for k in self._failures if not self._recent(k, now)]:
                    del self._failures[stale]
            for key in keys:
                self._recent(key, now).append(now)

    def succeeded(self, keys: tuple[str, ...]) -> None:
        """Forget the failures of these keys after a good login."""
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and times[0] <= now - self.window_s:
            times.popleft()
        return times
