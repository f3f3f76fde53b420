"""Confirming doubtful submissions: finding the one a reply answers, and marking it confirmed.

Owns the confirmation columns of `submissions` (confidence, confirmed_at, confirmed_by,
confirmed_message_id). A confirmation by mail is written inside `book_message`'s transaction
(`_confirm_in_transaction`), so the reply's booking and the confirmation commit together; the
office's confirmation (`confirm_submission`) is a transaction of its own. Never reads the clock.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime

from mailbot.errors import StoreError
from mailbot.records import CONFIRMED, TO_CONFIRM, Submission
from mailbot.store.base import StoreBase


class ConfirmationsMixin(StoreBase):
    """Lookups and updates for confirming submissions (mixed into Store)."""

    def submission(self, sub_id: int) -> Submission:
        """The submission with this id (StoreError when there is none)."""
        row = self.conn.execute("SELECT * FROM submissions WHERE id = ?", (sub_id,)).fetchone()
        if row is None:
            raise StoreError(f"no submission #{sub_id}")
        return self._submission(row)

    def current_submission(self, unit_code: str) -> Submission | None:
        """The unit's current (not superseded) submission, or None."""
        row = self.conn.execute(
            "SELECT * FROM submissions WHERE unit_code = ? AND superseded_by IS NULL",
            (unit_code,),
        ).fetchone()
        return self._submission(row) if row else None

    def submission_answered_by(self, message_ids: Iterable[str]) -> Submission | None:
        """The submission whose receipt (or confirmation acknowledgement) has one of these ids.

        `message_ids` are a reply's In-Reply-To and References; the newest match wins.
        """
        ids = sorted({m.strip() for m in message_ids if m and m.strip()})
        if not ids:
            return None
        marks = ",".join("?" * len(ids))
        row = self.conn.execute(
            f"""SELECT s.* FROM outbox o JOIN submissions s
                ON s.message_id = o.message_row_id OR s.confirmed_message_id = o.message_row_id
            WHERE o.kind = 'receipt' AND o.rfc_message_id IN ({marks})
            ORDER BY s.id DESC LIMIT 1""",
            ids,
        ).fetchone()
        return self._submission(row) if row else None

    def confirm_submission(self, sub_id: int, now: datetime, by: str) -> bool:
        """Mark a doubtful submission confirmed (by 'office'); False when it was not awaiting."""
        with self.transaction() as conn:
            return self._confirm_in_transaction(conn, sub_id, now, by, None)

    def _confirm_in_transaction(
        self,
        conn: sqlite3.Connection,
        sub_id: int,
        now: datetime,
        by: str,
        message_row_id: int | None,
    ) -> bool:
        """Confirm inside the caller's transaction; only a 'to_confirm' submission changes."""
        cur = conn.execute(
            """UPDATE submissions SET confidence = ?, confirmed_at = ?, confirmed_by = ?,
            confirmed_message_id = ? WHERE id = ? AND confidence = ?""",
            (CONFIRMED, self._ts(now), by, message_row_id, sub_id, TO_CONFIRM),
        )
        return cur.rowcount == 1
