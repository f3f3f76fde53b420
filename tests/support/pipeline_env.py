"""A mail pipeline wired to the real test servers: config, clock, report files, assertions.

Shared by the pipeline tests; builds everything from data so expected values are exact.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from mailbot.config import Config, parse_config
from mailbot.cycle import PollReport
from mailbot.ingest.poll import poll
from mailbot.mailbox.imap import ImapSource
from mailbot.runtime.wiring import open_archive, poll_settings
from mailbot.sending.mailer import SmtpMailer
from mailbot.store import Store
from tests.formgen.catalogue import build, make_variant
from tests.formgen.model import Variant
from tests.support.servers import Dovecot, SmtpServer

OFFICE = "phonggd@example.test"
ROSTER = [
    ("xa-muong-giang", "UBND xã Mường Giàng", ["ubnd.muonggiang@example.test"]),
    ("xa-chieng-khay", "UBND xã Chiềng Khay", ["vanthu.chiengkhay@example.test"]),
    ("thcs-muong-giang", "Trường THCS Mường Giàng", ["thcs.muonggiang@example.org"]),
    ("mn-muong-giang", "Trường Mầm non Mường Giàng", ["mn.muonggiang@example.org"]),
    ("ptdtbt-nam-et", "Trường PTDTBT THCS Nậm Ét", ["ptdtbt.namet@example.net"]),
]
# Before the deadline (15/10/2021, Asia/Ho_Chi_Minh).
START = datetime(2021, 10, 12, 3, 0, tzinfo=UTC)


def config_mapping(dovecot: Dovecot, smtp: SmtpServer, tmp: Path) -> dict:
    """A full config for the test servers, as the TOML file would hold it."""
    return {
        "mailbox": {
            "host": dovecot.host,
            "port": dovecot.port,
            "security": "none",
            "username": dovecot.user,
            "password_env": "MAILBOT_TEST_IMAP_PASSWORD",
            "batch_size": 3,
            "timeout_seconds": 10,
        },
        "smtp": {
            "host": smtp.host,
            "port": smtp.port,
            "security": "none",
            "from_addr": OFFICE,
            "from_name": "Phòng GD&ĐT Quỳnh Nhai",
            "timeout_seconds": 10,
        },
        "storage": {"database": str(tmp / "db.sqlite3"), "archive_dir": str(tmp / "archive")},
        "campaign": {
            "name": "Tuần lễ hưởng ứng học tập suốt đời năm 2021",
            "deadline": "2021-10-15",
            "district": "huyện Quỳnh Nhai",
        },
        "office": {
            "name": "Phòng Giáo dục và Đào tạo huyện Quỳnh Nhai",
            "summary_recipients": ["lanhdao@example.test"],
        },
        "units": [{"code": c, "name": n, "emails": e} for c, n, e in ROSTER],
    }


@dataclass
class Clock:
    """A settable clock: tests move time instead of sleeping."""

    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move the clock forward."""
        self.now += timedelta(**delta)


@dataclass
class PipelineEnv:
    """The pipeline under test with its servers, config, clock and database."""

    dovecot: Dovecot
    smtp: SmtpServer
    tmp: Path
    clock: Clock = field(default_factory=Clock)
    overrides: dict = field(default_factory=dict)

    @property
    def config(self) -> Config:
        """The parsed config (overrides merged per section)."""
        data = config_mapping(self.dovecot, self.smtp, self.tmp)
        for section, values in self.overrides.items():
            data[section].update(values)
        return parse_config(data, self.tmp)

    def source(self) -> ImapSource:
        """A fresh IMAP source on the test Dovecot."""
        box = self.config.mailbox
        return ImapSource(
            box.host,
            box.port,
            "none",
            box.username,
            self.dovecot.password,
            timeout_s=10,
            batch_size=box.batch_size,
            processed_flag=box.processed_flag,
            processed_folder=box.processed_folder,
        )

    def mailer(self) -> SmtpMailer:
        """A mailer on the test SMTP server."""
        return SmtpMailer(self.smtp.host, self.smtp.port, "none", timeout_s=10)

    def store(self) -> Store:
        """The database, opened in the campaign timezone."""
        return Store.open(self.tmp / "db.sqlite3", tz=self.config.campaign.timezone)

    def poll(self) -> PollReport:
        """One full poll cycle against the real servers."""
        cfg = self.config
        with self.store() as store:
            return poll(
                self.source(),
                store,
                self.mailer(),
                open_archive(cfg),
                poll_settings(cfg),
                self.clock,
            )

    def deliver(self, raw: bytes, when: datetime | None = None) -> int:
        """Put one message in the inbox, as the receiving server would."""
        return self.dovecot.append("INBOX", raw, msg_time=when or self.clock.now)

    def receipts(self) -> list[EmailMessage]:
        """Every message the SMTP server received, parsed."""
        parser = BytesParser(policy=policy.default)
        return [parser.parsebytes(m.data) for m in self.smtp.messages]  # type: ignore[misc]


def report_file(name: str, kind: str = "xlsx", unit_index: int = 0, **kw: object) -> Variant:
    """A generated filled form (its `.values` is the exact expected parse)."""
    return make_variant(name, kind, unit_index=unit_index, **kw)


def file_bytes(variant: Variant) -> bytes:
    """The bytes of a generated form."""
    return build(variant)
