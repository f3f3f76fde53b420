"""Two rows' labels typed in one merged cell: each physical row keeps its own figure."""

from __future__ import annotations

import pytest

from mailbot.forms import load_form
from mailbot.parsing.interpret import interpret
from mailbot.parsing.model import Cell
from tests.support.appendix2_builder import PLAN_ROWS, plan_document, plan_rows, sample_values

FORM = load_form()
VALUES = sample_values(5, blank=0.0)
PAIRS = [("4.1", "4.2"), ("9.1", "9.2"), ("10.1", "10.2")]


def index(code: str, slots: tuple[str, ...] | None = None) -> int:
    return next(
        i for i, r in enumerate(PLAN_ROWS) if r.code == code and (slots is None or r.slots == slots)
    )


def merged(first: int, second: int, *, unit_too: bool, kind: str = "xlsx"):
    """The plan's table with rows `first` and `second` sharing one label cell (two lines)."""
    rows = plan_rows(VALUES)
    a, b = PLAN_ROWS[first], PLAN_ROWS[second]
    rows[first][1] = Cell(f"{a.label}\n{b.label}")
    rows[second][1] = Cell()
    if unit_too:
        rows[first][2] = Cell(f"{a.unit}\n{b.unit}")
        rows[second][2] = Cell()
    return plan_document(VALUES, rows=rows, kind=kind)


@pytest.mark.parametrize(("first", "second"), PAIRS)
@pytest.mark.parametrize("unit_too", [False, True])
@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_each_row_under_a_two_line_label_keeps_its_figure(first, second, unit_too, kind):
    """4.1+4.2, 9.1+9.2, 10.1+10.2 in one merged label cell read as two rows, not one."""
    doc = merged(index(first), index(second), unit_too=unit_too, kind=kind)
    result = interpret(doc, FORM, doc.name)
    assert result.values == VALUES
    assert not any("hai số" in w.message or "thiếu" in w.message for w in result.warnings)
    assert not result.doubtful


def test_classes_and_people_of_line_1_in_one_merged_label():
    """Row 1 (classes) and "Tổng số người tham gia" (people) merged: both figures kept."""
    doc = merged(index("1", ("count",)), index("1", ("people",)), unit_too=True)
    result = interpret(doc, FORM, doc.name)
    assert result.values["1"] == VALUES["1"]


def test_a_two_line_label_over_a_row_with_its_own_label_is_left_alone():
    """A wrapped label whose next row is labelled is one row's label, not two rows'."""
    rows = plan_rows(VALUES)
    i = index("2")
    rows[i][1] = Cell("Số tin bài về các hoạt động\ncủa Tuần lễ")
    result = interpret(plan_document(VALUES, rows=rows), FORM, "x.xlsx")
    assert result.values == VALUES
