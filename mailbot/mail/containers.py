"""Opening attached archives: .zip members out, other archive kinds refused with a reason.

(.rar and .7z are opened by `mail.rar_7z`, with the limits and reasons defined here.)

Owns the archive limits (members, uncompressed size, compression ratio), the decoding of
member names (UTF-8 flag, Info-ZIP Unicode Path field, CP437 that really holds UTF-8 or
CP1258) and the Vietnamese reasons given when an archive is not opened. Pure functions on
bytes; no files, no email objects. Zip members that are archives again are not opened.
"""

from __future__ import annotations

import io
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass

__all__ = [
    "ArchiveLimits",
    "ZipResult",
    "is_other_archive",
    "is_zip_name",
    "open_zip",
    "refuse_nested",
    "refuse_other_archive",
]

_MB = 1024 * 1024


@dataclass(frozen=True)
class ArchiveLimits:
    """Bounds on what one attached .zip may expand to before it is refused unopened."""

    max_members: int = 100
    max_total_bytes: int = 100 * _MB
    # Office files are already compressed; a ratio far above what text reaches is a bomb.
    max_ratio: float = 100.0
    # Small archives may show high ratios (a few KB of CSV); the ratio counts only above this.
    ratio_floor_bytes: int = 1 * _MB


@dataclass
class ZipResult:
    """Members taken out of one archive, and (name, reason) for what was not taken."""

    files: list[tuple[str, bytes]]
    skipped: list[tuple[str, str]]


ZIP_TYPES = {"application/zip", "application/x-zip-compressed", "application/x-zip"}
OTHER_ARCHIVES = {
    ".rar": "RAR",
    ".7z": "7z",
    ".tar": "tar",
    ".gz": "gzip",
    ".tgz": "gzip",
    ".bz2": "bzip2",
    ".xz": "xz",
    ".zst": "zstd",
}
OTHER_ARCHIVE_TYPES = {
    "application/x-rar-compressed": "RAR",
    "application/vnd.rar": "RAR",
    "application/x-rar": "RAR",
    "application/x-7z-compressed": "7z",
    "application/x-tar": "tar",
    "application/gzip": "gzip",
    "application/x-gzip": "gzip",
}
# Files archivers add that nobody meant to send.
_JUNK_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}
_UNICODE_PATH_FIELD = 0x7075


def _ext(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def is_zip_name(name: str, content_type: str = "") -> bool:
    """True for a .zip by name, or a zip content type on a part with no Office extension."""
    if _ext(name) == ".zip":
        return True
    # .xlsx/.docx are zips too: the content type alone must not open them.
    return content_type in ZIP_TYPES and _ext(name) in ("", ".bin")


def is_other_archive(name: str, content_type: str = "") -> bool:
    """True for archive kinds mailbot does not open (.rar, .7z, .tar, .gz, ...)."""
    return _ext(name) in OTHER_ARCHIVES or content_type in OTHER_ARCHIVE_TYPES


def refuse_other_archive(name: str, content_type: str = "") -> str:
    """The Vietnamese reason for not opening a .rar/.7z/... attachment."""
    kind = OTHER_ARCHIVES.get(_ext(name)) or OTHER_ARCHIVE_TYPES.get(content_type, "nén")
    return (
        f"Tệp nén “{name}” (định dạng {kind}) không mở được tự động. Xin gửi trực tiếp "
        "tệp .xlsx hoặc .docx (không nén), hoặc nén bằng định dạng .zip."
    )


def open_zip(data: bytes, name: str, limits: ArchiveLimits) -> ZipResult:
    """Members of a .zip (junk, folders and nested archives left out); never raises."""
    result = ZipResult(files=[], skipped=[])
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in zf.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error):
        result.skipped.append((name, _broken(name)))
        return result
    wanted = [(i, member_name(i)) for i in infos]
    wanted = [(i, n) for i, n in wanted if n and not _is_junk(i, n)]
    refusal = _check_limits([i for i, _ in wanted], len(data), name, limits)
    if refusal:
        result.skipped.append((name, refusal))
        return result
    for info, member in wanted:
        if is_zip_name(member) or is_other_archive(member):
            result.skipped.append((member, refuse_nested(member, name)))
            continue
        if info.flag_bits & 0x1:
            result.skipped.append((member, _encrypted(member, name)))
            continue
        try:
            with zf.open(info) as fp:
                # zipfile stops at the declared size, which _check_limits already bounded.
                result.files.append((member, fp.read()))
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError):
            result.skipped.append((member, _broken_member(member, name)))
    return result


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's base name, decoded sensibly and NFC; "" for an empty name."""
    if info.flag_bits & 0x800:
        text = info.filename
    else:
        raw = info.filename.encode("cp437")  # zipfile decoded the raw bytes as CP437
        text = _unicode_path(info.extra, raw) or _guess_decode(raw)
    base = text.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    return unicodedata.normalize("NFC", base).strip()


