"""Finding the Appendix 2 table in a Document and turning its rows into labelled rows.

Owns: column roles from content when there is no header (header.py reads headers), grids
split by page breaks, label continuation rows, and per-row realignment when a row's cells
sit one column to the left. Sub-rows typed as lines of one cell (sublines.py), split or
half rows and the signature block (rowjoin.py) are handled by their own modules.
Produces `Table` (rows with label, unit and value cells by role); assigning rows to form
lines is labels.py's job and reading numbers is values.py's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mailbot.forms import Form
from mailbot.parsing.header import (
    Columns,
    columns_from_header,
    header_keys,
    header_roles,
    is_header,
    is_numbering,
)
from mailbot.parsing.labels import LabelMatcher, align
from mailbot.parsing.labelsplit import figures_from_labels, split_merged_labels
from mailbot.parsing.model import Cell, Document, Row
from mailbot.parsing.normalize import fold
from mailbot.parsing.rowjoin import merge_people_rows, merge_split_rows, signature
from mailbot.parsing.sublines import split_lines
from mailbot.parsing.values import read_cell

__all__ = ["Table", "find_table"]

ROLES = ("stt", "label", "unit", "count", "people", "note")
EMPTY = Cell()


@dataclass
class Table:
    """The Appendix 2 table as found: rows, their assigned line indexes, and the text around."""

    rows: list[Row]
    lines: list[int | None]
    columns: Columns
    above: list[list[str]]  # header texts: the table's own grid above it, then earlier grids
    matched: int
    left_out: list[int] = field(default_factory=list)  # lines with figures in a table not read


# --- content fallback ----------------------------------------------------------------


def _numeric(cell: Cell) -> bool:
    return read_cell(cell).numeric and not re.search(r"[^\W\d_]{4,}", cell.text)


def _columns_from_content(
    rows: list[list[Cell]], matcher: LabelMatcher, minimum: int = 3
) -> Columns | None:
    """Guess columns when there is no header: the label column is where labels match."""
    votes: dict[int, int] = {}
    for row in rows:
        for i, cell in enumerate(row):
            if len(cell.text) >= 4 and matcher.best(cell.text) >= 0.7:
                votes[i] = votes.get(i, 0) + 1
    if not votes:
        return None
    label = max(votes, key=lambda i: (votes[i], -i))
    if votes[label] < minimum:
        return None
    width = max(len(r) for r in rows)
    right = [c for c in range(label + 1, width) if any(c < len(r) and not r[c].blank for r in rows)]
    unit = None
    if right and sum(_unitish(r[right[0]].text) for r in rows if right[0] < len(r)) >= 2:
        unit = right.pop(0)
    numeric = [c for c in right if sum(c < len(r) and _numeric(r[c]) for r in rows) >= 1]
    stt = label - 1 if label > 0 else None
    count = numeric[0] if numeric else (right[0] if right else None)
    people = numeric[1] if len(numeric) > 1 else None
    rest = [c for c in right if c not in (count, people)]
    note = rest[-1] if rest and rest[-1] > (people or count or 0) else None
    return Columns(label=label, stt=stt, unit=unit, count=count, people=people, note=note)


_UNIT_TEXT = (
    "lop nguoi so cuoc tin bai quyen to truong don vi dong tap the ca nhan buoi luot "
    "hoi thao lan chiec cai bo trieu nghin vnd d tr"
)
_UNIT_WORDS = frozenset(_UNIT_TEXT.split())


def _unitish(text: str) -> bool:
    """True for short unit-of-measure text ("lớp/người", "Số cuộc", "đồng")."""
    words = fold(text).split()
    return 0 < len(words) <= 5 and all(w in _UNIT_WORDS for w in words)


def _sttish(text: str) -> bool:
    t = text.strip().rstrip(".)")
    return not t or bool(
        re.fullmatch(r"[0-9]{1,2}(\.[0-9]{1,2})*|[IVXivx]{1,4}|[a-dđA-D]|[-+*•]", t)
    )


# --- rows ----------------------------------------------------------------------------


def _cell(row: list[Cell], i: int | None) -> Cell:
    return row[i] if i is not None and 0 <= i < len(row) else EMPTY


def _wordy(text: str) -> bool:
    """True for text with at least two words of letters (a label, not a number or code)."""
    return len(re.findall(r"[^\W\d_]{2,}", text)) >= 2


def _make_row(cells: list[Cell], cols: Columns, matcher: LabelMatcher, where: str) -> Row:
    """Place one grid row's cells by role, realigning a row typed one column to the left."""
    order = sorted(
        (c, role) for role in ROLES if (c := getattr(cols, role)) is not None
    )  # roles by column position
    pos = {role: c for c, role in order}
    label_cell, stt_cell = _cell(cells, cols.label), _cell(cells, cols.stt)
    # The label sits in the STT column and the label column holds a unit, a number or less.
    shifted = (
        cols.stt is not None
        and _wordy(stt_cell.text)
        and not _sttish(stt_cell.text)
        and stt_cell.text.strip() != label_cell.text.strip()
        and (
            label_cell.blank
            or _unitish(label_cell.text)
            or _numeric(label_cell)
            or matcher.best(stt_cell.text) > matcher.best(label_cell.text) + 0.2
        )
    )
    if shifted:
        # Every role moves to the previous role's column ("Các lớp bồi dưỡng, tập huấn khác").
        moved = {order[k][1]: order[k - 1][0] for k in range(1, len(order))}
        values = moved
        if not _numeric(_cell(cells, moved.get("count"))) and _numeric(
            _cell(cells, pos.get("people"))
        ):
            values = pos  # numbers typed under the printed headers after all
        label = stt_cell.text
        unit = _cell(cells, moved.get("unit")).text
        stt = ""
    else:
        values = pos
        label = label_cell.text or (stt_cell.text if _wordy(stt_cell.text) else "")
        unit = _cell(cells, cols.unit).text
        stt = stt_cell.text if stt_cell.text != label else ""
        if shifted is False and unit and unit.strip() == label.strip():
            unit = ""  # a merged label cell repeated across the unit column
    used = {c for c in (*pos.values(), *values.values())}
    extra = [
        c
        for i, c in enumerate(cells)
        if i not in used and i not in cols.skip and i > cols.label and _numeric(c)
    ]
    return Row(
        label=label.strip(),
        unit=unit.strip() if not _numeric(Cell(unit)) else "",
        stt=stt.strip(),
        count=_cell(cells, values.get("count")),
        people=_cell(cells, values.get("people")),
        note=_cell(cells, values.get("note")),
        extra=extra,
        where=where,
        shifted=shifted,
        one_column=values.get("people") is None,
    )


