"""The mailbox interface a poll cycle reads from: the `Source` protocol and `MessageRef`.

Owns only the contract; the IMAP edge is `mailbox/imap.py`, the Maildir edge
`mailbox/maildir.py`. No I/O here. A source never decides what is new: the store does, from
(folder, uidvalidity, uid), Message-ID and content hashes.

A cycle, in order:

    with source:
        uidvalidity = source.select("INBOX")
        # if uidvalidity differs from the stored one, rescan: last_uid = 0
        for batch in source.list_after(last_uid):
            for ref in batch:
                raw = source.fetch(ref)        # never sets \\Seen
                ...
            source.mark_processed(batch)       # keyword flag and/or move
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

DEFAULT_BATCH_SIZE = 100
DEFAULT_PROCESSED_FLAG = "$MailbotProcessed"


@dataclass(frozen=True)
class MessageRef:
    """Where one message lives: (folder, uidvalidity, uid) is its identity in the store."""

    folder: str
    uidvalidity: int
    uid: int
    size: int
    internal_date: datetime | None = None
    gm_msgid: int | None = None


class Source(Protocol):
    """A mailbox that lists, reads and marks messages of one selected folder at a time."""

    def __enter__(self) -> Self:
        """Connect (or open); a source can be entered again after it was exited."""
        ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Disconnect; never raises for a connection that is already gone."""
        ...

    def select(self, folder: str) -> int:
        """Make `folder` current and return its UIDVALIDITY."""
        ...

    def list_after(self, last_uid: int) -> Iterator[list[MessageRef]]:
        """Yield the current folder's messages with UID > last_uid, ascending, in batches."""
        ...

    def all_uids(self) -> list[int]:
        """Every UID in the current folder, ascending (integers only, cheap)."""
        ...

    def fetch(self, ref: MessageRef) -> bytes:
        """The message's raw bytes, read without marking it seen."""
        ...

    def fetch_header(self, ref: MessageRef) -> bytes:
        """Only the message's header block, read without marking it seen."""
        ...

    def mark_processed(self, refs: Sequence[MessageRef]) -> None:
        """Set the processed flag and/or move the messages to the processed folder."""
        ...


def check_batch_size(batch_size: int) -> int:
    """Return `batch_size` if it is a positive integer, else raise ValueError."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    return batch_size


def chunks(items: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    """Consecutive slices of `items` of at most `size` elements."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
