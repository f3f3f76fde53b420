"""Build a .docx report from a Variant the way clerks make it in Word.

Owns the WordprocessingML of the report: paragraphs, the form table(s) with gridSpan/vMerge,
content controls, tracked changes, nested and split tables. Content comes from `layout`.
Writes bytes only; touches no files.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

import docx
from docx.oxml import parse_xml

from mailbot.forms import Form, load_form

from .layout import COUNT, LABEL, NCOLS, NOTE, PEOPLE, STT, UNIT, Frame, Row, frame, table_rows
from .model import Variant
from .text import CellSpec

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
WIDTHS = (700, 4600, 1300, 1200, 1000, 1100)
BORDERS = "".join(
    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    for side in ("top", "left", "bottom", "right", "insideH", "insideV")
)
DATE = 'w:author="Kế toán" w:date="2021-10-12T08:00:00Z"'


class _Ids:
    """Counter for w:id attributes of tracked changes and content controls."""

    def __init__(self) -> None:
        self.n = 100

    def next(self) -> int:
        self.n += 1
        return self.n


def build_docx(variant: Variant, form: Form | None = None) -> bytes:
    """The document bytes for a variant."""
    form = form or load_form()
    fr = frame(variant)
    font = ".VnTime" if variant.has("tcvn3") else None
    ids = _Ids()
    parts = _header_xml(variant, fr, font)
    parts += [_para(t, font, bold=t.isupper()) for t in fr.narrative]
    title = [
        _para(t, font, bold=i < len(fr.title) - 1, center=True) for i, t in enumerate(fr.title)
    ]
    tables = _tables_xml(variant, table_rows(variant, form), font, ids)
    body = title + tables
    if variant.has("nested_table"):
        body = [_layout_table([[*body, _para("", None)]])]
    parts += [*body, _para("", None), *_signature_xml(variant, fr, font)]
    document = docx.Document()
    sect = document.element.body.sectPr
    wrapper = parse_xml(f"<w:body {W}>{''.join(parts)}</w:body>")
    for el in list(wrapper):
        sect.addprevious(el)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _run(text: str, font: str | None, bold: bool = False, italic: bool = False) -> str:
    props = ""
    if font:
        props += f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}"/>'
    if bold:
        props += "<w:b/>"
    if italic:
        props += "<w:i/>"
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    pieces = text.split("\t")
    inner = "<w:tab/>".join(f'<w:t xml:space="preserve">{escape(p)}</w:t>' for p in pieces)
    return f"<w:r>{rpr}{inner}</w:r>"


def _para(
    text: str, font: str | None, bold: bool = False, center: bool = False, italic: bool = False
) -> str:
    ppr = '<w:pPr><w:jc w:val="center"/></w:pPr>' if center else ""
    run = _run(text, font, bold, italic) if text else ""
    return f"<w:p>{ppr}{run}</w:p>"


def _header_xml(variant: Variant, fr: Frame, font: str | None) -> list[str]:
    if fr.left and variant.has("header_table"):
        cells = [[_para(t, font, bold=i < 2, center=True) for i, t in enumerate(fr.left)]]
        cells.append([_para(t, font, bold=i < 2, center=True) for i, t in enumerate(fr.right)])
        return [_layout_table(cells)]
    if fr.left:
        return [
            _para(f"{left}\t\t{right}", font, bold=i < 2)
            for i, (left, right) in enumerate(zip(fr.left, fr.right, strict=True))
        ]
    return [_para(t, font, bold=True) for t in fr.lines]


def _signature_xml(variant: Variant, fr: Frame, font: str | None) -> list[str]:
    if variant.has("header_table"):
        left = [_para(t, font, bold=True, center=True) for t in fr.sign_left]
        right = [_para(t, font, bold=True, center=True) for t in fr.sign_right]
        return [_layout_table([left, right])]
    n = max(len(fr.sign_left), len(fr.sign_right))
    left = fr.sign_left + [""] * (n - len(fr.sign_left))
    right = fr.sign_right + [""] * (n - len(fr.sign_right))
    return [_para(f"{a}\t\t\t{b}", font, bold=True) for a, b in zip(left, right, strict=True)]


def _layout_table(cells: list[list[str]]) -> str:
    """A borderless one-row table whose cells hold the given block-level XML."""
    grid = "".join('<w:gridCol w:w="4800"/>' for _ in cells)
    tcs = "".join(
        f'<w:tc><w:tcPr><w:tcW w:w="4800" w:type="dxa"/></w:tcPr>{"".join(c) or "<w:p/>"}</w:tc>'
        for c in cells
    )
    return (
        '<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>'
        '<w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/>'
        '<w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid><w:tr>{tcs}</w:tr></w:tbl>"
    )


def _split(variant: Variant, rows: list[Row]) -> list[list[Row]]:
    """Cut the rows into consecutive Word tables where the variant has page breaks."""
    if not variant.has("split_tables"):
        return [rows]
    before = set(variant.params.get("split_before", ()))
    head = [r for r in rows[:3] if r.kind in ("head", "sub", "numbers")]
    groups: list[list[Row]] = [[]]
    seen: set[str] = set()
    for row in rows:
        cut = row.kind == "cont" and variant.params.get("split_cont", False)
        if row.kind == "line" and row.code in before and row.code not in seen:
            cut = True
        if cut and groups[-1]:
            groups.append(list(head) if variant.params.get("split_header") else [])
        if row.code:
            seen.add(row.code)
        groups[-1].append(row)
    return groups


def _tables_xml(variant: Variant, rows: list[Row], font: str | None, ids: _Ids) -> list[str]:
    out: list[str] = []
    for i, group in enumerate(_split(variant, rows)):
        if i:
            out.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
        tbl = _table(variant, group, font, ids)
        if variant.has("sdt_table"):
            tbl = _sdt(tbl, "Bảng số liệu", ids)
        out.append(tbl)
    return out


def _sdt(inner: str, alias: str, ids: _Ids) -> str:
    return (
        f'<w:sdt><w:sdtPr><w:alias w:val="{escape(alias)}"/><w:id w:val="{ids.next()}"/>'
        f"</w:sdtPr><w:sdtContent>{inner}</w:sdtContent></w:sdt>"
    )


def _table(variant: Variant, rows: list[Row], font: str | None, ids: _Ids) -> str:
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in WIDTHS)
    merge_head = variant.has("merged_header") or variant.has("docx_merges")
    trs = []
    for i, row in enumerate(rows):
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        prev = rows[i - 1] if i else None
        tr = _tr(variant, row, prev, nxt, merge_head, font, ids)
        if row.code in variant.params.get("sdt_rows", ()) and row.kind == "line":
            tr = _sdt(tr, "Dòng " + (row.code or ""), ids)
        trs.append(tr)
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>{BORDERS}'
        f"</w:tblBorders></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(trs)}</w:tbl>"
    )


def _tr(variant, row: Row, prev, nxt, merge_head, font, ids) -> str:
    cells = [*row.cells[1:], CellSpec()] if row.shift else list(row.cells)
    spans = [1] * NCOLS
    vmerge: dict[int, str] = {}
    if merge_head and row.kind == "head" and nxt is not None and nxt.kind == "sub":
        spans[COUNT], spans[PEOPLE] = 2, 0
        vmerge = {c: "restart" for c in (STT, LABEL, UNIT, NOTE)}
    elif merge_head and row.kind == "sub":
        vmerge = {c: "continue" for c in (STT, LABEL, UNIT, NOTE)}
    if variant.has("docx_merges") and row.kind == "line":
        if row.code is None:  # a heading: its label spans to the last column
            spans[LABEL], spans[UNIT], spans[COUNT], spans[PEOPLE], spans[NOTE] = 5, 0, 0, 0, 0
        elif row.code == "1" and nxt is not None and nxt.code == "1" and cells[STT].text:
            vmerge[STT] = "restart"
        elif row.code == "1" and prev is not None and prev.code == "1" and not cells[STT].text:
            vmerge[STT] = "continue"
        elif row.code == "11" and not row.shift and cells[PEOPLE].empty:
            spans[COUNT], spans[PEOPLE] = 2, 0
    tcs = []
    for j, cell in enumerate(cells):
        if spans[j] == 0:
            continue
        width = sum(WIDTHS[j : j + spans[j]])
        pr = f'<w:tcW w:w="{width}" w:type="dxa"/>'
        if spans[j] > 1:
            pr += f'<w:gridSpan w:val="{spans[j]}"/>'
        if j in vmerge:
            pr += "<w:vMerge/>" if vmerge[j] == "continue" else '<w:vMerge w:val="restart"/>'
        text = "" if vmerge.get(j) == "continue" else cell.shown()
        tc = f"<w:tc><w:tcPr>{pr}</w:tcPr>{_cell_para(text, cell, font, ids)}</w:tc>"
        sdt_codes = variant.params.get("sdt_cells", ())
        if row.code in sdt_codes and j in row.slot_cells.values() and not cell.empty:
            tc = _sdt(tc, "Số liệu", ids)
        tcs.append(tc)
    trpr = "<w:trPr><w:tblHeader/></w:trPr>" if row.kind in ("head", "sub") else ""
    return f"<w:tr>{trpr}{''.join(tcs)}</w:tr>"


def _cell_para(text: str, cell: CellSpec, font: str | None, ids: _Ids) -> str:
    if cell.old is not None and text:
        old = _run(cell.old, font).replace("<w:t ", "<w:delText ").replace("</w:t>", "</w:delText>")
        return (
            f'<w:p><w:del w:id="{ids.next()}" {DATE}>{old}</w:del>'
            f'<w:ins w:id="{ids.next()}" {DATE}>{_run(text, font)}</w:ins></w:p>'
        )
    return "".join(_para(line, font) for line in text.split("\n"))


def narrative_only(variant: Variant, fr: Frame) -> bytes:
    """A report with header, Appendix 1 paragraphs and signature but no table at all."""
    parts = _header_xml(variant, fr, None) + [_para(t, None) for t in fr.narrative]
    parts += [_para("", None), *_signature_xml(variant, fr, None)]
    document = docx.Document()
    wrapper = parse_xml(f"<w:body {W}>{''.join(parts)}</w:body>")
    for el in list(wrapper):
        document.element.body.sectPr.addprevious(el)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
