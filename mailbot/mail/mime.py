"""Understanding one raw mail: headers, body text, attached files, forwarded origin, links.

Owns the walk over MIME parts (nested multiparts, forwarded message/rfc822, winmail.dat,
.zip) and which parts are files versus body text or decoration (signature logos, inline
images), with their payloads decoded and their names made safe. Header, address and
file-name decoding live in `mail.headers`.
Pure: bytes in, `IncomingMail` out; never raises on malformed input. It must not decide
trust or auto-replies (see `senders`) nor which unit sent the mail (see `roster`).
"""

from __future__ import annotations

import binascii
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.feedparser import BytesFeedParser
from email.message import Message
from email.parser import BytesParser

from mailbot.errors import TnefError
from mailbot.mail import containers, outlook_msg, rar_7z, tnef
from mailbot.mail.bodies import find_links, forwarded_sender, html_to_text
from mailbot.mail.containers import ArchiveLimits
from mailbot.mail.headers import (
    addresses,
    first_address,
    header_date,
    header_text,
    msg_id,
    nfc,
    part_content_type,
    part_disposition,
    part_filename,
    raw_header,
)

__all__ = [
    "ArchiveLimits",
    "Attachment",
    "IncomingMail",
    "Skipped",
    "read_message",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    """One file the sender sent.

    `origin` says where it was found: "attachment" (a part of the mail), "forwarded" (inside
    a forwarded message/rfc822), "tnef" (inside winmail.dat), "msg" (inside an Outlook .msg)
    or "zip:<archive name>" (also "rar:", "7z:").
    """

    filename: str
    content_type: str
    data: bytes
    origin: str = "attachment"


@dataclass(frozen=True)
class Skipped:
    """A file not taken; `reason` is Vietnamese, for the clerk's receipt."""

    filename: str
    reason: str


@dataclass
class IncomingMail:
    """What mailbot needs from one mail; addresses are lower-case, text is NFC."""

    message_id: str | None
    subject: str
    from_addr: str
    from_name: str
    reply_to: str | None
    to: list[str]
    cc: list[str]
    date: datetime | None
    in_reply_to: str | None
    references: list[str]
    body_text: str
    attachments: list[Attachment] = field(default_factory=list)
    forwarded_from: str | None = None
    links: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)


DEFAULT_LIMITS = ArchiveLimits()
_PARSER = BytesParser(policy=policy.default)
_CHUNK = 8192
_BIG_PART = 256 * 1024  # base64 parts from this size are decoded without stdlib copies
_MAX_DEPTH = 12
# Images this small with a Content-ID are signature logos even when marked as attachments.
_LOGO_BYTES = 16 * 1024

TNEF_TYPES = {"application/ms-tnef", "application/vnd.ms-tnef"}
# Content type → extension, for naming unnamed parts and typing octet-stream parts.
EXTENSIONS = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.ms-excel.sheet.macroenabled.12": ".xlsm",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/msword": ".doc",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/pdf": ".pdf",
    "application/zip": ".zip",
    "application/x-zip-compressed": ".zip",
    "text/csv": ".csv",
    "text/plain": ".txt",
    "text/html": ".html",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "message/rfc822": ".eml",
}
CONTENT_TYPES = {ext: ctype for ctype, ext in reversed(EXTENSIONS.items())}
CONTENT_TYPES[".xls"] = "application/vnd.ms-excel"
CONTENT_TYPES[".jpeg"] = "image/jpeg"
_GENERIC_TYPES = {"application/octet-stream", "application/x-msdownload", "application/binary"}
_UNNAMED = "tep-dinh-kem-{n}{ext}"


def read_message(raw: bytes, *, limits: ArchiveLimits = DEFAULT_LIMITS) -> IncomingMail:
    """Read one raw RFC 5322 message into an IncomingMail; malformed input gives best effort."""
    try:
        msg = _parse(raw)
    except Exception as exc:  # the stdlib parser is lenient; this is the last resort
        log.warning("unparseable message: %r", exc)
        msg = _PARSER.parsebytes(b"\r\n")
        msg.defects.append(exc)  # type: ignore[arg-type]  # any exception: defects are only repr()'d
    walker = _Walker(limits)
    try:
        walker.walk(msg, "attachment", in_related=False, depth=0)
    except Exception as exc:  # a parser corner we did not foresee: keep what was read
        log.warning("MIME walk stopped early: %r", exc)
        walker.defects.append(f"walk stopped: {exc!r}")
    subject = header_text(msg, "subject")
    body_text = "\n\n".join(t for t in walker.plain if t.strip())
    if not body_text:
        body_text = "\n\n".join(html_to_text(h) for h in walker.html)
    from_name, from_addr = first_address(msg, "from")
    reply_to = first_address(msg, "reply-to")[1] or None
    forwarded = walker.forwarded_from or forwarded_sender(
        "\n".join(walker.plain) or body_text, subject
    )
    links = find_links(
        "\n".join(walker.plain + walker.quoted_plain), "\n".join(walker.html + walker.quoted_html)
    )
    return IncomingMail(
        message_id=msg_id(msg, "message-id"),
        subject=subject,
        from_addr=from_addr,
        from_name=from_name,
        reply_to=reply_to,
        to=[a for _, a in addresses(msg, "to") if a],
        cc=[a for _, a in addresses(msg, "cc") if a],
        date=header_date(msg),
        in_reply_to=msg_id(msg, "in-reply-to"),
        references=re.findall(r"<[^<>\s]+>", raw_header(msg, "references")),
        body_text=nfc(body_text),
        attachments=walker.attachments,
        forwarded_from=forwarded,
        links=links,
        skipped=walker.skipped,
        defects=walker.defects + [repr(d) for d in msg.defects],
    )


