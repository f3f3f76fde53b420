"""Messages shaped the way real mail clients write them: Gmail web, Outlook, Thunderbird, ...

Owns one builder per client; each takes a `Mail` (who, when, what, which files) and returns the
sender's message text. The shapes follow what those clients put on the wire in 2021: header
order, boundaries, transfer encodings, how a Vietnamese file name is encoded, inline versus
attachment. No product imports, no tests/mailshapes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tests.redmail.rawmime import (
    CRLF,
    Part,
    address,
    b64_body,
    crlf,
    folded,
    mail_date,
    pct,
    qp_body,
    token,
    words_b,
    words_q,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478"
    "9c6360f8cf00000301010018dd8db00000000049454e44ae426082"
)


@dataclass(frozen=True)
class File:
    """An attached file: the name the clerk sees, its bytes and the type the client declares."""

    name: str
    data: bytes
    ctype: str = XLSX


@dataclass
class Mail:
    """What a clerk writes: sender, recipient, subject, body, files, thread and time."""

    from_name: str
    from_addr: str
    subject: str
    when: datetime
    message_id: str
    text: str
    files: list[File] = field(default_factory=list)
    to: str = "Phòng GD&ĐT Quỳnh Nhai <phonggd.quynhnhai@example.org>"
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    reply_to: str | None = None
    extra: list[str] = field(default_factory=list)

    def html(self) -> str:
        """The HTML twin of the text body, as webmail writes it."""
        paras = "".join(f"<div>{line or '<br>'}</div>" for line in self.text.splitlines())
        return f'<div dir="ltr">{paras}</div>'


def _to(mail: Mail) -> str:
    name, _, addr = mail.to.rpartition(" <")
    return "To: " + address(name, addr.rstrip(">"))


def _thread(mail: Mail) -> list[str]:
    lines = []
    if mail.references:
        lines.append(folded("References", mail.references))
    if mail.in_reply_to:
        lines.append(f"In-Reply-To: {mail.in_reply_to}")
    return lines


def _subject(mail: Mail, words: list[str] | None = None) -> str:
    if mail.subject.isascii():
        return f"Subject: {mail.subject}"
    return folded("Subject", words or words_b(mail.subject))


def _alternative(mail: Mail, boundary: str, encoding: str = "quoted-printable") -> Part:
    body = qp_body if encoding == "quoted-printable" else b64_body_text
    return Part(
        [f'Content-Type: multipart/alternative; boundary="{boundary}"'],
        [
            Part(
                [
                    'Content-Type: text/plain; charset="UTF-8"',
                    f"Content-Transfer-Encoding: {encoding}",
                ],
                body(mail.text + "\n"),
            ),
            Part(
                [
                    'Content-Type: text/html; charset="UTF-8"',
                    f"Content-Transfer-Encoding: {encoding}",
                ],
                body(mail.html() + "\n"),
            ),
        ],
        boundary,
    )


def b64_body_text(text: str) -> str:
    """UTF-8 text as base64 lines."""
    return b64_body(crlf(text).encode())


def gmail_web(mail: Mail, *, logo: bool = False) -> str:
    """Gmail in a browser: mixed > (related >) alternative, B-word names, X-Attachment-Id."""
    tag = token(mail.message_id, n=12)
    bound = [f"000000000000{tag}{i:02x}05ce" for i in range(3)]
    body: Part = _alternative(mail, bound[1])
    if logo:  # the signature logo: inline image referenced from the HTML
        cid = f"ii_kun{tag[:8]}"
        body.body[1].body = qp_body(mail.html() + f'<img src="cid:{cid}" alt="logo">\n')  # type: ignore[union-attr,index]
        image = Part(
            [
                'Content-Type: image/png; name="logo-phong.png"',
                'Content-Disposition: inline; filename="logo-phong.png"',
                "Content-Transfer-Encoding: base64",
                f"Content-ID: <{cid}>",
                f"X-Attachment-Id: {cid}",
            ],
            b64_body(PNG_1PX),
        )
        body = Part(
            [f'Content-Type: multipart/related; boundary="{bound[2]}"'], [body, image], bound[2]
        )
    parts = [body]
    for i, f in enumerate(mail.files):
        fid = f"f_kun{tag[:6]}{i}"
        name = f.name if f.name.isascii() else " ".join(words_b(f.name, 200))
        parts.append(
            Part(
                [
                    f'Content-Type: {f.ctype}; {CRLF}\tname="{name}"',
                    f'Content-Disposition: attachment; {CRLF}\tfilename="{name}"',
                    "Content-Transfer-Encoding: base64",
                    f"Content-ID: <{fid}>",
                    f"X-Attachment-Id: {fid}",
                ],
                b64_body(f.data),
            )
        )
    head = ["MIME-Version: 1.0", *_thread(mail)]
    head += [f"From: {address(mail.from_name, mail.from_addr)}", f"Date: {mail_date(mail.when)}"]
    if mail.reply_to:
        head.append(f"Reply-To: {mail.reply_to}")
    head += [f"Message-ID: {mail.message_id}", _subject(mail), _to(mail), *mail.extra]
    head.append(f'Content-Type: multipart/mixed; boundary="{bound[0]}"')
    return Part(head, parts, bound[0]).render()


def outlook_desktop(mail: Mail) -> str:
    """Outlook 2016 via Exchange: QP bodies, octet-stream files, names split over B-words."""
    tag = token(mail.message_id, n=10).upper()
    mixed, alt = f"_004_SG2PR01MB{tag}_", f"_000_SG2PR01MB{tag}_"
    parts: list[Part] = [_alternative(mail, alt)]
    for f in mail.files:
        words = words_b(f.name, 24, charset="utf-8")
        name = f"{CRLF} ".join(words)
        parts.append(
            Part(
                [
                    f'Content-Type: application/octet-stream;{CRLF}\tname="{name}"',
                    folded("Content-Description", words),
                    f'Content-Disposition: attachment;{CRLF}\tfilename="{name}";'
                    f" size={len(f.data)};"
                    f'{CRLF}\tcreation-date="{mail_date(mail.when)}";'
                    f'{CRLF}\tmodification-date="{mail_date(mail.when)}"',
                    "Content-Transfer-Encoding: base64",
                ],
                b64_body(f.data),
            )
        )
    head = [f"From: {address(mail.from_name, mail.from_addr)}", _to(mail)]
    subject = words_b(mail.subject, 30, charset="utf-8")
    head += [_subject(mail, subject), folded("Thread-Topic", subject)]
    head += [f"Thread-Index: AQHXv{tag}x2Q==", f"Date: {mail_date(mail.when)}"]
    head += [f"Message-ID: {mail.message_id}", *_thread(mail)]
    head += ["Accept-Language: vi-VN, en-US", "Content-Language: vi-VN"]
    head += ["X-MS-Has-Attach: yes", "X-MS-TNEF-Correlator:", *mail.extra]
    head += [f'Content-Type: multipart/mixed;{CRLF}\tboundary="{mixed}"', "MIME-Version: 1.0"]
    return Part(head, parts, mixed).render()


def thunderbird(mail: Mail) -> str:
    """Thunderbird 91: 8bit flowed text, RFC 2231 filename*0*/*1* continuations."""
    bound = "------------" + token(mail.message_id, n=24).upper()
    parts = [
        Part(
            [
                "Content-Type: text/plain; charset=UTF-8; format=flowed",
                "Content-Transfer-Encoding: 8bit",
            ],
            crlf(mail.text + "\n"),
        )
    ]
    for f in mail.files:
        encoded = pct(f.name)
        cut = len(encoded) // 2
        while encoded[cut - 1] == "%" or encoded[cut - 2] == "%":
            cut += 1  # never split a %XX escape
        parts.append(
            Part(
                [
                    f'Content-Type: {f.ctype};{CRLF} name="{" ".join(words_b(f.name, 200))}"',
                    f"Content-Disposition: attachment;{CRLF} filename*0*=UTF-8''{encoded[:cut]};"
                    f"{CRLF} filename*1*={encoded[cut:]}",
                    "Content-Transfer-Encoding: base64",
                ],
                b64_body(f.data),
            )
        )
    head = [f'Content-Type: multipart/mixed; boundary="{bound}"', f"Message-ID: {mail.message_id}"]
    head += [f"Date: {mail_date(mail.when)}", "MIME-Version: 1.0"]
    head.append(
        "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:91.0) Gecko/20100101"
        f"{CRLF} Thunderbird/91.2.0"
    )
    head += ["Content-Language: vi", _to(mail), f"From: {address(mail.from_name, mail.from_addr)}"]
    head += [*_thread(mail), _subject(mail), *mail.extra]
    return Part(
        head, parts, bound, preamble="This is a multi-part message in MIME format." + CRLF
    ).render()


def iphone(mail: Mail) -> str:
    """iPhone Mail: the file inline (disposition inline + filename), text split around it."""
    bound = "Apple-Mail-" + token(mail.message_id, n=32).upper()
    parts = [
        Part(
            [
                "Content-Type: text/plain;\r\n\tcharset=utf-8",
                "Content-Transfer-Encoding: quoted-printable",
            ],
            qp_body(mail.text + "\n"),
        )
    ]
    for f in mail.files:
        q = " ".join(words_q(f.name, 200, charset="utf-8"))
        parts.append(
            Part(
                [
                    f'Content-Type: {f.ctype};{CRLF}\tname="{q}";{CRLF}\tx-unix-mode=0644',
                    f"Content-Disposition: inline;{CRLF}\tfilename*=utf-8''{pct(f.name)}",
                    "Content-Transfer-Encoding: base64",
                ],
                b64_body(f.data),
            )
        )
    parts.append(
        Part(
            ["Content-Type: text/plain;\r\n\tcharset=us-ascii", "Content-Transfer-Encoding: 7bit"],
            crlf("\n\nSent from my iPhone"),
        )
    )
    head = [f"Content-Type: multipart/mixed; boundary={bound}", "Content-Transfer-Encoding: 7bit"]
    head += [f"From: {address(mail.from_name, mail.from_addr)}", "Mime-Version: 1.0 (1.0)"]
    head += [f"Date: {mail_date(mail.when)}", _subject(mail), f"Message-Id: {mail.message_id}"]
    head += [*_thread(mail), _to(mail), "X-Mailer: iPhone Mail (18H17)", *mail.extra]
    return Part(head, parts, bound).render()


def yahoo(mail: Mail) -> str:
    """Yahoo Mail web: ----=_Part_ boundaries, Q-word file names in the disposition only."""
    tag = token(mail.message_id, n=8)
    mixed, alt = f"----=_Part_{tag}_1.1634094765122", f"----=_Part_{tag}_2.1634094765123"
    parts: list[Part] = [_alternative(mail, alt)]
    for f in mail.files:
        parts.append(
            Part(
                [
                    f"Content-Type: {f.ctype}",
                    "Content-Transfer-Encoding: base64",
                    f'Content-Disposition: attachment; filename="{" ".join(words_q(f.name, 200))}"',
                    f"Content-ID: <{token(f.name, tag)}@yahoo.example.com>",
                ],
                b64_body(f.data),
            )
        )
    head = [f"Date: {mail_date(mail.when)[:-6]}+0000 (UTC)"]
    head += [f"From: {address(mail.from_name, mail.from_addr)}", _to(mail)]
    head += [f"Message-ID: {mail.message_id}", *_thread(mail), _subject(mail), "MIME-Version: 1.0"]
    head += [f'Content-Type: multipart/mixed; {CRLF}\tboundary="{mixed}"', *mail.extra]
    head.append("X-Mailer: WebService/1.1.19116 YMailNorrin")
    return Part(head, parts, mixed).render()


def android_gmail(mail: Mail) -> str:
    """The Gmail app on Android sharing a file from Zalo: octet-stream, ASCII name, no HTML."""
    tag = token(mail.message_id, n=12)
    bound = f"000000000000{tag}05cf"
    parts = [
        Part(
            ['Content-Type: text/plain; charset="UTF-8"', "Content-Transfer-Encoding: base64"],
            b64_body_text(mail.text + "\n"),
        )
    ]
    for f in mail.files:
        parts.append(
            Part(
                [
                    f'Content-Type: application/octet-stream; name="{f.name}"',
                    f'Content-Disposition: attachment; filename="{f.name}"',
                    "Content-Transfer-Encoding: base64",
                    f"X-Attachment-Id: file0_{tag[:6]}",
                    f"Content-ID: <file0_{tag[:6]}>",
                ],
                b64_body(f.data),
            )
        )
    head = ["MIME-Version: 1.0", f"From: {address(mail.from_name, mail.from_addr)}"]
    head += [f"Date: {mail_date(mail.when)}", f"Message-ID: {mail.message_id}"]
    head += ([_subject(mail)] if mail.subject else []) + [_to(mail), *mail.extra]
    head.append(f'Content-Type: multipart/mixed; boundary="{bound}"')
    return Part(head, parts, bound).render()


def apple_mail(mail: Mail) -> str:
    """Mail on macOS: file names in NFD (decomposed) as the Mac file system keeps them."""
    import unicodedata

    nfd = Mail(
        **{
            **mail.__dict__,
            "files": [
                File(unicodedata.normalize("NFD", f.name), f.data, f.ctype) for f in mail.files
            ],
        }
    )
    text = iphone(nfd).replace(
        "X-Mailer: iPhone Mail (18H17)", "X-Mailer: Apple Mail (2.3654.120.0.1.13)"
    )
    return text.replace("Content-Disposition: inline;", "Content-Disposition: attachment;")