def _merge_continuations(rows: list[Row], matcher: LabelMatcher) -> list[Row]:
    """Join a label split over two rows (a page break, a wrapped cell) into one row."""
    out: list[Row] = []
    for row in rows:
        prev = out[-1] if out else None
        if (
            prev is not None
            and row.label
            and prev.label
            and not row.unit
            and not row.stt
            and not (row.has_values() and prev.has_values())
        ):
            alone = matcher.best(row.label)
            joined = f"{prev.label} {row.label}"
            both = matcher.best(joined)
            if alone < 0.9 and both > alone and both >= matcher.best(prev.label) - 0.02:
                prev.label = joined
                for role in ("count", "people", "note"):
                    if getattr(prev, role).blank:
                        setattr(prev, role, getattr(row, role))
                prev.extra += row.extra
                continue
        out.append(row)
    return out


# --- segments: one table, possibly over several grids --------------------------------


@dataclass
class _Segment:
    columns: Columns
    width: int
    grid: int
    above: list[list[str]]
    raw: list[tuple[str, list[Cell], Columns]] = field(default_factory=list)


def _width(rows: list[list[Cell]]) -> int:
    return max((len(r) for r in rows), default=0)


def _texts(rows: list[list[Cell]]) -> list[str]:
    return [c.text for r in rows for c in r if c.text.strip()]


def _has_labels(rows: list[list[Cell]], matcher: LabelMatcher) -> bool:
    return any(len(c.text) >= 4 and matcher.best(c.text) >= 0.7 for r in rows for c in r)


def _same_layout(found: Columns, current: Columns) -> bool:
    """A repeated header continues the table above only when that table was headed alike.

    A small table of the narrative before the form ("STT | Tên lớp | Số lớp | Số học viên")
    is found by its content, not by the form's header: the form's own header starts anew.
    """
    roles = ("label", "unit", "count", "people")
    return current.from_header and all(getattr(found, r) == getattr(current, r) for r in roles)


