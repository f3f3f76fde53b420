"""Shared benchmark plumbing: interleaved timing, medians, peak memory of a child, machine facts.

Owns nothing of mailbot: only stopwatch, /proc readers and the printed report lines.
"""

from __future__ import annotations

import os
import platform
import resource
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Figure:
    """One measured quantity: its samples (seconds or MB), its floor and its target."""

    name: str
    samples: list[float]
    unit: str = "s"
    floor: float | None = None
    target: str = ""
    note: str = ""

    @property
    def median(self) -> float:
        """The median sample."""
        return statistics.median(self.samples)

    @property
    def ratio(self) -> float | None:
        """Median over floor, when there is a floor."""
        return self.median / self.floor if self.floor else None

    def line(self) -> str:
        """One printed line: name, median (and spread), floor, ratio, target."""
        spread = ""
        if len(self.samples) > 1:
            spread = f" [{min(self.samples):.2f}–{max(self.samples):.2f}, n={len(self.samples)}]"
        text = f"  {self.name:<44} {self.median:10.2f} {self.unit}{spread}"
        if self.floor is not None:
            text += f"  floor {self.floor:.2f} {self.unit}  ratio {self.ratio:.2f}×"
        if self.target:
            text += f"  (target {self.target})"
        if self.note:
            text += f"  {self.note}"
        return text


@dataclass
class Section:
    """The figures of one benchmark, printed together."""

    title: str
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    values: dict[str, float] = field(default_factory=dict)  # for other benchmarks to reuse

    def add(self, figure: Figure) -> Figure:
        """Keep a figure and print it at once (long runs show progress)."""
        self.figures.append(figure)
        print(figure.line(), flush=True)
        return figure

    def note(self, text: str) -> None:
        """Keep and print a free-text line."""
        self.notes.append(text)
        print(f"  - {text}", flush=True)


def interleaved(
    methods: dict[str, Callable[[], object]], rounds: int, *, progress: bool = True
) -> dict[str, list[float]]:
    """Run every method once per round, rotating their order; wall seconds per run."""
    names = list(methods)
    times: dict[str, list[float]] = {n: [] for n in names}
    for r in range(rounds):
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:  # no method always runs first (cold)
            start = time.perf_counter()
            methods[name]()
            times[name].append(time.perf_counter() - start)
            if progress:
                print(f"    round {r + 1}/{rounds} {name}: {times[name][-1]:.2f} s", flush=True)
    return times


def machine() -> dict[str, str]:
    """Facts that make a figure comparable: CPUs, CPU model, RAM, Python, date, commit."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return {
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "ram": ram,
        "python": platform.python_version(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": git_commit(),
    }


def git_commit() -> str:
    """The checkout's short commit, with '+dirty' when benchmarks or mailbot have edits."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "mailbot", "benchmarks"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return (head or "unknown") + ("+dirty" if dirty else "")


@dataclass
class ChildRun:
    """A finished child process: exit code, wall time, peak memory and its output."""

    returncode: int
    seconds: float
    tree_peak_mb: float  # sampled: the child plus its live descendants, summed
    stdout: str
    stderr: str


def run_child(argv: Sequence[str], env: dict[str, str] | None = None) -> ChildRun:
    """Run a child to completion, measuring wall time and the summed RSS of its process tree."""
    out_path = Path(f"/tmp/mailbot-bench-child-{os.getpid()}.out")
    err_path = out_path.with_suffix(".err")
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(argv), stdout=out, stderr=err, env=env, cwd=ROOT)
        sampler = _TreeSampler(proc.pid)
        sampler.start()
        proc.wait()
        seconds = time.perf_counter() - start
        sampler.stop()
    stdout = out_path.read_text(errors="replace")
    stderr = err_path.read_text(errors="replace")
    out_path.unlink(missing_ok=True)
    err_path.unlink(missing_ok=True)
    return ChildRun(proc.returncode, seconds, sampler.peak_mb, stdout, stderr)


class _TreeSampler(threading.Thread):
    """Samples the summed RSS of a process and its descendants every 20 ms."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_mb = 0.0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.wait(0.02):
            self.peak_mb = max(self.peak_mb, tree_rss_mb(self.pid))

    def stop(self) -> None:
        self._halt.set()
        self.join()


def tree_rss_mb(pid: int) -> float:
    """Current RSS of `pid` plus all its descendants, in MB (0 when gone)."""
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        total += _rss_kb(p)
        try:
            kids = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            kids = []
        stack.extend(int(k) for k in kids)
    return total / 1024


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def own_peak_mb() -> float:
    """This process's peak RSS (VmHWM), in MB.

    Not getrusage: Linux carries ru_maxrss over fork and exec, so a child started by a big
    parent reports the parent's peak (we saw 392 MB for a 90 MB roll-up child).
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def python() -> str:
    """The interpreter running the benchmarks (the project's venv under `make bench`)."""
    return sys.executable
