"""Red-team corpus for the Appendix 2 parser: independent files, exact expectations, a scorer.

Built without reading the parser's internals or tests/formgen: labels come from the plan's
text, codes from the reference. `all_cases()` lists every case; `prepare()` runs LibreOffice
once for every case that needs it; `score.py` compares parse results with the expectations.
Run `python -m tests.redteam.score [OUTDIR]` for the figures (and to write the files out).
"""

from __future__ import annotations

from functools import cache

from tests.redteam import cases_more, cases_word, cases_xlsx, negatives, soffice
from tests.redteam.common import Case


@cache
def all_cases() -> tuple[Case, ...]:
    """Every red-team case, positives first."""
    found = [*cases_xlsx.cases(), *cases_word.cases(), *cases_more.cases(), *negatives.cases()]
    names = [c.name for c in found]
    assert len(names) == len(set(names)), "case file names must be unique"
    return tuple(found)


def prepare() -> None:
    """Run every LibreOffice conversion in as few soffice runs as possible."""
    jobs = [job for case in all_cases() for job in case.jobs]
    if jobs and soffice.available():
        soffice.convert(jobs)
