"""What Excel does to what clerks type, undone: auto-dated "2/45", 12 in a percent cell,
the figure typed in the label cell after Alt+Enter."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from mailbot.parsing import parse_bytes
from mailbot.parsing.celltext import date_text
from mailbot.parsing.labelsplit import figures_from_labels
from mailbot.parsing.model import Cell, Row
from mailbot.parsing.values import read_cell
from tests.support.appendix2_builder import (
    HEADER,
    HEADER_BLOCK,
    PLAN_ROWS,
    TITLE,
    plan_rows,
    sample_values,
)

VALUES = sample_values(17, blank=0.0)


@pytest.mark.parametrize(
    ("typed", "date", "fmt"),
    [("2/45", dt.date(1945, 2, 1), "mmm-yy"), ("3/84", dt.date(1984, 3, 1), "mmm\\-yy"),
     ("12/30", dt.date(1930, 12, 1), "[$-409]mmm-yy;@")],
)  # fmt: skip
def test_a_month_year_date_excel_made_reads_as_what_was_typed(typed, date, fmt):
    """Excel turns "2/45" into Feb-45 (1945-02-01): the text is "2/45" again."""
    assert date_text(date, fmt) == typed


@pytest.mark.parametrize(
    ("date", "fmt"), [(dt.date(2021, 10, 15), "dd/mm/yyyy"), (dt.date(1945, 2, 1), "d-mmm-yy")]
)
def test_a_real_date_stays_a_date(date, fmt):
    """A date with a day in its format is a date the clerk meant (never a figure)."""
    assert date_text(date, fmt) == date.strftime("%d/%m/%Y")


@pytest.mark.parametrize(("stored", "shown", "want"), [(0.12, "12%", 12), (0.5, "50%", 50)])
def test_a_figure_typed_into_a_percent_cell_reads_as_shown(stored, shown, want):
    """12 typed in a cell formatted "0%" is stored 0.12 and shown 12%: the figure is 12."""
    assert read_cell(Cell(shown, stored)).numbers == (want,)


def test_a_fractional_percent_is_not_a_count():
    """12.5% is no count of anything: it stays unread, with a reason."""
    reading = read_cell(Cell("12.5%", 0.125))
    assert not reading.numeric and reading.problem


@pytest.mark.parametrize(
    ("label", "unit", "count", "people"),
    [("Số tin bài về các hoạt động của Tuần lễ:\n09 tin bài", "Tin, bài/ cuộc", 9, None),
     ("Học nghề cho lao động nông thôn\n2 lớp, 45 người", "lớp/người", 2, 45),
     ("Xóa mù chữ\n30 người", "lớp/người", None, 30)],
)  # fmt: skip
def test_a_figure_on_the_label_cells_last_line_moves_to_the_value_cells(label, unit, count, people):
    """Alt+Enter then the figure, value cells blank: the figure is the row's."""
    (row,) = figures_from_labels([Row(label=label, unit=unit)])
    assert "\n" not in row.label and not row.label.endswith(":")
    assert read_cell(row.count).value == count and read_cell(row.people).value == people


@pytest.mark.parametrize(
    "label",
    ["Thi tìm hiểu lịch sử địa phương\nnăm 2021", "Sinh hoạt chuyên đề\n(theo KH số 15/KH-UBND)"],
)
def test_a_label_whose_last_line_is_no_quantity_is_left_alone(label):
    """A year or a document number on the label's last line is not a figure."""
    (row,) = figures_from_labels([Row(label=label, unit="Số cuộc")])
    assert row.label == label and row.count.blank


def test_a_label_with_its_own_figure_keeps_the_value_cells():
    """When the value cells are filled, the label's last line is not read as a figure."""
    row = Row(label="Xóa mù chữ\n3 lớp", unit="lớp/người", count=Cell("2", 2))
    (out,) = figures_from_labels([row])
    assert out.label == row.label and out.count.value == 2


def _auto_dated_workbook() -> tuple[bytes, dict]:
    """The plan's table with every lớp/người pair typed "c/pp" in one cell and auto-dated
    by Excel (1 Month 19pp, format mmm-yy); and the values that means."""
    values = {code: dict(slots) for code, slots in VALUES.items()}
    wb = openpyxl.Workbook()
    ws = wb.active
    for a, b in HEADER_BLOCK:
        ws.append([a, None, None, b])
    for t in TITLE:
        ws.append([t])
    for h in HEADER:
        ws.append(list(h))
    for plan, cells in zip(PLAN_ROWS, plan_rows(values), strict=True):
        typed = [c.value if c.value is not None else (c.text or None) for c in cells]
        ws.append(typed)
        if plan.code and plan.slots == ("count", "people") and not plan.shifted:
            c, p = values[plan.code]["count"], 30 + (values[plan.code]["people"] or 0) % 60
            values[plan.code] = {"count": min(max(c or 1, 1), 12), "people": p}
            cell = ws.cell(ws.max_row, 4, dt.datetime(1900 + p, values[plan.code]["count"], 1))
            cell.number_format = "mmm-yy"
            ws.cell(ws.max_row, 5).value = None
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), values


def test_auto_dated_pairs_in_a_workbook_read_as_classes_and_people():
    """End to end: every "2/45" Excel made a date is read back as 2 classes, 45 people."""
    data, want = _auto_dated_workbook()
    result = parse_bytes(data, "bao-cao.xlsx")
    diffs = {
        code: (want[code], result.values[code])
        for code in want
        if want[code] != result.values[code]
    }
    assert diffs == {}


@pytest.mark.parametrize(
    ("date", "fmt", "typed"),
    [(dt.date(2021, 10, 1), "dd/mm", "1/10"), (dt.date(2021, 1, 10), "mm/dd", "1/10")],
)
def test_a_day_month_date_excel_made_reads_in_its_formats_order(date, fmt, typed):
    """ "1/10" typed where Excel reads d/m becomes 1 October shown "01/10": read "1/10"."""
    assert date_text(date, fmt) == typed


def test_a_class_people_pair_on_the_label_cells_last_line_is_read():
    """ "Xóa mù chữ" Alt+Enter "1 lớp/25 người": 1 class, 25 people."""
    (row,) = figures_from_labels([Row(label="Xóa mù chữ\n1 lớp/25 người", unit="lớp/người")])
    assert (row.label, row.count.value, row.people.value) == ("Xóa mù chữ", 1, 25)


def test_a_document_number_on_the_label_cells_last_line_is_no_pair():
    """ "(KH 15/10)" under a label is a plan's number, not 15 classes and 10 people."""
    (row,) = figures_from_labels([Row(label="Sinh hoạt chuyên đề\nKH 15/10", unit="Số cuộc/người")])
    assert row.count.blank and row.people.blank
