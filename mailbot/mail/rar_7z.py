"""Opening attached .rar and .7z archives, one level deep, within the .zip limits.

Owns recognising RAR (4 and 5) and 7z by their bytes, name or type, and taking their members
out with rarfile and py7zr under `containers.ArchiveLimits` (member count, total size, ratio;
checked on the declared sizes before anything is unpacked, and reads capped to them). A
password-protected archive or member, a broken one, or a RAR member bsdtar cannot unpack gets
a Vietnamese reason. Pure functions on bytes, except that compressed RAR members are unpacked
by `rar_tool` (bsdtar); stored ones are read in Python by rarfile.
"""

from __future__ import annotations

import io
import lzma
import unicodedata
import zlib
from typing import TYPE_CHECKING, Literal

from mailbot.mail import rar_tool
from mailbot.mail.containers import (
    ArchiveLimits,
    ZipResult,
    broken_member,
    check_sizes,
    encrypted,
    is_junk,
    is_other_archive,
    is_zip_name,
    refuse_nested,
)

if TYPE_CHECKING:  # imported when an archive comes: py7zr alone costs ~0.1 s at start-up
    import rarfile

__all__ = ["ArchiveKind", "archive_kind", "open_archive"]

ArchiveKind = Literal["rar", "7z"]
RAR_MAGIC = (b"Rar!\x1a\x07\x00", b"Rar!\x1a\x07\x01\x00")
SEVEN_ZIP_MAGIC = b"7z\xbc\xaf\x27\x1c"
_NAMES: dict[str, ArchiveKind] = {".rar": "rar", ".7z": "7z"}
_TYPES: dict[str, ArchiveKind] = {
    "application/x-rar-compressed": "rar",
    "application/vnd.rar": "rar",
    "application/x-rar": "rar",
    "application/x-7z-compressed": "7z",
}
_LABEL = {"rar": "RAR", "7z": "7z"}


def archive_kind(name: str, content_type: str, data: bytes) -> ArchiveKind | None:
    """ "rar" or "7z" when the bytes (or else the name or type) say so; None otherwise."""
    if data.startswith(RAR_MAGIC):
        return "rar"
    if data.startswith(SEVEN_ZIP_MAGIC):
        return "7z"
    dot = name.rfind(".")
    return _NAMES.get(name[dot:].lower() if dot > 0 else "") or _TYPES.get(content_type)


def open_archive(kind: ArchiveKind, data: bytes, name: str, limits: ArchiveLimits) -> ZipResult:
    """Members of a .rar or .7z (junk, folders and nested archives left out); never raises."""
    opener = _open_rar if kind == "rar" else _open_7z
    try:
        return opener(data, name, limits)
    except _PasswordNeeded:
        return ZipResult(files=[], skipped=[(name, _locked(name))])
    except _Broken:
        return ZipResult(files=[], skipped=[(name, _broken(name))])


class _PasswordNeeded(Exception):
    """The archive's listing itself is behind a password."""


class _Broken(Exception):
    """The archive cannot be listed."""


def _open_rar(data: bytes, name: str, limits: ArchiveLimits) -> ZipResult:
    import rarfile

    try:
        rf = rarfile.RarFile(io.BytesIO(data))
        infos = [i for i in rf.infolist() if not i.is_dir()]
        if not infos and rf.needs_password():  # "encrypt file names": nothing listed
            raise _PasswordNeeded
        if not infos:  # cut short in its listing: rarfile lists nothing rather than fail
            raise _Broken
    except (rarfile.PasswordRequired, _PasswordNeeded):
        raise _PasswordNeeded from None
    except _Broken:
        raise
    except (rarfile.Error, OSError, ValueError, EOFError, IndexError) as exc:
        raise _Broken from exc
    result = ZipResult(files=[], skipped=[])
    wanted = [(i, _base(i.filename)) for i in infos]
    wanted = [(i, m) for i, m in wanted if m and not is_junk(i.filename, m)]
    refusal = check_sizes([i.file_size or 0 for i, _ in wanted], len(data), name, limits)
    if refusal:
        result.skipped.append((name, refusal))
        return result
    unpacked: dict[str, bytes] | None = None
    for info, member in wanted:
        if _nested(member):
            result.skipped.append((member, refuse_nested(member, name)))
        elif info.needs_password():
            result.skipped.append((member, encrypted(member, name)))
        elif info.compress_type == rarfile.RAR_M0:  # stored: read in Python
            try:
                with rf.open(info) as fp:
                    result.files.append((member, fp.read(info.file_size or 0)))
            except (rarfile.Error, OSError, ValueError, EOFError, zlib.error):
                result.skipped.append((member, broken_member(member, name)))
        else:
            if unpacked is None:  # one bsdtar run unpacks every compressed member
                try:
                    unpacked = rar_tool.unpack(data, limits.max_total_bytes)
                except rar_tool.RarToolError:
                    unpacked = {}
            found = unpacked.get(info.filename.replace("\\", "/"))
            if found is None or not _intact(found, info):
                result.skipped.append((member, _not_unpacked(member, name)))
            else:
                result.files.append((member, found))
    return result


