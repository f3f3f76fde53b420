"""The held-out mailbox (tests/redmail) through the `mailbot` CLI against real Dovecot and SMTP.

Each loading mode (INTERNALDATE = Date, newest first; no INTERNALDATE, scrambled) runs the
whole mailbox once (module-scoped): poll, status, poll again, status, summary --send, poll.
Each test then checks one promise of issues 3, 4 and 5 and names every letter that breaks it.
"""

from __future__ import annotations

import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from datetime import datetime
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path

import pytest

from tests.redmail import forms
from tests.redmail.harness import MODES, Run, exercise, parsed, read_totals, text_body, workbook
from tests.redmail.mailbox import NAMES, ROSTER, SUMMARY_TO, Letter, Scenario, build
from tests.support.servers import SmtpServer, dovecot_unavailable_reason, start_dovecot

pytestmark = [pytest.mark.servers, pytest.mark.slow]


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    """The held-out mailbox, built once."""
    return build()


@pytest.fixture(scope="module", params=MODES)
def run(request: pytest.FixtureRequest, scenario: Scenario) -> Iterator[Run]:
    """The mailbox loaded one way and worked through by the CLI, on fresh servers."""
    reason = dovecot_unavailable_reason()
    if reason:
        pytest.skip(reason)
    root = Path(tempfile.mkdtemp(prefix="mailbot-redmail-"))  # Dovecot must traverse it
    dovecot = start_dovecot(root)
    smtp = SmtpServer()
    smtp.start()
    data = Path(tempfile.mkdtemp(prefix="mailbot-redmail-data-"))
    try:
        yield exercise(dovecot, smtp, scenario, request.param, data)
    finally:
        smtp.stop()
        dovecot.stop()
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(data, ignore_errors=True)


# --- helpers ---------------------------------------------------------------------------------


def receipts(run: Run) -> list[tuple[EmailMessage, tuple[str, ...]]]:
    """Receipts sent by the first poll: (message, envelope recipients)."""
    return [(parsed(r), r.rcpt_tos) for r in run.sent["poll"]]


def replies_to(run: Run, letter: Letter) -> list[tuple[EmailMessage, tuple[str, ...]]]:
    """The receipts whose In-Reply-To is `letter`'s Message-ID."""
    return [(m, rcpt) for m, rcpt in receipts(run) if m["In-Reply-To"] == letter.message_id]


def row(run: Run, code: str) -> dict:
    """The unit's row of `status --json` after the first poll."""
    return next((r for r in run.status if r["unit_code"] == code), {})


def explain(run: Run, failures: list[str]) -> str:
    """A failure message: mode, each failure, and the first poll's log."""
    return f"[{run.mode}] " + "\n".join(failures) + "\n--- poll output ---\n" + run.poll_log()


def nfc(text: str) -> str:
    """NFC form (a Mac sends file names decomposed; receipts may print either)."""
    return unicodedata.normalize("NFC", text)


def expected_subject(subject: str) -> str | None:
    """The receipt's subject: 'Re: ' once before the original (None: any 'Re: ...')."""
    if not subject:
        return None
    return subject if subject.lower().startswith("re:") else "Re: " + subject


# --- the generator itself ----------------------------------------------------------------------


def test_every_letter_parses_with_the_stdlib_as_written(scenario: Scenario) -> None:
    """Each generated letter is well-formed MIME and carries the file names it was built with."""
    from email import policy
    from email.parser import BytesParser

    for letter in scenario.letters:
        msg = BytesParser(policy=policy.default).parsebytes(letter.raw)
        assert not msg.defects, letter.key
        assert msg["Message-ID"] == letter.message_id, letter.key
        names = [nfc(p.get_filename()) for p in msg.walk() if p.get_filename()]
        if letter.bad_file:
            assert nfc(letter.bad_file) in names, (letter.key, names)


# --- issue 3: booking, receipts, idempotence ---------------------------------------------------


def test_every_cli_call_succeeds(run: Run) -> None:
    """poll, status, summary --send all exit 0."""
    bad = [
        f"mailbot {' '.join(c.args)} exited {c.code}: {c.err.strip()[-400:]}"
        for c in run.calls
        if c.code
    ]
    assert not bad, explain(run, bad)


def test_every_unit_that_reported_holds_the_values_of_its_latest_report(run: Run) -> None:
    """status --json: each reporting unit's values equal its latest report's, slot for slot."""
    failures = []
    for code, want in run.scenario.values.items():
        got = row(run, code)
        if not got.get("submitted"):
            failures.append(f"{code}: expected booked, got not submitted")
            continue
        diff = {
            k: (want[k], (got["values"] or {}).get(k))
            for k in want
            if want[k] != (got["values"] or {}).get(k)
        }
        if diff:
            failures.append(
                f"{code}: {len(diff)} codes differ (code: expected, got) "
                f"{dict(list(diff.items())[:4])}"
            )
    assert not failures, explain(run, failures)


