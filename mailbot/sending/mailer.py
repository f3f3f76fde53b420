"""The sending edge: the `Mailer` protocol, `SmtpMailer` (smtplib), `DirectoryMailer` (.eml files).

Owns the SMTP connection and the file outbox. Must not compose messages (the renders do) and
never puts a password in an error or a log line; every failure is one SendError line, either
a ServerSendError (the server cannot take mail now) or a MessageRefused (this message only), so
the outbox charges a retry only to a message that is at fault.
"""

from __future__ import annotations

import logging
import os
import re
import smtplib
import ssl
import unicodedata
from collections.abc import Callable
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.policy import SMTP, compat32, default
from email.utils import getaddresses
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Protocol, Self, runtime_checkable

from mailbot.errors import MessageRefused, SendError, ServerSendError, TokenEndpointError
from mailbot.oauth.tokens import TokenProvider, smtp_oauth2_login
from mailbot.sending.smtp_failures import Refused, one_line, recipients_refused, refusal

log = logging.getLogger(__name__)

Security = Literal["ssl", "starttls", "none"]
_HEADERS = BytesParser(policy=compat32)  # raw header strings: envelope addresses only
_FULL = BytesParser(policy=default)
_BLANK_LINE = re.compile(rb"\n\r?\n")


class Mailer(Protocol):
    """Something that delivers a finished message to the addresses in its headers.

    A mailer may also be a context manager (SmtpMailer is): callers sending a batch enter it
    once, so one connection carries the whole batch.
    """

    def send(self, msg: EmailMessage) -> None:
        """Deliver `msg` to its To, Cc and Bcc recipients.

        Raises ServerSendError when no mail can go now, MessageRefused when this one cannot.
        """
        ...


@runtime_checkable
class BytesMailer(Mailer, Protocol):
    """A `Mailer` that can also send a message already serialised (the outbox keeps bytes)."""

    def send_bytes(self, raw: bytes) -> None:
        """Deliver `raw` (SMTP policy, CRLF) unchanged to its recipients; SendError on failure."""
        ...


def recipients(msg: Message) -> list[str]:
    """Envelope recipients of `msg`: the addresses of To, Cc and Bcc, in that order."""
    fields = [str(value) for name in ("To", "Cc", "Bcc") for value in msg.get_all(name, [])]
    return [address for _name, address in getaddresses(fields) if address]


def envelope_sender(msg: Message) -> str:
    """The envelope sender smtplib would use: the Sender address, else the From address."""
    value = msg["Sender"] or msg["From"] or ""
    pairs = getaddresses([str(value)])
    return pairs[0][1] if pairs else ""


def _ascii(addresses: list[str]) -> bool:
    return all(a.isascii() for a in addresses)


def _header_block(raw: bytes) -> bytes:
    found = _BLANK_LINE.search(raw)
    return raw[: found.end()] if found else raw


