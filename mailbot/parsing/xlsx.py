"""Excel 2007+ (.xlsx/.xlsm) workbooks → Document: every sheet a Grid, merged cells counted once.

Owns reading a safety-checked zip with openpyxl (cached formula values) and computing the
formulas a program wrote without results (via formulas.py). Columns the clerk hid are left
out (hidden rows and sheets are kept). Must not interpret the table or touch files: bytes
in, Document out. Macros are never run (openpyxl does not execute VBA).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import warnings
import zipfile
from collections.abc import Iterator
from typing import Any, Protocol

import openpyxl
from openpyxl.formula.translate import Translator
from openpyxl.utils import get_column_letter

from mailbot.errors import FormulaError, ParseError
from mailbot.parsing.celltext import clean_text, date_text, number_text
from mailbot.parsing.formulas import col_number, evaluate
from mailbot.parsing.model import Cell, Document, Finding, Grid
from mailbot.parsing.safety import CORRUPT, parse_xml, read_member
from mailbot.parsing.xlsx_raw import read_raw_sheets
from mailbot.parsing.xlsx_slim import slim_package

log = logging.getLogger(__name__)

MAX_ROWS = 5000
MAX_COLS = 200
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
NOT_COMPUTED = (
    "Ô {cell} (trang “{sheet}”) có công thức ={formula} chưa được tính và mailbot không tính "
    "được, nên bỏ trống ô này. Xin mở tệp bằng Excel, lưu lại rồi gửi lại."
)
TRUNCATED = "Trang “{sheet}” quá lớn; mailbot chỉ đọc {rows} dòng × {cols} cột đầu."


class Sheet(Protocol):
    """What we use of a worksheet: an openpyxl Worksheet or our plain reader's RawSheet."""

    title: str
    _cells: dict[tuple[int, int], Any]

    @property
    def max_row(self) -> int:
        """The last row holding a cell."""

    @property
    def max_column(self) -> int:
        """The last column holding a cell."""


# (row, col) → formula text without '=', for one sheet.
Formulas = dict[tuple[int, int], str]


def read_xlsx(zf: zipfile.ZipFile, data: bytes, name: str, kind: str) -> Document:
    """Read every worksheet (hidden ones too) of a checked .xlsx/.xlsm zip."""
    parts = _sheet_parts(zf)
    if (slim := slim_package(zf, parts)) is not None:
        data = slim
        zf = zipfile.ZipFile(io.BytesIO(slim))
    sheets = _load_sheets(zf, data, parts)
    doc = Document(name=name, kind=kind)
    recalc = _full_calc_on_load(zf)
    pending = _pending_formulas(zf, parts, recalc)
    values = _Values({ws.title: ws for ws in sheets}, pending, recalc)
    members = dict(parts)
    for ws in sheets:
        grid = _grid(ws, values, doc)
        if hidden := hidden_columns(zf, members.get(ws.title)):
            grid = _without_columns(grid, hidden, _merges(ws))
        doc.grids.append(grid)
    doc.notes.extend(values.notes)
    doc.doubts.extend(values.doubts)
    return doc


def _load_sheets(zf: zipfile.ZipFile, data: bytes, parts: list[tuple[str, str]]) -> list[Sheet]:
    """Worksheets via openpyxl; via our plain XML reader when openpyxl rejects the workbook."""
    strict = b"purl.oclc.org/ooxml" in read_member(zf, "xl/workbook.xml")
    if not strict:  # openpyxl does not read Strict OOXML at all
        try:
            with warnings.catch_warnings():
                # openpyxl warns about defaults it fills in (no stylesheet, extensions): noise.
                warnings.simplefilter("ignore")
                wb = openpyxl.load_workbook(
                    io.BytesIO(data),
                    data_only=True,
                    keep_vba=False,
                    keep_links=False,
                    rich_text=False,
                )
            return list(wb.worksheets)
        except Exception as exc:  # any openpyxl refusal: Excel may still open the file
            log.info(
                "openpyxl cannot read workbook (%s: %s); reading XML directly",
                type(exc).__name__,
                exc,
            )
    sheets: list[Sheet] = list(read_raw_sheets(zf, parts))
    if not sheets:
        raise ParseError(CORRUPT, "no readable worksheet")
    return sheets


def _grid(ws: Sheet, values: _Values, doc: Document) -> Grid:
    cells = ws._cells  # only cells present in the file; iter_rows would invent blank ones
    todo = {(r, c) for s, r, c in values.todo if s == ws.title}
    filled = [k for k, c in cells.items() if c.value is not None] + list(todo)
    max_row = max((r for r, _ in filled), default=0)
    max_col = max((c for _, c in filled), default=0)
    if max_row > MAX_ROWS or max_col > MAX_COLS:
        msg = TRUNCATED.format(sheet=ws.title, rows=MAX_ROWS, cols=MAX_COLS)
        doc.notes.append(Finding(None, msg))
        max_row, max_col = min(max_row, MAX_ROWS), min(max_col, MAX_COLS)
    rows = [[Cell() for _ in range(max_col)] for _ in range(max_row)]
    keys = set(cells) | todo
    for r, c in keys:
        if r <= max_row and c <= max_col:
            rows[r - 1][c - 1] = values.cell(ws.title, r, c, cells.get((r, c)))
    return Grid(name=ws.title, rows=rows)


