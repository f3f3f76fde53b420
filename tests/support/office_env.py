"""The office-side test setup: a database with polled reports, a TOML config file, expected totals.

`polled_database` polls REPORTS once through the real servers (three units, one of them twice);
`OfficeEnv` copies that database next to a config file and runs `mailbot` in-process.
Everything is built from data, so expected totals and lists are exact.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest

from mailbot.cli.main import main
from mailbot.forms import load_form
from mailbot.rollup import Values
from tests.formgen.model import Variant
from tests.support.mailshapes import report_email
from tests.support.pipeline_env import (
    ROSTER,
    START,
    Clock,
    PipelineEnv,
    config_mapping,
    file_bytes,
    report_file,
)
from tests.support.servers import SmtpServer, dovecot_unavailable_reason, start_dovecot

FORM = load_form()
MG = "ubnd.muonggiang@example.test"
CK = "vanthu.chiengkhay@example.test"
THCS = "thcs.muonggiang@example.org"
MN = "mn.muonggiang@example.org"
NAM_ET = "ptdtbt.namet@example.net"
SUMMARY_TO = "lanhdao@example.test"
# (sender, variant name, formgen unit index, hours after START); the second MG report corrects
# the first, so only its values count.
REPORTS = (
    (MG, "office-mg-first", 0, 0),
    (CK, "office-ck", 2, 1),
    (THCS, "office-thcs", 13, 2),
    (MG, "office-mg-second", 0, 3),
)
LATEST = {"xa-muong-giang": "office-mg-second", "xa-chieng-khay": "office-ck"}
LATEST["thcs-muong-giang"] = "office-thcs"
NAMES = {code: name for code, name, _ in ROSTER}
MISSING = [code for code, _, _ in ROSTER if code not in LATEST]


def variant(name: str) -> Variant:
    """The generated report of REPORTS with this name."""
    index = next(i for _, n, i, _ in REPORTS if n == name)
    return report_file(name, "xlsx", unit_index=index)


def latest_values() -> dict[str, Values]:
    """Each reporting unit's latest values, as the generator made them."""
    return {code: variant(name).values for code, name in LATEST.items()}


def expected_totals() -> Values:
    """Roster-ordered sums of the latest values: numbers add, texts become "Unit: text" lines."""
    latest = latest_values()
    named = [(NAMES[code], latest[code]) for code, _, _ in ROSTER if code in latest]
    totals = FORM.empty_values()
    for code, slots in totals.items():
        for slot in slots:
            got = [(name, v[code][slot]) for name, v in named if v[code][slot] is not None]
            if slot == "text":
                lines = [f"{name}: {str(text).strip()}" for name, text in got]
                totals[code][slot] = "\n".join(lines) or None
            else:
                totals[code][slot] = sum(int(v) for _, v in got) if got else None  # type: ignore[arg-type]
    return totals


def poll_reports(env: PipelineEnv, reports=REPORTS) -> None:
    """Put each report in the inbox at its time, then poll once."""
    for sender, name, index, hours in reports:
        form = report_file(name, "xlsx", unit_index=index)
        files = [(f"{name}.xlsx", file_bytes(form))]
        raw = report_email(sender, attachments=files, message_id=f"<{name}@example.test>")
        env.deliver(raw, when=START + timedelta(hours=hours))
    env.clock.now = START + timedelta(hours=4)
    env.poll()


def polled_database(directory: Path) -> Path:
    """Poll REPORTS through a throwaway Dovecot and SMTP server; the database file it left."""
    reason = dovecot_unavailable_reason()
    if reason:
        pytest.skip(reason)
    # Not under pytest's tmp dir: Dovecot needs every parent traversable (see conftest).
    root = Path(tempfile.mkdtemp(prefix="mailbot-office-"))
    dovecot, smtp = start_dovecot(root), SmtpServer()
    smtp.start()
    try:
        os.environ["MAILBOT_TEST_IMAP_PASSWORD"] = dovecot.password
        poll_reports(PipelineEnv(dovecot, smtp, directory))
    finally:
        smtp.stop()
        dovecot.stop()
        shutil.rmtree(root, ignore_errors=True)
    return directory / "db.sqlite3"


