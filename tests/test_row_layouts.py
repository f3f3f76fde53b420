"""Parser behaviours fixed after the second red-team round (tests/redteam2/), one per test.

Documents are built from the plan's rows with exact values (tests/support/appendix2_builder.py);
each test changes one thing the way a clerk's file did.
"""

from __future__ import annotations

import pytest

from mailbot.forms import load_form
from mailbot.parsing import parse_bytes
from mailbot.parsing.interpret import interpret
from mailbot.parsing.model import Cell, Document
from mailbot.parsing.values import read_number
from tests.support.appendix2_builder import PLAN_ROWS, plan_document, plan_rows, sample_values
from tests.support.office_builders import docx_bytes
from tests.support.office_builders import p as para

FORM = load_form()
VALUES = sample_values(23, blank=0.0)


def parse(doc: Document):
    return interpret(doc, FORM, doc.name)


def row_index(code: str) -> int:
    return next(i for i, r in enumerate(PLAN_ROWS) if r.code == code)


@pytest.mark.parametrize(
    ("text", "value"),
    [("38 HS", 38), ("12 học sinh", 12), ("45 GV", 45), ("3 HV", 3), ("2 hội thảo", 2)],
)
def test_unit_word_starting_with_h_after_a_number_is_not_a_time(text, value):
    """ "38 HS" or "12 học sinh" is a count; only "8h", "8 giờ", "8h30" are times."""
    assert read_number(text).numbers == (value,)


@pytest.mark.parametrize(
    ("unit", "typed", "amount"),
    [("triệu đồng", "2,5", 2_500_000), ("Tr.đ", "15", 15_000_000), ("nghìn đồng", "1,5", 1_500)],
)
def test_decimal_amount_in_a_row_counted_in_millions_is_scaled(unit, typed, amount):
    """ "2,5" in a money row whose unit cell says "triệu đồng" is 2,500,000 đồng."""
    rows = plan_rows(VALUES)
    row = rows[row_index("10.2")]
    row[2], row[3] = Cell(unit), Cell(typed)
    assert parse(plan_document(VALUES, rows=rows)).values["10.2"] == {"amount": amount}


def test_rows_split_in_two_with_figures_below_the_label_are_read_as_one_row():
    """Label, STT and unit merged down over two rows with the figures in the lower row."""
    rows: list[list[Cell]] = []
    for plan, r in zip(PLAN_ROWS, plan_rows(VALUES), strict=True):
        if plan.shifted:  # the plan's own misaligned row stays as printed
            rows.append(r)
            continue
        rows.append([*r[:3], Cell(), Cell(), Cell()])
        rows.append([Cell(), Cell(), Cell(), *r[3:]])
    assert parse(plan_document(VALUES, rows=rows)).values == VALUES


@pytest.mark.parametrize(
    "block",
    [
        [["", "NGƯỜI LẬP BIỂU", "", "", "HIỆU TRƯỞNG", ""]],
        [["", "", "", "Quỳnh Nhai, ngày 15 tháng 10 năm 2021", "", ""]],
        [["", "", "", "TM. UBND XÃ MƯỜNG GIÔN", "", ""], ["", "", "", "CHỦ TỊCH", "", ""]],
        [["", "Thủ trưởng đơn vị", "", "KT. HIỆU TRƯỞNG", "", ""]],
    ],
)
def test_signature_block_under_the_table_is_never_a_table_row(block):
    """Rows from the signature block on (signers, the date line) do not fill row 11."""
    values = {**VALUES, "11": {"text": None}}
    rows = plan_rows(values) + [[Cell(t) for t in r] for r in block]
    assert parse(plan_document(values, rows=rows)).values["11"] == {"text": None}


