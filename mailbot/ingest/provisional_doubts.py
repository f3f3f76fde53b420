"""A stand-in for the parser's doubts until the parser computes them (issue 11, branch `parser`).

TO BE REPLACED at merge: the parser branch fills `ParseResult.doubts` itself. Until then
`with_provisional_doubts` derives doubts from the warnings the parser already gives for the two
surest signs of a misreading: text in a value cell, and two numbers in a one-figure row. Rule
breaches are left out on purpose: a breach the clerk really made is a warning, not a doubt.
Pure; the single caller is `ingest.decide.decide`.
"""

from __future__ import annotations

from dataclasses import replace

from mailbot.parsing.model import ParseResult

# Substrings of the parser's own warning texts (mailbot/parsing/interpret.py) that mean a
# number was not read as the clerk wrote it.
DOUBT_SIGNS = ("không phải số", "ghi hai số")


def with_provisional_doubts(result: ParseResult | None) -> ParseResult | None:
    """`result` with doubts taken from its misreading warnings (unchanged when it has doubts)."""
    if result is None or result.doubts:
        return result
    doubts = [w.message for w in result.warnings if any(s in w.message for s in DOUBT_SIGNS)]
    return replace(result, doubts=doubts) if doubts else result