class SmtpMailer:
    """A `Mailer` over SMTP: one connection per message, or per batch inside `with mailer:`."""

    def __init__(
        self,
        host: str,
        port: int,
        security: Security,
        username: str | None = None,
        password: str | None = None,
        *,
        timeout_s: float = 60,
        ssl_context: ssl.SSLContext | None = None,
        token_provider: TokenProvider | None = None,
    ) -> None:
        if security not in ("ssl", "starttls", "none"):
            raise ValueError(f"security must be ssl, starttls or none, got {security!r}")
        self.host = host
        self.port = port
        self.security = security
        self.username = username or None
        self._password = password or ""
        self.timeout_s = timeout_s
        self.ssl_context = ssl_context
        # With a token provider the login is XOAUTH2 (Gmail OAuth2) and `password` is unused.
        self.token_provider = token_provider
        self._batch = 0  # depth of `with mailer:` blocks; > 0 keeps the connection open
        self._open: _Smtp | _SmtpSsl | None = None
        self._in_data = False  # the last transaction's failure (if any) came after DATA began

    def __repr__(self) -> str:
        return f"SmtpMailer({self.host}:{self.port}, {self.security}, user={self.username})"

    def __enter__(self) -> Self:
        """Start a batch: the connection opened by the first send stays open until exit."""
        self._batch += 1
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """End a batch: say QUIT and close the connection (never raises)."""
        self._batch = max(0, self._batch - 1)
        if self._batch == 0:
            self._drop()

    def send(self, msg: EmailMessage) -> None:
        """Send `msg`; AUTH only when a username is set; any failure is one SendError line."""
        to = recipients(msg)
        if not to:
            raise MessageRefused("message has no recipients (To, Cc or Bcc)", permanent=True)
        self._send(lambda smtp: smtp.send_message(msg, to_addrs=to))

    def send_bytes(self, raw: bytes) -> None:
        """Send a message serialised with the SMTP policy, byte for byte (no parse, no reflow).

        The envelope comes from its header block; a message with Bcc (which must be taken out
        of the headers) or non-ASCII addresses goes through `send` instead.
        """
        headers = _HEADERS.parsebytes(_header_block(raw), headersonly=True)
        to = recipients(headers)
        sender = envelope_sender(headers)
        if headers["Bcc"] is not None or headers["Resent-Bcc"] is not None or not _ascii(to):
            self.send(_FULL.parsebytes(raw))
            return
        if not to:
            raise MessageRefused("message has no recipients (To, Cc or Bcc)", permanent=True)
        self._send(lambda smtp: smtp.sendmail(sender, to, raw))

    def _send(self, action: Callable[[smtplib.SMTP], Refused]) -> None:
        """Run one transaction; every failure becomes one line, of the server or of the message."""
        where = f"{self.host}:{self.port}"
        try:
            refused = self._transact(action)
        except smtplib.SMTPAuthenticationError as exc:
            raise ServerSendError(
                f"SMTP server {where} refused the login of {self.username}: {one_line(exc)}"
            ) from None
        except smtplib.SMTPRecipientsRefused as exc:
            raise recipients_refused(where, exc) from None
        except smtplib.SMTPResponseException as exc:  # refused sender, DATA, or 421
            raise refusal(where, exc) from None
        except (smtplib.SMTPException, OSError) as exc:
            text = f"SMTP send via {where} failed: {one_line(exc)}"
            if self._in_data:
                # Hung up on while this message's content went over (a content filter does
                # so): charged to it, so it cannot hold back the queue; in a real outage the
                # next message then fails to connect, and only this one try was charged.
                raise MessageRefused(f"{text} (during DATA)", permanent=False) from None
            # Refused connection, timeout, TLS, a drop before DATA: nothing about this message.
            raise ServerSendError(text) from None
        except ValueError as exc:  # smtplib refuses this message's bytes or addresses
            raise MessageRefused(
                f"SMTP send via {where} failed: {one_line(exc)}", permanent=True
            ) from None
        except TokenEndpointError as exc:  # retryable; a refused grant (AuthError) propagates
            raise ServerSendError(f"SMTP send via {where}: no OAuth access token: {exc}") from None
        if refused:
            # Accepted for the others already: raising would make a retry send it twice.
            log.warning("SMTP server %s refused some recipients: %s", where, ", ".join(refused))

    def _transact(self, action: Callable[[smtplib.SMTP], Refused]) -> Refused:
        """Run one mail transaction on a (kept or new) logged-in connection.

        A kept connection the server has dropped meanwhile (idle timeout, restart) is replaced
        once, but only when the failure came before DATA: the message cannot have been
        accepted then, so sending it on a new connection never sends it twice.
        """
        self._in_data = False
        if self._batch == 0:
            with self._login_connect() as smtp:
                return self._act(smtp, action)
        kept = self._open
        if kept is not None:
            try:
                return self._act(kept, action)
            except (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError):
                self._drop()
                if kept.data_begun:
                    raise
                log.info("SMTP connection to %s:%s was dropped; reconnecting", self.host, self.port)
            except BaseException:
                self._drop()  # its state after a failed transaction is unknown
                raise
        self._open = self._login_connect()
        try:
            return self._act(self._open, action)
        except BaseException:
            self._drop()
            raise

    def _act(self, smtp: _Smtp | _SmtpSsl, action: Callable[[smtplib.SMTP], Refused]) -> Refused:
        """Run `action` on `smtp`, remembering whether a failure came after DATA began."""
        smtp.data_begun = False
        try:
            return action(smtp)
        finally:
            self._in_data = smtp.data_begun

    def _drop(self) -> None:
        """Close the kept connection politely if it is still there (never raises)."""
        smtp, self._open = self._open, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()

    def _login_connect(self) -> _Smtp | _SmtpSsl:
        smtp = self._connect()
        try:
            if self.username:
                self._login(smtp)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def check(self) -> None:
        """Connect and log in without sending anything (`mailbot check`); SendError on failure."""
        where = f"{self.host}:{self.port}"
        try:
            with self._connect() as smtp:
                if self.username:
                    self._login(smtp)
                smtp.noop()
        except smtplib.SMTPAuthenticationError as exc:
            raise SendError(
                f"SMTP server {where} refused the login of {self.username}: {one_line(exc)}"
            ) from None
        except (smtplib.SMTPException, OSError, ValueError, TokenEndpointError) as exc:
            raise SendError(f"SMTP server {where} cannot be used: {one_line(exc)}") from None

    def _login(self, smtp: smtplib.SMTP) -> None:
        """Password AUTH, or XOAUTH2 with one retry on a fresh token after a refusal."""
        tokens = self.token_provider
        if tokens is None:
            smtp.login(self.username or "", self._password)
            return
        user = self.username or ""
        try:
            smtp_oauth2_login(smtp, user, tokens.access_token())
        except smtplib.SMTPAuthenticationError:
            tokens.invalidate()
            smtp_oauth2_login(smtp, user, tokens.access_token())

    def _connect(self) -> _Smtp | _SmtpSsl:
        if self.security == "ssl":
            return _SmtpSsl(self.host, self.port, timeout=self.timeout_s, context=self._tls())
        smtp = _Smtp(self.host, self.port, timeout=self.timeout_s)
        if self.security == "starttls":
            try:
                smtp.starttls(context=self._tls())
            except BaseException:
                smtp.close()
                raise
        return smtp

    def _tls(self) -> ssl.SSLContext:
        # Built once per mailer: loading the system CA store costs ~50 ms, once per receipt.
        if self.ssl_context is None:
            self.ssl_context = ssl.create_default_context()
        return self.ssl_context


