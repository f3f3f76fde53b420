"""Spreadsheet writers for the red-team corpus: openpyxl (Excel-like) and hand-written OOXML.

Owns: placing a Report on a sheet (SheetModel), writing it with openpyxl, and writing raw
SpreadsheetML the way other tools do (inline strings, rich-text shared strings, no cell refs,
cached formula values, WPS properties). Writes bytes only; never touches the file system.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from tests.redteam.layout import Report

FIXED = (2021, 10, 14, 8, 0, 0)


def a1(r: int, c: int) -> str:
    """A1 reference of 0-based (row, col)."""
    letters = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{r + 1}"


@dataclass
class SheetModel:
    """Cells of one worksheet by 0-based (row, col), with merges and extras."""

    name: str
    cells: dict[tuple[int, int], Any] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    formats: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    rich: dict[tuple[int, int], list[tuple[str, bool]]] = field(default_factory=dict)


def place(report: Report, name: str = "Sheet1", left: int = 0, top: int = 0) -> SheetModel:
    """Lay the report on a sheet: header block, title, table, signature, like a clerk would."""
    sheet = SheetModel(name)
    table = report.table
    width = max(len(r) for r in table.rows)
    half = max(2, width // 2)
    r = top
    for lt, rt in report.header:
        if lt:
            sheet.cells[(r, left)] = lt
            sheet.merges.append((r, left, r, left + half - 2))
        if rt:
            sheet.cells[(r, left + half - 1)] = rt
            sheet.merges.append((r, left + half - 1, r, left + width - 1))
        r += 1
    if report.header:
        r += 1
    for line in report.title:
        sheet.cells[(r, left)] = line
        sheet.merges.append((r, left, r, left + width - 1))
        r += 1
    r += 1 if report.title else 0
    t0 = r
    for i, row in enumerate(table.rows):
        for j, value in enumerate(row):
            if value is not None:
                sheet.cells[(t0 + i, left + j)] = value
    for r1, c1, r2, c2 in table.merges:
        sheet.merges.append((t0 + r1, left + c1, t0 + r2, left + c2))
    for (i, j), f in table.formulas.items():
        sheet.formulas[(t0 + i, left + j)] = _shift_formula(f, t0, left)
    for (i, j), f in table.formats.items():
        sheet.formats[(t0 + i, left + j)] = f
    sheet.hidden_cols = {left + c for c in table.hidden_cols}
    sheet.hidden_rows = {t0 + r_ for r_ in table.hidden_rows}
    r = t0 + len(table.rows) + 1
    for line in report.after:
        sheet.cells[(r, left + half)] = line
        r += 1
    return sheet


def _shift_formula(formula: str, dr: int, dc: int) -> str:
    """Formulas are written table-relative (row 0 = first header row); shift to sheet A1."""
    import re

    def fix(m: re.Match) -> str:
        col = 0
        for ch in m.group(1):
            col = col * 26 + ord(ch) - 64
        return a1(int(m.group(2)) - 1 + dr, col - 1 + dc)

    return re.sub(r"\b([A-Z]{1,2})(\d+)\b", fix, formula)


def openpyxl_bytes(sheets: list[SheetModel], widths: dict[int, float] | None = None) -> bytes:
    """Save sheets through openpyxl (shared strings, styles: the Excel-like baseline)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for model in sheets:
        ws = wb.create_sheet(model.name)
        for (r, c), value in model.cells.items():
            cell = ws.cell(row=r + 1, column=c + 1)
            cell.value = ("=" + model.formulas[(r, c)]) if (r, c) in model.formulas else value
            if isinstance(value, str) and "\n" in value:
                cell.alignment = Alignment(wrap_text=True, vertical="center")
            if (r, c) in model.formats:
                cell.number_format = model.formats[(r, c)]
        for r1, c1, r2, c2 in model.merges:
            ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
        for c in model.hidden_cols:
            ws.column_dimensions[get_column_letter(c + 1)].hidden = True
        for r in model.hidden_rows:
            ws.row_dimensions[r + 1].hidden = True
        for c, w in (widths or {}).items():
            ws.column_dimensions[get_column_letter(c + 1)].width = w
    wb.properties.created = dt.datetime(*FIXED)
    wb.properties.modified = dt.datetime(*FIXED)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- hand-written SpreadsheetML -------------------------------------------------------------

