"""Builders for test office files: raw WordprocessingML, patched openpyxl workbooks, CFB files.

Everything is generated from data so expected grids are exact.
"""

from __future__ import annotations

import io
import struct
import zipfile

import openpyxl

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)


def p(text: str) -> str:
    """A paragraph with one run of text."""
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def tc(content: str, *, span: int = 1, vmerge: str | None = None) -> str:
    """A table cell; `content` is text (wrapped in a paragraph) or raw XML starting with '<'."""
    props = ""
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if vmerge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        props += "<w:vMerge/>"
    body = content if content.startswith("<") else p(content)
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{body}</w:tc>"


def tr(*cells: str) -> str:
    """A table row of already-built cells."""
    return f"<w:tr>{''.join(cells)}</w:tr>"


def tbl(*rows: str) -> str:
    """A table of already-built rows."""
    return f"<w:tbl><w:tblPr/>{''.join(rows)}</w:tbl>"


def sdt(content: str) -> str:
    """A content control around block, row, cell or run content."""
    props = '<w:sdtPr><w:tag w:val="x"/></w:sdtPr>'
    return f"<w:sdt>{props}<w:sdtContent>{content}</w:sdtContent></w:sdt>"


def docx_bytes(body: str, headers: list[str] | None = None, prolog: str = "") -> bytes:
    """A minimal valid .docx whose body is `body`; each header is raw block XML."""
    headers = headers or []
    rels = [
        f'<Relationship Id="rIdH{i}" Type="{REL}/header" Target="header{i}.xml"/>'
        for i in range(len(headers))
    ]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr(
            "_rels/.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{PKG_REL}">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>'
            "</Relationships>",
        )
        zf.writestr(
            "word/_rels/document.xml.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{PKG_REL}">'
            f"{''.join(rels)}</Relationships>",
        )
        zf.writestr(
            "word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
            f'<w:document xmlns:w="{W}" xmlns:r="{R}">'
            f"<w:body>{body}<w:sectPr/></w:body></w:document>",
        )
        for i, header in enumerate(headers):
            zf.writestr(f"word/header{i}.xml", f'<w:hdr xmlns:w="{W}">{header}</w:hdr>')
    return buf.getvalue()


def xlsx_bytes(
    sheets: dict[str, list[list[object]]],
    merges: dict[str, list[str]] | None = None,
    hidden: tuple[str, ...] = (),
) -> bytes:
    """A workbook with one sheet per entry (rows of values; '=…' strings become formulas)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        for rng in (merges or {}).get(title, []):
            ws.merge_cells(rng)
        if title in hidden:
            ws.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def patch_zip(data: bytes, replace: dict[str, bytes | None]) -> bytes:
    """A copy of a zip with members replaced (bytes), removed (None) or added."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename in replace:
                continue
            out.writestr(info.filename, src.read(info))
        for name, content in replace.items():
            if content is not None:
                out.writestr(name, content)
    return buf.getvalue()


def member(data: bytes, name: str) -> bytes:
    """One member of a zip."""
    return zipfile.ZipFile(io.BytesIO(data)).read(name)


def cfb_bytes(stream_names: list[str]) -> bytes:
    """A minimal OLE2 compound file whose directory lists these (empty) streams."""
    sector = 512
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9)
    struct.pack_into("<H", header, 0x20, 6)
    struct.pack_into("<I", header, 0x2C, 1)  # one FAT sector
    struct.pack_into("<I", header, 0x30, 1)  # directory starts at sector 1
    struct.pack_into("<I", header, 0x38, 4096)
    struct.pack_into("<III", header, 0x3C, 0xFFFFFFFE, 0, 0xFFFFFFFE)
    difat = [0] + [0xFFFFFFFF] * 108
    struct.pack_into("<109I", header, 0x4C, *difat)
    fat = [0xFFFFFFFD, 0xFFFFFFFE] + [0xFFFFFFFF] * (sector // 4 - 2)
    fat_sector = struct.pack(f"<{sector // 4}I", *fat)
    entries = [_dir_entry("Root Entry", 5)] + [_dir_entry(n, 2) for n in stream_names]
    directory = b"".join(entries).ljust(sector, b"\x00")
    return bytes(header) + fat_sector + directory


def _dir_entry(name: str, kind: int) -> bytes:
    entry = bytearray(128)
    raw = name.encode("utf-16-le") + b"\x00\x00"
    entry[0 : len(raw)] = raw
    struct.pack_into("<HBB", entry, 64, len(raw), kind, 1)
    struct.pack_into("<III", entry, 68, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
    struct.pack_into("<I", entry, 116, 0xFFFFFFFE)
    return bytes(entry)
