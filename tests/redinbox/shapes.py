"""Message shapes tests/redmail/clients.py does not write, on its `Mail` spec and MIME parts.

Owns: Zimbra webmail (the provincial government mail system), Roundcube (Vietnamese hosting
providers' webmail), mail without attachments as Gmail and Outlook write it, HTML-only
newsletters and notices (no List-* headers), and Outlook meeting requests with text/calendar.
No product imports.
"""

from __future__ import annotations

from tests.redmail.clients import Mail, _alternative, _subject, _thread, _to, b64_body_text
from tests.redmail.rawmime import (
    CRLF,
    Part,
    address,
    b64_body,
    folded,
    mail_date,
    pct,
    qp_body,
    token,
    words_b,
    words_q,
)


def _attachments_2231(mail: Mail, size: bool = False) -> list[Part]:
    """Files with a Q-word name= and an RFC 2231 filename*= (what PHP/Java webmail write)."""
    parts = []
    for f in mail.files:
        extra = f"; size={len(f.data)}" if size else ""
        parts.append(
            Part(
                [
                    f'Content-Type: {f.ctype};{CRLF} name="{" ".join(words_q(f.name, 200))}"',
                    "Content-Transfer-Encoding: base64",
                    f"Content-Disposition: attachment;{CRLF} filename*=UTF-8''{pct(f.name)}{extra}",
                ],
                b64_body(f.data),
            )
        )
    return parts


def zimbra(mail: Mail) -> str:
    """Zimbra 8.8 web client (government mail): '=_' boundaries, JavaMail Message-ID."""
    tag = token(mail.message_id, n=36)
    mixed, alt = f"=_{tag[:8]}-{tag[8:12]}-{tag[12:16]}-{tag[16:20]}-{tag[20:32]}", f"=_{tag}"
    parts: list[Part] = [_alternative(mail, alt)]
    parts += _attachments_2231(mail)
    head = [
        f"Date: {mail_date(mail.when)} (ICT)",
        f"From: {address(mail.from_name, mail.from_addr)}",
    ]
    head += [_to(mail), f"Message-ID: {mail.message_id}", *_thread(mail)]
    head += [folded("Subject", words_q(mail.subject, 40, charset="utf-8")), "MIME-Version: 1.0"]
    if mail.files:
        head.append(f'Content-Type: multipart/mixed;{CRLF} boundary="{mixed}"')
    head += ["X-Originating-IP: [192.0.2.55]"]
    head.append("X-Mailer: Zimbra 8.8.15_GA_4177 (ZimbraWebClient - GC94 (Win)/8.8.15_GA_4177)")
    head += [folded("Thread-Topic", words_q(mail.subject, 40, charset="utf-8"))]
    head += [f"Thread-Index: {token(mail.subject, n=20)}", *mail.extra]
    if not mail.files:  # no files: the alternative is the whole body
        alt_part = parts[0]
        return Part(head + alt_part.headers, alt_part.body, alt_part.boundary).render()
    return Part(head, parts, mixed).render()


def roundcube(mail: Mail) -> str:
    """Roundcube 1.4 (shared hosting webmail): '=_' + md5 boundaries, 2231 names with size."""
    tag = token(mail.message_id, n=32)
    mixed, alt = f"=_{tag}", f"=_{token(tag, n=32)}"
    parts: list[Part] = [_alternative(mail, alt)]
    parts += _attachments_2231(mail, size=True)
    head = ["MIME-Version: 1.0"]
    head.append(f'Content-Type: multipart/mixed;{CRLF} boundary="{mixed}"')
    head += [f"Date: {mail_date(mail.when)}", f"From: {address(mail.from_name, mail.from_addr)}"]
    head += [_to(mail), _subject(mail), *_thread(mail), f"Message-ID: {mail.message_id}"]
    head += ["X-Sender: " + mail.from_addr, "User-Agent: Roundcube Webmail/1.4.11", *mail.extra]
    return Part(head, parts, mixed).render()


def gmail_plain(mail: Mail) -> str:
    """Gmail (web or app) without attachments: multipart/alternative at the top."""
    bound = f"000000000000{token(mail.message_id, n=12)}05cd"
    alt = _alternative(mail, bound)
    head = ["MIME-Version: 1.0", *_thread(mail)]
    head += [f"From: {address(mail.from_name, mail.from_addr)}", f"Date: {mail_date(mail.when)}"]
    head += [f"Message-ID: {mail.message_id}", _subject(mail), _to(mail), *mail.extra]
    return Part(head + alt.headers, alt.body, bound).render()


