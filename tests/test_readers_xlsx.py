"""Excel reader: every sheet, merged cells once, numbers, cached and computed formulas."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from mailbot.parsing import xlsx
from mailbot.parsing.model import Cell
from mailbot.parsing.readers import read_document
from tests.support.office_builders import member, patch_zip, xlsx_bytes


def grid_texts(data: bytes, index: int = 0) -> list[list[str]]:
    """One grid of the workbook as rows of cell texts."""
    return [[c.text for c in row] for row in read_document(data, "t.xlsx").grids[index].rows]


def test_merged_cells_keep_value_at_anchor_only() -> None:
    """A merged header reads once at its top-left cell; the covered cells are blank."""
    data = xlsx_bytes(
        {"Biểu": [["STT", "Số lượng", None], [None, "Số lớp", "Người"]]},
        merges={"Biểu": ["B1:C1", "A1:A2"]},
    )
    assert grid_texts(data) == [["STT", "Số lượng", ""], ["", "Số lớp", "Người"]]


def test_every_sheet_is_read_including_hidden_ones() -> None:
    """All worksheets come out as grids in workbook order, hidden sheets too."""
    data = xlsx_bytes({"Hướng dẫn": [["đọc kỹ"]], "Phụ lục 2": [["1", 2]]}, hidden=("Hướng dẫn",))
    assert b'state="hidden"' in member(data, "xl/workbook.xml")
    doc = read_document(data, "t.xlsx")
    assert [g.name for g in doc.grids] == ["Hướng dẫn", "Phụ lục 2"]


def test_numbers_keep_their_value_and_read_like_excel() -> None:
    """Numeric cells carry `value`; integral floats show without '.0'."""
    doc = read_document(xlsx_bytes({"S": [[12, 2.0, 1.5, "02"]]}), "t.xlsx")
    assert doc.grids[0].rows == [
        [Cell("12", 12), Cell("2", 2.0), Cell("1.5", 1.5), Cell("02", None)]
    ]


def test_dates_read_as_day_month_year_text() -> None:
    """A date cell reads as dd/mm/yyyy text with no numeric value."""
    doc = read_document(xlsx_bytes({"S": [[dt.datetime(2021, 10, 15)]]}), "t.xlsx")
    assert doc.grids[0].rows == [[Cell("15/10/2021", None)]]


def test_formula_without_cached_value_is_computed() -> None:
    """SUM and arithmetic written by a program (no cached results) are evaluated."""
    data = xlsx_bytes({"S": [[2, 3], [4, 5], ["=SUM(A1:A2)", "=B1+B2*2"]]})
    row = read_document(data, "t.xlsx").grids[0].rows[2]
    assert row == [Cell("6", 6, "SUM(A1:A2)"), Cell("13", 13, "B1+B2*2")]


def test_formula_across_sheets_is_computed() -> None:
    """A formula referring to another sheet by quoted name is evaluated."""
    data = xlsx_bytes({"Số liệu": [[7]], "Tổng": [["='Số liệu'!A1*2"]]})
    assert read_document(data, "t.xlsx").grids[1].rows == [[Cell("14", 14, "'Số liệu'!A1*2")]]


def test_cached_formula_value_is_trusted_when_excel_saved_it() -> None:
    """A cached result is used as is when the workbook does not ask for a full recalculation."""
    data = xlsx_bytes({"S": [[2], [3], ["=SUM(A1:A2)"]]})
    sheet = member(data, "xl/worksheets/sheet1.xml")
    sheet = re.sub(rb"(<f>SUM\(A1:A2\)</f>)<v\s*/?>(</v>)?", rb"\1<v>99</v>", sheet)
    book = member(data, "xl/workbook.xml").replace(b'fullCalcOnLoad="1"', b"")
    data = patch_zip(data, {"xl/worksheets/sheet1.xml": sheet, "xl/workbook.xml": book})
    assert read_document(data, "t.xlsx").grids[0].rows[2] == [Cell("99", 99, "SUM(A1:A2)")]


def test_cached_value_is_recomputed_when_writer_asked_for_recalculation() -> None:
    """With fullCalcOnLoad (a program's stale 0), the formula is computed instead."""
    data = xlsx_bytes({"S": [[2], [3], ["=SUM(A1:A2)"]]})
    sheet = member(data, "xl/worksheets/sheet1.xml")
    sheet = re.sub(rb"(<f>SUM\(A1:A2\)</f>)<v\s*/?>(</v>)?", rb"\1<v>0</v>", sheet)
    data = patch_zip(data, {"xl/worksheets/sheet1.xml": sheet})
    assert read_document(data, "t.xlsx").grids[0].rows[2] == [Cell("5", 5, "SUM(A1:A2)")]


def test_unsupported_formula_leaves_blank_cell_and_a_note() -> None:
    """A formula mailbot cannot compute yields a blank cell and a Vietnamese note, not its text."""
    data = xlsx_bytes({"S": [[2, "=VLOOKUP(A1,B:C,2,0)"]]})
    doc = read_document(data, "t.xlsx")
    assert doc.grids[0].rows[0][1] == Cell("", None, "VLOOKUP(A1,B:C,2,0)")
    assert len(doc.notes) == 1 and "B1" in doc.notes[0].message
    assert "công thức" in doc.notes[0].message


def test_shared_formula_followers_are_expanded_and_computed() -> None:
    """Cells that share a master formula (t="shared") are translated and computed."""
    data = xlsx_bytes({"S": [[1, 10], [2, 20], ["=SUM(A1:A2)", "=SUM(B1:B2)"]]})
    sheet = member(data, "xl/worksheets/sheet1.xml")
    sheet = sheet.replace(b"<f>SUM(A1:A2)</f>", b'<f t="shared" ref="A3:B3" si="0">SUM(A1:A2)</f>')
    sheet = sheet.replace(b"<f>SUM(B1:B2)</f>", b'<f t="shared" si="0"/>')
    data = patch_zip(data, {"xl/worksheets/sheet1.xml": sheet})
    assert [c.value for c in read_document(data, "t.xlsx").grids[0].rows[2]] == [3, 30]


def test_macro_workbook_reads_without_running_anything() -> None:
    """An .xlsm (with a VBA project member) is sniffed as xlsm and read like any workbook."""
    data = patch_zip(xlsx_bytes({"S": [["a", 1]]}), {"xl/vbaProject.bin": b"\x00" * 64})
    doc = read_document(data, "t.xlsm")
    assert (doc.kind, [[c.text for c in r] for r in doc.grids[0].rows]) == ("xlsm", [["a", "1"]])


def test_stray_cell_far_below_is_truncated_with_a_note() -> None:
    """A lone value beyond the row ceiling does not explode the grid; a note says so."""
    data = xlsx_bytes({"S": [["a"]]})
    sheet = member(data, "xl/worksheets/sheet1.xml").replace(
        b"</sheetData>", b'<row r="900000"><c r="A900000" t="n"><v>1</v></c></row></sheetData>'
    )
    doc = read_document(patch_zip(data, {"xl/worksheets/sheet1.xml": sheet}), "t.xlsx")
    assert len(doc.grids[0].rows) == 5000 and len(doc.notes) == 1


def test_plain_xml_reader_matches_openpyxl_when_openpyxl_refuses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """If openpyxl rejects a workbook, the plain reader yields the same grids and formulas."""
    data = xlsx_bytes(
        {
            "Biểu": [["UBND xã Cà Nàng", None], ["STT", "Số lượng"], [1, 2.5], ["=A3*2", None]],
            "Ẩn": [["ghi chú", True]],
        },
        merges={"Biểu": ["A1:B1"]},
    )
    expected = read_document(data, "t.xlsx")

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise TypeError("expected <class 'float'>")

    monkeypatch.setattr(xlsx.openpyxl, "load_workbook", refuse)
    got = read_document(data, "t.xlsx")
    assert [g.rows for g in got.grids] == [g.rows for g in expected.grids]
    assert got.grids[0].rows[3][0] == Cell("2", 2, "A3*2")


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("2:3", [["Tiêu đề", "x"], ["a", ""]]),
        ("B:C", [["Tiêu đề", "x"], ["a", ""], ["c", ""]]),
    ],
)
def test_plain_xml_reader_reads_whole_row_and_whole_column_merges(
    monkeypatch: pytest.MonkeyPatch, ref: str, expected: list[list[str]]
) -> None:
    """A merge of whole rows ("2:3") or columns ("B:C") has no bounds yet reads like Excel."""
    data = xlsx_bytes(
        {"Biểu": [["Tiêu đề", "x"], ["a", "b"], ["c", "d"]]}, merges={"Biểu": ["D5:E5"]}
    )
    sheet = member(data, "xl/worksheets/sheet1.xml").replace(
        b'ref="D5:E5"', f'ref="{ref}"'.encode()
    )
    assert f'ref="{ref}"'.encode() in sheet
    data = patch_zip(data, {"xl/worksheets/sheet1.xml": sheet})

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise TypeError("expected <class 'float'>")

    monkeypatch.setattr(xlsx.openpyxl, "load_workbook", refuse)
    assert grid_texts(data) == expected
