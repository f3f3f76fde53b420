"""Lay a filled Appendix 2 out the way one clerk arranges it: a tool-neutral report model.

Owns: Layout (columns, numbering, label wording, merges, extra rows) and Report/Table, the
neutral model that the xlsx/docx/LibreOffice writers turn into files. Pure: no I/O.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.redteam.form import PLAN_LINES, ROW11, Line, Style, Values, render

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI"]
HEAD = {
    "stt": "STT",
    "label": "Các hoạt động",
    "label2": "Các hoạt động",
    "unit": "Đơn vị",
    "count": "Số lớp/số cuộc thi",
    "people": "Người",
    "qty": "Số lượng",
    "note": "Ghi chú",
    "code": "Mã số",
    "extra": "Kết quả so với năm trước",
    "prev": "Năm 2020",
}


@dataclass
class Table:
    """A grid of cell values with merges (0-based inclusive r1, c1, r2, c2) and extras."""

    rows: list[list[Any]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    formats: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden_cols: set[int] = field(default_factory=set)
    hidden_rows: set[int] = field(default_factory=set)
    header_rows: int = 2


@dataclass
class Report:
    """One filled form: header block (left, right), title lines, table, lines after it."""

    header: list[tuple[str, str]]
    title: list[str]
    table: Table
    after: list[str]


@dataclass
class Layout:
    """The arrangement choices of one clerk."""

    cols: tuple[str, ...] = ("stt", "label", "unit", "count", "people", "note")
    stt: str = "plain"  # plain | decimal | dot | roman
    label: Callable[[Line], str] | None = None
    one_header_row: bool = False
    row5_split: bool = False
    row11: bool = False
    totals: bool = False
    merged_headings: bool = False
    vmerge_code1: bool = False
    notes: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    qty_sep: str = "/"  # how a single quantity column joins count and people
    sum_formulas: bool = False


def stt_text(line: Line, layout: Layout, counters: dict[str, int]) -> str:
    """The STT cell of one row in this clerk's numbering."""
    if line.stt:
        counters["top"] = int(line.stt)
        counters["sub"] = 0
        if layout.stt == "roman":
            return ROMAN[int(line.stt) - 1]
        if layout.stt == "dot":
            return f"{line.stt}."
        return line.stt
    if line.code == "1" or not line.label:
        return ""  # row 1's second line and continuation rows carry no number
    counters["sub"] += 1
    n = counters["sub"]
    if layout.stt == "decimal":
        return f"{counters['top']}.{n}"
    if layout.stt == "roman":
        return f"{chr(ord('a') + n - 1)})"
    if layout.stt == "dot":
        return "-"
    return ""


def build_table(values: Values, style: Style, layout: Layout) -> Table:
    """The table rows (header included) for these values in this layout."""
    cols = layout.cols
    width = sum(2 if c == "label2" else 1 for c in cols)
    col_at: dict[str, int] = {}
    x = 0
    for c in cols:
        col_at[c] = x
        x += 2 if c == "label2" else 1
    table = Table(rows=[])
    _header(table, layout, col_at, width)
    lines = [*PLAN_LINES, ROW11] if layout.row11 else list(PLAN_LINES)
    counters = {"top": 0, "sub": 0}
    code1_rows: list[int] = []
    sub_rows: dict[str, list[int]] = {}
    for line in lines:
        r = len(table.rows)
        row: list[Any] = [None] * width
        label = layout.label(line) if layout.label else line.label
        if "label2" in col_at:
            table.merges.append((r, col_at["label2"], r, col_at["label2"] + 1))
        lab_col = col_at.get("label", col_at.get("label2"))
        assert lab_col is not None
        cont = None
        if layout.row5_split and line.code == "5":
            head = "Tổ chức các thi, các buổi tọa đàm về"
            label, cont = head, label[len(head) :].strip()
        row[lab_col] = label
        if "stt" in col_at:
            row[col_at["stt"]] = stt_text(line, layout, counters) or None
        if "unit" in col_at:
            row[col_at["unit"]] = line.unit or None
        if "code" in col_at and line.code:
            row[col_at["code"]] = line.code.replace(".", "_")
        _fill_values(row, line, values, style, layout, col_at)
        if "note" in col_at and line.code in layout.notes:
            row[col_at["note"]] = layout.notes[line.code]
        if "extra" in col_at and line.code in layout.extra:
            row[col_at["extra"]] = layout.extra[line.code]
        if "prev" in col_at and line.code:
            row[col_at["prev"]] = 3  # last year's figure, in a column the clerk hid
        if line.code is None and layout.merged_headings:
            table.merges.append((r, lab_col, r, width - 1))
            for c in range(lab_col + 1, width):
                row[c] = None
        table.rows.append(row)
        if line.code == "1":
            code1_rows.append(r)
        if line.code and line.code.startswith("1."):
            sub_rows.setdefault("count", []).append(r)
        if cont is not None:
            extra_row: list[Any] = [None] * width
            extra_row[lab_col] = cont
            table.rows.append(extra_row)
    if layout.vmerge_code1 and "stt" in col_at:
        c = col_at["stt"]
        table.merges.append((code1_rows[0], c, code1_rows[1], c))
    if layout.sum_formulas:
        _sum_formulas(table, values, col_at, code1_rows, sub_rows.get("count", []))
    if layout.totals:
        _totals(table, values, col_at, width, lab_col)
    return table


