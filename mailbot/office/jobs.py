"""The office's jobs: the roll-up, the daily summary, deadline reminders, the workbook, status.

Joins the store and the config to the pure pieces (`rollup`, `messages.compose`,
`office.workbook`); the store, the mailer and `now` are passed in. Queuing goes through the
outbox (so each mail leaves once), sending through `outbox.deliver`. Must not read the
mailbox, parse reports or read the clock.
"""

from __future__ import annotations

import io
import logging
import os
from dataclasses import replace
from datetime import date, datetime
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from typing import TYPE_CHECKING

from mailbot.config import Config
from mailbot.config.form import campaign_form
from mailbot.errors import LockedError, ReportError
from mailbot.forms import Form
from mailbot.messages.compose import (
    compose_reminder,
    compose_summary,
    make_message_id,
    message_domain,
)
from mailbot.messages.outbox_view import given_up_view
from mailbot.office.report_job import attach_report, draft_report, report_filename
from mailbot.office.workbook import write_blank_form, write_rollup_workbook
from mailbot.parsing.narrative import cross_check
from mailbot.rollup import Rollup, build_rollup, campaign, status_rows
from mailbot.sending.mailer import Mailer
from mailbot.sending.quota import SendQuota, send_quota
from mailbot.store import Store

if TYPE_CHECKING:
    # The pipeline pulls in intake and the parser (~0.2 s); only the sending jobs need it.
    from mailbot.cycle import PollReport

log = logging.getLogger(__name__)

# The outbox sends highest priority first: receipts (pipeline.RECEIPT_PRIORITY = 10), then
# the summary, then reminders; tests/test_office.py pins the order.
SUMMARY_PRIORITY = 5
REMINDER_PRIORITY = 0


def current_rollup(
    cfg: Config, store: Store, now: datetime, since: datetime | None = None
) -> Rollup:
    """The roll-up of the roster's current submissions and open problems at `now`."""
    return build_rollup(
        campaign_form(cfg.campaign),
        campaign(cfg),
        cfg.units,
        store.latest_submissions(),
        store.problems(),
        now,
        since,
    )


def local_day(cfg: Config, now: datetime) -> date:
    """The calendar day of `now` in the campaign timezone."""
    return now.astimezone(cfg.campaign.timezone).date()


def days_left(cfg: Config, now: datetime) -> int:
    """Whole calendar days from today to the deadline's day, in campaign time (0: today)."""
    deadline_day = cfg.campaign.deadline.astimezone(cfg.campaign.timezone).date()
    return (deadline_day - local_day(cfg, now)).days


def _from_name(cfg: Config) -> str:
    return cfg.smtp.from_name or cfg.office.name


def workbook_bytes(rollup: Rollup) -> bytes:
    """The roll-up workbook as .xlsx bytes."""
    buf = io.BytesIO()
    write_rollup_workbook(rollup, buf)
    return buf.getvalue()


def blank_form_bytes(form: Form, place: str = "") -> bytes:
    """The blank Appendix 2 workbook as .xlsx bytes."""
    buf = io.BytesIO()
    write_blank_form(form, buf, place=place)
    return buf.getvalue()


def summary_message_id(cfg: Config, now: datetime) -> str:
    """The summary's Message-ID: one per campaign and local day, so a day has one summary."""
    key = f"{cfg.campaign.name}\0{local_day(cfg, now).isoformat()}"
    return make_message_id("summary", key, message_domain(cfg.smtp.from_addr))


def summary_mail(
    cfg: Config, store: Store, now: datetime, with_report: bool = False
) -> tuple[EmailMessage, Rollup]:
    """Today's summary email (workbook attached) and its roll-up; "new" = since the last one.

    The drafted district report is attached too once the deadline has passed, or always
    with `with_report`.
    """
    last = store.last_summary()
    rollup = current_rollup(cfg, store, now, since=last.created_at if last else None)
    draft = None
    if with_report or rollup.past_deadline:
        try:
            draft, _ = draft_report(cfg, store, rollup, now)
        except ReportError:  # an office-edited template must never cost the daily summary
            log.exception("the district report could not be drafted; summary sent without it")
    report_file = report_filename(cfg, now) if draft is not None else None
    msg = compose_summary(
        rollup,
        workbook_bytes(rollup),
        to_addrs=cfg.office.summary_recipients,
        from_addr=cfg.smtp.from_addr,
        from_name=_from_name(cfg),
        message_id=summary_message_id(cfg, now),
        date=now,
        waiting=store.outbox_waiting(),
        given_up=given_up_view(
            store.given_up_outbox(last.created_at if last else None), cfg.campaign.timezone
        ),
        last_poll=store.last_poll(),
        unrelated=store.count_unrelated(last.created_at if last else None),
        report_file=report_file,
    )
    if draft is not None and report_file is not None:
        attach_report(msg, draft, report_file)
    return msg, rollup


def summary_stats(rollup: Rollup) -> dict:
    """What the summary log keeps about a roll-up (codes, counts)."""
    return {
        "submitted": rollup.submitted_count,
        "units": rollup.unit_count,
        "missing": [u.code for u in rollup.missing],
        "new": [r.unit.code for r in rollup.new],
        "late": [r.unit.code for r in rollup.late],
        "problems": len(rollup.unreadable) + len(rollup.unassigned),
    }


