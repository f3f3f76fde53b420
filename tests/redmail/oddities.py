"""Mail no person types: forwards as attachment, auto-replies, bounces, S/MIME, scanners.

Owns builders for the machine-made and unusual shapes of the held-out mailbox, on the same
`Mail` spec as tests/redmail/clients.py. No product imports, no tests/mailshapes.
"""

from __future__ import annotations

from datetime import datetime

from tests.redmail.clients import Mail, _subject, _thread, _to, b64_body_text
from tests.redmail.rawmime import (
    CRLF,
    Part,
    address,
    b64_body,
    crlf,
    mail_date,
    pct,
    qp_body,
    token,
    words_b,
)


def forward_as_attachment(outer: Mail, inner_message: str) -> str:
    """Thunderbird 'Forward As Attachment': the original travels whole as message/rfc822."""
    bound = "------------" + token(outer.message_id, n=24).upper()
    eml = outer.subject + ".eml"
    eml_word = " ".join(words_b(eml, 200))
    parts = [
        Part(
            [
                "Content-Type: text/plain; charset=UTF-8; format=flowed",
                "Content-Transfer-Encoding: 8bit",
            ],
            crlf(outer.text + "\n"),
        ),
        Part(
            [
                f'Content-Type: message/rfc822; charset=UTF-8;{CRLF} name="{eml_word}"',
                f"Content-Disposition: attachment;{CRLF} filename*=UTF-8''{pct(eml)}",
                "Content-Transfer-Encoding: 8bit",
            ],
            inner_message,
        ),
    ]
    head = [f'Content-Type: multipart/mixed; boundary="{bound}"', f"Message-ID: {outer.message_id}"]
    head += [
        f"Date: {mail_date(outer.when)}",
        "MIME-Version: 1.0",
        "User-Agent: Thunderbird/91.2.0",
    ]
    head += [_to(outer), f"From: {address(outer.from_name, outer.from_addr)}", _subject(outer)]
    return Part(
        head, parts, bound, preamble="This is a multi-part message in MIME format." + CRLF
    ).render()


def plain_text(mail: Mail, *, ctype: str = 'text/plain; charset="UTF-8"') -> str:
    """A one-part text mail (auto-replies, list mail), base64 UTF-8 body."""
    head = [f"From: {address(mail.from_name, mail.from_addr)}" if mail.from_addr else ""]
    head += [_to(mail), _subject(mail), f"Date: {mail_date(mail.when)}"]
    head += [f"Message-ID: {mail.message_id}", *_thread(mail), *mail.extra, "MIME-Version: 1.0"]
    head += [f"Content-Type: {ctype}", "Content-Transfer-Encoding: base64"]
    return Part([h for h in head if h], b64_body_text(mail.text + "\n")).render()


def no_from(mail: Mail) -> str:
    """A mail with no From, Sender or Reply-To at all (a broken script or scanner)."""
    head = [
        _to(mail),
        _subject(mail),
        f"Date: {mail_date(mail.when)}",
        f"Message-ID: {mail.message_id}",
    ]
    bound = "=_scan_" + token(mail.message_id)
    parts = [
        Part(
            ['Content-Type: text/plain; charset="UTF-8"', "Content-Transfer-Encoding: base64"],
            b64_body_text(mail.text),
        )
    ]
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
    head += ["MIME-Version: 1.0", f'Content-Type: multipart/mixed; boundary="{bound}"']
    return Part(head, parts, bound).render()


