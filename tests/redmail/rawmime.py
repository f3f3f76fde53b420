"""Byte-exact MIME writing for the held-out mailbox: parts, encodings, Gmail's trace headers.

Owns a tiny composer that writes headers exactly as given (folded lines, odd encodings, the
order a client uses) on top of the stdlib email package's encoders and utilities. Real clients
do not write what `EmailMessage` writes, so shapes are spelled out here. No product imports.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import quoprimime
from email.utils import format_datetime, formataddr
from urllib.parse import quote

CRLF = "\r\n"
OFFICE_INBOX = "phonggd.quynhnhai@example.org"
AUTHSERV = "mx.google.com"


@dataclass
class Part:
    """One MIME entity: header lines as written, and a body (text or child parts)."""

    headers: list[str]
    body: str | list[Part] = ""
    boundary: str = ""
    preamble: str = ""

    def render(self) -> str:
        """The entity as text with CRLF line ends."""
        head = CRLF.join(self.headers)
        if isinstance(self.body, str):
            return head + CRLF + CRLF + self.body
        inner = "".join(f"--{self.boundary}{CRLF}{p.render()}{CRLF}" for p in self.body)
        return head + CRLF + CRLF + self.preamble + inner + f"--{self.boundary}--{CRLF}"


def b64_body(data: bytes) -> str:
    """Base64 in 76-character CRLF lines (what every client writes)."""
    return base64.encodebytes(data).decode("ascii").replace("\n", CRLF)


def qp_body(text: str) -> str:
    """UTF-8 text as quoted-printable with CRLF soft and hard line ends."""
    latin = text.replace("\n", CRLF).encode("utf-8").decode("latin-1")
    return quoprimime.body_encode(latin, maxlinelen=76, eol=CRLF)


def crlf(text: str) -> str:
    """Text with CRLF line ends (for 7bit/8bit bodies)."""
    return text.replace("\r\n", "\n").replace("\n", CRLF)


def _chunks(text: str, size: int) -> list[str]:
    """`text` cut into pieces of at most `size` UTF-8 bytes, never inside a character."""
    pieces, current = [], ""
    for ch in text:
        if current and len((current + ch).encode()) > size:
            pieces.append(current)
            current = ""
        current += ch
    return [*pieces, current] if current else pieces


def words_b(text: str, size: int = 45, charset: str = "UTF-8") -> list[str]:
    """RFC 2047 B encoded-words of `text`, split at character boundaries."""
    return [f"=?{charset}?B?{base64.b64encode(c.encode()).decode()}?=" for c in _chunks(text, size)]


def words_q(text: str, size: int = 30, charset: str = "UTF-8") -> list[str]:
    """RFC 2047 Q encoded-words of `text` (spaces as underscores)."""
    out = []
    for chunk in _chunks(text, size):
        q = "".join(
            "_" if b == 0x20 else chr(b) if chr(b).isalnum() and b < 128 else f"={b:02X}"
            for b in chunk.encode()
        )
        out.append(f"=?{charset}?Q?{q}?=")
    return out


def folded(name: str, words: list[str], sep: str = CRLF + " ") -> str:
    """A header line whose value is `words` folded one per line."""
    return f"{name}: " + sep.join(words)


def pct(text: str) -> str:
    """RFC 2231 percent-encoding of UTF-8 text."""
    return quote(text.encode(), safe="!#$&+-.^_`|~")


def address(name: str, addr: str) -> str:
    """A mailbox with its display name encoded as the stdlib does (B words for non-ASCII)."""
    return formataddr((name, addr), charset="utf-8")


def mail_date(when: datetime, suffix: str = "") -> str:
    """An RFC 5322 date in the sender's own offset."""
    return format_datetime(when) + suffix


def token(*parts: object, n: int = 16) -> str:
    """A stable pseudo-random hex token (ids, boundaries) from `parts`."""
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:n]


@dataclass(frozen=True)
class Auth:
    """What our receiving server (Gmail) found about a sender, as it stamps it."""

    dkim: str = "pass"
    spf: str = "pass"
    dmarc: str = "pass"
    forged_pass_below: bool = False  # the sender wrote its own "pass" header lower down
    arc_pass: bool = False  # an ARC-Authentication-Results saying "pass" sits above ours


def auth_results(domain: str, mail_from: str, auth: Auth) -> str:
    """Gmail's Authentication-Results header text (one header, folded)."""
    lines = [f"Authentication-Results: {AUTHSERV};"]
    if auth.dkim != "none":
        lines.append(
            f"       dkim={auth.dkim} header.i=@{domain} header.s=20210112 header.b=Qx7a2Lm9;"
        )
    lines.append(
        f"       spf={auth.spf} (google.com: domain of {mail_from} designates 192.0.2.41 as "
        f"permitted sender) smtp.mailfrom={mail_from}" + (";" if auth.dmarc != "none" else "")
    )
    if auth.dmarc != "none":
        lines.append(f"       dmarc={auth.dmarc} (p=NONE sp=NONE dis=NONE) header.from={domain}")
    return CRLF.join(lines)


@dataclass
class Delivery:
    """How the message reached our Gmail inbox (trace headers prepended by the receiver)."""

    mail_from: str  # envelope sender; "" for a bounce
    header_from_domain: str
    auth: Auth = field(default_factory=Auth)
    delivered_to: str = OFFICE_INBOX  # an alias that forwards here gives a second copy
    delay_s: int = 3


def delivered(message: str, when: datetime, how: Delivery) -> bytes:
    """`message` (the sender's bytes) with the trace block Gmail adds on arrival, as bytes."""
    at = mail_date(when + timedelta(seconds=how.delay_s))
    tag = token(message, how.delivered_to, n=12)
    ar = auth_results(how.header_from_domain, how.mail_from or "mailer-daemon", how.auth)
    arc_src = (
        auth_results(how.header_from_domain, how.mail_from, Auth()) if how.auth.arc_pass else ar
    )
    arc = arc_src.replace("Authentication-Results: ", "ARC-Authentication-Results: i=1; ", 1)
    trace = [
        f"Delivered-To: {how.delivered_to}",
        f"Received: by 2002:a05:7300:{tag[:4]}:b0:{tag[4:6]}:{tag[6:10]}:{tag[10:]} "
        f"with SMTP id x{tag[:6]}dyc;{CRLF}        {at}",
        f"X-Google-Smtp-Source: ABdhPJ{tag}Zq",
        f"ARC-Seal: i=1; a=rsa-sha256; t=1634000000; cv=none;{CRLF}        d=google.com; "
        f"s=arc-20160816;{CRLF}        b={tag}{tag}",
        arc,
        f"Return-Path: <{how.mail_from}>",
        f"Received: from mail-sor-f41.example.net (mail-sor-f41.example.net. [192.0.2.41]){CRLF}"
        f"        by mx.google.com with SMTPS id {tag}.41.2021;{CRLF}        {at}",
        f"Received-SPF: {how.auth.spf} (google.com: domain of {how.mail_from or 'postmaster'} "
        f"designates 192.0.2.41 as permitted sender) client-ip=192.0.2.41;",
        ar,
    ]
    if how.auth.forged_pass_below:
        forged = auth_results(how.header_from_domain, how.mail_from, Auth())
        message = forged + CRLF + message
    return (CRLF.join(trace) + CRLF + message).encode("utf-8")
