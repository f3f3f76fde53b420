"""Runs the mixed inbox through `mailbot` the way the office would, and records what happened.

Owns loading the inbox by IMAP APPEND with each message's flags and INTERNALDATE, the
snapshots of every folder (flags by Message-ID) between steps, the CLI calls, and sorting what
the SMTP server received by the message each mail answers. Reuses the config file and the CLI
path of tests/redmail/harness.py; never imports mailbot.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from tests.redinbox.mailbox import Inbox, Item, Receipt, afternoon, morning
from tests.redmail.harness import MAILBOT, PASSWORD_ENV, config_text
from tests.redmail.model import ICT
from tests.support.servers import Dovecot, Received, SmtpServer

# folder -> Message-ID -> the flags of each copy there (a message should have exactly one)
Snapshot = dict[str, dict[str, list[frozenset[str]]]]


@dataclass
class Call:
    """One CLI run: its arguments, exit code, output and duration."""

    args: list[str]
    code: int
    out: str
    err: str
    seconds: float


@dataclass
class Run:
    """Everything observed while mailbot worked through the mixed inbox."""

    items: list[Item] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    sent: dict[str, list[Received]] = field(default_factory=dict)  # by poll: poll1..poll3
    snaps: dict[str, Snapshot] = field(default_factory=dict)  # loaded1, poll1, loaded2, ...
    status: dict[str, list[dict]] = field(default_factory=dict)  # after poll1..poll3

    def by_kind(self, *kinds: str) -> list[Item]:
        """The items of these kinds, in inbox order."""
        return [x for x in self.items if x.kind in kinds]

    def all_sent(self) -> list[Received]:
        """Every mail sent by the first two polls (the third is checked on its own)."""
        return [*self.sent["poll1"], *self.sent["poll2"]]

    def log(self) -> str:
        """The polls' output, for failure messages."""
        return "\n".join(
            f"$ mailbot {' '.join(c.args)} -> {c.code}\n{c.out}{c.err}"
            for c in self.calls
            if c.args[0] == "poll"
        )


def parsed(received: Received) -> EmailMessage:
    """A sent message, parsed with the modern policy."""
    return BytesParser(policy=policy.default).parsebytes(received.data)  # type: ignore[return-value]


def parent_id(msg: EmailMessage) -> str | None:
    """The Message-ID a mail answers: In-Reply-To, else the last References entry."""
    in_reply_to = str(msg.get("In-Reply-To") or "").split()
    if in_reply_to:
        return in_reply_to[-1]
    refs = str(msg.get("References") or "").split()
    return refs[-1] if refs else None


def snapshot(dovecot: Dovecot) -> Snapshot:
    """Every folder's messages by Message-ID with their flags (read-only, \\Recent dropped)."""
    snap: Snapshot = {}
    with dovecot.client() as client:
        for _, _, name in client.list_folders():
            folder = name if isinstance(name, str) else name.decode()
            client.select_folder(folder, readonly=True)
            uids = client.search("ALL")
            found: dict[str, list[frozenset[str]]] = defaultdict(list)
            if uids:
                data = client.fetch(uids, ["FLAGS", "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
                for uid in uids:
                    head = data[uid][b"BODY[HEADER.FIELDS (MESSAGE-ID)]"].decode("ascii", "replace")
                    msgid = head.partition(":")[2].strip()
                    flags = {f.decode() if isinstance(f, bytes) else f for f in data[uid][b"FLAGS"]}
                    found[msgid].append(frozenset(flags - {"\\Recent"}))
            snap[folder] = dict(found)
    return snap


def load(dovecot: Dovecot, items: list[Item]) -> None:
    """APPEND each message in arrival order, with its flags and INTERNALDATE = its Date."""
    with dovecot.client() as client:
        for item in sorted(items, key=lambda x: x.date):
            client.append("INBOX", item.raw, flags=item.flags, msg_time=item.date)


def mailbot(run: Run, cfg: Path, *args: str) -> Call:
    """Run `mailbot ARGS -c CFG` as the office's IT person would; keep what it printed."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    start = time.monotonic()
    done = subprocess.run(
        [MAILBOT, *args, "-c", str(cfg)], capture_output=True, text=True, env=env, timeout=240
    )
    call = Call(list(args), done.returncode, done.stdout, done.stderr, time.monotonic() - start)
    run.calls.append(call)
    return call


def receipts_sent(sent: list[Received]) -> dict[str, Receipt]:
    """The receipts among `sent`, by the Message-ID each answers."""
    found = {}
    for received in sent:
        msg = parsed(received)
        parent = parent_id(msg)
        if parent:
            refs = tuple(str(msg.get("References") or "").split())
            found[parent] = Receipt(str(msg["Message-ID"]), str(msg["Subject"] or ""), refs)
    return found


def exercise(dovecot: Dovecot, smtp: SmtpServer, data: Path) -> Run:
    """Morning inbox → poll → the afternoon's replies arrive → poll → poll once more."""
    os.environ[PASSWORD_ENV] = dovecot.password
    cfg = data / "mailbot.toml"
    cfg.write_text(config_text(dovecot, smtp, data), encoding="utf-8")
    box: Inbox = morning()
    run = Run()

    def poll(stage: str) -> None:
        before = len(smtp.messages)
        mailbot(run, cfg, "poll")
        run.sent[stage] = list(smtp.messages[before:])
        run.snaps[stage] = snapshot(dovecot)
        call = mailbot(run, cfg, "status", "--json")
        run.status[stage] = json.loads(call.out) if call.code == 0 else []

    load(dovecot, box.items)
    run.snaps["loaded1"] = snapshot(dovecot)
    poll("poll1")
    receipts = receipts_sent(run.sent["poll1"])
    later = afternoon(box, receipts.get, datetime.now(ICT).replace(microsecond=0))
    load(dovecot, later)
    run.snaps["loaded2"] = snapshot(dovecot)
    poll("poll2")
    poll("poll3")
    run.items = list(box.items)
    return run
