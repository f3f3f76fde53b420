"""Jobs for the daemon's child-process tests; stdlib only, so a spawned child starts fast."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path


def hang_with_a_worker(pid_file: str) -> None:
    """A job stuck for good, with a worker process of its own (like the parser's)."""
    worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    Path(pid_file).write_text(str(worker.pid))
    time.sleep(120)


def fail() -> None:
    """A job that raises."""
    raise RuntimeError("boom")