# A <col> element of a sheet's <cols> list (hidden="1" or width="0" hides it).
COL_TAG = re.compile(rb"<(?:\w+:)?col\b([^>]*)>")
ATTR = re.compile(rb"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
HEAD_LIMIT = 1 << 20


def hidden_columns(zf: zipfile.ZipFile, member: str | None) -> set[int]:
    """1-based columns the sheet hides; the clerk hid them, so they are not part of the report.

    Read from the <cols> list before <sheetData> (openpyxl and the plain reader both skip it),
    so only the head of the sheet XML is decompressed.
    """
    if not member:
        return set()
    try:
        with zf.open(member) as fp:
            head = b""
            while b"sheetData" not in head and len(head) < HEAD_LIMIT:
                chunk = fp.read(65536)
                if not chunk:
                    break
                head += chunk
    except (KeyError, zipfile.BadZipFile, OSError, EOFError):
        return set()
    hidden: set[int] = set()
    for m in COL_TAG.finditer(head.split(b"sheetData", 1)[0]):
        attrs = {k.split(b":")[-1]: a or b for k, a, b in ATTR.findall(m.group(1))}
        width = attrs.get(b"width", b"").strip()
        if attrs.get(b"hidden", b"").lower() not in (b"1", b"true") and width not in (b"0", b"0.0"):
            continue
        try:
            lo, hi = int(attrs.get(b"min", b"")), int(attrs.get(b"max", b""))
        except ValueError:
            continue
        hidden.update(range(max(lo, 1), min(hi, MAX_COLS) + 1))
    return hidden


def _merges(ws: Sheet) -> list[tuple[int, int, int]]:
    """(row, first column, last column) of each merged range openpyxl reports."""
    merged = getattr(ws, "merged_cells", None)
    ranges = getattr(merged, "ranges", ())
    return [(m.min_row, m.min_col, m.max_col) for m in ranges]


def _without_columns(grid: Grid, hidden: set[int], merges: list[tuple[int, int, int]]) -> Grid:
    """The grid without hidden columns; a merged cell's text moves to its first visible column."""
    rows = [list(r) for r in grid.rows]
    for r1, c1, c2 in merges:
        if c1 in hidden and r1 <= len(rows) and c1 <= len(rows[r1 - 1]):
            shown = next((c for c in range(c1 + 1, c2 + 1) if c not in hidden), None)
            if shown is not None and shown <= len(rows[r1 - 1]):
                rows[r1 - 1][shown - 1] = rows[r1 - 1][c1 - 1]
    keep = [[cell for c, cell in enumerate(row, start=1) if c not in hidden] for row in rows]
    return Grid(name=grid.name, rows=keep)


class _Values:
    """Cell values of a workbook, computing formulas that have no trustworthy cached result."""

    def __init__(
        self,
        books: dict[str, Sheet],
        pending: dict[str, tuple[Formulas, Formulas]],
        recalc: bool,
    ) -> None:
        self.books = books
        self.lower = {t.lower(): t for t in books}
        # todo: formulas we must compute; known: every formula (kept for Cell.formula).
        self.todo = {(s, *k): f for s, (todo, _) in pending.items() for k, f in todo.items()}
        self.known = {(s, *k): f for s, (_, known) in pending.items() for k, f in known.items()}
        self.recalc = recalc
        self.done: dict[tuple[str, int, int], object] = {}
        self.active: set[tuple[str, int, int]] = set()
        self.notes: list[Finding] = []
        self.doubts: list[str] = []

    def cell(self, sheet: str, r: int, c: int, cell: object) -> Cell:
        """The Cell for one openpyxl cell, with its formula computed when needed."""
        key = (sheet, r, c)
        formula = self.known.get(key)
        if key not in self.todo:
            return _cell(getattr(cell, "value", None), cell, formula)
        try:
            value = self.compute(key)
        except FormulaError:
            cached = getattr(cell, "value", None)
            if self.recalc and cached is not None:
                return _cell(cached, cell, formula)
            coord = f"{get_column_letter(c)}{r}"
            msg = NOT_COMPUTED.format(cell=coord, sheet=sheet, formula=self.todo[key])
            self.notes.append(Finding(None, msg))
            self.doubts.append(f"Ô {coord} (trang “{sheet}”) có công thức chưa tính được.")
            return Cell(formula=formula)
        return _cell(value, cell, formula)

    def compute(self, key: tuple[str, int, int]) -> object:
        if key in self.done:
            return self.done[key]
        if key in self.active:
            raise FormulaError("circular reference")
        self.active.add(key)
        sheet = key[0]
        try:
            value = evaluate(
                self.todo[key],
                lambda s, r, c: self.lookup(s or sheet, r, c),
                lambda s: self.extent(s or sheet),
            )
        finally:
            self.active.discard(key)
        self.done[key] = value
        return value

    def lookup(self, sheet: str, r: int, c: int) -> object:
        title = self.lower.get(sheet.lower())
        if title is None:
            raise FormulaError(f"unknown sheet {sheet}")
        key = (title, r, c)
        if key in self.todo:
            return self.compute(key)
        cell = self.books[title]._cells.get((r, c))
        value = getattr(cell, "value", None)
        if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
            raise FormulaError("date arithmetic is not supported")
        return value

    def extent(self, sheet: str) -> tuple[int, int]:
        title = self.lower.get(sheet.lower())
        if title is None:
            raise FormulaError(f"unknown sheet {sheet}")
        ws = self.books[title]
        return min(ws.max_row, 1_048_576), min(ws.max_column, 16_384)


def _cell(value: object, source: object, formula: str | None) -> Cell:
    if value is None:
        return Cell(formula=formula)
    if isinstance(value, bool):
        return Cell(text="TRUE" if value else "FALSE", formula=formula)
    if isinstance(value, int | float):
        number_format = getattr(source, "number_format", "General") or "General"
        return Cell(text=number_text(value, number_format), value=value, formula=formula)
    if isinstance(value, dt.datetime | dt.date):
        number_format = getattr(source, "number_format", "General") or "General"
        return Cell(text=date_text(value, number_format), formula=formula)
    if isinstance(value, dt.time):
        return Cell(text=value.strftime("%H:%M"), formula=formula)
    return Cell(text=clean_text(str(value)), formula=formula)


def _full_calc_on_load(zf: zipfile.ZipFile) -> bool:
    """True when the writer asked Excel to recalculate on open (its cached values are stale)."""
    root = parse_xml(read_member(zf, "xl/workbook.xml"), "xl/workbook.xml")
    for el in root.iter("{*}calcPr"):
        return el.get("fullCalcOnLoad") in ("1", "true")
    return False


def _pending_formulas(
    zf: zipfile.ZipFile, parts: list[tuple[str, str]], recalc: bool
) -> dict[str, tuple[Formulas, Formulas]]:
    """Per sheet title: (formulas to compute, all formulas) found in the sheet XML."""
    out: dict[str, tuple[Formulas, Formulas]] = {}
    for title, part in parts:
        try:
            xml = read_member(zf, part)
        except KeyError:
            continue
        if not FORMULA_TAG.search(xml):
            continue
        todo: Formulas = {}
        known: Formulas = {}
        for (r, c), text, cached in _formula_cells(xml, part):
            known[(r, c)] = text
            if recalc or not cached:
                todo[(r, c)] = text
        out[title] = (todo, known)
    return out


def _sheet_parts(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet title, zip member) for each worksheet listed in the workbook."""
    root = parse_xml(read_member(zf, "xl/workbook.xml"), "xl/workbook.xml")
    try:
        rels_xml = read_member(zf, "xl/_rels/workbook.xml.rels")
    except KeyError:
        return []
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in parse_xml(rels_xml, "workbook.xml.rels").iter("{*}Relationship")
    }
    parts = []
    for sheet in root.iter("{*}sheet"):
        rid = sheet.get(f"{{{REL_NS}}}id") or sheet.get(
            "{http://purl.oclc.org/ooxml/officeDocument/relationships}id"
        )
        target = targets.get(rid, "")
        if target:
            member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            parts.append((sheet.get("name", ""), _normalise(member)))
    return parts


def _normalise(path: str) -> str:
    out: list[str] = []
    for part in path.split("/"):
        if part == "..":
            if out:
                out.pop()
        elif part and part != ".":
            out.append(part)
    return "/".join(out)


def _formula_cells(xml: bytes, part: str) -> Iterator[tuple[tuple[int, int], str, bool]]:
    """((row, col), formula, has cached value) for each formula cell, shared formulas expanded."""
    root = parse_xml(xml, part)
    masters: dict[str, tuple[str, str]] = {}
    row_no = 0
    for row in root.iter("{*}row"):
        row_no = int(row.get("r") or row_no + 1)
        col_no = 0
        for c in row.iter("{*}c"):
            ref = c.get("r")
            if ref:
                letters = re.match(r"[A-Za-z]+", ref)
                col_no = col_number(letters.group()) if letters else col_no + 1
            else:
                col_no += 1
            f = next(c.iter("{*}f"), None)
            if f is None:
                continue
            v = next(c.iter("{*}v"), None)
            cached = v is not None and bool((v.text or "").strip())
            coord = f"{get_column_letter(col_no)}{row_no}"
            text = (f.text or "").strip()
            si = f.get("si")
            if f.get("t") == "shared" and si is not None:
                if text:
                    masters[si] = (text, coord)
                elif si in masters:
                    text = _translate(*masters[si], coord)
            if text:
                yield (row_no, col_no), text, cached


def _translate(formula: str, origin: str, dest: str) -> str:
    try:
        # openpyxl is untyped here; translate_formula returns the formula text.
        translated: str = Translator(f"={formula}", origin=origin).translate_formula(dest)
        return translated[1:]
    except Exception:  # openpyxl's tokenizer rejects odd formulas; keep the master text
        return formula
