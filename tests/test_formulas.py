"""The safe formula evaluator: the subset clerks use, and a clear refusal of the rest."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mailbot.errors import FormulaError
from mailbot.parsing.formulas import evaluate

CELLS: dict[tuple[str | None, int, int], object] = {
    (None, 1, 1): 2,
    (None, 2, 1): 3,
    (None, 3, 1): "ghi chú",
    (None, 1, 2): 0,
    ("Số liệu", 1, 1): 10,
}


def run(formula: str, cells: dict | None = None) -> object:
    """Evaluate over a small fixed sheet (or the given cells)."""
    table = CELLS if cells is None else cells
    rows = max(r for _, r, _ in table)
    return evaluate(formula, lambda s, r, c: table.get((s, r, c)), lambda s: (rows, 5))


@pytest.mark.parametrize(
    ("formula", "value"),
    [
        ("=SUM(A1:A3)", 5),
        ("=A1+A2*2", 8),
        ("=(A1+A2)*2", 10),
        ("=-2^2", 4),
        ("=SUM(A:A)", 5),
        ("=SUM(A1,A2,5)", 10),
        ("='Số liệu'!A1+1", 11),
        ("=$A$1*$A$2", 6),
        ("=50%", 0.5),
        ("=ROUND(2.5,0)", 3),
        ("=IF(B1=0,0,A1/B1)", 0),
        ('=IFERROR(A1/B1,"-")', "-"),
        ('=A1&" lớp"', "2 lớp"),
        ("=sum(a1:a2)", 5),
    ],
)
def test_supported_formula_evaluates(formula: str, value: object) -> None:
    """Each supported formula gives Excel's result."""
    assert run(formula) == value


@pytest.mark.parametrize(
    "formula",
    ["=VLOOKUP(A1,B:C,2,0)", "=A3+1", "=A1/B1", "=SUM(A1:A2", "=[1]Sheet1!A1", "=Khác!A1"],
)
def test_unsupported_or_failing_formula_raises(formula: str) -> None:
    """Unknown functions, #VALUE!, #DIV/0!, bad syntax and unknown sheets raise FormulaError."""
    cells = {**CELLS, ("Khác", 1, 1): None}
    with pytest.raises(FormulaError):
        evaluate(
            formula,
            lambda s, r, c: cells[(s, r, c)] if s in (None, "Số liệu") else _missing(s),
            lambda s: (20, 5),
        )


def _missing(sheet: str | None) -> object:
    raise FormulaError(f"unknown sheet {sheet}")


@given(st.lists(st.integers(-(10**6), 10**6), min_size=1, max_size=30))
def test_sum_of_a_column_equals_the_sum_of_its_numbers(numbers: list[int]) -> None:
    """SUM over a filled column equals Python's sum of the same numbers."""
    cells = {(None, i + 1, 3): n for i, n in enumerate(numbers)}
    assert run(f"=SUM(C1:C{len(numbers)})", cells) == sum(numbers)


@given(st.integers(-1000, 1000), st.integers(-1000, 1000), st.integers(-1000, 1000))
def test_arithmetic_follows_operator_precedence(a: int, b: int, c: int) -> None:
    """'+', '-' and '*' over cells follow the usual precedence."""
    cells = {(None, 1, 1): a, (None, 1, 2): b, (None, 1, 3): c}
    assert run("=A1+B1*C1-A1", cells) == a + b * c - a
