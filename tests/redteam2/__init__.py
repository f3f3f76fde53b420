"""Second, independent red-team corpus for the Appendix 2 parser: how clerks really make files.

Built from the plan's text and the reference only (not from the parser, tests/formgen or the
first red-team round's builders): tab-typed tables, grouped cells, split rows, 'Kết quả'
columns, money in millions/thousands/words, year copies, cross-sheet formulas, error cells,
auto-dates, unit-name traps, blank forms and foreign files. `all_cases()` lists them;
`prepare()` runs LibreOffice once per target format; `build(case)` gives the file's bytes.
Run `python -m tests.redteam2.score [OUTDIR]` for the figures.
"""

from __future__ import annotations

from tests.redteam2 import soffice
from tests.redteam2.common import Case


def all_cases() -> list[Case]:
    """Every second-round case, positives first."""
    from tests.redteam2 import cases_excel, cases_word, negatives

    return cases_word.cases() + cases_excel.cases() + negatives.cases()


def prepare(cases: list[Case]) -> None:
    """Run every LibreOffice conversion the cases need, one soffice run per target format."""
    soffice.convert_all([(c.build(), *c.convert) for c in cases if c.convert])


def build(case: Case) -> bytes:
    """The bytes of the case's file (converted through LibreOffice where it says so)."""
    data = case.build()
    return soffice.result(data, *case.convert) if case.convert else data
