"""Builders of realistic raw mails, shaped the way real clients build them.

Each builder is a pure function returning the bytes an IMAP server would hand us (CRLF line
ends, trace headers on top). Used by the MIME, sender and pipeline tests and by the demo's
sample Maildir. Shapes:

- `report_email(..., client=...)`: "gmail" (RFC 2047 inside quoted filename, Drive links),
  "outlook" (signature logo in multipart/related), "outlook-tnef" (files inside
  winmail.dat), "thunderbird" (RFC 2231, split continuations for long names), "apple"
  (attachments inline, inside multipart/alternative), "phone" (Zalo/Android: name only in
  Content-Type as an unquoted RFC 2047 word, no Content-Disposition).
- forwarded as message/rfc822 or inline (`forwarded_from=..., forward="rfc822"|"inline"`).
- `auto_reply`, `bounce`, `list_mail`, `spoofed_email`.
- file builders: `zip_bytes` (UTF-8 flag, bare UTF-8, CP437, CP1258 names), `tnef_bytes`.

Only example.com/.org/.net and .test addresses appear here.
"""

from __future__ import annotations

import base64
import hashlib
import struct
import unicodedata
import zlib
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from urllib.parse import quote

from tests.support.mailfiles import CONTENT_TYPES, tnef_bytes, zip_bytes

__all__ = [
    "CONTENT_TYPES",
    "DEFAULT_DATE",
    "XLSX",
    "attachment_part",
    "auth_results",
    "auto_reply",
    "bounce",
    "encode_filename",
    "list_mail",
    "png_bytes",
    "report_email",
    "spoofed_email",
    "tnef_bytes",
    "zip_bytes",
]

CRLF = "\r\n"
ICT = timezone(timedelta(hours=7))
DEFAULT_DATE = datetime(2021, 10, 14, 9, 30, tzinfo=ICT)
XLSX = CONTENT_TYPES[".xlsx"]
OFFICE_ADDR = "phonggd@example.org"


