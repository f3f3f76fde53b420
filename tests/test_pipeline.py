"""The poll pipeline against a real Dovecot and a real SMTP server: exactly once, end to end."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest

from mailbot.cycle import PollReport
from mailbot.ingest import readahead
from mailbot.ingest.poll import ingest, poll
from mailbot.parsing import guard
from mailbot.runtime.wiring import open_archive, poll_settings
from mailbot.sending.outbox import outgoing
from tests.support.mailshapes import auto_reply, bounce, report_email, spoofed_email
from tests.support.pipeline_env import START, PipelineEnv, file_bytes, report_file
from tests.support.servers import Dovecot, SmtpServer

MG = "ubnd.muonggiang@example.test"  # UBND xã Mường Giàng (formgen unit 0)
CK = "vanthu.chiengkhay@example.test"  # UBND xã Chiềng Khay (formgen unit 2)
THCS = "thcs.muonggiang@example.org"  # Trường THCS Mường Giàng


@pytest.fixture
def env(dovecot: Dovecot, smtp_server: SmtpServer, tmp_path: Path) -> PipelineEnv:
    """The pipeline wired to fresh servers, an empty database and a settable clock."""
    os.environ["MAILBOT_TEST_IMAP_PASSWORD"] = dovecot.password
    return PipelineEnv(dovecot, smtp_server, tmp_path)


def current(env: PipelineEnv) -> dict[str, dict]:
    """Each unit's current values, from the database."""
    with env.store() as store:
        return {s.unit_code: s.values for s in store.latest_submissions()}


@pytest.mark.servers
def test_a_report_is_booked_with_the_values_read_from_its_table(env: PipelineEnv) -> None:
    """The unit's submission holds exactly the values of its attached form."""
    form = report_file("mg", "xlsx", unit_index=0)
    env.deliver(report_email(MG, attachments=[("bao-cao.xlsx", file_bytes(form))]))
    env.poll()
    assert current(env) == {"xa-muong-giang": form.values}


@pytest.mark.servers
def test_the_sender_gets_one_receipt_in_the_thread(env: PipelineEnv) -> None:
    """One receipt, to the sender, replying to the report's Message-ID, marked auto-replied."""
    form = report_file("mg", "docx", unit_index=0)
    raw = report_email(
        MG, attachments=[("bc.docx", file_bytes(form))], message_id="<r1@example.test>"
    )
    env.deliver(raw)
    env.poll()
    [receipt] = env.receipts()
    assert [str(a) for a in receipt["To"].addresses] == [MG]
    assert receipt["In-Reply-To"] == "<r1@example.test>"
    assert receipt["Auto-Submitted"] == "auto-replied"
    assert receipt["Subject"].startswith("Re: ")
    assert list(env.smtp.messages[0].rcpt_tos) == [MG]


@pytest.mark.servers
def test_a_second_poll_changes_nothing_and_sends_nothing(env: PipelineEnv) -> None:
    """Polling again books nothing new and sends no second receipt."""
    form = report_file("mg", "xlsx", unit_index=0)
    env.deliver(report_email(MG, attachments=[("bc.xlsx", file_bytes(form))]))
    env.poll()
    second = env.poll()
    assert sum(second.counts.values()) == 0
    assert len(env.smtp.messages) == 1


@pytest.mark.servers
def test_booked_mail_is_flagged_and_not_marked_read(env: PipelineEnv) -> None:
    """The server copy carries the processed keyword and no \\Seen flag."""
    form = report_file("mg", "xlsx", unit_index=0)
    env.deliver(report_email(MG, attachments=[("bc.xlsx", file_bytes(form))]))
    env.poll()
    [stored] = env.dovecot.messages("INBOX")
    assert "$MailbotProcessed" in stored.flags
    assert "\\Seen" not in stored.flags


@pytest.mark.servers
def test_mail_read_by_a_person_is_still_booked(env: PipelineEnv) -> None:
    """A message already opened in Gmail (\\Seen) is booked all the same."""
    form = report_file("mg", "xlsx", unit_index=0)
    raw = report_email(MG, attachments=[("bc.xlsx", file_bytes(form))])
    env.dovecot.append("INBOX", raw, flags=["\\Seen"], msg_time=env.clock.now)
    env.poll()
    assert "xa-muong-giang" in current(env)


