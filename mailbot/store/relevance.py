"""What the store knows for the relevance question: our own mail's ids, mail left alone.

Owns the reads of relevance: whether a Message-ID is one of the mails we queued (so a reply is
in our thread), how many messages were judged not the campaign's (the summary's one line),
which they are (`mailbot others`); and one write, forgetting an unrelated mail's archived
copy. Relevance itself is booked with the message (`book_message(relevance=...)`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from mailbot.store.base import StoreBase
from mailbot.store.rows import MessageRow


class RelevanceMixin(StoreBase):
    """Queries for `ingest.relevance` and the summary (mixed into Store)."""

    def sent_by_us(self, message_ids: Sequence[str]) -> bool:
        """True when any of these Message-IDs is a mail in our outbox (receipt, reminder…)."""
        ids = [i.strip() for i in message_ids if i and i.strip()][-50:]
        if not ids:
            return False
        marks = ",".join("?" * len(ids))
        row = self.conn.execute(
            f"SELECT 1 FROM outbox WHERE rfc_message_id IN ({marks}) LIMIT 1", ids
        ).fetchone()
        return row is not None

    def count_unrelated(self, since: datetime | None = None) -> int:
        """Messages judged not the campaign's (left alone), received after `since` (all: None)."""
        row = self.conn.execute(
            "SELECT COUNT(*) FROM messages WHERE relevance = 'unrelated' AND received_at > ?",
            ("" if since is None else self._ts(since),),
        ).fetchone()
        return int(row[0])

    def left_alone(
        self, kinds: Sequence[str] = ("unrelated", "ambiguous"), limit: int = 200
    ) -> list[tuple[str, MessageRow]]:
        """The latest messages judged not the campaign's, newest first (for `mailbot others`)."""
        marks = ",".join("?" * len(kinds))
        rows = self.conn.execute(
            f"""SELECT * FROM messages WHERE relevance IN ({marks})
            ORDER BY received_at DESC, id DESC LIMIT ?""",
            (*kinds, limit),
        ).fetchall()
        return [(r["relevance"], self._message(r)) for r in rows]

    def relevance_of(self, row_id: int) -> str | None:
        """The relevance a message was booked with (None: the campaign's, or not judged)."""
        row = self.conn.execute("SELECT relevance FROM messages WHERE id = ?", (row_id,)).fetchone()
        return row[0] if row else None

    def release_raw(self, row_id: int) -> str | None:
        """Forget this message's archived copy; the path to delete when no other row uses it.

        Mail that is not the campaign's stays on the server; `reprocess` fetches it from there.
        """
        with self.transaction() as conn:
            row = conn.execute("SELECT raw_path FROM messages WHERE id = ?", (row_id,)).fetchone()
            if row is None or row[0] is None:
                return None
            conn.execute("UPDATE messages SET raw_path = NULL WHERE id = ?", (row_id,))
            shared = conn.execute(
                "SELECT 1 FROM messages WHERE raw_path = ? LIMIT 1", (row[0],)
            ).fetchone()
        return None if shared else row[0]
