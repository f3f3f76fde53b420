"""Reading a group of fetched mails ahead of booking: each read once, their files parsed together.

Owns the grouping rule (how many mails and bytes are read ahead at once) and the table of
parse results that `intake.decide` then looks files up in. Parsing a whole group in one
`parse_many_guarded` call keeps the forked workers warm and busy on every core, instead of
forking one worker per file. Must not touch the store, the archive or the mailbox: the
pipeline still claims and books each mail on its own, in order.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from mailbot.intake import IntakeSettings, ParseFn, ReadMail, files_to_parse, read_mail
from mailbot.parsing.model import ParseResult

log = logging.getLogger(__name__)

# Bigger mails are read one at a time, after their claim: a mail that could exhaust memory
# while being read must count its attempts (store.begin_attempt) like any other failure.
READ_AHEAD_MAX_BYTES = 4 * 1024 * 1024
GROUP_MAX_MESSAGES = 100
GROUP_MAX_BYTES = 32 * 1024 * 1024  # raw bytes held at once (about twice that once decoded)

ParseManyFn = Callable[[list[tuple[bytes, str]]], list[ParseResult]]
FileKey = tuple[str, str]  # (sha256 of the bytes, file name): the name is part of the result


@dataclass
class Fetched:
    """One downloaded mail waiting in a group, with what reading it ahead gave."""

    key: str
    raw: bytes
    received_at: datetime
    gm_msgid: int | None = None
    read: ReadMail | None = None

    @property
    def size(self) -> int:
        """Raw size in bytes."""
        return len(self.raw)


def group_full(group: Sequence[Fetched]) -> bool:
    """True when a group holds as many mails or bytes as are read ahead at once."""
    return len(group) >= GROUP_MAX_MESSAGES or sum(f.size for f in group) >= GROUP_MAX_BYTES


def read_ahead(group: Sequence[Fetched]) -> None:
    """Read each mail of the group (MIME, header block); a failure leaves it to `decide`."""
    for fetched in group:
        try:
            fetched.read = read_mail(fetched.raw)
        except Exception:  # decide reads it again under its claim and records the failure
            log.warning("reading %s ahead failed", fetched.key, exc_info=True)
            fetched.read = None


def parse_ahead(
    group: Sequence[Fetched], settings: IntakeSettings, parse_many: ParseManyFn
) -> dict[FileKey, ParseResult]:
    """Parse every file the group's mails will need, each distinct file once, in one call."""
    items: dict[FileKey, tuple[bytes, str]] = {}
    for fetched in group:
        if fetched.read is None:
            continue
        for attachment in files_to_parse(fetched.read, settings):
            key = (_sha256(attachment.data), attachment.filename)
            items.setdefault(key, (attachment.data, attachment.filename))
    if not items:
        return {}
    results = parse_many(list(items.values()))
    return dict(zip(items, results, strict=True))


class ParsedFiles:
    """A `ParseFn` answering from results parsed ahead; any other file goes to `fallback`."""

    def __init__(self, results: dict[FileKey, ParseResult], fallback: ParseFn) -> None:
        self.results = results
        self.fallback = fallback

    def __call__(self, data: bytes, filename: str) -> ParseResult:
        """The result parsed ahead for these bytes and this name, else a parse now."""
        found = self.results.get((_sha256(data), filename))
        return found if found is not None else self.fallback(data, filename)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
