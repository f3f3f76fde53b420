"""Value columns split into sub-columns under the header: one figure per slot again.

Clerks add "Trực tiếp / Trực tuyến (/ Tổng)" under "Số lớp" and "Người", or "(Tổng số /) Nam /
Nữ" under "Người". The form has one figure per slot: the "Tổng" sub-column when there is one,
else the sum of the sub-columns (what the office would add up). Each group of sub-columns
becomes one column holding that figure, before the table is looked for. Pure: Grid in, Grid
out; a grid without such a header row comes back unchanged.
"""

from __future__ import annotations

from mailbot.parsing.model import Cell, Document, Grid
from mailbot.parsing.normalize import fold
from mailbot.parsing.values import read_cell

PARTS = frozenset({"truc tiep", "truc tuyen", "nam", "nu", "online", "offline"})
TOTALS = frozenset({"tong", "tong so", "cong", "tong cong"})
HEADER_DEPTH = 60  # the sub-column row sits among the first rows of a sheet


def collapse_subcolumns(document: Document) -> Document:
    """The document with every group of value sub-columns folded into one column."""
    grids = [_collapse(g) for g in document.grids]
    if all(a is b for a, b in zip(grids, document.grids, strict=True)):
        return document
    return Document(
        document.name, document.kind, grids, document.text, document.notes, document.doubts
    )


def _word(cell: Cell) -> str:
    return " ".join(fold(cell.text).replace(":", " ").split())


def _collapse(grid: Grid) -> Grid:
    for r, row in enumerate(grid.rows[:HEADER_DEPTH]):
        words = [_word(c) for c in row]
        if sum(w in PARTS for w in words) < 2 or r == 0:
            continue
        groups = _groups(words, grid.rows[r - 1])
        if groups:
            return _fold(grid, r, groups)
    return grid


def _groups(words: list[str], above: list[Cell]) -> list[list[int]]:
    """Runs of sub-columns, each starting where the row above names a column or a run restarts."""
    groups: list[list[int]] = []
    current: list[int] = []
    for c, w in enumerate(words):
        if w not in PARTS and w not in TOTALS:
            if current:
                groups.append(current)
            current = []
            continue
        starts = c < len(above) and not above[c].blank
        if current and (starts or w in {words[k] for k in current}):
            groups.append(current)
            current = []
        current.append(c)
    if current:
        groups.append(current)
    return [g for g in groups if len(g) >= 2 and any(words[c] in PARTS for c in g)]


def _fold(grid: Grid, header: int, groups: list[list[int]]) -> Grid:
    words = [_word(c) for c in grid.rows[header]]
    dropped = {c for g in groups for c in g[1:]}
    rows = []
    for r, row in enumerate(grid.rows):
        row = list(row)
        if r == header:
            for g in groups:
                row[g[0]] = Cell()
        elif r > header:
            for g in groups:
                row[g[0]] = _figure([row[c] if c < len(row) else Cell() for c in g],
                                    [words[c] for c in g])  # fmt: skip
        rows.append([cell for c, cell in enumerate(row) if c not in dropped])
    return Grid(grid.name, rows)


def _figure(cells: list[Cell], words: list[str]) -> Cell:
    """The group's one figure: its "Tổng" cell, else the sum of its parts when all are numbers."""
    for cell, w in zip(cells, words, strict=True):
        if w in TOTALS and not cell.blank:
            return cell
    filled = [c for c in cells if not c.blank]
    if not filled:
        return Cell()
    readings = [read_cell(c) for c in filled]
    if len(filled) == 1 or not all(r.numeric and len(r.numbers) == 1 for r in readings):
        return filled[0]
    total = sum(r.numbers[0] for r in readings)
    return Cell(str(total), total)
