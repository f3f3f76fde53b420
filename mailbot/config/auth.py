"""Authentication settings of [mailbox] and [smtp]: password or OAuth2, and where secrets live.

Pure validation helpers for `parse`: no files, no environment, no network. A secret is only
ever a `Secret` (an env variable name or a file path), resolved later on demand.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mailbot.config.model import GOOGLE_TOKEN_URI, Secret
from mailbot.config.section import Section
from mailbot.errors import ConfigError

AUTH = ("password", "oauth2")


def is_loopback(host: str) -> bool:
    """True for localhost and loopback IP addresses (where plain text may go)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def auth_kind(s: Section) -> str:
    """The section's `auth`: "password" (default) or "oauth2"."""
    auth = s.text("auth", "password").lower()
    if auth not in AUTH:
        raise ConfigError(f"{s.key('auth')} must be one of {', '.join(AUTH)}; got {auth!r}")
    return auth


def no_password(s: Section) -> Secret:
    """With auth = "oauth2" a password is a leftover that would never be used: refuse it."""
    for key in ("password_env", "password_file"):
        if s.has(key):
            raise ConfigError(
                f'{s.key(key)} is not used with auth = "oauth2"; remove it (the OAuth refresh '
                "token replaces the password)"
            )
    return Secret()


def named_secret(s: Section, base_dir: Path, name: str) -> Secret:
    """A required secret given as `<name>_env` or `<name>_file` (exactly one)."""
    env = s.opt_str(f"{name}_env")
    file = s.path(f"{name}_file", base_dir)
    if env and file:
        raise ConfigError(
            f"{s.key(name + '_env')} and {s.key(name + '_file')} are both set; keep one"
        )
    if not (env or file):
        raise ConfigError(
            f'{s.key(name + "_env")} is required with auth = "oauth2"; add {name}_env = "NAME" '
            f'(or {name}_file = "path") to [{s.name}]'
        )
    if env is not None and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", env):
        raise ConfigError(
            f"{s.key(name + '_env')} must be the NAME of an environment variable, not the secret"
        )
    return Secret(env=env, file=file)


def token_uri(s: Section) -> str:
    """The token endpoint: https, or plain http only on this machine (tests)."""
    uri = s.text("oauth_token_uri", GOOGLE_TOKEN_URI) or GOOGLE_TOKEN_URI
    parts = urlsplit(uri)
    if (parts.scheme == "https" and parts.hostname) or (
        parts.scheme == "http" and parts.hostname and is_loopback(parts.hostname)
    ):
        return uri
    raise ConfigError(
        f"{s.key('oauth_token_uri')} must be an https:// address (default {GOOGLE_TOKEN_URI}); "
        f"got {uri!r}"
    )


def oauth_keys_unused(s: Section, keys: tuple[str, ...]) -> None:
    """Refuse oauth_* keys in a section whose auth is "password" (they would be ignored)."""
    for key in keys:
        if key.startswith("oauth_") and s.has(key):
            raise ConfigError(
                f'{s.key(key)} is set but auth is "password"; add auth = "oauth2" to '
                f"[{s.name}] or remove {key}"
            )


def password_secret(s: Section, base_dir: Path, username: str) -> Secret:
    """Where the password lives: password_env or password_file, required with a username."""
    env = s.opt_str("password_env")
    file = s.path("password_file", base_dir)
    if env and file:
        raise ConfigError(
            f"{s.key('password_env')} and {s.key('password_file')} are both set; keep one"
        )
    if username and not (env or file):
        raise ConfigError(
            f"{s.key('password_env')} is required when username is set; add "
            f'password_env = "NAME_OF_ENV_VARIABLE" (or password_file) to [{s.name}]'
        )
    if not username and (env or file):
        raise ConfigError(
            f"{s.key('username')} is empty but a password is configured; set username"
        )
    if env is not None and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", env):
        raise ConfigError(
            f"{s.key('password_env')} must be the NAME of an environment variable, "
            f'like "MAILBOT_GMAIL_APP_PASSWORD", not the password itself'
        )
    return Secret(env=env, file=file)


def mailbox_oauth(s: Section, base_dir: Path, username: str) -> dict[str, Any]:
    """The [mailbox] OAuth fields (auth = "oauth2"), as MailboxConfig keyword arguments."""
    if not username:
        raise ConfigError(
            f'{s.key("username")} is required with auth = "oauth2"; set it to the Gmail '
            "address the refresh token belongs to"
        )
    client_id = s.text("oauth_client_id", "")
    if not client_id:
        raise ConfigError(
            f'{s.key("oauth_client_id")} is required with auth = "oauth2"; copy the client '
            'ID of the Google Cloud "Desktop app" OAuth client'
        )
    return {
        "oauth_client_id": client_id,
        "oauth_client_secret": named_secret(s, base_dir, "oauth_client_secret"),
        "oauth_refresh_token": named_secret(s, base_dir, "oauth_refresh_token"),
        "oauth_token_uri": token_uri(s),
    }
