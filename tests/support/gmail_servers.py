"""Test servers for the Gmail-facing features: OAuth SMTP recorder, Dovecot variants.

Owns: an aiosmtpd recorder that accepts only XOAUTH2 bearer tokens the local provider issued
(Gmail's JSON error challenge on refusal), a Dovecot with special-use folders (\\All \\Sent
\\Trash, as Gmail announces them) and the IMAP ID extension, and an OAuth Dovecot. Real
servers only; nothing here imports mailbot.
"""

from __future__ import annotations

import base64
import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult

from tests.support import server_mark
from tests.support.oauth_server import ProviderState
from tests.support.servers import Dovecot, Received, free_port
from tests.test_oauth_dovecot import OAuthDovecot

GMAIL_SCOPE = "https://mail.google.com/"

# Gmail-like special-use folders, named in Vietnamese as a localised Gmail shows them.
SPECIAL_USE = """\
namespace inbox {{
  inbox = yes
  separator = /
  mailbox "{all}" {{
    special_use = \\All
    auto = create
  }}
  mailbox "{sent}" {{
    special_use = \\Sent
    auto = create
  }}
  mailbox "{trash}" {{
    special_use = \\Trash
    auto = create
  }}
}}
"""
ALL_MAIL = "[Gmail]/Tất cả thư"
SENT = "[Gmail]/Thư đã gửi"
TRASH = "[Gmail]/Thùng rác"


@dataclass
class SpecialUseDovecot(Dovecot):
    """The shared test Dovecot with Gmail-like special-use folders (RFC 6154)."""

    def configure(self) -> None:
        """Write the usual setup, then add a namespace announcing \\All, \\Sent and \\Trash."""
        super().configure()
        conf_path = self.root / "dovecot.conf"
        extra = SPECIAL_USE.format(all=ALL_MAIL, sent=SENT, trash=TRASH)
        conf_path.write_text(conf_path.read_text() + extra)


@contextmanager
def running(server: Dovecot) -> Iterator[Dovecot]:
    """Configure, start, and finally stop and remove a Dovecot built by the caller."""
    server.configure()
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.root, ignore_errors=True)


def dovecot_root(prefix: str) -> Path:
    """A temp root Dovecot can traverse (not pytest's 0700 tmp_path)."""
    return Path(tempfile.mkdtemp(prefix=prefix))


def oauth_dovecot(tokeninfo_url: str) -> OAuthDovecot:
    """An unstarted Dovecot that accepts only bearer tokens the local provider vouches for."""
    return OAuthDovecot(root=dovecot_root("mailbot-dovecot-oauth-"), tokeninfo_url=tokeninfo_url)


class OAuthRecorder:
    """aiosmtpd handler: XOAUTH2 against the provider's live tokens, then record the mail."""

    def __init__(self, state: ProviderState) -> None:
        self.state = state
        self.logins: list[str] = []
        self.refusals = 0
        self.messages: list[Received] = []

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:
        raw = base64.b64decode(args[1]).decode() if len(args) > 1 else ""
        fields = dict(p.split("=", 1) for p in raw.split("\x01") if "=" in p)
        token = fields.get("auth", "").removeprefix("Bearer ")
        if self.state.issued.get(token, 0.0) > 0 and fields.get("user") == self.state.user:
            self.logins.append(fields["user"])
            return AuthResult(success=True)
        self.refusals += 1
        error = {"status": "400", "schemes": "Bearer", "scope": GMAIL_SCOPE}
        await server.challenge_auth(json.dumps(error))
        return AuthResult(success=False, handled=False)

    async def handle_MAIL(
        self, server: object, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
        self.messages.append(
            Received(envelope.mail_from, tuple(envelope.rcpt_tos), envelope.original_content)
        )
        return "250 OK"


@dataclass
class OAuthSmtp:
    """A running OAuthRecorder on 127.0.0.1."""

    handler: OAuthRecorder
    host: str = "127.0.0.1"
    port: int = 0
    _controller: Controller | None = field(default=None, repr=False)

    @property
    def messages(self) -> list[Received]:
        """What the server accepted."""
        return self.handler.messages


@contextmanager
def oauth_smtp(state: ProviderState) -> Iterator[OAuthSmtp]:
    """An SMTP server on 127.0.0.1 that offers only AUTH XOAUTH2 (as smtp.gmail.com with OAuth)."""
    server_mark.starting("an OAuth SMTP server")
    server = OAuthSmtp(OAuthRecorder(state), port=free_port())
    controller = Controller(
        server.handler, hostname=server.host, port=server.port, auth_require_tls=False
    )
    controller.start()
    try:
        yield server
    finally:
        controller.stop()
