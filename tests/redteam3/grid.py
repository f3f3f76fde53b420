"""A neutral model of what a clerk's document holds (paragraphs, tables, sheets) and the
builder of the Appendix 2 table from a report's values and a clerk's habits."""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field
from typing import Any

from . import spec


@dataclass
class Cell:
    v: Any = None  # str | int | float | datetime | None
    fmt: str | None = None  # spreadsheet number format
    formula: str | None = None  # without '='; value v is the cached result
    cached: bool = True  # raw writers: write <v> next to <f>
    colspan: int = 1
    rowspan: int = 1
    bold: bool = False
    placeholder: str | None = None  # Word content control showing its placeholder (empty)
    sdt: bool = False  # Word: value inside a content control
    vanish: str | None = None  # Word: hidden text appended to the cell
    center: bool = False
    deleted: str | None = None  # Word: a tracked deletion before the (inserted) value
    sdt_level: str = "run"  # Word content control around the value: "run" or "cell"
    table: Table | None = None  # Word: a table nested in this cell


@dataclass
class Table:
    rows: list[list[Cell | None]]  # None = covered by a merge
    header_rows: int = 2  # Word: rows marked as repeating header
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    widths: list[float] | None = None
    row_of: dict[str, int] = field(default_factory=dict)  # code ("1b", "h4") -> row index

    @property
    def ncols(self) -> int:
        return max(len(r) for r in self.rows)


@dataclass
class Para:
    text: str
    bold: bool = False
    center: bool = False
    size: int | None = None


Block = Para | Table


@dataclass
class Sheet:
    name: str
    blocks: list[Block]
    hidden: bool = False


# --- the Appendix 2 table -------------------------------------------------------------------


@dataclass
class Habits:
    stt: bool = True
    note: str = "end"  # end | after_label | none
    notes: dict[str, str] = field(default_factory=dict)
    split: str | None = None  # mode | mode_total | sex | sex_nototal
    count_style: str = "int"
    money_style: str = "int"
    single_col: str = "count"  # count | people | unit (Người -> people column) | random
    span_single: bool = False  # single-measure value cell spans both value columns
    merge_labels: list[tuple[str, ...]] = field(default_factory=list)
    include_11: bool = True
    nfd: bool = False
    labels: dict[str, str] = field(default_factory=dict)  # code or "1b" -> label override
    headings: dict[str, str] = field(default_factory=dict)  # stt -> heading text override
    overrides: dict[tuple[str, str], Cell] = field(default_factory=dict)
    label_suffix: dict[str, str] = field(default_factory=dict)  # code -> "\n12 lớp"
    only: set[str] | None = None  # codes (and heading STTs) to include
    quirk_113: bool = False  # the plan's own row 1.13 shifted one column left
    header: bool = True
    header_text: dict[str, str] = field(default_factory=dict)
    extra_cols: list[tuple[str, Any]] = field(default_factory=list)  # (header, filler)
    empty_cell: Any = None  # what an unreported cell holds (None, "", placeholder Cell)
    splits: dict = field(default_factory=dict)  # filled by form_table
    value_sdt: str | None = None  # Word: every value cell in a content control ("run"/"cell")
    total_row: bool = False  # a 'Tổng cộng' row under the table
    units: dict[str, str] = field(default_factory=dict)  # code -> unit text override
    flat_header: bool = False  # one header row: ... | Số lớp/số cuộc thi | Người | ...
    numbering_row: str | None = None  # a column-number row under the header: "paren" | "abc"
    spacers: bool = False  # a blank row before every numbered group


def _txt(h: Habits, s: str) -> str:
    return spec.nfd(s) if h.nfd else s


