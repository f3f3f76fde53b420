"""The office jobs on a database of polled reports: roll-up, summary log, reminders, status."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mailbot.cli.office_lines import display_width, pad, status_table
from mailbot.ingest.booking import RECEIPT_PRIORITY
from mailbot.office.jobs import (
    current_rollup,
    days_left,
    queue_reminders,
    queue_summary,
    send_reminders,
    status,
    summary_mail,
)
from mailbot.parsing import parse_bytes
from mailbot.parsing.interpret import BLANK_FORM
from mailbot.sending.outbox import outgoing
from mailbot.store import Store
from tests.support.mailshapes import report_email
from tests.support.office_env import (
    FORM,
    LATEST,
    MISSING,
    MN,
    NAM_ET,
    copy_database,
    expected_totals,
    latest_values,
    poll_reports,
    polled_database,
    xlsx_attachment,
)
from tests.support.pipeline_env import PipelineEnv, file_bytes, report_file
from tests.support.servers import Dovecot, SmtpServer

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# Deadline 15/10/2021 (end of day, campaign time); reminders 3 and 1 days before. The polled
# reports arrived 10:00-13:00 that day.
REMINDER_DAY = datetime(2021, 10, 12, 15, 0, tzinfo=TZ)
ROSTER_CODES = ["xa-muong-giang", "xa-chieng-khay", "thcs-muong-giang", *MISSING]


@pytest.fixture(scope="module")
def polled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding the polled REPORTS (made once for this module)."""
    return polled_database(tmp_path_factory.mktemp("polled"))


@pytest.fixture
def env(dovecot: Dovecot, smtp_server: SmtpServer, tmp_path: Path, polled: Path) -> PipelineEnv:
    """Fresh servers and clock, with a copy of the polled database."""
    copy_database(polled, tmp_path / "db.sqlite3")
    pipe = PipelineEnv(dovecot, smtp_server, tmp_path)
    pipe.clock.now = REMINDER_DAY
    return pipe


@pytest.fixture
def empty_env(dovecot: Dovecot, smtp_server: SmtpServer, tmp_path: Path) -> PipelineEnv:
    """Fresh servers, an empty database and the clock on a reminder day."""
    os.environ["MAILBOT_TEST_IMAP_PASSWORD"] = dovecot.password
    pipe = PipelineEnv(dovecot, smtp_server, tmp_path)
    pipe.clock.now = REMINDER_DAY
    return pipe


@pytest.mark.servers
def test_rollup_totals_are_the_sum_of_each_units_latest_submission(env: PipelineEnv) -> None:
    """The roll-up adds up the latest report of each unit; the corrected one is left out."""
    with env.store() as store:
        rollup = current_rollup(env.config, store, env.clock.now)
    assert rollup.totals == expected_totals()
    assert [u.code for u in rollup.missing] == MISSING


@pytest.mark.servers
def test_rollup_units_carry_the_latest_values(env: PipelineEnv) -> None:
    """Each reporting unit's submission in the roll-up holds its latest report's values."""
    with env.store() as store:
        rollup = current_rollup(env.config, store, env.clock.now)
    got = {r.unit.code: r.submission.values for r in rollup.units if r.submission}
    assert got == latest_values()


@pytest.mark.servers
def test_summary_is_logged_with_now_as_the_next_cut_off(env: PipelineEnv) -> None:
    """Queuing the summary logs it with `now` as created_at and the day's counts."""
    with env.store() as store:
        queue_summary(env.config, store, env.clock.now)
        last = store.last_summary()
    assert last is not None
    assert (last.created_at, last.day, last.stats["submitted"], last.stats["missing"]) == (
        env.clock.now,
        env.clock.now.date(),
        3,
        MISSING,
    )


@pytest.mark.servers
def test_summary_is_queued_once_per_local_day(env: PipelineEnv) -> None:
    """A second summary the same campaign day is refused; the next day's is queued."""
    cfg = env.config
    with env.store() as store:
        first = queue_summary(cfg, store, REMINDER_DAY)
        again = queue_summary(cfg, store, REMINDER_DAY + timedelta(hours=8, minutes=59))
        next_day = queue_summary(cfg, store, REMINDER_DAY + timedelta(hours=9))
    assert (first is not None, again, next_day is not None) == (True, None, True)


