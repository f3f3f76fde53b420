"""A plain XML reader for .xlsx sheets, used when openpyxl rejects a workbook Excel opens.

Owns reading cell values, shared strings and merged ranges straight from the sheet XML into
sheet-like objects that xlsx.py turns into Grids (Strict OOXML, odd attribute values written
by other spreadsheet programs). Pure: a checked ZipFile in, sheets out; no files.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field

from openpyxl.utils.cell import range_boundaries

from mailbot.parsing.formulas import col_number
from mailbot.parsing.safety import parse_xml, read_member

ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
ERROR_CODES = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"}


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


def _text(el: object) -> str:
    """Concatenated w/o phonetic runs: the text Excel shows for a rich or plain string."""
    parts = []
    for t in el.iter("{*}t"):  # type: ignore[attr-defined]
        if t.getparent() is not None and t.getparent().tag.endswith("rPh"):
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
        for r in range(r1 or 1, min(r2 or 1, r1 + 5000) + 1):
            for c in range(c1 or 1, min(c2 or 1, c1 + 200) + 1):
                if (r, c) != (r1, c1):
                    sheet._cells.pop((r, c), None)
    return sheet


def _int(raw: str | None, default: int) -> int:
    try:
        return int(raw) if raw else default
    except ValueError:
        return default


def _value(c: object, strings: list[str]) -> object:
    kind = c.get("t", "n")  # type: ignore[attr-defined]
    if kind == "inlineStr":
        inline = next(c.iter("{*}is"), None)  # type: ignore[attr-defined]
        return _text(inline) if inline is not None else None
    v = next(c.iter("{*}v"), None)  # type: ignore[attr-defined]
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
