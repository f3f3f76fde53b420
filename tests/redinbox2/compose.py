"""Raw messages as everyday clients write them: quoted replies, forwards, HTML-only, signatures.

Owns `Msg` (what a person sends) and `render`, which writes the sender's bytes in one of a few
client shapes and prepends the trace block our Gmail adds on arrival. Quoting helpers write the
history the way each client does: Gmail's "Vào ... đã viết:" with ">" lines, Gmail's
"---------- Forwarded message ---------", Outlook's "From: / Sent: / To: / Subject:" block.
Uses the byte-exact MIME primitives of tests/redmail/rawmime.py; no product imports.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime

from tests.redmail.rawmime import (
    CRLF,
    Auth,
    Delivery,
    Part,
    address,
    b64_body,
    crlf,
    delivered,
    folded,
    mail_date,
    qp_body,
    token,
    words_b,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
JPEG = "image/jpeg"
OFFICE = "phonggd.quynhnhai@example.org"
OFFICE_NAME = "Phòng GD&ĐT Quỳnh Nhai"
WEEKDAYS = ["Th 2", "Th 3", "Th 4", "Th 5", "Th 6", "Th 7", "CN"]


@dataclass(frozen=True)
class Attachment:
    """A file as the person picked it: name, bytes and the type the client declares."""

    name: str
    data: bytes
    ctype: str = XLSX


@dataclass
class Msg:
    """One message a person sends; `shape` names the client that writes it."""

    from_name: str
    from_addr: str
    subject: str | None
    when: datetime
    message_id: str
    text: str = ""
    html_body: str | None = None  # None: made from `text`
    files: list[Attachment] = field(default_factory=list)
    signature_logo: bool = False  # an inline image in the signature (multipart/related)
    shape: str = "gmail"  # gmail | outlook | html | phone | calendar
    to: tuple[str, str] = (OFFICE_NAME, OFFICE)
    cc: list[tuple[str, str]] = field(default_factory=list)
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    calendar: str = ""  # the text/calendar body for shape "calendar"
    auth: Auth = field(default_factory=Auth)

    def html(self) -> str:
        """The HTML body: given, or the text as Gmail's web editor writes it."""
        if self.html_body is not None:
            return self.html_body
        out = []
        for line in self.text.splitlines():
            if line.startswith(">"):
                out.append(f"<blockquote>{html.escape(line.lstrip('> '))}</blockquote>")
            else:
                out.append(f"<div>{html.escape(line) or '<br>'}</div>")
        logo = (
            '<div><img src="cid:logo_sig_01" alt="logo" width="64"></div>'
            if (self.signature_logo)
            else ""
        )
        return f'<div dir="ltr">{"".join(out)}{logo}</div>'


# --- quoting, as each client writes it ---------------------------------------------------------


def gmail_quote(when: datetime, name: str, addr: str, text: str) -> str:
    """Gmail's reply history: 'Vào <ngày> <tên> <<địa chỉ>> đã viết:' and '>' lines."""
    day = f"{WEEKDAYS[when.weekday()]}, {when.day} thg {when.month}, {when.year}"
    head = f"Vào {day} vào lúc {when:%H:%M} {name} <{addr}> đã viết:"
    return head + "\n" + "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


def gmail_forward(when: datetime, name: str, addr: str, subject: str, text: str) -> str:
    """Gmail's forwarded-message block."""
    day = (
        f"{WEEKDAYS[when.weekday()]}, {when.day} thg {when.month}, {when.year} vào lúc {when:%H:%M}"
    )
    return (
        "---------- Forwarded message ---------\n"
        f"Từ: {name} <{addr}>\nDate: {day}\nSubject: {subject}\n"
        f"To: <{OFFICE}>\n\n{text}"
    )


def outlook_block(when: datetime, name: str, addr: str, to: str, subject: str, text: str) -> str:
    """Outlook's history block under a reply or forward."""
    return (
        "________________________________\n"
        f"From: {name} <{addr}>\nSent: {when:%A, %B %d, %Y %I:%M %p}\nTo: {to}\n"
        f"Subject: {subject}\n\n{text}"
    )


# --- MIME shapes -----------------------------------------------------------------------------


def _text_part(text: str, subtype: str = "plain", enc: str = "quoted-printable") -> Part:
    body = qp_body(text + "\n") if enc == "quoted-printable" else b64_body(crlf(text).encode())
    if enc == "8bit":
        body = crlf(text + "\n")
    return Part(
        [f'Content-Type: text/{subtype}; charset="UTF-8"', f"Content-Transfer-Encoding: {enc}"],
        body,
    )


