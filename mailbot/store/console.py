"""The console's tables: web users, server-side sessions, the audit log, the last poll.

Owns `web_users`, `web_sessions`, `audit_log` and `poll_runs`. Holds hashes only: password
hashes come in already made (`web.passwords`), session tokens are stored as their SHA-256.
Never reads the clock: `now` comes in.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mailbot.errors import StoreError
from mailbot.store.base import StoreBase
from mailbot.store.rows import OutboxRow


@dataclass(frozen=True)
class WebSession:
    """A logged-in browser: who, its CSRF token, and until when it is valid."""

    user_name: str
    csrf_token: str
    expires_at: datetime


@dataclass(frozen=True)
class AuditRow:
    """One recorded action of the console: who did what to which thing, when."""

    id: int
    at: datetime
    user_name: str
    action: str
    target: str
    detail: dict[str, Any]


def token_hash(token: str) -> str:
    """The stored form of a session token."""
    return hashlib.sha256(token.encode()).hexdigest()


def write_audit(
    conn: sqlite3.Connection,
    at: str,
    user_name: str,
    action: str,
    target: str,
    detail: dict[str, Any],
) -> int:
    """Insert one audit row inside the caller's transaction; its id."""
    cur = conn.execute(
        """INSERT INTO audit_log (at, user_name, action, target, detail_json)
        VALUES (?, ?, ?, ?, ?)""",
        (at, user_name, action, target, json.dumps(detail, ensure_ascii=False, sort_keys=True)),
    )
    return cur.lastrowid or 0


