"""Layouts clerks make of the form: sub-columns under the value columns, one table per group."""

from __future__ import annotations

import pytest

from mailbot.forms import load_form
from mailbot.parsing.interpret import interpret
from mailbot.parsing.model import Cell, Document, Grid
from tests.support.appendix2_builder import HEADER, PLAN_ROWS, TITLE, plan_rows, sample_values

FORM = load_form()
VALUES = sample_values(23, blank=0.0)


def _split(value: int | None, parts: int) -> list[int | None]:
    """A figure cut into `parts` sub-figures that add up to it (blank stays blank)."""
    if value is None:
        return [None] * parts
    first = value // 2
    return [first, value - first] if parts == 2 else [first, value - first, value]


def _sub_sheet(words: tuple[str, ...], total: bool) -> Document:
    """The plan's table with each value column split into `words` sub-columns (+ Tổng)."""
    subs = [*words, "Tổng"] if total else list(words)
    n = len(subs)
    head = [
        ["STT", "Các hoạt động", "Đơn vị", "Số lượng", *[""] * (2 * n - 1), "Ghi chú"],
        ["", "", "", "Số lớp/số cuộc thi", *[""] * (n - 1), "Người", *[""] * (n - 1), ""],
        ["", "", "", *subs, *subs, ""],
    ]
    rows = [[Cell(t) for t in r] for r in head]
    for cells in plan_rows(VALUES):
        stt, label, unit, count, people, note = cells
        out = [stt, label, unit]
        for cell in (count, people):
            if cell.value is None:  # blank, or the text of row 11: in the first sub-column
                out += [cell] + [Cell() for _ in range(n - 1)]
                continue
            for v in _split(cell.value, len(words)) + ([cell.value] if total else []):
                out.append(Cell(str(v), v))
        rows.append([*out, note])
    return Document("x.xlsx", "xlsx", [Grid("Sheet1", [[Cell(t)] for t in TITLE] + rows)])


@pytest.mark.parametrize("words", [("Trực tiếp", "Trực tuyến"), ("Nam", "Nữ")])
@pytest.mark.parametrize("total", [True, False])
def test_sub_columns_read_as_their_total(words, total):
    """With a "Tổng" sub-column it is the figure; without one, the sub-columns are summed."""
    values = {c: dict(s) for c, s in VALUES.items()}
    # Rows the plan prints shifted one column left keep their plain cells: skip them here.
    result = interpret(_sub_sheet(words, total), FORM, "x.xlsx")
    shifted = {r.code for r in PLAN_ROWS if r.shifted}
    got = {c: v for c, v in result.values.items() if c not in shifted}
    assert got == {c: v for c, v in values.items() if c not in shifted}


def test_one_table_per_activity_group_is_read_whole():
    """Each group on its own sheet with its own header: every group's figures are read."""
    rows = plan_rows(VALUES)
    cut = next(i for i, r in enumerate(PLAN_ROWS) if r.code == "2")
    head = [[Cell(t) for t in h] for h in HEADER]
    grids = [
        Grid("Bồi dưỡng", [[Cell(TITLE[0])], *head, *rows[:cut]]),
        Grid("Tuyên truyền", [*head, *rows[cut:]]),
    ]
    result = interpret(Document("x.xlsx", "xlsx", grids), FORM, "x.xlsx")
    assert result.values == VALUES


def test_last_years_sheet_beside_this_years_is_not_joined():
    """Last year's sheet kept before this year's: its lines are not added to this year's."""
    old = {
        c: {s: (v + 1 if isinstance(v, int) else v) for s, v in d.items()}
        for c, d in VALUES.items()
    }
    head = [[Cell(t) for t in h] for h in HEADER]
    grids = [
        Grid("2020", [[Cell(TITLE[0])], *head, *plan_rows(old)]),
        Grid("2021", [[Cell(TITLE[0])], *head, *plan_rows(VALUES)]),
    ]
    result = interpret(Document("x.xlsx", "xlsx", grids), FORM, "x.xlsx")
    assert result.values == VALUES