def grouped(codes: list[str], heading: str | None, sep: str = "\n") -> list[list[Cell]]:
    """The plan's rows with `codes` typed as lines of ONE row (a heading line first if given)."""
    rows = plan_rows(VALUES)
    idx = [row_index(c) for c in codes]
    if heading is not None:
        idx.insert(0, next(i for i, r in enumerate(PLAN_ROWS) if r.label == heading))
    group = [rows[i] for i in idx]
    lines = [g[1].text if k == 0 else f"- {g[1].text}" for k, g in enumerate(group)]
    one = [Cell(group[0][0].text), Cell(sep.join(lines))]
    one += [Cell(sep.join(g[k].text for g in group if g[2].text)) for k in (2, 3, 4)]
    one.append(Cell())
    return (
        [r for i, r in enumerate(rows) if i not in idx[1:]][: idx[0]]
        + [one]
        + [r for i, r in enumerate(rows) if i > idx[-1]]
    )


@pytest.mark.parametrize(
    ("codes", "heading"),
    [(["9.1", "9.2"], "Khen thưởng về tổ chức Tuần lễ"), (["6", "6.1", "6.2", "6.3"], None)],
)
def test_sub_rows_typed_as_lines_of_one_cell_are_split(codes, heading):
    """A group typed as lines inside one row's cells reads line by line, headings skipped."""
    result = parse(plan_document(VALUES, rows=grouped(codes, heading), kind="docx"))
    assert {c: result.values[c] for c in codes} == {c: VALUES[c] for c in codes}


def test_numbers_stacked_on_lines_of_one_cell_are_never_joined():
    """ "96↵356↵↵252" in a cell that cannot be split reads as blank with a warning."""
    rows = plan_rows(VALUES)
    rows[row_index("1.7")][4] = Cell("96\n356\n\n252")
    result = parse(plan_document(VALUES, rows=rows))
    assert result.values["1.7"]["people"] is None
    assert any(w.code == "1.7" and "nhiều số" in w.message for w in result.warnings)


@pytest.mark.parametrize("word", ["Không", "không tổ chức", "-"])
def test_lone_zero_word_in_a_one_column_table_is_zero_for_both_slots(word):
    """ "Không" in the single "Kết quả" column of a lớp/người row: no classes, no people."""
    rows = [[*r[:3], Cell(f"{r[3].text} lớp, {r[4].text} người") if r[4].text else r[3], r[5]]
            for r in plan_rows(VALUES)]  # fmt: skip
    rows[row_index("1.2")][3] = Cell(word)
    header = (["STT", "Các hoạt động", "Đơn vị", "Kết quả", "Ghi chú"],)
    result = parse(plan_document(VALUES, rows=rows, header=header))
    assert result.values["1.2"] == {"count": 0, "people": 0}


@pytest.mark.parametrize(("label", "unit"), [("", "người"), ("- Số người", ""), ("", "lượt người")])
def test_people_half_of_a_row_typed_as_its_own_row_joins_the_row_above(label, unit):
    """A "lớp" row followed by a "người" row (one Số lượng column) is one lớp/người line."""
    rows: list[list[Cell]] = []
    for plan, r in zip(PLAN_ROWS, plan_rows(VALUES), strict=True):
        if plan.slots == ("count", "people") and not plan.shifted:
            rows.append([r[0], r[1], Cell("lớp"), r[3], r[5]])
            rows.append([Cell(), Cell(label), Cell(unit), r[4], Cell()])
        else:
            rows.append([*r[:4], r[5]])
    header = (["STT", "Nội dung", "Đơn vị tính", "Số lượng", "Ghi chú"],)
    result = parse(plan_document(VALUES, rows=rows, header=header))
    assert result.values["1.3"] == VALUES["1.3"] and result.values["6.2"] == VALUES["6.2"]


def test_table_typed_with_tabs_in_word_paragraphs_is_read_as_a_table():
    """Paragraphs of tab-separated fields under a tabbed header line read as the table."""
    lines = ["TRƯỜNG TIỂU HỌC MƯỜNG GIÀNG", "BIỂU TỔNG HỢP"]
    lines += ["STT\tCác hoạt động\tĐơn vị\tSố lượng\t\tGhi chú", "\t\t\tSố lớp/số cuộc thi\tNgười"]
    lines += ["\t".join(c.text for c in r).rstrip("\t") for r in plan_rows(VALUES)]
    lines += ["Người lập biểu\tHIỆU TRƯỞNG"]
    result = parse_bytes(docx_bytes("".join(para(t) for t in lines)), "tabs.docx")
    assert result.values == VALUES