def _parse(raw: bytes) -> Message:
    """`BytesParser.parsebytes`, fed in chunks: the same parse, a fraction of the memory.

    parsebytes decodes the whole message into one str and reads it back through a StringIO
    (4 bytes a character): a 25 MB mail peaked at 191 MB. Chunks of 8 KiB, the size
    parsebytes itself feeds, keep only the parsed tree (about the mail's size).
    """
    parser = BytesFeedParser(policy=policy.default)
    view = memoryview(raw)
    for start in range(0, len(view), _CHUNK):
        parser.feed(view[start : start + _CHUNK].tobytes())
    return parser.close()


class _Walker:
    """Collects body text, files and refusals while visiting the MIME tree once."""

    def __init__(self, limits: ArchiveLimits) -> None:
        self.limits = limits
        self.attachments: list[Attachment] = []
        self.skipped: list[Skipped] = []
        self.plain: list[str] = []
        self.html: list[str] = []
        self.quoted_plain: list[str] = []
        self.quoted_html: list[str] = []
        self.forwarded_from: str | None = None
        self.defects: list[str] = []
        self.unnamed = 0

    def walk(self, part: Message, origin: str, *, in_related: bool, depth: int) -> None:
        if depth > _MAX_DEPTH:
            self.defects.append("MIME nesting too deep")
            return
        ctype = part_content_type(part)
        if ctype == "message/rfc822":  # before is_multipart(): its payload is a list too
            self._forwarded(part, depth)
        elif part.is_multipart():
            for sub in _subparts(part):
                self.walk(sub, origin, in_related=ctype == "multipart/related", depth=depth + 1)
        else:
            try:
                self._leaf(part, ctype, origin, in_related)
            except Exception as exc:  # one broken part must not lose the others
                self.defects.append(f"part {ctype} unreadable: {exc!r}")

    def _forwarded(self, part: Message, depth: int) -> None:
        inner = part.get_payload()
        if isinstance(inner, list):
            inner = inner[0] if inner else None
        if not isinstance(inner, Message):
            return
        if self.forwarded_from is None:
            self.forwarded_from = first_address(inner, "from")[1] or None
        outer_plain, outer_html = self.plain, self.html
        self.plain, self.html = self.quoted_plain, self.quoted_html  # forwarded: links only
        try:
            self.walk(inner, "forwarded", in_related=False, depth=depth + 1)
        finally:
            self.plain, self.html = outer_plain, outer_html

    def _leaf(self, part: Message, ctype: str, origin: str, in_related: bool) -> None:
        filename = part_filename(part)
        disposition = part_disposition(part)
        if ctype in ("text/plain", "text/html") and not filename and disposition != "attachment":
            (self.plain if ctype == "text/plain" else self.html).append(_text(part))
            return
        if ctype in ("text/rfc822-headers", "message/delivery-status"):
            return
        data = _payload(part)
        if ctype.startswith("image/") and _is_decoration(part, disposition, in_related, data):
            return
        if not filename:
            self.unnamed += 1
            filename = _UNNAMED.format(n=self.unnamed, ext=EXTENSIONS.get(ctype, ".bin"))
        self.add_file(filename, data, ctype, origin, archive=None)

    def add_file(
        self, name: str, data: bytes, ctype: str, origin: str, archive: str | None
    ) -> None:
        """Add one file, opening winmail.dat, Outlook .msg, .zip, .rar and .7z; refusing others.

        `archive` is the name of the archive the file came out of: an archive in one is refused.
        """
        name, ctype = _normalise_name(name, ctype)
        if ctype in TNEF_TYPES or name.lower() in ("winmail.dat", "win.dat"):
            self._tnef(name, data, archive)
        elif containers.is_zip_name(name, ctype):
            if archive is not None:
                self.skipped.append(Skipped(name, containers.refuse_nested(name, archive)))
                return
            result = containers.open_zip(data, name, self.limits)
            self.skipped += [Skipped(n, r) for n, r in result.skipped]
            for member, member_data in result.files:
                self.add_file(member, member_data, "", f"zip:{name}", archive=name)
        elif outlook_msg.is_msg(name, ctype, data):
            self._msg(name, data, archive)
        elif kind := rar_7z.archive_kind(name, ctype, data):
            if archive is not None:
                self.skipped.append(Skipped(name, containers.refuse_nested(name, archive)))
                return
            result = rar_7z.open_archive(kind, data, name, self.limits)
            self.skipped += [Skipped(n, r) for n, r in result.skipped]
            for member, member_data in result.files:
                self.add_file(member, member_data, "", f"{kind}:{name}", archive=name)
        elif containers.is_other_archive(name, ctype):
            self.skipped.append(Skipped(name, containers.refuse_other_archive(name, ctype)))
        else:
            self.attachments.append(Attachment(name, ctype, data, origin))

    def _tnef(self, name: str, data: bytes, archive: str | None) -> None:
        try:
            files = tnef.read_tnef(data)
        except TnefError as exc:
            self.defects.append(f"{name}: {exc}")
            self.skipped.append(Skipped(name, _TNEF_UNREADABLE.format(name=name)))
            return
        for item in files:
            self.add_file(item.filename, item.data, item.content_type, "tnef", archive)

    def _msg(self, name: str, data: bytes, archive: str | None) -> None:
        try:
            contents = outlook_msg.read_msg(data, name)
        except outlook_msg.MsgError as exc:
            self.defects.append(f"{name}: {exc}")
            self.skipped.append(Skipped(name, _MSG_UNREADABLE.format(name=name)))
            return
        self.skipped += [Skipped(n, r) for n, r in contents.skipped]
        for item in contents.files:
            self.add_file(item.filename, item.data, item.content_type, "msg", archive)