def value_columns(h: Habits) -> tuple[list[str], list[str]]:
    """(column ids, 'slot part' for each) of the value area."""
    if h.split in ("mode", "mode_total"):
        cols = ["c_tt", "c_on"] + (["c_tot"] if h.split == "mode_total" else [])
        cols += ["p_tt", "p_on"] + (["p_tot"] if h.split == "mode_total" else [])
        return cols, [c[0] for c in cols]
    if h.split in ("sex", "sex_nototal"):
        cols = ["count"] + (["p_tot"] if h.split == "sex" else []) + ["p_m", "p_f"]
        return cols, ["c"] + ["p"] * (len(cols) - 1)
    return ["count", "people"], ["c", "p"]


def header_rows(h: Habits) -> list[list[Cell | None]]:
    vcols, _ = value_columns(h)
    ht = h.header_text
    lead = []
    if h.stt:
        lead.append(ht.get("stt", "STT"))
    lead.append(ht.get("label", "Các hoạt động"))
    if h.note == "after_label":
        lead.append(ht.get("note", "Ghi chú"))
    lead.append(ht.get("unit", "Đơn vị"))
    tail = [ht.get("note", "Ghi chú")] if h.note == "end" else []
    tail += [e[0] for e in h.extra_cols]
    three = h.split is not None
    if h.flat_header and not three:
        flat = [*lead, ht.get("count", "Số lớp/số cuộc thi"), ht.get("people", "Người"), *tail]
        return [[Cell(_txt(h, t), bold=True, center=True) for t in flat]]
    nh = 3 if three else 2

    def top(text):
        return Cell(_txt(h, text), rowspan=nh, bold=True, center=True)

    r0: list[Cell | None] = [top(t) for t in lead]
    r0.append(Cell(_txt(h, ht.get("qty", "Số lượng")), colspan=len(vcols), bold=True, center=True))
    r0 += [None] * (len(vcols) - 1)
    r0 += [top(t) for t in tail]
    rows = [r0]
    cl = ht.get("count", "Số lớp/số cuộc thi")
    pl = ht.get("people", "Người")
    if not three:
        rows.append(
            [None] * len(lead)
            + [Cell(_txt(h, cl), bold=True, center=True), Cell(_txt(h, pl), bold=True, center=True)]
            + [None] * len(tail)
        )
        return rows
    if h.split.startswith("mode"):
        k = 3 if h.split == "mode_total" else 2
        r1 = [None] * len(lead)
        r1 += [Cell(_txt(h, cl), colspan=k, bold=True, center=True)] + [None] * (k - 1)
        r1 += [Cell(_txt(h, pl), colspan=k, bold=True, center=True)] + [None] * (k - 1)
        r1 += [None] * len(tail)
        subs = ["Trực tiếp", "Trực tuyến"] + (["Tổng"] if k == 3 else [])
        r2 = [None] * len(lead) + [Cell(_txt(h, s), bold=True) for s in subs * 2]
        r2 += [None] * len(tail)
        return [*rows, r1, r2]
    k = len(vcols) - 1
    r1 = [None] * len(lead) + [Cell(_txt(h, cl), rowspan=2, bold=True, center=True)]
    r1 += [Cell(_txt(h, pl), colspan=k, bold=True, center=True)] + [None] * (k - 1)
    r1 += [None] * len(tail)
    subs = (["Tổng số"] if h.split == "sex" else []) + ["Nam", "Nữ"]
    r2 = [None] * (len(lead) + 1) + [Cell(_txt(h, s), bold=True) for s in subs]
    r2 += [None] * len(tail)
    return [*rows, r1, r2]


def _split(rng: random.Random, n):
    if n is None:
        return None, None
    a = rng.randint(0, n)
    return a, n - a


