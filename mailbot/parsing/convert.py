"""Convert legacy/foreign office files (.doc, .rtf, .odt, .ods, .xlsb, Office 2003 XML) to
.docx/.xlsx with LibreOffice headless, one conversion at a time, with a hard timeout.

Owns the soffice process: its own throwaway profile per conversion, a machine-wide lock so two
conversions never run at once, and killing the whole process group on timeout. Must not read
the converted document (readers do that).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from mailbot.errors import ParseError

LOCK_PATH = Path(tempfile.gettempdir()) / "mailbot-soffice.lock"
FILTERS = {"docx": "docx:MS Word 2007 XML", "xlsx": "xlsx:Calc MS Excel 2007 XML"}
SUFFIX = {
    "doc": ".doc",
    "rtf": ".rtf",
    "odt": ".odt",
    "word-xml": ".xml",
    "ods": ".ods",
    "xlsb": ".xlsb",
    "excel-xml": ".xml",
    "xls": ".xls",
    "xlsx": ".xlsx",
    "docx": ".docx",
}
LABEL = {
    "doc": "Word 97-2003 (.doc)",
    "rtf": "RTF",
    "odt": "OpenDocument (.odt)",
    "word-xml": "Word 2003 XML",
    "ods": "OpenDocument (.ods)",
    "xlsb": "Excel nhị phân (.xlsb)",
    "excel-xml": "Excel 2003 XML",
    "xls": "Excel 97-2003 (.xls)",
}
NO_SOFFICE = (
    "Máy chủ chưa có phần mềm để đọc tệp {label}. "
    "Xin mở tệp, chọn “Lưu thành” (Save As) dạng .docx hoặc .xlsx rồi gửi lại."
)
FAILED = (
    "Không chuyển đổi được tệp {label} (tệp có thể bị hỏng hoặc đặt mật khẩu). "
    "Xin mở tệp, lưu lại dạng .docx hoặc .xlsx rồi gửi lại."
)
TOO_SLOW = (
    "Tệp {label} mất quá nhiều thời gian để chuyển đổi. "
    "Xin lưu lại dạng .docx hoặc .xlsx rồi gửi lại."
)

_thread_lock = threading.Lock()


def soffice_path() -> str | None:
    """The LibreOffice binary, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(data: bytes, kind: str, target: str, *, timeout_s: float = 60.0) -> bytes:
    """Convert `data` (of sniffed `kind`) to `target` ('docx' or 'xlsx') and return its bytes."""
    label = LABEL.get(kind, kind)
    binary = soffice_path()
    if binary is None:
        raise ParseError(NO_SOFFICE.format(label=label), "soffice not found")
    deadline = time.monotonic() + timeout_s
    with (
        _thread_lock,
        _MachineLock(deadline, label),
        tempfile.TemporaryDirectory(prefix="mailbot-convert-") as tmp,
    ):
        return _run(binary, data, kind, target, Path(tmp), deadline, label)


class _MachineLock:
    """An exclusive flock so only one soffice runs on the machine at a time."""

    def __init__(self, deadline: float, label: str) -> None:
        self.deadline, self.label, self.fd = deadline, label, -1

    def __enter__(self) -> None:
        self.fd = os.open(LOCK_PATH, os.O_RDWR | os.O_CREAT, 0o600)
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > self.deadline:
                    os.close(self.fd)
                    raise ParseError(TOO_SLOW.format(label=self.label), "lock wait") from None
                time.sleep(0.05)

    def __exit__(self, *exc: object) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)


def _run(
    binary: str, data: bytes, kind: str, target: str, tmp: Path, deadline: float, label: str
) -> bytes:
    source = tmp / f"input{SUFFIX.get(kind, '.bin')}"
    source.write_bytes(data)
    outdir = tmp / "out"
    profile = (tmp / "profile").as_uri()
    cmd = [
        binary,
        f"-env:UserInstallation={profile}",
        "--headless",
        "--invisible",
        "--nologo",
        "--nodefault",
        "--nolockcheck",
        "--norestore",
        "--convert-to",
        FILTERS[target],
        "--outdir",
        str(outdir),
        str(source),
    ]
    env = {**os.environ, "HOME": str(tmp), "SAL_USE_VCLPLUGIN": "svp"}
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, so a timeout kills every helper
        env=env,
    )
    try:
        proc.wait(timeout=max(0.1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        raise ParseError(TOO_SLOW.format(label=label), "soffice timeout") from None
    finally:
        _kill_group(proc)
    produced = outdir / f"input.{target}"
    if proc.returncode != 0 or not produced.is_file() or produced.stat().st_size == 0:
        raise ParseError(FAILED.format(label=label), f"soffice exit {proc.returncode}")
    return produced.read_bytes()


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
