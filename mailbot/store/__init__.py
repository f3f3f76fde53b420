"""The SQLite store: the single source of truth for "nothing lost, nothing twice".

Owns the database file and its lock files; knows nothing of IMAP, SMTP, MIME or rendering.
`Store.open` applies the numbered migrations; the methods (from `messages`, `submissions` and
`outbox`) take `now` as an argument and never read the clock, except `open` stamping migrations.

Schema (see `migrations`): folder_state, messages, attachments, submissions, outbox,
summaries, schema_version; for the console: web_users, web_sessions, audit_log, poll_runs,
corrections.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from mailbot.errors import StoreError
from mailbot.store.base import connect
from mailbot.store.console import ConsoleMixin
from mailbot.store.corrections import CorrectionsMixin
from mailbot.store.locks import hold_lock
from mailbot.store.marks import MarksMixin
from mailbot.store.messages import MessagesMixin
from mailbot.store.migrations import migrate, schema_version
from mailbot.store.outbox import OutboxMixin
from mailbot.store.relevance import RelevanceMixin
from mailbot.store.rows import (
    MESSAGE_STATUSES,
    OUTBOX_KINDS,
    PROBLEM_STATUSES,
    AttachmentRecord,
    Attempt,
    Booking,
    FolderState,
    IncomingMessage,
    MessageRow,
    NewNarrative,
    NewSubmission,
    OutboxRow,
    OutgoingMail,
    SummaryRow,
    backoff,
    imap_source_key,
    parse_imap_source_key,
)

__all__ = [
    "MESSAGE_STATUSES",
    "OUTBOX_KINDS",
    "PROBLEM_STATUSES",
    "AttachmentRecord",
    "Attempt",
    "Booking",
    "FolderState",
    "IncomingMessage",
    "MessageRow",
    "NewNarrative",
    "NewSubmission",
    "OutboxRow",
    "OutgoingMail",
    "Store",
    "SummaryRow",
    "backoff",
    "imap_source_key",
    "parse_imap_source_key",
]


class Store(MessagesMixin, OutboxMixin, MarksMixin, ConsoleMixin, CorrectionsMixin, RelevanceMixin):
    """A mailbot database: open with `Store.open(path, tz)`, close when done."""

    @classmethod
    def open(
        cls, path: str | os.PathLike[str], tz: tzinfo = UTC, now: datetime | None = None
    ) -> Store:
        """Open (creating if needed) and migrate the database; datetimes come back in `tz`."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = connect(str(path))
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {path}: {exc}") from exc
        try:
            migrate(conn, now or datetime.now(UTC))
        except sqlite3.Error as exc:
            conn.close()
            raise StoreError(f"database {path} is unusable: {exc}") from exc
        except BaseException:
            conn.close()
            raise
        return cls(conn, str(path), tz)

    def close(self) -> None:
        """Close the connection (the WAL is checkpointed by SQLite)."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def version(self) -> int:
        """The schema version of this database."""
        return schema_version(self.conn)

    @contextmanager
    def poll_lock(self, owner: str) -> Iterator[None]:
        """Hold the poll lock: two polls on one database never overlap (else LockedError)."""
        with hold_lock(Path(self.path + ".poll.lock"), owner, "poll"):
            yield

    @contextmanager
    def daemon_lock(self, owner: str) -> Iterator[None]:
        """Hold the daemon lock: one daemon per database (else LockedError)."""
        with hold_lock(Path(self.path + ".daemon.lock"), owner, "daemon"):
            yield
