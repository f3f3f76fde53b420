"""Doubts: what makes a reading wait for the unit's confirmation, and what does not."""

from __future__ import annotations

import copy
import json

import pytest

from mailbot.errors import FormError
from mailbot.forms import load_form, parse_form
from mailbot.parsing.interpret import interpret
from mailbot.parsing.model import Cell, Document, Grid, ParseResult
from tests.support.appendix2_builder import (
    HEADER,
    PLAN_ROWS,
    TITLE,
    plan_document,
    plan_rows,
    sample_values,
)

FORM = load_form()
VALUES = sample_values(11, blank=0.0)


def parse(doc: Document) -> ParseResult:
    return interpret(doc, FORM, doc.name)


def row_index(code: str) -> int:
    return next(i for i, r in enumerate(PLAN_ROWS) if r.code == code)


def with_cell(code: str, column: int, cell: Cell) -> list[list[Cell]]:
    rows = plan_rows(VALUES)
    rows[row_index(code)][column] = cell
    return rows


def test_a_clean_reading_has_no_doubt():
    """The plan's table typed plainly is read exactly and booked as fact."""
    result = parse(plan_document(VALUES))
    assert result.values == VALUES
    assert result.doubts == [] and not result.doubtful


def test_a_word_in_a_value_cell_is_a_doubt():
    """A value cell holding words instead of a figure may hide a number."""
    result = parse(plan_document(VALUES, rows=with_cell("2", 3, Cell("chín bài"))))
    assert result.doubtful
    assert any("Dòng 2" in d and "chín bài" in d for d in result.doubts)


def test_an_x_in_a_value_cell_is_no_doubt():
    """ "x" is how clerks write "none": a warning at most, never a doubt."""
    result = parse(plan_document(VALUES, rows=with_cell("2", 3, Cell("x"))))
    assert not result.doubtful


def test_two_figures_in_a_one_figure_row_are_a_doubt():
    """Two different numbers where the form has one: which is meant is a guess."""
    rows = with_cell("2", 4, Cell("7", 7))
    rows[row_index("2")][3] = Cell("9", 9)
    result = parse(plan_document(VALUES, rows=rows))
    assert any(d.startswith("Dòng 2 ghi hai số") for d in result.doubts)


@pytest.mark.parametrize(
    ("code", "slot", "value", "word"),
    [
        ("2", "count", 44480, "lớn"),
        ("1.5", "people", 250_000, "lớn"),
        ("10.1", "amount", 15, "nhỏ"),
    ],
)
def test_a_figure_outside_the_forms_expectations_is_a_doubt(code, slot, value, word):
    """A date serial, a run-together pair or money typed in millions is doubted."""
    values = copy.deepcopy(VALUES)
    values[code][slot] = value
    result = parse(plan_document(values))
    assert result.values[code][slot] == value
    assert any(d.startswith(f"Dòng {code}:") and f"{word} bất thường" in d for d in result.doubts)


def test_a_big_but_plausible_figure_is_no_doubt():
    """Bounds come from the form file: 40 000 leaflets (code 3) is a plausible figure."""
    values = copy.deepcopy(VALUES)
    values["3"]["count"] = 40_000
    assert not parse(plan_document(values)).doubtful


def test_sums_that_do_not_add_up_are_a_warning_not_a_doubt():
    """A rule breach the clerk really made says nothing about the reading."""
    values = copy.deepcopy(VALUES)
    values["1"]["count"] = (values["1"]["count"] or 0) + 5
    result = parse(plan_document(values))
    assert result.values == values
    assert any("khác tổng" in w.message for w in result.warnings)
    assert not result.doubtful


def test_a_row_with_figures_matching_no_line_is_a_doubt():
    """Figures under a label the form does not have may belong to a line left blank."""
    rows = plan_rows(VALUES)
    i = row_index("2")
    rows[i][1] = Cell("Hoạt động tuyên truyền lưu động bằng loa kẹo kéo")
    result = parse(plan_document(VALUES, rows=rows))
    assert any("không khớp" in d for d in result.doubts)


def test_a_breakdown_under_a_filled_row_is_no_doubt():
    """Sub-items with figures under a filled line ("- Tập huấn sơ cấp cứu") lose nothing."""
    rows = plan_rows(VALUES)
    i = row_index("1.13")
    rows.insert(i + 1, [Cell(), Cell("- Tập huấn sơ cấp cứu cho đoàn viên"), Cell("lớp/người"),
                        Cell("1", 1), Cell("30", 30), Cell()])  # fmt: skip
    result = parse(plan_document(VALUES, rows=rows))
    assert result.values == VALUES
    assert not result.doubtful


