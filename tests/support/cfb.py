"""A small Compound File Binary (OLE2) writer for tests: storages and streams from a mapping.

No Python library writes Outlook .msg files, so the .msg fixtures are built by code on this
writer (tests/support/outlook_msg.py). It follows MS-CFB version 3 (512-byte sectors):
header, FAT, directory, mini FAT and mini stream (streams under 4096 bytes), large streams.
Siblings in a storage are chained right-leaning in CFB name order, a valid (all-black) tree.
"""

from __future__ import annotations

import itertools
import struct
from dataclasses import dataclass, field

SECTOR = 512
MINI = 64
CUTOFF = 4096
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
STORAGE, STREAM, ROOT = 1, 2, 5


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: list[_Entry] = field(default_factory=list)
    sid: int = 0
    start: int = END
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM


def _order(entry: _Entry) -> tuple[int, str]:
    return (len(entry.name), entry.name.upper())


def _tree(streams: dict[str, bytes]) -> _Entry:
    root = _Entry("Root Entry", ROOT)
    for path, data in streams.items():
        node = root
        *folders, leaf = path.split("/")
        for folder in folders:
            found = next((c for c in node.children if c.name == folder), None)
            if found is None:
                found = _Entry(folder, STORAGE)
                node.children.append(found)
            node = found
        node.children.append(_Entry(leaf, STREAM, data))
    return root


def _flatten(root: _Entry) -> list[_Entry]:
    entries, todo = [], [root]
    while todo:
        entry = todo.pop(0)
        entry.sid = len(entries)
        entries.append(entry)
        todo.extend(sorted(entry.children, key=_order))
    for entry in entries:
        kids = sorted(entry.children, key=_order)
        if kids:
            entry.child = kids[0].sid
            for a, b in itertools.pairwise(kids):
                a.right = b.sid
    return entries


def _pad(data: bytes, size: int) -> bytes:
    return data + b"\0" * (-len(data) % size)


def cfb(streams: dict[str, bytes]) -> bytes:
    """A compound file holding `streams` ("storage/sub/stream" → bytes)."""
    entries = _flatten(_tree(streams))
    mini_stream, mini_fat = b"", []
    large: list[_Entry] = []
    for entry in entries:
        if entry.kind != STREAM:
            continue
        if len(entry.data) >= CUTOFF:
            large.append(entry)
        elif entry.data:
            first = len(mini_stream) // MINI
            count = -(-len(entry.data) // MINI)
            entry.start = first
            mini_fat += [first + i + 1 for i in range(count - 1)] + [END]
            mini_stream += _pad(entry.data, MINI)
    directory = _pad(b"".join(_dir_entry(e, 0, 0) for e in entries), SECTOR)  # sizes later
    sections = {
        "dir": len(directory) // SECTOR,
        "minifat": -(-len(mini_fat) * 4 // SECTOR),
        "ministream": -(-len(mini_stream) // SECTOR),
    }
    large_sectors = [-(-len(e.data) // SECTOR) for e in large]
    body = sum(sections.values()) + sum(large_sectors)
    n_fat = 1
    while n_fat * (SECTOR // 4) < n_fat + body:
        n_fat += 1
    fat: list[int] = [FATSECT] * n_fat
    starts = {}

    def chain(count: int) -> int:
        """Allocate `count` chained sectors; the first one's number."""
        if count == 0:
            return END
        first = len(fat)
        fat.extend(first + i + 1 for i in range(count - 1))
        fat.append(END)
        return first

    starts["dir"] = chain(sections["dir"])
    starts["minifat"] = chain(sections["minifat"])
    starts["ministream"] = chain(sections["ministream"])
    for entry, count in zip(large, large_sectors, strict=True):
        entry.start = chain(count)
    entries[0].start = starts["ministream"]
    entries[0].data = mini_stream  # the root's stream is the mini stream container
    directory = _pad(b"".join(_dir_entry(e, e.start, len(e.data)) for e in entries), SECTOR)
    fat += [FREE] * (n_fat * (SECTOR // 4) - len(fat))
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\0" * 16, 0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6,
        0, n_fat, starts["dir"], 0, CUTOFF,
        starts["minifat"], sections["minifat"], END, 0,
    )  # fmt: skip
    difat = list(range(n_fat)) + [FREE] * (109 - n_fat)
    header += struct.pack("<109I", *difat)
    out = bytearray(header)
    out += struct.pack(f"<{len(fat)}I", *fat)
    out += directory
    out += _pad(struct.pack(f"<{len(mini_fat)}I", *mini_fat), SECTOR) if mini_fat else b""
    out += _pad(mini_stream, SECTOR)
    for entry in large:
        out += _pad(entry.data, SECTOR)
    return bytes(out)


def _dir_entry(entry: _Entry, start: int, size: int) -> bytes:
    name = entry.name.encode("utf-16-le")
    if entry.kind == STORAGE or (entry.kind == STREAM and not entry.data):
        start = END if entry.kind == STREAM else 0
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name, len(name) + 2, entry.kind, 1, entry.left, entry.right, entry.child,
        b"\0" * 16, 0, 0, 0, start, size,
    )  # fmt: skip
