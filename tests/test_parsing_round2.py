"""Parser behaviours fixed after the second red-team round (tests/redteam2/), one per test.

Documents are built from the plan's rows with exact values (tests/appendix2_builder.py);
each test changes one thing the way a clerk's file did.
"""

from __future__ import annotations

import pytest

from mailbot.forms import load_form
from mailbot.parsing.interpret import interpret
from mailbot.parsing.model import Cell, Document
from mailbot.parsing.values import read_number
from tests.appendix2_builder import PLAN_ROWS, plan_document, plan_rows, sample_values

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