class ConsoleMixin(StoreBase):
    """Users, sessions, audit log and poll marks (mixed into Store)."""

    def set_web_user(self, name: str, password_hash: str, now: datetime) -> bool:
        """Create the user or change its password; True when the user is new.

        A changed password ends the user's sessions.
        """
        with self.transaction() as conn:
            known = conn.execute("SELECT 1 FROM web_users WHERE name = ?", (name,)).fetchone()
            conn.execute(
                """INSERT INTO web_users (name, password_hash, created_at, updated_at)
                VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET
                password_hash = excluded.password_hash, updated_at = excluded.updated_at""",
                (name, password_hash, self._ts(now), self._ts(now)),
            )
            if known:
                conn.execute("DELETE FROM web_sessions WHERE user_name = ?", (name,))
        return known is None

    def web_password_hash(self, name: str) -> str | None:
        """The stored password hash of `name`, or None for an unknown user."""
        row = self.conn.execute(
            "SELECT password_hash FROM web_users WHERE name = ?", (name,)
        ).fetchone()
        return row[0] if row else None

    def web_user_count(self) -> int:
        """How many console users exist."""
        return int(self.conn.execute("SELECT COUNT(*) FROM web_users").fetchone()[0])

    def open_session(
        self, token: str, user_name: str, csrf_token: str, now: datetime, expires_at: datetime
    ) -> None:
        """Record a new session (expired ones are swept at the same time)."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM web_sessions WHERE expires_at <= ?", (self._ts(now),))
            conn.execute(
                """INSERT INTO web_sessions (token_hash, user_name, csrf_token, created_at,
                expires_at) VALUES (?, ?, ?, ?, ?)""",
                (token_hash(token), user_name, csrf_token, self._ts(now), self._ts(expires_at)),
            )

    def session(self, token: str, now: datetime) -> WebSession | None:
        """The live session of this token, or None (unknown or expired)."""
        row = self.conn.execute(
            """SELECT user_name, csrf_token, expires_at FROM web_sessions
            WHERE token_hash = ? AND expires_at > ?""",
            (token_hash(token), self._ts(now)),
        ).fetchone()
        if row is None:
            return None
        return WebSession(row[0], row[1], self._moment(row[2]))

    def close_session(self, token: str) -> None:
        """End a session (logout)."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM web_sessions WHERE token_hash = ?", (token_hash(token),))

    def audit(
        self,
        user_name: str,
        action: str,
        target: str,
        now: datetime,
        detail: dict[str, Any] | None = None,
    ) -> int:
        """Record one action of the console; its row id."""
        with self.transaction() as conn:
            return write_audit(conn, self._ts(now), user_name, action, target, detail or {})

    def audit_rows(self, limit: int = 200) -> list[AuditRow]:
        """The newest audit rows first."""
        rows = self.conn.execute(
            "SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", (limit,)
        ).fetchall()
        return [
            AuditRow(
                r["id"], self._moment(r["at"]), r["user_name"], r["action"], r["target"],
                json.loads(r["detail_json"]),
            )
            for r in rows
        ]  # fmt: skip

    def record_poll_done(self, now: datetime, counts: dict[str, int]) -> None:
        """Note that a poll cycle finished without error at `now`."""
        with self.transaction() as conn:
            conn.execute(
                """INSERT INTO poll_runs (id, finished_at, counts_json) VALUES (1, ?, ?)
                ON CONFLICT (id) DO UPDATE SET finished_at = excluded.finished_at,
                counts_json = excluded.counts_json""",
                (self._ts(now), json.dumps(counts, sort_keys=True)),
            )

    def last_poll(self) -> datetime | None:
        """When the last poll cycle finished without error (None: never)."""
        row = self.conn.execute("SELECT finished_at FROM poll_runs WHERE id = 1").fetchone()
        return self._dt(row[0]) if row else None

    def mark_not_report(self, row_id: int, user_name: str, reason: str, now: datetime) -> None:
        """The office decides a problem mail is not a report: it leaves the queue, audited."""
        with self.transaction() as conn:
            row = conn.execute("SELECT status FROM messages WHERE id = ?", (row_id,)).fetchone()
            if row is None:
                raise StoreError(f"Không có thư #{row_id}.")
            if row[0] in ("booked", "processing", "ignored"):
                state = {"booked": "đã được ghi nhận là báo cáo", "ignored": "đã được bỏ qua"}
                raise StoreError(
                    f"Thư #{row_id} {state.get(row[0], 'đang được xử lý')}; chỉ thư đang "
                    "chờ xử lý mới đánh dấu được."
                )
            text = f"Không phải báo cáo ({user_name}): {reason}".strip().rstrip(":")
            conn.execute(
                """UPDATE messages SET status = 'ignored', problem_kind = NULL,
                flagged_reason = ?, updated_at = ? WHERE id = ?""",
                (text, self._ts(now), row_id),
            )
            detail = {"was": row[0], "reason": reason}
            write_audit(conn, self._ts(now), user_name, "not_a_report", f"#{row_id}", detail)

    # ---- reads for the console's pages --------------------------------------------------

    def attachments_of(self, message_row_id: int) -> list[StoredFile]:
        """The files of one message, in the order they were booked."""
        rows = self.conn.execute(
            "SELECT * FROM attachments WHERE message_id = ? ORDER BY id", (message_row_id,)
        ).fetchall()
        return [_stored_file(r) for r in rows]

    def attachment(self, attachment_id: int) -> StoredFile | None:
        """One stored file by its id, or None."""
        row = self.conn.execute(
            "SELECT * FROM attachments WHERE id = ?", (attachment_id,)
        ).fetchone()
        return _stored_file(row) if row else None

    def receipt_of(self, message_row_id: int) -> OutboxRow | None:
        """The receipt queued for a message (sent or not), or None."""
        row = self.conn.execute(
            "SELECT * FROM outbox WHERE kind = 'receipt' AND message_row_id = ?",
            (message_row_id,),
        ).fetchone()
        return self._outbox(row) if row else None

    def data_version(self) -> tuple[object, ...]:
        """A fingerprint that changes whenever submissions, corrections or messages change.

        New rows raise the max ids, every change of a message's fate stamps updated_at, and
        confirmations only ever add up, so a page built from these tables can be reused
        while this stays the same.
        """
        return tuple(
            self.conn.execute(
                """SELECT (SELECT MAX(id) FROM submissions), (SELECT MAX(id) FROM corrections),
                (SELECT MAX(id) FROM messages), (SELECT MAX(updated_at) FROM messages),
                (SELECT COUNT(*) FROM submissions WHERE confirmed_at IS NOT NULL)"""
            ).fetchone()
        )


@dataclass(frozen=True)
class StoredFile:
    """One attachment row: its name, where its bytes are archived, and what was read."""

    id: int
    message_id: int
    filename: str
    sha256: str
    content_type: str
    path: str | None
    parse_ok: bool
    parse: dict[str, Any]


def _stored_file(row: sqlite3.Row) -> StoredFile:
    return StoredFile(
        row["id"], row["message_id"], row["filename"], row["sha256"], row["content_type"],
        row["path"], bool(row["parse_ok"]), json.loads(row["parse_json"]),
    )  # fmt: skip