def _file_part(f: Attachment, style: str) -> Part:
    if style == "outlook":
        name = f"{CRLF} ".join(words_b(f.name, 24, charset="utf-8"))
        head = [
            f'Content-Type: application/octet-stream;{CRLF}\tname="{name}"',
            f'Content-Disposition: attachment;{CRLF}\tfilename="{name}"; size={len(f.data)}',
        ]
    elif style == "phone":
        head = [
            f'Content-Type: application/octet-stream; name="{f.name}"',
            f'Content-Disposition: attachment; filename="{f.name}"',
        ]
    else:
        name = " ".join(words_b(f.name, 60)) if not f.name.isascii() else f.name
        head = [
            f'Content-Type: {f.ctype}; name="{name}"',
            f'Content-Disposition: attachment; filename="{name}"',
            f"X-Attachment-Id: f_kv{token(f.name, len(f.data), n=7)}",
            f"Content-ID: <f_kv{token(f.name, n=7)}>",
        ]
    return Part([*head, "Content-Transfer-Encoding: base64"], b64_body(f.data))


def _logo_part() -> Part:
    from tests.redmail.clients import PNG_1PX

    return Part(
        [
            'Content-Type: image/png; name="logo.png"',
            'Content-Disposition: inline; filename="logo.png"',
            "Content-Transfer-Encoding: base64",
            "Content-ID: <logo_sig_01>",
            "X-Attachment-Id: logo_sig_01",
        ],
        b64_body(PNG_1PX),
    )


def _body(msg: Msg, tag: str) -> Part:
    """The message's own body: text, HTML, or both, with the signature logo if any."""
    if msg.shape == "phone":
        return _text_part(msg.text, enc="8bit")
    if msg.shape == "html":
        core = _text_part(msg.html(), "html", enc="base64")
    else:
        alts = [_text_part(msg.text), _text_part(msg.html(), "html")]
        if msg.shape == "calendar":
            alts.append(
                Part(
                    [
                        'Content-Type: text/calendar; charset="UTF-8"; method=REQUEST',
                        "Content-Transfer-Encoding: 7bit",
                    ],
                    crlf(msg.calendar),
                )
            )
        core = Part(
            [f'Content-Type: multipart/alternative; boundary="000000000000a{tag}"'],
            alts,
            f"000000000000a{tag}",
        )
    if not msg.signature_logo:
        return core
    return Part(
        [f'Content-Type: multipart/related; boundary="000000000000r{tag}"'],
        [core, _logo_part()],
        f"000000000000r{tag}",
    )


def _headers(msg: Msg) -> list[str]:
    head = [f"From: {address(msg.from_name, msg.from_addr)}"]
    head.append(f"Date: {mail_date(msg.when)}")
    head.append(f"Message-ID: {msg.message_id}")
    if msg.references:
        head.append(folded("References", msg.references))
    if msg.in_reply_to:
        head.append(f"In-Reply-To: {msg.in_reply_to}")
    if msg.subject is not None:
        subj = msg.subject if msg.subject.isascii() else " ".join(words_b(msg.subject))
        head.append(
            f"Subject: {subj}" if msg.subject.isascii() else folded("Subject", words_b(msg.subject))
        )
        if msg.shape == "outlook":
            head.append(f"Thread-Topic: {subj}")
            head.append(f"Thread-Index: AdfA{token(msg.message_id, n=20)}==")
    head.append("To: " + address(*msg.to))
    if msg.cc:
        head.append("Cc: " + ", ".join(address(n, a) for n, a in msg.cc))
    if msg.shape == "outlook":
        head += ["Accept-Language: vi-VN, en-US", "Content-Language: vi-VN"]
        head.append("X-Mailer: Microsoft Outlook 16.0")
    head += ["MIME-Version: 1.0", *msg.extra]
    return head


def sender_text(msg: Msg) -> str:
    """The message as the sender's client puts it on the wire."""
    tag = token(msg.message_id, n=14)
    body = _body(msg, tag)
    parts = [body] + [_file_part(f, msg.shape) for f in msg.files]
    if msg.shape == "calendar":
        parts.append(
            Part(
                [
                    'Content-Type: application/ics; name="invite.ics"',
                    'Content-Disposition: attachment; filename="invite.ics"',
                    "Content-Transfer-Encoding: base64",
                ],
                b64_body(msg.calendar.encode()),
            )
        )
    if len(parts) == 1:
        return Part(_headers(msg) + body.headers, body.body, body.boundary).render()
    bound = f"000000000000m{tag}"
    head = [*_headers(msg), f'Content-Type: multipart/mixed; boundary="{bound}"']
    return Part(head, parts, bound).render()


def render(msg: Msg) -> bytes:
    """The bytes our Gmail holds: the trace block, then the sender's message."""
    domain = msg.from_addr.rpartition("@")[2]
    how = Delivery(mail_from=msg.from_addr, header_from_domain=domain, auth=msg.auth)
    return delivered(sender_text(msg), msg.when, how)
