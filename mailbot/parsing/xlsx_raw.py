"""A plain XML reader for .xlsx sheets, used when openpyxl rejects a workbook Excel opens.

Owns reading cell values, shared strings and merged ranges straight from the sheet XML into
sheet-like objects that xlsx.py turns into Grids (Strict OOXML, odd attribute values written
by other spreadsheet programs). Pure: a checked ZipFile in, sheets out; no files.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field

from lxml import etree
from openpyxl.utils.cell import range_boundaries

from mailbot.parsing.formulas import col_number
from mailbot.parsing.safety import parse_xml, read_member

ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


@dataclass
class RawCell:
    """A cell value as stored (number, text or bool), with a neutral number format."""

    value: object
    number_format: str = "General"


@dataclass
class RawSheet:
    """The few worksheet attributes xlsx.py uses, filled from the sheet XML."""

    title: str
    _cells: dict[tuple[int, int], RawCell] = field(default_factory=dict)

    @property
    def max_row(self) -> int:
        """The last row holding a cell."""
        return max((r for r, _ in self._cells), default=1)

    @property
    def max_column(self) -> int:
        """The last column holding a cell."""
        return max((c for _, c in self._cells), default=1)


def read_raw_sheets(zf: zipfile.ZipFile, parts: list[tuple[str, str]]) -> list[RawSheet]:
    """Read each (title, member) worksheet with its shared strings and merges applied."""
    strings = _shared_strings(zf)
    sheets = []
    for title, member in parts:
        try:
            xml = read_member(zf, member)
        except KeyError:
            continue
        sheets.append(_sheet(title, xml, member, strings))
    return sheets


def _text(el: etree._Element) -> str:
    """Concatenated w/o phonetic runs: the text Excel shows for a rich or plain string."""
    parts = []
    for t in el.iter("{*}t"):
        parent = t.getparent()
        if parent is not None and str(parent.tag).endswith("rPh"):
            continue
        parts.append(t.text or "")
    return ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), "".join(parts))


def _shared_strings(zf: zipfile.ZipFile) -> list[str]:
    names = [n for n in zf.namelist() if n.lower() == "xl/sharedstrings.xml"]
    if not names:
        return []
    root = parse_xml(read_member(zf, names[0]), names[0])
    return [_text(si) for si in root.iter("{*}si")]


def _sheet(title: str, xml: bytes, member: str, strings: list[str]) -> RawSheet:
    root = parse_xml(xml, member)
    sheet = RawSheet(title)
    row_no = 0
    for row in root.iter("{*}row"):
        row_no = _int(row.get("r"), row_no + 1)
        col_no = 0
        for c in row.iter("{*}c"):
            ref = c.get("r") or ""
            letters = re.match(r"[A-Za-z]+", ref)
            col_no = col_number(letters.group()) if letters else col_no + 1
            value = _value(c, strings)
            if value is not None:
                sheet._cells[(row_no, col_no)] = RawCell(value)
    for merge in root.iter("{*}mergeCell"):
        try:
            c1, r1, c2, r2 = range_boundaries(merge.get("ref", ""))
        except (ValueError, TypeError):
            continue
        _merge(sheet, c1, r1, c2, r2)
    return sheet


def _merge(sheet: RawSheet, c1: int | None, r1: int | None, c2: int | None, r2: int | None) -> None:
    """Keep only the top-left cell of a merged range, as Excel shows it.

    A whole-column ("A:B") or whole-row ("1:2") merge has no row or column bounds: it spans
    the sheet's cells, capped like any merge so a huge range costs nothing.
    """
    top, left = r1 or 1, c1 or 1
    bottom = r2 if r2 is not None else sheet.max_row
    right = c2 if c2 is not None else sheet.max_column
    for r in range(top, min(bottom, top + 5000) + 1):
        for c in range(left, min(right, left + 200) + 1):
            if (r, c) != (top, left):
                sheet._cells.pop((r, c), None)


def _int(raw: str | None, default: int) -> int:
    try:
        return int(raw) if raw else default
    except ValueError:
        return default


def _value(c: etree._Element, strings: list[str]) -> object:
    kind = c.get("t", "n")
    if kind == "inlineStr":
        inline = next(c.iter("{*}is"), None)
        return _text(inline) if inline is not None else None
    v = next(c.iter("{*}v"), None)
    raw = (v.text or "") if v is not None else ""
    if not raw:
        return None
    if kind == "s":
        index = _int(raw.strip(), -1)
        return strings[index] if 0 <= index < len(strings) else None
    if kind in ("str", "e", "d"):
        return ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), raw)
    if kind == "b":
        return raw.strip() in ("1", "true")
    try:
        number = float(raw)
    except ValueError:
        return raw
    return int(number) if number.is_integer() and abs(number) < 1e15 else number
