"""The held-out mailbox: every letter, in the order they were written down.

`build()` is the one entry point; the model is in model.py, the letters in letters_good.py and
letters_bad.py. Re-exports what the harness and the tests read.
"""

from __future__ import annotations

from tests.redmail import letters_bad, letters_good
from tests.redmail.model import NAMES, OFFICE, ROSTER, SUMMARY_TO, Builder, Letter, Scenario

__all__ = ["NAMES", "OFFICE", "ROSTER", "SUMMARY_TO", "Letter", "Scenario", "build"]


def build() -> Scenario:
    """The held-out mailbox (deterministic)."""
    b = Builder()
    letters_good.good_reports(b)
    letters_good.corrections_and_duplicates(b)
    letters_good.odd_senders(b)
    letters_bad.bad_files(b)
    letters_bad.no_answer(b)
    letters_bad.later_mail_without_values(b)
    letters_bad.containers_and_links(b)
    return b.s
