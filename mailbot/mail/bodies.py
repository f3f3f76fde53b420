"""Reading the text of a mail: HTML to plain text, shared-file links, inline-forward blocks.

Owns which cloud links count (Google Drive/Docs, OneDrive, SharePoint, Dropbox, Fshare),
unwrapping of redirect links (Outlook Safe Links, Google), and how a forwarded block's
original sender is found in body text, and the repair of header words (RFC 2047 where it is
not allowed, raw 8-bit bytes). Pure functions on strings; no email objects.
"""

from __future__ import annotations

import html
import re
from email.header import decode_header, make_header
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

__all__ = [
    "LINK_HOSTS",
    "decode_words",
    "find_links",
    "forwarded_sender",
    "html_to_text",
    "is_forward_subject",
    "repair_8bit",
]

# Host suffixes of file-sharing services clerks use instead of attaching.
LINK_HOSTS = (
    "drive.google.com",
    "docs.google.com",
    "onedrive.live.com",
    "1drv.ms",
    "sharepoint.com",
    "dropbox.com",
    "db.tt",
    "fshare.vn",
)
_URL = re.compile(r"https?://[^\s<>\"'`\[\]{}|\\^]+", re.IGNORECASE)
_HREF = re.compile(r"""href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_TRAILING = ".,;:!?)»”’"

_BLOCK_TAGS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "table", "blockquote"}
_SKIP_TAGS = {"script", "style", "head", "title"}


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag in _BLOCK_TAGS:
            self.out.append("\n")
        elif tag == "td":
            self.out.append("\t")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK_TAGS:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.out.append(data)


def html_to_text(markup: str) -> str:
    """Readable plain text of an HTML body: tags dropped, blocks on their own lines."""
    parser = _TextParser()
    try:
        parser.feed(markup)
        parser.close()
    except Exception:  # HTMLParser is lenient, but a mail body must never stop the reader
        return re.sub(r"<[^>]*>", " ", markup)
    text = "".join(parser.out).replace("\xa0", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def find_links(text: str = "", markup: str = "") -> list[str]:
    """Shared-file URLs in plain text and HTML hrefs, unwrapped, de-duplicated, in order."""
    candidates: list[str] = []
    for m in _HREF.finditer(markup or ""):
        candidates.append(html.unescape(next(g for g in m.groups() if g is not None)))
    candidates += _URL.findall(html.unescape(markup or ""))
    candidates += _URL.findall(text or "")
    seen: set[str] = set()
    links: list[str] = []
    for url in candidates:
        url = _unwrap(url.strip().rstrip(_TRAILING))
        if url not in seen and _is_share_link(url):
            seen.add(url)
            links.append(url)
    return links


def _unwrap(url: str) -> str:
    """The target of an Outlook Safe Links or Google redirect URL; others unchanged."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    host = (parts.hostname or "").lower()
    query = parse_qs(parts.query)
    if host.endswith("safelinks.protection.outlook.com") and query.get("url"):
        return query["url"][0]
    if host in ("www.google.com", "google.com") and parts.path == "/url":
        target = query.get("q") or query.get("url")
        if target and target[0].startswith("http"):
            return target[0]
    return url


def _is_share_link(url: str) -> bool:
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return False
    return any(host == h or host.endswith("." + h) for h in LINK_HOSTS)


# Lines that open a forwarded block in the clients clerks use (English and Vietnamese UI).
_FORWARD_MARKERS = re.compile(
    r"^\s*(?:>\s*)*(?:"
    r"-{2,}\s*(?:Forwarded message|Forwarded Message|Thư đã chuyển tiếp|Thư chuyển tiếp"
    r"|Tin nhắn đã chuyển tiếp|Tin nhắn chuyển tiếp)\s*-{2,}"
    r"|Begin forwarded message:|Bắt đầu thư được chuyển tiếp:"
    r")\s*$",
    re.IGNORECASE | re.MULTILINE,
)
# Outlook uses the same separators for replies; they count only on a forward subject.
_ORIGINAL_MARKERS = re.compile(
    r"^\s*(?:>\s*)*(?:-{2,}\s*(?:Original Message|Thư gốc)\s*-{2,}|_{10,})\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_FROM_LINE = re.compile(r"^\s*(?:>\s*)*\**(?:From|Từ|Người gửi)\s*:\**\s*(.+)$", re.IGNORECASE)
_ADDRESS = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_FORWARD_SUBJECT = re.compile(r"^\s*(?:\[[^\]]*\]\s*)?(?:fwd?|ct|chuyển tiếp)\s*:", re.I)
_LOOKAHEAD_LINES = 8


def is_forward_subject(subject: str) -> bool:
    """True for a subject that starts with a forward prefix (Fwd:, FW:, CT:, Chuyển tiếp:)."""
    # "TL:" (trả lời) is Vietnamese Outlook's reply prefix, "CT:" (chuyển tiếp) its forward.
    return bool(_FORWARD_SUBJECT.match(subject or ""))


def forwarded_sender(text: str, subject: str = "") -> str | None:
    """The original sender's address in an inline-forwarded block of plain text, or None."""
    markers = [m.end() for m in _FORWARD_MARKERS.finditer(text or "")]
    if is_forward_subject(subject):
        markers += [m.end() for m in _ORIGINAL_MARKERS.finditer(text or "")]
    for start in sorted(markers):
        lines = text[start:].lstrip("\r\n").splitlines()[:_LOOKAHEAD_LINES]
        for line in lines:
            m = _FROM_LINE.match(line)
            if m:
                found = _ADDRESS.search(m.group(1))
                if found:
                    return found.group().lower()
    return None


def decode_words(value: str) -> str:
    """Decode RFC 2047 encoded words left in a value (clients put them in quoted params)."""
    if "=?" not in value:
        return value
    try:
        return str(make_header(decode_header(value)))
    except Exception:
        return value


def repair_8bit(value: str) -> str:
    """Raw 8-bit header bytes arrive as surrogate escapes: decode them as UTF-8 or CP1258."""
    if not any("\udc80" <= ch <= "\udcff" for ch in value):
        return value
    raw = value.encode("utf-8", errors="surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1258", errors="replace")