BOLD = '<rPr><b/><sz val="12"/><rFont val="Times New Roman"/></rPr>'
PLAIN = '<rPr><sz val="12"/><rFont val="Times New Roman"/></rPr>'
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
EPOCH = dt.datetime(1899, 12, 30)


@dataclass
class RawOptions:
    """Writer habits: string storage, cell references, app name, extra parts."""

    strings: str = "shared"  # shared | inline | rich (shared, rich runs where given)
    refs: bool = True
    app: str = "Microsoft Excel"
    wps: bool = False
    macro: bool = False


def raw_xlsx_bytes(sheets: list[SheetModel], opts: RawOptions) -> bytes:
    """An .xlsx written by hand, the way a non-Excel tool lays the package out."""
    shared: list[str] = []
    index: dict[str, int] = {}
    parts: dict[str, str] = {}
    for n, model in enumerate(sheets, 1):
        parts[f"xl/worksheets/sheet{n}.xml"] = _sheet_xml(model, opts, shared, index)
    parts["xl/workbook.xml"] = _workbook_xml(sheets)
    parts["xl/_rels/workbook.xml.rels"] = _workbook_rels(len(sheets), bool(shared), opts)
    parts["xl/styles.xml"] = _STYLES
    if shared:
        items = []
        for s in shared:
            items.append(s if s.startswith("<r>") else f'<t xml:space="preserve">{escape(s)}</t>')
        body = "".join(f"<si>{i}</si>" for i in items)
        parts["xl/sharedStrings.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst {NS} '
            f'count="{len(shared)}" uniqueCount="{len(shared)}">{body}</sst>'
        )
    parts["[Content_Types].xml"] = _content_types(len(sheets), bool(shared), opts)
    parts["_rels/.rels"] = _ROOT_RELS.replace("</Relationships>", _CUSTOM_REL if opts.wps else "")
    if not opts.wps:
        parts["_rels/.rels"] += "</Relationships>"
    parts["docProps/app.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns='
        '"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        f"<Application>{escape(opts.app)}</Application></Properties>"
    )
    if opts.wps:
        parts["docProps/custom.xml"] = _WPS_CUSTOM
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        first = ["[Content_Types].xml", "_rels/.rels"]
        order = [*first, *sorted(k for k in parts if k not in first)]
        for name in order:
            zf.writestr(zipfile.ZipInfo(name, FIXED), parts[name].encode("utf-8"))
        if opts.macro:
            zf.writestr(zipfile.ZipInfo("xl/vbaProject.bin", FIXED), _FAKE_VBA)
    return out.getvalue()


def _cell_xml(
    model: SheetModel, r: int, c: int, value: Any, opts: RawOptions, shared: list, index: dict
) -> str:
    ref = f' r="{a1(r, c)}"' if opts.refs else ""
    style = ""
    if isinstance(value, dt.date | dt.datetime):
        value = (dt.datetime(value.year, value.month, value.day) - EPOCH).days
        style = ' s="1"'
    elif (r, c) in model.formats:
        style = ' s="2"'
    if (r, c) in model.formulas:
        f = escape(model.formulas[(r, c)])
        if isinstance(value, str):
            return f'<c{ref} t="str"><f>{f}</f><v>{escape(value)}</v></c>'
        return f"<c{ref}{style}><f>{f}</f><v>{value}</v></c>"
    if isinstance(value, bool):
        return f'<c{ref} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f"<c{ref}{style}><v>{value}</v></c>"
    text = str(value)
    if opts.strings == "inline":
        return f'<c{ref} t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'
    key = text
    if opts.strings == "rich" and (r, c) in model.rich:
        key = "".join(
            f'<r>{BOLD if bold else PLAIN}<t xml:space="preserve">{escape(run)}</t></r>'
            for run, bold in model.rich[(r, c)]
        )
    if key not in index:
        index[key] = len(shared)
        shared.append(key)
    return f'<c{ref} t="s"><v>{index[key]}</v></c>'