@pytest.mark.servers
def test_a_corrected_report_replaces_the_earlier_one(env: PipelineEnv) -> None:
    """The latest submission wins; the earlier one is kept in history; one receipt each."""
    first = report_file("first", "xlsx", unit_index=0, seed=1)
    second = report_file("second", "xlsx", unit_index=0, seed=2)
    env.deliver(report_email(MG, attachments=[("bc.xlsx", file_bytes(first))], message_id="<1@t>"))
    env.poll()
    env.clock.advance(hours=2)
    corrected = [("bc-sua.xlsx", file_bytes(second))]
    env.deliver(report_email(MG, attachments=corrected, message_id="<2@t>"))
    env.poll()
    assert current(env) == {"xa-muong-giang": second.values}
    with env.store() as store:
        assert len(store.history("xa-muong-giang")) == 2
    assert len(env.smtp.messages) == 2


@pytest.mark.servers
def test_a_crash_between_booking_and_sending_loses_nothing_and_sends_once(
    env: PipelineEnv,
) -> None:
    """Booked but not sent (the process died): the next poll sends exactly one receipt."""
    form = report_file("mg", "xlsx", unit_index=0)
    env.deliver(report_email(MG, attachments=[("bc.xlsx", file_bytes(form))]))
    cfg = env.config
    with env.store() as store:  # the first run stops right after booking
        ingest(env.source(), store, open_archive(cfg), poll_settings(cfg), env.clock, PollReport())
    assert env.smtp.messages == []
    env.poll()
    env.poll()
    assert len(env.smtp.messages) == 1
    assert current(env) == {"xa-muong-giang": form.values}


@pytest.mark.servers
def test_a_receipt_waits_while_smtp_is_down_and_goes_once_it_is_back(env: PipelineEnv) -> None:
    """A failed send stays in the outbox and is sent once, after the backoff, when SMTP is up."""
    form = report_file("mg", "xlsx", unit_index=0)
    env.deliver(report_email(MG, attachments=[("bc.xlsx", file_bytes(form))]))
    env.smtp.stop()
    report = env.poll()
    assert report.counts["send_failed"] == 1
    env.smtp.start()
    env.clock.advance(minutes=5)
    env.poll()
    env.clock.advance(minutes=30)
    env.poll()
    assert len(env.smtp.messages) == 1


@pytest.mark.servers
def test_a_dovecot_restart_between_cycles_is_harmless(env: PipelineEnv) -> None:
    """After the IMAP server restarts, the next poll books only the new message."""
    a = report_file("a", "xlsx", unit_index=0)
    b = report_file("b", "xlsx", unit_index=2)
    env.deliver(report_email(MG, attachments=[("a.xlsx", file_bytes(a))]))
    env.poll()
    env.dovecot.restart()
    env.deliver(report_email(CK, attachments=[("b.xlsx", file_bytes(b))]))
    env.poll()
    assert current(env) == {"xa-muong-giang": a.values, "xa-chieng-khay": b.values}
    assert len(env.smtp.messages) == 2


@pytest.mark.servers
def test_a_uidvalidity_change_books_nothing_twice(env: PipelineEnv) -> None:
    """When the folder's UIDVALIDITY changes, the rescan finds only duplicates."""
    a = report_file("a", "xlsx", unit_index=0)
    env.deliver(report_email(MG, attachments=[("a.xlsx", file_bytes(a))]))
    env.poll()
    env.dovecot.change_uidvalidity("INBOX")
    report = env.poll()
    assert report.counts["booked"] == 0
    assert len(env.smtp.messages) == 1
    with env.store() as store:
        assert len(store.history("xa-muong-giang")) == 1


