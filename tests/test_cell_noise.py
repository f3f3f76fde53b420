"""Interpreter: what clerks leave in cells that must not become numbers, and where units hide.

Ghi chú holding dates and remarks, the form's dotted placeholders, columns of other figures
(last year's, rates), soft hyphens from Word, and unit names given only in a title line.
Documents are built from the plan's rows with exact values (tests/support/appendix2_builder.py).
"""

from __future__ import annotations

import pytest

from mailbot.forms import load_form
from mailbot.parsing.interpret import interpret
from mailbot.parsing.model import Cell, Document, Grid
from tests.support.appendix2_builder import PLAN_ROWS, plan_document, plan_rows, sample_values

FORM = load_form()
VALUES = sample_values(23, blank=0.0)


def parse(doc: Document):
    return interpret(doc, FORM, doc.name)


def row_index(code: str) -> int:
    return next(i for i, r in enumerate(PLAN_ROWS) if r.code == code)


def with_cells(code: str, count: Cell, people: Cell, note: Cell) -> list[list[Cell]]:
    """The plan's rows with one code's count, people and note cells replaced."""
    rows = plan_rows(VALUES)
    rows[row_index(code)][3:6] = [count, people, note]
    return rows


def note_warnings(result, code: str) -> list[str]:
    return [w.message for w in result.warnings if w.code == code and "Ghi chú" in w.message]


# --- Ghi chú ------------------------------------------------------------------------


@pytest.mark.parametrize("note", ["12/10/2021", "ngày 5/10", "Ngày 15/10", "15/10"])
def test_date_in_note_never_fills_blank_count_and_people(note):
    """A date in Ghi chú of a lớp/người row with blank values leaves both slots empty."""
    result = parse(plan_document(VALUES, rows=with_cells("1.9", Cell(), Cell(), Cell(note))))
    assert result.values["1.9"] == {"count": None, "people": None}
    assert note_warnings(result, "1.9") == []


@pytest.mark.parametrize(
    "note", ["đạt 100%", "50%", "8h30", "0912345678", "Số 15/KH-UBND", "Năm 2021"]
)
def test_remark_in_note_never_fills_blank_single_slot(note):
    """Percentages, times, phone and document numbers in Ghi chú do not fill a count."""
    result = parse(plan_document(VALUES, rows=with_cells("2", Cell(), Cell(), Cell(note))))
    assert result.values["2"] == {"count": None}


def test_note_with_people_unit_fills_people_slot():
    """ "45 người" in Ghi chú of a blank lớp/người row is its people, not its classes."""
    result = parse(plan_document(VALUES, rows=with_cells("1.9", Cell(), Cell(), Cell("45 người"))))
    assert result.values["1.9"] == {"count": None, "people": 45}
    assert note_warnings(result, "1.9")


def test_note_with_row_unit_fills_blank_count():
    """ "3 lớp" in Ghi chú of a blank lớp/người row is its count of classes."""
    result = parse(plan_document(VALUES, rows=with_cells("1.9", Cell(), Cell(), Cell("3 lớp"))))
    assert result.values["1.9"] == {"count": 3, "people": None}


def test_money_in_note_fills_blank_amount():
    """ "15 triệu" in Ghi chú of a blank money row is 15,000,000 đồng."""
    result = parse(plan_document(VALUES, rows=with_cells("10.1", Cell(), Cell(), Cell("15 triệu"))))
    assert result.values["10.1"] == {"amount": 15_000_000}


def test_note_is_ignored_when_value_cells_are_filled():
    """A number in Ghi chú never replaces what the value cells say."""
    rows = with_cells("2", Cell("4", 4), Cell(), Cell("7"))
    assert parse(plan_document(VALUES, rows=rows)).values["2"] == {"count": 4}


# --- placeholders -------------------------------------------------------------------


@pytest.mark.parametrize("mark", ["…", "……", ".....", "...", "___", "/"])
def test_placeholder_cells_are_not_reported(mark):
    """Dotted or underscore fill-in marks left in both value cells give null, not zero."""
    result = parse(plan_document(VALUES, rows=with_cells("1.2", Cell(mark), Cell(mark), Cell())))
    assert result.values["1.2"] == {"count": None, "people": None}


def test_placeholder_cells_raise_no_warning():
    """A placeholder is an untouched blank: the clerk is not told it is unreadable."""
    result = parse(plan_document(VALUES, rows=with_cells("2", Cell("....."), Cell(), Cell())))
    assert [w for w in result.warnings if w.code == "2"] == []


def test_placeholder_beside_a_pair_keeps_the_pair():
    """ "2/45" under Số lớp with "…" under Người still gives 2 classes and 45 people."""
    result = parse(plan_document(VALUES, rows=with_cells("1.5", Cell("2/45"), Cell("…"), Cell())))
    assert result.values["1.5"] == {"count": 2, "people": 45}


def test_dash_still_reads_as_zero():
    """A dash is the clerk saying none: zero, unlike the dotted placeholder."""
    result = parse(plan_document(VALUES, rows=with_cells("1.2", Cell("-"), Cell("–"), Cell())))
    assert result.values["1.2"] == {"count": 0, "people": 0}


def test_placeholder_in_text_slot_is_no_text():
    """Code 11 left with its "…" placeholder has no text."""
    rows = plan_rows(VALUES)
    rows[row_index("11")][3] = Cell("…")
    assert parse(plan_document(VALUES, rows=rows)).values["11"] == {"text": None}


