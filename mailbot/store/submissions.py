"""Submissions: each unit's reports, which one is current, and reading them back.

Owns the `submissions` table: inserting a booked report (inside `book_message`'s
transaction), keeping the newest one current (arrival time, then the senders' Date headers
on a tie) and the queries `latest_submissions`, `history` and `submissions_since`. It must
not write messages, attachments or the outbox (see `messages`, `outbox`).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from mailbot.records import Submission
from mailbot.store.base import StoreBase
from mailbot.store.corrections import apply_corrections
from mailbot.store.rows import IncomingMessage, NewSubmission


class SubmissionsMixin(StoreBase):
    """Inserts and queries on submissions (mixed into Store through MessagesMixin)."""

    def _insert_submission(
        self, row_id: int, msg: IncomingMessage, sub: NewSubmission, now: datetime
    ) -> tuple[int, int | None]:
        """Insert the submission; the newest by received_at stays the unit's current one."""
        current = self.conn.execute(
            """SELECT s.id, s.received_at, m.date_header FROM submissions s
            JOIN messages m ON m.id = s.message_id
            WHERE s.unit_code = ? AND s.superseded_by IS NULL""",
            (sub.unit_code,),
        ).fetchone()
        received = self._ts(msg.received_at)
        newer = current is None or _is_newer(
            msg.received_at,
            msg.date_header,
            self._moment(current["received_at"]),
            current["date_header"],
        )
        cur = self.conn.execute(
            """INSERT INTO submissions (unit_code, message_id, received_at, late, values_json,
            warnings_json, files_json, sender, superseded_by, booked_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                sub.unit_code, row_id, received, int(sub.late),
                json.dumps(sub.values, ensure_ascii=False),
                json.dumps(list(sub.warnings), ensure_ascii=False),
                json.dumps(list(sub.files), ensure_ascii=False),
                msg.from_addr,
                # Born superseded; if it is the newest, the two links are swapped below.
                None if current is None else current["id"],
                self._ts(now),
            ),
        )  # fmt: skip
        sub_id = cur.lastrowid or 0
        if sub.doubts:  # a doubtful reading is booked, but as "cần xác nhận", never as fact
            self.conn.execute(
                "UPDATE submissions SET confidence = 'to_confirm', doubts_json = ? WHERE id = ?",
                (json.dumps(list(sub.doubts), ensure_ascii=False), sub_id),
            )
        if current is None or not newer:
            return sub_id, None
        self.conn.execute(
            "UPDATE submissions SET superseded_by = ? WHERE id = ?", (sub_id, current["id"])
        )
        self.conn.execute("UPDATE submissions SET superseded_by = NULL WHERE id = ?", (sub_id,))
        return sub_id, current["id"]

    def latest_submissions(self) -> list[Submission]:
        """Each unit's current submission, by unit code, with the office's corrections applied."""
        rows = self.conn.execute(
            "SELECT * FROM submissions WHERE superseded_by IS NULL ORDER BY unit_code"
        ).fetchall()
        return apply_corrections(self.conn, [self._submission(r) for r in rows])

    def reported_units(self) -> set[str]:
        """Codes of the units that have a current submission (no values decoded)."""
        rows = self.conn.execute("SELECT unit_code FROM submissions WHERE superseded_by IS NULL")
        return {r[0] for r in rows}

    def history(self, unit_code: str) -> list[Submission]:
        """Every submission of a unit, newest first (superseded ones included)."""
        rows = self.conn.execute(
            """SELECT * FROM submissions WHERE unit_code = ?
            ORDER BY received_at DESC, id DESC""",
            (unit_code,),
        ).fetchall()
        return [self._submission(r) for r in rows]

    def submissions_since(self, since: datetime | None) -> list[Submission]:
        """Submissions booked after `since` (all when None), in booking order."""
        rows = self.conn.execute(
            "SELECT * FROM submissions WHERE booked_at > ? ORDER BY id",
            ("" if since is None else self._ts(since),),
        ).fetchall()
        return [self._submission(r) for r in rows]


# Two arrivals this close are a tie for the server's clock (mailboxes loaded in bulk, Maildirs
# copied in): the senders' Date headers then tell which report was written last.
_ARRIVAL_TIE = timedelta(minutes=2)


def _is_newer(
    received: datetime, date_header: str | None, cur_received: datetime, cur_date: str | None
) -> bool:
    """True when a report received at `received` replaces the current one (ties: newest wins)."""
    if abs(received - cur_received) <= _ARRIVAL_TIE:
        sent, cur_sent = _sent_at(date_header), _sent_at(cur_date)
        if sent is not None and cur_sent is not None and sent != cur_sent:
            return sent > cur_sent
    return cur_received <= received


def _sent_at(date_header: str | None) -> datetime | None:
    """The Date header as an aware datetime, or None when absent or malformed."""
    if not date_header:
        return None
    try:
        sent = parsedate_to_datetime(date_header)
    except (TypeError, ValueError, IndexError):
        return None
    return sent if sent.tzinfo else sent.replace(tzinfo=UTC)
