"""Judging the sender of a mail: is it a machine (never answer), can we trust who it claims.

Owns the auto-reply / bounce / list rules (RFC 3834 and the headers real systems add) and
the reading of our own server's Authentication-Results (RFC 8601) into a verdict, and the
quarantine rule on that verdict. Pure functions on raw bytes or parsed messages; no I/O.
It must not decide which unit sent the mail (see `roster`) nor read attachments (`mime`).

Quarantine rule: DMARC "fail", or DKIM "fail" together with SPF "fail" or "softfail".
SPF softfail counts as failed in that pair because it is only consulted when a DKIM
signature is present and broken; "neutral", "none", "temperror" and "permerror" never
count, since they say the check could not decide, not that the sender is false.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from email import policy
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses

__all__ = [
    "Verdict",
    "authentication_verdict",
    "auto_reply_reason",
    "parse_authentication_results",
    "should_quarantine",
]

_HEADER_PARSER = BytesParser(policy=policy.default)
_BOUNCE_LOCALS = {"mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon"}
_BULK_PRECEDENCE = {"bulk", "list", "junk", "auto_reply"}
_SUPPRESS_VALUES = {"all", "autoreply", "oof", "dr", "ndr", "rn", "nrn"}


def _message(raw_or_msg: bytes | Message) -> Message:
    if isinstance(raw_or_msg, Message):
        return raw_or_msg
    return _HEADER_PARSER.parsebytes(raw_or_msg, headersonly=True)


def _raw_all(msg: Message, name: str) -> list[str]:
    """Every raw value of a header, top first, unfolded; never parses (never raises)."""
    out = []
    for key, value in msg.raw_items():
        if key.lower() == name:
            out.append(re.sub(r"\r?\n[ \t]+", " ", str(value)).strip())
    return out


def _first(msg: Message, name: str) -> str:
    values = _raw_all(msg, name)
    return values[0] if values else ""


def auto_reply_reason(raw_or_msg: bytes | Message, own_addresses: Iterable[str] = ()) -> str | None:
    """Why this mail came from a machine and must not be answered, or None for a person.

    The reason is a short English tag with detail, for logs: "auto-submitted: auto-replied",
    "bounce: from mailer-daemon", "report: multipart/report", "list: List-Id",
    "precedence: bulk", "x-auto-response-suppress: OOF", "x-autoreply", "own-address".
    """
    msg = _message(raw_or_msg)
    from_addr = _from_address(msg)
    own = {a.strip().lower() for a in own_addresses if a.strip()}
    if from_addr and from_addr in own:
        return "own-address"
    auto = _first(msg, "auto-submitted").split(";", 1)[0].strip().lower()
    if auto and auto != "no":
        return f"auto-submitted: {auto}"
    if from_addr.split("@", 1)[0] in _BOUNCE_LOCALS:
        return f"bounce: from {from_addr.split('@', 1)[0]}"
    if any(v.strip() == "<>" for v in _raw_all(msg, "return-path")):
        return "bounce: empty return-path"
    if _first(msg, "x-failed-recipients"):
        return "bounce: x-failed-recipients"
    ctype = _first(msg, "content-type").split(";", 1)[0].strip().lower()
    if ctype == "multipart/report":
        return "report: multipart/report"
    precedence = _first(msg, "precedence").strip().lower()
    if _first(msg, "list-id"):
        return "list: List-Id"
    if _first(msg, "list-unsubscribe") and precedence:
        return f"list: List-Unsubscribe with Precedence {precedence}"
    if precedence in _BULK_PRECEDENCE:
        return f"precedence: {precedence}"
    suppress = _first(msg, "x-auto-response-suppress")
    tokens = {t.strip().lower() for t in suppress.split(",") if t.strip()}
    if tokens & _SUPPRESS_VALUES:
        return f"x-auto-response-suppress: {suppress}"
    for header in ("x-autoreply", "x-autorespond", "x-autoresponder"):
        value = _first(msg, header)
        if value and value.strip().lower() not in ("no", "false", "0"):
            return header
    return None


def _from_address(msg: Message) -> str:
    raw = _first(msg, "from")
    try:
        pairs = getaddresses([raw])
    except Exception:
        return ""
    for _, addr in pairs:
        if "@" in addr:
            return addr.strip().lower()
    return ""


@dataclass(frozen=True)
class Verdict:
    """Our server's authentication results for one mail; None where it said nothing.

    `trusted` is False when the mail should be quarantined, True when DMARC, DKIM or SPF
    passed and nothing failed that would quarantine, None when our server left no header
    or decided nothing.
    """

    dmarc: str | None = None
    dkim: str | None = None
    spf: str | None = None
    trusted: bool | None = None


def authentication_verdict(
    raw_or_msg: bytes | Message, authserv_id: str = "mx.google.com"
) -> Verdict:
    """The verdict from the topmost Authentication-Results our own server stamped."""
    msg = _message(raw_or_msg)
    wanted = authserv_id.strip().lower()
    for value in _raw_all(msg, "authentication-results"):
        server, results = parse_authentication_results(value)
        if server == wanted:
            return _verdict(results)
    return Verdict()


def _verdict(results: list[tuple[str, str]]) -> Verdict:
    dmarc = _combine(results, "dmarc")
    dkim = _combine(results, "dkim")
    spf = _combine(results, "spf")
    verdict = Verdict(dmarc=dmarc, dkim=dkim, spf=spf)
    if should_quarantine(verdict):
        return Verdict(dmarc, dkim, spf, trusted=False)
    if "pass" in (dmarc, dkim, spf):
        return Verdict(dmarc, dkim, spf, trusted=True)
    return verdict


def _combine(results: list[tuple[str, str]], method: str) -> str | None:
    """One result per method: "pass" if any signature passed, else the first one given."""
    values = [r for m, r in results if m == method]
    if not values:
        return None
    return "pass" if "pass" in values else values[0]


def should_quarantine(verdict: Verdict) -> bool:
    """True when DMARC failed, or DKIM failed and SPF failed or soft-failed."""
    if verdict.dmarc == "fail":
        return True
    return verdict.dkim == "fail" and verdict.spf in ("fail", "softfail")


def parse_authentication_results(value: str) -> tuple[str, list[tuple[str, str]]]:
    """(authserv-id, [(method, result), ...]) of one header value, per RFC 8601.

    Comments are removed first (they may hold ";" and "="), then the value is split on ";"
    outside quoted strings. Methods and results are lower-cased; properties are dropped.
    """
    parts = _split_semicolons(_strip_comments(value))
    if not parts:
        return "", []
    # authserv-id may be followed by a version number: "mx.example.org 1".
    server = parts[0].split()[0].lower() if parts[0].split() else ""
    results = []
    for part in parts[1:]:
        m = re.match(r"\s*([A-Za-z0-9_.-]+)\s*(?:/\s*\d+\s*)?=\s*([A-Za-z0-9_-]+)", part)
        if m:
            results.append((m.group(1).lower(), m.group(2).lower()))
    return server, results


def _strip_comments(value: str) -> str:
    out: list[str] = []
    depth = 0
    quoted = False
    escaped = False
    for ch in value:
        if escaped:
            escaped = False
            if depth == 0:
                out.append(ch)
            continue
        if ch == "\\":
            escaped = True
            if depth == 0:
                out.append(ch)
            continue
        if quoted:
            quoted = ch != '"'
            out.append(ch)
        elif ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                out.append(" ")  # a comment separates like whitespace
        elif depth == 0:
            quoted = ch == '"'
            out.append(ch)
    return "".join(out)


def _split_semicolons(value: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in value:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    parts.append("".join(current).strip())
    return [p for p in parts if p]
