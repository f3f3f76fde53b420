"""Booking messages: archive → claim → decide → book, one message at a time, in UID order.

Owns `Intake`, the per-message half of a poll: the raw mail archived, the attempt counted
(`store.begin_attempt`), the pure decision (`decide.decide`) and its booking in one
transaction. Listed batches are read ahead in groups whose files a forked helper parses
while the group before is booked (`readahead`). Must not send mail (`sending.outbox`) nor mark
the mailbox (`poll.mark_on_server`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from mailbot.errors import MessageGoneError
from mailbot.ingest.confirming import confirm_by_reply
from mailbot.ingest.decide import decide, screen
from mailbot.ingest.decision import Decision, ParseFn, ReadMail, read_mail
from mailbot.ingest.readahead import (
    READ_AHEAD_MAX_BYTES,
    Fetched,
    FileKey,
    Group,
    ParsedFiles,
    ParseHelper,
    group_full,
    read_ahead,
    wanted_files,
)
from mailbot.ingest.relevance import duplicate_relevance
from mailbot.ingest.rows import booked_rows, incoming_message
from mailbot.mailbox.source import MessageRef, Source
from mailbot.parsing.guard import parse_guarded, parse_many_guarded, warm_up
from mailbot.parsing.model import ParseResult
from mailbot.records import Unit
from mailbot.sending.outbox import outgoing
from mailbot.store import (
    AttachmentRecord,
    IncomingMessage,
    MessageRow,
    Store,
    imap_source_key,
    parse_imap_source_key,
)
from mailbot.store.archive import Archive

if TYPE_CHECKING:
    from mailbot.cycle import Clock, PollReport
    from mailbot.ingest.settings import PollSettings

log = logging.getLogger(__name__)

RECEIPT_PRIORITY = 10
MAIL_TOO_BIG = (
    "Thư quá lớn ({size} MB, giới hạn {limit} MB) nên chưa được đọc. Xin gửi lại riêng tệp "
    "Phụ lục 2 (.xlsx hoặc .docx), không kèm ảnh hay tệp lớn khác."
)


class Intake:
    """Takes messages one at a time through archive → claim → decide → book.

    `take_batch` reads a listed batch ahead in groups and parses each group's files in one
    guarded call first; the claim and booking stay per message, in UID order.
    """

    def __init__(
        self,
        source: Source | None,
        store: Store,
        archive: Archive,
        settings: PollSettings,
        clock: Clock,
        report: PollReport,
    ) -> None:
        self.source = source
        self.store = store
        self.archive = archive
        self.settings = settings
        self.clock = clock
        self.report = report
        # False books silently (backfill --no-receipts): no receipt is composed or queued.
        self.receipts = True
        # True when the office said the message is a report (reprocess --as-report).
        self.as_report = False

    def take(self, ref: MessageRef) -> None:
        """Handle one listed message unless the store already knows it."""
        key = imap_source_key(ref.folder, ref.uidvalidity, ref.uid)
        if self.store.seen(key):
            return
        assert self.source is not None
        received_at = (ref.internal_date or self.clock()).astimezone(self.settings.timezone)
        if ref.size > self.settings.max_message_bytes:
            self._too_big(ref, key, received_at)
            return
        try:
            raw = self.source.fetch(ref)
        except MessageGoneError:
            log.info("message %s vanished before it was read", key)
            return
        self.process(key, raw, received_at, gm_msgid=ref.gm_msgid)

    def take_batch(self, refs: Sequence[MessageRef]) -> None:
        """Handle listed messages in order; small new ones are read and parsed ahead in groups.

        While one group is booked, a forked helper parses the next group's files. A message
        already tried (left 'processing') or big is taken alone (`take`), read only after its
        claim, so a message that kills the process still uses up its attempts.
        """
        ahead_max = min(READ_AHEAD_MAX_BYTES, self.settings.max_message_bytes)
        warm_up(self.settings.intake.form)  # before the helper forks: its workers start warm
        with ParseHelper(self._parse_many, self.settings.parse_timeout_s) as helper:
            waiting: Group | None = None
            mails: list[Fetched] = []
            for ref in refs:
                key = imap_source_key(ref.folder, ref.uidvalidity, ref.uid)
                status = self.store.status_of(key)
                if status is not None and status != "processing":
                    continue  # already dealt with
                if status == "processing" or not 0 < ref.size <= ahead_max:
                    waiting = self._advance(helper, waiting, mails)
                    waiting = self._advance(helper, waiting, [])
                    mails = []
                    self.take(ref)
                    continue
                fetched = self._fetch(ref, key)
                if fetched is not None:
                    mails.append(fetched)
                if group_full(mails):
                    waiting = self._advance(helper, waiting, mails)
                    mails = []
            waiting = self._advance(helper, waiting, mails)
            self._advance(helper, waiting, [])

    def _advance(
        self, helper: ParseHelper, waiting: Group | None, mails: list[Fetched]
    ) -> Group | None:
        """Collect the waiting group's parses, hand `mails` to the helper, book the waiting."""
        parsed: dict[FileKey, ParseResult] = {}
        if waiting is not None and waiting.files:
            results = helper.results() if waiting.submitted else None
            if results is None:  # no helper answer: parse here, still all at once
                results = self._parse_many(list(waiting.files.values()))
            parsed = dict(zip(waiting.files, results, strict=True))
        started = None
        if mails:
            read_ahead(mails)
            started = Group(mails, wanted_files(mails, self.settings.intake))
            started.submitted = helper.submit(list(started.files.values()))
        if waiting is not None:
            parse = ParsedFiles(parsed, self._parse)
            for fetched in waiting.mails:
                self.process(
                    fetched.key,
                    fetched.raw,
                    fetched.received_at,
                    gm_msgid=fetched.gm_msgid,
                    read=fetched.read,
                    parse=parse,
                )
                fetched.raw, fetched.read = b"", None  # free each mail once it is booked
        return started

    def _fetch(self, ref: MessageRef, key: str) -> Fetched | None:
        assert self.source is not None
        received_at = (ref.internal_date or self.clock()).astimezone(self.settings.timezone)
        try:
            raw = self.source.fetch(ref)
        except MessageGoneError:
            log.info("message %s vanished before it was read", key)
            return None
        return Fetched(key, raw, received_at, ref.gm_msgid)

    def retry(self, row: MessageRow, uidvalidity: int | None, assigned: Unit | None = None) -> None:
        """Process again a message left unfinished, from the archive (or the mailbox).

        `assigned` is the unit the office assigned it to (the office vouches for the sender).
        """
        raw = self._archived(row)
        if raw is None and self.source is not None:
            parsed = parse_imap_source_key(row.source_key)
            if parsed and parsed[0] == self.settings.folder and parsed[1] == uidvalidity:
                ref = MessageRef(parsed[0], parsed[1], parsed[2], size=0)
                try:
                    raw = self.source.fetch(ref)
                except MessageGoneError:
                    raw = None
        if raw is None:
            self.store.record_failure(
                row.source_key, "raw message unavailable", self.clock(), self.settings.max_attempts
            )
            return
        self.process(row.source_key, raw, row.received_at, assigned=assigned)

    def process(
        self,
        key: str,
        raw: bytes,
        received_at: datetime,
        oversize: str | None = None,
        gm_msgid: int | None = None,
        read: ReadMail | None = None,
        parse: ParseFn | None = None,
        assigned: Unit | None = None,
    ) -> None:
        """Archive, claim, decide and book one message (one transaction for the outcome).

        `read` is the message already read (`decide.read_mail`); `parse` answers its files
        from results parsed ahead (default: a guarded parse per file).
        """
        now = self.clock()
        sha, path = self.archive.put(raw, ".eml")
        headers = read.headers if read is not None else raw
        incoming = incoming_message(key, sha, headers, received_at, self.archive.relative(path))
        incoming = replace(incoming, gm_msgid=gm_msgid)
        attempt = self.store.begin_attempt(incoming, now, self.settings.max_attempts)
        if not attempt.proceed:
            if attempt.status == "failed":
                self.report.note("failed", f"{key}: gave up after {attempt.attempts} attempts")
            return
        duplicate = self.store.find_duplicate(
            incoming.message_id_header, sha, exclude_source_key=key, gm_msgid=gm_msgid
        )
        if duplicate is not None:
            # A copy of mail left alone is left alone too (never flagged on the server).
            self.store.book_message(
                incoming,
                "ignored",
                now,
                duplicate_of=duplicate,
                reason="Trùng thư đã nhận.",
                # A copy of mail left alone stays alone; a copy of a report is marked as one.
                relevance=duplicate_relevance(self.store.relevance_of(duplicate)),
            )
            self.report.note("duplicate", f"{key}: duplicate of message #{duplicate}")
            return
        # The office's word that this is a report (reprocess --as-report) holds on every retry.
        as_report = self.as_report or self.store.relevance_of(attempt.message_row_id) == "report"
        try:
            intake = self.settings.intake
            if assigned is not None:  # the office vouched for this mail: no quarantine
                intake = replace(intake, quarantine_unauthenticated=False)
            decision = decide(
                raw,
                received_at,
                intake,
                parse or self._parse,
                now=now,
                receipt_allowed=self._receipt_allowed,
                oversize=oversize,
                read=read,
                assigned=assigned,
                parts_on_file=self.store.parts_on_file,
                ours=self.store.sent_by_us,
                as_report=as_report,
            )
            decision = self._confirmation(decision, raw, read, now)
            self._book(incoming, decision, now)
        except Exception as exc:  # one bad message must never stop the cycle
            log.exception("message %s failed", key)
            status = self.store.record_failure(
                key, f"{type(exc).__name__}: {exc}", now, self.settings.max_attempts, incoming
            )
            self.report.note("error", f"{key}: error ({status}): {type(exc).__name__}")

    def _book(self, incoming: IncomingMessage, decision: Decision, now: datetime) -> None:
        if decision.relevance != "campaign":
            self._leave_alone(incoming, decision, now)
            return
        attachments = [self._archive_file(f) for f in decision.files]
        # Files refused unopened (.rar, too-big archives) are listed too, so the office sees them.
        attachments += [
            AttachmentRecord(s.filename, sha256="", parse={"ok": False, "errors": [s.reason]})
            for s in decision.mail.skipped
        ]
        submission, narrative = booked_rows(decision)
        receipt = None
        if decision.receipt is not None:
            receipt = outgoing("receipt", decision.receipt, RECEIPT_PRIORITY)
        booking = self.store.book_message(
            incoming,
            decision.status,
            now,
            attachments=attachments,
            submission=submission,
            receipt=receipt,
            unit_code=decision.unit.code if decision.unit else None,
            reason=decision.reason,
            problem_kind=decision.problem_kind,
            confirms=decision.confirms,
            narrative=narrative,
        )
        unit = decision.unit.code if decision.unit else "-"
        files = ", ".join(f.outcome.filename for f in decision.files) or "no files"
        answered = "receipt queued" if booking.receipt_id else "no receipt"
        self.report.note(
            decision.status,
            f"{incoming.source_key}: {decision.status} unit={unit} files=[{files}] {answered}",
        )

    def _confirmation(
        self, decision: Decision, raw: bytes, read: ReadMail | None, now: datetime
    ) -> Decision:
        """The decision as a confirming reply when it answers our receipt (ingest.confirming)."""
        mail = decision.mail
        answered = self.store.submission_answered_by([mail.in_reply_to or "", *mail.references])
        if answered is None:
            return decision
        machine = screen(read or read_mail(raw), self.settings.intake) is not None
        return confirm_by_reply(
            decision,
            answered,
            machine=machine,
            ack_allowed=bool(decision.reply_to) and self._receipt_allowed(decision.reply_to or ""),
            raw=raw,
            settings=self.settings.intake,
            now=now,
        )

    def _leave_alone(self, incoming: IncomingMessage, decision: Decision, now: datetime) -> None:
        """Record mail that is not the campaign's: no file kept, no receipt, no server mark.

        Unrelated mail keeps no archived copy either (it stays on the server, where
        `reprocess --as-report` fetches it); ambiguous mail keeps its copy for the office.
        """
        booking = self.store.book_message(
            incoming,
            "ignored",
            now,
            reason=decision.reason,
            problem_kind=decision.problem_kind,
            relevance=decision.relevance,
        )
        if decision.relevance == "unrelated" and self.source is not None:
            path = self.store.release_raw(booking.message_row_id)
            if path:
                self.archive.remove(path)
        self.report.note(decision.relevance, f"{incoming.source_key}: {decision.relevance}")

    def _archive_file(self, file) -> AttachmentRecord:
        suffix = os.path.splitext(file.attachment.filename)[1].lower()[:10]
        sha, path = self.archive.put(file.attachment.data, suffix)
        result: ParseResult | None = file.result
        return AttachmentRecord(
            filename=file.attachment.filename,
            sha256=sha,
            content_type=file.attachment.content_type,
            path=self.archive.relative(path),
            parse_ok=bool(result and result.ok),
            parse=result.to_dict() if result else {},
        )

    def _parse(self, data: bytes, filename: str) -> ParseResult:
        return parse_guarded(
            data,
            filename,
            timeout_s=self.settings.parse_timeout_s,
            memory_mb=self.settings.parse_memory_mb,
            form=self.settings.intake.form,
        )

    def _parse_many(self, items: list[tuple[bytes, str]]) -> list[ParseResult]:
        return parse_many_guarded(
            items,
            jobs=os.cpu_count(),
            timeout_s=self.settings.parse_timeout_s,
            memory_mb=self.settings.parse_memory_mb,
            form=self.settings.intake.form,
        )

    def _receipt_allowed(self, addr: str) -> bool:
        if not self.receipts:
            return False
        day = self.clock().astimezone(self.settings.timezone).date()
        sent = self.store.receipts_sent_today(addr, day)
        return sent < self.settings.max_receipts_per_sender_per_day

    def _archived(self, row: MessageRow) -> bytes | None:
        if not row.raw_path:
            return None
        try:
            return self.archive.resolve(row.raw_path).read_bytes()
        except OSError:
            return None

    def _too_big(self, ref: MessageRef, key: str, received_at: datetime) -> None:
        """Answer a message too big to download, from its header block alone."""
        assert self.source is not None
        limit = self.settings.max_message_bytes // (1024 * 1024)
        reason = MAIL_TOO_BIG.format(size=round(ref.size / (1024 * 1024), 1), limit=limit)
        header = self.source.fetch_header(ref)
        self.process(key, header, received_at, oversize=reason, gm_msgid=ref.gm_msgid)
