"""Excel 97-2003 (.xls, BIFF) workbooks → Document via xlrd: every sheet a Grid.

Owns the xlrd calls and turning its cell types into Cells (merged cells: anchor only).
Must not interpret the table or touch files: bytes in, Document out.
"""

from __future__ import annotations

import datetime as dt

import xlrd

from mailbot.errors import ParseError, XlsUnreadable
from mailbot.parsing.celltext import clean_text, date_text, number_text
from mailbot.parsing.model import Cell, Document, Finding, Grid
from mailbot.parsing.xlsx import MAX_COLS, MAX_ROWS, TRUNCATED
from mailbot.parsing.xlsx_slim import HEAD_ROWS

ENCRYPTED = (
    "Tệp bị đặt mật khẩu, mailbot không mở được. Xin gỡ mật khẩu rồi gửi lại tệp .xlsx/.docx."
)


BIG_SHEET_CELLS = 20_000  # about the cells of a 256 KB sheet part in .xlsx


def read_xls(data: bytes, name: str) -> Document:
    """Read every sheet of an .xls workbook (hidden sheets too)."""
    try:
        book = xlrd.open_workbook(
            file_contents=data, formatting_info=True, logfile=_Null(), verbosity=0
        )
    except xlrd.XLRDError as exc:
        if "encrypted" in str(exc).lower():
            raise ParseError(ENCRYPTED, str(exc)) from exc
        raise XlsUnreadable(str(exc)) from exc
    except (AssertionError, IndexError, KeyError, ValueError, TypeError, EOFError) as exc:
        raise XlsUnreadable(f"{type(exc).__name__}: {exc}") from exc
    doc = Document(name=name, kind="xls")
    for sheet in book.sheets():
        doc.grids.append(_grid(book, sheet, doc))
    return doc


def _grid(book: xlrd.book.Book, sheet: xlrd.sheet.Sheet, doc: Document) -> Grid:
    nrows, ncols = sheet.nrows, sheet.ncols
    if nrows * max(ncols, 1) > BIG_SHEET_CELLS:
        # A learner list beside the form: as for .xlsx, only its head can carry the form.
        nrows = min(nrows, HEAD_ROWS)
    if nrows > MAX_ROWS or ncols > MAX_COLS:
        doc.notes.append(
            Finding(None, TRUNCATED.format(sheet=sheet.name, rows=MAX_ROWS, cols=MAX_COLS))
        )
        nrows, ncols = min(nrows, MAX_ROWS), min(ncols, MAX_COLS)
    covered = set()
    for r1, r2, c1, c2 in sheet.merged_cells:
        for r in range(r1, min(r2, nrows)):
            for c in range(c1, min(c2, ncols)):
                if (r, c) != (r1, c1):
                    covered.add((r, c))
    rows = []
    for r in range(nrows):
        row = []
        for c in range(ncols):
            row.append(Cell() if (r, c) in covered else _cell(book, sheet, r, c))
        rows.append(row)
    while rows and all(c.blank for c in rows[-1]):
        rows.pop()
    return Grid(name=sheet.name, rows=rows)


def _cell(book: xlrd.book.Book, sheet: xlrd.sheet.Sheet, r: int, c: int) -> Cell:
    cell = sheet.cell(r, c)
    kind = cell.ctype
    if kind == xlrd.XL_CELL_NUMBER:
        value = cell.value
        number = int(value) if float(value).is_integer() and abs(value) < 1e15 else value
        return Cell(text=number_text(value, _format(book, cell)), value=number)
    if kind == xlrd.XL_CELL_TEXT:
        return Cell(text=clean_text(cell.value))
    if kind == xlrd.XL_CELL_DATE:
        try:
            y, m, d, *_ = xlrd.xldate_as_tuple(cell.value, book.datemode)
            return Cell(text=date_text(dt.date(y, m, d), _format(book, cell)))
        except (xlrd.xldate.XLDateError, ValueError):
            return Cell(text=number_text(cell.value), value=cell.value)
    if kind == xlrd.XL_CELL_BOOLEAN:
        return Cell(text="TRUE" if cell.value else "FALSE")
    if kind == xlrd.XL_CELL_ERROR:
        return Cell(text=xlrd.error_text_from_code.get(cell.value, "#ERR"))
    return Cell()


def _format(book: xlrd.book.Book, cell: xlrd.sheet.Cell) -> str:
    try:
        xf = book.xf_list[cell.xf_index]
        format_str: str = book.format_map[xf.format_key].format_str  # xlrd is untyped
        return format_str
    except (IndexError, KeyError, TypeError, AttributeError):
        return "General"


class _Null:
    """A logfile for xlrd that drops its chatter (it warns on stderr otherwise)."""

    def write(self, _text: str) -> int:
        return 0
