"""Messages and attachments: what arrived, what it was, what became of it.

Owns the `messages`, `attachments` and `folder_state` tables. Everything a message needs to
be answered exactly once is written by `book_message` in one transaction (its submission
through `submissions`); the mailbox flag/move comes after the commit
(`pending_server_marks`), and is idempotent. It must not read or supersede submissions
itself (see `submissions`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime

from mailbot.errors import StoreError
from mailbot.records import Problem
from mailbot.store.confirmations import ConfirmationsMixin
from mailbot.store.narratives import NarrativesMixin
from mailbot.store.outbox import insert_outbox
from mailbot.store.rows import (
    MESSAGE_STATUSES,
    PROBLEM_STATUSES,
    AttachmentRecord,
    Attempt,
    Booking,
    FolderState,
    IncomingMessage,
    MessageRow,
    NewNarrative,
    NewSubmission,
    OutgoingMail,
)
from mailbot.store.submissions import SubmissionsMixin

_INSERT_MESSAGE = """INSERT INTO messages (source_key, message_id_header, sha256, from_addr,
    subject, date_header, received_at, status, attempts, raw_path, created_at, updated_at,
    gm_msgid) VALUES (?, ?, ?, ?, ?, ?, ?, 'processing', ?, ?, ?, ?, ?)"""


class MessagesMixin(SubmissionsMixin, ConfirmationsMixin, NarrativesMixin):
    """Queries and writes on messages, attachments and folder state (mixed into Store)."""

    # ---- what is new --------------------------------------------------------------------

    def get_folder_state(self, folder: str) -> FolderState | None:
        """How far `folder` has been read, or None for a folder never read."""
        row = self.conn.execute(
            "SELECT folder, uidvalidity, last_uid FROM folder_state WHERE folder = ?", (folder,)
        ).fetchone()
        return FolderState(*row) if row else None

    def set_folder_state(self, folder: str, uidvalidity: int, last_uid: int, now: datetime) -> None:
        """Record how far `folder` has been read (call only after its messages are stored)."""
        with self.transaction() as conn:
            conn.execute(
                """INSERT INTO folder_state (folder, uidvalidity, last_uid, updated_at)
                VALUES (?, ?, ?, ?) ON CONFLICT (folder) DO UPDATE SET
                uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid,
                updated_at = excluded.updated_at""",
                (folder, uidvalidity, last_uid, self._ts(now)),
            )

    def status_of(self, source_key: str) -> str | None:
        """The status of the message with this source key, or None when never seen."""
        row = self.conn.execute(
            "SELECT status FROM messages WHERE source_key = ?", (source_key,)
        ).fetchone()
        return row[0] if row else None

    def seen(self, source_key: str) -> bool:
        """True when this message has been dealt with (any status but 'processing')."""
        return self.status_of(source_key) not in (None, "processing")

    def find_duplicate(
        self,
        message_id_header: str | None,
        sha256: str,
        exclude_source_key: str | None = None,
        gm_msgid: int | None = None,
    ) -> int | None:
        """Row id of an already handled message with this Message-ID, raw hash or X-GM-MSGID.

        Messages still processing or given up ('failed') do not count: a resend must get a
        chance when the first copy never produced an answer.
        """
        row = self.conn.execute(
            """SELECT id FROM messages
            WHERE (sha256 = ? OR (? IS NOT NULL AND message_id_header = ?)
                   OR (? IS NOT NULL AND gm_msgid = ?))
              AND status NOT IN ('processing', 'failed')
              AND source_key IS NOT ?
            ORDER BY id LIMIT 1""",
            (
                sha256, message_id_header, message_id_header, gm_msgid, gm_msgid,
                exclude_source_key,
            ),
        ).fetchone()  # fmt: skip
        return row[0] if row else None

    def message(self, row_id: int) -> MessageRow:
        """The message row with this id (StoreError when there is none)."""
        row = self.conn.execute("SELECT * FROM messages WHERE id = ?", (row_id,)).fetchone()
        if row is None:
            raise StoreError(f"no message #{row_id}")
        return self._message(row)

    def message_by_key(self, source_key: str) -> MessageRow | None:
        """The message row with this source key, or None."""
        row = self.conn.execute(
            "SELECT * FROM messages WHERE source_key = ?", (source_key,)
        ).fetchone()
        return self._message(row) if row else None

    # ---- processing a message -----------------------------------------------------------

    def begin_attempt(self, msg: IncomingMessage, now: datetime, max_attempts: int) -> Attempt:
        """Count one processing attempt before it starts; give up past `max_attempts`.

        Committed before the work, so a message that crashes the process every time is still
        bounded: on the attempt after the last allowed one it becomes 'failed'.
        """
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT id, status, attempts FROM messages WHERE source_key = ?",
                (msg.source_key,),
            ).fetchone()
            if row is None:
                return Attempt(self._insert_message(msg, now, 1), 1, "processing", True)
            row_id, status, attempts = row
            if status != "processing":
                return Attempt(row_id, attempts, status, False)
            if attempts >= max_attempts:
                conn.execute(
                    """UPDATE messages SET status = 'failed', updated_at = ?,
                    last_error = COALESCE(last_error, ?) WHERE id = ?""",
                    (self._ts(now), f"gave up after {attempts} unfinished attempts", row_id),
                )
                return Attempt(row_id, attempts, "failed", False)
            conn.execute(
                """UPDATE messages SET attempts = attempts + 1, updated_at = ?,
                raw_path = COALESCE(?, raw_path) WHERE id = ?""",
                (self._ts(now), msg.raw_path, row_id),
            )
            return Attempt(row_id, attempts + 1, "processing", True)

    def book_message(
        self,
        msg: IncomingMessage,
        status: str,
        now: datetime,
        *,
        attachments: Sequence[AttachmentRecord] = (),
        submission: NewSubmission | None = None,
        receipt: OutgoingMail | None = None,
        unit_code: str | None = None,
        reason: str | None = None,
        problem_kind: str | None = None,
        duplicate_of: int | None = None,
        confirms: int | None = None,
        narrative: NewNarrative | None = None,
        relevance: str | None = None,
    ) -> Booking:
        """Write a message's outcome in ONE transaction: row, attachments, submission, receipt.

        `status` 'booked' needs a `submission` (it supersedes the unit's current one when
        newer) or an Appendix 1 `narrative` (likewise); other statuses take neither. A receipt
        for a message that already had one is not queued again (`receipt_id` is then None).
        Refuses a message already finished. `confirms` is the submission a confirming reply
        confirms, in the same transaction.
        `relevance` 'unrelated'/'ambiguous' keeps the message off the server's flags.
        """
        if status not in MESSAGE_STATUSES or status == "processing":
            raise ValueError(f"cannot book a message as {status!r}")
        if (status == "booked") != (submission is not None or narrative is not None):
            raise ValueError("a submission or narrative goes with status 'booked' and only with it")
        if receipt is not None and receipt.kind != "receipt":
            raise ValueError(f"book_message queues receipts only, not {receipt.kind!r}")
        if submission is not None:
            unit_code = submission.unit_code
        with self.transaction() as conn:
            row_id = self._claim_row(msg, now)
            conn.execute(
                """UPDATE messages SET status = ?, unit_code = ?, flagged_reason = ?,
                problem_kind = ?, duplicate_of = ?, last_error = NULL, updated_at = ?,
                message_id_header = ?, from_addr = ?, subject = ?, date_header = ?,
                raw_path = COALESCE(?, raw_path), relevance = ? WHERE id = ?""",
                (
                    status, unit_code, reason, problem_kind, duplicate_of, self._ts(now),
                    msg.message_id_header, msg.from_addr, msg.subject, msg.date_header,
                    msg.raw_path, relevance, row_id,
                ),
            )  # fmt: skip
            self._replace_attachments(row_id, attachments)
            sub_id = superseded = None
            if submission is not None:
                sub_id, superseded = self._insert_submission(row_id, msg, submission, now)
            if confirms is not None:
                self._confirm_in_transaction(conn, confirms, now, "reply", row_id)
            if narrative is not None:
                self._insert_narrative(row_id, msg, narrative, now)
            receipt_id = None
            if receipt is not None:
                if receipt.unit_code is None:
                    receipt = replace(receipt, unit_code=unit_code)
                receipt_id = insert_outbox(conn, receipt, now, self.tz, message_row_id=row_id)
        return Booking(row_id, status, sub_id, superseded, receipt_id)

    def _insert_message(self, msg: IncomingMessage, now: datetime, attempts: int) -> int:
        cur = self.conn.execute(
            _INSERT_MESSAGE,
            (
                msg.source_key, msg.message_id_header, msg.sha256, msg.from_addr, msg.subject,
                msg.date_header, self._ts(msg.received_at), attempts, msg.raw_path,
                self._ts(now), self._ts(now), msg.gm_msgid,
            ),
        )  # fmt: skip
        return cur.lastrowid or 0

    def _claim_row(self, msg: IncomingMessage, now: datetime) -> int:
        """The 'processing' row of this message, inserted when begin_attempt was skipped."""
        row = self.conn.execute(
            "SELECT id, status FROM messages WHERE source_key = ?", (msg.source_key,)
        ).fetchone()
        if row is None:
            return self._insert_message(msg, now, 1)
        if row["status"] != "processing":
            raise StoreError(
                f"message {msg.source_key} is already {row['status']} (#{row['id']}); "
                "use reprocess to handle it again"
            )
        return int(row["id"])

    def _replace_attachments(self, row_id: int, attachments: Sequence[AttachmentRecord]) -> None:
        # A reprocessed message gets this attempt's attachments, not the old ones as well.
        self.conn.execute("DELETE FROM attachments WHERE message_id = ?", (row_id,))
        for att in attachments:
            self.conn.execute(
                """INSERT INTO attachments (message_id, filename, sha256, content_type, path,
                parse_ok, parse_json) VALUES (?, ?, ?, ?, ?, ?, ?)""",
                (
                    row_id, att.filename, att.sha256, att.content_type, att.path,
                    int(att.parse_ok), json.dumps(att.parse, ensure_ascii=False),
                ),
            )  # fmt: skip

    def record_failure(
        self,
        source_key: str,
        error: str,
        now: datetime,
        max_attempts: int,
        msg: IncomingMessage | None = None,
    ) -> str:
        """Note that processing failed; 'failed' once attempts reach `max_attempts`.

        Returns the status: 'processing' (will be retried) or 'failed' (given up). `msg`
        lets a failure be recorded for a message begin_attempt never saw.
        """
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT id, status, attempts FROM messages WHERE source_key = ?", (source_key,)
            ).fetchone()
            if row is None:
                if msg is None:
                    raise StoreError(f"no message {source_key}; call begin_attempt first")
                row = (self._insert_message(msg, now, 1), "processing", 1)
            row_id, status, attempts = row
            if status != "processing":
                raise StoreError(f"message {source_key} is already {status}")
            status = "failed" if attempts >= max_attempts else "processing"
            conn.execute(
                "UPDATE messages SET status = ?, last_error = ?, updated_at = ? WHERE id = ?",
                (status, error[:2000], self._ts(now), row_id),
            )
        return status

    def reprocess(self, row_id: int, now: datetime, as_report: bool = False) -> MessageRow:
        """Put a problem message back to 'processing' (attempts reset) and return its row.

        The caller runs the pipeline again from `raw_path`. Booked messages are refused:
        their submission and receipt already exist. `as_report` records the office's word
        that it is a report (relevance 'report'), which every later attempt honours.
        """
        with self.transaction() as conn:
            msg = self.message(row_id)
            if msg.status in ("booked", "processing"):
                raise StoreError(f"message #{row_id} is {msg.status}; nothing to reprocess")
            conn.execute(
                """UPDATE messages SET status = 'processing', attempts = 0, last_error = NULL,
                flagged_reason = NULL, problem_kind = NULL, duplicate_of = NULL,
                relevance = ?, updated_at = ? WHERE id = ?""",
                ("report" if as_report else None, self._ts(now), row_id),
            )
        return self.message(row_id)

    def unfinished(self) -> list[MessageRow]:
        """Messages left 'processing' (failed before, or interrupted), oldest first."""
        rows = self.conn.execute(
            "SELECT * FROM messages WHERE status = 'processing' ORDER BY id"
        ).fetchall()
        return [self._message(r) for r in rows]

    def pending_server_marks(self, limit: int = 500) -> list[MessageRow]:
        """Finished messages whose mailbox flag/move is not yet confirmed, oldest first."""
        rows = self.conn.execute(
            """SELECT * FROM messages WHERE processed_marked = 0 AND status != 'processing'
            AND relevance IS NULL ORDER BY id LIMIT ?""",
            (limit,),
        ).fetchall()
        return [self._message(r) for r in rows]

    def mark_processed_on_server(self, ids: Iterable[int]) -> None:
        """Record that these messages now carry the processed flag (or were moved)."""
        with self.transaction() as conn:
            conn.executemany(
                "UPDATE messages SET processed_marked = 1 WHERE id = ?", [(i,) for i in ids]
            )

    # ---- problems and counts -------------------------------------------------------------

    def problems(self, since: datetime | None = None) -> list[Problem]:
        """Messages the office must look at, set since `since` (all when None), oldest first.

        Booked messages count too when flagged (e.g. a roster unit sent from an unknown address).
        """
        marks = ",".join("?" * len(PROBLEM_STATUSES))
        rows = self.conn.execute(
            f"""SELECT m.*, (SELECT json_group_array(filename) FROM attachments a
                WHERE a.message_id = m.id) AS files
            FROM messages m
            WHERE (m.status IN ({marks}) OR (m.status = 'booked' AND m.problem_kind IS NOT NULL)
                   OR m.problem_kind = 'possible_report')
              AND m.updated_at > ?
            ORDER BY m.received_at, m.id""",
            (*PROBLEM_STATUSES, "" if since is None else self._ts(since)),
        ).fetchall()
        return [self._problem(r) for r in rows]

    def _problem(self, row: sqlite3.Row) -> Problem:
        detail = row["flagged_reason"] or ""
        if row["status"] == "failed" and not detail:
            detail = f"Không xử lý được sau {row['attempts']} lần thử: {row['last_error'] or ''}"
        return Problem(
            message_id=row["id"],
            kind=row["problem_kind"] or row["status"],
            sender=row["from_addr"],
            subject=row["subject"],
            received_at=self._moment(row["received_at"]),
            detail=detail.strip(),
            unit_code=row["unit_code"],
            files=json.loads(row["files"]),
        )

    def status_counts(self) -> dict[str, int]:
        """How many messages are in each status (statuses with none are 0)."""
        counts = dict.fromkeys(MESSAGE_STATUSES, 0)
        for status, n in self.conn.execute("SELECT status, COUNT(*) FROM messages GROUP BY 1"):
            counts[status] = n
        return counts
