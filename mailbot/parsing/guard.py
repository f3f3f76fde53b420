"""Run parses in forked children with a time and memory ceiling, one file or many at once.

Owns the fork/pipe/rlimit machinery around `mailbot.parsing.parse_bytes`: a runaway or
crashing parse becomes ok=False with a Vietnamese reason, never a hung or dead daemon.
LibreOffice conversions run in the parent (soffice needs more address space than the child's
ceiling and has its own timeout). Must not read documents itself.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import resource
import select
import signal
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from mailbot.errors import ParseError
from mailbot.forms import Form, load_form
from mailbot.parsing import parse_bytes
from mailbot.parsing.model import Finding, ParseResult
from mailbot.parsing.readers import convert_foreign
from mailbot.parsing.sniff import CONVERT_TO, sniff

log = logging.getLogger(__name__)

TOO_SLOW = (
    "Tệp quá phức tạp: mailbot đọc quá {seconds:g} giây nên đã dừng. "
    "Xin gửi lại tệp .xlsx hoặc .docx chỉ gồm biểu Phụ lục 2."
)
CRASHED = (
    "Tệp quá lớn hoặc bị hỏng nên mailbot không đọc được. "
    "Xin mở bằng Excel/Word, lưu lại rồi gửi lại tệp .xlsx hoặc .docx."
)
UNEXPECTED = "Không đọc được tệp này do lỗi không xác định. Xin gửi lại tệp .xlsx hoặc .docx."


@dataclass
class _Job:
    """One forked parse in flight."""

    index: int
    filename: str
    pid: int
    fd: int
    deadline: float
    seconds: float
    form_id: str
    chunks: list[bytes] = field(default_factory=list)


def parse_guarded(
    data: bytes,
    filename: str,
    *,
    timeout_s: float = 10,
    memory_mb: int = 300,
    form: Form | None = None,
) -> ParseResult:
    """Parse one file in a child process; a timeout, memory blow-up or crash is ok=False."""
    results = parse_many_guarded(
        [(data, filename)], jobs=1, timeout_s=timeout_s, memory_mb=memory_mb, form=form
    )
    return next(iter(results))


def parse_many_guarded(
    items: Iterable[tuple[bytes, str]],
    *,
    jobs: int | None = None,
    timeout_s: float = 10,
    memory_mb: int = 300,
    form: Form | None = None,
) -> list[ParseResult]:
    """Parse many (bytes, filename) pairs, `jobs` children at a time; results in input order."""
    form = form or load_form()
    jobs = max(1, jobs or os.cpu_count() or 1)
    results: dict[int, ParseResult] = {}
    running: dict[int, _Job] = {}
    queue = iter(enumerate(items))
    exhausted = False
    while True:
        while not exhausted and len(running) < jobs:
            nxt = next(queue, None)
            if nxt is None:
                exhausted = True
                break
            index, (data, filename) = nxt
            job_or_result = _start(index, data, filename, form, timeout_s, memory_mb)
            if isinstance(job_or_result, ParseResult):
                results[index] = job_or_result
            else:
                running[job_or_result.fd] = job_or_result
        if not running:
            break
        for job in _step(running):
            results[job[0]] = job[1]
    return [results[i] for i in sorted(results)]


def _start(
    index: int, data: bytes, filename: str, form: Form, timeout_s: float, memory_mb: int
) -> _Job | ParseResult:
    """Convert in the parent when needed, then fork the child that parses."""
    started = time.monotonic()
    try:
        kind = sniff(data)
        if kind in CONVERT_TO:
            data, _ = convert_foreign(data, kind, timeout_s=timeout_s)
    except ParseError as exc:
        return ParseResult(file=filename, ok=False, form=form.id, errors=[exc.reason])
    except Exception:  # a sniffing/conversion bug must not stop a batch
        log.exception("unexpected failure preparing %s", filename)
        return ParseResult(file=filename, ok=False, form=form.id, errors=[UNEXPECTED])
    remaining = max(1.0, timeout_s - (time.monotonic() - started))
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never returns
        os.close(read_fd)
        _child(write_fd, data, filename, form, remaining, memory_mb)
    os.close(write_fd)
    return _Job(index, filename, pid, read_fd, started + timeout_s, timeout_s, form.id)


def _child(
    fd: int, data: bytes, filename: str, form: Form, timeout_s: float, memory_mb: int
) -> None:
    code = 0
    try:
        _limit(timeout_s, memory_mb)
        result = parse_bytes(data, filename, form)
        payload = json.dumps(result.to_dict(), ensure_ascii=False).encode("utf-8")
        with os.fdopen(fd, "wb") as out:
            out.write(payload)
    except BaseException:  # the child reports by exit status only; never unwind into the parent
        code = 70
    os._exit(code)


def _limit(timeout_s: float, memory_mb: int) -> None:
    """Cap the child's address space (above what it inherited) and CPU time."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    inherited = _vm_size()
    limit = inherited + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    cpu = int(timeout_s) + 2
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))


def _vm_size() -> int:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _step(running: dict[int, _Job]) -> Iterator[tuple[int, ParseResult]]:
    """Wait for output or a deadline; yield (index, result) for every job that finished."""
    now = time.monotonic()
    wait = max(0.0, min(job.deadline for job in running.values()) - now)
    readable, _, _ = select.select(list(running), [], [], wait)
    for fd in readable:
        job = running[fd]
        chunk = os.read(fd, 1 << 16)
        if chunk:
            job.chunks.append(chunk)
            continue
        del running[fd]
        yield job.index, _finish(job)
    now = time.monotonic()
    for fd, job in list(running.items()):
        if now >= job.deadline:
            del running[fd]
            yield job.index, _kill(job)


def _finish(job: _Job) -> ParseResult:
    os.close(job.fd)
    _, status = os.waitpid(job.pid, 0)
    payload = b"".join(job.chunks)
    if os.waitstatus_to_exitcode(status) == 0 and payload:
        try:
            return _from_dict(json.loads(payload))
        except (ValueError, KeyError, TypeError):
            log.warning("bad result from parse child for %s", job.filename)
    elif os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU:
        return _failed(job, TOO_SLOW.format(seconds=job.seconds))
    log.warning("parse child for %s ended with status %s", job.filename, status)
    return _failed(job, CRASHED)


def _kill(job: _Job) -> ParseResult:
    with contextlib.suppress(ProcessLookupError):
        os.kill(job.pid, signal.SIGKILL)
    os.waitpid(job.pid, 0)
    os.close(job.fd)
    log.warning("parse of %s stopped at its deadline", job.filename)
    return _failed(job, TOO_SLOW.format(seconds=job.seconds))


def _failed(job: _Job, reason: str) -> ParseResult:
    return ParseResult(file=job.filename, ok=False, form=job.form_id, errors=[reason])


def _from_dict(d: dict) -> ParseResult:
    """Rebuild a ParseResult from the JSON the child sent (inverse of to_dict)."""
    return ParseResult(
        file=d["file"],
        ok=bool(d["ok"]),
        form=d["form"],
        unit_name=d.get("unit_name"),
        values=d.get("values") or {},
        warnings=[Finding(w.get("code"), w["message"]) for w in d.get("warnings", [])],
        errors=list(d.get("errors", [])),
    )
