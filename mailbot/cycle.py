"""What one cycle of work shares between ingesting and sending: the clock and its report.

`Clock` is how time is passed in (never read deep inside); `PollReport` counts what a cycle
did and keeps one log line per message. Pure data; both `ingest` and `sending` import it.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


@dataclass
class PollReport:
    """What a cycle did: counts per outcome and one log line per message."""

    counts: Counter[str] = field(default_factory=Counter)
    lines: list[str] = field(default_factory=list)

    def note(self, outcome: str, line: str) -> None:
        """Count an outcome and keep its log line."""
        self.counts[outcome] += 1
        self.lines.append(line)
        log.info("%s", line)
