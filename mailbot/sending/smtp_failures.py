"""Which SMTP failures are the server's and which are one message's.

Owns the rule the outbox relies on: a failure of the server or the session (refused login or
sender, 421) is a ServerSendError and charges no message; a refusal of this message's
recipients or content is a MessageRefused, permanent for a 5xx. Also the one-line form of an
smtplib error. Pure: it only reads smtplib's exceptions.
"""

from __future__ import annotations

import smtplib

from mailbot.errors import MessageRefused, SendError, ServerSendError

Refused = dict[str, tuple[int, bytes]]  # what smtplib returns: recipients refused, by address


def one_line(exc: BaseException) -> str:
    """The exception as one short line (type name when it has no text)."""
    if isinstance(exc, smtplib.SMTPResponseException):
        error = exc.smtp_error
        reply = error.decode(errors="replace") if isinstance(error, bytes) else str(error)
        text = f"{exc.smtp_code} {reply}"
    else:
        text = str(exc)
    text = " ".join(text.split())
    return text[:300] if text else type(exc).__name__


def _refusals(refused: Refused) -> str:
    """Each refused address with the server's reply: "a@x (550 5.1.1 No such user)"."""
    return ", ".join(
        f"{addr} ({code} {' '.join(reply.decode(errors='replace').split())[:200]})"
        for addr, (code, reply) in refused.items()
    )


# Answers at MAIL FROM that concern the message (its size), not the account or the session.
_MESSAGE_CODES_AT_SENDER = (552, 555)


def refusal(where: str, exc: smtplib.SMTPResponseException) -> SendError:
    """A refused MAIL FROM or DATA as a server-level or message-level error.

    421 closes the session and a refused sender (530 login needed, 550 daily limit reached)
    stops every message alike, so both leave the messages uncharged. A 5xx after DATA refuses
    this message for good (size, content); another 4xx there is retried for this message only,
    so one message the server keeps deferring cannot hold back the whole queue.
    """
    text = f"SMTP send via {where} failed: {one_line(exc)}"
    code = exc.smtp_code
    if code == 421:
        return ServerSendError(text)
    if isinstance(exc, smtplib.SMTPSenderRefused):
        if code in _MESSAGE_CODES_AT_SENDER:
            return MessageRefused(text, permanent=True)
        return ServerSendError(text)
    if isinstance(exc, smtplib.SMTPDataError):
        return MessageRefused(text, permanent=code >= 500)
    return ServerSendError(text)


def recipients_refused(where: str, exc: smtplib.SMTPRecipientsRefused) -> SendError:
    """Every recipient refused: this message's fault (5xx: for good), unless the server said 421."""
    codes = [code for code, _reply in exc.recipients.values()]
    text = f"SMTP server {where} refused every recipient: {_refusals(exc.recipients)}"
    if 421 in codes:  # "closing the channel": the session failed, not the address
        return ServerSendError(text)
    return MessageRefused(text, permanent=all(c >= 500 for c in codes))