@pytest.mark.servers
def test_next_summary_lists_as_new_only_what_arrived_since_the_last(env: PipelineEnv) -> None:
    """After a summary, a later report is the only "new" unit of the next day's summary."""
    cfg = env.config
    with env.store() as store:
        queue_summary(cfg, store, REMINDER_DAY)
    env.deliver(report_mail(MN, "office-mn-late", 11), when=REMINDER_DAY + timedelta(hours=2))
    env.clock.now = REMINDER_DAY + timedelta(hours=3)
    env.poll()
    with env.store() as store:
        _, rollup = summary_mail(cfg, store, REMINDER_DAY + timedelta(days=1))
    assert ([r.unit.code for r in rollup.new], rollup.since) == (["mn-muong-giang"], REMINDER_DAY)


@pytest.mark.servers
def test_the_outbox_sends_receipts_then_the_summary_then_reminders(env: PipelineEnv) -> None:
    """Pending mail is ordered by priority: receipt first, summary next, reminders last."""
    cfg = env.config
    receipt = EmailMessage()
    receipt["To"], receipt["Message-ID"] = MN, "<receipt.test@example.test>"
    receipt.set_content("x")
    with env.store() as store:
        queue_reminders(cfg, store, REMINDER_DAY)
        queue_summary(cfg, store, REMINDER_DAY)
        store.enqueue(outgoing("receipt", receipt, RECEIPT_PRIORITY), REMINDER_DAY)
        kinds = [row.kind for row in store.pending_outbox(REMINDER_DAY)]
    assert kinds == ["receipt", "summary", "reminder", "reminder"]


@pytest.mark.servers
def test_reminders_go_only_to_units_that_have_not_reported(env: PipelineEnv) -> None:
    """On a reminder day each unit without a report gets one reminder, at its own address."""
    with env.store() as store:
        queued, _ = send_reminders(env.config, store, env.mailer(), env.clock.now)
    assert queued == MISSING
    assert sorted(tuple(m.rcpt_tos) for m in env.smtp.messages) == [(MN,), (NAM_ET,)]


@pytest.mark.servers
def test_a_reminder_carries_the_blank_form(env: PipelineEnv) -> None:
    """The attached workbook is the blank Appendix 2: the form, refused as not yet filled."""
    with env.store() as store:
        send_reminders(env.config, store, env.mailer(), env.clock.now)
    [reminder] = [m for m in env.receipts() if m["To"] == MN]
    result = parse_bytes(xlsx_attachment(reminder), "blank.xlsx")
    assert (result.ok, result.errors, result.values, reminder["Auto-Submitted"]) == (
        False,
        [BLANK_FORM],
        FORM.empty_values(),
        "auto-generated",
    )


@pytest.mark.servers
def test_reminders_are_never_sent_twice_a_day(env: PipelineEnv) -> None:
    """Running the reminder job again the same day queues and sends nothing more."""
    cfg = env.config
    with env.store() as store:
        send_reminders(cfg, store, env.mailer(), REMINDER_DAY)
        again, report = send_reminders(cfg, store, env.mailer(), REMINDER_DAY + timedelta(hours=8))
    assert (again, sum(report.counts.values()), len(env.smtp.messages)) == ([], 0, 2)


@pytest.mark.parametrize("day", [10, 11, 13, 15, 16, 20])
@pytest.mark.servers
def test_no_reminders_on_other_days(env: PipelineEnv, day: int) -> None:
    """Days that are not 3 or 1 days before the deadline's day (incl. after it) queue none."""
    with env.store() as store:
        assert queue_reminders(env.config, store, datetime(2021, 10, day, 8, tzinfo=TZ)) == []


@pytest.mark.servers
def test_the_day_before_the_deadline_is_a_reminder_day(env: PipelineEnv) -> None:
    """One day before the deadline the missing units are reminded again."""
    with env.store() as store:
        assert queue_reminders(env.config, store, datetime(2021, 10, 14, 8, tzinfo=TZ)) == MISSING