class _DataMark:
    """Notes on the connection when a transaction reached DATA (past it, a resend may double)."""

    data_begun = False

    def data(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        self.data_begun = True
        return super().data(*args, **kwargs)  # type: ignore[misc]  # mixin: SMTP.data is next in the MRO


class _Smtp(_DataMark, smtplib.SMTP):
    """smtplib.SMTP that notes when DATA began."""


class _SmtpSsl(_DataMark, smtplib.SMTP_SSL):
    """smtplib.SMTP_SSL that notes when DATA began."""


def safe_subject(subject: str, limit: int = 50) -> str:
    """An ASCII file-name slug of a (Vietnamese) subject: "Báo cáo Đợt 1" → "bao-cao-dot-1"."""
    text = subject.replace("Đ", "D").replace("đ", "d")  # Đ has no decomposition
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "no-subject"


class DirectoryMailer:
    """A `Mailer` that writes each message as <n>-<safe-subject>.eml (demo and dry runs)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.sent: list[Path] = []

    def __repr__(self) -> str:
        return f"DirectoryMailer({str(self.path)!r})"

    def send(self, msg: EmailMessage) -> None:
        """Write `msg` unchanged (Bcc kept, so the file shows every envelope recipient)."""
        if not recipients(msg):
            raise MessageRefused("message has no recipients (To, Cc or Bcc)", permanent=True)
        data = msg.as_bytes(policy=SMTP)
        slug = safe_subject(str(msg.get("Subject", "")))
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            number = self._next_number()
            while True:
                target = self.path / f"{number:04d}-{slug}.eml"
                try:
                    # O_EXCL: two senders never overwrite each other's file.
                    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                except FileExistsError:
                    number += 1
                    continue
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
                break
        except OSError as exc:
            raise ServerSendError(f"cannot write to outbox {self.path}: {exc.strerror}") from None
        self.sent.append(target)

    def _next_number(self) -> int:
        matches = (re.match(r"(\d+)-", p.name) for p in self.path.glob("*.eml"))
        return max((int(m[1]) for m in matches if m), default=0) + 1
