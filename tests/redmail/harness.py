"""Runs the held-out mailbox through `mailbot` as a user would: a TOML file, the CLI, servers.

Owns the config file, loading the Dovecot inbox by IMAP APPEND (with INTERNALDATE = Date, or
with none in a scrambled order), the CLI calls (poll, status --json, summary --send), and
reading back what the SMTP server received. Uses tests/support/servers.py for the real Dovecot and
aiosmtpd; never imports mailbot.
"""

from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import openpyxl

from tests.redmail import forms
from tests.redmail.mailbox import OFFICE, ROSTER, SUMMARY_TO, Scenario
from tests.support.servers import Dovecot, Received, SmtpServer

MAILBOT = str(Path(sys.executable).with_name("mailbot"))
PASSWORD_ENV = "REDMAIL_IMAP_PASSWORD"
MODES = ("internaldate", "appendtime")


def _toml(value: object) -> str:
    """A TOML literal for a str, int or list of str (json's quoting is valid TOML here)."""
    return json.dumps(value, ensure_ascii=False)


def config_text(dovecot: Dovecot, smtp: SmtpServer, data: Path) -> str:
    """The config file a district IT person would write for these servers."""
    lines = [
        "[mailbox]",
        f"host = {_toml(dovecot.host)}",
        f"port = {dovecot.port}",
        'security = "none"',
        f"username = {_toml(dovecot.user)}",
        f"password_env = {_toml(PASSWORD_ENV)}",
        'folder = "INBOX"',
        'authserv_id = "mx.google.com"',
        "timeout_seconds = 20",
        "",
        "[smtp]",
        f"host = {_toml(smtp.host)}",
        f"port = {smtp.port}",
        'security = "none"',
        f"from_addr = {_toml(OFFICE)}",
        'from_name = "Phòng Giáo dục và Đào tạo huyện Quỳnh Nhai"',
        "timeout_seconds = 20",
        "# A local test server: no need to pace sends at Gmail's rate.",
        "per_minute = 1000",
        "",
        "[storage]",
        f"database = {_toml(str(data / 'mailbot.sqlite3'))}",
        f"archive_dir = {_toml(str(data / 'archive'))}",
        "",
        "[campaign]",
        'name = "Tuần lễ hưởng ứng học tập suốt đời năm 2021"',
        'form = "appendix2-2021"',
        "deadline = 2021-10-15",
        'timezone = "Asia/Ho_Chi_Minh"',
        'district = "huyện Quỳnh Nhai"',
        "",
        "[schedule]",
        "poll_interval_minutes = 5",
        'summary_at = "17:00"',
        "",
        "[office]",
        'name = "Phòng Giáo dục và Đào tạo huyện Quỳnh Nhai"',
        f"summary_recipients = {_toml(list(SUMMARY_TO))}",
    ]
    for code, name, emails in ROSTER:
        lines += ["", "[[units]]", f"code = {_toml(code)}", f"name = {_toml(name)}"]
        lines.append(f"emails = {_toml(emails)}")
    return "\n".join(lines) + "\n"


def load_inbox(dovecot: Dovecot, scenario: Scenario, mode: str) -> None:
    """APPEND every copy of every letter: newest first with INTERNALDATE = Date, or shuffled
    with no INTERNALDATE (the server stamps the append time)."""
    copies = [(x, raw) for x in scenario.letters for raw in (x.raw, *x.copies)]
    if mode == "internaldate":
        copies.sort(key=lambda item: item[0].date, reverse=True)
    else:
        random.Random(20211015).shuffle(copies)
    with dovecot.client() as client:
        for letter, raw in copies:
            when = letter.date if mode == "internaldate" else None
            client.append("INBOX", raw, msg_time=when)


@dataclass
class Call:
    """One CLI run: its arguments, exit code and output."""

    args: list[str]
    code: int
    out: str
    err: str
    seconds: float = 0.0


