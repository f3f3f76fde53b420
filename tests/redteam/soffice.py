"""Have LibreOffice write files the way a clerk's LibreOffice does (xlsx, xls, ods, docx, doc, pdf).

Owns: batch conversion through `soffice --headless --convert-to`, with a throwaway profile and
a timeout, memoised per input. Touches only a temporary directory it creates and removes.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

TIMEOUT = 180
_DONE: dict[str, bytes] = {}


@dataclass(frozen=True)
class Job:
    """One conversion: source bytes and extension, target filter and the output's extension."""

    data: bytes
    src_ext: str
    target: (
        str  # e.g. 'xlsx:"Calc MS Excel 2007 XML"' without quotes: 'xlsx:Calc MS Excel 2007 XML'
    )
    out_ext: str
    infilter: str | None = None

    def key(self) -> str:
        """Memo key: content and conversion."""
        h = hashlib.sha256(self.data).hexdigest()[:16]
        return f"{h}-{self.src_ext}-{self.target}-{self.infilter}"


def available() -> bool:
    """Whether soffice is on PATH."""
    return shutil.which("soffice") is not None


def convert(jobs: list[Job]) -> None:
    """Convert every job not done yet, one soffice run per (target, infilter) group."""
    todo = [j for j in jobs if j.key() not in _DONE]
    groups: dict[tuple[str, str | None], list[Job]] = {}
    for job in todo:
        groups.setdefault((job.target, job.infilter), []).append(job)
    for (target, infilter), group in groups.items():
        _run_group(target, infilter, group)


def result(job: Job) -> bytes:
    """The converted bytes of a job (converting it alone if no batch ran)."""
    if job.key() not in _DONE:
        convert([job])
    return _DONE[job.key()]


def _run_group(target: str, infilter: str | None, group: list[Job]) -> None:
    work = Path(tempfile.mkdtemp(prefix="redteam-soffice-"))
    try:
        src = work / "in"
        out = work / "out"
        src.mkdir()
        out.mkdir()
        names = {}
        for i, job in enumerate(group):
            path = src / f"f{i:03d}.{job.src_ext}"
            path.write_bytes(job.data)
            names[job.key()] = path.stem
        cmd = [
            "soffice",
            f"-env:UserInstallation=file://{work}/profile",
            "--headless",
            "--norestore",
        ]
        if infilter:
            cmd.append(f"--infilter={infilter}")
        cmd += ["--convert-to", target, "--outdir", str(out)]
        cmd += sorted(str(p) for p in src.iterdir())
        subprocess.run(cmd, check=True, timeout=TIMEOUT, capture_output=True)
        for job in group:
            made = out / f"{names[job.key()]}.{job.out_ext}"
            _DONE[job.key()] = made.read_bytes()
    finally:
        shutil.rmtree(work, ignore_errors=True)
