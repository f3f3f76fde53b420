"""Drives the everyday inbox through the `mailbot` CLI against real Dovecot and aiosmtpd.

Owns the config file, APPENDing each batch with its flags, the CLI calls and what is observed
after each stage (mail sent, flags and folder of every message, `status --json`, the summary).
Never imports mailbot.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from tests.redinbox2.compose import OFFICE
from tests.redinbox2.inbox import ROSTER, SUMMARY_TO, Inbox, Letter, first_batch, second_batch
from tests.support.servers import Dovecot, SmtpServer

MAILBOT = str(Path(sys.executable).with_name("mailbot"))
PASSWORD_ENV = "REDINBOX2_IMAP_PASSWORD"


def _q(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def config_text(dovecot: Dovecot, smtp: SmtpServer, data: Path) -> str:
    """The config an IT person writes for the office's personal Gmail (here: the test servers)."""
    lines = [
        "[mailbox]",
        f"host = {_q(dovecot.host)}",
        f"port = {dovecot.port}",
        'security = "none"',
        f"username = {_q(dovecot.user)}",
        f"password_env = {_q(PASSWORD_ENV)}",
        'folder = "INBOX"',
        'authserv_id = "mx.google.com"',
        "timeout_seconds = 20",
        "",
        "[smtp]",
        f"host = {_q(smtp.host)}",
        f"port = {smtp.port}",
        'security = "none"',
        f"from_addr = {_q(OFFICE)}",
        'from_name = "Phòng Giáo dục và Đào tạo huyện Quỳnh Nhai"',
        "timeout_seconds = 20",
        "per_minute = 1000",
        "",
        "[storage]",
        f"database = {_q(str(data / 'mailbot.sqlite3'))}",
        f"archive_dir = {_q(str(data / 'archive'))}",
        "",
        "[campaign]",
        'name = "Tuần lễ hưởng ứng học tập suốt đời năm 2021"',
        'form = "appendix2-2021"',
        "deadline = 2021-10-15",
        'timezone = "Asia/Ho_Chi_Minh"',
        'district = "huyện Quỳnh Nhai"',
        "",
        "[office]",
        'name = "Phòng Giáo dục và Đào tạo huyện Quỳnh Nhai"',
        f"summary_recipients = {_q(list(SUMMARY_TO))}",
    ]
    for code, name, emails in ROSTER:
        lines += [
            "",
            "[[units]]",
            f"code = {_q(code)}",
            f"name = {_q(name)}",
            f"emails = {_q(emails)}",
        ]
    return "\n".join(lines) + "\n"


@dataclass
class Call:
    args: list[str]
    code: int
    out: str
    err: str
    seconds: float = 0.0


@dataclass
class Stage:
    """What was true after one step: mail sent during it, flags and folders of every message."""

    sent: list[EmailMessage]
    rcpts: list[tuple[str, ...]]
    flags: dict[str, frozenset[str]]  # Message-ID -> flags (INBOX)
    places: dict[str, list[str]]  # Message-ID -> folders holding it (one entry per copy)
    status: list[dict[str, Any]]


@dataclass
class Run:
    inbox: Inbox
    appended: dict[str, frozenset[str]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    stages: dict[str, Stage] = field(default_factory=dict)
    summary: str = ""

    def log(self) -> str:
        return "\n".join(
            f"$ mailbot {' '.join(c.args)} -> {c.code} ({c.seconds:.1f} s)\n{c.out}{c.err}"
            for c in self.calls
        )


def mailbot(run: Run, cfg: Path, *args: str) -> Call:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    start = time.monotonic()
    done = subprocess.run(
        [MAILBOT, *args, "-c", str(cfg)], capture_output=True, text=True, env=env, timeout=120
    )
    took = time.monotonic() - start
    call = Call(list(args), done.returncode, done.stdout, done.stderr, took)
    run.calls.append(call)
    return call


def _mid(raw: bytes) -> str:
    head = BytesParser(policy=policy.default).parsebytes(raw, headersonly=True)
    return str(head.get("Message-ID", "")).strip()


def observe(run: Run, cfg: Path, dovecot: Dovecot, smtp: SmtpServer, since: int) -> Stage:
    """Mail sent since index `since`, every folder's messages, and status --json."""
    flags: dict[str, frozenset[str]] = {}
    places: dict[str, list[str]] = {}
    with dovecot.client() as client:
        folders = [f[2] for f in client.list_folders()]
    for folder in folders:
        for m in dovecot.messages(folder):
            mid = _mid(m.body)
            places.setdefault(mid, []).append(folder)
            if folder == "INBOX":
                flags[mid] = m.flags
    call = mailbot(run, cfg, "status", "--json")
    status = json.loads(call.out) if call.code == 0 else []
    new = smtp.messages[since:]
    parser = BytesParser(policy=policy.default)
    sent: list[EmailMessage] = [parser.parsebytes(r.data) for r in new]
    return Stage(sent, [r.rcpt_tos for r in new], flags, places, status)


def append(run: Run, dovecot: Dovecot, letters: list[Letter]) -> None:
    with dovecot.client() as client:
        for letter in sorted(letters, key=lambda x: x.msg.when):
            client.append("INBOX", letter.raw, flags=letter.flags, msg_time=letter.msg.when)
            run.appended[letter.message_id] = frozenset(letter.flags)


def receipt_threads(stage: Stage, run: Run) -> dict[str, tuple[str, str]]:
    """{letter key: (receipt Message-ID, receipt subject)} for the receipts of the first poll."""
    out = {}
    for letter in run.inbox.first:
        for msg in stage.sent:
            if str(msg.get("In-Reply-To", "")).strip() == letter.message_id:
                out[letter.key] = (str(msg["Message-ID"]).strip(), str(msg["Subject"] or ""))
    for letter in run.inbox.first:  # no receipt: reply to an invented one, still in its thread
        out.setdefault(
            letter.key, (f"<no-receipt-{letter.key}@example.org>", letter.msg.subject or "")
        )
    return out


def exercise(dovecot: Dovecot, smtp: SmtpServer, data: Path) -> Run:
    """poll; the units reply in the receipts' threads; poll; poll again; summary --out."""
    os.environ[PASSWORD_ENV] = dovecot.password
    cfg = data / "mailbot.toml"
    cfg.write_text(config_text(dovecot, smtp, data), encoding="utf-8")
    run = Run(Inbox(first=first_batch()))
    append(run, dovecot, run.inbox.first)
    mailbot(run, cfg, "poll")
    run.stages["poll1"] = observe(run, cfg, dovecot, smtp, 0)
    run.inbox.second = second_batch(receipt_threads(run.stages["poll1"], run))
    append(run, dovecot, run.inbox.second)
    count = len(smtp.messages)
    mailbot(run, cfg, "poll")
    run.stages["poll2"] = observe(run, cfg, dovecot, smtp, count)
    count = len(smtp.messages)
    mailbot(run, cfg, "poll")
    run.stages["poll3"] = observe(run, cfg, dovecot, smtp, count)
    out = data / "summary.txt"
    mailbot(run, cfg, "summary", "--out", str(out))
    run.summary = out.read_text(encoding="utf-8") if out.exists() else ""
    return run
