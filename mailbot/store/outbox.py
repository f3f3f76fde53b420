"""The outbox: every mail mailbot sends is first a committed row here, then sent, then marked.

Owns the `outbox` and `summaries` tables. A mail is identified by its deterministic
Message-ID (UNIQUE), a receipt by its message (one per message), a reminder by unit and day
(one per day): queuing twice is a no-op. Sending is at-least-once: a crash between the SMTP
"250 OK" and `mark_sent` resends the same Message-ID, which mail clients collapse.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, tzinfo
from typing import Any

from mailbot.errors import StoreError
from mailbot.store.base import StoreBase
from mailbot.store.rows import OUTBOX_KINDS, OutboxRow, OutgoingMail, SummaryRow, backoff, to_db


def insert_outbox(
    conn: sqlite3.Connection,
    mail: OutgoingMail,
    now: datetime,
    tz: tzinfo,
    message_row_id: int | None = None,
) -> int | None:
    """Queue `mail` inside the caller's transaction; None when it is already queued."""
    if mail.kind not in OUTBOX_KINDS:
        raise ValueError(f"unknown outbox kind {mail.kind!r}; use one of {OUTBOX_KINDS}")
    if not mail.to_addrs:
        raise ValueError(f"{mail.kind} {mail.rfc_message_id} has no recipients")
    if mail.kind == "reminder" and (mail.unit_code is None or mail.day is None):
        raise ValueError("a reminder needs unit_code and day")
    day = mail.day or now.astimezone(tz).date()
    cur = conn.execute(
        """INSERT INTO outbox (kind, message_row_id, unit_code, day, rfc_message_id, to_addrs,
        raw, priority, status, attempts, next_attempt_at, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT DO NOTHING""",
        (
            mail.kind, message_row_id, mail.unit_code, day.isoformat(), mail.rfc_message_id,
            json.dumps([a.lower() for a in mail.to_addrs]), mail.raw, mail.priority,
            to_db(now), to_db(now),
        ),
    )  # fmt: skip
    return cur.lastrowid if cur.rowcount == 1 else None


