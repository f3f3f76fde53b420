"""Sending quotas: the daily cap and the per-minute pace, counted in the campaign's days.

`SendQuota` is pure data and arithmetic; `Pacer` is the one stateful piece (its clock and
sleep are injected). `outbox.deliver` applies both. Gmail stops an account from sending for
a day once it passes its limit (500 for consumer accounts), so mailbot stays under a configured
cap (default 400) and never bursts more than `per_minute` mails in any minute. Mail to the
office itself (the summary, alerts: a few a day) is exempt from the cap, so the office still
hears when the cap is reached.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from datetime import time as clock_time

from mailbot.config import Config

# Office mail that is never held by the daily cap (it fits in the headroom under Gmail's 500).
EXEMPT_KINDS = ("summary", "alert")
WINDOW_S = 60.0


@dataclass(frozen=True)
class SendQuota:
    """At most `daily_cap` mails per local day (of `tz`) and `per_minute` in any minute."""

    daily_cap: int = 400
    per_minute: int = 60
    tz: tzinfo = UTC

    def day_start(self, now: datetime) -> datetime:
        """Local midnight of `now`'s day in the quota's time zone (aware)."""
        return datetime.combine(now.astimezone(self.tz).date(), clock_time(0), tzinfo=self.tz)

    def holds(self, kind: str, sent_today: int) -> bool:
        """True when a mail of `kind` must wait for tomorrow, `sent_today` mails having left."""
        return kind not in EXEMPT_KINDS and sent_today >= self.daily_cap


def pace_wait(recent: list[float] | deque[float], now: float, per_minute: int) -> float:
    """Seconds to wait so that at most `per_minute` sends fall in any 60 s (monotonic times)."""
    inside = [t for t in recent if t > now - WINDOW_S]
    if len(inside) < per_minute:
        return 0.0
    return max(0.0, inside[-per_minute] + WINDOW_S - now)


@dataclass
class Pacer:
    """Remembers recent sends and sleeps when the next one would break the per-minute pace."""

    sleep: Callable[[float], object] = time.sleep
    monotonic: Callable[[], float] = time.monotonic
    recent: deque[float] = field(default_factory=deque)

    def wait(self, per_minute: int) -> None:
        """Sleep as long as the pace requires, then count this send."""
        delay = pace_wait(self.recent, self.monotonic(), per_minute)
        if delay > 0:
            self.sleep(delay)
        now = self.monotonic()
        while self.recent and self.recent[0] <= now - WINDOW_S:
            self.recent.popleft()
        self.recent.append(now)


def send_quota(cfg: Config) -> SendQuota:
    """The configured daily cap and per-minute pace, counted in campaign days."""
    return SendQuota(cfg.smtp.daily_cap, cfg.smtp.per_minute, cfg.campaign.timezone)