def png_bytes(width: int = 1, height: int = 1) -> bytes:
    """A valid grey PNG of the given size: stands for logos and pasted pictures."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


TINY_PNG = png_bytes()

Attachments = Sequence[tuple[str | None, bytes] | tuple[str | None, bytes, str]]


# --- Encodings ----------------------------------------------------------------------------


def _b64_lines(data: bytes) -> str:
    text = base64.b64encode(data).decode("ascii")
    return CRLF.join(text[i : i + 76] for i in range(0, len(text), 76))


def _encoded_words(text: str, chunk: int = 20) -> str:
    """RFC 2047 B-words, split on character boundaries the way Gmail and Outlook split."""
    words = []
    for i in range(0, len(text), chunk):
        piece = base64.b64encode(text[i : i + chunk].encode("utf-8")).decode("ascii")
        words.append(f"=?UTF-8?B?{piece}?=")
    return " ".join(words)


def encode_filename(param: str, name: str, style: str) -> str:
    """One `param=...` header parameter for `name` in the given client style.

    Styles: "ascii" (plain quoted), "2047" (encoded words inside quotes, Gmail/Outlook),
    "2047-unquoted" (phones), "2231" (filename*=UTF-8''...), "2231-split" (continuations
    filename*0*=, filename*1*=, as Thunderbird writes long names), "raw" (8-bit UTF-8).
    """
    escaped = name.replace("\\", "\\\\").replace('"', '\\"')
    if style == "ascii" or (name.isascii() and style not in ("2231", "2231-split")):
        return f'{param}="{escaped}"'
    if style == "2047":
        return f'{param}="{_encoded_words(name)}"'
    if style == "2047-unquoted":
        return f"{param}={_encoded_words(name, chunk=len(name) or 1)}"
    if style == "raw":
        return f'{param}="{escaped}"'
    pct = quote(name.encode("utf-8"), safe="")
    if style == "2231":
        return f"{param}*=UTF-8''{pct}"
    if style == "2231-split":
        pieces = _split_pct(pct, 30)
        first = f"{param}*0*=UTF-8''{pieces[0]}"
        rest = [f"{param}*{i}*={p}" for i, p in enumerate(pieces[1:], start=1)]
        return (";" + CRLF + " ").join([first, *rest])
    raise ValueError(f"unknown filename style {style!r}")


def _split_pct(pct: str, size: int) -> list[str]:
    """Split percent-encoded text into pieces of about `size`, never inside a %XX escape."""
    pieces, current = [], ""
    i = 0
    while i < len(pct):
        token = pct[i : i + 3] if pct[i] == "%" else pct[i]
        current += token
        i += len(token)
        if len(current) >= size:
            pieces.append(current)
            current = ""
    return [*pieces, current] if current or not pieces else pieces


# --- Parts --------------------------------------------------------------------------------


def _entity(headers: list[str], body: str) -> str:
    return CRLF.join(headers) + CRLF + CRLF + body


def _boundary(tag: str, *parts: str) -> str:
    digest = hashlib.sha1("".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return f"----=_Part_{tag}_{digest[:20]}"


def multipart(subtype: str, parts: Sequence[str], extra: str = "") -> str:
    """A multipart entity of the given subtype around already-built parts."""
    boundary = _boundary(subtype, *parts)
    body = "".join(f"--{boundary}{CRLF}{p}{CRLF}" for p in parts) + f"--{boundary}--{CRLF}"
    return _entity([f'Content-Type: multipart/{subtype}; boundary="{boundary}"{extra}'], body)


def text_part(text: str, subtype: str = "plain") -> str:
    """A UTF-8 text part in base64 (what Gmail and phones send for non-ASCII text)."""
    return _entity(
        [
            f'Content-Type: text/{subtype}; charset="UTF-8"',
            "Content-Transfer-Encoding: base64",
        ],
        _b64_lines(text.encode("utf-8")),
    )


def attachment_part(
    name: str | None,
    data: bytes,
    content_type: str | None = None,
    *,
    style: str = "2047",
    disposition: str | None = "attachment",
    name_in_type: bool = True,
    content_id: str | None = None,
) -> str:
    """One attached file; `name=None` sends no file name at all (only the content type)."""
    ctype = content_type or _type_for(name)
    type_line = f"Content-Type: {ctype}"
    if name is not None and name_in_type:
        type_line += "; " + encode_filename("name", name, "2047" if style == "2231" else style)
    headers = [type_line]
    if disposition:
        line = f"Content-Disposition: {disposition}"
        if name is not None:
            line += "; " + encode_filename("filename", name, style)
        headers.append(line)
    headers.append("Content-Transfer-Encoding: base64")
    if content_id:
        headers += [f"Content-ID: <{content_id}>", f"X-Attachment-Id: {content_id}"]
    return _entity(headers, _b64_lines(data))


def _type_for(name: str | None) -> str:
    if not name or "." not in name:
        return "application/octet-stream"
    return CONTENT_TYPES.get(name[name.rfind(".") :].lower(), "application/octet-stream")


def _html(text: str, links: Sequence[str] = ()) -> str:
    paras = "".join(f"<div>{line}</div>" for line in text.splitlines())
    anchors = "".join(f'<div><a href="{url}">{url}</a></div>' for url in links)
    return f'<div dir="ltr">{paras}{anchors}</div>'


def _normalise(attachments: Attachments) -> list[tuple[str | None, bytes, str | None]]:
    out = []
    for item in attachments:
        name, data, *rest = item
        out.append((name, data, rest[0] if rest else None))
    return out


# --- Whole messages -----------------------------------------------------------------------


def auth_results(
    dkim: str | None = "pass",
    spf: str | None = "pass",
    dmarc: str | None = "pass",
    *,
    domain: str = "example.com",
    authserv_id: str = "mx.google.com",
) -> str:
    """An Authentication-Results value as Gmail writes it (comments included)."""
    parts = [authserv_id]
    if dkim:
        parts.append(f"dkim={dkim} header.i=@{domain} header.s=20210112 header.b=AbCdEf12")
    if spf:
        parts.append(
            f"spf={spf} (google.com: domain of clerk@{domain} designates 192.0.2.10 as "
            f"permitted sender) smtp.mailfrom=clerk@{domain}"
        )
    if dmarc:
        policy = "p=REJECT sp=REJECT dis=NONE" if dmarc == "fail" else "p=NONE sp=NONE dis=NONE"
        parts.append(f"dmarc={dmarc} ({policy}) header.from={domain}")
    return ";\r\n       ".join(parts)


_AUTH_PRESETS = {
    "pass": ("pass", "pass", "pass"),
    "fail": ("fail", "fail", "fail"),
    "softfail": ("none", "softfail", "none"),
    "none": ("none", "none", "none"),
}


def _trace(to_addr: str, from_addr: str, auth: str | None, authserv_id: str) -> list[str]:
    domain = from_addr.rsplit("@", 1)[-1]
    lines = [
        f"Delivered-To: {to_addr}",
        "Received: by 2002:a05:6000:1::1 with SMTP id x1csp1;\r\n        "
        "Thu, 14 Oct 2021 02:31:00 -0700 (PDT)",
        f"Return-Path: <{from_addr}>",
        f"Received: from mail.{domain} (mail.{domain}. [192.0.2.10])\r\n        "
        f"by mx.google.com with ESMTPS id a1si1;\r\n        "
        "Thu, 14 Oct 2021 02:31:00 -0700 (PDT)",
    ]
    if auth is not None:
        dkim, spf, dmarc = _AUTH_PRESETS[auth]
        value = auth_results(dkim, spf, dmarc, domain=domain, authserv_id=authserv_id)
        lines.append(f"Authentication-Results: {value}")
    return lines


def _address(addr: str, name: str | None) -> str:
    if not name:
        return addr
    if name.isascii():
        return f'"{name}" <{addr}>'
    return f"{_encoded_words(name, chunk=len(name))} <{addr}>"


def _message_id(*seed: str) -> str:
    return f"<{hashlib.sha1('|'.join(seed).encode()).hexdigest()[:24]}@mail.example.com>"


def _headers(
    from_addr: str,
    to_addr: str,
    subject: str,
    *,
    from_name: str | None,
    message_id: str | None,
    date: datetime | None,
    extra: Sequence[str] = (),
) -> list[str]:
    subject_value = subject if subject.isascii() else _encoded_words(subject)
    return [
        f"From: {_address(from_addr, from_name)}",
        f"To: {to_addr}",
        f"Subject: {subject_value}",
        f"Date: {format_datetime(date or DEFAULT_DATE)}",
        f"Message-ID: {message_id or _message_id(from_addr, to_addr, subject)}",
        "MIME-Version: 1.0",
        *extra,
    ]


def _client_body(
    client: str,
    body: str,
    files: list[tuple[str | None, bytes, str | None]],
    links: Sequence[str],
    style: str | None,
    extra_parts: Sequence[str] = (),
    pasted_image: bool = False,
) -> str:
    """The MIME tree a client builds for `body` with `files` attached."""
    text = body + "".join(f"\n{url}" for url in links)
    if client == "gmail":
        parts = [
            attachment_part(n, d, t, style=style or "2047", content_id=f"f_k{i}")
            for i, (n, d, t) in enumerate(files)
        ]
        alt = multipart("alternative", [text_part(text), text_part(_html(body, links), "html")])
        if pasted_image:  # a picture pasted into the text: related, inline, with a Content-ID
            picture = attachment_part(
                "image.png", png_bytes(40, 30), "image/png", disposition="inline", content_id="ii_1"
            )
            alt = multipart("related", [alt, picture])
        return multipart("mixed", [alt, *extra_parts, *parts]) if parts or extra_parts else alt
    if client == "outlook":
        logo = attachment_part(
            "image001.png", TINY_PNG, "image/png", disposition="inline", content_id="image001"
        )
        html = _html(body, links) + '<img src="cid:image001">'
        related = multipart("related", [text_part(html, "html"), logo])
        alt = multipart("alternative", [text_part(text), related])
        parts = [attachment_part(n, d, t, style=style or "2047") for n, d, t in files]
        return multipart("mixed", [alt, *extra_parts, *parts])
    if client == "outlook-tnef":
        named = [(n or "tep.bin", d) for n, d, _ in files]
        winmail = attachment_part("winmail.dat", tnef_bytes(named), "application/ms-tnef")
        return multipart("mixed", [text_part(text), *extra_parts, winmail])
    if client == "thunderbird":
        parts = [attachment_part(n, d, t, style=style or "2231-split") for n, d, t in files]
        return multipart("mixed", [text_part(text), *extra_parts, *parts])
    if client == "apple":
        # Apple Mail puts files inline, between HTML pieces, inside the alternative's HTML side.
        inline = [
            attachment_part(n, d, t, style=style or "2231", disposition="inline")
            for n, d, t in files
        ]
        html_side = multipart(
            "mixed", [text_part(_html(body, links), "html"), *inline, text_part("<br>", "html")]
        )
        alt = multipart("alternative", [text_part(text), html_side])
        return multipart("mixed", [alt, *extra_parts]) if extra_parts else alt
    if client == "phone":
        parts = [
            attachment_part(n, d, t, style=style or "2047-unquoted", disposition=None)
            for n, d, t in files
        ]
        return multipart("mixed", [text_part(text), *extra_parts, *parts])
    raise ValueError(f"unknown client {client!r}")


def _forward_block(original_from: str, subject: str, date: datetime | None) -> str:
    stamp = format_datetime(date or DEFAULT_DATE)
    return (
        "---------- Forwarded message ---------\n"
        f"From: Văn thư <{original_from}>\n"
        f"Date: {stamp}\n"
        f"Subject: {subject}\n"
        f"To: <{OFFICE_ADDR}>\n\n"
    )


def report_email(
    from_addr: str,
    to_addr: str = OFFICE_ADDR,
    subject: str = "Báo cáo tuần lễ học tập suốt đời 2021",
    attachments: Attachments = (),
    *,
    client: str = "gmail",
    body: str = "Kính gửi Phòng GD&ĐT,\nĐơn vị gửi báo cáo theo phụ lục 2.\nTrân trọng.",
    from_name: str | None = None,
    message_id: str | None = None,
    date: datetime | None = None,
    auth: str | None = "pass",
    authserv_id: str = "mx.google.com",
    forwarded_from: str | None = None,
    forward: str = "rfc822",
    links: Sequence[str] = (),
    filename_style: str | None = None,
    extra_headers: Sequence[str] = (),
    pasted_image: bool = False,
) -> bytes:
    """A report mail as `client` builds it, with `attachments` as (name, bytes[, type]).

    `forwarded_from` makes it a forward of the original sender's mail: as an attached
    message/rfc822 holding the files (forward="rfc822") or Gmail's inline block with the
    files re-attached (forward="inline"). `auth` picks our server's verdict: "pass", "fail",
    "softfail", "none" or None (no Authentication-Results at all).
    """
    files = _normalise(attachments)
    extra_parts: list[str] = []
    if forwarded_from and forward == "rfc822":
        original = report_email(
            forwarded_from,
            from_addr,
            subject,
            attachments,
            client="gmail",
            auth=None,
            links=links,
            filename_style=filename_style,
            date=date,
        )
        rfc822 = _entity(
            ["Content-Type: message/rfc822", "Content-Disposition: attachment"],
            _strip_trace(original.decode("utf-8")),
        )
        extra_parts.append(rfc822)
        files, links = [], ()
        subject = f"Fwd: {subject}"
    elif forwarded_from:
        body = body + "\n\n" + _forward_block(forwarded_from, subject, date)
        subject = f"Fwd: {subject}"
    tree = _client_body(client, body, files, links, filename_style, extra_parts, pasted_image)
    headers = _trace(to_addr, from_addr, auth, authserv_id) + _headers(
        from_addr,
        to_addr,
        subject,
        from_name=from_name,
        message_id=message_id,
        date=date,
        extra=extra_headers,
    )
    return (CRLF.join(headers) + CRLF + tree).encode("utf-8")


def _strip_trace(raw: str) -> str:
    """The message without the trace headers a server adds on delivery."""
    lines = raw.split(CRLF)
    start = next(i for i, line in enumerate(lines) if line.startswith("From:"))
    return CRLF.join(lines[start:])


def auto_reply(
    from_addr: str,
    to_addr: str = OFFICE_ADDR,
    subject: str = "Báo cáo tuần lễ học tập suốt đời 2021",
    *,
    style: str = "rfc3834",
) -> bytes:
    """An automatic answer: "rfc3834" (Gmail vacation), "outlook-oof" (Exchange),
    "x-autoreply" (old autoresponders), "precedence" (Precedence: auto_reply/bulk)."""
    extra = {
        "rfc3834": ["Auto-Submitted: auto-replied"],
        "outlook-oof": ["X-Auto-Response-Suppress: All", "X-MS-Exchange-Inbox-Rules-Loop: x"],
        "x-autoreply": ["X-Autoreply: yes"],
        "precedence": ["Precedence: bulk"],
    }[style]
    return report_email(
        from_addr,
        to_addr,
        f"Trả lời tự động: {subject}",
        body="Tôi đang đi công tác, sẽ trả lời khi về.",
        extra_headers=extra,
    )


def bounce(original: bytes, to_addr: str = OFFICE_ADDR, *, style: str = "report") -> bytes:
    """A delivery failure notice: "report" (multipart/report from mailer-daemon, empty
    Return-Path) or "postmaster" (plain text from postmaster, no report structure)."""
    date = format_datetime(DEFAULT_DATE)
    if style == "postmaster":
        head = [
            f"Return-Path: <{to_addr}>",
            "From: postmaster@mail.example.net",
            f"To: {to_addr}",
            "Subject: Undeliverable: Biên nhận báo cáo",
            f"Date: {date}",
            f"Message-ID: {_message_id('postmaster', to_addr)}",
            "MIME-Version: 1.0",
        ]
        tree = text_part("Delivery has failed to these recipients.")
        return (CRLF.join(head) + CRLF + tree).encode("utf-8")
    status = _entity(
        ["Content-Type: message/delivery-status"],
        "Reporting-MTA: dns; mx.example.net\r\n\r\nFinal-Recipient: rfc822; nobody@example.net"
        "\r\nAction: failed\r\nStatus: 5.1.1\r\n",
    )
    headers = _entity(
        ["Content-Type: text/rfc822-headers"],
        original.decode("utf-8").split(CRLF + CRLF, 1)[0] + CRLF,
    )
    tree = multipart(
        "report",
        [text_part("Address not found."), status, headers],
        extra="; report-type=delivery-status",
    )
    head = [
        "Return-Path: <>",
        "From: Mail Delivery Subsystem <mailer-daemon@example.net>",
        f"To: {to_addr}",
        "Subject: Delivery Status Notification (Failure)",
        f"Date: {date}",
        f"Message-ID: {_message_id('bounce', to_addr)}",
        "MIME-Version: 1.0",
    ]
    return (CRLF.join(head) + CRLF + tree).encode("utf-8")


def list_mail(
    from_addr: str = "thongbao@lists.example.org",
    to_addr: str = OFFICE_ADDR,
    *,
    list_id: str | None = "<thong-bao.lists.example.org>",
    precedence: str | None = "list",
    unsubscribe: bool = True,
) -> bytes:
    """A mailing-list post (Google Groups / Mailman shape)."""
    extra = []
    if list_id:
        extra.append(f"List-Id: Thông báo <{list_id.strip('<>')}>")
    if unsubscribe:
        extra.append("List-Unsubscribe: <mailto:thong-bao+unsubscribe@lists.example.org>")
    if precedence:
        extra.append(f"Precedence: {precedence}")
    return report_email(from_addr, to_addr, "[Thông báo] Lịch họp tháng 10", extra_headers=extra)


def spoofed_email(
    claimed_from: str,
    to_addr: str = OFFICE_ADDR,
    attachments: Attachments = (),
    *,
    authserv_id: str = "mx.google.com",
) -> bytes:
    """A forged report: our server says fail on top; the forger added passing results
    below (with our server's name) and above-looking ones from another server name."""
    forged_ours = "Authentication-Results: " + auth_results(
        domain=claimed_from.rsplit("@", 1)[-1], authserv_id=authserv_id
    )
    forged_other = "Authentication-Results: " + auth_results(
        domain=claimed_from.rsplit("@", 1)[-1], authserv_id="mx.example.net"
    )
    raw = report_email(
        claimed_from,
        to_addr,
        attachments=attachments,
        auth="fail",
        authserv_id=authserv_id,
        extra_headers=[forged_ours],
    ).decode("utf-8")
    # A header above every trace line: what a forger hopes a naive reader takes first.
    return (forged_other + CRLF + raw).encode("utf-8")


def nfc(text: str) -> str:
    """The NFC form, as expected values in tests are written."""
    return unicodedata.normalize("NFC", text)