@pytest.mark.servers
def test_a_unit_that_reported_gets_no_further_reminder(empty_env: PipelineEnv) -> None:
    """A unit reminded three days ahead that then reports is not reminded the day before."""
    env = empty_env
    with env.store() as store:
        first = queue_reminders(env.config, store, REMINDER_DAY)
    poll_reports(env, [(MN, "office-mn", 11, 0)])
    with env.store() as store:
        later = queue_reminders(env.config, store, datetime(2021, 10, 14, 8, tzinfo=TZ))
    assert first == ROSTER_CODES
    assert later == [c for c in ROSTER_CODES if c != "mn-muong-giang"]


@pytest.mark.parametrize(
    ("moment", "left"),
    [
        (datetime(2021, 10, 14, 16, 59, tzinfo=UTC), 1),  # 23:59 on the 14th, campaign time
        (datetime(2021, 10, 14, 17, 0, tzinfo=UTC), 0),  # 00:00 on the 15th
        (datetime(2021, 10, 16, 1, 0, tzinfo=UTC), -1),
    ],
)
@pytest.mark.servers
def test_days_left_counts_calendar_days_in_campaign_time(
    env: PipelineEnv, moment: datetime, left: int
) -> None:
    """Days to the deadline follow the campaign's calendar, not UTC's."""
    assert days_left(env.config, moment) == left


@pytest.mark.servers
def test_status_rows_hold_each_units_latest_report(env: PipelineEnv) -> None:
    """Status has one row per roster unit: submitted, time in campaign time, values."""
    with Store.open(env.tmp / "db.sqlite3", tz=UTC) as store:  # another zone on purpose
        rows = status(env.config, store)
        subs = {s.unit_code: s for s in store.latest_submissions()}
    values = latest_values()
    got = [(r["unit_code"], r["submitted"], r["received_at"], r["values"]) for r in rows]
    assert got == [
        (
            code,
            code in LATEST,
            subs[code].received_at.astimezone(TZ).isoformat() if code in LATEST else None,
            values.get(code),
        )
        for code in ROSTER_CODES
    ]
    assert all(r["received_at"] is None or r["received_at"].endswith("+07:00") for r in rows)


@pytest.mark.servers
def test_summary_workbook_rolls_up_like_the_roll_up(env: PipelineEnv) -> None:
    """The summary's attached "Tổng hợp" sheet reads back as the expected totals."""
    with env.store() as store:
        msg, _ = summary_mail(env.config, store, env.clock.now)
    result = parse_bytes(xlsx_attachment(msg), "tong-hop.xlsx")
    assert (result.ok, result.values) == (True, expected_totals())


def report_mail(sender: str, name: str, index: int) -> bytes:
    """A report email carrying one generated form."""
    form = report_file(name, "xlsx", unit_index=index)
    files = [(f"{name}.xlsx", file_bytes(form))]
    return report_email(sender, attachments=files, message_id=f"<{name}@example.test>")


# --- terminal text -------------------------------------------------------------------------

NAMES = st.text(
    alphabet=st.sampled_from("aăâeêioôơuưyđ ÀÁẢÃẠẦẤỀẾỜỚỮỰ学校한국e\u0301a\u0300"), max_size=20
)


@given(NAMES, st.integers(min_value=0, max_value=40))
def test_pad_fills_to_the_terminal_width(text: str, width: int) -> None:
    """A padded cell takes max(width, its own width) terminal columns."""
    assert display_width(pad(text, width)) == max(width, display_width(text))


def test_display_width_of_wide_and_combining_characters() -> None:
    """CJK takes two columns, a combining mark none, precomposed Vietnamese one."""
    assert [display_width(t) for t in ("Mường", "学校", "e\u0301", "")] == [5, 4, 1, 0]


@given(st.lists(NAMES, min_size=1, max_size=6))
def test_status_table_columns_line_up(names: list[str]) -> None:
    """Whatever the unit names, the status column starts at the same terminal column."""
    rows = [
        {
            "unit_code": f"u{i}",
            "unit_name": name,
            "submitted": i % 2 == 0,
            "received_at": "2021-10-12T10:00:00+07:00" if i % 2 == 0 else None,
            "late": False,
            "warnings": i,
            "values": None,
        }
        for i, name in enumerate(names)
    ]
    lines = status_table(rows)[2:-1]
    starts = {display_width(line.split("Chưa nộp")[0].split("Đã nộp")[0]) for line in lines}
    assert len(starts) == 1
