"""Validation of the config mapping: pure `parse_config(mapping, base_dir) -> Config`.

Owns the rules (required keys, types, ranges, secrets, loopback-only plaintext). Reads nothing:
no files, no environment, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mailbot.config.auth import (
    auth_kind,
    is_loopback,
    mailbox_oauth,
    no_password,
    oauth_keys_unused,
    password_secret,
)
from mailbot.config.model import (
    CampaignConfig,
    Config,
    MailboxConfig,
    OfficeConfig,
    ScheduleConfig,
    SmtpConfig,
    StorageConfig,
)
from mailbot.config.section import SECTIONS, Section, check_keys, email_address
from mailbot.config.web import parse_web
from mailbot.errors import ConfigError, FormError
from mailbot.forms import DEFAULT_FORM, available_forms, load_form_file
from mailbot.records import Unit

SECURITY = ("ssl", "starttls", "none")
IMAP_PORTS = {"ssl": 993, "starttls": 143, "none": 143}
SMTP_PORTS = {"ssl": 465, "starttls": 587, "none": 25}
# RFC 3501 atom characters minus the system-flag backslash: what a custom IMAP keyword may use.
# What receipts and reminders call the office when neither [office] name nor from_name is set.
DEFAULT_OFFICE_NAME = "Phòng Giáo dục và Đào tạo"
_KEYWORD = re.compile(r"^\$?[A-Za-z0-9_.\-]+$")


def parse_config(data: Mapping[str, object], base_dir: Path) -> Config:
    """Build a validated Config from the TOML mapping; every problem is a ConfigError."""
    check_keys(data, tuple(SECTIONS), "the config file", what="section")
    for name in SECTIONS:
        value = data.get(name)
        if name == "units":
            continue
        if value is not None and not isinstance(value, dict):
            raise ConfigError(f"[{name}] must be a table; write it as a [{name}] section")
    office = _office(Section("office", data.get("office")), base_dir)
    mailbox = _mailbox(Section("mailbox", data.get("mailbox")), base_dir)
    smtp = _smtp(Section("smtp", data.get("smtp")), base_dir)
    office = _office_name(office, smtp.from_name)
    if smtp.auth == "oauth2" and mailbox.auth != "oauth2":
        raise ConfigError(
            'smtp.auth = "oauth2" reuses the OAuth client of [mailbox]; set auth = "oauth2" '
            "and the oauth_* keys in [mailbox] too"
        )
    return Config(
        mailbox=mailbox,
        smtp=smtp,
        storage=_storage(Section("storage", data.get("storage")), base_dir),
        campaign=_campaign(Section("campaign", data.get("campaign")), base_dir),
        schedule=_schedule(Section("schedule", data.get("schedule"))),
        office=office,
        units=_units(data.get("units")),
        web=parse_web(Section("web", data.get("web")), base_dir),
    )


def _server(s: Section, ports: dict[str, int], required: bool) -> tuple[str, int, str]:
    """host, port, security of a server section; plaintext only towards loopback."""
    host = s.text("host", "")
    if required and not host:
        raise ConfigError(f'{s.key("host")} is required; add host = "..." to [{s.name}]')
    security = s.text("security", "ssl").lower()
    if security not in SECURITY:
        raise ConfigError(
            f"{s.key('security')} must be one of {', '.join(SECURITY)}; got {security!r}"
        )
    if security == "none" and host and not is_loopback(host):
        raise ConfigError(
            f'{s.key("security")} = "none" sends the password in clear text; it is allowed '
            f"only for a loopback host (127.0.0.1, ::1, localhost), not {host!r}; "
            'use "ssl" or "starttls"'
        )
    port = s.number("port", ports[security], minimum=1, maximum=65535)
    return host, port, security


def _mailbox(s: Section, base_dir: Path) -> MailboxConfig:
    maildir = s.path("maildir", base_dir)
    if maildir is not None and s.has("host"):
        raise ConfigError(
            f"{s.key('maildir')} and {s.key('host')} are both set; keep maildir for a local "
            "folder or host for an IMAP server"
        )
    host, port, security = _server(s, IMAP_PORTS, required=maildir is None)
    username = s.text("username", "")
    flag = s.text("processed_flag", "$MailbotProcessed")
    if not _KEYWORD.match(flag):
        raise ConfigError(
            f'{s.key("processed_flag")} must be an IMAP keyword like "$MailbotProcessed" '
            f"(letters, digits, _ . -), got {flag!r}"
        )
    auth = auth_kind(s)
    oauth = mailbox_oauth(s, base_dir, username) if auth == "oauth2" else {}
    if auth != "oauth2":
        oauth_keys_unused(s, SECTIONS["mailbox"])
    return MailboxConfig(
        host=host,
        port=port,
        security=security,
        username=username,
        secret=no_password(s) if auth == "oauth2" else password_secret(s, base_dir, username),
        auth=auth,
        **oauth,
        folder=s.text("folder", "INBOX") or "INBOX",
        processed_folder=s.opt_str("processed_folder"),
        processed_flag=flag,
        max_message_mb=s.number("max_message_mb", 25, maximum=2048),
        batch_size=s.number("batch_size", 100, maximum=10_000),
        timeout_seconds=s.number("timeout_seconds", 60, maximum=3600),
        maildir=maildir,
        authserv_id=s.text("authserv_id", "mx.google.com"),
        quarantine_unauthenticated=s.flag("quarantine_unauthenticated", True),
        max_attempts=s.number("max_attempts", 3, maximum=100),
    )


def _smtp(s: Section, base_dir: Path) -> SmtpConfig:
    outbox_dir = s.path("outbox_dir", base_dir)
    host, port, security = _server(s, SMTP_PORTS, required=outbox_dir is None)
    username = s.text("username", "")
    auth = auth_kind(s)
    if auth == "oauth2" and not username:
        raise ConfigError(
            f'{s.key("username")} is required with auth = "oauth2"; set it to the Gmail address'
        )
    return SmtpConfig(
        host=host,
        port=port,
        security=security,
        username=username,
        secret=no_password(s) if auth == "oauth2" else password_secret(s, base_dir, username),
        auth=auth,
        daily_cap=s.number("daily_cap", 400, maximum=100_000),
        per_minute=s.number("per_minute", 60, maximum=10_000),
        from_addr=email_address(s.key("from_addr"), s.text("from_addr")),
        from_name=s.text("from_name", ""),
        timeout_seconds=s.number("timeout_seconds", 60, maximum=3600),
        max_receipts_per_sender_per_day=s.number(
            "max_receipts_per_sender_per_day", 5, minimum=0, maximum=1000
        ),
        outbox_dir=outbox_dir,
    )


def _storage(s: Section, base_dir: Path) -> StorageConfig:
    database = s.path("database", base_dir, "mailbot.sqlite3")
    archive_dir = s.path("archive_dir", base_dir, "archive")
    assert database is not None and archive_dir is not None  # both have defaults
    return StorageConfig(database=database, archive_dir=archive_dir)


def _campaign(s: Section, base_dir: Path) -> CampaignConfig:
    tz_name = s.text("timezone", "Asia/Ho_Chi_Minh")
    try:
        tz = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"{s.key('timezone')}: unknown time zone {tz_name!r}; use an IANA name "
            'like "Asia/Ho_Chi_Minh"'
        ) from None
    form = s.text("form", DEFAULT_FORM)
    if form not in available_forms():
        raise ConfigError(
            f"{s.key('form')}: unknown form {form!r}; available: {', '.join(available_forms())}"
        )
    name = s.text("name")
    if not name:
        raise ConfigError(f"{s.key('name')} must not be empty; name the campaign")
    return CampaignConfig(
        name=name,
        form=form,
        deadline=_deadline(s, tz),
        timezone=tz,
        district=s.text("district", ""),
        form_file=_form_file(s, base_dir),
    )


def _form_file(s: Section, base_dir: Path) -> Path | None:
    """[campaign] form_file: a form file outside the install, checked now (not at 18:00)."""
    text = s.text("form_file", "")
    if not text:
        return None
    path = Path(text).expanduser()
    path = path if path.is_absolute() else base_dir / path
    try:
        load_form_file(path)
    except FormError as exc:
        raise ConfigError(
            f"{s.key('form_file')}: {exc}; run `mailbot form check {path}` for every problem"
        ) from None
    return path


def _deadline(s: Section, tz: ZoneInfo) -> datetime:
    """A TOML date (end of that day), local datetime (campaign time) or offset datetime."""
    value = s.table.get("deadline")
    if isinstance(value, str):
        try:
            is_datetime = "T" in value or " " in value
            value = datetime.fromisoformat(value) if is_datetime else date.fromisoformat(value)
        except ValueError:
            value = None
    if isinstance(value, datetime):
        return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)
    if isinstance(value, date):
        return datetime.combine(value, time.max, tzinfo=tz)
    raise ConfigError(
        f"{s.key('deadline')} is required as a date like 2021-10-15 (end of that day) "
        f"or a datetime like 2021-10-15T17:00:00; got {value!r}"
    )


def _schedule(s: Section) -> ScheduleConfig:
    days = s.table.get("reminder_days", [3, 1])
    if not isinstance(days, list) or not all(
        isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 365 for d in days
    ):
        raise ConfigError(
            f"{s.key('reminder_days')} must be a list of whole days before the deadline "
            f"(0–365), e.g. [3, 1]; got {days!r}"
        )
    return ScheduleConfig(
        poll_interval_minutes=s.number("poll_interval_minutes", 5, maximum=24 * 60),
        summary_at=s.hhmm("summary_at", time(17, 0)),
        reminder_days=tuple(sorted(set(days), reverse=True)),
        reminder_at=s.hhmm("reminder_at", time(8, 0)),
    )


def _office(s: Section, base_dir: Path) -> OfficeConfig:
    recipients = s.emails("summary_recipients")
    if not recipients:
        raise ConfigError(
            f"{s.key('summary_recipients')} is required; list who receives the daily summary, "
            'e.g. ["office@example.org"]'
        )
    return OfficeConfig(
        name=s.text("name", ""),
        summary_recipients=recipients,
        preparer_name=s.text("preparer_name", ""),
        head_name=s.text("head_name", ""),
        report_template=s.path("report_template", base_dir),
    )


def _office_name(office: OfficeConfig, from_name: str) -> OfficeConfig:
    """[office] name, else smtp.from_name, else the generic name: receipts start with it."""
    return office if office.name else replace(office, name=from_name or DEFAULT_OFFICE_NAME)


def _units(raw: object) -> tuple[Unit, ...]:
    if not isinstance(raw, list) or not raw:
        raise ConfigError(
            "[[units]] is required: add one [[units]] table per reporting unit "
            "with code, name and emails"
        )
    units: list[Unit] = []
    codes: set[str] = set()  # a set: scanning `units` per unit was quadratic (4 s at 10,000)
    owner: dict[str, str] = {}
    for i, table in enumerate(raw):
        s = Section(f"units[{i}]", table)
        code = s.text("code")
        if not code:
            raise ConfigError(f"{s.key('code')} must not be empty")
        if code in codes:
            raise ConfigError(
                f"{s.key('code')}: code {code!r} is used by two units; codes must be unique"
            )
        name = s.text("name")
        if not name:
            raise ConfigError(f"{s.key('name')} must not be empty; write the unit's full name")
        emails = s.emails("emails")
        for addr in emails:
            if addr in owner and owner[addr] != code:
                raise ConfigError(
                    f"{s.key('emails')}: {addr} is listed for both {owner[addr]!r} and {code!r}; "
                    "an address may belong to one unit only"
                )
            owner[addr] = code
        units.append(Unit(code=code, name=name, emails=emails))
        codes.add(code)
    return tuple(units)
