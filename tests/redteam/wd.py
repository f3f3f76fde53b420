"""Word writers for the red-team corpus: python-docx's plain API and hand-written WordprocessingML.

Owns: turning a Report into .docx bytes the way Word, python-docx and pasted tables lay it out
(gridSpan/vMerge merges, w:gridBefore, numbers split across runs, empty paragraphs in cells,
footnote references, the header block in the page header). Bytes only; no file system.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from tests.redteam.layout import Report, Table
from tests.redteam.xl import FIXED

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@dataclass
class WordOptions:
    """Typing and pasting habits that show up in the XML."""

    header_in_page_header: bool = False
    header_as_table: bool = True  # the usual two-column borderless header table
    split_runs: bool = False  # "12" typed as "1" then "2" after an edit: two runs
    empty_paras: bool = False  # stray empty paragraphs in value and label cells
    grid_before: int = 0  # each body row starts after this many skipped grid columns
    footnotes: dict[str, str] = field(default_factory=dict)  # label prefix -> footnote text
    proof_marks: bool = False  # w:proofErr and bookmarks sprinkled in runs
    split_table_after: int | None = None  # table rows index where the clerk broke the table
    before: list[Any] = field(default_factory=list)  # blocks before the report: str or Table
    line_breaks: str = "para"  # para | br: how "\n" inside a cell is written
    tracked: bool = False  # Track Changes on: every number replaced (old one in w:del)


def _run(text: str, opts: WordOptions, bold: bool = False, sup: bool = False) -> str:
    props = ""
    if bold or sup:
        props = (
            "<w:rPr>"
            + ("<w:b/>" if bold else "")
            + ('<w:vertAlign w:val="superscript"/>' if sup else "")
            + "</w:rPr>"
        )
    parts = text.split("\n") if opts.line_breaks == "br" else [text]
    inner = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(p)}</w:t>' for p in parts)
    return f"<w:r>{props}{inner}</w:r>"


def _para(text: str, opts: WordOptions, bold: bool = False, center: bool = False) -> str:
    ppr = '<w:pPr><w:jc w:val="center"/></w:pPr>' if center else ""
    if not text:
        return f"<w:p>{ppr}</w:p>"
    return f"<w:p>{ppr}{_run(text, opts, bold)}</w:p>"


def _cell_content(value: Any, opts: WordOptions) -> str:
    if value is None or value == "":
        return "<w:p/>"
    text = str(value)
    digits = text.strip("\u00a0 ")
    if opts.tracked and digits.isdigit():
        old = str(int(digits) + 1)
        return (
            f'<w:p><w:del w:id="1" w:author="Kế toán" w:date="2021-10-13T08:00:00Z"><w:r>'
            f'<w:delText>{old}</w:delText></w:r></w:del><w:ins w:id="2" w:author="Kế toán" '
            f'w:date="2021-10-13T08:00:00Z">{_run(text, opts)}</w:ins></w:p>'
        )
    if opts.split_runs and text.isdigit() and len(text) > 1:
        mid = len(text) // 2
        runs = _run(text[:mid], opts)
        if opts.proof_marks:
            runs += '<w:bookmarkStart w:id="0" w:name="_GoBack"/><w:bookmarkEnd w:id="0"/>'
        runs += _run(text[mid:], opts)
        body = f"<w:p>{runs}</w:p>"
    elif opts.line_breaks == "para" and "\n" in text:
        body = "".join(_para(p, opts) for p in text.split("\n"))
    else:
        body = _para_with_marks(text, opts)
    if opts.empty_paras:
        body = body + "<w:p/>"
    return body


def _para_with_marks(text: str, opts: WordOptions) -> str:
    for prefix, note_id in _FOOTNOTE_IDS.get(id(opts), {}).items():
        if text.startswith(prefix):
            ref = (
                '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/><w:vertAlign '
                f'w:val="superscript"/></w:rPr><w:footnoteReference w:id="{note_id}"/></w:r>'
            )
            return f"<w:p>{_run(text, opts)}{ref}</w:p>"
    if opts.proof_marks and " " in text:
        a, b = text.split(" ", 1)
        return (
            f'<w:p>{_run(a + " ", opts)}<w:proofErr w:type="spellStart"/>{_run(b, opts)}'
            '<w:proofErr w:type="spellEnd"/></w:p>'
        )
    return _para(text, opts)


_FOOTNOTE_IDS: dict[int, dict[str, int]] = {}


def table_xml(table: Table, opts: WordOptions, rows: range | None = None) -> str:
    """A w:tbl for the table (or a slice of its rows), merges as gridSpan and vMerge."""
    width = max(len(r) for r in table.rows)
    anchor: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    for m in table.merges:
        r1, c1, r2, c2 = m
        for r in range(r1, r2 + 1):
            anchor[(r, c1)] = m
            for c in range(c1 + 1, c2 + 1):
                anchor[(r, c)] = (-1, -1, -1, -1)  # covered, emitted by the anchor's gridSpan
    gb = opts.grid_before
    grid = "".join('<w:gridCol w:w="1200"/>' for _ in range(width + gb))
    out = [
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
    ]
    for r in rows or range(len(table.rows)):
        trpr = f'<w:trPr><w:gridBefore w:val="{gb}"/></w:trPr>' if gb else ""
        cells = []
        c = 0
        while c < width:
            m = anchor.get((r, c))
            if m == (-1, -1, -1, -1):
                c += 1
                continue
            span = 1
            vmerge = ""
            value = table.rows[r][c] if c < len(table.rows[r]) else None
            if m:
                r1, c1, r2, c2 = m
                span = c2 - c1 + 1
                if r2 > r1:
                    vmerge = '<w:vMerge w:val="restart"/>' if r == r1 else "<w:vMerge/>"
                    if r != r1:
                        value = None
            tcpr = "<w:tcPr>" + (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "")
            tcpr += vmerge + "</w:tcPr>"
            cells.append(f"<w:tc>{tcpr}{_cell_content(value, opts)}</w:tc>")
            c += span
        out.append(f"<w:tr>{trpr}{''.join(cells)}</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def _header_table(header: list[tuple[str, str]], opts: WordOptions) -> str:
    rows = "".join(
        f"<w:tr><w:tc>{_para(lt, opts, bold=True, center=True)}</w:tc>"
        f"<w:tc>{_para(rt, opts, bold=True, center=True)}</w:tc></w:tr>"
        for lt, rt in header
    )
    return (
        '<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders><w:top w:val="nil"/>'
        '<w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/>'
        '<w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders></w:tblPr>'
        '<w:tblGrid><w:gridCol w:w="4000"/><w:gridCol w:w="5500"/></w:tblGrid>'
        f"{rows}</w:tbl>"
    )


def _header_block(header: list[tuple[str, str]], opts: WordOptions) -> str:
    if not header:
        return ""
    if opts.header_as_table:
        return _header_table(header, opts) + "<w:p/>"
    return "".join(_para(f"{lt}\t\t{rt}".strip(), opts, bold=True) for lt, rt in header)


def docx_bytes(report: Report, opts: WordOptions | None = None) -> bytes:
    """A .docx written by hand as Word lays it out."""
    opts = opts or WordOptions()
    _FOOTNOTE_IDS[id(opts)] = {p: i for i, p in enumerate(opts.footnotes, start=1)}
    body: list[str] = []
    for block in opts.before:
        body.append(
            table_xml(block, opts) + "<w:p/>" if isinstance(block, Table) else _para(block, opts)
        )
    if not opts.header_in_page_header:
        body.append(_header_block(report.header, opts))
    body.extend(_para(t, opts, bold=True, center=True) for t in report.title)
    table = report.table
    if opts.split_table_after is None:
        body.append(table_xml(table, opts))
    else:
        cut = opts.split_table_after
        body.append(table_xml(table, opts, range(cut)))
        body.append("<w:p/>")
        body.append(table_xml(table, opts, range(cut, len(table.rows))))
    body.extend(_para(t, opts, bold=True, center=True) for t in report.after)
    sect = '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
    if opts.header_in_page_header:
        sect += '<w:headerReference w:type="default" r:id="rIdHdr"/>'
    sect += "</w:sectPr>"
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W}" '
        f'xmlns:r="{R}"><w:body>{"".join(body)}{sect}</w:body></w:document>'
    )
    parts = {"word/document.xml": document}
    rels = []
    types = []
    if opts.header_in_page_header:
        parts["word/header1.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr xmlns:w="{W}" '
            f'xmlns:r="{R}">{_header_table(report.header, opts)}<w:p/></w:hdr>'
        )
        rels.append(
            '<Relationship Id="rIdHdr" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/header" Target="header1.xml"/>'
        )
        types.append(
            '<Override PartName="/word/header1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>'
        )
    if opts.footnotes:
        notes = "".join(
            f'<w:footnote w:id="{i}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/>'
            f"</w:rPr><w:footnoteRef/></w:r>{_run(' ' + text, opts)}</w:p></w:footnote>"
            for i, text in enumerate(opts.footnotes.values(), start=1)
        )
        parts["word/footnotes.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes '
            f'xmlns:w="{W}" xmlns:r="{R}">{notes}</w:footnotes>'
        )
        rels.append(
            '<Relationship Id="rIdFn" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/footnotes" Target="footnotes.xml"/>'
        )
        types.append(
            '<Override PartName="/word/footnotes.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>'
        )
    parts["word/_rels/document.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
        f'"http://schemas.openxmlformats.org/package/2006/relationships">{"".join(rels)}'
        "</Relationships>"
    )
    parts["[Content_Types].xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns='
        '"http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        f"{''.join(types)}</Types>"
    )
    parts["_rels/.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
        '"http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in [
            "[Content_Types].xml",
            "_rels/.rels",
            *sorted(set(parts) - {"[Content_Types].xml", "_rels/.rels"}),
        ]:
            zf.writestr(zipfile.ZipInfo(name, FIXED), parts[name].encode("utf-8"))
    return out.getvalue()


def python_docx_bytes(report: Report, header_paragraphs: bool = False) -> bytes:
    """A .docx made with python-docx's plain API: add_table, cell.merge, cell.text."""
    import docx

    document = docx.Document()
    if header_paragraphs:
        for lt, rt in report.header:
            document.add_paragraph(lt or rt)
    else:
        head = document.add_table(rows=len(report.header), cols=2)
        for i, (lt, rt) in enumerate(report.header):
            head.cell(i, 0).text = lt
            head.cell(i, 1).text = rt
    for line in report.title:
        document.add_paragraph(line)
    table = report.table
    width = max(len(r) for r in table.rows)
    grid = document.add_table(rows=len(table.rows), cols=width)
    grid.style = "Table Grid"
    for r, row in enumerate(table.rows):
        for c, value in enumerate(row):
            if value is not None:
                grid.cell(r, c).text = str(value)
    for r1, c1, r2, c2 in table.merges:
        grid.cell(r1, c1).merge(grid.cell(r2, c2))
    for line in report.after:
        document.add_paragraph(line)
    document.core_properties.created = __import__("datetime").datetime(*FIXED)
    document.core_properties.modified = __import__("datetime").datetime(*FIXED)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
