"""Hand-written WordprocessingML for the second red-team round: tables, tab lines, fields.

Owns: the tiny document model (C cells, rows, paragraphs) and `docx()` which packs it into .docx
bytes the way Word (or WPS Writer) lays the package out. Bytes only; no file system.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

W_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" mc:Ignorable="w14"'
)
RPR = (
    '<w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"/>'
    '<w:sz w:val="26"/></w:rPr>'
)


def run(text: str, bold: bool = False) -> str:
    """One w:r; tabs become w:tab and line feeds w:br, as Word stores them."""
    rpr = RPR.replace("<w:rPr>", "<w:rPr><w:b/>") if bold else RPR
    parts = []
    for i, line in enumerate(text.split("\n")):
        if i:
            parts.append("<w:br/>")
        for j, chunk in enumerate(line.split("\t")):
            if j:
                parts.append("<w:tab/>")
            if chunk:
                parts.append(f'<w:t xml:space="preserve">{escape(chunk)}</w:t>')
    return f"<w:r>{rpr}{''.join(parts)}</w:r>"


def para(text: str = "", bold: bool = False, center: bool = False, tabs: list[int] = ()) -> str:
    """A w:p holding text (raw XML when text starts with '<w:')."""
    ppr = ""
    if center or tabs:
        stops = "".join(f'<w:tab w:val="left" w:pos="{p}"/>' for p in tabs)
        ppr = "<w:pPr>"
        ppr += f"<w:tabs>{stops}</w:tabs>" if tabs else ""
        ppr += '<w:jc w:val="center"/>' if center else ""
        ppr += "</w:pPr>"
    body = text if text.startswith("<w:") else (run(text, bold) if text else "")
    return f"<w:p>{ppr}{body}</w:p>"


@dataclass
class C:
    """One table cell: its paragraphs, horizontal span and vertical merge state."""

    paras: list[str] = field(default_factory=lambda: [""])
    span: int = 1
    vmerge: str | None = None  # "restart", "continue" or None
    bold: bool = False


def c(text: str = "", span: int = 1, vmerge: str | None = None, bold: bool = False) -> C:
    """A cell whose paragraphs are the text's lines separated by '\\r' (Enter in Word)."""
    return C(text.split("\r"), span, vmerge, bold)


def table(rows: list[list[C]], widths: list[int]) -> str:
    """A w:tbl with a grid, borders and the cells' merges."""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    borders = "".join(
        f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for s in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    out = [
        f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>{borders}'
        f"</w:tblBorders></w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
    ]
    for row in rows:
        out.append("<w:tr>")
        col = 0
        for cell in row:
            width = sum(widths[col : col + cell.span])
            col += cell.span
            tcpr = f'<w:tcW w:w="{width}" w:type="dxa"/>'
            if cell.span > 1:
                tcpr += f'<w:gridSpan w:val="{cell.span}"/>'
            if cell.vmerge == "restart":
                tcpr += '<w:vMerge w:val="restart"/>'
            elif cell.vmerge == "continue":
                tcpr += "<w:vMerge/>"
            paras = "".join(para(p, cell.bold) for p in cell.paras) or "<w:p/>"
            out.append(f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{paras}</w:tc>")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def header_table(left: list[str], right: list[str]) -> str:
    """The borderless two-column header block (unit left, national motto right)."""
    n = max(len(left), len(right))
    left = left + [""] * (n - len(left))
    right = right + [""] * (n - len(right))
    cells_l = "".join(para(t, bold=True, center=True) for t in left)
    cells_r = "".join(para(t, bold=True, center=True) for t in right)
    return (
        '<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>'
        '<w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/>'
        '<w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders></w:tblPr>'
        '<w:tblGrid><w:gridCol w:w="4200"/><w:gridCol w:w="5600"/></w:tblGrid><w:tr>'
        f'<w:tc><w:tcPr><w:tcW w:w="4200" w:type="dxa"/></w:tcPr>{cells_l}</w:tc>'
        f'<w:tc><w:tcPr><w:tcW w:w="5600" w:type="dxa"/></w:tcPr>{cells_r}</w:tc>'
        "</w:tr></w:tbl>"
    )


_IMG_DRAWING = (
    '<w:r><w:drawing><wp:inline><wp:extent cx="5400000" cy="7600000"/>'
    '<wp:docPr id="1" name="Picture 1"/><a:graphic><a:graphicData '
    'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr>'
    '<pic:cNvPr id="0" name="scan.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>'
    '<a:blip r:embed="rIdImg1"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
    '<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="5400000" cy="7600000"/></a:xfrm>'
    '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData>'
    "</a:graphic></wp:inline></w:drawing></w:r>"
)


def image_para() -> str:
    """A paragraph holding the embedded picture rIdImg1 (pass image= to docx())."""
    return f"<w:p>{_IMG_DRAWING}</w:p>"


def docx(
    blocks: list[str],
    app: str = "Microsoft Office Word",
    wps: bool = False,
    landscape: bool = True,
    image: bytes | None = None,
) -> bytes:
    """Pack body blocks (paragraph and table XML) into a .docx package."""
    size = '<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>' if landscape else ""
    body = "".join(blocks) + f"<w:sectPr>{size}</w:sectPr>"
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f"<w:document {W_NS}><w:body>{body}</w:body></w:document>"
    )
    ct = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="png" ContentType="image/png"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.document.main+xml"/>'
        '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.extended-properties+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
        'package.core-properties+xml"/>'
    )
    if wps:
        ct += (
            '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.custom-properties+xml"/>'
        )
    ct += "</Types>"
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/extended-properties" Target="docProps/app.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/package/2006/'
        'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    )
    if wps:
        rels += (
            '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/custom-properties" Target="docProps/custom.xml"/>'
        )
    rels += "</Relationships>"
    doc_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    )
    if image is not None:
        doc_rels += (
            '<Relationship Id="rIdImg1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/image" Target="media/image1.png"/>'
        )
    doc_rels += "</Relationships>"
    app_xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'extended-properties"><Application>{escape(app)}</Application></Properties>'
    )
    core = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Admin'
        "</dc:creator></cp:coreProperties>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", rels)
        z.writestr("word/document.xml", document)
        z.writestr("word/_rels/document.xml.rels", doc_rels)
        z.writestr("docProps/app.xml", app_xml)
        z.writestr("docProps/core.xml", core)
        if wps:
            z.writestr(
                "docProps/custom.xml",
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
                'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
                '2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" '
                'pid="2" name="KSOProductBuildVer"><vt:lpwstr>1066-11.2.0.10463</vt:lpwstr>'
                "</property></Properties>",
            )
        if image is not None:
            z.writestr("word/media/image1.png", image)
    return buf.getvalue()