def split_figures(values: dict, rng: random.Random) -> dict[tuple[str, str], tuple]:
    """How each figure divides between two sub-columns (online/offline, men/women). Parent
    rows divide as the column sums of their sub-rows, as a careful clerk's would."""
    out: dict[tuple[str, str], tuple] = {}
    for code, slots in spec.SLOTS.items():
        for slot in slots:
            if slot in ("count", "people"):
                out[(code, slot)] = _split(rng, values[code][slot])
    for parent, kids in (("1", spec.SUB_1), ("5", spec.SUB_5), ("6", spec.SUB_6)):
        for slot in ("count", "people"):
            if slot not in spec.SLOTS[parent]:
                continue
            have = [k for k in kids if values[k].get(slot) is not None]
            if have and values[parent][slot] == sum(values[k][slot] for k in have):
                a = sum(out[(k, slot)][0] for k in have)
                out[(parent, slot)] = (a, values[parent][slot] - a)
    return out


def form_table(values: dict, rng: random.Random, h: Habits) -> Table:
    """The Appendix 2 table as this clerk fills it."""
    h.splits = split_figures(values, random.Random(rng.random()))
    vcols, parts = value_columns(h)
    rows: list[list[Cell | None]] = header_rows(h) if h.header else []
    row_of: dict[str, int] = {}
    if h.numbering_row and rows:
        width = len(rows[0])
        if h.numbering_row == "paren":
            nums = [f"({i})" for i in range(1, width + 1)]
        else:
            nums = ["A", "B", "C", *[str(i) for i in range(1, width - 2)]]
        rows.append([Cell(x, center=True) for x in nums])
    nhead = len(rows)
    for fr in spec.ROWS:
        key = fr.code if fr.code is not None else fr.stt
        if h.only is not None and key not in h.only:
            continue
        if fr.code == "11" and not h.include_11:
            continue
        label = fr.label
        if fr.kind == "people":
            label = h.labels.get("1b", label)
        elif fr.code is not None and fr.kind != "people":
            label = h.labels.get(fr.code, label)
        else:
            label = h.headings.get(fr.stt, label)
        if fr.code in h.label_suffix and fr.kind != "people":
            label = label + h.label_suffix[fr.code]
        label_cell: Cell | None = Cell(_txt(h, label), bold=fr.stt != "")
        # Merged label cells: the first code of a group holds both labels on two lines.
        for group in h.merge_labels:
            gkey = fr.code if fr.kind != "people" else "1b"
            if gkey in group:
                if group.index(gkey) == 0:
                    labels = []
                    for g in group:
                        src = next(
                            r
                            for r in spec.ROWS
                            if (r.code == g and r.kind != "people")
                            or (g == "1b" and r.kind == "people")
                        )
                        labels.append(src.label)
                    label_cell = Cell(_txt(h, "\n".join(labels)), rowspan=len(group))
                else:
                    label_cell = None
        lead: list[Cell | None] = []
        if h.stt:
            in_tail = any(
                (fr.code if fr.kind != "people" else "1b") in g[1:] for g in h.merge_labels
            )
            lead.append(Cell(None) if in_tail else Cell(fr.stt or None, center=True))
        lead.append(label_cell)
        if h.note == "after_label":
            lead.append(Cell(h.notes.get(fr.code or "", None)))
        lead.append(Cell(_txt(h, h.units.get(fr.code or "", fr.unit)) or None, center=True))
        tail: list[Cell | None] = []
        if h.note == "end":
            tail.append(Cell(h.notes.get(fr.code or "", None)))
        for _hdr, filler in h.extra_cols:
            tail.append(Cell(filler(fr) if callable(filler) else filler))
        vals = [h.empty_cell] * len(vcols)
        if fr.code is not None:
            vals = _value_cells(values, rng, h, fr, vcols, parts)
        cells = [c if isinstance(c, Cell) or c is None else Cell(c) for c in vals]
        if h.quirk_113 and fr.code == "1.13" and h.stt:
            # The plan's table: label in the STT column, unit in the label column, values one
            # column left, last column empty.
            lead = [lead[1], lead[-1]]
            tail = [*tail, Cell(None)]
        if h.spacers and fr.stt and fr.stt != "1" and rows:
            rows.append([Cell(None) for _ in range(len(lead) + len(cells) + len(tail))])
        rkey = ("1b" if fr.kind == "people" else fr.code) if fr.code else "h" + fr.stt
        row_of[rkey] = len(rows)
        rows.append(lead + cells + tail)
    if h.total_row and h.split is None:
        c_sum = sum(
            values[fr.code]["count"] or 0
            for fr in spec.ROWS
            if fr.kind in ("pair", "single", "count") and fr.code is not None
        )
        p_sum = sum(
            values[fr.code]["people"] or 0 for fr in spec.ROWS if fr.kind in ("pair", "people")
        )
        lead = ([Cell(None)] if h.stt else []) + [Cell("Tổng cộng", bold=True)]
        lead += [Cell(None)] * (2 if h.note == "after_label" else 1)
        tail = [Cell(None)] * ((1 if h.note == "end" else 0) + len(h.extra_cols))
        rows.append([*lead, Cell(c_sum, bold=True), Cell(p_sum, bold=True), *tail])
    return Table(rows, header_rows=nhead, row_of=row_of)


