"""The store's connection, transactions and row decoding, shared by its parts.

Owns the sqlite3 connection settings (WAL, foreign keys, busy timeout, full sync). Never reads
the clock: every timestamp comes in as an argument.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, tzinfo

from mailbot.errors import StoreError
from mailbot.records import Submission
from mailbot.store.rows import MessageRow, OutboxRow, from_db, moment_from_db, to_db

BUSY_TIMEOUT_MS = 10_000


def connect(path: str) -> sqlite3.Connection:
    """A connection in autocommit mode (we issue BEGIN/COMMIT ourselves) with our pragmas."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode.lower() not in ("wal", "memory"):
        raise StoreError(f"cannot switch {path} to WAL journal mode (got {mode})")
    # FULL: a committed booking survives power loss, not just a process crash.
    conn.execute("PRAGMA synchronous = FULL")
    return conn


class StoreBase:
    """Connection holder: transactions and the encoding of timestamps and rows."""

    def __init__(self, conn: sqlite3.Connection, path: str, tz: tzinfo) -> None:
        self.conn = conn
        self.path = path
        self.tz = tz
        self._in_transaction = False

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE): all of it commits, or none of it."""
        if self._in_transaction:
            raise StoreError("nested store transaction")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"database {self.path} is busy: {exc}") from exc
        self._in_transaction = True
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._in_transaction = False

    def _ts(self, moment: datetime) -> str:
        return to_db(moment)

    def _dt(self, text: str | None) -> datetime | None:
        return from_db(text, self.tz)

    def _moment(self, text: str) -> datetime:
        """A NOT NULL timestamp column as an aware datetime in the store's zone."""
        return moment_from_db(text, self.tz)

    def _day(self, moment: datetime) -> str:
        """The calendar day of `moment` in the store's zone, as ISO text."""
        return moment.astimezone(self.tz).date().isoformat()

    def _message(self, row: sqlite3.Row) -> MessageRow:
        return MessageRow(
            id=row["id"],
            source_key=row["source_key"],
            message_id_header=row["message_id_header"],
            sha256=row["sha256"],
            from_addr=row["from_addr"],
            subject=row["subject"],
            date_header=row["date_header"],
            received_at=self._moment(row["received_at"]),
            status=row["status"],
            problem_kind=row["problem_kind"],
            unit_code=row["unit_code"],
            flagged_reason=row["flagged_reason"],
            duplicate_of=row["duplicate_of"],
            attempts=row["attempts"],
            last_error=row["last_error"],
            raw_path=row["raw_path"],
            processed_marked=bool(row["processed_marked"]),
            created_at=self._moment(row["created_at"]),
            updated_at=self._moment(row["updated_at"]),
        )

    def _submission(self, row: sqlite3.Row) -> Submission:
        return Submission(
            id=row["id"],
            unit_code=row["unit_code"],
            message_id=row["message_id"],
            received_at=self._moment(row["received_at"]),
            late=bool(row["late"]),
            values=json.loads(row["values_json"]),
            warnings=json.loads(row["warnings_json"]),
            files=json.loads(row["files_json"]),
            sender=row["sender"],
            superseded_by=row["superseded_by"],
            doubts=json.loads(row["doubts_json"]),
            confirmed_at=from_db(row["confirmed_at"], self.tz),
            confirmed_by=row["confirmed_by"],
        )

    def _outbox(self, row: sqlite3.Row) -> OutboxRow:
        return OutboxRow(
            id=row["id"],
            kind=row["kind"],
            rfc_message_id=row["rfc_message_id"],
            to_addrs=tuple(json.loads(row["to_addrs"])),
            raw=bytes(row["raw"]),
            priority=row["priority"],
            status=row["status"],
            attempts=row["attempts"],
            next_attempt_at=from_db(row["next_attempt_at"], self.tz),
            last_error=row["last_error"],
            created_at=from_db(row["created_at"], self.tz),
            sent_at=from_db(row["sent_at"], self.tz),
            message_row_id=row["message_row_id"],
            unit_code=row["unit_code"],
            day=date.fromisoformat(row["day"]) if row["day"] else None,
            failed_at=from_db(row["failed_at"], self.tz),
        )
