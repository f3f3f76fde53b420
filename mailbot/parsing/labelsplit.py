"""Label cells holding more than one row's label: two rows' labels, or the label and its figure.

Clerks merge the label cells of two consecutive rows (Excel "Merge cells", Word vMerge) and
type both labels in it on two lines, e.g. 4.1 "Số tập thể/cá nhân tặng sách" and 4.2 "Số
sách đã huy động". The reader sees the first row with a two-line label and the next row with
a blank label but its own figure. When every line of the label reads clearly as a different
form line, in form order, and the rows below have figures and no label, each physical row
gets its line of the label (and of the unit, when that is merged the same way).

Clerks also type the figure in the label cell after Alt+Enter ("Số tin bài …:\n09 tin bài")
and leave the value cells blank: a last line that is nothing but quantities in the row's
own units becomes the row's figure. Works on model.Row objects after column placement,
before rows are joined.
"""

from __future__ import annotations

import re
from dataclasses import replace

from mailbot.parsing.labels import LabelMatcher
from mailbot.parsing.model import Cell, Row
from mailbot.parsing.values import read_note, read_number, read_pair, strip_marks

CLEAR = 0.7  # each line of the merged label must read this well as its own form line


def split_merged_labels(rows: list[Row], matcher: LabelMatcher) -> list[Row]:
    """Rows with a multi-line label followed by label-less rows with figures, relabelled."""
    out = list(rows)
    i = 0
    while i < len(out):
        parts = [p.strip() for p in out[i].label.split("\n") if p.strip()]
        n = len(parts)
        below = out[i + 1 : i + n]
        if n >= 2 and len(below) == n - 1 and all(_bare(r) for r in below):
            lines = [_clear_line(matcher, p) for p in parts]
            clear = [line for line in lines if line is not None]
            if len(clear) == len(lines) and clear == sorted(set(clear)):
                units = [u.strip() for u in out[i].unit.split("\n")]
                units = units if len(units) == n else [out[i].unit] + [""] * (n - 1)
                out[i] = replace(out[i], label=parts[0], unit=units[0])
                for k, row in enumerate(below, start=1):
                    out[i + k] = replace(row, label=parts[k], unit=row.unit or units[k])
                i += n
                continue
        i += 1
    return out


def _bare(row: Row) -> bool:
    """A row whose label cell is blank (merged into the row above) but which has figures."""
    return not row.label.strip() and row.has_values()


def _clear_line(matcher: LabelMatcher, text: str) -> int | None:
    scores = matcher.scores(text)
    best = max(range(len(scores)), key=scores.__getitem__, default=None)
    return best if best is not None and scores[best] >= CLEAR else None


def figures_from_labels(rows: list[Row]) -> list[Row]:
    """Rows whose figure was typed on the label cell's last line, with it in the value cells."""
    out = []
    for row in rows:
        head, _, last = row.label.rstrip().rpartition("\n")
        if head.strip() and row.count.blank and row.people.blank:
            found = read_note(Cell(last.strip()), row.unit)
            pair = _pair(last, row.unit) if not found else None
            if pair is not None:
                row = replace(row, label=head.rstrip().rstrip(":").rstrip())
                row.count = Cell(str(pair[0]), pair[0])
                row.people = Cell(str(pair[1]), pair[1])
            elif found:
                row = replace(row, label=head.rstrip().rstrip(":").rstrip())
                if len(found) == 2:
                    row.count = Cell(str(found[0].value), found[0].value)
                    row.people = Cell(str(found[1].value), found[1].value)
                elif found[0].people and not row.one_column:
                    row.people = Cell(str(found[0].value), found[0].value)
                else:
                    row.count = Cell(str(found[0].value), found[0].value)
        out.append(row)
    return out


def _pair(line: str, unit: str) -> tuple[int, int] | None:
    """Count and people typed as one quantity pair ("1 lớp/25 người", "2/45"), else None.

    The line may hold nothing but figures, separators and the row's own unit words, so a
    document number or a date in a label ("KH 15/10") is never read as figures.
    """
    words = set(re.findall(r"[a-z]+", strip_marks(unit)))
    rest = [w for w in re.findall(r"[a-z]+", strip_marks(line)) if w not in words]
    if rest or not re.fullmatch(r"[\w\s/;:,.\-]+", line.strip()):
        return None
    return read_pair(read_number(line.strip()))
