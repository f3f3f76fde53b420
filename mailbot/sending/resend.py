"""Giving a given-up mail another chance: `resend`, for `mailbot resend ID` and the console.

Owns the rule of what may be put back: only a mail given up after failed sends (a reminder
cancelled because its unit reported meanwhile stays cancelled). It only re-queues the row, due
now, with its attempts reset; the next poll sends it with the same Message-ID, so a clerk who
did get the first copy sees one thread. Must not send anything itself.
"""

from __future__ import annotations

from datetime import datetime

from mailbot.errors import StoreError
from mailbot.store import OutboxRow, Store


def resend(store: Store, outbox_id: int, now: datetime) -> OutboxRow:
    """Put the given-up mail `outbox_id` back in the queue, due now; its row as it is now."""
    row = store.outbox_row(outbox_id)
    if row.status == "sent":
        raise StoreError(f"outbox #{outbox_id} ({row.kind}) was already sent: nothing to resend")
    if row.status == "pending":
        raise StoreError(
            f"outbox #{outbox_id} ({row.kind}) is still queued: the next poll sends it"
        )
    if row.failed_at is None:
        raise StoreError(
            f"outbox #{outbox_id} ({row.kind}) was cancelled, not given up: {row.last_error}"
        )
    if not store.retry_outbox(outbox_id, now):
        raise StoreError(f"outbox #{outbox_id} changed meanwhile; look at it again")
    return store.outbox_row(outbox_id)


def given_up(store: Store, since: datetime | None = None) -> list[OutboxRow]:
    """Mails given up (not cancelled) at or after `since`, oldest first: what `resend` takes."""
    return store.given_up_outbox(since)
