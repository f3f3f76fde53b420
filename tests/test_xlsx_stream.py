"""Body rows streamed into an openpyxl-laid-out workbook: values, styles, extent, safety."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.styles import Font

from mailbot.office.xlsx_rows import EXCEL_CELL_MAX, Body, save_with_bodies, style_index


def streamed(rows: list[list], first_row: int = 2, fmt: str | None = None) -> bytes:
    """A one-sheet workbook: a header in row 1 by openpyxl, `rows` streamed from `first_row`."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Dữ liệu"
    ws["A1"] = "Tiêu đề"
    xf = style_index(ws, font=Font(name="Times New Roman", bold=True), number_format=fmt)
    buf = io.BytesIO()
    save_with_bodies(wb, buf, [Body(ws, first_row, ([(v, xf) for v in row] for row in rows))])
    return buf.getvalue()


def read_rows(data: bytes, min_row: int = 2) -> list[list]:
    """The sheet's values from `min_row` on, as openpyxl reads them."""
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    return [list(r) for r in ws.iter_rows(min_row=min_row, values_only=True)]


def test_values_read_back_as_written():
    """Numbers, text (with markup characters and line breaks), booleans and blanks round-trip."""
    rows = [
        [1, "UBND xã Mường Giàng", 2.5, None],
        [10**12, "a < b & c > d", True, ""],
        [-3, "dòng 1\ndòng 2", False, "  cách đầu"],
    ]
    assert read_rows(streamed(rows)) == [
        [1, "UBND xã Mường Giàng", 2.5, None],
        [10**12, "a < b & c > d", True, None],
        [-3, "dòng 1\ndòng 2", False, "  cách đầu"],
    ]


def test_text_that_looks_like_a_formula_stays_text():
    """A unit's text starting with '=' is stored as text, never as a formula."""
    wb = openpyxl.load_workbook(io.BytesIO(streamed([["=SUM(A1:A2)"]])))
    cell = wb.active["A2"]
    assert (cell.value, cell.data_type) == ("=SUM(A1:A2)", "s")


def test_control_characters_are_dropped():
    """Characters XML 1.0 refuses are left out instead of breaking the file."""
    assert read_rows(streamed([["Nậm\x00 Ét\x0b"]])) == [["Nậm Ét"]]


def test_text_longer_than_a_cell_is_cut_to_excels_limit():
    """A text longer than Excel's 32,767 characters is cut to that length."""
    (value,), *_ = read_rows(streamed([["x" * (EXCEL_CELL_MAX + 100)]]))
    assert len(value) == EXCEL_CELL_MAX


def test_streamed_cells_carry_their_style():
    """Each streamed cell has the registered font and number format."""
    ws = openpyxl.load_workbook(io.BytesIO(streamed([[1234]], fmt="#,##0"))).active
    cell = ws["A2"]
    assert (cell.font.name, cell.font.b, cell.number_format) == ("Times New Roman", True, "#,##0")


def test_dimension_covers_the_streamed_rows():
    """The sheet's recorded extent runs to the last streamed row and widest column."""
    data = streamed([[1], [], [1, 2, 3]], first_row=3)
    ws = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    assert (ws.calculate_dimension(), ws.max_row, ws.max_column) == ("A1:C5", 5, 3)


def test_an_empty_row_leaves_a_gap():
    """An empty row advances the row number without writing a row."""
    assert read_rows(streamed([[1], [], [2]])) == [[1], [None], [2]]


def test_rows_over_the_laid_out_header_are_refused():
    """Body rows may not start on a row openpyxl already wrote."""
    with pytest.raises(ValueError, match="overwrite"):
        streamed([[1]], first_row=1)


def test_other_parts_are_kept_and_compressed():
    """Every part openpyxl wrote is in the output, deflated."""
    wb = Workbook()
    wb.active["A1"] = "x"
    plain = io.BytesIO()
    wb.save(plain)
    data = streamed([[1]])
    with zipfile.ZipFile(plain) as a, zipfile.ZipFile(io.BytesIO(data)) as b:
        assert set(a.namelist()) == set(b.namelist())
        assert {i.compress_type for i in b.infolist()} == {zipfile.ZIP_DEFLATED}


cell_values = st.one_of(
    st.none(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.text(
        alphabet=st.characters(min_codepoint=32, max_codepoint=0x1EFF, exclude_categories=["Cs"]),
        max_size=30,
    ).filter(lambda t: t.strip() == t and t != ""),
)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(cell_values, min_size=1, max_size=6), min_size=1, max_size=8))
def test_any_grid_reads_back_unchanged(rows):
    """Whatever integers and texts the rows hold, openpyxl reads the same grid back."""
    width = max(len(r) for r in rows)
    got = read_rows(streamed(rows))
    expected = [r + [None] * (width - len(r)) for r in rows]
    assert [g + [None] * (width - len(g)) for g in got] == expected