def _guess_decode(raw: bytes) -> str:
    if raw.isascii():
        return raw.decode("ascii")
    try:
        return raw.decode("utf-8")  # macOS, Linux and 7-Zip write UTF-8 without the flag
    except UnicodeDecodeError:
        pass
    # Vietnamese Windows writes its legacy code page CP1258, whose upper half is letters and
    # tone marks; read as CP437 those bytes are box drawing. A true CP437 name (é, ü, ñ)
    # reads as punctuation in CP1258. So the decoding with more letters wins.
    vietnamese = raw.decode("cp1258", errors="replace")
    western = raw.decode("cp437")
    return western if _letters(western) > _letters(vietnamese) else vietnamese


# CP1258's 0x80-0x9F block (ƒ, ˆ, Œ, œ, Ÿ and punctuation); no Vietnamese name uses it.
_NOT_VIETNAMESE = set(bytes(range(0x80, 0xA0)).decode("cp1258", errors="ignore"))


def _letters(text: str) -> int:
    return sum(
        1
        for ch in text
        if (ch.isalpha() and ch not in _NOT_VIETNAMESE) or unicodedata.combining(ch)
    )


def _unicode_path(extra: bytes, raw_name: bytes) -> str | None:
    """The Info-ZIP Unicode Path extra field, when present and matching the header name."""
    pos = 0
    while pos + 4 <= len(extra):
        field_id, size = struct.unpack_from("<HH", extra, pos)
        body = extra[pos + 4 : pos + 4 + size]
        pos += 4 + size
        if field_id != _UNICODE_PATH_FIELD or len(body) < 5 or body[0] != 1:
            continue
        (crc,) = struct.unpack_from("<I", body, 1)
        if crc != zlib.crc32(raw_name):
            return None  # the name was changed after the field was written: trust the name
        try:
            return body[5:].decode("utf-8")
        except UnicodeDecodeError:
            return None
    return None


def _is_junk(info: zipfile.ZipInfo, name: str) -> bool:
    return is_junk(info.filename, name)


def is_junk(path: str, name: str) -> bool:
    """True for members archivers add that nobody meant to send (Mac forks, Thumbs.db, ~$)."""
    path = path.replace("\\", "/")
    return (
        path.startswith("__MACOSX/")
        or "/__MACOSX/" in path
        or name.startswith("._")
        or name.lower() in _JUNK_NAMES
        or name.startswith("~$")  # Office lock files
    )


def _check_limits(
    infos: list[zipfile.ZipInfo], archive_size: int, name: str, limits: ArchiveLimits
) -> str | None:
    return check_sizes([i.file_size for i in infos], archive_size, name, limits)


def check_sizes(
    sizes: list[int], archive_size: int, name: str, limits: ArchiveLimits
) -> str | None:
    """The Vietnamese reason an archive of members of `sizes` is refused unopened, or None."""
    if len(sizes) > limits.max_members:
        return (
            f"Tệp nén “{name}” chứa quá nhiều tệp ({len(sizes)}, tối đa "
            f"{limits.max_members}). Xin chỉ gửi tệp báo cáo."
        )
    total = sum(sizes)
    if total > limits.max_total_bytes:
        return (
            f"Tệp nén “{name}” quá lớn khi giải nén (hơn {limits.max_total_bytes // _MB} MB). "
            "Xin gửi trực tiếp tệp .xlsx hoặc .docx."
        )
    if total > limits.ratio_floor_bytes and total > limits.max_ratio * max(archive_size, 1):
        return (
            f"Tệp nén “{name}” có tỉ lệ nén bất thường nên không được giải nén để bảo đảm an "
            "toàn. Xin gửi trực tiếp tệp .xlsx hoặc .docx."
        )
    return None


def broken(name: str) -> str:
    """The Vietnamese reason for an archive that cannot be opened at all."""
    return _broken(name)


def broken_member(member: str, name: str) -> str:
    """The Vietnamese reason for one member that cannot be read."""
    return _broken_member(member, name)


def encrypted(member: str, name: str) -> str:
    """The Vietnamese reason for a member behind a password."""
    return _encrypted(member, name)


def _broken(name: str) -> str:
    return f"Tệp nén “{name}” bị hỏng, không mở được. Xin gửi lại tệp."


def _broken_member(member: str, name: str) -> str:
    return f"Tệp “{member}” trong tệp nén “{name}” bị hỏng, không đọc được. Xin gửi lại tệp."


def _encrypted(member: str, name: str) -> str:
    return (
        f"Tệp “{member}” trong tệp nén “{name}” có mật khẩu nên không mở được. "
        "Xin gửi tệp không đặt mật khẩu."
    )


def refuse_nested(member: str, name: str) -> str:
    """The Vietnamese reason for not opening an archive found inside another archive."""
    return (
        f"Tệp nén “{member}” nằm trong tệp nén “{name}”; hệ thống chỉ mở một lớp nén. "
        "Xin gửi trực tiếp tệp .xlsx hoặc .docx."
    )