@pytest.mark.servers
def test_an_unknown_address_is_booked_by_the_unit_named_in_the_file(env: PipelineEnv) -> None:
    """A roster unit named in the header, sent from an unknown address: booked and flagged."""
    form = report_file("ck", "xlsx", unit_index=2, header_style="two_column")
    env.deliver(report_email("canbo.moi@example.net", attachments=[("bc.xlsx", file_bytes(form))]))
    env.poll()
    assert current(env) == {"xa-chieng-khay": form.values}
    with env.store() as store:
        [problem] = store.problems()
    assert problem.kind == "unknown_sender"
    assert len(env.smtp.messages) == 1


@pytest.mark.servers
def test_mail_from_nobody_on_the_roster_is_kept_as_unassigned(env: PipelineEnv) -> None:
    """A report that names no roster unit is kept for the office, never dropped."""
    form = report_file("stranger", "xlsx", unit_index=5, header_style="none")
    env.deliver(report_email("ai.do@example.net", attachments=[("bc.xlsx", file_bytes(form))]))
    env.poll()
    assert current(env) == {}
    with env.store() as store:
        [problem] = store.problems()
    assert problem.kind == "unassigned"


@pytest.mark.servers
def test_auto_replies_and_bounces_get_no_receipt(env: PipelineEnv) -> None:
    """Out-of-office replies and delivery reports are stored but never answered.

    The auto-reply names the campaign (machine mail, 'ignored'); the bounce of a mail we
    never sent is not the campaign's ('unrelated').
    """
    env.deliver(auto_reply(MG))
    env.deliver(bounce(report_email(MG)))
    report = env.poll()
    assert (report.counts["ignored"], report.counts["unrelated"]) == (1, 1)
    assert env.smtp.messages == []


@pytest.mark.servers
def test_a_spoofed_sender_is_quarantined_and_not_answered(env: PipelineEnv) -> None:
    """DMARC failure by our own server's verdict: not booked, not answered, shown to office."""
    form = report_file("mg", "xlsx", unit_index=0)
    env.deliver(spoofed_email(MG, attachments=[("bc.xlsx", file_bytes(form))]))
    env.poll()
    assert current(env) == {}
    assert env.smtp.messages == []
    with env.store() as store:
        [problem] = store.problems()
    assert problem.kind == "quarantined"


@pytest.mark.servers
def test_a_forwarded_report_counts_for_the_original_sender(env: PipelineEnv) -> None:
    """A message/rfc822 forward is booked to the unit that wrote the original."""
    form = report_file("ck", "xlsx", unit_index=2, header_style="none")
    raw = report_email(
        "thuky.phong@example.net",
        attachments=[("bc.xlsx", file_bytes(form))],
        forwarded_from=CK,
    )
    env.deliver(raw)
    env.poll()
    assert current(env) == {"xa-chieng-khay": form.values}


@pytest.mark.parametrize("client", ["gmail", "outlook", "outlook-tnef", "thunderbird", "phone"])
@pytest.mark.servers
def test_reports_from_every_mail_client_are_booked(env: PipelineEnv, client: str) -> None:
    """Whatever client built the MIME tree, the attached form is found and read."""
    form = report_file(f"mg-{client}", "docx", unit_index=0)
    name = "Báo cáo Phụ lục 2 - xã Mường Giàng.docx"
    env.deliver(report_email(MG, attachments=[(name, file_bytes(form))], client=client))
    env.poll()
    assert current(env) == {"xa-muong-giang": form.values}


@pytest.mark.servers
def test_reports_arriving_together_are_ordered_by_when_they_were_written(
    env: PipelineEnv,
) -> None:
    """Loaded in the wrong order within the same minute, the later-written report still wins."""
    older = report_file("older", "xlsx", unit_index=0, seed=3)
    newer = report_file("newer", "xlsx", unit_index=0, seed=4)
    written = env.clock.now
    env.deliver(
        report_email(
            MG, attachments=[("moi.xlsx", file_bytes(newer))], message_id="<n@t>",
            date=written + timedelta(hours=3),
        )
    )  # fmt: skip
    env.deliver(
        report_email(MG, attachments=[("cu.xlsx", file_bytes(older))], message_id="<o@t>",
                     date=written)
    )  # fmt: skip
    env.poll()
    assert current(env) == {"xa-muong-giang": newer.values}