def queue_summary(
    cfg: Config, store: Store, now: datetime, with_report: bool = False
) -> int | None:
    """Queue today's summary and log it; its summary id, or None when today's is queued."""
    from mailbot.sending.outbox import outgoing

    msg, rollup = summary_mail(cfg, store, now, with_report)
    mail = outgoing("summary", msg, SUMMARY_PRIORITY, day=local_day(cfg, now))
    # record_summary inserts the outbox row and the log row in one transaction; the
    # Message-ID's UNIQUE index makes a second call on the same day a no-op.
    return store.record_summary(mail, now, summary_stats(rollup))


def deliver_queued(
    store: Store, mailer: Mailer, now: datetime, quota: SendQuota | None = None
) -> PollReport:
    """Send what the outbox holds, under the poll lock; a running poll sends it instead."""
    from mailbot.cycle import PollReport
    from mailbot.sending.outbox import deliver

    report = PollReport()
    try:
        with store.poll_lock(f"office send (pid {os.getpid()})"):
            deliver(store, mailer, lambda: now, report, quota=quota)
    except LockedError as exc:
        # The mail is committed to the outbox: the poll holding the lock (or the next) sends it.
        report.note("deferred", f"not sent now, queued for the next poll: {exc}")
    return report


def send_summary(
    cfg: Config, store: Store, mailer: Mailer, now: datetime, with_report: bool = False
) -> tuple[int | None, PollReport]:
    """Queue today's summary (once per day) and send the outbox."""
    queued = queue_summary(cfg, store, now, with_report)
    return queued, deliver_queued(store, mailer, now, send_quota(cfg))


def reminder_message_id(cfg: Config, unit_code: str, day: date) -> str:
    """A reminder's Message-ID: one per campaign, unit and day."""
    key = f"{cfg.campaign.name}\0{unit_code}\0{day.isoformat()}"
    return make_message_id("reminder", key, message_domain(cfg.smtp.from_addr))


def queue_reminders(cfg: Config, store: Store, now: datetime) -> list[str]:
    """On a reminder day, queue one reminder per unit that has not reported; their codes.

    A reminder day is one whose distance to the deadline's day is in `schedule.reminder_days`.
    Units with a current submission, without addresses, or already reminded today are skipped.
    """
    left = days_left(cfg, now)
    if left not in cfg.schedule.reminder_days:
        return []
    today = local_day(cfg, now)
    reported = {s.unit_code for s in store.latest_submissions()}
    due = [
        u
        for u in cfg.units
        if u.code not in reported and u.emails and not store.reminder_sent(u.code, today)
    ]
    if not due:
        return []
    from mailbot.sending.outbox import outgoing

    camp = campaign(cfg)
    blank = blank_form_bytes(campaign_form(cfg.campaign))
    queued = []
    for unit in due:
        msg = compose_reminder(
            unit,
            camp,
            blank,
            left,
            to_addrs=unit.emails,
            from_addr=cfg.smtp.from_addr,
            from_name=_from_name(cfg),
            message_id=reminder_message_id(cfg, unit.code, today),
            date=now,
        )
        mail = outgoing("reminder", msg, REMINDER_PRIORITY, unit_code=unit.code, day=today)
        # The outbox's (kind, unit_code, day) index refuses a second one, even from a race.
        if store.enqueue(mail, now) is not None:
            queued.append(unit.code)
    return queued


def send_reminders(
    cfg: Config, store: Store, mailer: Mailer, now: datetime
) -> tuple[list[str], PollReport]:
    """Queue today's reminders and send the outbox."""
    queued = queue_reminders(cfg, store, now)
    return queued, deliver_queued(store, mailer, now, send_quota(cfg))


def export_workbook(cfg: Config, store: Store, path: str | Path, now: datetime) -> Rollup:
    """Write the roll-up workbook to `path`; returns the roll-up it holds."""
    rollup = current_rollup(cfg, store, now)
    write_rollup_workbook(rollup, path)
    return rollup


def status(cfg: Config, store: Store) -> list[dict]:
    """One JSON-ready row per roster unit; `received_at` is ISO 8601 in campaign time."""
    tz = cfg.campaign.timezone
    # The store hands back its own zone; pin the campaign's whatever it was opened with.
    subs = [
        replace(s, received_at=s.received_at.astimezone(tz)) for s in store.latest_submissions()
    ]
    rows = status_rows(cfg.units, subs)
    narratives = store.latest_narratives()
    for row in rows:  # Appendix 1 (issue 14): whether it came, its sections, budget mismatches
        story = narratives.get(row["unit_code"])
        row["narrative"] = story is not None
        row["narrative_sections"] = story.section_codes() if story else []
        row["narrative_warnings"] = cross_check(story.narrative if story else None, row["values"])
    return rows


def save_summary(msg: EmailMessage, path: str | Path) -> None:
    """Write a summary for preview: its HTML body (.html), text body (.txt) or the .eml."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm", ".txt"):
        part = msg.get_body(preferencelist=("html",) if suffix != ".txt" else ("plain",))
        assert part is not None  # compose_summary always writes both bodies
        path.write_text(part.get_content(), encoding="utf-8")
    else:
        path.write_bytes(msg.as_bytes(policy=SMTP))
