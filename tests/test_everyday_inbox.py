"""The everyday inbox (tests/redinbox2) through the `mailbot` CLI on real Dovecot and aiosmtpd.

The office's inbox is a staff member's ordinary Gmail: 13 campaign reports sit among 31
everyday mails, 5 ambiguous files from roster units and a question about the form. One
module-scoped run: APPEND with realistic flags, poll; the units reply in the receipts'
threads (a corrected file, two thank-you notes), poll; poll again; summary --out. Each test
checks one promise and names every letter that breaks it. Independent of tests/redinbox and
tests/test_ordinary_inbox.py.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest

from tests.redinbox2.harness import Run, exercise
from tests.redinbox2.inbox import ADDR, ROSTER, Letter, first_batch
from tests.support.servers import SmtpServer, dovecot_unavailable_reason, start_dovecot

pytestmark = [pytest.mark.servers]


@pytest.fixture(scope="module")
def run() -> Iterator[Run]:
    """The whole inbox worked through once by the CLI, on fresh servers."""
    reason = dovecot_unavailable_reason()
    if reason:
        pytest.skip(reason)
    root = Path(tempfile.mkdtemp(prefix="mailbot-redinbox2-"))  # Dovecot must traverse it
    data = Path(tempfile.mkdtemp(prefix="mailbot-redinbox2-data-"))
    dovecot = start_dovecot(root)
    smtp = SmtpServer()
    smtp.start()
    try:
        yield exercise(dovecot, smtp, data)
    finally:
        smtp.stop()
        dovecot.stop()
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(data, ignore_errors=True)


# --- helpers ---------------------------------------------------------------------------------


def sent(run: Run) -> list[tuple[EmailMessage, tuple[str, ...]]]:
    """Everything mailbot sent over the three polls, with envelope recipients."""
    return [
        (m, r)
        for stage in run.stages.values()
        for m, r in zip(stage.sent, stage.rcpts, strict=True)
    ]


def answers(run: Run, letter: Letter) -> list[tuple[EmailMessage, tuple[str, ...]]]:
    """Mail sent in reply to `letter`: its In-Reply-To, or (without one) its last Reference."""
    out = []
    for msg, rcpt in sent(run):
        irt = str(msg.get("In-Reply-To", "")).strip()
        refs = str(msg.get("References", "")).split()
        if irt == letter.message_id or (not irt and refs and refs[-1] == letter.message_id):
            out.append((msg, rcpt))
    return out


def of_kind(run: Run, kind: str) -> list[Letter]:
    return [x for x in run.inbox.letters if x.kind == kind]


def explain(run: Run, failures: list[str]) -> str:
    return "\n".join(failures) + "\n--- CLI output ---\n" + run.log()[-4000:]


def flag_changes(run: Run, kind: str) -> list[str]:
    """'key: before -> after (stage)' for every letter of `kind` whose flags moved."""
    out = []
    for letter in of_kind(run, kind):
        before = run.appended[letter.message_id]
        for name, stage in run.stages.items():
            after = stage.flags.get(letter.message_id)
            if after is not None and after != before:
                out.append(f"{letter.key}: {sorted(before)} -> {sorted(after)} after {name}")
                break
    return out


def problems_section(run: Run) -> str:
    """The summary's list of mail for the office to look at (empty when there is none)."""
    text = run.summary
    start = text.find("Thư cần văn phòng xem lại")
    if start < 0:
        return ""
    end = text.find("SỐ LIỆU TỔNG HỢP", start)
    return text[start : end if end > 0 else len(text)]


def row(stage_status: list[dict[str, Any]], code: str) -> dict[str, Any]:
    return next((r for r in stage_status if r["unit_code"] == code), {})


# --- the inbox itself ------------------------------------------------------------------------


def test_the_inbox_has_what_the_brief_asks() -> None:
    """≥12 campaign mails, ≥30 unrelated, ≥4 ambiguous; each parses cleanly; ids are unique."""
    letters = first_batch()
    kinds = [x.kind for x in letters]
    assert kinds.count("campaign") >= 12
    assert kinds.count("unrelated") >= 30  # and two more arrive in the receipts' threads
    assert sum(x.kind == "ambiguous" and not x.question for x in letters) >= 4
    ids = [x.message_id for x in letters]
    assert len(set(ids)) == len(ids)
    roster = {a for _, _, emails in ROSTER for a in emails}
    for letter in letters:
        msg = BytesParser(policy=policy.default).parsebytes(letter.raw)
        assert not msg.defects, (letter.key, msg.defects)
        domain = letter.msg.from_addr.rpartition("@")[2]
        assert domain.endswith((".test", "example.com", "example.org", "example.net")), letter.key
        if letter.kind == "ambiguous" and not letter.question:
            assert letter.msg.from_addr in roster and letter.msg.files, letter.key


def test_every_cli_call_succeeds(run: Run, capsys: pytest.CaptureFixture[str]) -> None:
    """poll (three times), status --json (three times) and summary --out all exit 0."""
    with capsys.disabled():
        print(
            "\n"
            + "".join(f"  mailbot {' '.join(c.args[:2])}: {c.seconds:.1f} s\n" for c in run.calls)
        )
    bad = [f"mailbot {' '.join(c.args)} exited {c.code}" for c in run.calls if c.code]
    assert not bad, explain(run, bad)


# --- receipts ----------------------------------------------------------------------------------


