"""The office's inbox is an ordinary personal Gmail: mailbot must answer the campaign's mail only.

The mixed inbox (tests/redinbox) holds the Lifelong Learning Week reports among directives,
other reports, questions, thank-you replies, photos, bank and invoice mail, newsletters and
alerts, some from the very units on the roster. It is loaded into a real Dovecot with the
flags the staff member's reading left, and run once (module-scoped) through the CLI: poll;
the afternoon's replies in receipts' threads arrive; poll; poll again. Each test then checks
one promise and names every message that breaks it.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from email import policy
from email.parser import BytesParser
from email.utils import getaddresses
from pathlib import Path

import pytest

from tests.redinbox.harness import Run, exercise, parent_id, parsed
from tests.redinbox.mailbox import AMBIGUOUS, CAMPAIGN, UNRELATED, Item, expected_values, morning
from tests.redmail.model import OFFICE, SUMMARY_TO
from tests.support.servers import SmtpServer, dovecot_unavailable_reason, start_dovecot

OFFICE_ADDRS = {OFFICE, *SUMMARY_TO}
RESERVED = re.compile(r"@[\w.-]*(example\.(com|org|net)|\.test)$", re.IGNORECASE)


@pytest.fixture(scope="module")
def run() -> Iterator[Run]:
    """The mixed inbox worked through by the CLI on fresh servers (once for the module)."""
    reason = dovecot_unavailable_reason()
    if reason:
        pytest.skip(reason)
    root = Path(tempfile.mkdtemp(prefix="mailbot-redinbox-"))  # Dovecot must traverse it
    dovecot = start_dovecot(root)
    smtp = SmtpServer()
    smtp.start()
    data = Path(tempfile.mkdtemp(prefix="mailbot-redinbox-data-"))
    try:
        yield exercise(dovecot, smtp, data)
    finally:
        smtp.stop()
        dovecot.stop()
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(data, ignore_errors=True)


# --- helpers ---------------------------------------------------------------------------------


def answers(run: Run, item: Item) -> list[tuple[str, ...]]:
    """Envelope recipients of each mail the first two polls sent in reply to `item`."""
    return [r.rcpt_tos for r in run.all_sent() if parent_id(parsed(r)) == item.message_id]


def explain(run: Run, failures: list[str]) -> str:
    """A failure message: each failure, then the polls' output."""
    return "\n".join(failures) + "\n--- mailbot output ---\n" + run.log()


def loaded_flags(run: Run, item: Item) -> list[frozenset[str]]:
    """The message's flags right after it was loaded (before any poll that could see it)."""
    return run.snaps[f"loaded{item.phase}"]["INBOX"].get(item.message_id, [])


def flags_changed(run: Run, kinds: tuple[str, ...]) -> list[str]:
    """Messages of `kinds` whose flags after the last poll differ from when they were loaded."""
    failures = []
    inbox = run.snaps["poll3"]["INBOX"]
    for item in run.by_kind(*kinds):
        before, after = loaded_flags(run, item), inbox.get(item.message_id, [])
        if before != after:
            added = sorted(set().union(*after) - set().union(*before)) if after else []
            failures.append(
                f"{item.key}: flags {[sorted(f) for f in before]} -> "
                f"{[sorted(f) for f in after]} (added {added})"
            )
    return failures


def receipts_to(run: Run, kinds: tuple[str, ...]) -> list[str]:
    """Messages of `kinds` that got any reply."""
    return [
        f"{x.key} ({x.sender}): {len(got)} receipt(s) to {[list(r) for r in got]}"
        for x in run.by_kind(*kinds)
        if (got := answers(run, x))
    ]


# --- the generator itself (no servers) ---------------------------------------------------


def test_the_mailbox_is_well_formed_and_holds_every_kind() -> None:
    """Each message parses without defects, has its Message-ID, and the mix is as documented."""
    items = morning().items
    kinds = [x.kind for x in items]
    assert kinds.count(CAMPAIGN) >= 10 and kinds.count(UNRELATED) >= 25, kinds
    assert kinds.count(AMBIGUOUS) >= 3, kinds
    for item in items:
        msg = BytesParser(policy=policy.default).parsebytes(item.raw)
        assert not msg.defects, (item.key, msg.defects)
        assert msg["Message-ID"] == item.message_id, item.key


def test_every_address_uses_a_reserved_example_domain() -> None:
    """Privacy: every address in every header is example.com/.org/.net or .test."""
    for item in morning().items:
        msg = BytesParser(policy=policy.default).parsebytes(item.raw)
        for name in ("From", "To", "Cc", "Reply-To", "Return-Path", "Delivered-To"):
            for _, addr in getaddresses([str(v) for v in msg.get_all(name, [])]):
                assert RESERVED.search(addr), (item.key, name, addr)
        assert RESERVED.search(item.message_id.strip("<>")), (item.key, item.message_id)


# --- the run -------------------------------------------------------------------------------


@pytest.mark.servers
def test_every_cli_call_succeeds(run: Run) -> None:
    """poll (three times) and status --json all exit 0."""
    bad = [
        f"mailbot {' '.join(c.args)} exited {c.code}: {c.err[-400:]}" for c in run.calls if c.code
    ]
    assert not bad, explain(run, bad)


@pytest.mark.servers
def test_every_campaign_mail_gets_exactly_one_receipt(run: Run) -> None:
    """Appendix 2 in any subject, Appendix 1 alone, a correction in a receipt's thread: one each."""
    failures = [
        f"{x.key} ({x.message_id}): expected 1 receipt, got {len(got)}"
        for x in run.by_kind(CAMPAIGN)
        if len(got := answers(run, x)) != 1
    ]
    assert not failures, explain(run, failures)