def test_units_that_did_not_report_have_nothing_booked(run: Run) -> None:
    """Spoofed, broken-file, auto-reply-only and bounce-only units stay unsubmitted."""
    wrong = [
        f"{c}: expected not submitted, got values booked"
        for c in run.scenario.missing
        if row(run, c).get("submitted")
    ]
    assert not wrong, explain(run, wrong)


def test_received_at_and_late_follow_the_latest_reports_date(run: Run) -> None:
    """With INTERNALDATE = Date, received_at is that instant and late means after 15/10/2021."""
    if run.mode != "internaldate":
        pytest.skip("arrival time is the append time in this mode")
    latest = {}
    for letter in run.scenario.letters:
        if letter.books and (letter.books not in latest or letter.date > latest[letter.books].date):
            latest[letter.books] = letter
    failures = []
    for code, letter in latest.items():
        got = row(run, code)
        at = got.get("received_at")
        if at is None or datetime.fromisoformat(at) != letter.date:
            failures.append(f"{code}: received_at expected {letter.date.isoformat()}, got {at}")
        if got.get("late") != letter.late:
            failures.append(f"{code}: late expected {letter.late}, got {got.get('late')}")
    assert not failures, explain(run, failures)


def test_each_report_gets_exactly_one_receipt(run: Run) -> None:
    """One receipt per answered letter (duplicates included), replying to its Message-ID."""
    failures = []
    for letter in run.scenario.receipt_letters():
        got = replies_to(run, letter)
        if len(got) != 1:
            failures.append(f"{letter.key} {letter.message_id}: expected 1 receipt, got {len(got)}")
    answered = {x.message_id for x in run.scenario.receipt_letters()}
    stray = [m["In-Reply-To"] for m, _ in receipts(run) if m["In-Reply-To"] not in answered]
    if stray:
        failures.append(f"receipts replying to no answered letter: {stray}")
    assert not failures, explain(run, failures)


def test_receipts_go_to_the_reply_address(run: Run) -> None:
    """Envelope and To of each receipt: the letter's Reply-To, else its From (any case)."""
    failures = []
    for letter in run.scenario.receipt_letters():
        want = (letter.receipt_to or "").lower()
        for msg, rcpt in replies_to(run, letter):
            to = [a.lower() for _, a in getaddresses([str(msg["To"] or "")])]
            if [r.lower() for r in rcpt] != [want] or to != [want]:
                failures.append(
                    f"{letter.key}: expected to {want}, got envelope {list(rcpt)}, To {to}"
                )
    assert not failures, explain(run, failures)


def test_receipts_stay_in_the_senders_thread(run: Run) -> None:
    """References carry the letter's thread then its Message-ID; the subject is 'Re: ' once."""
    failures = []
    for letter in run.scenario.receipt_letters():
        for msg, _ in replies_to(run, letter):
            refs = str(msg["References"] or "").split()
            want_refs = [*letter.references, letter.message_id]
            if refs[-len(want_refs) :] != want_refs:
                failures.append(f"{letter.key}: References expected to end {want_refs}, got {refs}")
            subject, want = str(msg["Subject"] or ""), expected_subject(letter.subject)
            if want and subject != want:  # subjectless mail: its own test below
                failures.append(f"{letter.key}: Subject expected {want!r}, got {subject!r}")
            if msg["Auto-Submitted"] != "auto-replied":
                failures.append(
                    f"{letter.key}: Auto-Submitted expected auto-replied, "
                    f"got {msg['Auto-Submitted']}"
                )
    assert not failures, explain(run, failures)


def test_a_mail_without_subject_gets_a_re_subject_receipt(run: Run) -> None:
    """The receipt to a subjectless mail still has a 'Re: ' subject (issue 3: a reply in thread)."""
    failures = []
    for letter in run.scenario.receipt_letters():
        for msg, _ in replies_to(run, letter):
            subject = str(msg["Subject"] or "")
            if not letter.subject and not subject.startswith("Re: "):
                failures.append(f"{letter.key}: Subject expected 'Re: …', got {subject!r}")
    assert not failures, explain(run, failures)


def test_no_receipt_for_auto_replies_bounces_lists_spoofs_or_mail_from_nobody(run: Run) -> None:
    """Vacation/OOF replies, the DSN, list mail, spoofs and the From-less mail: silence."""
    failures = []
    for letter in run.scenario.silent_letters():
        got = replies_to(run, letter)
        if got:
            failures.append(
                f"{letter.key}: expected no receipt, got {len(got)} to {[list(r) for _, r in got]}"
            )
    assert not failures, explain(run, failures)


