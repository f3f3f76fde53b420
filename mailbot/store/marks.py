"""Moments the daemon's health is judged by: the last successful poll (`marks` table).

Owns the `marks` table, one row per named moment, overwritten each time. `mailbot check`, the
summary and the poll-gap alert read it; `ingest.poll` writes it when a poll has read the
mailbox to the end.
"""

from __future__ import annotations

from datetime import datetime

from mailbot.store.base import StoreBase
from mailbot.store.rows import from_db, to_db

LAST_POLL = "last_poll_ok"


class MarksMixin(StoreBase):
    """Record and read named moments."""

    def record_poll(self, now: datetime) -> None:
        """Note that a poll read the whole mailbox at `now`."""
        with self.transaction() as conn:
            conn.execute(
                """INSERT INTO marks (name, at) VALUES (?, ?)
                ON CONFLICT(name) DO UPDATE SET at = excluded.at""",
                (LAST_POLL, to_db(now)),
            )

    def last_poll(self) -> datetime | None:
        """When a poll last read the whole mailbox (None before the first)."""
        row = self.conn.execute("SELECT at FROM marks WHERE name = ?", (LAST_POLL,)).fetchone()
        return from_db(row[0], self.tz) if row else None
