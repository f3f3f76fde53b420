"""A workbook's package cut down to what can carry the form, before openpyxl reads it.

Clerks send the form beside a learner list of 200 000 rows or a sheet of pasted photos;
openpyxl would build every cell of every sheet (and every shared string) before we look at
any. Here each big worksheet part is streamed only up to its first `HEAD_ROWS` rows (plus
its merged ranges there), and a big shared-string table keeps only the strings those rows
use. The form table (a few dozen rows, at the top of its sheet) always survives the cut;
nothing is ever decompressed whole. Pure: a checked ZipFile in, package bytes out; no files.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from typing import IO

from openpyxl.utils.cell import range_boundaries

from mailbot.parsing.safety import read_member

log = logging.getLogger(__name__)

BIG_PART = 1 << 18  # a sheet or string table above this (uncompressed) is cut
HEAD_ROWS = 300  # rows kept of a big sheet: the form and any text above it fit many times
CHUNK = 1 << 16
ROW_END = re.compile(rb"</(?:[\w.-]+:)?row\s*>|<(?:[\w.-]+:)?row\b[^<>]*?/>")
SHEETDATA = re.compile(rb"<([\w.-]+:)?sheetData\b")
SHEETDATA_END = re.compile(rb"</(?:[\w.-]+:)?sheetData\s*>")
DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\b[^<>]*?/>")
MERGES = re.compile(rb"<(?:[\w.-]+:)?mergeCells\b.*?</(?:[\w.-]+:)?mergeCells\s*>", re.S)
MERGE = re.compile(rb"<(?:[\w.-]+:)?mergeCell\b[^<>]*?\bref\s*=\s*[\"']([^\"']+)[\"'][^<>]*?/?>")
SHARED_CELL = re.compile(
    rb"(<(?:[\w.-]+:)?c\b[^<>]*?\bt\s*=\s*[\"']s[\"'][^<>]*>\s*<(?:[\w.-]+:)?v>)\s*(\d+)\s*(<)"
)
SI = re.compile(rb"<(?:[\w.-]+:)?si\b[^<>]*?/>|<(?:[\w.-]+:)?si\b.*?</(?:[\w.-]+:)?si\s*>", re.S)
SST_ROOT = re.compile(rb"<([\w.-]+:)?sst\b[^<>]*>")
COUNTS = re.compile(rb"\s(?:count|uniqueCount)\s*=\s*[\"']\d*[\"']")


def slim_package(zf: zipfile.ZipFile, parts: list[tuple[str, str]]) -> bytes | None:
    """The package with big sheets cut to their head rows; None when nothing is big."""
    sizes = {i.filename: i.file_size for i in zf.infolist()}
    big = {member for _, member in parts if sizes.get(member, 0) > BIG_PART}
    sst = next((n for n in sizes if n.lower() == "xl/sharedstrings.xml"), None)
    big_sst = sst is not None and sizes[sst] > BIG_PART
    if not big and not big_sst:
        return None
    sheets: dict[str, bytes] = {}
    for _, member in parts:
        if member not in sizes:
            continue
        sheets[member] = head_of_sheet(zf, member) if member in big else read_member(zf, member)
    strings: bytes | None = None
    if big_sst and sst is not None:
        sheets, strings = _renumber_strings(zf, sst, sheets)
    log.info("workbook cut to its sheets' first %d rows (%d big sheets)", HEAD_ROWS, len(big))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for info in zf.infolist():
            if info.filename in sheets:
                body = sheets[info.filename]
            elif info.filename == sst and strings is not None:
                body = strings
            else:
                body = read_member(zf, info.filename)
            dst.writestr(info.filename, body)
    return out.getvalue()


def head_of_sheet(zf: zipfile.ZipFile, member: str, rows: int = HEAD_ROWS) -> bytes:
    """The sheet XML up to its `rows`-th row, closed, with the merged ranges that start there."""
    head = bytearray()
    count, scan, cut = 0, 0, None
    with zf.open(member) as fp:
        while cut is None:
            chunk = fp.read(CHUNK)
            if not chunk:
                return bytes(head)  # a short sheet after all: keep it whole
            head += chunk
            last = None
            for m in ROW_END.finditer(head, scan):
                count, last = count + 1, m.end()
                if count >= rows:
                    cut = last
                    break
            end = SHEETDATA_END.search(head, scan)
            if cut is None and end is not None:
                return bytes(head) + fp.read()  # rows end before the cut: read the short rest
            scan = last if last is not None else max(scan, len(head) - 1024)
        merges = _merges_after(fp, bytes(head[cut:]), rows)
    opening = SHEETDATA.search(head)
    prefix = opening.group(1).decode() if opening and opening.group(1) else ""
    root = re.search(rb"<([\w.-]+:)?worksheet\b", head)
    root_prefix = root.group(1).decode() if root and root.group(1) else ""
    body = DIMENSION.sub(b"", bytes(head[:cut]))
    return body + f"</{prefix}sheetData>".encode() + merges + f"</{root_prefix}worksheet>".encode()


def _merges_after(fp: IO[bytes], rest: bytes, rows: int) -> bytes:
    """The <mergeCells> element found after sheetData, keeping ranges that start within rows."""
    window = rest
    found = None
    while found is None:
        start = window.find(b"mergeCells")
        if start >= 0:
            window = window[max(start - 64, 0) :]
            found = MERGES.search(window)
            if found is None:
                chunk = fp.read(CHUNK)
                if not chunk:
                    return b""
                window += chunk
            continue
        chunk = fp.read(CHUNK)
        if not chunk:
            return b""
        window = window[-64:] + chunk
    tag = re.match(rb"<([\w.-]+:)?mergeCells", found.group(0))
    prefix = tag.group(1).decode() if tag and tag.group(1) else ""
    kept = []
    for m in MERGE.finditer(found.group(0)):
        try:
            _, r1, _, _ = range_boundaries(m.group(1).decode("ascii", "replace"))
        except (ValueError, TypeError):
            continue
        if r1 is not None and r1 <= rows:
            kept.append(f'<{prefix}mergeCell ref="{m.group(1).decode("ascii", "replace")}"/>')
    if not kept:
        return b""
    return f"<{prefix}mergeCells>{''.join(kept)}</{prefix}mergeCells>".encode()


def _renumber_strings(
    zf: zipfile.ZipFile, sst: str, sheets: dict[str, bytes]
) -> tuple[dict[str, bytes], bytes]:
    """Sheets pointing into a shared-string table holding only the strings they use."""
    used = sorted({int(m.group(2)) for xml in sheets.values() for m in SHARED_CELL.finditer(xml)})
    wanted = set(used)
    top = used[-1] if used else -1
    kept: dict[int, bytes] = {}
    opening = b""
    index = 0
    buffer = b""
    with zf.open(sst) as fp:
        while index <= top:
            chunk = fp.read(CHUNK)
            buffer += chunk
            if not opening:
                root = SST_ROOT.search(buffer)
                if root is None:
                    if not chunk:
                        break
                    continue
                opening = COUNTS.sub(b"", root.group(0))
                buffer = buffer[root.end() :]
            consumed = 0
            for m in SI.finditer(buffer):
                if index in wanted:
                    kept[index] = m.group(0)
                index += 1
                consumed = m.end()
                if index > top:
                    break
            buffer = buffer[consumed:]
            if not chunk:
                break
    new = {old: i for i, old in enumerate(sorted(kept))}
    prefix = re.match(rb"<([\w.-]+:)?sst", opening) if opening else None
    closing = f"</{prefix.group(1).decode() if prefix and prefix.group(1) else ''}sst>"

    def renumber(m: re.Match[bytes]) -> bytes:
        old = int(m.group(2))
        return m.group(1) + str(new.get(old, len(new))).encode() + m.group(3)

    table = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        + (opening or b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
        + b"".join(kept[i] for i in sorted(kept))
        + closing.encode()
    )
    return {k: SHARED_CELL.sub(renumber, v) for k, v in sheets.items()}, table
