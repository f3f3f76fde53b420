"""Decide what a file is from its bytes (never from its name), and why we refuse what we refuse.

Owns content sniffing (magic bytes, zip members, OLE2 directory names) and the clerk-facing
reasons for kinds mailbot cannot read. Pure: bytes in, a kind out; no files, no processes.
"""

from __future__ import annotations

import io
import struct
import zipfile

from mailbot.errors import ParseError

# Kinds converted by LibreOffice first, and kinds refused with a reason.
CONVERT_TO = {
    "doc": "docx",
    "rtf": "docx",
    "odt": "docx",
    "word-xml": "docx",
    "ods": "xlsx",
    "xlsb": "xlsx",
    "excel-xml": "xlsx",
}

SEND_AGAIN = "Xin gửi lại tệp .xlsx hoặc .docx."
REASONS = {
    "empty": "Tệp đính kèm rỗng (0 byte), không có nội dung. " + SEND_AGAIN,
    "encrypted": (
        "Tệp bị đặt mật khẩu, mailbot không mở được. Xin gỡ mật khẩu rồi gửi lại tệp .xlsx/.docx."
    ),
    "pdf": (
        "Tệp PDF là bản chụp/bản đã ký, không phải bảng số liệu sửa được. "
        "Xin gửi kèm tệp .xlsx hoặc .docx gốc của biểu."
    ),
    "image": (
        "Tệp ảnh (ảnh chụp/bản quét) không đọc được số liệu. "
        "Xin gửi kèm tệp .xlsx hoặc .docx gốc của biểu."
    ),
    "archive": (
        "Tệp nén (.zip/.rar/.7z) không được mở tự động. "
        "Xin giải nén và gửi trực tiếp tệp .xlsx hoặc .docx."
    ),
    "ppt": "Tệp trình chiếu PowerPoint không chứa biểu số liệu. " + SEND_AGAIN,
    "corrupt": (
        "Tệp bị hỏng hoặc gửi chưa hết (không giải nén được). "
        "Xin mở bằng Excel/Word, lưu lại rồi gửi lại tệp .xlsx hoặc .docx."
    ),
    "unknown": "Không nhận ra định dạng tệp này (không phải tệp Excel hay Word). " + SEND_AGAIN,
}
REFUSED_AS = {
    "empty": "empty",
    "encrypted": "encrypted",
    "pdf": "pdf",
    "image": "image",
    "rar": "archive",
    "7z": "archive",
    "gzip": "archive",
    "zip": "archive",
    "ppt": "ppt",
    "corrupt-zip": "corrupt",
    "unknown": "unknown",
}

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")


def refusal(kind: str) -> str | None:
    """The Vietnamese reason mailbot refuses this kind, or None when it can be read."""
    key = REFUSED_AS.get(kind)
    return REASONS[key] if key else None


def sniff_or_refuse(data: bytes) -> str:
    """The kind of `data`; raises ParseError with the clerk's reason for unreadable kinds."""
    kind = sniff(data)
    reason = refusal(kind)
    if reason:
        raise ParseError(reason, f"refused kind {kind}")
    return kind


def sniff(data: bytes) -> str:
    """Name the kind of file `data` is, judging by content only."""
    if not data:
        return "empty"
    head = data[:16]
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _sniff_zip(data)
    if head.startswith(OLE_MAGIC):
        return _sniff_ole(data)
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(IMAGE_MAGIC) or _is_riff_webp(head) or _is_heic(head):
        return "image"
    if head.startswith(b"Rar!\x1a\x07"):
        return "rar"
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return "7z"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    return _sniff_text(data)


def _is_riff_webp(head: bytes) -> bool:
    return head.startswith(b"RIFF") and head[8:12] == b"WEBP"


def _is_heic(head: bytes) -> bool:
    return head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"avif")


def _sniff_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            mimetype = _small_member(zf, "mimetype")
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return "corrupt-zip"
    if "xl/workbook.xml" in names:
        return "xlsm" if "xl/vbaProject.bin" in names else "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "word/document.xml" in names:
        return "docm" if "word/vbaProject.bin" in names else "docx"
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        return "ods"
    if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
        return "odt"
    if "ppt/presentation.xml" in names:
        return "ppt"
    return "zip"