def _empty(h: Habits):
    e = h.empty_cell
    return copy.copy(e) if isinstance(e, Cell) else Cell(e)


def _value_cells(values, rng, h: Habits, fr: spec.Row, vcols, parts) -> list[Cell | None]:
    code = fr.code
    n = len(vcols)
    out: list[Cell | None] = [_empty(h) for _ in range(n)]
    ov_c = h.overrides.get((code, "count")) if fr.kind != "people" else None
    ov_p = h.overrides.get((code, "people"))
    if fr.kind == "people":
        ov_p = h.overrides.get(("1b", "people"), None)
    if code in h.label_suffix and fr.kind != "people":
        return out

    def put_pair(cnum, pnum, csty=True, psty=True):
        cidx = [i for i, p in enumerate(parts) if p == "c"]
        pidx = [i for i, p in enumerate(parts) if p == "p"]
        for num, idx, ok, unit in ((cnum, cidx, csty, "lớp"), (pnum, pidx, psty, "người")):
            if not ok:
                continue
            if len(idx) == 1:
                out[idx[0]] = Cell(spec.type_count(rng, num, h.count_style, unit))
                continue
            slot = "count" if unit == "lớp" else "people"
            a, b = h.splits.get((code, slot)) or _split(rng, num)
            if a is not None and num is not None and a + b != num:
                a, b = _split(rng, num)
            has_tot = len(idx) == 3
            cells = [a, b] + ([num] if has_tot else [])
            if h.split in ("sex", "sex_nototal") and has_tot:
                cells = [num, a, b]
            for i, x in zip(idx, cells, strict=True):
                out[i] = Cell(spec.type_count(rng, x, h.count_style, unit))

    if fr.kind == "pair":
        put_pair(values[code]["count"], values[code]["people"])
    elif fr.kind == "count":
        put_pair(values[code]["count"], None, True, False)
    elif fr.kind == "people":
        put_pair(None, values[code]["people"], False, True)
    elif fr.kind == "single":
        col = h.single_col
        if col == "unit":
            col = "people" if fr.unit.lower().startswith("người") else "count"
        elif col == "random":
            col = rng.choice(["count", "people"])
        num = values[code]["count"]
        if h.span_single and h.split is None:
            out = [Cell(spec.type_count(rng, num, h.count_style), colspan=2), None]
        elif col == "people" and h.split is None:
            out[1] = Cell(spec.type_count(rng, num, h.count_style))
        else:
            put_pair(num, None, True, False)
    elif fr.kind == "amount":
        c = Cell(spec.type_money(rng, values[code]["amount"], h.money_style))
        if h.span_single and h.split is None:
            c.colspan = 2
            out = [c, None]
        else:
            out[0] = c
    elif fr.kind == "text":
        t = values[code]["text"]
        c = Cell(_txt(h, t) if t else None)
        if h.split is None:
            c.colspan = 2
            out = [c, None]
        else:
            out[0] = c
    if ov_c is not None:
        out[0] = ov_c
    if ov_p is not None:
        pidx = [i for i, p in enumerate(parts) if p == "p"]
        out[pidx[0]] = ov_p
    if h.value_sdt:
        for c in out:
            if c is not None:
                c.sdt, c.sdt_level = True, h.value_sdt
    return out