def _open_7z(data: bytes, name: str, limits: ArchiveLimits) -> ZipResult:
    import py7zr
    import py7zr.exceptions
    import py7zr.io

    try:
        sz = py7zr.SevenZipFile(io.BytesIO(data), mode="r")
        if sz.needs_password():
            raise _PasswordNeeded
        infos = [i for i in sz.list() if not i.is_directory]
        if not infos:  # nothing in it: never let the attachment vanish without a word
            raise _Broken
    except py7zr.exceptions.PasswordRequired:
        raise _PasswordNeeded from None
    except (_PasswordNeeded, _Broken):
        raise
    except (py7zr.exceptions.ArchiveError, OSError, ValueError, EOFError, KeyError,
            IndexError, TypeError, lzma.LZMAError) as exc:  # fmt: skip
        raise _Broken from exc
    result = ZipResult(files=[], skipped=[])
    wanted = {i.filename: _base(i.filename) for i in infos}
    wanted = {path: m for path, m in wanted.items() if m and not is_junk(path, m)}
    sizes = [i.uncompressed or 0 for i in infos if i.filename in wanted]
    refusal = check_sizes(sizes, len(data), name, limits)
    if refusal:
        result.skipped.append((name, refusal))
        return result
    targets = []
    for path, member in wanted.items():
        if _nested(member):
            result.skipped.append((member, refuse_nested(member, name)))
        else:
            targets.append(path)
    if not targets:
        return result
    # Each member's buffer is capped at the checked total: a lying header cannot inflate it.
    factory = py7zr.io.BytesIOFactory(limits.max_total_bytes)
    try:
        sz.extract(targets=targets, factory=factory)
    except (py7zr.exceptions.ArchiveError, OSError, ValueError, EOFError, KeyError,
            IndexError, TypeError, lzma.LZMAError) as exc:  # fmt: skip
        del exc
        result.skipped += [(wanted[p], broken_member(wanted[p], name)) for p in targets]
        return result
    for path in targets:
        buffer = factory.products.get(path)
        if buffer is None:
            result.skipped.append((wanted[path], broken_member(wanted[path], name)))
            continue
        buffer.seek(0)
        result.files.append((wanted[path], buffer.read()))
    return result


def _intact(data: bytes, info: rarfile.RarInfo) -> bool:
    """The unpacked bytes have the declared size and CRC32 (bsdtar checks neither for all)."""
    if len(data) != info.file_size:
        return False
    return info.CRC is None or zlib.crc32(data) == info.CRC


def _base(path: str) -> str:
    """A member's base name, NFC ("" for a folder or an empty name)."""
    base = path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    return unicodedata.normalize("NFC", base).strip()


def _nested(member: str) -> bool:
    return is_zip_name(member) or is_other_archive(member)


def _broken(name: str) -> str:
    return (
        f"Tệp nén “{name}” bị hỏng, không mở được. Xin gửi lại tệp, hoặc gửi trực tiếp tệp "
        ".xlsx hoặc .docx (không nén)."
    )


def _locked(name: str) -> str:
    return (
        f"Tệp nén “{name}” có mật khẩu nên không mở được. Xin gửi tệp .xlsx hoặc .docx "
        "trực tiếp, hoặc nén lại không đặt mật khẩu."
    )


def _not_unpacked(member: str, name: str) -> str:
    return (
        f"Tệp “{member}” trong tệp nén “{name}” (RAR) không giải nén được trên máy chủ. "
        "Xin gửi trực tiếp tệp .xlsx hoặc .docx, hoặc nén bằng định dạng .zip."
    )
