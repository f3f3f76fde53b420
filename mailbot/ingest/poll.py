"""One poll cycle: read new mail from a Source, book each message, then send the outbox.

Joins the edges (a `Source`, the `Store`, the `Archive`, a `Mailer`) around the pure
decision in `decide`; `booking.Intake` takes each message through archive, claim and book,
`outbox.deliver` sends the outbox. Exactly-once rests on the store: a message is archived,
claimed (`begin_attempt`) and then booked with its receipt in one transaction; the mailbox
flag or move and the sending happen only after that commit, and both are safe to repeat.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

from mailbot.cycle import Clock, PollReport
from mailbot.ingest.booking import Intake
from mailbot.ingest.settings import PollSettings
from mailbot.mailbox.source import MessageRef, Source
from mailbot.records import Unit
from mailbot.sending.mailer import Mailer
from mailbot.sending.outbox import deliver
from mailbot.store import Store, parse_imap_source_key
from mailbot.store.archive import Archive

log = logging.getLogger(__name__)


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
        store.record_poll(clock())  # the mailbox was read to the end (check, summary, gaps)
        deliver(store, mailer, clock, report, batch=settings.send_batch, quota=settings.quota)
        # The console shows when mail was last read; a cycle that raised never gets here.
        store.record_poll_done(clock(), dict(report.counts))
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
    row_id: int,
    store: Store,
    archive: Archive,
    settings: PollSettings,
    clock: Clock,
    assigned: Unit | None = None,
    *,
    as_report: bool = False,
    open_source: Callable[[], Source] | None = None,
) -> PollReport:
    """Run the pipeline again on a stored message (the office's decision).

    With `assigned`, the mail is booked for that unit whatever its sender or file says.
    `as_report`: the office says it is a report, so the relevance question is skipped (now
    and on any retry). A message kept without its archived copy (unrelated mail) is fetched
    from the mailbox `open_source` opens (only then); without one, the next poll fetches it.
    """
    report = PollReport()
    with store.poll_lock(f"reprocess (pid {os.getpid()})"):
        row = store.reprocess(row_id, clock(), as_report=as_report or assigned is not None)
        if row.raw_path is None and open_source is not None:
            source = open_source()
            with source:
                uidvalidity = source.select(settings.folder)
                Intake(source, store, archive, settings, clock, report).retry(
                    row, uidvalidity, assigned=assigned
                )
        else:
            Intake(None, store, archive, settings, clock, report).retry(
                row, None, assigned=assigned
            )
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
