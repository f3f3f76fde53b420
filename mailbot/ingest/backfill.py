"""Backfill: book the reports that were already in the mailbox before mailbot started.

Owns choosing the messages (IMAP SEARCH SINCE a date; other sources by internal date), the
progress callbacks and moving the folder's read mark past them. Every message goes through the
poll's own `Intake`, so the exactly-once rules are the poll's: a message already booked is
skipped, a second backfill books nothing. Must not print (the CLI draws the progress).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from mailbot.cycle import Clock, PollReport
from mailbot.ingest.booking import Intake
from mailbot.ingest.poll import mark_on_server
from mailbot.ingest.settings import PollSettings
from mailbot.mailbox.imap import ImapSource
from mailbot.mailbox.source import MessageRef, Source
from mailbot.sending.mailer import Mailer
from mailbot.sending.outbox import deliver
from mailbot.store import Store
from mailbot.store.archive import Archive

log = logging.getLogger(__name__)


@dataclass
class Progress:
    """How far a backfill is: count, rate and time left, from a monotonic clock."""

    total: int
    done: int = 0
    started: float = field(default_factory=time.monotonic)
    monotonic: Callable[[], float] = time.monotonic

    def rate(self) -> float:
        """Messages per second so far (0 before the first)."""
        elapsed = self.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 and self.done else 0.0

    def eta_s(self) -> float | None:
        """Seconds left at the current rate; None before the first message."""
        rate = self.rate()
        return (self.total - self.done) / rate if rate else None


def refs_since(source: Source, since: date) -> list[MessageRef]:
    """The selected folder's messages received on or after `since`, oldest UID first."""
    if isinstance(source, ImapSource):
        return [ref for batch in source.list_uids(source.uids_since(since)) for ref in batch]
    # Other sources have no SEARCH: filter on the arrival time they report.
    return [
        ref
        for batch in source.list_after(0)
        for ref in batch
        if ref.internal_date is None or ref.internal_date.date() >= since
    ]


def backfill(
    source: Source,
    store: Store,
    archive: Archive,
    settings: PollSettings,
    clock: Clock,
    since: date,
    *,
    mailer: Mailer | None = None,
    receipts: bool = True,
    on_progress: Callable[[Progress], object] = lambda p: None,
) -> PollReport:
    """Book every message since `since` not yet booked; receipts are sent unless `receipts` is off.

    Afterwards the folder's read mark is at least the highest UID seen, so the next poll starts
    after the backfilled mail (older mail is left alone: that is what `since` asks for).
    """
    report = PollReport()
    with store.poll_lock(f"backfill (pid {os.getpid()})"):
        intake = Intake(source, store, archive, settings, clock, report)
        intake.receipts = receipts
        with source:
            uidvalidity = source.select(settings.folder)
            refs = refs_since(source, since)
            progress = Progress(total=len(refs))
            on_progress(progress)
            for ref in refs:
                intake.take(ref)
                progress.done += 1
                on_progress(progress)
                if progress.done % max(1, settings.send_batch) == 0:
                    mark_on_server(source, store, settings.folder, uidvalidity)
            mark_on_server(source, store, settings.folder, uidvalidity)
            _advance_folder_state(store, settings.folder, uidvalidity, refs, clock)
        if receipts and mailer is not None:
            deliver(store, mailer, clock, report, batch=settings.send_batch, quota=settings.quota)
    return report


def _advance_folder_state(
    store: Store, folder: str, uidvalidity: int, refs: list[MessageRef], clock: Clock
) -> None:
    """Move the poll's read mark past the backfilled mail (never back)."""
    if not refs:
        return
    state = store.get_folder_state(folder)
    last = state.last_uid if state is not None and state.uidvalidity == uidvalidity else 0
    top = max(ref.uid for ref in refs)
    if top > last:
        store.set_folder_state(folder, uidvalidity, top, clock())
