"""Config records: frozen dataclasses for each section, and the lazily read `Secret`.

Pure data; the only I/O is `Secret.resolve`, which reads an env variable or file on demand.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from mailbot.errors import ConfigError
from mailbot.records import Unit

# Google's token endpoint; the one default the OAuth settings have.
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"


@dataclass(frozen=True)
class Secret:
    """Where a password lives: an environment variable or a file; resolved only on demand."""

    env: str | None = None
    file: Path | None = None

    def resolve(self, key: str) -> str:
        """The password itself; ConfigError naming `key` when it cannot be read."""
        if self.env is not None:
            value = os.environ.get(self.env, "")
            if not value:
                raise ConfigError(f"{key}_env: environment variable {self.env} is not set or empty")
            return value
        if self.file is not None:
            try:
                return self.file.read_text(encoding="utf-8").strip("\r\n")
            except OSError as exc:
                raise ConfigError(
                    f"{key}_file: cannot read {self.file}: {exc.strerror}; "
                    "create it or fix the path"
                ) from exc
        return ""


@dataclass(frozen=True)
class MailboxConfig:
    """[mailbox]: where reports arrive (an IMAP folder, or a local Maildir for demo/tests)."""

    host: str = ""
    port: int = 993
    security: str = "ssl"
    username: str = ""
    secret: Secret = field(default=Secret(), repr=False)
    folder: str = "INBOX"
    processed_folder: str | None = None
    processed_flag: str = "$MailbotProcessed"
    max_message_mb: int = 25
    batch_size: int = 100
    timeout_seconds: int = 60
    maildir: Path | None = None
    authserv_id: str = "mx.google.com"
    quarantine_unauthenticated: bool = True
    max_attempts: int = 3
    auth: str = "password"
    oauth_client_id: str = ""
    oauth_client_secret: Secret = field(default=Secret(), repr=False)
    oauth_refresh_token: Secret = field(default=Secret(), repr=False)
    oauth_token_uri: str = GOOGLE_TOKEN_URI

    def password(self) -> str:
        """The mailbox password, read now from its env variable or file ("" when none)."""
        return self.secret.resolve("mailbox.password")

    def client_secret(self) -> str:
        """The OAuth client secret, read now from its env variable or file."""
        return self.oauth_client_secret.resolve("mailbox.oauth_client_secret")

    def refresh_token(self) -> str:
        """The OAuth refresh token, read now from its env variable or file."""
        return self.oauth_refresh_token.resolve("mailbox.oauth_refresh_token")

    @property
    def max_message_bytes(self) -> int:
        """`max_message_mb` in bytes."""
        return self.max_message_mb * 1024 * 1024


@dataclass(frozen=True)
class SmtpConfig:
    """[smtp]: how receipts and summaries leave (SMTP, or .eml files in `outbox_dir`)."""

    host: str = ""
    port: int = 465
    security: str = "ssl"
    username: str = ""
    secret: Secret = field(default=Secret(), repr=False)
    from_addr: str = ""
    from_name: str = ""
    timeout_seconds: int = 60
    max_receipts_per_sender_per_day: int = 5
    outbox_dir: Path | None = None
    auth: str = "password"
    daily_cap: int = 400
    per_minute: int = 60

    def password(self) -> str:
        """The SMTP password, read now from its env variable or file ("" when none)."""
        return self.secret.resolve("smtp.password")


@dataclass(frozen=True)
class StorageConfig:
    """[storage]: the SQLite database and the content-addressed file archive."""

    database: Path
    archive_dir: Path


@dataclass(frozen=True)
class CampaignConfig:
    """[campaign]: what is being collected, from whom, until when."""

    name: str
    form: str
    deadline: datetime
    timezone: ZoneInfo
    district: str = ""
    form_file: Path | None = None  # a form outside the package; wins over `form`

    def is_late(self, received_at: datetime) -> bool:
        """True when a report received at this (aware) moment is past the deadline."""
        return received_at > self.deadline


@dataclass(frozen=True)
class ScheduleConfig:
    """[schedule]: polling, the daily summary and deadline reminders, in campaign time."""

    poll_interval_minutes: int = 5
    summary_at: time = time(17, 0)
    reminder_days: tuple[int, ...] = (3, 1)
    reminder_at: time = time(8, 0)


@dataclass(frozen=True)
class OfficeConfig:
    """[office]: the office that runs the campaign and receives the summaries."""

    name: str
    summary_recipients: tuple[str, ...]
    # Printed under "NGƯỜI LẬP BIỂU" and "TRƯỞNG PHÒNG" in the workbook; optional.
    preparer_name: str = ""
    head_name: str = ""
    # The district report's Word template; None: templates/bao-cao-huyen.docx (issue 14).
    report_template: Path | None = None


@dataclass(frozen=True)
class WebConfig:
    """Where the console listens and how it is protected."""

    enabled: bool = False
    host: str = "127.0.0.1"
    port: int = 8025
    admin_password: Secret = field(default=Secret(), repr=False)
    tls_cert_file: Path | None = None
    tls_key_file: Path | None = None
    allow_plain_http_on_lan: bool = False
    session_hours: int = 12

    @property
    def tls(self) -> bool:
        """True when the console itself serves HTTPS."""
        return self.tls_cert_file is not None


@dataclass(frozen=True)
class Config:
    """The whole validated configuration."""

    mailbox: MailboxConfig
    smtp: SmtpConfig
    storage: StorageConfig
    campaign: CampaignConfig
    schedule: ScheduleConfig
    office: OfficeConfig
    units: tuple[Unit, ...]
    web: WebConfig = WebConfig()

    def unit(self, code: str) -> Unit | None:
        """The unit with this code, or None."""
        return next((u for u in self.units if u.code == code), None)

    def unit_for_address(self, addr: str) -> Unit | None:
        """The unit that lists this email address (case-insensitive), or None."""
        from mailbot.roster import unit_for_address  # roster pulls in text folding

        return unit_for_address(addr, self.units)
