"""The [web] section: the office's browser console (host, port, TLS, bootstrap password).

Pure validation for `parse`: reads no file and no environment. The bootstrap password of the
user `admin` is a `Secret` (env variable or file), resolved only when the console starts.
"""

from __future__ import annotations

import re
from pathlib import Path

from mailbot.config.auth import is_loopback
from mailbot.config.model import Secret, WebConfig
from mailbot.config.section import Section
from mailbot.errors import ConfigError


def parse_web(s: Section, base_dir: Path) -> WebConfig:
    """Build the [web] settings; a LAN address without TLS must be allowed explicitly."""
    env = s.opt_str("password_env")
    file = s.path("password_file", base_dir)
    if env and file:
        raise ConfigError(f"{s.key('password_env')} and {s.key('password_file')} are both set")
    if env is not None and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", env):
        raise ConfigError(
            f"{s.key('password_env')} must be the NAME of an environment variable, "
            'like "MAILBOT_WEB_ADMIN_PASSWORD", not the password itself'
        )
    cert = s.path("tls_cert_file", base_dir)
    key = s.path("tls_key_file", base_dir)
    if (cert is None) != (key is None):
        raise ConfigError(
            f"{s.key('tls_cert_file')} and {s.key('tls_key_file')} go together; set both or neither"
        )
    web = WebConfig(
        enabled=s.flag("enabled", False),
        host=s.text("host", "127.0.0.1") or "127.0.0.1",
        port=s.number("port", 8025, minimum=1, maximum=65535),
        admin_password=Secret(env=env, file=file),
        tls_cert_file=cert,
        tls_key_file=key,
        allow_plain_http_on_lan=s.flag("allow_plain_http_on_lan", False),
        session_hours=s.number("session_hours", 12, minimum=1, maximum=24 * 14),
    )
    check_bind(web, web.host, s.key("host"))
    return web


def check_bind(web: WebConfig, host: str, key: str = "web.host") -> None:
    """Refuse serving plain HTTP on a non-loopback address unless the office allowed it."""
    if is_loopback(host) or web.tls or web.allow_plain_http_on_lan:
        return
    raise ConfigError(
        f"{key} = {host!r} would serve the console (passwords, reports) in clear text on the "
        "network; set tls_cert_file and tls_key_file in [web], or put the console behind a "
        "TLS proxy on 127.0.0.1, or set allow_plain_http_on_lan = true if the LAN is trusted"
    )
