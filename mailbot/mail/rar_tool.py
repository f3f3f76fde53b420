"""The one edge of RAR reading: compressed RAR members are unpacked by bsdtar (libarchive).

RAR compression is proprietary; Debian main has no unrar, and its 7zip is built without the
RAR codec, so bsdtar (package libarchive-tools) does the unpacking. rarfile can drive bsdtar
itself, but rarfile 4.5 puts "--" after bsdtar's -f, which bsdtar 3.6 takes as the archive
name, so every compressed member came back as bsdtar's error text. Here bsdtar unpacks the
whole archive once into a private temporary folder, with a time limit and a file-size limit
(prlimit).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

__all__ = ["RarToolError", "unpack"]


class RarToolError(Exception):
    """bsdtar is missing, timed out, or unpacked nothing."""


def unpack(data: bytes, max_bytes: int, timeout_s: float = 30.0) -> dict[str, bytes]:
    """Regular files bsdtar unpacks from the RAR `data`, by archive path ("/"-separated).

    A member bsdtar cannot unpack (solid archive, filter, damage) is simply absent; more than
    `max_bytes` in all raises, as a bomb that lied about its sizes.
    """
    tool = shutil.which("bsdtar")
    if tool is None:
        raise RarToolError("bsdtar is not installed (apt-get install libarchive-tools)")
    # prlimit (util-linux) caps each file written; a preexec_fn is unsafe beside the
    # read-ahead threads.
    limit = shutil.which("prlimit")
    capped = [limit, f"--fsize={max_bytes}", "--"] if limit else []

    with tempfile.TemporaryDirectory(prefix="mailbot-rar-") as tmp:
        source, target = Path(tmp) / "in.rar", Path(tmp) / "out"
        source.write_bytes(data)
        target.mkdir()
        try:
            subprocess.run(
                [*capped, tool, "-x", "--no-same-owner", "--no-same-permissions", "-f", str(source),
                 "-C", str(target)],
                env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8"},
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=timeout_s,
                check=False,  # members it could not unpack are just missing
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            raise RarToolError(f"bsdtar took longer than {timeout_s:.0f} s") from None
        files: dict[str, bytes] = {}
        total = 0
        for path in sorted(target.rglob("*")):
            if path.is_symlink() or not path.is_file():
                continue
            total += path.stat().st_size
            if total > max_bytes:
                raise RarToolError(f"unpacked more than {max_bytes} bytes")
            files[path.relative_to(target).as_posix()] = path.read_bytes()
        return files