@pytest.mark.servers
def test_a_pending_reminder_is_not_sent_once_the_unit_has_reported(env: PipelineEnv) -> None:
    """A reminder held back while SMTP was down is dropped when the unit's report arrives."""
    reminder = EmailMessage()
    reminder["To"], reminder["Message-ID"] = MG, "<reminder.1@example.test>"
    reminder.set_content("Nhắc nộp báo cáo")
    with env.store() as store:
        mail = outgoing("reminder", reminder, 0, unit_code="xa-muong-giang", day=START.date())
        store.enqueue(mail, env.clock.now)
    form = report_file("mg", "xlsx", unit_index=0)
    env.deliver(report_email(MG, attachments=[("bc.xlsx", file_bytes(form))]))
    report = env.poll()
    assert report.counts["cancelled"] == 1
    assert [m["Message-ID"] for m in env.receipts()] != ["<reminder.1@example.test>"]
    assert len(env.smtp.messages) == 1


@pytest.mark.servers
def test_a_file_that_kills_its_parser_leaves_the_rest_of_its_group_booked(
    env: PipelineEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Mails parsed together: one parse worker dying books the others and answers all three."""
    real = guard.parse_bytes

    def crash_on_one(data: bytes, filename: str, form: object) -> object:
        if filename == "hong.xlsx":
            os._exit(3)  # a native crash in the reader
        return real(data, filename, form)  # type: ignore[arg-type]

    monkeypatch.setattr(guard, "parse_bytes", crash_on_one)
    mg = report_file("mg", "xlsx", unit_index=0)
    ck = report_file("ck", "docx", unit_index=2)
    env.deliver(report_email(MG, attachments=[("bc.xlsx", file_bytes(mg))]))
    env.deliver(report_email(THCS, attachments=[("hong.xlsx", file_bytes(mg))]))
    env.deliver(report_email(CK, attachments=[("bc.docx", file_bytes(ck))]))
    env.poll()
    assert current(env) == {"xa-muong-giang": mg.values, "xa-chieng-khay": ck.values}
    with env.store() as store:
        problems = [
            (p.kind, p.unit_code, p.files, guard.CRASHED in p.detail) for p in store.problems()
        ]
    assert problems == [("unreadable", "thcs-muong-giang", ["hong.xlsx"], True)]
    assert sorted(m.rcpt_tos[0] for m in env.smtp.messages) == sorted([MG, THCS, CK])


@pytest.mark.servers
def test_reports_are_still_booked_when_the_parse_helper_dies(
    env: PipelineEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no answer from the read-ahead helper, the pipeline parses the group itself."""
    monkeypatch.setattr(readahead, "_helper_main", lambda *_args: os._exit(9))
    mg = report_file("mg", "xlsx", unit_index=0)
    ck = report_file("ck", "docx", unit_index=2)
    env.deliver(report_email(MG, attachments=[("bc.xlsx", file_bytes(mg))]))
    env.deliver(report_email(CK, attachments=[("bc.docx", file_bytes(ck))]))
    env.poll()
    assert current(env) == {"xa-muong-giang": mg.values, "xa-chieng-khay": ck.values}
    assert len(env.smtp.messages) == 2


@pytest.mark.servers
def test_one_poll_answers_a_burst_larger_than_a_send_batch(env: PipelineEnv) -> None:
    """More reports than one send batch: every receipt still leaves in the same poll."""
    env.overrides = {"smtp": {"per_minute": 1000, "max_receipts_per_sender_per_day": 50}}
    form = report_file("mg", "xlsx", unit_index=0)
    data = file_bytes(form)
    for i in range(7):
        env.deliver(report_email(MG, attachments=[("bc.xlsx", data)], message_id=f"<b{i}@t>"))
    cfg = env.config
    settings = replace(poll_settings(cfg), send_batch=3)
    with env.store() as store:
        poll(env.source(), store, env.mailer(), open_archive(cfg), settings, env.clock)
    assert len(env.smtp.messages) == 7
