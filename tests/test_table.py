"""Tests for mailbot.parsing.table: finding the table and placing each row's cells by role."""

from __future__ import annotations

from mailbot.forms import load_form
from mailbot.parsing.labels import LabelMatcher
from mailbot.parsing.model import Cell, Document, Grid, Row
from mailbot.parsing.table import Table, find_table
from tests.support.appendix2_builder import (
    HEADER,
    PLAN_ROWS,
    plan_document,
    plan_rows,
    sample_values,
)

FORM = load_form()
MATCHER = LabelMatcher(FORM)
VALUES = sample_values(7, blank=0.0)
LINE = {(line.code, line.slots): line.index for line in FORM.lines if line.code}


def by_code(table: Table) -> dict[str, Row]:
    """The row assigned to each code's first line."""
    out: dict[str, Row] = {}
    for row, j in zip(table.rows, table.lines, strict=True):
        if j is not None and FORM.lines[j].code is not None:
            out.setdefault(FORM.lines[j].code, row)
    return out


def find(doc: Document) -> Table:
    table = find_table(doc, FORM, MATCHER)
    assert table is not None
    return table


def texts(row: Row) -> tuple[str, str, str, str]:
    return (row.label, row.unit, row.count.text, row.people.text)


def test_table_found_at_any_offset():
    """A table starting lower and further right, after a header block, is found."""
    table = find(plan_document(VALUES, top=5, left=3))
    rows = by_code(table)
    assert texts(rows["1.1"]) == (
        PLAN_ROWS[2].label,
        "lớp/người",
        str(VALUES["1.1"]["count"]),
        str(VALUES["1.1"]["people"]),
    )
    assert len(rows) == len(FORM.indicators)


def test_extra_blank_columns_are_ignored():
    """Empty columns inside the table do not shift the roles."""
    rows = [[r[0], Cell(), r[1], r[2], Cell(), r[3], r[4], r[5]] for r in plan_rows(VALUES)]
    header = tuple([h[0], "", h[1], h[2], "", h[3], h[4], h[5]] for h in HEADER)
    table = find(plan_document(VALUES, rows=rows, header=header))
    row = by_code(table)["6.3"]
    assert (row.count.value, row.people.value) == (VALUES["6.3"]["count"], VALUES["6.3"]["people"])


def test_split_grids_are_joined_and_split_label_continued():
    """A Word table split by a page break reads as one; the split label is joined."""
    table = find(plan_document(VALUES, kind="docx", split=True))
    rows = by_code(table)
    assert rows["5"].label.endswith("khuyến đọc, khuyến học và xây dựng xã hội học tập")
    assert rows["11"].where.startswith("Bảng 2")
    assert len(rows) == len(FORM.indicators)


def test_repeated_header_rows_are_skipped():
    """The header repeated at the top of the next page is not read as data."""
    table = find(plan_document(VALUES, kind="docx", split=True, repeat_header=True))
    assert all(r.label not in ("Các hoạt động", "") for r in table.rows)
    assert len(by_code(table)) == len(FORM.indicators)


def test_header_pasted_in_the_middle_is_skipped():
    """A header row pasted again in the middle of a sheet is skipped."""
    rows = plan_rows(VALUES)
    rows[20:20] = [[Cell(t) for t in h] for h in HEADER]
    table = find(plan_document(VALUES, rows=rows))
    assert len(by_code(table)) == len(FORM.indicators)


def test_shifted_left_row_is_realigned():
    """The plan's row typed one column left (label in STT) reads label, unit and values."""
    row = by_code(find(plan_document(VALUES)))["1.13"]
    assert row.shifted
    assert texts(row) == (
        "Các lớp bồi dưỡng, tập huấn khác",
        "lớp/người",
        str(VALUES["1.13"]["count"]),
        str(VALUES["1.13"]["people"]),
    )


def test_shifted_label_with_values_under_printed_headers():
    """When the shifted row's numbers sit under the printed headers, those are used."""
    rows = plan_rows(VALUES)
    i = next(k for k, r in enumerate(PLAN_ROWS) if r.code == "1.13")
    rows[i] = [Cell("Các lớp bồi dưỡng, tập huấn khác"), Cell("lớp/người"), Cell()]
    rows[i] += [Cell("3", 3), Cell("70", 70), Cell()]
    row = by_code(find(plan_document(VALUES, rows=rows)))["1.13"]
    assert (row.count.value, row.people.value) == (3, 70)