def _sheet_xml(model: SheetModel, opts: RawOptions, shared: list, index: dict) -> str:
    rows: dict[int, list[int]] = {}
    for r, c in model.cells:
        rows.setdefault(r, []).append(c)
    out = []
    for r in sorted(rows):
        ref = f' r="{r + 1}"' if opts.refs else ""
        hidden = ' hidden="1"' if r in model.hidden_rows else ""
        cells = "".join(
            _cell_xml(model, r, c, model.cells[(r, c)], opts, shared, index)
            for c in sorted(rows[r])
        )
        out.append(f"<row{ref}{hidden}>{cells}</row>")
    if not opts.refs:
        # Without refs a reader must count positions; fill the gaps the way such writers do.
        out = []
        last = max(rows) if rows else -1
        width = max((c for _, c in model.cells), default=-1) + 1
        for r in range(last + 1):
            cells = "".join(
                _cell_xml(model, r, c, model.cells[(r, c)], opts, shared, index)
                if (r, c) in model.cells
                else "<c/>"
                for c in range(width)
            )
            out.append(f"<row>{cells}</row>")
    cols = "".join(
        f'<col min="{c + 1}" max="{c + 1}" width="0" hidden="1" customWidth="1"/>'
        for c in sorted(model.hidden_cols)
    )
    merges = "".join(
        f'<mergeCell ref="{a1(r1, c1)}:{a1(r2, c2)}"/>' for r1, c1, r2, c2 in model.merges
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {NS} {RNS}>'
        + (f"<cols>{cols}</cols>" if cols else "")
        + f"<sheetData>{''.join(out)}</sheetData>"
        + (f'<mergeCells count="{len(model.merges)}">{merges}</mergeCells>' if merges else "")
        + "</worksheet>"
    )


def _workbook_xml(sheets: list[SheetModel]) -> str:
    entries = "".join(
        f'<sheet name="{escape(s.name)}" sheetId="{n}" r:id="rId{n}"/>'
        for n, s in enumerate(sheets, 1)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {NS} {RNS}>'
        f"<sheets>{entries}</sheets></workbook>"
    )


def _workbook_rels(n: int, has_shared: bool, opts: RawOptions) -> str:
    base = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    rels = [
        f'<Relationship Id="rId{i}" Type="{base}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, n + 1)
    ]
    rels.append(f'<Relationship Id="rId{n + 1}" Type="{base}/styles" Target="styles.xml"/>')
    if has_shared:
        rels.append(
            f'<Relationship Id="rId{n + 2}" Type="{base}/sharedStrings" '
            'Target="sharedStrings.xml"/>'
        )
    if opts.macro:
        rels.append(
            f'<Relationship Id="rId{n + 3}" Type="http://schemas.microsoft.com/office/2006/'
            'relationships/vbaProject" Target="vbaProject.bin"/>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
        f'"http://schemas.openxmlformats.org/package/2006/relationships">{"".join(rels)}'
        "</Relationships>"
    )


def _content_types(n: int, has_shared: bool, opts: RawOptions) -> str:
    main = (
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
        if opts.macro
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    )
    ov = [f'<Override PartName="/xl/workbook.xml" ContentType="{main}"/>']
    for i in range(1, n + 1):
        ov.append(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        )
    ov.append(
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    )
    if has_shared:
        ov.append(
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
    ov.append(
        '<Override PartName="/docProps/app.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    )
    if opts.wps:
        ov.append(
            '<Override PartName="/docProps/custom.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.custom-properties+xml"/>'
        )
    defaults = (
        '<Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
    )
    if opts.macro:
        defaults += '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns='
        f'"http://schemas.openxmlformats.org/package/2006/content-types">{defaults}'
        f"{''.join(ov)}</Types>"
    )


_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
    '"http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)

# Style 1: a date (14 = d/m/yyyy); style 2: thousands separator (#,##0).
_CUSTOM_REL = (
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/custom-properties" Target="docProps/custom.xml"/></Relationships>'
)

_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet {NS}>'
    '<fonts count="1"><font><sz val="12"/><name val="Times New Roman"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs></styleSheet>"
)

_WPS_CUSTOM = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns='
    '"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="KSOProductBuildVer">'
    "<vt:lpwstr>1066-11.2.0.11191</vt:lpwstr></property></Properties>"
)

# Not a real VBA project: an OLE signature and padding, enough to look like one to a sniffer.
_FAKE_VBA = bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504