def test_two_rows_labels_in_one_cell_with_one_figure_is_a_doubt():
    """4.1 and 4.2 labelled in one cell but one figure: the other code is missing, doubted."""
    rows = plan_rows(VALUES)
    i, k = row_index("4.1"), row_index("4.2")
    rows[i][1] = Cell(f"{PLAN_ROWS[i].label}\n{PLAN_ROWS[k].label}")
    del rows[k]
    result = parse(plan_document(VALUES, rows=rows))
    assert any("4.1" in d or "4.2" in d for d in result.doubts)


def test_deleted_rows_of_activities_not_held_are_no_doubt():
    """Clerks delete the rows they have nothing for: the table lacks them, the reading is sure."""
    rows = plan_rows(VALUES)
    for code in ("1.6", "5.2"):
        del rows[row_index(code) - (code == "5.2")]
    result = parse(plan_document(VALUES, rows=rows))
    assert any("thiếu các dòng" in w.message for w in result.warnings)
    assert not result.doubtful


def test_parse_json_carries_doubtful_and_doubts_beside_warnings():
    """`mailbot parse --json` shows "doubtful" and "doubts" (Vietnamese reasons)."""
    result = parse(plan_document(VALUES, rows=with_cell("2", 3, Cell("chín bài"))))
    d = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert d["doubtful"] is True and d["doubts"] == result.doubts
    keys = list(d)
    assert keys.index("doubts") == keys.index("warnings") + 2


def test_an_unknown_code_in_the_forms_expectations_is_refused():
    """A typo in [expect.codes] is a form error naming the code, not a silent no-op."""
    data = {
        "id": "t",
        "columns": {
            k: ["x"] for k in ("stt", "label", "unit", "quantity", "count", "people", "note")
        },
        "lines": [{"code": "1", "label": "A", "slots": ["count"]}],
        "campaign": {k: ["x"] for k in ("words", "weak_words", "appendix1_headings")},
        "expect": {"codes": {"9": {"count": {"max": 5}}}},
    }
    with pytest.raises(FormError, match="'9'"):
        parse_form(data)


def test_a_figure_taken_from_ghi_chu_is_a_doubt():
    """Value cells blank, "25 quyển" in Ghi chú: read, but the unit confirms it."""
    rows = with_cell("4.2", 3, Cell())
    rows[row_index("4.2")][5] = Cell("25 quyển")
    result = parse(plan_document(VALUES, rows=rows))
    assert result.values["4.2"]["count"] == 25
    assert any(d.startswith("Dòng 4.2:") and "Ghi chú" in d for d in result.doubts)


def test_figures_in_a_column_the_form_lacks_beside_filled_cells_are_a_doubt():
    """Sub-columns the reader did not fold: one figure read, another beside it unread."""
    rows = plan_rows(VALUES)
    for r in rows:
        r.append(Cell())
    rows[row_index("2")][6] = Cell("4", 4)
    result = parse(plan_document(VALUES, rows=rows))
    assert result.values == VALUES
    assert any(d.startswith("Dòng 2 có số ở chỗ") for d in result.doubts)


def test_a_figure_left_in_the_label_with_blank_value_cells_is_a_doubt():
    """ "Xóa mù chữ 2 lớp" on one line, value cells blank: the figure is not read, so doubted."""
    rows = with_cell("1.12", 3, Cell())
    rows[row_index("1.12")][4] = Cell()
    rows[row_index("1.12")][1] = Cell("Xóa mù chữ (2 lớp, 40 người tham gia)")
    result = parse(plan_document(VALUES, rows=rows))
    assert any(d.startswith("Dòng 1.12 có số ở chỗ") for d in result.doubts)


def test_a_year_in_a_label_is_no_stray_figure():
    """ "… năm 2021" in a label with blank value cells is no figure left unread."""
    values = copy.deepcopy(VALUES)
    values["2"]["count"] = None
    rows = plan_rows(values)
    rows[row_index("2")][1] = Cell("Số tin bài về các hoạt động của Tuần lễ năm 2021")
    assert not parse(plan_document(values, rows=rows)).doubtful


def test_figures_in_a_second_table_not_read_are_a_doubt():
    """A second group table sharing a line with the first is not joined: its codes are doubted."""
    rows = plan_rows(VALUES)
    cut = row_index("2")
    head = [[Cell(t) for t in h] for h in HEADER]
    grids = [
        Grid("A", [[Cell(TITLE[0])], *head, *rows[:cut]]),
        Grid("Ảnh", [[Cell("Ảnh hoạt động")]]),
        Grid("B", [*head, rows[cut - 1], *rows[cut:]]),  # repeats the row above the cut
    ]
    result = parse(Document("x.xlsx", "xlsx", grids))
    lost = [c for c in VALUES if result.values[c] != VALUES[c]]
    assert lost  # one group is not read ...
    assert any("bảng khác" in d and lost[0] in d for d in result.doubts)  # ... and it says so
