"""Shared pieces of second-round red-team cases: the Case record and the neutral row layout.

Owns: Case (file, builder, exact expectations, accepted unit names, LibreOffice conversion) and
`rows()` which turns values into the form's printed rows as cell texts. Pure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.redteam2.form import LINES, Line, Values

Fmt = Callable[[Line, str, object], object]


@dataclass
class Case:
    """One file and what a correct parser must say about it."""

    name: str
    pattern: str  # the office habit it imitates
    commonness: int  # 5: nearly every office … 1: rare
    build: Callable[[], bytes]
    values: Values | None  # None: must be refused (ok false, with a reason)
    unit: tuple[str, ...] = ()  # accepted unit names; () with values means unit_name null
    convert: tuple[str, str] | None = None  # (source ext, LibreOffice target ext)
    ambiguous: dict[str, str] = field(default_factory=dict)  # "code.slot" -> the call made


def plain(line: Line, slot: str, value: object) -> object:
    """The value as text, as typed by default (blank stays blank)."""
    return "" if value is None else str(value)


def rows(
    values: Values, fmt: Fmt = plain, lines: list[Line] = LINES, skip: set[str] = frozenset()
) -> list[tuple[Line, list[object]]]:
    """The form's rows as [STT, label, unit, count-column, people-column, note] cells."""
    out = []
    for ln in lines:
        if ln.code in skip and ln.kind != "h":
            continue
        v = values.get(ln.code, {})
        cnt: object = ""
        ppl: object = ""
        if ln.kind in ("c1", "cp", "c"):
            cnt = fmt(ln, "count", v.get("count"))
        if ln.kind in ("p1", "cp"):
            ppl = fmt(ln, "people", v.get("people"))
        if ln.kind == "a":
            cnt = fmt(ln, "amount", v.get("amount"))
        if ln.kind == "t":
            cnt = fmt(ln, "text", v.get("text"))
        out.append((ln, [ln.stt, ln.label, ln.unit, cnt, ppl, ""]))
    return out


def dotted(n: int) -> str:
    """Thousands separated with dots, the Vietnamese way."""
    return f"{n:,}".replace(",", ".")