def _small_member(zf: zipfile.ZipFile, name: str) -> bytes:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return b""
    if info.file_size > 200:
        return b""
    return zf.read(info)


def _sniff_ole(data: bytes) -> str:
    names = {n.lower() for n in ole_stream_names(data)}
    if "encryptioninfo" in names or "encryptedpackage" in names:
        return "encrypted"
    if "workbook" in names or "book" in names:
        return "xls"
    if "worddocument" in names:
        return "doc"
    if "powerpoint document" in names:
        return "ppt"
    return "unknown"


def ole_stream_names(data: bytes) -> list[str]:
    """Names in an OLE2 (CFB) directory; falls back to a raw scan when the header is damaged."""
    try:
        return _cfb_directory(data)
    except (struct.error, ValueError, IndexError):
        return _scan_names(data)


def _cfb_directory(data: bytes) -> list[str]:
    shift = struct.unpack_from("<H", data, 0x1E)[0]
    if shift not in (9, 12):
        raise ValueError("bad sector shift")
    size = 1 << shift
    first_dir = struct.unpack_from("<I", data, 0x30)[0]
    fat = _cfb_fat(data, size)
    names: list[str] = []
    sid, seen = first_dir, set[int]()
    while sid < 0xFFFFFFFA and sid not in seen and len(seen) < 4096:
        seen.add(sid)
        start = (sid + 1) * size
        if start + size > len(data):
            raise ValueError("directory sector beyond end")
        for off in range(start, start + size, 128):
            length = struct.unpack_from("<H", data, off + 64)[0]
            if 2 <= length <= 64 and data[off + 66] in (1, 2, 5):
                names.append(data[off : off + length - 2].decode("utf-16-le", "replace"))
        sid = fat[sid] if sid < len(fat) else 0xFFFFFFFE
    return names


def _cfb_fat(data: bytes, size: int) -> list[int]:
    difat = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < 0xFFFFFFFA]
    fat: list[int] = []
    for sid in difat[:4096]:
        start = (sid + 1) * size
        chunk = data[start : start + size]
        fat.extend(struct.unpack(f"<{len(chunk) // 4}I", chunk[: len(chunk) // 4 * 4]))
    return fat


def _scan_names(data: bytes) -> list[str]:
    wanted = ("EncryptionInfo", "EncryptedPackage", "Workbook", "Book", "WordDocument")
    return [n for n in wanted if n.encode("utf-16-le") + b"\x00\x00" in data]


def _sniff_text(data: bytes) -> str:
    sample = data[:4096]
    text = decode_text(sample)
    if text is None:
        return "unknown"
    low = text.lstrip("\ufeff \t\r\n").lower()
    if low.startswith("{\\rtf"):
        return "rtf"
    if "urn:schemas-microsoft-com:office:spreadsheet" in low:
        return "excel-xml"
    if "schemas.microsoft.com/office/word/2003/wordml" in low:
        return "word-xml"
    if "urn:oasis:names:tc:opendocument" in low and "office:document" in low:
        return "ods" if "opendocument.spreadsheet" in low else "odt"
    if low.startswith("mime-version:") and "multipart/related" in low:
        return "mhtml"  # Excel's "single file web page" saved with an .xls name
    if low.startswith(("<html", "<!doctype html", "<table", "<meta", "<head", "<body")):
        return "html"
    if low.startswith("<") and "<table" in data[:65536].decode("latin-1").lower():
        return "html"
    if low.startswith("<"):
        return "unknown"
    return "text" if _looks_like_text(text) else "unknown"


def decode_text(data: bytes) -> str | None:
    """Decode text bytes (UTF-8/UTF-16 with BOM, else UTF-8, else cp1258); None if binary."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    if b"\x00" in data:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # A sample cut mid-character still counts as UTF-8.
        if exc.start >= len(data) - 3:
            return data[: exc.start].decode("utf-8-sig")
    return data.decode("cp1258", "replace")


def _looks_like_text(text: str) -> bool:
    if not text.strip():
        return False
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f")
    return controls == 0 and text.count("\ufffd") < max(1, len(text) // 100)
