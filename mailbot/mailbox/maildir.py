"""The Maildir edge: `MaildirSource`, a `Source` over a local Maildir++ tree (demo, tests, config).

Owns the on-disk layout: "INBOX" is the Maildir root, other folders are Maildir++ subfolders
named like Dovecot names them (".<modified UTF-7>"), stable UIDs kept in a small
`mailbot-uidlist` file per folder, and keywords in Dovecot's `dovecot-keywords` file so a
Dovecot serving the same Maildir shows $MailbotProcessed too. Never sets S (seen) and never
rewrites a message's bytes: marking is a rename.
"""

from __future__ import annotations

import mailbox as stdlib_mailbox
import os
import re
import time
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Self

from imapclient import imap_utf7

from mailbot.errors import MessageGoneError, SourceError
from mailbot.mailbox.source import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_PROCESSED_FLAG,
    MessageRef,
    check_batch_size,
    chunks,
)

UIDLIST = "mailbot-uidlist"
KEYWORDS = "dovecot-keywords"
SYSTEM_FLAGS = {"\\Flagged": "F", "\\Answered": "R", "\\Draft": "D", "\\Deleted": "T"}


@dataclass
class _Folder:
    """One selected Maildir folder: its directory, UIDVALIDITY and uid → file name map."""

    name: str
    path: Path
    uidvalidity: int
    next_uid: int
    files: dict[int, str] = field(default_factory=dict)  # uid → "cur/<name>" or "new/<name>"


class MaildirSource:
    """A `Source` on a local Maildir; entering checks the path, nothing stays open."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        processed_flag: str | None = DEFAULT_PROCESSED_FLAG,
        processed_folder: str | None = None,
    ) -> None:
        if processed_flag == "\\Seen":
            raise ValueError("\\Seen is the reader's state, not ours: pick another flag")
        self.path = Path(path)
        self.batch_size = check_batch_size(batch_size)
        self.processed_flag = processed_flag
        self.processed_folder = _nfc(processed_folder) if processed_folder else None
        self._folder: _Folder | None = None

    def __repr__(self) -> str:
        return f"MaildirSource({str(self.path)!r})"

    def __enter__(self) -> Self:
        """Check that the path is a Maildir (cur/ or new/ present); raises SourceError if not."""
        if not any((self.path / sub).is_dir() for sub in ("cur", "new")):
            raise SourceError(f"not a Maildir (no cur/ or new/ inside): {self.path}")
        # A Maildir kept in git or a wheel loses its empty directories; put them back.
        try:
            for sub in ("cur", "new", "tmp"):
                (self.path / sub).mkdir(exist_ok=True)
        except OSError as exc:
            raise SourceError(f"cannot complete Maildir {self.path}: {exc.strerror}") from None
        self._folder = None
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._folder = None

    # --- Source -----------------------------------------------------------------------------

    def select(self, folder: str) -> int:
        """Scan `folder`, give new files the next UIDs (persisted) and return its UIDVALIDITY."""
        folder = _nfc(folder)
        path = self.folder_path(folder)
        if not (path / "cur").is_dir():
            raise SourceError(f"Maildir folder {folder!r} does not exist under {self.path}")
        self._folder = _scan(folder, path)
        return self._folder.uidvalidity

    def all_uids(self) -> list[int]:
        """Every UID in the selected folder, ascending."""
        return sorted(self._current().files)

    def list_after(self, last_uid: int) -> Iterator[list[MessageRef]]:
        """Yield refs with UID > last_uid in batches of `batch_size`; rescan = list_after(0)."""
        folder = self._current()
        uids = [uid for uid in sorted(folder.files) if uid > last_uid]
        for chunk in chunks(uids, self.batch_size):
            batch = []
            for uid in chunk:
                try:
                    stat = (folder.path / folder.files[uid]).stat()
                except FileNotFoundError:
                    continue  # moved or deleted by someone else since select
                batch.append(
                    MessageRef(
                        folder=folder.name,
                        uidvalidity=folder.uidvalidity,
                        uid=uid,
                        size=stat.st_size,
                        # Maildir keeps the delivery time as the file's mtime (Dovecot does too).
                        internal_date=datetime.fromtimestamp(stat.st_mtime, UTC),
                    )
                )
            if batch:
                yield batch

    def fetch(self, ref: MessageRef) -> bytes:
        """The message file's bytes; MessageGoneError if it was removed."""
        folder = self._for(ref)
        try:
            return (folder.path / self._locate(folder, ref.uid)).read_bytes()
        except FileNotFoundError:
            raise MessageGoneError(f"message UID {ref.uid} is gone from {ref.folder!r}") from None

    def fetch_header(self, ref: MessageRef) -> bytes:
        """Only the header block of the message file (up to the first blank line)."""
        raw = self.fetch(ref)
        end = min((i for i in (raw.find(b"\r\n\r\n"), raw.find(b"\n\n")) if i >= 0), default=-1)
        return raw if end < 0 else raw[: end + 2]

    def mark_processed(self, refs: Sequence[MessageRef]) -> None:
        """Add the processed flag and/or move into the processed folder, by renaming files."""
        for ref in refs:
            folder = self._for(ref)
            try:
                relative = self._locate(folder, ref.uid)
            except FileNotFoundError:
                raise MessageGoneError(
                    f"message UID {ref.uid} is gone from {ref.folder!r}"
                ) from None
            target = folder.path
            if self.processed_folder and self.processed_folder != folder.name:
                target = self._ensure_folder(self.processed_folder)
            key, flags = _split(Path(relative).name)
            if self.processed_flag:
                flags |= {_flag_letter(target, self.processed_flag)}
            new_name = f"{key}:2,{''.join(sorted(flags))}"
            os.rename(folder.path / relative, target / "cur" / new_name)
            if target == folder.path:
                folder.files[ref.uid] = f"cur/{new_name}"
            else:
                del folder.files[ref.uid]

    # --- helpers ----------------------------------------------------------------------------

    def folder_path(self, folder: str) -> Path:
        """The directory of `folder`: the root for INBOX, else ".<modified UTF-7 name>"."""
        if folder.upper() == "INBOX":
            return self.path
        if "/" in folder or folder.startswith(".") or not folder.strip():
            raise SourceError(f"unusable Maildir folder name {folder!r}")
        encoded: bytes = imap_utf7.encode(folder)
        return self.path / ("." + encoded.decode("ascii"))

    def _ensure_folder(self, folder: str) -> Path:
        path = self.folder_path(folder)
        if not (path / "cur").is_dir():
            # The stdlib writes the Maildir++ layout (cur/new/tmp and the maildirfolder marker).
            stdlib_mailbox.Maildir(str(self.path), factory=None).add_folder(path.name[1:])
        return path

    def _current(self) -> _Folder:
        if self._folder is None:
            raise SourceError("Maildir: no folder selected (call select first)")
        return self._folder

    def _for(self, ref: MessageRef) -> _Folder:
        if self._folder is None or self._folder.name != ref.folder:
            self.select(ref.folder)
        folder = self._current()
        if folder.uidvalidity != ref.uidvalidity:
            raise SourceError(
                f"UIDVALIDITY of {ref.folder!r} changed ({ref.uidvalidity} → "
                f"{folder.uidvalidity}); rescan the folder"
            )
        return folder

    def _locate(self, folder: _Folder, uid: int) -> str:
        """The file of `uid`, rescanning once if a mail client renamed it meanwhile."""
        relative = folder.files.get(uid)
        if relative and (folder.path / relative).exists():
            return relative
        fresh = _scan(folder.name, folder.path)
        folder.files = fresh.files
        if uid not in folder.files:
            raise FileNotFoundError(uid)
        return folder.files[uid]


