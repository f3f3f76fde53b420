"""Run parses in forked workers with a time and memory ceiling, one file or many at once.

Owns the fork/pipe/rlimit machinery around `mailbot.parsing.parse_bytes`: a runaway or
crashing parse becomes ok=False with a Vietnamese reason, never a hung or dead caller.
Workers are forked from the warm parent and each parses a run of files (their caches stay
warm); a worker that overruns a file's deadline is killed and replaced. LibreOffice
conversions run in the parent first (soffice needs more address space than a worker's
ceiling, and has its own timeout). Must not read documents itself.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import resource
import select
import signal
import struct
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from mailbot.errors import ParseError
from mailbot.forms import COLUMN_KEYS, Form, load_form
from mailbot.parsing import parse_bytes
from mailbot.parsing.interpret import interpret
from mailbot.parsing.model import Cell, Document, Finding, Grid, ParseResult
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
FILES_PER_WORKER = 25  # then a fresh fork, so no worker drifts toward its memory ceiling
QUIT = 0xFFFFFFFF
FRAME = struct.Struct("<I")


@dataclass
class _Worker:
    """One forked worker: a pipe to send it file indexes, a pipe it answers on."""

    pid: int
    tasks: int  # write end: 4-byte file indexes
    answers: int  # read end: 4-byte length + JSON result
    current: int | None = None
    deadline: float = 0.0
    done: int = 0
    buffer: bytearray = field(default_factory=bytearray)


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
    return results[0]


def parse_many_guarded(
    items: Iterable[tuple[bytes, str]],
    *,
    jobs: int | None = None,
    timeout_s: float = 10,
    memory_mb: int = 300,
    form: Form | None = None,
) -> list[ParseResult]:
    """Parse many (bytes, filename) pairs on `jobs` workers; results in input order."""
    form = form or load_form()
    warm_up(form)
    names: list[str] = []
    ready: list[tuple[int, bytes]] = []
    results: dict[int, ParseResult] = {}
    for index, (data, filename) in enumerate(items):
        names.append(filename)
        prepared = _prepare(data, filename, form, timeout_s)
        if isinstance(prepared, ParseResult):
            results[index] = prepared
        else:
            ready.append((index, prepared))
    pool = _Pool(ready, names, form, timeout_s, memory_mb)
    results.update(pool.run(max(1, min(jobs or os.cpu_count() or 1, len(ready) or 1))))
    return [results[i] for i in range(len(names))]


def warm_up(form: Form) -> None:
    """Parse the form's own blank table once here, so forked workers inherit warm caches."""
    if form.id in _warm:
        return
    _warm.add(form.id)
    header = [Cell(texts[0]) for texts in (form.columns[k] for k in COLUMN_KEYS)]
    rows = [header]
    for line in form.lines:
        rows.append([Cell(line.stt or ""), Cell(line.label), Cell(line.unit)])
    document = Document(name="warm-up", kind="xlsx", grids=[Grid("warm-up", rows)])
    try:
        interpret(document, form, "warm-up")
    except Exception:  # warming is an optimisation; a failure here must not stop parsing
        log.debug("warm-up parse failed", exc_info=True)


_warm: set[str] = set()


def _prepare(data: bytes, filename: str, form: Form, timeout_s: float) -> bytes | ParseResult:
    """Convert legacy/foreign kinds in the parent; refusals become results right away."""
    try:
        kind = sniff(data)
        if kind in CONVERT_TO:
            data, _ = convert_foreign(data, kind, timeout_s=timeout_s)
    except ParseError as exc:
        return ParseResult(file=filename, ok=False, form=form.id, errors=[exc.reason])
    except Exception:  # a sniffing/conversion bug must not stop a batch
        log.exception("unexpected failure preparing %s", filename)
        return ParseResult(file=filename, ok=False, form=form.id, errors=[UNEXPECTED])
    return data


