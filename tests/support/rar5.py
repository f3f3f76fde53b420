"""A tiny RAR 5 writer for tests: members stored (not compressed), optionally marked encrypted.

No free RAR writer exists (RAR compression is proprietary), so the .rar fixtures are made here
by code from the published format (www.rarlab.com/technote.htm, "RAR 5.0 archive format"):
signature, main header, one file header per member with its bytes stored as they are, end
header. rarfile reads stored members in Python, with no unpacking tool. `encrypted` members
carry the file encryption record (AES-256) with random bytes, as a password-protected
archive's members do; `locked_headers` writes an archive encryption header first, as
"encrypt file names" does.
"""

from __future__ import annotations

import os
import struct
import zlib

SIGNATURE = b"Rar!\x1a\x07\x01\x00"
MAIN, FILE, ENCRYPTION, END = 1, 2, 4, 5
HAS_EXTRA, HAS_DATA = 0x0001, 0x0002
FILE_HAS_CRC = 0x0004


def vint(n: int) -> bytes:
    """RAR's variable-length integer: 7 bits a byte, low bits first, high bit = more."""
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def block(
    kind: int, flags: int, body: bytes, extra: bytes = b"", data_size: int | None = None
) -> bytes:
    """One header block: CRC32, size, type, flags, [extra size], [data size], body, extra."""
    fields = vint(kind) + vint(
        flags | (HAS_EXTRA if extra else 0) | (HAS_DATA if data_size is not None else 0)
    )
    if extra:
        fields += vint(len(extra))
    if data_size is not None:
        fields += vint(data_size)
    fields += body + extra
    sized = vint(len(fields)) + fields
    return struct.pack("<I", zlib.crc32(sized)) + sized


def _encryption_record() -> bytes:
    # Version 0 (AES-256), no flags, KDF count 15, salt and IV.
    record = vint(0x01) + vint(0) + vint(0) + bytes([15]) + os.urandom(16) + os.urandom(16)
    return vint(len(record)) + record


def rar5(
    members: list[tuple[str, bytes]],
    *,
    encrypted: bool = False,
    locked_headers: bool = False,
    method: int = 0,
) -> bytes:
    """A RAR 5 archive holding `members` (name, bytes), stored.

    `method` > 0 labels the stored bytes as compressed with that method (1 fastest … 5 best):
    a member no unpacker can read, as in a damaged archive.
    """
    out = bytearray(SIGNATURE)
    if locked_headers:
        body = vint(0) + vint(0) + bytes([15]) + os.urandom(16)
        out += block(ENCRYPTION, 0, body)
        out += os.urandom(64)  # what follows is ciphertext: unreadable without the password
        return bytes(out)
    out += block(MAIN, 0, vint(0))
    for name, data in members:
        encoded = name.encode("utf-8")
        body = (
            vint(FILE_HAS_CRC)
            + vint(len(data))
            + vint(0x20)  # attributes: archive
            + struct.pack("<I", zlib.crc32(data))
            + vint(method << 7)  # compression: version 0, method in bits 7-9 (0: store)
            + vint(0)  # host OS: Windows
            + vint(len(encoded))
            + encoded
        )
        extra = _encryption_record() if encrypted else b""
        out += block(FILE, 0, body, extra, data_size=len(data)) + data
    out += block(END, 0, vint(0))
    return bytes(out)