@dataclass
class Run:
    """Everything observed while mailbot worked through the mailbox once (one loading mode)."""

    mode: str
    scenario: Scenario
    calls: list[Call] = field(default_factory=list)
    status: list[dict] = field(default_factory=list)  # after the first poll
    status_again: list[dict] = field(default_factory=list)  # after the second poll
    sent: dict[str, list[Received]] = field(default_factory=dict)  # by stage
    flags: dict[str, list[frozenset[str]]] = field(default_factory=dict)  # by stage

    def poll_log(self) -> str:
        """The first poll's output, for failure messages."""
        return self.calls[0].out + self.calls[0].err


def mailbot(run: Run, cfg: Path, *args: str) -> Call:
    """Run `mailbot ARGS -c CFG` as a user would, and keep what it printed."""
    cmd = [MAILBOT, *args, "-c", str(cfg)]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    start = time.monotonic()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    call = Call(list(args), done.returncode, done.stdout, done.stderr, time.monotonic() - start)
    run.calls.append(call)
    return call


def status(run: Run, cfg: Path) -> list[dict]:
    """`mailbot status --json`, parsed."""
    call = mailbot(run, cfg, "status", "--json")
    return json.loads(call.out) if call.code == 0 else []


def exercise(dovecot: Dovecot, smtp: SmtpServer, scenario: Scenario, mode: str, data: Path) -> Run:
    """Load the inbox, then: poll, status, poll again, status, summary --send, poll."""
    os.environ[PASSWORD_ENV] = dovecot.password
    cfg = data / "mailbot.toml"
    cfg.write_text(config_text(dovecot, smtp, data), encoding="utf-8")
    load_inbox(dovecot, scenario, mode)
    run = Run(mode, scenario)

    def stage(name: str, before: int) -> None:
        run.sent[name] = list(smtp.messages[before:])
        run.flags[name] = [m.flags for m in dovecot.messages("INBOX")]

    mailbot(run, cfg, "poll")
    stage("poll", 0)
    run.status = status(run, cfg)
    count = len(smtp.messages)
    mailbot(run, cfg, "poll")
    stage("poll-again", count)
    run.status_again = status(run, cfg)
    count = len(smtp.messages)
    mailbot(run, cfg, "summary", "--send")
    stage("summary", count)
    count = len(smtp.messages)
    mailbot(run, cfg, "poll")
    stage("poll-after-summary", count)
    return run


def parsed(received: Received) -> EmailMessage:
    """A sent message, parsed with the modern policy."""
    return BytesParser(policy=policy.default).parsebytes(received.data)  # type: ignore[return-value]


def text_body(msg: EmailMessage) -> str:
    """The plain-text body (empty when there is none)."""
    part = msg.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""


def workbook(msg: EmailMessage) -> openpyxl.Workbook | None:
    """The .xlsx attached to `msg`, opened; None when there is none."""
    for part in msg.iter_attachments():
        name = part.get_filename() or ""
        if name.lower().endswith(".xlsx"):
            return openpyxl.load_workbook(io.BytesIO(part.get_content()), data_only=True)
    return None


def read_totals(wb: openpyxl.Workbook) -> dict[tuple[str, str], object]:
    """(code, slot) -> cell value of the 'Tổng hợp' sheet, found by each printed row's label."""
    ws = wb["Tổng hợp"]
    blank = openpyxl.load_workbook(io.BytesIO(forms.blank_form())).active
    assert blank is not None
    rows = list(ws.iter_rows(values_only=True))
    found: dict[tuple[str, str], object] = {}
    at = 0
    for place_row in sorted({p.row for p in forms.PLACES}):
        label = (blank[f"B{place_row}"].value, blank[f"C{place_row}"].value)
        while at < len(rows) and (rows[at][1], rows[at][2]) != label:
            at += 1
        if at == len(rows):
            return found  # a label not found: the caller reports the missing codes
        for p in forms.PLACES:
            if p.row == place_row and p.slot != "text":
                found[(p.code, p.slot)] = rows[at]["ABCDEF".index(p.column)]
        at += 1
    return found