def _segments(
    document: Document, matcher: LabelMatcher, keys: list[tuple[str, str]]
) -> list[_Segment]:
    segs: list[_Segment] = []
    current: _Segment | None = None
    for gi, grid in enumerate(document.grids):
        rows = grid.rows
        header = next(
            (
                i
                for i, r in enumerate(rows)
                if is_header(r, keys) and "label" in header_roles(r, keys).values()
            ),
            None,
        )
        found = columns_from_header(rows, header, keys) if header is not None else None
        continues = (
            current is not None
            and current.grid == gi - 1
            and abs(_width(rows) - current.width) <= 1
        )
        # A grid right after the table's grid with the same width continues it, even when
        # it repeats the header (at its top or, pasted, in its middle).
        same_table = continues and (
            found is None
            or (header == 0 and current is not None and _same_layout(found[0], current.columns))
            or (header is not None and header > 0 and _has_labels(rows[:header], matcher))
        )
        if found is not None and not same_table:
            cols, start = found
            above = [_texts(rows[:header])] + [_texts(g.rows) for g in document.grids[gi - 1 :: -1]]
            current = _Segment(cols, _width(rows), gi, above if gi else above[:1])
            segs.append(current)
            body = rows[start:]
            own = cols
        elif same_table and current is not None:
            current.grid = gi
            body = rows
            own = current.columns
        else:
            follows = current is not None and current.grid == gi - 1
            content = _columns_from_content(rows, matcher, minimum=1 if follows else 3)
            if content is None:
                current = None
                continue
            if follows and current is not None:
                # The next part of a split table laid out differently: its own columns.
                current.grid = gi
            else:
                above = [_texts(g.rows) for g in document.grids[gi - 1 :: -1]] if gi else []
                current = _Segment(content, _width(rows), gi, above)
                segs.append(current)
            body = rows
            own = content
        for ri, cells in enumerate(body, start=len(rows) - len(body)):
            if is_header(cells, keys) or is_numbering(cells) or all(c.blank for c in cells):
                continue
            if current.raw and signature(cells):
                current = None  # nothing after the signatures continues the table
                break
            current.raw.append((f"{grid.name}!{ri + 1}", cells, own))
    return segs


def find_table(document: Document, form: Form, matcher: LabelMatcher) -> Table | None:
    """The grid rows that best read as this form's table, aligned to its lines; or None."""
    keys = header_keys(form)
    best: Table | None = None
    best_filled = 0
    found: list[Table] = []
    for seg in _segments(document, matcher, keys):
        rows = [
            _make_row(part, cols, matcher, f"{where}/{k + 1}" if k else where)
            for where, cells, cols in seg.raw
            for k, part in enumerate(split_lines(cells, cols) or [cells])
        ]
        rows = [r for r in rows if r.label or r.has_values()]
        rows = figures_from_labels(split_merged_labels(rows, matcher))
        rows = merge_split_rows(merge_people_rows(rows))
        rows = _merge_continuations(rows, matcher)
        lines = align(matcher, [r.label for r in rows])
        matched = len(
            {
                j
                for i, j in enumerate(lines)
                if j is not None and matcher.scores(rows[i].label)[j] >= 0.6
            }
        )
        enough = 3 if seg.columns.from_header else 5
        if matched < enough:
            continue
        table = Table(rows, lines, seg.columns, seg.above, matched)
        found.append(table)
        # A blank copy of the form (a template sheet) loses to the filled one.
        filled = sum(
            1 for r, j in zip(rows, lines, strict=True) if j is not None and r.has_values()
        )
        if best is None or (filled > 0, matched) >= (best_filled > 0, best.matched):
            best, best_filled = table, filled
    return _with_other_parts(best, found)


def _with_other_parts(best: Table | None, found: list[Table]) -> Table | None:
    """The best table joined by tables holding only lines it lacks (one table per group).

    Clerks lay the form out as one table per activity group (a sheet or a Word table each,
    with its own header). A second copy of lines already read (last year's sheet, a blank
    template) shares lines with the best table and is never joined.
    """
    if best is None:
        return None
    taken = {j for j in best.lines if j is not None}
    rows, lines = list(best.rows), list(best.lines)
    for other in found:
        if other is best:
            continue
        own = {j for j in other.lines if j is not None}
        if own and not own & taken and any(r.has_values() for r in other.rows):
            rows += other.rows
            lines += other.lines
            taken |= own
    left_out = sorted(
        {
            j
            for other in found
            for r, j in zip(other.rows, other.lines, strict=True)
            if j is not None and j not in taken and r.has_values()
        }
    )
    return Table(rows, lines, best.columns, best.above, len(taken), left_out)