# --- the rest of a clerk's document ---------------------------------------------------------


def letterhead(
    upper: str, unit: str, place: str = "Quỳnh Nhai", nfd: bool = False, number: str | None = None
) -> list[Para]:
    f = spec.nfd if nfd else (lambda s: s)
    extra = [Para("––––––––"), Para(f(number), center=True)] if number else []
    return [
        Para(f(upper), center=True),
        Para(f(unit), bold=True, center=True),
        *extra,
        Para(f("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), bold=True, center=True),
        Para(f("Độc lập - Tự do - Hạnh phúc"), bold=True, center=True),
        Para(f(f"{place}, ngày 14 tháng 10 năm 2021"), center=True),
    ]


def title_block(year: int = 2021, nfd: bool = False, appendix: bool = True) -> list[Para]:
    f = spec.nfd if nfd else (lambda s: s)
    out = [Para(f("Phụ lục 2"), bold=True)] if appendix else []
    out += [
        Para(f(spec.TITLE), bold=True, center=True, size=14),
        Para(
            f(f"Số liệu kết quả tổ chức tuần lễ học tập suốt đời năm {year}"),
            center=True,
        ),
    ]
    return out


def signature(name: str = "Lò Văn Minh", role: str = "NGƯỜI LẬP BIỂU") -> list[Para]:
    return [Para(role, bold=True), Para("(Ký, ghi rõ họ tên)"), Para(name)]


def grid_of(blocks: list[Block]) -> tuple[list[list[Cell | None]], list[int], set[int], set[int]]:
    """Blocks laid out on one sheet: paragraphs as single cells in column A, tables below.
    Returns (rows, table_starts, hidden_rows, hidden_cols)."""
    rows: list[list[Cell | None]] = []
    starts = []
    hidden_rows: set[int] = set()
    hidden_cols: set[int] = set()
    for b in blocks:
        if isinstance(b, Para):
            rows.append([Cell(b.text, bold=b.bold)])
        else:
            starts.append(len(rows))
            hidden_rows |= {len(rows) + i for i in b.hidden_rows}
            hidden_cols |= b.hidden_cols
            rows.extend(b.rows)
    return rows, starts, hidden_rows, hidden_cols


# --- edits a clerk makes to the table's shape ----------------------------------------------


def insert_col(t: Table, idx: int, merge_left: bool = True) -> Table:
    """A blank column inserted at idx; with merge_left every cell on its left that ends there
    is widened over it (Excel labels merged across two columns)."""
    for row in t.rows:
        left = idx - 1
        while left >= 0 and row[left] is None:
            left -= 1
        cell = row[left] if left >= 0 else None
        ends_here = cell is not None and left + cell.colspan == idx
        spans_over = cell is not None and left + cell.colspan > idx
        if (merge_left and ends_here) or spans_over:
            cell.colspan += 1
            row.insert(idx, None)
        else:
            row.insert(idx, Cell(None))
    return t


def swap_cols(t: Table, i: int, j: int, from_row: int) -> Table:
    for row in t.rows[from_row:]:
        row[i], row[j] = row[j], row[i]
    return t


def shift_right(blocks: list, n: int) -> list:
    """Everything n columns to the right (a clerk's margin columns)."""
    out = []
    for b in blocks:
        if isinstance(b, Para):
            out.append(Table([[*[Cell(None)] * n, Cell(b.text, bold=b.bold)]], header_rows=0))
        else:
            b.rows = [[*[Cell(None)] * n, *r] for r in b.rows]
            b.hidden_cols = {c + n for c in b.hidden_cols}
            out.append(b)
    return out
