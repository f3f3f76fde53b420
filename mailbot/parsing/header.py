"""The Appendix 2 table's header rows: which column plays which role.

Owns recognising header rows (one or two layers, "Số lượng" merged over its sub-columns,
repeated headers, column-number rows) and the columns headed as other figures (last year's,
a rate, a code) whose numbers must never be read as this report's. Pure; knows nothing of
data rows, labels or numbers (table.py and values.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mailbot.forms import Form
from mailbot.parsing.model import Cell
from mailbot.parsing.normalize import fold

__all__ = [
    "Columns",
    "columns_from_header",
    "header_keys",
    "header_roles",
    "is_header",
    "is_numbering",
]

EMPTY = Cell()


@dataclass
class Columns:
    """Column index of each role in a grid (None when the grid has no such column)."""

    label: int
    stt: int | None = None
    unit: int | None = None
    count: int | None = None
    people: int | None = None
    note: int | None = None
    from_header: bool = False
    skip: frozenset[int] = frozenset()  # headed as other figures: never read as values

    def value_columns(self) -> list[int]:
        """Columns that may hold numbers, left to right."""
        return [c for c in (self.unit, self.count, self.people, self.note) if c is not None]


def header_keys(form: Form) -> list[tuple[str, str]]:
    """(folded header text, role) pairs of the form's columns, longest text first."""
    keys = [(fold(text), role) for role, texts in form.columns.items() for text in texts]
    keys = [(k, r) for k, r in keys if k]
    return sorted(keys, key=lambda kr: -len(kr[0]))  # longest first: "so lop" before "so"


def _classify(text: str, keys: list[tuple[str, str]]) -> str | None:
    """The column role a header cell names; exact (folded) or with a note in brackets."""
    if not text or len(text) > 80:
        return None
    f = fold(text)
    if not f or len(f) > 60:
        return None
    head = fold(re.split(r"[(\[]", text, maxsplit=1)[0]) if "(" in text or "[" in text else f
    for key, role in keys:
        if key in (f, head):
            return role
    return None


def header_roles(row: list[Cell], keys: list[tuple[str, str]]) -> dict[int, str]:
    """Column index → role for each cell of `row` that reads as a column header."""
    return {i: r for i, c in enumerate(row) if (r := _classify(c.text, keys)) is not None}


def is_header(row: list[Cell], keys: list[tuple[str, str]]) -> bool:
    """True when the row reads as a header row (mostly column names)."""
    roles = header_roles(row, keys)
    filled = [i for i, c in enumerate(row) if not c.blank]
    if not roles:
        return False
    if len(set(roles.values())) >= 2 and len(roles) * 2 >= len(filled):
        return True
    return all(i in roles for i in filled)


def is_numbering(row: list[Cell]) -> bool:
    """A row of column numbers such as "1 2 3 4 5 6" or "(1) (2) (3)" or "A B 1 2"."""
    texts = [c.text.strip() for c in row if not c.blank]
    return len(texts) >= 3 and all(re.fullmatch(r"\(?[0-9a-zA-Z]{1,2}\)?", t) for t in texts)


def columns_from_header(
    rows: list[list[Cell]], at: int, keys: list[tuple[str, str]]
) -> tuple[Columns, int] | None:
    """Columns from the header row at `at` (and a sub-header below it); next data row index."""
    top = header_roles(rows[at], keys)
    if "label" not in top.values():
        return None
    found: dict[str, int] = {}
    quantity: list[int] = []
    end = at + 1
    layers = [top]
    if end < len(rows) and is_header(rows[end], keys):
        layers.append(header_roles(rows[end], keys))
        end += 1
    width = max(len(r) for r in rows[at:end])
    # Sub-headers under "Năm 2020" and the like name last year's columns, not ours.
    skip = _other_figures(rows[at], set(top), width, extend=True)
    if len(layers) > 1:  # "Số lượng" over "Số lớp | Người | Tỷ lệ %"
        skip |= _other_figures(rows[at + 1], set(layers[1]), width, extend=False)
    for layer in layers:
        for i, role in sorted(layer.items()):
            if i in skip:
                continue
            if role == "quantity":
                quantity.append(i)
            elif role not in found or (role in ("count", "people") and i not in found.values()):
                found.setdefault(role, i)
    if quantity and ("count" not in found or "people" not in found):
        # "Số lượng" merged over its sub-columns: it and the unlabeled cells after it.
        span = []
        c = min(quantity)
        while c < width and c not in skip and (c in quantity or all(c not in r for r in layers)):
            span.append(c)
            c += 1
        span = [c for c in span if c not in found.values()]
        if "count" not in found and span:
            found["count"] = span.pop(0)
        if "people" not in found and span:
            found["people"] = span.pop(0)
    labelled = set(found.values()) | set(quantity) | skip
    if "people" in found and "count" not in found:
        # An odd count header ("Lớp", "Số lượng lớp"): the unlabelled column before people.
        free = [c for c in range(found["label"] + 1, found["people"]) if c not in labelled]
        if free:
            found["count"] = free[-1]
    if "count" in found and "people" not in found:
        nxt = found["count"] + 1
        if nxt < width and nxt not in labelled and all(_at(r, nxt).blank for r in rows[at:end]):
            found["people"] = nxt
    while end < len(rows) and (is_numbering(rows[end]) or is_header(rows[end], keys)):
        end += 1
    cols = Columns(
        label=found["label"],
        stt=found.get("stt"),
        unit=found.get("unit"),
        count=found.get("count"),
        people=found.get("people"),
        note=found.get("note"),
        from_header=True,
        skip=frozenset(skip),
    )
    return cols, end


# Headers of columns holding other figures than this report's: last year's, a comparison,
# a plan target, a code or a rate. Their numbers never stand in for a blank Số lượng cell.
_OTHER_FIGURES = re.compile(
    r"^(nam (19|20)\d\d|nam truoc|nam hoc (19|20)\d\d|cung ky|so voi|so sanh|ket qua so voi|"
    r"ma so|ma\b|ty le|phan tram|tang giam|tang|giam|chenh lech|ke hoach|du kien|uoc)\b"
)


def _other_figures(header: list[Cell], roles: set[int], width: int, extend: bool) -> set[int]:
    """Columns headed as other figures (with the unlabelled columns merged under them)."""
    skip: set[int] = set()
    for i, cell in enumerate(header):
        if i in roles or not (_OTHER_FIGURES.match(fold(cell.text)) or "%" in cell.text):
            continue
        skip.add(i)
        c = i + 1
        while extend and c < width and c not in roles and _at(header, c).blank:
            skip.add(c)
            c += 1
    return skip


def _at(row: list[Cell], i: int) -> Cell:
    return row[i] if 0 <= i < len(row) else EMPTY