def test_no_receipt_to_unrelated_mail(run: Run) -> None:
    """Nothing is sent in reply to everyday mail, nor to anyone who only wrote everyday mail."""
    campaign_senders = {x.msg.from_addr for x in of_kind(run, "campaign")}
    bystanders = {x.msg.from_addr for x in of_kind(run, "unrelated")} - campaign_senders
    failures = [
        f"{x.key}: answered ({len(answers(run, x))})"
        for x in of_kind(run, "unrelated")
        if answers(run, x)
    ]
    failures += [
        f"mail to bystander {r}: {msg['Subject']}"
        for msg, rcpt in sent(run)
        for r in rcpt
        if r in bystanders
    ]
    assert not failures, explain(run, failures)


def test_no_receipt_to_ambiguous_mail(run: Run) -> None:
    """A roster unit's file with no campaign word and no Appendix 2 table gets no receipt."""
    failures = [f"{x.key}: answered" for x in of_kind(run, "ambiguous") if answers(run, x)]
    assert not failures, explain(run, failures)


def test_every_campaign_mail_is_answered_exactly_once(run: Run) -> None:
    """Each report, forward, resend and correction gets one receipt, over all three polls."""
    failures = [
        f"{x.key}: {len(answers(run, x))} answers"
        for x in of_kind(run, "campaign")
        if len(answers(run, x)) != 1
    ]
    assert not failures, explain(run, failures)


def test_each_receipt_goes_to_the_mail_s_sender(run: Run) -> None:
    """The receipt reaches the address that wrote (the chairman for his forward)."""
    failures = [
        f"{x.key}: sent to {rcpt}, not {x.msg.from_addr}"
        for x in of_kind(run, "campaign")
        for _, rcpt in answers(run, x)
        if x.msg.from_addr not in rcpt
    ]
    assert not failures, explain(run, failures)


# --- the mailbox stays as the person left it ------------------------------------------------------


def test_unrelated_mail_keeps_exactly_its_flags(run: Run) -> None:
    """\\Seen, \\Flagged, \\Answered and keywords of everyday mail: untouched, nothing added."""
    failures = flag_changes(run, "unrelated")
    assert not failures, explain(run, failures)


def test_ambiguous_mail_keeps_exactly_its_flags(run: Run) -> None:
    failures = flag_changes(run, "ambiguous")
    assert not failures, explain(run, failures)


def test_unrelated_and_ambiguous_mail_stay_in_inbox_once(run: Run) -> None:
    """No move, no copy, no label folder: one copy each, in INBOX."""
    last = run.stages["poll3"]
    failures = [
        f"{x.key}: in {last.places.get(x.message_id)}"
        for x in of_kind(run, "unrelated") + of_kind(run, "ambiguous")
        if last.places.get(x.message_id) != ["INBOX"]
    ]
    assert not failures, explain(run, failures)


# --- what the office sees ----------------------------------------------------------------------


def test_status_books_exactly_the_campaign_units_with_their_values(run: Run) -> None:
    """After the first poll: the units whose Appendix 2 came, with its values; nobody else."""
    status = run.stages["poll1"].status
    want = run.inbox.expected_values(1)
    failures = []
    for code, _, _ in ROSTER:
        got = row(status, code)
        if code not in want:
            if got.get("submitted"):
                failures.append(f"{code}: booked, but it sent no Appendix 2")
            continue
        if not got.get("submitted"):
            failures.append(f"{code}: not booked")
            continue
        diff = {
            k: (v, (got["values"] or {}).get(k))
            for k, v in want[code].items()
            if v != (got["values"] or {}).get(k)
        }
        if diff:
            failures.append(f"{code}: {len(diff)} codes differ {dict(list(diff.items())[:3])}")
    assert not failures, explain(run, failures)


def test_the_correction_in_the_receipt_thread_replaces_the_values(run: Run) -> None:
    want = run.inbox.expected_values(2)["xa-muong-giang"]
    got = row(run.stages["poll2"].status, "xa-muong-giang").get("values") or {}
    assert got == want, explain(run, [f"xa-muong-giang after the correction: {got}"])


def test_the_summary_does_not_list_unrelated_mail_among_problems(run: Run) -> None:
    """The office's review list names no everyday mail (by its quoted subject or its sender)."""
    section = problems_section(run)
    assert "ubnd.chiengkhay@example.org" in section, "the review list was not found"
    campaign_senders = {x.msg.from_addr for x in of_kind(run, "campaign")}
    roster = {a for _, _, emails in ROSTER for a in emails}
    bystanders = {x.msg.from_addr for x in of_kind(run, "unrelated")} - campaign_senders - roster
    failures = [f"{a}: named" for a in sorted(bystanders) if a in section]
    failures += [
        f"{x.key}: listed"
        for x in of_kind(run, "unrelated")
        if f'thư "{x.msg.subject or ""}"' in section
    ]
    assert not failures, explain(run, failures)


def test_the_summary_shows_ambiguous_mail_as_possible_reports(run: Run) -> None:
    """A roster unit's unexplained file is something the office must see."""
    section = problems_section(run)
    failures = [
        f"{x.key}: not listed"
        for x in of_kind(run, "ambiguous")
        if f'thư "{x.msg.subject or ""}"' not in section or ADDR[x.unit or ""] not in section
    ]
    assert not failures, explain(run, failures)


# --- idempotence ---------------------------------------------------------------------------


def test_a_poll_with_nothing_new_sends_nothing_and_changes_nothing(run: Run) -> None:
    """The third poll (no new mail): no mail out, same flags, same folders, same status."""
    before, after = run.stages["poll2"], run.stages["poll3"]
    failures = []
    if after.sent:
        failures.append(f"sent {[str(m['Subject']) for m in after.sent]}")
    if after.flags != before.flags:
        moved = [k for k in after.flags if after.flags[k] != before.flags.get(k)]
        failures.append(f"flags changed on {moved}")
    if after.places != before.places:
        failures.append("folders changed")
    if after.status != before.status:
        failures.append("status changed")
    assert not failures, explain(run, failures)
