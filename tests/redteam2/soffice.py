"""Convert red-team files through LibreOffice (`soffice --headless --convert-to`), memoised.

Owns: one soffice run per target format, each with a throwaway profile directory and a timeout.
Touches only a temporary directory it creates and removes.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

TIMEOUT = 180
_DONE: dict[str, bytes] = {}


def available() -> bool:
    """Whether soffice is on PATH."""
    return shutil.which("soffice") is not None


def _key(data: bytes, src: str, dst: str) -> str:
    return f"{hashlib.sha256(data).hexdigest()[:16]}.{src}.{dst}"


def convert_all(jobs: list[tuple[bytes, str, str]]) -> None:
    """Convert every (data, source ext, target ext) not done yet; one soffice run per target."""
    by_target: dict[str, list[tuple[bytes, str]]] = {}
    for data, src, dst in jobs:
        if _key(data, src, dst) not in _DONE:
            by_target.setdefault(dst, []).append((data, src))
    # One soffice per target format, run side by side (each has its own profile directory).
    with ThreadPoolExecutor(max_workers=max(len(by_target), 1)) as pool:
        list(pool.map(lambda item: _run(*item), by_target.items()))


def result(data: bytes, src: str, dst: str) -> bytes:
    """The converted bytes (converting now if no batch did)."""
    key = _key(data, src, dst)
    if key not in _DONE:
        convert_all([(data, src, dst)])
    return _DONE[key]


def _run(dst: str, group: list[tuple[bytes, str]]) -> None:
    work = Path(tempfile.mkdtemp(prefix="redteam2-soffice-"))
    try:
        (work / "in").mkdir()
        (work / "out").mkdir()
        paths = []
        for i, (data, src) in enumerate(group):
            path = work / "in" / f"f{i:03d}.{src}"
            path.write_bytes(data)
            paths.append(path)
        # same-format re-save (docx -> docx) needs an explicit filter to rewrite the file
        target = {"docx": 'docx:"MS Word 2007 XML"', "doc": 'doc:"MS Word 97"'}.get(dst, dst)
        cmd = ["soffice", f"-env:UserInstallation=file://{work}/profile", "--headless"]
        cmd += ["--norestore", "--convert-to", target.replace('"', ""), "--outdir"]
        cmd += [str(work / "out"), *map(str, paths)]
        subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, check=False)
        for (data, src), path in zip(group, paths, strict=True):
            out = work / "out" / f"{path.stem}.{dst}"
            _DONE[_key(data, src, dst)] = out.read_bytes()
    finally:
        shutil.rmtree(work, ignore_errors=True)
