"""Excel reader: columns a clerk hid are not part of the report; hidden rows still are."""

from __future__ import annotations

import io

import openpyxl
from openpyxl.utils import get_column_letter

from mailbot.parsing import parse_bytes
from mailbot.parsing.readers import read_document
from tests.support.appendix2_builder import HEADER, HEADER_BLOCK, TITLE, plan_rows, sample_values
from tests.support.office_builders import member, patch_zip

VALUES = sample_values(31, blank=0.0)
SHEET = "xl/worksheets/sheet1.xml"


def workbook(rows: list[list[object]], hide=None, merges: tuple[str, ...] = ()) -> bytes:
    """One sheet of `rows`; `hide(ws)` marks columns or rows hidden."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    if hide is not None:
        hide(ws)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def texts(data: bytes) -> list[list[str]]:
    return [[c.text for c in row] for row in read_document(data, "t.xlsx").grids[0].rows]


def hide_columns(*letters: str):
    def hide(ws) -> None:
        for letter in letters:
            ws.column_dimensions[letter].hidden = True

    return hide


def test_hidden_column_is_left_out_of_the_grid():
    """A column marked hidden does not reach the grid; the columns after it close up."""
    data = workbook([["a", "b", "c"], ["1", "2", "3"]], hide_columns("B"))
    assert texts(data) == [["a", "c"], ["1", "3"]]


def test_hidden_column_range_is_left_out():
    """A <col min..max> range marked hidden drops every column it covers."""

    def hide(ws) -> None:
        ws.column_dimensions.group("B", "C", hidden=True)

    data = workbook([["a", "b", "c", "d"]], hide)
    assert texts(data) == [["a", "d"]]


def test_zero_width_column_is_left_out():
    """A column dragged to zero width is as hidden as one marked hidden."""

    data = workbook([["a", "b", "c"]])
    sheet = member(data, SHEET)
    cols = b'<cols><col min="2" max="2" width="0" customWidth="1"/></cols><sheetData>'
    data = patch_zip(data, {SHEET: sheet.replace(b"<sheetData>", cols, 1)})
    assert texts(data) == [["a", "c"]]


def test_hidden_rows_are_kept():
    """A hidden row is still read: a clerk may hide a row that holds values."""

    def hide(ws) -> None:
        ws.row_dimensions[2].hidden = True

    assert texts(workbook([["a"], ["b"], ["c"]], hide)) == [["a"], ["b"], ["c"]]


def test_merged_text_anchored_in_hidden_column_moves_to_visible_column():
    """A merged cell whose first column is hidden keeps its text in its first shown column."""
    data = workbook([["STT", "Số lượng", None, "x"]], hide_columns("B"), merges=("B1:C1",))
    assert texts(data) == [["STT", "Số lượng", "x"]]


def _plan_sheet_with_hidden_figures(values) -> bytes:
    """The plan's table with an unheaded, hidden column of last year's figures after Ghi chú."""
    rows: list[list[object]] = [[a, None, None, b] for a, b in HEADER_BLOCK]
    rows += [[t] for t in TITLE] + [[*h, ""] for h in HEADER]
    for cells in plan_rows(values):
        typed = [c.value if c.value is not None else c.text for c in cells]
        rows.append([*typed, 3 if cells[1].text else ""])
    rows = [[v if v != "" else None for v in r] for r in rows]
    width = max(len(r) for r in rows)
    return workbook(rows, hide_columns(get_column_letter(width)))


def test_hidden_figures_never_fill_blank_slots():
    """Numbers in a hidden column are not read in place of blank value cells."""
    values = {code: dict(slots) for code, slots in VALUES.items()}
    values["3"] = {"count": None}
    values["10.2"] = {"amount": None}
    result = parse_bytes(_plan_sheet_with_hidden_figures(values), "an.xlsx")
    assert result.values == values