def bounce(reporter: str, failed_rcpt: str, when: datetime, message_id: str, original: str) -> str:
    """A delivery status notification (multipart/report) returning `original` whole."""
    bound = "0000000000" + token(message_id, n=14)
    text = (
        "** Không gửi được thư đến " + failed_rcpt + " **\n\n"
        "Địa chỉ không tồn tại hoặc không nhận được thư.\n"
    )
    status = (
        f"Reporting-MTA: dns; googlemail.example.com{CRLF}"
        f"Arrival-Date: {mail_date(when)}{CRLF}{CRLF}"
        f"Final-Recipient: rfc822; {failed_rcpt}{CRLF}Action: failed{CRLF}Status: 5.1.1{CRLF}"
        "Diagnostic-Code: smtp; 550 5.1.1 The email account that you tried to reach does "
        f"not exist.{CRLF}"
    )
    parts = [
        Part(
            [
                'Content-Type: text/plain; charset="UTF-8"',
                "Content-Transfer-Encoding: quoted-printable",
            ],
            qp_body(text),
        ),
        Part(["Content-Type: message/delivery-status"], status),
        Part(["Content-Type: message/rfc822"], original),
    ]
    head = [
        f"From: {address('Mail Delivery Subsystem', reporter)}",
        "To: phonggd.quynhnhai@example.org",
        "Auto-Submitted: auto-replied",
        "Subject: Delivery Status Notification (Failure)",
        f"Date: {mail_date(when)}",
        f"Message-ID: {message_id}",
        "MIME-Version: 1.0",
        f'Content-Type: multipart/report; boundary="{bound}"; report-type=delivery-status',
    ]
    return Part(head, parts, bound).render()


def smime_signed(mail: Mail) -> str:
    """Outlook with a government signing certificate: multipart/signed over the whole mail."""
    tag = token(mail.message_id, n=10).upper()
    signed, mixed = f"----=_NextPart_000_{tag}_S", f"----=_NextPart_001_{tag}_M"
    inner = [
        Part(
            [
                'Content-Type: text/plain; charset="utf-8"',
                "Content-Transfer-Encoding: quoted-printable",
            ],
            qp_body(mail.text + "\n"),
        )
    ]
    for f in mail.files:
        inner.append(
            Part(
                [
                    f'Content-Type: {f.ctype};{CRLF}\tname="{" ".join(words_b(f.name, 200))}"',
                    "Content-Transfer-Encoding: base64",
                    f"Content-Disposition: attachment;{CRLF}"
                    f'\tfilename="{" ".join(words_b(f.name, 200))}"',
                ],
                b64_body(f.data),
            )
        )
    body = Part([f'Content-Type: multipart/mixed;{CRLF}\tboundary="{mixed}"'], inner, mixed)
    signature = Part(
        [
            'Content-Type: application/pkcs7-signature; name="smime.p7s"',
            "Content-Transfer-Encoding: base64",
            'Content-Disposition: attachment; filename="smime.p7s"',
        ],
        b64_body(bytes.fromhex("3082") + bytes(range(256)) * 6),
    )
    head = [f"From: {address(mail.from_name, mail.from_addr)}", _to(mail), _subject(mail)]
    head += [f"Date: {mail_date(mail.when)}", f"Message-ID: {mail.message_id}", "MIME-Version: 1.0"]
    head += [*_thread(mail), *mail.extra, "X-Mailer: Microsoft Outlook 16.0"]
    head.append(
        f'Content-Type: multipart/signed;{CRLF}\tprotocol="application/pkcs7-signature";'
        f'{CRLF}\tmicalg=SHA-256;{CRLF}\tboundary="{signed}"'
    )
    return Part(head, [body, signature], signed).render()


def nameless_attachment(mail: Mail) -> str:
    """A mail client that sends an Office file with neither name nor disposition."""
    bound = "=_nameless_" + token(mail.message_id)
    parts = [
        Part(
            [
                'Content-Type: text/plain; charset="UTF-8"',
                "Content-Transfer-Encoding: quoted-printable",
            ],
            qp_body(mail.text + "\n"),
        )
    ]
    parts += [
        Part([f"Content-Type: {f.ctype}", "Content-Transfer-Encoding: base64"], b64_body(f.data))
        for f in mail.files
    ]
    head = [f"From: {address(mail.from_name, mail.from_addr)}", _to(mail), _subject(mail)]
    head += [
        f"Date: {mail_date(mail.when)}",
        f"Message-ID: {mail.message_id}",
        *_thread(mail),
        "MIME-Version: 1.0",
    ]
    head.append(f'Content-Type: multipart/mixed; boundary="{bound}"')
    return Part(head, parts, bound).render()