_MSG_UNREADABLE = (
    "Không đọc được thư Outlook “{name}” đính kèm. Xin đính kèm trực tiếp tệp .xlsx hoặc "
    ".docx vào thư (không kéo cả thư cũ vào)."
)
_TNEF_UNREADABLE = (
    "Không đọc được tệp “{name}” (định dạng riêng của Outlook). Xin gửi lại thư ở dạng "
    "HTML hoặc văn bản thường, đính kèm trực tiếp tệp .xlsx hoặc .docx."
)


def _normalise_name(name: str, ctype: str) -> tuple[str, str]:
    """A safe NFC base name, with an extension when missing and a type when generic."""
    name = unicodedata.normalize("NFC", name)
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).replace("\\", "/").rsplit("/", 1)[-1].strip()
    dot = name.rfind(".")
    ext = name[dot:].lower() if dot > 0 else ""
    if not ext and ctype in EXTENSIONS and ctype not in ("text/plain", "message/rfc822"):
        name += EXTENSIONS[ctype]
        ext = EXTENSIONS[ctype]
    if (not ctype or ctype in _GENERIC_TYPES) and ext in CONTENT_TYPES:
        ctype = CONTENT_TYPES[ext]
    return name or "tep-dinh-kem", ctype or "application/octet-stream"


def _is_decoration(part: Message, disposition: str | None, in_related: bool, data: bytes) -> bool:
    """Signature logos and pictures pasted into the text, not files the sender attached."""
    has_cid = bool(raw_header(part, "content-id"))
    if disposition == "attachment":
        return has_cid and len(data) < _LOGO_BYTES
    return in_related or has_cid or not part_filename(part)


def _subparts(part: Message) -> list[Message]:
    payload = part.get_payload()
    return [p for p in payload if isinstance(p, Message)] if isinstance(payload, list) else []


def _payload(part: Message) -> bytes:
    big = _big_base64(part)
    if big is not None:
        return big
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    if isinstance(data, bytes):
        return data
    payload = part.get_payload()
    return payload.encode("utf-8", errors="surrogateescape") if isinstance(payload, str) else b""


def _big_base64(part: Message) -> bytes | None:
    """A big base64 part decoded straight from its text, or None to use the stdlib path.

    get_payload(decode=True) copies the text to bytes, splits it into lines and joins them
    before decoding: about 3.5 times the part in memory. a2b_base64 skips the line breaks
    itself; on anything unusual (bad padding, 8-bit junk) the stdlib path decides as before.
    """
    payload = part.get_payload()
    if not isinstance(payload, str) or len(payload) < _BIG_PART:
        return None
    if str(part.get("content-transfer-encoding", "")).strip().lower() != "base64":
        return None
    try:
        return binascii.a2b_base64(payload)
    except (binascii.Error, ValueError):
        return None


def _text(part: Message) -> str:
    """A text part's content as str, trying its charset, then UTF-8, then CP1258."""
    data = _payload(part)
    charset = part.get_content_charset() or "utf-8"
    for codec in (charset, "utf-8", "cp1258"):
        try:
            return data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace")