@pytest.mark.servers
def test_campaign_receipts_go_to_the_sender(run: Run) -> None:
    """Each receipt is addressed to the address the report came from, and only to it."""
    failures = [
        f"{x.key}: receipt to {list(rcpt)}, expected [{x.sender}]"
        for x in run.by_kind(CAMPAIGN)
        for rcpt in answers(run, x)
        if [a.lower() for a in rcpt] != [x.sender.lower()]
    ]
    assert not failures, explain(run, failures)


@pytest.mark.servers
def test_no_receipt_to_unrelated_mail(run: Run) -> None:
    """Directives, other reports, questions, thanks, photos, bills, alerts: no reply at all."""
    failures = receipts_to(run, (UNRELATED,))
    assert not failures, explain(run, failures)


@pytest.mark.servers
def test_no_receipt_to_ambiguous_mail(run: Run) -> None:
    """A roster unit's file that is not the form, with no campaign word: no reply either."""
    failures = receipts_to(run, (AMBIGUOUS,))
    assert not failures, explain(run, failures)


@pytest.mark.servers
def test_nothing_is_sent_but_campaign_receipts_and_mail_to_the_office(run: Run) -> None:
    """Every sent mail answers a campaign mail or goes to the office itself (no stray replies)."""
    campaign = {x.message_id for x in run.by_kind(CAMPAIGN)}
    stray = []
    for received in run.all_sent():
        msg = parsed(received)
        rcpt = {a.lower() for a in received.rcpt_tos}
        if parent_id(msg) in campaign or rcpt <= OFFICE_ADDRS:
            continue
        stray.append(f"to {sorted(rcpt)}: {msg['Subject']!s}")
    assert not stray, explain(run, [f"{len(stray)} stray mails:", *stray])


@pytest.mark.servers
def test_unrelated_mail_keeps_its_flags(run: Run) -> None:
    """Unread stays unread, read stays read; no \\Flagged, no keyword is added or removed."""
    failures = flags_changed(run, (UNRELATED,))
    assert not failures, explain(run, [f"{len(failures)} unrelated mails changed:", *failures])


@pytest.mark.servers
def test_ambiguous_mail_keeps_its_flags(run: Run) -> None:
    """The ambiguous files from roster units are left exactly as they were too."""
    failures = flags_changed(run, (AMBIGUOUS,))
    assert not failures, explain(run, failures)


@pytest.mark.servers
def test_campaign_mail_keeps_its_read_state(run: Run) -> None:
    """Reports are read with PEEK: what the staff member had not opened stays unread."""
    failures = []
    inbox = run.snaps["poll3"]["INBOX"]
    for item in run.by_kind(CAMPAIGN):
        before = ["\\Seen" in f for f in loaded_flags(run, item)]
        after = ["\\Seen" in f for f in inbox.get(item.message_id, [])]
        if before != after:
            failures.append(f"{item.key}: \\Seen {before} -> {after}")
    assert not failures, explain(run, failures)


@pytest.mark.servers
def test_no_message_is_moved_copied_or_deleted(run: Run) -> None:
    """Every message is still in INBOX, once, not \\Deleted, and in no other folder."""
    failures = []
    snap = run.snaps["poll3"]
    for item in run.items:
        copies = snap.get("INBOX", {}).get(item.message_id, [])
        if len(copies) != 1:
            failures.append(f"{item.key}: {len(copies)} copies in INBOX")
        elif "\\Deleted" in copies[0]:
            failures.append(f"{item.key}: marked \\Deleted")
        elsewhere = [f for f, msgs in snap.items() if f != "INBOX" and item.message_id in msgs]
        if elsewhere:
            failures.append(f"{item.key}: also in {elsewhere}")
    assert not failures, explain(run, failures)


@pytest.mark.servers
def test_status_books_exactly_the_campaign_units(run: Run) -> None:
    """status --json: the units that sent Appendix 2 are submitted, and no other unit is."""
    want = set(expected_values(run.items))
    got = {r["unit_code"] for r in run.status["poll2"] if r.get("submitted")}
    failures = []
    if got - want:
        failures.append(f"booked but sent no Appendix 2: {sorted(got - want)}")
    if want - got:
        failures.append(f"sent Appendix 2 but not booked: {sorted(want - got)}")
    assert not failures, explain(run, failures)


@pytest.mark.servers
def test_each_booked_unit_holds_its_latest_forms_values(run: Run) -> None:
    """The values booked are those of the unit's latest Appendix 2 (the correction wins)."""
    rows = {r["unit_code"]: r for r in run.status["poll2"]}
    failures = []
    for code, want in expected_values(run.items).items():
        got = rows.get(code, {}).get("values") or {}
        diff = {k: (want[k], got.get(k)) for k in want if want[k] != got.get(k)}
        if diff:
            failures.append(
                f"{code}: {len(diff)} codes differ, e.g. {dict(list(diff.items())[:3])}"
            )
    assert not failures, explain(run, failures)


@pytest.mark.servers
def test_a_further_poll_changes_nothing_and_sends_nothing(run: Run) -> None:
    """Poll 3, with nothing new: no mail sent, every flag as poll 2 left it, the same status."""
    failures = []
    if run.sent["poll3"]:
        failures.append(
            f"sent {len(run.sent['poll3'])} mails: {[r.rcpt_tos for r in run.sent['poll3']]}"
        )
    if run.snaps["poll3"] != run.snaps["poll2"]:
        failures.append("the mailbox changed")
    if run.status["poll3"] != run.status["poll2"]:
        failures.append("status --json changed")
    assert not failures, explain(run, failures)
