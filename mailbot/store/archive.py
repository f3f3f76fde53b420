"""Content-addressed file archive: raw messages and attachments stored once, by SHA-256.

Owns the archive folder (root/ab/cd/<sha256><suffix>) and nothing else: no database, no
mailbox. Writes are atomic (temp file, fsync, rename, fsync of the folder) and idempotent, so
a crash leaves either the whole file or nothing under its final name.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path, PurePath

_SUFFIX = re.compile(r"^(\.[a-z0-9]{1,10})?$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def safe_suffix(filename: str) -> str:
    """The lowercased extension of an (untrusted) filename when it is plain, else ''."""
    suffix = PurePath(filename.replace("\\", "/")).suffix.lower()
    return suffix if _SUFFIX.match(suffix) else ""


class Archive:
    """A folder of immutable files named by the SHA-256 of their content."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def path_for(self, sha256: str, suffix: str = "") -> Path:
        """Where the file with this hash and suffix lives (whether or not it exists)."""
        if not _SHA256.match(sha256):
            raise ValueError(f"not a lowercase hex SHA-256: {sha256!r}")
        if not _SUFFIX.match(suffix):
            raise ValueError(f"suffix must be like '.eml' (use safe_suffix), got {suffix!r}")
        return self.root / sha256[:2] / sha256[2:4] / f"{sha256}{suffix}"

    def put(self, data: bytes, suffix: str = "") -> tuple[str, Path]:
        """Store `data` (once) and return its SHA-256 and path."""
        sha256 = hashlib.sha256(data).hexdigest()
        path = self.path_for(sha256, suffix)
        if path.is_file() and path.stat().st_size == len(data):
            return sha256, path
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _fsync_dir(path.parent)
        return sha256, path

    def get(self, sha256: str, suffix: str = "") -> bytes:
        """The bytes stored under this hash and suffix (FileNotFoundError when absent)."""
        return self.path_for(sha256, suffix).read_bytes()

    def remove(self, relative: str) -> None:
        """Delete a stored file (mail that is not the campaign's is not kept); absent is fine."""
        self.resolve(relative).unlink(missing_ok=True)

    def relative(self, path: Path) -> str:
        """`path` relative to the archive root, as stored in the database."""
        return path.relative_to(self.root).as_posix()

    def resolve(self, relative: str) -> Path:
        """The absolute path of a file named relative to the root (refuses escapes)."""
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise ValueError(f"path {relative!r} is outside the archive")
        return path


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable: fsync the folder entry (a no-op where unsupported)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