# --- columns of other figures -------------------------------------------------------


def _with_column(header: str, figure: Cell) -> Document:
    """The plan's table with one more headed column after Ghi chú; code 3 is blank."""
    head = (
        ["STT", "Các hoạt động", "Đơn vị", "Số lượng", "", "Ghi chú", header],
        ["", "", "", "Số lớp/số cuộc thi", "Người", "", ""],
    )
    rows = [[*r, Cell()] for r in plan_rows(VALUES)]
    rows[row_index("3")][3:7] = [Cell(), Cell(), Cell(), figure]
    return plan_document(VALUES, rows=rows, header=head)


@pytest.mark.parametrize(
    "header", ["Năm 2020", "Năm trước", "Kết quả so với năm trước", "Mã số", "Tỷ lệ", "Tỷ lệ %"]
)
def test_column_of_other_figures_never_fills_a_blank_slot(header):
    """A number under "Năm 2020", "Tỷ lệ" and the like is not this report's figure."""
    assert parse(_with_column(header, Cell("3", 3))).values["3"] == {"count": None}


def test_number_in_unheaded_column_still_fills_a_blank_slot():
    """A number typed just outside the Số lượng columns, under no header, is still read."""
    result = parse(_with_column("", Cell("3", 3)))
    assert result.values["3"] == {"count": 3}
    assert any(w.code == "3" and "ngoài cột" in w.message for w in result.warnings)


# --- soft hyphens -------------------------------------------------------------------


def test_soft_hyphens_in_unicode_text_are_dropped():
    """Word's optional hyphens inside Unicode labels and numbers do not disturb reading."""
    rows = plan_rows(VALUES)
    i = row_index("1.9")
    rows[i][1] = Cell("Bồi dưỡng thường xu\u00adyên cho giáo viên")
    rows[i][3:5] = [Cell("1\u00ad200"), Cell("4\u00ad5")]
    result = parse(plan_document(VALUES, rows=rows))
    assert result.values["1.9"] == {"count": 1200, "people": 45}


def test_soft_hyphen_in_tcvn3_text_is_still_u_horn():
    """In a TCVN3 document the soft-hyphen byte is the letter "ư" and converts as one."""
    doc = plan_document(VALUES, header_block=[("UBND HUYỆN QUỲNH NHAI", ""), ("", "")])
    doc.grids[0].rows[1][0] = Cell("TR\u00adêNG MN Cµ NµNG")
    assert parse(doc).unit_name == "TRƯỜNG MN CÀ NÀNG"


# --- unit named in a title ----------------------------------------------------------


def test_unit_named_only_in_title_is_found():
    """Without a header block, "BÁO CÁO CỦA TRƯỜNG MN CÀ NÀNG" above the table names the unit."""
    doc = plan_document(VALUES, header_block=[])
    doc.grids[0].rows.insert(0, [Cell("BÁO CÁO CỦA TRƯỜNG MN CÀ NÀNG")])
    assert parse(doc).unit_name == "TRƯỜNG MN CÀ NÀNG"


def test_unit_named_in_docx_title_paragraph_is_found():
    """A Word report whose only mention of its unit is the title sentence names it."""
    doc = plan_document(VALUES, kind="docx", header_block=[])
    doc.text.insert(0, "Báo cáo kết quả tổ chức Tuần lễ năm 2021 của UBND xã Mường Giàng")
    assert parse(doc).unit_name == "UBND xã Mường Giàng"


def test_header_block_unit_wins_over_title():
    """A header block's unit line is preferred to a unit named in the title."""
    doc = plan_document(VALUES)
    doc.grids[0].rows.insert(3, [Cell("BÁO CÁO CỦA TRƯỜNG MN CÀ NÀNG")])
    assert parse(doc).unit_name == "TRƯỜNG THCS MƯỜNG GIÀNG"


def test_grid_without_header_keeps_its_unit_line():
    """A plain grid document still names the unit from its header cells."""
    doc = Document("x.xlsx", "xlsx", [Grid("S", [[Cell("UBND XÃ NẬM ÉT")]])])
    assert parse(doc).unit_name == "UBND XÃ NẬM ÉT"


def test_date_typed_in_count_cell_is_refused_with_a_warning():
    """A date in a value cell leaves the slot empty and tells the clerk why."""
    result = parse(plan_document(VALUES, rows=with_cells("2", Cell("12/10/2021"), Cell(), Cell())))
    assert result.values["2"] == {"count": None}
    assert any(w.code == "2" and "ngày tháng" in w.message for w in result.warnings)


def test_rate_sub_column_under_quantity_never_fills_a_blank_slot():
    """A "Tỷ lệ %" sub-column beside Số lớp and Người under "Số lượng" is not read as a value."""
    head = (
        ["STT", "Các hoạt động", "Đơn vị", "Số lượng", "", "", "Ghi chú"],
        ["", "", "", "Số lớp/số cuộc thi", "Người", "Tỷ lệ %", ""],
    )
    rows = [[*r[:5], Cell(), r[5]] for r in plan_rows(VALUES)]
    rows[row_index("3")][3:7] = [Cell(), Cell(), Cell("80", 80), Cell()]
    result = parse(plan_document(VALUES, rows=rows, header=head))
    assert result.values["3"] == {"count": None}
    assert result.values["1.1"] == VALUES["1.1"]