def test_single_header_row_with_other_names():
    """One header row with other usual names (Nội dung, ĐVT, Số lớp, Số người) works."""
    header = (["TT", "Nội dung", "ĐVT", "Số lớp", "Số người", "Ghi chú"],)
    row = by_code(find(plan_document(VALUES, header=header)))["5.3"]
    assert (row.count.value, row.people.value) == (VALUES["5.3"]["count"], VALUES["5.3"]["people"])


def test_quantity_band_without_sub_header():
    """ "Số lượng" over two unlabeled columns: the first counts, the second is people."""
    header = (["STT", "Các hoạt động", "Đơn vị", "Số lượng", "", "Ghi chú"],)
    row = by_code(find(plan_document(VALUES, header=header)))["1.5"]
    assert (row.count.value, row.people.value) == (VALUES["1.5"]["count"], VALUES["1.5"]["people"])


def test_column_number_row_is_skipped():
    """A "(1) (2) … (6)" row under the header is not data."""
    header = (*HEADER, ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"])
    table = find(plan_document(VALUES, header=header))
    assert table.rows[0].label == PLAN_ROWS[0].label


def test_table_without_header_is_found_by_content():
    """With no header row, columns are inferred from the labels and numbers."""
    table = find(plan_document(VALUES, header=()))
    row = by_code(table)["1.9"]
    assert (row.count.value, row.people.value) == (VALUES["1.9"]["count"], VALUES["1.9"]["people"])


def test_merged_label_repeated_in_unit_cell_is_not_a_unit():
    """A merged label cell repeated into the unit column leaves the unit empty."""
    rows = plan_rows(VALUES)
    i = next(k for k, r in enumerate(PLAN_ROWS) if r.code == "2")
    rows[i][2] = Cell(rows[i][1].text)
    row = by_code(find(plan_document(VALUES, rows=rows)))["2"]
    assert row.unit == "" and row.count.value == VALUES["2"]["count"]


def test_foreign_table_is_not_taken():
    """A class list or other table is not mistaken for the form."""
    grid = Grid(
        "Danh sách",
        [
            [Cell("STT"), Cell("Họ và tên"), Cell("Ngày sinh"), Cell("Lớp"), Cell("Ghi chú")],
            [Cell("1"), Cell("Lò Văn Khánh"), Cell("12/03/2010"), Cell("6A"), Cell()],
            [Cell("2"), Cell("Quàng Thị Mai"), Cell("05/07/2010"), Cell("6A"), Cell("Nội trú")],
        ],
    )
    assert find_table(Document("x.xlsx", "xlsx", [grid]), FORM, MATCHER) is None


def test_filled_table_preferred_over_blank_template():
    """A blank copy of the form on another sheet loses to the filled one."""
    blank = plan_document(FORM.empty_values()).grids[0]
    filled = plan_document(VALUES).grids[0]
    doc = Document("x.xlsx", "xlsx", [Grid("Mẫu", blank.rows), Grid("Báo cáo", filled.rows)])
    assert by_code(find(doc))["2"].count.value == VALUES["2"]["count"]


def test_text_above_header_is_kept_for_the_unit_name():
    """Cells above the header are kept, nearest grid first, for the unit name."""
    table = find(plan_document(VALUES))
    assert "TRƯỜNG THCS MƯỜNG GIÀNG" in table.above[0]


def test_split_part_with_other_layout_is_joined():
    """The second part of a split table with fewer columns (no STT) still joins the first."""
    doc = plan_document(VALUES, kind="docx", split=True)
    second = doc.grids[1]
    doc.grids[1] = Grid(second.name, [r[1:5] for r in second.rows])
    rows = by_code(find(doc))
    assert rows["6.3"].people.value == VALUES["6.3"]["people"]
    assert rows["10.2"].count.value == VALUES["10.2"]["amount"]
    assert len(rows) == len(FORM.indicators)


def test_columns_headed_as_other_figures_are_skipped():
    """A "Năm 2020" column and the unlabelled column merged under it are marked skip."""
    head = (
        ["STT", "Các hoạt động", "Đơn vị", "Năm 2020", "", "Số lượng", "", "Ghi chú"],
        ["", "", "", "Số lớp", "Người", "Số lớp/số cuộc thi", "Người", ""],
    )
    rows = [[*r[:3], Cell("9", 9), Cell("9", 9), *r[3:]] for r in plan_rows(VALUES)]
    table = find(plan_document(VALUES, rows=rows, header=head))
    assert table.columns.skip == {3, 4}
    assert (table.columns.count, table.columns.people) == (5, 6)
    assert by_code(table)["2"].extra == []