def toml_value(value: object) -> str:
    """One TOML value: string, integer, boolean or array of those."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML for {value!r}")


def toml_dumps(mapping: dict) -> str:
    """A config mapping as TOML: sections as tables, lists of dicts as arrays of tables."""
    out: list[str] = []
    for section, body in mapping.items():
        tables = body if isinstance(body, list) else [body]
        for table in tables:
            out.append(f"[[{section}]]" if isinstance(body, list) else f"[{section}]")
            out += [f"{key} = {toml_value(value)}" for key, value in table.items()]
            out.append("")
    return "\n".join(out)


def copy_database(src: Path, dst: Path) -> None:
    """Copy an SQLite database consistently (the backup API, not a file copy of the WAL).

    The copy serves a fresh Dovecot, a new mailbox whose UIDVALIDITY is the time in seconds,
    so it may equal the one the database was polled from: the copied messages then shared
    their keys with the new mail, which the next poll skipped as handled. The copy's messages
    and folder state are moved to an old mailbox (UIDVALIDITY 1), as after a server move.
    """
    source, target = sqlite3.connect(src), sqlite3.connect(dst)
    try:
        source.backup(target)
        keys = target.execute("SELECT id, source_key FROM messages").fetchall()
        for row_id, key in keys:
            folder, _, uid = key.rsplit("/", 2)
            target.execute(
                "UPDATE messages SET source_key = ? WHERE id = ?", (f"{folder}/1/{uid}", row_id)
            )
        target.execute("UPDATE folder_state SET uidvalidity = 1")
        target.commit()
    finally:
        source.close()
        target.close()


@dataclass
class OfficeEnv:
    """The pipeline env plus a config file on disk, for driving `mailbot` in-process."""

    pipe: PipelineEnv
    capsys: pytest.CaptureFixture[str]
    monkeypatch: pytest.MonkeyPatch

    def __post_init__(self) -> None:
        os.environ["MAILBOT_TEST_IMAP_PASSWORD"] = self.pipe.dovecot.password
        mapping = config_mapping(self.pipe.dovecot, self.pipe.smtp, self.pipe.tmp)
        self.config_path = self.pipe.tmp / "mailbot.toml"
        self.config_path.write_text(toml_dumps(mapping), encoding="utf-8")
        # The commands read the clock through wiring.system_clock: move it with ours.
        self.monkeypatch.setattr("mailbot.runtime.wiring.system_clock", self.pipe.clock)

    @property
    def clock(self) -> Clock:
        """The settable clock the commands see."""
        return self.pipe.clock

    def at(self, moment: datetime) -> None:
        """Set the clock."""
        self.pipe.clock.now = moment

    def run(self, *args: str) -> tuple[int, str, str]:
        """`mailbot COMMAND -c CFG ARGS...`: exit code, stdout, stderr."""
        self.capsys.readouterr()
        code = main([args[0], "-c", str(self.config_path), *args[1:]])
        out, err = self.capsys.readouterr()
        return code, out, err

    def sent(self) -> list[EmailMessage]:
        """Every message the SMTP server accepted, parsed."""
        parser = BytesParser(policy=policy.default)
        return [parser.parsebytes(m.data) for m in self.pipe.smtp.messages]  # type: ignore[misc]

    def sent_to(self, addr: str) -> list[EmailMessage]:
        """The accepted messages whose envelope includes `addr`."""
        parser = BytesParser(policy=policy.default)
        return [
            parser.parsebytes(m.data)  # type: ignore[misc]
            for m in self.pipe.smtp.messages
            if addr in m.rcpt_tos
        ]


def xlsx_attachment(msg: EmailMessage) -> bytes:
    """The bytes of the message's one .xlsx attachment."""
    [part] = [p for p in msg.iter_attachments() if str(p.get_filename()).endswith(".xlsx")]
    return part.get_content()