def _header(table: Table, layout: Layout, col_at: dict[str, int], width: int) -> None:
    cols = layout.cols
    if layout.one_header_row or "qty" in cols:
        row = [None] * width
        for c, x in col_at.items():
            row[x] = HEAD[c]
        if "label2" in col_at:
            table.merges.append((0, col_at["label2"], 0, col_at["label2"] + 1))
        table.rows.append(row)
        table.header_rows = 1
        return
    top: list[Any] = [None] * width
    sub: list[Any] = [None] * width
    for c, x in col_at.items():
        if c in ("count", "people"):
            sub[x] = HEAD[c]
        else:
            top[x] = HEAD[c]
            span = 1 if c != "label2" else 2
            table.merges.append((0, x, 1, x + span - 1))
    qcols = sorted(col_at[c] for c in ("count", "people") if c in col_at)
    top[qcols[0]] = "Số lượng"
    if len(qcols) == 2 and qcols[1] == qcols[0] + 1:
        table.merges.append((0, qcols[0], 0, qcols[1]))
    table.rows.extend([top, sub])


def _fill_values(
    row: list[Any], line: Line, values: Values, style: Style, layout: Layout, col_at: dict
) -> None:
    if not line.code:
        return
    got = values[line.code]
    if "text" in line.slots:
        target = col_at.get("note", col_at.get("count", col_at.get("qty")))
        row[target] = got["text"]
        return
    if "qty" in col_at:
        parts = [render(got[s], s, style) for s in line.slots]
        if len(parts) == 2:
            a, b = parts
            row[col_at["qty"]] = None if a is None and b is None else f"{a}{layout.qty_sep}{b}"
        else:
            row[col_at["qty"]] = parts[0]
        return
    if len(line.slots) == 2:
        for s in line.slots:
            row[col_at[s]] = render(got[s], s, style)
        return
    slot = line.slots[0]
    # Row 1's two lines put their number under the matching header; single measures wherever
    # this clerk habitually types.
    where = slot if slot in ("count", "people") and line.code == "1" else style.single_col
    row[col_at[where]] = render(got[slot], slot, style)


def _sum_formulas(table: Table, values: Values, col_at: dict, code1: list[int], subs: list[int]):
    """Row 1's totals as =SUM() over 1.1…1.13, the way an Excel clerk fills them."""
    from tests.redteam.xl import a1  # local: a1 is a pure helper shared with the writers

    for slot, r in (("count", code1[0]), ("people", code1[1])):
        c = col_at[slot]
        if values["1"][slot] is None:
            continue
        table.formulas[(r, c)] = f"SUM({a1(subs[0], c)}:{a1(subs[-1], c)})"
        table.rows[r][c] = values["1"][slot]


def _totals(table: Table, values: Values, col_at: dict, width: int, lab_col: int) -> None:
    row: list[Any] = [None] * width
    row[lab_col] = "Tổng cộng"
    for slot in ("count", "people"):
        if slot in col_at:
            total = 0
            for code, slots in values.items():
                if code != "11":
                    total += sum(v for s, v in slots.items() if s == slot and v)
            row[col_at[slot]] = total
    table.rows.append(row)


def strip_marks(text: str) -> str:
    """Text with every Vietnamese diacritic removed (đ → d), as typed without a Telex IME."""
    text = text.replace("đ", "d").replace("Đ", "D")
    folded = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def nfd(text: str) -> str:
    """Decomposed Unicode, as macOS and some web tools produce."""
    return unicodedata.normalize("NFD", text)


def insert_row(table: Table, at: int, row: list[Any]) -> None:
    """Insert a row, moving merges, formulas and hidden rows below it down by one."""
    table.rows.insert(at, row)
    table.merges = [(r1 + (r1 >= at), c1, r2 + (r2 >= at), c2) for r1, c1, r2, c2 in table.merges]
    table.formulas = {(r + (r >= at), c): f for (r, c), f in table.formulas.items()}
    table.hidden_rows = {r + (r >= at) for r in table.hidden_rows}


def row_of(table: Table, prefix: str) -> int:
    """Index of the first row with a cell starting with prefix."""
    for i, row in enumerate(table.rows):
        if any(isinstance(x, str) and x.startswith(prefix) for x in row):
            return i
    raise LookupError(prefix)
