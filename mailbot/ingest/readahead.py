"""Reading a group of fetched mails ahead of booking: each read once, their files parsed together.

Owns the grouping rule (how many mails and bytes are read ahead at once) and the table of
parse results that `decide.decide` then looks files up in. Parsing a whole group in one
`parse_many_guarded` call keeps the forked workers warm and busy on every core, instead of
forking one worker per file. Must not touch the store, the archive or the mailbox: the
pipeline still claims and books each mail on its own, in order.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import select
import signal
import struct
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from mailbot.ingest.decide import files_to_parse
from mailbot.ingest.decision import IntakeSettings, ParseFn, ReadMail, read_mail
from mailbot.parsing.model import Finding, ParseResult

log = logging.getLogger(__name__)

# Bigger mails are read one at a time, after their claim: a mail that could exhaust memory
# while being read must count its attempts (store.begin_attempt) like any other failure.
READ_AHEAD_MAX_BYTES = 4 * 1024 * 1024
GROUP_MAX_MESSAGES = 25  # small enough that several groups of a listed batch overlap
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


def wanted_files(
    group: Sequence[Fetched], settings: IntakeSettings
) -> dict[FileKey, tuple[bytes, str]]:
    """Every distinct (bytes, name) file the group's mails will ask `decide` to parse."""
    items: dict[FileKey, tuple[bytes, str]] = {}
    for fetched in group:
        if fetched.read is None:
            continue
        for attachment in files_to_parse(fetched.read, settings):
            key = (_sha256(attachment.data), attachment.filename)
            items.setdefault(key, (attachment.data, attachment.filename))
    return items


@dataclass
class Group:
    """Mails read ahead together, the files they need parsed, and whether a helper has them."""

    mails: list[Fetched]
    files: dict[FileKey, tuple[bytes, str]]
    submitted: bool = False


class ParseHelper:
    """A forked helper that parses one group's files while the caller books the group before.

    Forked once (early, while the caller is small), so the caller's pages are not copied
    again for every group, and its parse workers fork from a small, quiet process. Files go
    down a pipe, results come back as JSON. If it dies or overruns a deadline `results`
    returns None and the caller parses that group itself: slower, never lost.
    """

    def __init__(self, parse_many: ParseManyFn, timeout_s: float) -> None:
        self.parse_many = parse_many
        self.timeout_s = timeout_s
        self.pid = 0
        self.requests = self.answers = -1
        self.pending = 0  # files of the request in flight
        self.deadline = 0.0

    def __enter__(self) -> ParseHelper:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def submit(self, items: list[tuple[bytes, str]]) -> bool:
        """Send a group's files to parse; False when the helper cannot take them."""
        if not items:
            return False
        if self.pid == 0:
            self._start()
        header = json.dumps([[name, len(data)] for data, name in items]).encode()
        try:
            _write_frame(self.requests, header)
            _write_frame(self.requests, b"".join(data for data, _ in items))
        except OSError:
            log.warning("parse helper is gone; parsing here", exc_info=True)
            self.close()
            return False
        self.pending = len(items)
        # Each file may run to its timeout; the helper converts legacy kinds too.
        self.deadline = time.monotonic() + self.timeout_s * (2 * len(items) + 2)
        return True

    def results(self) -> list[ParseResult] | None:
        """The submitted files' results in order, or None when the helper failed."""
        payload = _read_frame(self.answers, self.deadline)
        decoded = _decode(payload, self.pending) if payload is not None else None
        if decoded is None:
            log.warning("parse helper gave no answer for %d files; parsing here", self.pending)
            self.close()
        self.pending = 0
        return decoded

    def close(self) -> None:
        """Stop the helper: idle, it ends when its request pipe closes; else it is killed."""
        if self.pid == 0:
            return
        busy = self.pending > 0
        for fd in (self.requests, self.answers):
            with contextlib.suppress(OSError):
                os.close(fd)
        stop = time.monotonic() + (0 if busy else 5)
        with contextlib.suppress(ChildProcessError):
            while os.waitpid(self.pid, os.WNOHANG)[0] == 0:
                if time.monotonic() >= stop:
                    # Its own group: the parse workers it forked go with it.
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.killpg(self.pid, signal.SIGKILL)
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(self.pid, signal.SIGKILL)
                    os.waitpid(self.pid, 0)
                    break
                time.sleep(0.005)
        self.pid, self.pending = 0, 0

    def _start(self) -> None:
        req_r, req_w = os.pipe()
        ans_r, ans_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # helper: never returns
            _helper_main(self.parse_many, (req_w, ans_r), req_r, ans_w)
        with contextlib.suppress(OSError):
            os.setpgid(pid, pid)  # as the helper does itself: whichever runs first
        os.close(req_r)
        os.close(ans_w)
        self.pid, self.requests, self.answers = pid, req_w, ans_r


def _helper_main(
    parse_many: ParseManyFn, unused: tuple[int, int], requests: int, answers: int
) -> None:
    code = 0
    try:
        for fd in unused:
            os.close(fd)
        os.setpgid(0, 0)  # a group of its own, so stopping it stops its parse workers too
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # never run the parent's handlers
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        while (header := _read_frame(requests)) is not None:
            data = _read_frame(requests) or b""
            items, offset = [], 0
            for name, size in json.loads(header):
                items.append((data[offset : offset + size], name))
                offset += size
            results = parse_many(items)
            _write_frame(answers, json.dumps([r.to_dict() for r in results]).encode())
    except BaseException:  # the parent sees no answer and parses on its own
        code = 70
    os._exit(code)


_FRAME = struct.Struct("<Q")


def _write_frame(fd: int, payload: bytes) -> None:
    view = memoryview(_FRAME.pack(len(payload)) + payload)
    while view:
        view = view[os.write(fd, view) :]


def _read_frame(fd: int, deadline: float | None = None) -> bytes | None:
    """One length-prefixed frame; None at EOF, on a short frame or past `deadline`."""
    head = _read_exact(fd, _FRAME.size, deadline)
    if head is None:
        return None
    return _read_exact(fd, _FRAME.unpack(head)[0], deadline)


def _read_exact(fd: int, size: int, deadline: float | None) -> bytes | None:
    chunks, got = [], 0
    while got < size:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                log.warning("parse helper overran its deadline")
                return None
        try:
            chunk = os.read(fd, min(size - got, 1 << 20))
        except OSError:
            return None
        if not chunk:
            return None
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _decode(payload: bytes, count: int) -> list[ParseResult] | None:
    """The helper's JSON answer as results, or None unless it is complete and well formed."""
    try:
        data = json.loads(payload)
        if not isinstance(data, list) or len(data) != count:
            return None
        return [
            ParseResult(
                file=str(d["file"]),
                ok=bool(d["ok"]),
                form=d["form"],
                unit_name=d.get("unit_name"),
                values=d.get("values") or {},
                warnings=[Finding(w.get("code"), w["message"]) for w in d.get("warnings", [])],
                errors=[str(e) for e in d.get("errors", [])],
                doubts=[str(x) for x in d.get("doubts", [])],
                narrative=d.get("narrative"),
            )
            for d in data
        ]
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


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
