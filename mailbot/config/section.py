"""The config file's sections: the keys each may hold, and typed getters that name the key.

Owns `SECTIONS` (the schema of known keys), `Section` (typed getters over one TOML table whose
errors name `section.key` and the fix) and the shared checks (unknown keys, addresses).
Pure: reads nothing.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from datetime import time
from pathlib import Path

from mailbot.errors import ConfigError

# The [web] keys live beside their parser (config/web.py); imported late there to avoid a cycle.
WEB_KEYS = (
    "enabled", "host", "port", "password_env", "password_file", "tls_cert_file",
    "tls_key_file", "allow_plain_http_on_lan", "session_hours",
)  # fmt: skip

# Secrets that have an _env/_file pair; a literal value in the file is refused by name.
LITERAL_SECRETS = ("password", "oauth_client_secret", "oauth_refresh_token")
_EMAIL = re.compile(r"^[^@\s<>(),;:\"]+@[^@\s<>(),;:\"]+\.[^@\s<>(),;:\".]+$")
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")

SECTIONS: dict[str, tuple[str, ...]] = {
    "mailbox": (
        "host", "port", "security", "username", "password_env", "password_file", "folder",
        "processed_folder", "processed_flag", "max_message_mb", "batch_size",
        "timeout_seconds", "maildir", "authserv_id", "quarantine_unauthenticated",
        "max_attempts", "auth", "oauth_client_id", "oauth_client_secret_env",
        "oauth_client_secret_file", "oauth_refresh_token_env", "oauth_refresh_token_file",
        "oauth_token_uri",
    ),
    "smtp": (
        "host", "port", "security", "username", "password_env", "password_file", "from_addr",
        "from_name", "timeout_seconds", "max_receipts_per_sender_per_day", "outbox_dir",
        "auth", "daily_cap", "per_minute",
    ),
    "storage": ("database", "archive_dir"),
    "campaign": ("name", "form", "form_file", "deadline", "timezone", "district"),
    "schedule": ("poll_interval_minutes", "summary_at", "reminder_days", "reminder_at"),
    "office": ("summary_recipients", "name", "preparer_name", "head_name", "report_template"),
    "units": ("code", "name", "emails"),
    "web": WEB_KEYS,
}  # fmt: skip


class Section:
    """Typed getters over one TOML table that name `section.key` in every error."""

    def __init__(self, name: str, table: object) -> None:
        self.name = name
        self.table: dict = dict(table) if isinstance(table, dict) else {}
        for secret in LITERAL_SECRETS:
            if secret in self.table:
                raise ConfigError(
                    f"{name}.{secret}: secrets must not be written in the config file; "
                    f'set {secret}_env = "NAME" and export NAME in the environment '
                    f"(or use {secret}_file)"
                )
        check_keys(self.table, SECTIONS[name.split("[")[0]], f"[{name}]")

    def key(self, key: str) -> str:
        return f"{self.name}.{key}"

    def has(self, key: str) -> bool:
        return key in self.table

    def text(self, key: str, default: str | None = None) -> str:
        value = self.table.get(key, default)
        if value is None:
            raise ConfigError(f'{self.key(key)} is required; add {key} = "..." to [{self.name}]')
        if not isinstance(value, str):
            raise ConfigError(f"{self.key(key)} must be a string in quotes, got {value!r}")
        return value.strip()

    def opt_str(self, key: str) -> str | None:
        value = self.text(key, "") if key in self.table else ""
        return value or None

    def number(
        self, key: str, default: int | None = None, minimum: int = 1, maximum: int = 10**9
    ) -> int:
        value = self.table.get(key, default)
        if value is None:
            raise ConfigError(f"{self.key(key)} is required; add {key} = <number> to [{self.name}]")
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{self.key(key)} must be a whole number, got {value!r}")
        if not minimum <= value <= maximum:
            raise ConfigError(
                f"{self.key(key)} must be between {minimum} and {maximum}, got {value}"
            )
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.table.get(key, default)
        if not isinstance(value, bool):
            raise ConfigError(f"{self.key(key)} must be true or false, got {value!r}")
        return value

    def path(self, key: str, base_dir: Path, default: str | None = None) -> Path | None:
        raw = self.opt_str(key) or default
        if raw is None:
            return None
        path = Path(raw).expanduser()
        return path if path.is_absolute() else (base_dir / path)

    def hhmm(self, key: str, default: time) -> time:
        value = self.table.get(key)
        if value is None:
            return default
        if isinstance(value, time):
            return value
        match = _HHMM.match(value) if isinstance(value, str) else None
        if not match:
            raise ConfigError(
                f'{self.key(key)} must be a time of day as "HH:MM" (e.g. "17:00"), got {value!r}'
            )
        return time(int(match[1]), int(match[2]))

    def emails(self, key: str) -> tuple[str, ...]:
        value = self.table.get(key, [])
        if isinstance(value, str) or not isinstance(value, list):
            raise ConfigError(
                f'{self.key(key)} must be a list of addresses, e.g. ["a@example.org"]'
            )
        return tuple(email_address(self.key(key), v) for v in value)


def check_keys(table: Mapping, known: tuple[str, ...], where: str, what: str = "key") -> None:
    """Refuse a key that is not known, with a did-you-mean hint."""
    for key in table:
        if key in known:
            continue
        close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(known)}"
        raise ConfigError(f"{where}: unknown {what} {key!r}; {hint}")


def email_address(key: str, value: object) -> str:
    """The address, trimmed and lower-cased, or a ConfigError naming the key."""
    if not isinstance(value, str) or not _EMAIL.match(value.strip()):
        raise ConfigError(f"{key}: {value!r} is not an email address like name@example.org")
    return value.strip().lower()