class _Pool:
    """Forked workers fed file indexes; the parent enforces each file's deadline."""

    def __init__(
        self,
        ready: list[tuple[int, bytes]],
        names: list[str],
        form: Form,
        timeout_s: float,
        memory_mb: int,
    ) -> None:
        self.files = dict(ready)  # inherited by every fork: only indexes cross the pipe
        self.queue = [i for i, _ in ready]
        self.names, self.form = names, form
        self.timeout_s, self.memory_mb = timeout_s, memory_mb
        self.results: dict[int, ParseResult] = {}

    def run(self, jobs: int) -> dict[int, ParseResult]:
        workers: list[_Worker] = []
        try:
            while self.queue or any(w.current is not None for w in workers):
                while len(workers) < jobs and self.queue:
                    workers.append(self._spawn())
                for w in workers:
                    if w.current is None and self.queue:
                        self._assign(w, self.queue.pop(0))
                self._wait([w for w in workers if w.current is not None])
                workers = [r for r in (self._recycle(w) for w in workers) if r is not None]
        finally:
            for w in workers:
                self._stop(w)
        return self.results

    def _spawn(self) -> _Worker:
        task_r, task_w = os.pipe()
        ans_r, ans_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # worker: never returns
            os.close(task_w)
            os.close(ans_r)
            _worker_main(task_r, ans_w, self.files, self.names, self.form, self.memory_mb)
        os.close(task_r)
        os.close(ans_w)
        return _Worker(pid=pid, tasks=task_w, answers=ans_r)

    def _assign(self, w: _Worker, index: int) -> None:
        w.current, w.deadline = index, time.monotonic() + self.timeout_s
        # A worker that is already gone shows up as EOF in _wait, which reports the file.
        with contextlib.suppress(OSError):
            os.write(w.tasks, FRAME.pack(index))

    def _wait(self, busy: list[_Worker]) -> None:
        if not busy:
            return
        wait = max(0.0, min(w.deadline for w in busy) - time.monotonic())
        by_fd = {w.answers: w for w in busy}
        readable, _, _ = select.select(list(by_fd), [], [], wait)
        for fd in readable:
            self._read(by_fd[fd])
        now = time.monotonic()
        for w in busy:
            if w.current is not None and now >= w.deadline:
                log.warning("parse of %s stopped at its deadline", self.names[w.current])
                self._fail(w, TOO_SLOW.format(seconds=self.timeout_s))

    def _read(self, w: _Worker) -> None:
        chunk = os.read(w.answers, 1 << 16)
        if not chunk:
            if w.current is not None:
                log.warning("parse worker died on %s", self.names[w.current])
                self._fail(w, CRASHED)
            return
        w.buffer += chunk
        while len(w.buffer) >= FRAME.size:
            (size,) = FRAME.unpack_from(w.buffer)
            if len(w.buffer) < FRAME.size + size:
                return
            payload = bytes(w.buffer[FRAME.size : FRAME.size + size])
            del w.buffer[: FRAME.size + size]
            if w.current is not None:
                self.results[w.current] = _decode(payload, self.names[w.current], self.form.id)
                w.current, w.done = None, w.done + 1

    def _fail(self, w: _Worker, reason: str) -> None:
        index = w.current
        if index is not None:
            result = ParseResult(file=self.names[index], ok=False, form=self.form.id)
            result.errors.append(reason)
            self.results[index] = result
        w.current = None
        w.done = FILES_PER_WORKER  # its state is unknown now: replace it

    def _recycle(self, w: _Worker) -> _Worker | None:
        if w.done < FILES_PER_WORKER:
            return w
        self._stop(w)
        return self._spawn() if self.queue else None

    def _stop(self, w: _Worker) -> None:
        with contextlib.suppress(OSError):
            os.write(w.tasks, FRAME.pack(QUIT))
        with contextlib.suppress(ProcessLookupError):
            os.kill(w.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(w.pid, 0)
        for fd in (w.tasks, w.answers):
            with contextlib.suppress(OSError):
                os.close(fd)


def _worker_main(
    tasks: int,
    answers: int,
    files: dict[int, bytes],
    names: list[str],
    form: Form,
    memory_mb: int,
) -> None:
    code = 0
    try:
        _limit(memory_mb)
        while True:
            raw = _read_exact(tasks, FRAME.size)
            if raw is None:
                break
            (index,) = FRAME.unpack(raw)
            if index == QUIT:
                break
            result = parse_bytes(files[index], names[index], form)
            payload = json.dumps(result.to_dict(), ensure_ascii=False).encode("utf-8")
            _write_all(answers, FRAME.pack(len(payload)) + payload)
    except BaseException:  # the worker reports by its answers or its death, never unwinds
        code = 70
    os._exit(code)


def _limit(memory_mb: int) -> None:
    """Cap the worker's address space at what it inherited plus `memory_mb`."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    limit = _vm_size() + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _vm_size() -> int:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _read_exact(fd: int, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = os.read(fd, size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _decode(payload: bytes, filename: str, form_id: str) -> ParseResult:
    """Rebuild a ParseResult from the JSON a worker sent (inverse of to_dict)."""
    try:
        d = json.loads(payload)
        return ParseResult(
            file=d["file"],
            ok=bool(d["ok"]),
            form=d["form"],
            unit_name=d.get("unit_name"),
            values=d.get("values") or {},
            warnings=[Finding(w.get("code"), w["message"]) for w in d.get("warnings", [])],
            errors=list(d.get("errors", [])),
            doubts=[str(x) for x in d.get("doubts", [])],
            narrative=d.get("narrative"),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        log.warning("bad result from parse worker for %s", filename)
        return ParseResult(file=filename, ok=False, form=form_id, errors=[UNEXPECTED])
