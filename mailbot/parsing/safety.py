"""Hostile-input checks run before any library touches a zip or its XML.

Owns the limits (uncompressed size, compression ratio, member count) and the refusal of XML
with DOCTYPE/ENTITY declarations (billion laughs, XXE), plus the hardened lxml parser used by
our own XML walkers. Pure: bytes in, a checked ZipFile or ParseError out; no files, no processes.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from mailbot.errors import ParseError

MAX_TOTAL_BYTES = 100 * 1024 * 1024
MAX_MEMBERS = 2000
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024  # below this uncompressed size any ratio is harmless
CHUNK = 1 << 16

SUSPICIOUS_ARCHIVE = (
    "Tệp quá lớn hoặc nén bất thường (có thể là tệp độc hại), mailbot không mở. "
    "Xin gửi lại đúng tệp biểu .xlsx hoặc .docx."
)
UNSAFE_XML = (
    "Tệp chứa khai báo XML không an toàn (DOCTYPE/ENTITY) mà Excel/Word không tạo ra, "
    "mailbot từ chối mở. Xin mở bằng Excel/Word, lưu lại rồi gửi lại."
)
ENCRYPTED_ZIP = (
    "Tệp bị đặt mật khẩu, mailbot không mở được. Xin gỡ mật khẩu rồi gửi lại tệp .xlsx/.docx."
)
CORRUPT = (
    "Tệp bị hỏng hoặc gửi chưa hết (không giải nén được). "
    "Xin mở bằng Excel/Word, lưu lại rồi gửi lại tệp .xlsx hoặc .docx."
)
XML_SUFFIXES = (".xml", ".rels", ".vml")
DANGEROUS = (b"<!DOCTYPE", b"<!ENTITY")


def safe_parser() -> etree.XMLParser:
    """A fresh lxml parser that never loads DTDs, resolves entities or touches the network."""
    # A new parser per call: lxml parsers must not be shared between threads.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def open_checked_zip(data: bytes) -> zipfile.ZipFile:
    """Open a zip after checking its size limits and scanning its XML for DTDs."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ParseError(CORRUPT, f"bad zip: {exc}") from exc
    try:
        check_limits(zf.infolist())
        for info in zf.infolist():
            if info.filename.lower().endswith(XML_SUFFIXES):
                scan_xml_member(zf, info)
    except ParseError:
        zf.close()
        raise
    return zf


def check_limits(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse zips with too many members, too much data, or bomb-like compression."""
    if len(infos) > MAX_MEMBERS:
        raise ParseError(SUSPICIOUS_ARCHIVE, f"{len(infos)} zip members")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ParseError(ENCRYPTED_ZIP, f"encrypted zip member {info.filename}")
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise ParseError(SUSPICIOUS_ARCHIVE, f"uncompressed total above {MAX_TOTAL_BYTES}")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ParseError(SUSPICIOUS_ARCHIVE, f"member {info.filename} ratio above {MAX_RATIO}")


def scan_xml_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse an XML member that declares a DOCTYPE or ENTITY (in UTF-8 or UTF-16)."""
    patterns = list(DANGEROUS)
    tail = b""
    try:
        with zf.open(info) as fh:
            first = True
            while chunk := fh.read(CHUNK):
                if first and chunk.startswith((b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")):
                    enc = "utf-16-be" if chunk.startswith((b"\xfe\xff", b"\x00<")) else "utf-16-le"
                    patterns += [p.decode().encode(enc) for p in DANGEROUS]
                first = False
                window = tail + chunk
                if any(p in window for p in patterns):
                    raise ParseError(UNSAFE_XML, f"DTD in {info.filename}")
                tail = window[-32:]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise ParseError(CORRUPT, f"cannot inflate {info.filename}: {exc}") from exc
    except RuntimeError as exc:  # zipfile raises RuntimeError for encrypted members
        raise ParseError(ENCRYPTED_ZIP, str(exc)) from exc


def read_member(zf: zipfile.ZipFile, name: str) -> bytes:
    """Read one member of a checked zip; a damaged member becomes the corrupt-file reason."""
    try:
        return zf.read(name)
    except KeyError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError) as exc:
        raise ParseError(CORRUPT, f"cannot inflate {name}: {exc}") from exc


def parse_xml(data: bytes, name: str) -> etree._Element:
    """Parse XML with entity resolution, DTD loading and network access all disabled."""
    try:
        return etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise ParseError(CORRUPT, f"bad XML in {name}: {exc}") from exc
