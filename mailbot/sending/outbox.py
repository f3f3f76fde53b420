"""Sending the outbox: composed mails as outbox rows, and `deliver`, which sends what is due.

Owns the order and pacing of sends (priority, the daily cap and per-minute pace of `quota`)
and the outbox bookkeeping around each send: a row is marked sent right after the server
accepted it. A failure of the server (down, TLS, login, 421) stops the sending and charges no
row, so the first poll after an outage sends everything due; a refusal of one message is
charged to that message only. One batch rides on one SMTP connection when the mailer supports
it. Must not compose mails (the renders do) nor read the mailbox.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from datetime import date, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from mailbot.errors import MessageRefused, SendError, ServerSendError
from mailbot.sending.mailer import BytesMailer, Mailer
from mailbot.sending.quota import EXEMPT_KINDS, Pacer, SendQuota
from mailbot.store import OutgoingMail, Store

if TYPE_CHECKING:
    from mailbot.cycle import PollReport

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
_PARSER = BytesParser(policy=policy.default)


class RowKeys(TypedDict, total=False):
    """The OutgoingMail fields a caller of `outgoing` may add."""

    unit_code: str | None
    day: date | None


def outgoing(kind: str, msg: EmailMessage, priority: int, **extra: Unpack[RowKeys]) -> OutgoingMail:
    """A composed mail as an outbox row (its Message-ID is the row's identity)."""
    to_addrs = tuple(
        a.addr_spec for h in ("To", "Cc") for a in getattr(msg.get(h), "addresses", ())
    )
    return OutgoingMail(
        kind=kind,
        rfc_message_id=str(msg["Message-ID"]),
        to_addrs=to_addrs,
        raw=msg.as_bytes(policy=policy.SMTP),
        priority=priority,
        **extra,
    )


def deliver(
    store: Store,
    mailer: Mailer,
    clock: Clock,
    report: PollReport,
    batch: int = 50,
    quota: SendQuota | None = None,
    pacer: Pacer | None = None,
) -> None:
    """Send what the outbox holds now; a failure is retried later with backoff.

    With a `quota`, mail past the daily cap stays pending (in priority order, receipts before
    reminders) for the next day, and sends are spaced to the per-minute pace.
    """
    pacer = pacer or Pacer()
    today = _SentToday(store)
    # Batch after batch until a batch sends nothing: one poll answers a whole burst (a held or
    # failed row is skipped, and a batch of only such rows ends the loop).
    try:
        while _deliver_batch(store, mailer, clock, report, batch, quota, pacer, today):
            pass
    except ServerSendError as exc:
        # Every row stays due as it was: the next poll after the outage sends them all.
        waiting = sum(store.outbox_waiting().values())
        line = f"SMTP server unusable, {waiting} mail(s) wait for the next poll: {exc}"
        report.note("send_failed", line)
        log.warning("%s", line)
    if quota is not None and _capped(store, quota, clock()):
        held = sum(n for k, n in store.outbox_waiting().items() if k not in EXEMPT_KINDS)
        if held:
            report.counts["held"] += held
            line = f"{held} mail(s) wait for tomorrow: daily cap of {quota.daily_cap} reached"
            report.lines.append(line)
            log.warning("%s", line)


def _deliver_batch(
    store: Store,
    mailer: Mailer,
    clock: Clock,
    report: PollReport,
    batch: int,
    quota: SendQuota | None,
    pacer: Pacer,
    today: _SentToday,
) -> int:
    """Send one batch of pending mail; the number actually sent (ServerSendError stops it)."""
    sent = 0
    if _capped(store, quota, clock()):
        # Capped for today: only office mail may go; the rest stays queued in its order.
        rows = store.pending_outbox(clock(), limit=batch, kinds=EXEMPT_KINDS)
    else:
        rows = store.pending_outbox(clock(), limit=batch)
    # Only reminders need to know who has reported; the query decodes no values.
    reported = store.reported_units() if any(r.kind == "reminder" for r in rows) else set()
    with _batch(mailer) if rows else contextlib.nullcontext():
        for row in rows:
            if row.kind == "reminder" and row.unit_code in reported:
                # A reminder still waiting (SMTP was down) must not reach a unit that has reported.
                store.cancel_outbox(row.id, "unit reported meanwhile")
                report.note("cancelled", f"outbox #{row.id} (reminder): unit already reported")
                continue
            if quota is not None:
                if quota.holds(row.kind, today.count(quota.day_start(clock()))):
                    continue
                pacer.wait(quota.per_minute)
            try:
                _send(mailer, row.raw)
            except ServerSendError:
                raise  # the server's fault, not this row's: `deliver` stops sending
            except SendError as exc:
                # This message only: a 5xx gives up on it now, anything else retries it later.
                permanent = isinstance(exc, MessageRefused) and exc.permanent
                status = store.mark_send_failed(row.id, str(exc), clock(), permanent=permanent)
                verdict = "given up" if status == "failed" else "retried later"
                report.note("send_failed", f"outbox #{row.id} ({row.kind}): {verdict}: {exc}")
                continue
            # Marked right after the server's 250: a crash or failure later never resends it.
            store.mark_sent(row.id, clock())
            today.sent()
            sent += 1
            report.note("sent", f"outbox #{row.id} ({row.kind}) sent to {', '.join(row.to_addrs)}")
    return sent


class _SentToday:
    """Mails sent since the quota day began: counted in the store, then kept up to date here.

    Counting the outbox for every row cost more than the send itself; a recount every
    RECOUNT sends (and at a new day) still sees mail another process sent meanwhile.
    """

    RECOUNT = 50

    def __init__(self, store: Store) -> None:
        self.store = store
        self.day: datetime | None = None
        self.total = 0
        self.since_count = 0

    def count(self, day_start: datetime) -> int:
        """Mails sent since `day_start` (the current quota day)."""
        if day_start != self.day or self.since_count >= self.RECOUNT:
            self.day, self.since_count = day_start, 0
            self.total = self.store.sent_since(day_start)
        return self.total

    def sent(self) -> None:
        """Count one more mail accepted by the server."""
        self.total += 1
        self.since_count += 1


def _send(mailer: Mailer, raw: bytes) -> None:
    """Send an outbox row's bytes: as they are when the mailer can, else parsed back."""
    if isinstance(mailer, BytesMailer):
        mailer.send_bytes(raw)
    else:
        mailer.send(_PARSER.parsebytes(raw))


def _batch(mailer: Mailer) -> contextlib.AbstractContextManager[Any]:
    """The mailer as a batch (one connection for all sends) when it supports that."""
    if isinstance(mailer, contextlib.AbstractContextManager):
        return mailer
    return contextlib.nullcontext(mailer)


def _capped(store: Store, quota: SendQuota | None, now: datetime) -> bool:
    """True when today's sending has reached the daily cap (office mail still goes)."""
    return quota is not None and quota.holds("", store.sent_since(quota.day_start(now)))
