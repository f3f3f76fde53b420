"""Build an .xlsx report from a Variant the way clerks lay it out in Excel.

Owns workbook layout (sheets, offsets, merges, formulas, cached values); the content comes
from `layout`. Writes bytes only; touches no files.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from mailbot.forms import Form, load_form

from .layout import COUNT, LABEL, NCOLS, NOTE, PEOPLE, STT, UNIT, Row, frame, table_rows
from .model import Variant
from .text import CellSpec

CLASS_LIST = [
    ["STT", "Họ và tên", "Ngày sinh", "Lớp", "Ghi chú"],
    ["1", "Lò Văn Khánh", "12/03/2010", "6A", ""],
    ["2", "Quàng Thị Mai", "05/07/2010", "6A", "Nội trú"],
    ["3", "Cầm Văn Tú", "21/11/2009", "6B", ""],
    ["4", "Lường Thị Ngọc", "02/01/2010", "6B", ""],
]


def build_xlsx(variant: Variant, form: Form | None = None) -> bytes:
    """The workbook bytes for a variant (cached formula values patched in when asked)."""
    form = form or load_form()
    wb = Workbook()
    first = wb.active
    index = variant.params.get("sheet_index", 0)
    for i in range(index):
        ws = first if i == 0 else wb.create_sheet()
        _filler_sheet(ws, i)
    ws = first if index == 0 else wb.create_sheet()
    ws.title = variant.params.get("sheet_title", "Phụ lục 2")
    if variant.has("blank_template_sheet"):
        _place(wb.create_sheet("Mẫu PL2", 0), _unfilled(variant), form)
    cached = _place(ws, variant, form)
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    if cached:
        sheet = f"xl/worksheets/sheet{wb.worksheets.index(ws) + 1}.xml"
        data = _patch_cached(data, sheet, cached)
    return data


def _unfilled(variant: Variant) -> Variant:
    """The same form with nothing filled in and no unit named, as the office sent it."""
    blank = {code: dict.fromkeys(slots) for code, slots in variant.values.items()}
    keep = variant.quirks - {"formula_cached", "formula_uncached", "blank_template_sheet"}
    return replace(variant, values=blank, header_style="none", quirks=keep, params={})


def _filler_sheet(ws: Worksheet, i: int) -> None:
    if i == 0:
        ws.title = "Hướng dẫn"
        ws["A1"] = "Hướng dẫn điền biểu: nhập số liệu vào sheet Phụ lục 2, không sửa tên dòng."
        ws["A2"] = "Hạn nộp: trước ngày 15/10/2021."
    else:
        ws.title = "Danh sách HS"
        for row in CLASS_LIST:
            ws.append(row)


def _place(ws: Worksheet, variant: Variant, form: Form) -> dict[str, int | float]:
    r0 = variant.params.get("start_row", 1)
    c0 = variant.params.get("start_col", 1)
    fr = frame(variant)
    font = Font(name=".VnTime") if variant.has("tcvn3") else None
    merged = variant.has("merged_title")
    r = r0
    for i in range(max(len(fr.left), len(fr.right))):
        if i < len(fr.left):
            _text(ws, r, c0, fr.left[i], font, merge_to=c0 + 2 if merged else None)
        if i < len(fr.right):
            _text(ws, r, c0 + 3, fr.right[i], font, merge_to=c0 + 5 if merged else None)
        r += 1
    for line in fr.lines:
        _text(ws, r, c0, line, font)
        r += 1
    r += 1
    for line in fr.title:
        _text(ws, r, c0, line, font, merge_to=c0 + NCOLS - 1 if merged else None)
        r += 1
    r += 1
    rows = table_rows(variant, form)
    where: dict[tuple[str, str], str] = {}
    formulas: list[tuple[int, int, CellSpec]] = []
    for row in rows:
        cells = [*row.cells[1:], CellSpec()] if row.shift else row.cells
        for j, cell in enumerate(cells):
            if cell.sum_of is not None:
                formulas.append((r, c0 + j, cell))
            elif not cell.empty:
                _write(ws, r, c0 + j, cell, font)
        for slot, col in row.slot_cells.items():
            col = col - 1 if row.shift else col
            if row.code is not None:
                where.setdefault((row.code, slot), f"{get_column_letter(c0 + col)}{r}")
        r += 1
    if variant.has("merged_header"):
        _merge_header(ws, rows, r - len(rows), c0)
    cached = {}
    for fr_row, fr_col, cell in formulas:
        ref = _sum_formula(cell, where)
        ws.cell(row=fr_row, column=fr_col, value=ref)
        if cell.cached:
            cached[f"{get_column_letter(fr_col)}{fr_row}"] = cell.number or 0
    r += 1
    for i in range(max(len(fr.sign_left), len(fr.sign_right))):
        if i < len(fr.sign_left) and fr.sign_left[i]:
            _text(ws, r, c0 + 1, fr.sign_left[i], font)
        if i < len(fr.sign_right) and fr.sign_right[i]:
            _text(ws, r, c0 + 3, fr.sign_right[i], font)
        r += 1
    ws.column_dimensions[get_column_letter(c0 + LABEL)].width = 60
    for col in (STT, UNIT, COUNT, PEOPLE, NOTE):
        ws.column_dimensions[get_column_letter(c0 + col)].width = 14
    return cached


def _text(ws: Worksheet, r: int, c: int, text: str, font, merge_to: int | None = None) -> None:
    cell = ws.cell(row=r, column=c, value=text)
    if font:
        cell.font = font
    if merge_to:
        ws.merge_cells(start_row=r, start_column=c, end_row=r, end_column=merge_to)
        cell.alignment = Alignment(horizontal="center")


def _write(ws: Worksheet, r: int, c: int, spec: CellSpec, font) -> None:
    if spec.number is not None:
        cell = ws.cell(row=r, column=c, value=spec.number)
        if spec.number_format:
            cell.number_format = spec.number_format
        return
    cell = ws.cell(row=r, column=c, value=spec.text)
    cell.alignment = Alignment(wrap_text=True, vertical="center")
    if font:
        cell.font = font


def _merge_header(ws: Worksheet, rows: list[Row], first: int, c0: int) -> None:
    """Merge "Số lượng" over its sub-columns and the other titles down over two rows."""
    for i, row in enumerate(rows):
        if row.kind == "head" and i + 1 < len(rows) and rows[i + 1].kind == "sub":
            r = first + i
            ws.merge_cells(start_row=r, start_column=c0 + COUNT, end_row=r, end_column=c0 + PEOPLE)
            for col in (STT, LABEL, UNIT, NOTE):
                ws.merge_cells(
                    start_row=r, start_column=c0 + col, end_row=r + 1, end_column=c0 + col
                )


def _sum_formula(cell: CellSpec, where: dict[tuple[str, str], str]) -> str:
    assert cell.sum_of is not None
    slot, codes = cell.sum_of
    refs = [where[(c, slot)] for c in codes if (c, slot) in where]
    if not refs:
        return "=0"
    cols = {re.sub(r"\d", "", ref) for ref in refs}
    nums = [int(re.sub(r"\D", "", ref)) for ref in refs]
    if len(cols) == 1 and nums == list(range(nums[0], nums[0] + len(nums))):
        return f"=SUM({refs[0]}:{refs[-1]})"
    return f"=SUM({','.join(refs)})"


def _patch_cached(data: bytes, sheet: str, cached: dict[str, int | float]) -> bytes:
    """Add Excel's last computed value to formula cells (openpyxl leaves <v> empty)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == sheet:
                text = body.decode("utf-8")
                for ref, value in cached.items():
                    pattern = rf'(<c r="{ref}"[^>]*>\s*<f>[^<]*</f>\s*)<v\s*(?:/>|></v>)'
                    text, n = re.subn(pattern, rf"\g<1><v>{value}</v>", text)
                    assert n == 1, f"formula cell {ref} not found in {sheet}"
                body = text.encode("utf-8")
            dst.writestr(item, body)
    return out.getvalue()