def test_each_bad_file_is_named_in_its_receipt_with_the_fix(run: Run) -> None:
    """Broken, foreign, encrypted and hostile files: the receipt names the file and what to send."""
    failures = []
    for letter in run.scenario.letters:
        words = [w for w in (letter.bad_file, *letter.fix_words) if w]
        if not words:
            continue
        for msg, _ in replies_to(run, letter):
            body = nfc(text_body(msg)).lower()
            lacking = [w for w in words if nfc(w).lower() not in body]
            if lacking:
                failures.append(
                    f"{letter.key}: receipt lacks {lacking}; body starts {body[:300]!r}"
                )
    assert not failures, explain(run, failures)


def test_a_second_poll_changes_nothing_and_sends_nothing(run: Run) -> None:
    """Polling again: the same status, no mail sent, the same IMAP flags."""
    failures = []
    if run.status_again != run.status:
        changed = [
            a["unit_code"] for a, b in zip(run.status, run.status_again, strict=False) if a != b
        ]
        failures.append(f"status changed for {changed or 'the list itself'}")
    if run.sent["poll-again"]:
        failures.append(
            f"second poll sent {len(run.sent['poll-again'])} mails: "
            f"{[list(r.rcpt_tos) for r in run.sent['poll-again']]}"
        )
    if run.flags["poll-again"] != run.flags["poll"]:
        failures.append("IMAP flags changed on the second poll")
    if run.sent["poll-after-summary"]:
        failures.append(
            f"a poll after the summary sent {len(run.sent['poll-after-summary'])} mails"
        )
    assert not failures, explain(run, failures)


# --- issue 4: the office's summary --------------------------------------------------------------


def summary(run: Run) -> EmailMessage:
    """The one summary the office received (fails the test otherwise)."""
    got = [r for r in run.sent["summary"] if sorted(r.rcpt_tos) == sorted(SUMMARY_TO)]
    assert len(got) == 1, explain(
        run,
        [
            f"expected 1 summary to {SUMMARY_TO}, "
            f"got {[list(r.rcpt_tos) for r in run.sent['summary']]}"
        ],
    )
    return parsed(got[0])


def test_the_office_receives_exactly_one_summary(run: Run) -> None:
    """summary --send: one mail to both summary recipients, and nothing else."""
    summary(run)
    assert len(run.sent["summary"]) == 1, explain(
        run, [f"summary stage sent {len(run.sent['summary'])} mails"]
    )


def test_summary_workbook_totals_are_the_sum_of_latest_reports(run: Run) -> None:
    """'Tổng hợp' of the attached workbook: each slot is the sum over units' latest values."""
    wb = workbook(summary(run))
    assert wb is not None, explain(run, ["the summary has no .xlsx attached"])
    got = read_totals(wb)
    failures = []
    for p in forms.PLACES:
        if p.slot == "text":
            continue
        parts = [
            v[p.code][p.slot] for v in run.scenario.values.values() if v[p.code][p.slot] is not None
        ]
        want = sum(parts) if parts else None  # type: ignore[arg-type]
        cell = got.get((p.code, p.slot), "<row not found>")
        if cell != want and not (want is None and cell in (None, "", "—", 0)):
            failures.append(f"{p.code}.{p.slot}: expected {want}, got {cell!r}")
    assert not failures, explain(run, failures)


def test_summary_lists_exactly_the_units_that_did_not_report(run: Run) -> None:
    """The mail's 'Đơn vị chưa nộp' list is exactly the units with nothing booked."""
    body = text_body(summary(run))
    listed, inside = [], False
    for line in body.splitlines():
        if line.startswith("Đơn vị chưa nộp"):
            inside = True
        elif inside and line.strip().startswith("- "):
            listed.append(line.strip()[2:])
        elif inside and line.strip():
            break
    want = sorted(NAMES[c] for c in run.scenario.missing)
    assert sorted(listed) == want, explain(
        run, [f"missing units expected {want}, got {sorted(listed)}"]
    )


def test_summary_workbook_marks_exactly_the_missing_units(run: Run) -> None:
    """'Tình hình nộp báo cáo': units marked 'Chưa nộp' are exactly those with nothing booked."""
    wb = workbook(summary(run))
    assert wb is not None, explain(run, ["the summary has no .xlsx attached"])
    names = {name for _, name, _ in ROSTER}
    marked = sorted(
        str(r[1])
        for r in wb["Tình hình nộp báo cáo"].iter_rows(values_only=True)
        if len(r) > 2 and r[1] in names and r[2] == "Chưa nộp"
    )
    want = sorted(NAMES[c] for c in run.scenario.missing)
    assert marked == want, explain(run, [f"'Chưa nộp' expected {want}, got {marked}"])
