"""Sub-rows typed as lines of one table row: each cell's line i belongs to sub-row i.

Some clerks type a whole group ("1" with 1.1…1.13, "9" with Tập thể/Cá nhân) in ONE table
row, pressing Enter or Shift+Enter between sub-rows inside each cell. This module owns
turning such a row back into one row per line, and only when the lines can be paired
without guessing. Pure; knows column roles (header.Columns), not labels, the form or
number reading.
"""

from __future__ import annotations

import re

from mailbot.parsing.header import Columns
from mailbot.parsing.model import Cell

__all__ = ["split_lines"]

# A line that starts a new sub-row: a dash or bullet, a number ("1.2"), or a capital letter.
# A wrapped label's next line usually starts with a small letter and is not split off.
_ROW_START = re.compile(r"[-+•*–—·]|\d|[^\W\d_]", re.UNICODE)


def _lines(cell: Cell) -> list[str]:
    """The cell's lines, stripped, trailing blanks dropped (a numeric cell is one line)."""
    if cell.value is not None and "\n" not in cell.text:
        return [cell.text]
    lines = [line.strip() for line in cell.text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _starts_row(line: str) -> bool:
    m = _ROW_START.match(line)
    return m is not None and (not m.group().isalpha() or m.group().isupper())


def _at(cells: list[Cell], i: int | None) -> Cell:
    return cells[i] if i is not None and 0 <= i < len(cells) else Cell()


def split_lines(cells: list[Cell], cols: Columns) -> list[list[Cell]] | None:
    """One grid row per sub-row when label and value cells hold matching lines, else None.

    Value lines pair with the unit cell's lines when it has several (the first label lines
    without a unit are group headings, e.g. "Khen thưởng" above "- Tập thể", "- Cá nhân");
    without unit lines, only when there are exactly as many value lines as label lines.
    """
    labels = [line for line in _lines(_at(cells, cols.label)) if line]
    if len(labels) < 2 or not all(_starts_row(line) for line in labels[1:]):
        return None
    value_cols = [c for c in (cols.count, cols.people) if c is not None and c < len(cells)]
    values = {c: _lines(cells[c]) for c in value_cols}
    deepest = max((len(v) for v in values.values()), default=0)
    if deepest < 2:
        return None
    units = [line for line in _lines(_at(cells, cols.unit)) if line]
    if 2 <= len(units) <= len(labels) and deepest <= len(units):
        offset = len(labels) - len(units)
    elif deepest == len(labels):
        offset, units = 0, []
    else:
        return None
    out: list[list[Cell]] = []
    for i, label in enumerate(labels):
        row = list(cells) if i == 0 else [Cell() for _ in cells]
        row[cols.label] = Cell(label)
        j = i - offset
        if cols.unit is not None and cols.unit < len(row):
            row[cols.unit] = Cell(units[j] if 0 <= j < len(units) else "")
        for c, lines in values.items():
            row[c] = Cell(lines[j] if 0 <= j < len(lines) else "")
        out.append(row)
    return out