class OutboxMixin(StoreBase):
    """Queue, due list, send results with backoff, and the reminder/summary logs."""

    def enqueue(
        self, mail: OutgoingMail, now: datetime, message_row_id: int | None = None
    ) -> int | None:
        """Queue a mail; its row id, or None when the same mail is already queued."""
        with self.transaction() as conn:
            return insert_outbox(conn, mail, now, self.tz, message_row_id)

    def pending_outbox(
        self, now: datetime, limit: int = 50, kinds: tuple[str, ...] = OUTBOX_KINDS
    ) -> list[OutboxRow]:
        """Mails (of `kinds`) due for a (re)try at `now`: highest priority first, then oldest."""
        marks = ",".join("?" * len(kinds))
        rows = self.conn.execute(
            f"""SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?
            AND kind IN ({marks}) ORDER BY priority DESC, id LIMIT ?""",
            (to_db(now), *kinds, limit),
        ).fetchall()
        return [self._outbox(r) for r in rows]

    def sent_since(self, since: datetime, kinds: tuple[str, ...] = OUTBOX_KINDS) -> int:
        """How many mails of `kinds` the server accepted at or after `since` (sending quotas)."""
        marks = ",".join("?" * len(kinds))
        row = self.conn.execute(
            f"""SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND sent_at >= ?
            AND kind IN ({marks})""",
            (to_db(since), *kinds),
        ).fetchone()
        return int(row[0])

    def outbox_waiting(self) -> dict[str, int]:
        """Mails still waiting to be sent, by kind (kinds with none left out)."""
        rows = self.conn.execute(
            "SELECT kind, COUNT(*) FROM outbox WHERE status = 'pending' GROUP BY kind ORDER BY kind"
        ).fetchall()
        return {kind: n for kind, n in rows}

    def outbox_row(self, outbox_id: int) -> OutboxRow:
        """The outbox row with this id (StoreError when there is none)."""
        row = self.conn.execute("SELECT * FROM outbox WHERE id = ?", (outbox_id,)).fetchone()
        if row is None:
            raise StoreError(f"no outbox row #{outbox_id}")
        return self._outbox(row)

    def mark_sent(self, outbox_id: int, now: datetime) -> None:
        """Record that the server accepted this mail."""
        with self.transaction() as conn:
            conn.execute(
                """UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1,
                last_error = NULL WHERE id = ?""",
                (to_db(now), outbox_id),
            )

    def mark_send_failed(
        self,
        outbox_id: int,
        error: str,
        now: datetime,
        *,
        permanent: bool = False,
        max_attempts: int = 12,
    ) -> str:
        """Record a failed send; retry after `backoff(attempts)` or give up ('failed').

        Returns the new status. `permanent` (e.g. SMTP 5xx for this recipient) gives up now.
        """
        with self.transaction() as conn:
            row = conn.execute("SELECT attempts FROM outbox WHERE id = ?", (outbox_id,)).fetchone()
            if row is None:
                raise StoreError(f"no outbox row #{outbox_id}")
            attempts = row[0] + 1
            status = "failed" if permanent or attempts >= max_attempts else "pending"
            conn.execute(
                """UPDATE outbox SET status = ?, attempts = ?, last_error = ?,
                next_attempt_at = ?, failed_at = ? WHERE id = ?""",
                (
                    status, attempts, error[:2000], to_db(now + backoff(attempts)),
                    to_db(now) if status == "failed" else None, outbox_id,
                ),
            )  # fmt: skip
        return status

    def cancel_outbox(self, outbox_id: int, reason: str) -> None:
        """Drop a mail that must no longer go (not a failure: the office is not told)."""
        with self.transaction() as conn:
            conn.execute(
                """UPDATE outbox SET status = 'failed', last_error = ?, failed_at = NULL
                WHERE id = ? AND status = 'pending'""",
                (reason, outbox_id),
            )

    def retry_outbox(self, outbox_id: int, now: datetime) -> bool:
        """Put a failed mail back in the queue, due now (attempts reset); False if not failed."""
        with self.transaction() as conn:
            cur = conn.execute(
                """UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?,
                failed_at = NULL WHERE id = ? AND status = 'failed'""",
                (to_db(now), outbox_id),
            )
            return cur.rowcount == 1

    def failed_outbox(self) -> list[OutboxRow]:
        """Mails given up on, oldest first."""
        rows = self.conn.execute(
            "SELECT * FROM outbox WHERE status = 'failed' ORDER BY id"
        ).fetchall()
        return [self._outbox(r) for r in rows]

    def given_up_outbox(self, since: datetime | None = None) -> list[OutboxRow]:
        """Mails given up after a failure (not cancelled ones) at or after `since`, oldest first."""
        rows = self.conn.execute(
            """SELECT * FROM outbox WHERE status = 'failed' AND failed_at IS NOT NULL
            AND failed_at >= ? ORDER BY id""",
            (to_db(since) if since else "",),
        ).fetchall()
        return [self._outbox(r) for r in rows]

    def receipts_sent_today(self, addr: str, day: date) -> int:
        """Receipts queued or sent to `addr` on `day` (store time zone), for rate limiting."""
        row = self.conn.execute(
            """SELECT COUNT(*) FROM outbox WHERE kind = 'receipt' AND day = ?
            AND EXISTS (SELECT 1 FROM json_each(outbox.to_addrs) WHERE value = ?)""",
            (day.isoformat(), addr.strip().lower()),
        ).fetchone()
        return int(row[0])

    def reminder_sent(self, unit_code: str, day: date) -> bool:
        """True when a reminder for this unit is already queued or sent for `day`."""
        row = self.conn.execute(
            "SELECT 1 FROM outbox WHERE kind = 'reminder' AND unit_code = ? AND day = ?",
            (unit_code, day.isoformat()),
        ).fetchone()
        return row is not None

    def record_summary(
        self, mail: OutgoingMail, now: datetime, stats: dict[str, Any] | None = None
    ) -> int | None:
        """Queue a summary and log it in one transaction; None when that mail already exists.

        `now` becomes the summary's cut-off: the next one reports what is new since then.
        """
        if mail.kind != "summary":
            raise ValueError(f"record_summary takes a summary, not {mail.kind!r}")
        with self.transaction() as conn:
            outbox_id = insert_outbox(conn, mail, now, self.tz)
            if outbox_id is None:
                return None
            cur = conn.execute(
                """INSERT INTO summaries (day, created_at, outbox_id, stats_json)
                VALUES (?, ?, ?, ?)""",
                (
                    (mail.day or now.astimezone(self.tz).date()).isoformat(),
                    to_db(now),
                    outbox_id,
                    json.dumps(stats or {}, ensure_ascii=False),
                ),
            )
            return cur.lastrowid

    def last_summary(self) -> SummaryRow | None:
        """The most recent summary queued, or None before the first."""
        row = self.conn.execute("SELECT * FROM summaries ORDER BY id DESC LIMIT 1").fetchone()
        if row is None:
            return None
        return SummaryRow(
            id=row["id"],
            day=date.fromisoformat(row["day"]),
            created_at=self._moment(row["created_at"]),
            outbox_id=row["outbox_id"],
            stats=json.loads(row["stats_json"]),
        )
