"""One poll cycle: read new mail from a Source, book each message, then send the outbox.

Joins the edges (a `Source`, the `Store`, the `Archive`, a `Mailer`) around the pure
decision in `intake`; `booking.Intake` takes each message through archive, claim and book,
`delivery.deliver` sends the outbox. Exactly-once rests on the store: a message is archived,
claimed (`begin_attempt`) and then booked with its receipt in one transaction; the mailbox
flag or move and the sending happen only after that commit, and both are safe to repeat.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from mailbot.archive import Archive
from mailbot.booking import RECEIPT_PRIORITY as RECEIPT_PRIORITY
from mailbot.booking import TOO_BIG as TOO_BIG
from mailbot.booking import Intake as Intake
from mailbot.booking import incoming_message as incoming_message
from mailbot.delivery import deliver as deliver
from mailbot.delivery import outgoing as outgoing
from mailbot.intake import IntakeSettings
from mailbot.mailer import Mailer
from mailbot.quota import SendQuota
from mailbot.sources import MessageRef, Source
from mailbot.store import Store, parse_imap_source_key

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class PollSettings:
    """What one poll cycle needs to know beyond its edges."""

    intake: IntakeSettings
    timezone: ZoneInfo
    folder: str = "INBOX"
    max_message_bytes: int = 25 * 1024 * 1024
    max_attempts: int = 3
    max_receipts_per_sender_per_day: int = 5
    parse_timeout_s: float = 10
    parse_memory_mb: int = 300
    send_batch: int = 50
    quota: SendQuota | None = None


@dataclass
class PollReport:
    """What a cycle did: counts per outcome and one log line per message."""

    counts: Counter[str] = field(default_factory=Counter)
    lines: list[str] = field(default_factory=list)

    def note(self, outcome: str, line: str) -> None:
        """Count an outcome and keep its log line."""
        self.counts[outcome] += 1
        self.lines.append(line)
        log.info("%s", line)


def poll(
    source: Source,
    store: Store,
    mailer: Mailer,
    archive: Archive,
    settings: PollSettings,
    clock: Clock,
) -> PollReport:
    """One full cycle under the poll lock: ingest new mail, then deliver the outbox."""
    report = PollReport()
    with store.poll_lock(f"poll (pid {os.getpid()})"):
        ingest(source, store, archive, settings, clock, report)
        deliver(store, mailer, clock, report, batch=settings.send_batch, quota=settings.quota)
    return report


def ingest(
    source: Source,
    store: Store,
    archive: Archive,
    settings: PollSettings,
    clock: Clock,
    report: PollReport,
) -> None:
    """Book every message not yet handled; retry unfinished ones; flag what was booked."""
    intake = Intake(source, store, archive, settings, clock, report)
    with source:
        uidvalidity = source.select(settings.folder)
        state = store.get_folder_state(settings.folder)
        last_uid = 0
        if state is not None and state.uidvalidity == uidvalidity:
            last_uid = state.last_uid
        elif state is not None:
            log.warning(
                "UIDVALIDITY of %s changed (%s → %s): rescanning, duplicates are skipped",
                settings.folder,
                state.uidvalidity,
                uidvalidity,
            )
        for batch in source.list_after(last_uid):
            intake.take_batch(batch)
            store.set_folder_state(settings.folder, uidvalidity, batch[-1].uid, clock())
            mark_on_server(source, store, settings.folder, uidvalidity)
        for row in store.unfinished():
            intake.retry(row, uidvalidity)
        mark_on_server(source, store, settings.folder, uidvalidity)


def reprocess(
    row_id: int, store: Store, archive: Archive, settings: PollSettings, clock: Clock
) -> PollReport:
    """Run the pipeline again on an archived problem message (the office's decision)."""
    report = PollReport()
    with store.poll_lock(f"reprocess (pid {os.getpid()})"):
        row = store.reprocess(row_id, clock())
        intake = Intake(None, store, archive, settings, clock, report)
        intake.retry(row, None)
    return report


def mark_on_server(source: Source, store: Store, folder: str, uidvalidity: int) -> None:
    """Flag/move every finished message of this folder whose mark is not yet confirmed."""
    rows = store.pending_server_marks()
    refs: list[MessageRef] = []
    ids: list[int] = []
    for row in rows:
        parsed = parse_imap_source_key(row.source_key)
        if parsed is None or parsed[0] != folder:
            continue
        if parsed[1] != uidvalidity:
            ids.append(row.id)  # an old UIDVALIDITY: that copy can no longer be addressed
            continue
        refs.append(MessageRef(folder, uidvalidity, parsed[2], size=0))
        ids.append(row.id)
    if refs:
        source.mark_processed(refs)
    if ids:
        store.mark_processed_on_server(ids)