def _nfc(name: str) -> str:
    return unicodedata.normalize("NFC", name)


def _split(filename: str) -> tuple[str, set[str]]:
    """Split "<key>:2,<flags>" into the key and its flag letters."""
    key, _, info = filename.partition(":")
    return key, set(info[2:]) if info.startswith("2,") else set()


def _delivery_order(key: str) -> tuple[int, int, str]:
    # Keys start "<seconds>.M<microseconds>P…" (Dovecot, Python); other shapes sort after.
    match = re.match(r"(\d+)\.(?:M(\d+))?", key)
    if not match:
        return (2**62, 0, key)
    return (int(match[1]), int(match[2] or 0), key)


def _scan(name: str, path: Path) -> _Folder:
    """Read the uid list, number files it does not know, drop vanished ones, save it."""
    present: dict[str, str] = {}
    for sub in ("new", "cur"):
        for entry in os.listdir(path / sub):
            if not entry.startswith("."):
                present[_split(entry)[0]] = f"{sub}/{entry}"
    folder, known = _read_uidlist(name, path)
    for uid, key in known.items():
        if key in present:
            folder.files[uid] = present.pop(key)
    for key in sorted(present, key=_delivery_order):
        folder.files[folder.next_uid] = present[key]
        folder.next_uid += 1
    _write_uidlist(folder)
    return folder


def _read_uidlist(name: str, path: Path) -> tuple[_Folder, dict[int, str]]:
    try:
        lines = (path / UIDLIST).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        # A new list is a new UIDVALIDITY: whatever was stored for this folder must be rescanned.
        return _Folder(name, path, uidvalidity=int(time.time()), next_uid=1), {}
    try:
        _magic, validity, next_uid = lines[0].split()
        known = {int(u): k for u, k in (line.split(" ", 1) for line in lines[1:] if line)}
    except ValueError:
        raise SourceError(f"damaged {UIDLIST} in {path}; delete it to renumber") from None
    return _Folder(name, path, int(validity), int(next_uid)), known


def _write_uidlist(folder: _Folder) -> None:
    lines = [f"mailbot-uidlist-1 {folder.uidvalidity} {folder.next_uid}"]
    lines += [f"{uid} {_split(Path(rel).name)[0]}" for uid, rel in sorted(folder.files.items())]
    temporary = folder.path / f".{UIDLIST}.tmp"
    try:
        temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
        os.replace(temporary, folder.path / UIDLIST)
    except OSError as exc:
        raise SourceError(f"cannot save {UIDLIST} in {folder.path}: {exc.strerror}") from None


def _flag_letter(folder_path: Path, flag: str) -> str:
    """The Maildir letter of `flag` in this folder; keywords get a–z via dovecot-keywords."""
    if flag in SYSTEM_FLAGS:
        return SYSTEM_FLAGS[flag]
    keywords_file = folder_path / KEYWORDS
    names: dict[int, str] = {}
    if keywords_file.exists():
        for line in keywords_file.read_text(encoding="utf-8").splitlines():
            number, _, keyword = line.partition(" ")
            if number.isdigit():
                names[int(number)] = keyword
    for index, keyword in names.items():
        if keyword == flag:
            return chr(ord("a") + index)
    free = next((i for i in range(26) if i not in names), None)
    if free is None:
        raise SourceError(f"no free Maildir keyword letter for {flag} in {folder_path}")
    with keywords_file.open("a", encoding="utf-8") as out:
        out.write(f"{free} {flag}\n")
    return chr(ord("a") + free)