def outlook_plain(mail: Mail) -> str:
    """Outlook without attachments: QP alternative, Thread-Index, B-word subject."""
    tag = token(mail.message_id, n=10).upper()
    alt = _alternative(mail, f"_000_SG2PR04MB{tag}_")
    subject = words_b(mail.subject, 30, charset="utf-8")
    head = [f"From: {address(mail.from_name, mail.from_addr)}", _to(mail)]
    head += [_subject(mail, subject), folded("Thread-Topic", subject)]
    head += [f"Thread-Index: AQHXw{tag}yA==", f"Date: {mail_date(mail.when)}"]
    head += [f"Message-ID: {mail.message_id}", *_thread(mail)]
    head += ["Accept-Language: vi-VN, en-US", "Content-Language: vi-VN", "X-MS-Has-Attach:"]
    head += [*mail.extra, "MIME-Version: 1.0"]
    return Part(head + alt.headers, alt.body, alt.boundary).render()


def html_notice(mail: Mail, html: str, *, mailer: str = "", b64: bool = True) -> str:
    """A machine-sent notice or newsletter: text + HTML alternative, no List-* headers."""
    bound = "----=_NextPart_" + token(mail.message_id, n=24)
    encode = b64_body_text if b64 else qp_body
    cte = "base64" if b64 else "quoted-printable"
    parts = [
        Part(
            ['Content-Type: text/plain; charset="utf-8"', f"Content-Transfer-Encoding: {cte}"],
            encode(mail.text + "\n"),
        ),
        Part(
            ['Content-Type: text/html; charset="utf-8"', f"Content-Transfer-Encoding: {cte}"],
            encode(html + "\n"),
        ),
    ]
    head = [f"From: {address(mail.from_name, mail.from_addr)}", _to(mail), _subject(mail)]
    head += [f"Date: {mail_date(mail.when)}", f"Message-ID: {mail.message_id}", "MIME-Version: 1.0"]
    if mailer:
        head.append(f"X-Mailer: {mailer}")
    head += mail.extra
    head.append(f'Content-Type: multipart/alternative;{CRLF}\tboundary="{bound}"')
    return Part(head, parts, bound).render()


def notice_with_files(mail: Mail, html: str, *, mailer: str = "") -> str:
    """A machine-sent notice with files (statements, e-invoices): mixed > alternative + files."""
    bound = "----=_Part_" + token(mail.message_id, n=20)
    alt = Part(
        [f'Content-Type: multipart/alternative; boundary="{bound}-alt"'],
        [
            Part(
                ['Content-Type: text/plain; charset="utf-8"', "Content-Transfer-Encoding: base64"],
                b64_body_text(mail.text + "\n"),
            ),
            Part(
                ['Content-Type: text/html; charset="utf-8"', "Content-Transfer-Encoding: base64"],
                b64_body_text(html + "\n"),
            ),
        ],
        f"{bound}-alt",
    )
    parts: list[Part] = [alt]
    for f in mail.files:
        parts.append(
            Part(
                [
                    f'Content-Type: {f.ctype}; name="{f.name}"',
                    f'Content-Disposition: attachment; filename="{f.name}"',
                    "Content-Transfer-Encoding: base64",
                ],
                b64_body(f.data),
            )
        )
    head = [f"From: {address(mail.from_name, mail.from_addr)}", _to(mail), _subject(mail)]
    head += [f"Date: {mail_date(mail.when)}", f"Message-ID: {mail.message_id}", "MIME-Version: 1.0"]
    if mailer:
        head.append(f"X-Mailer: {mailer}")
    head += mail.extra
    head.append(f'Content-Type: multipart/mixed; boundary="{bound}"')
    return Part(head, parts, bound).render()


def outlook_invite(mail: Mail, ics: str) -> str:
    """An Outlook meeting request: alternative (text, HTML, text/calendar) plus any files."""
    tag = token(mail.message_id, n=10).upper()
    mixed, alt = f"_004_HK0PR03MB{tag}_", f"_000_HK0PR03MB{tag}_"
    body = _alternative(mail, alt)
    assert isinstance(body.body, list)
    body.body.append(
        Part(
            [
                'Content-Type: text/calendar; charset="utf-8"; method=REQUEST',
                "Content-Transfer-Encoding: base64",
            ],
            b64_body(ics.encode()),
        )
    )
    parts: list[Part] = [body]
    for f in mail.files:
        words = words_b(f.name, 24, charset="utf-8")
        name = f"{CRLF} ".join(words)
        parts.append(
            Part(
                [
                    f'Content-Type: {f.ctype};{CRLF}\tname="{name}"',
                    f'Content-Disposition: attachment;{CRLF}\tfilename="{name}";'
                    f" size={len(f.data)}",
                    "Content-Transfer-Encoding: base64",
                ],
                b64_body(f.data),
            )
        )
    subject = words_b(mail.subject, 30, charset="utf-8")
    head = [f"From: {address(mail.from_name, mail.from_addr)}", _to(mail)]
    head += [_subject(mail, subject), f"Date: {mail_date(mail.when)}"]
    head += [f"Message-ID: {mail.message_id}", "Content-Language: vi-VN"]
    head += ["X-MS-Has-Attach: yes", "X-MS-TNEF-Correlator:", *mail.extra]
    head += [f'Content-Type: multipart/mixed;{CRLF}\tboundary="{mixed}"', "MIME-Version: 1.0"]
    return Part(head, parts, mixed).render()
