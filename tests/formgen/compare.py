"""Comparing a parse against a variant's expected answer, with readable slot-level diffs.

Pure: takes dicts and ParseResult-like objects; shared by the corpus tests and the benchmark.
"""

from __future__ import annotations

import unicodedata

from .model import Values


def slot_diffs(expected: Values, got: Values) -> list[tuple[str, object, object]]:
    """(code.slot, expected, got) for every slot that differs, in expected order; extras last."""
    diffs = []
    for code, slots in expected.items():
        for slot, want in slots.items():
            have = got.get(code, {}).get(slot, "<missing>")
            if have != want:
                diffs.append((f"{code}.{slot}", want, have))
    for code, slots in got.items():
        for slot, have in slots.items():
            if slot not in expected.get(code, {}):
                diffs.append((f"{code}.{slot}", "<absent>", have))
    return diffs


def format_diffs(diffs: list[tuple[str, object, object]]) -> str:
    """One line per differing slot: `1.3.count: expected 4, got None`."""
    return "\n".join(f"  {ref}: expected {want!r}, got {have!r}" for ref, want, have in diffs)


def slot_count(values: Values) -> int:
    """How many value slots a values dict holds."""
    return sum(len(slots) for slots in values.values())


def same_unit(expected: str | None, got: str | None) -> bool:
    """Unit names agree after NFC and case folding (casing policy is the parser's choice)."""

    def fold(s: str | None) -> str | None:
        return None if s is None else unicodedata.normalize("NFC", s).casefold().strip()

    return fold(expected) == fold(got)
