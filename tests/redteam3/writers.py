"""Writers of the neutral model into the file formats clerks send: openpyxl, raw SpreadsheetML
as other tools write it, xlwt (.xls), python-docx and raw WordprocessingML."""

from __future__ import annotations

import datetime as dt
import struct
import zipfile
import zlib
from collections.abc import Callable
from xml.sax.saxutils import escape

from .grid import Block, Cell, Para, Sheet, Table, grid_of
from .spec import excel_serial

USED: list[str] = []  # which writers made the file being built (for the manifest)


# --- helpers --------------------------------------------------------------------------------


def col_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def merges_of(rows: list[list[Cell | None]]) -> list[tuple[int, int, int, int]]:
    out = []
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell is not None and (cell.colspan > 1 or cell.rowspan > 1):
                out.append((r, c, r + cell.rowspan - 1, c + cell.colspan - 1))
    return out


def random_png(nbytes: int, seed: int = 7) -> bytes:
    """A valid PNG of noise, about nbytes long (noise does not compress)."""
    import random

    rnd = random.Random(seed)
    width = 2048
    height = max(1, nbytes // (width * 3))
    raw = bytearray()
    line = width * 3
    for _ in range(height):
        raw.append(0)
        raw += rnd.randbytes(line)
    idat = zlib.compress(bytes(raw), 1)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


# --- openpyxl -------------------------------------------------------------------------------


def write_openpyxl(
    sheets: list[Sheet],
    path: str,
    image: bytes | None = None,
    widths: list[float] | None = None,
) -> None:
    USED.append("openpyxl")
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    wb.remove(wb.active)
    for sh in sheets:
        ws = wb.create_sheet(sh.name)
        if sh.hidden:
            ws.sheet_state = "hidden"
        rows, _starts, hrows, hcols = grid_of(sh.blocks)
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                if cell is None or (cell.v is None and cell.formula is None):
                    continue
                xc = ws.cell(row=r + 1, column=c + 1)
                xc.value = "=" + cell.formula if cell.formula else cell.v
                if cell.fmt:
                    xc.number_format = cell.fmt
                if isinstance(cell.v, str) and "\n" in cell.v:
                    xc.alignment = Alignment(wrap_text=True, vertical="center")
                if cell.bold:
                    xc.font = Font(bold=True, name="Times New Roman")
        for r1, c1, r2, c2 in merges_of(rows):
            ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
        for r in hrows:
            ws.row_dimensions[r + 1].hidden = True
        for c in hcols:
            ws.column_dimensions[col_letter(c)].hidden = True
        for i, w in enumerate(widths or [6, 60, 14, 14, 12, 20]):
            if (
                col_letter(i) not in ws.column_dimensions
                or not ws.column_dimensions[col_letter(i)].hidden
            ):
                ws.column_dimensions[col_letter(i)].width = w
    if image is not None:
        import io

        from openpyxl.drawing.image import Image as XLImage

        img = XLImage(io.BytesIO(image))
        wb.worksheets[0].add_image(img, "H2")
    wb.save(path)


# --- raw SpreadsheetML ----------------------------------------------------------------------

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
BUILTIN_FMT = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "0%": 9, "0.00%": 10, "mm-dd-yy": 14}


class _Styles:
    def __init__(self) -> None:
        self.fmts: dict[str, int] = {}
        self.xfs: list[tuple[int, bool, bool]] = [(0, False, False)]

    def xf(self, fmt: str | None, bold: bool, wrap: bool) -> int:
        fid = 0
        if fmt:
            fid = BUILTIN_FMT.get(fmt) or self.fmts.setdefault(fmt, 164 + len(self.fmts))
        key = (fid, bold, wrap)
        if key not in self.xfs:
            self.xfs.append(key)
        return self.xfs.index(key)

    def xml(self, p: str) -> str:
        nf = "".join(
            f'<{p}numFmt numFmtId="{i}" formatCode="{escape(f, {chr(34): "&quot;"})}"/>'
            for f, i in self.fmts.items()
        )
        xfs = "".join(
            f'<{p}xf numFmtId="{f}" fontId="{1 if b else 0}" fillId="0" borderId="0"'
            f' xfId="0"{" applyNumberFormat=" + chr(34) + "1" + chr(34) if f else ""}>'
            + (f'<{p}alignment wrapText="1"/>' if w else "")
            + f"</{p}xf>"
            for f, b, w in self.xfs
        )
        xmlns = f'xmlns{":" + p[:-1] if p else ""}="{NS_MAIN}"'
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{p}styleSheet {xmlns}>'
            + (f'<{p}numFmts count="{len(self.fmts)}">{nf}</{p}numFmts>' if self.fmts else "")
            + f'<{p}fonts count="2"><{p}font><{p}sz val="12"/><{p}name val="Times New Roman"/>'
            f'</{p}font><{p}font><{p}b/><{p}sz val="12"/><{p}name val="Times New Roman"/></{p}font>'
            f'</{p}fonts><{p}fills count="1"><{p}fill><{p}patternFill patternType="none"/>'
            f'</{p}fill></{p}fills><{p}borders count="1"><{p}border/></{p}borders>'
            f'<{p}cellStyleXfs count="1"><{p}xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            f'</{p}cellStyleXfs><{p}cellXfs count="{len(self.xfs)}">{xfs}</{p}cellXfs>'
            f"</{p}styleSheet>"
        )


def write_raw_xlsx(
    sheets: list[Sheet],
    path: str,
    *,
    prefix: str = "",
    r_attrs: bool = True,
    strings: str = "shared",  # shared | inline
    abs_targets: bool = False,
    big_sheets: dict[str, Callable[[Callable[[str], None]], None]] | None = None,
    big_first: bool = False,
    image: bytes | None = None,
    app: str = "Microsoft Excel",
    no_styles: bool = False,
    dimension: bool = True,
    rich: bool = False,
    strict: bool = False,
) -> None:
    """SpreadsheetML written by hand, as WPS, Google Sheets, phone apps or LibreOffice write it.
    big_sheets: name -> writer(write) that streams <row> elements of an extra sheet."""
    USED.append("raw SpreadsheetML (zipfile)")
    p = prefix + ":" if prefix else ""
    xmlns = f'xmlns{":" + prefix if prefix else ""}="{NS_MAIN}" xmlns:r="{NS_R}"'
    styles = _Styles()
    sst: dict[str, int] = {}
    order: list[tuple[str, object]] = []  # ("form", Sheet) | ("big", name)
    for name in big_sheets or {}:
        order.append(("big", name))
    forms = [("form", s) for s in sheets]
    order = order + forms if big_first else forms + order

    def s_index(t: str) -> int:
        return sst.setdefault(t, len(sst))

    def cell_xml(ref: str, cell: Cell) -> str:
        r = f' r="{ref}"' if r_attrs else ""
        v = cell.v
        wrap = isinstance(v, str) and "\n" in v
        st = styles.xf(cell.fmt, cell.bold, wrap)
        sa = f' s="{st}"' if st and not no_styles else ""
        if cell.formula:
            fx = f"<{p}f>{escape(cell.formula)}</{p}f>"
            if not cell.cached or v is None:
                return f"<{p}c{r}{sa}>{fx}</{p}c>"
            if isinstance(v, str):
                return f'<{p}c{r}{sa} t="str">{fx}<{p}v>{escape(v)}</{p}v></{p}c>'
            return f"<{p}c{r}{sa}>{fx}<{p}v>{v}</{p}v></{p}c>"
        if isinstance(v, bool):
            return f'<{p}c{r}{sa} t="b"><{p}v>{int(v)}</{p}v></{p}c>'
        if isinstance(v, dt.datetime):
            return f"<{p}c{r}{sa}><{p}v>{excel_serial(v):g}</{p}v></{p}c>"
        if isinstance(v, (int, float)):
            return f"<{p}c{r}{sa}><{p}v>{v!r}</{p}v></{p}c>"
        if strings == "inline":
            body = _rich_runs(v, p) if rich else f'<{p}t xml:space="preserve">{escape(v)}</{p}t>'
            return f'<{p}c{r}{sa} t="inlineStr"><{p}is>{body}</{p}is></{p}c>'
        return f'<{p}c{r}{sa} t="s"><{p}v>{s_index(v)}</{p}v></{p}c>'

    def sheet_xml(sh: Sheet, drawing: bool) -> str:
        rows, _s, hrows, hcols = grid_of(sh.blocks)
        ncols = max(len(r) for r in rows)
        out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{p}worksheet {xmlns}>']
        if dimension:
            out.append(f'<{p}dimension ref="A1:{col_letter(ncols - 1)}{len(rows)}"/>')
        cols = []
        for i in range(ncols):
            w = [6, 60, 14, 14, 12, 20][i] if i < 6 else 12
            hid = ' hidden="1"' if i in hcols else ""
            cols.append(f'<{p}col min="{i + 1}" max="{i + 1}" width="{w}" customWidth="1"{hid}/>')
        out.append(f"<{p}cols>{''.join(cols)}</{p}cols><{p}sheetData>")
        for r, row in enumerate(rows):
            cells = []
            for c, cell in enumerate(row):
                if cell is None or (cell.v is None and cell.formula is None):
                    if not r_attrs:
                        cells.append(f"<{p}c/>")  # position matters without r attributes
                    continue
                cells.append(cell_xml(f"{col_letter(c)}{r + 1}", cell))
            while cells and cells[-1] == f"<{p}c/>":
                cells.pop()
            if not cells and r not in hrows:
                continue
            ra = f' r="{r + 1}"' if r_attrs else ""
            hid = ' hidden="1"' if r in hrows else ""
            out.append(f"<{p}row{ra}{hid}>{''.join(cells)}</{p}row>")
        out.append(f"</{p}sheetData>")
        m = merges_of(rows)
        if m:
            refs = "".join(
                f'<{p}mergeCell ref="{col_letter(c1)}{r1 + 1}:{col_letter(c2)}{r2 + 1}"/>'
                for r1, c1, r2, c2 in m
            )
            out.append(f'<{p}mergeCells count="{len(m)}">{refs}</{p}mergeCells>')
        if drawing:
            out.append(f'<{p}drawing r:id="rId1"/>')
        out.append(f"</{p}worksheet>")
        xml = "".join(out)
        if not r_attrs:
            xml = _pad_rows(xml, rows, hrows, p)
        return xml

    tgt = "/xl/" if abs_targets else ""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:

        def put(name: str, data, **kw) -> None:
            if strict and isinstance(data, str):
                data = strictify(data)
            z.writestr(name, data, **kw)

        sheet_entries = []
        for i, (kind, obj) in enumerate(order, start=1):
            name = obj.name if kind == "form" else obj
            fname = f"xl/worksheets/sheet{i}.xml"
            drawing = image is not None and kind == "form" and obj is sheets[0]
            if kind == "form":
                put(fname, sheet_xml(obj, drawing))
            else:
                with z.open(fname, "w", force_zip64=True) as fh:
                    buf: list[str] = []

                    def write(s: str, buf=buf, fh=fh) -> None:
                        buf.append(s)
                        if len(buf) >= 2000:
                            fh.write("".join(buf).encode())
                            buf.clear()

                    write(
                        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                        f"<{p}worksheet {xmlns}><{p}sheetData>"
                    )
                    big_sheets[obj](write, p, s_index)
                    write(f"</{p}sheetData></{p}worksheet>")
                    fh.write("".join(buf).encode())
            hidden = kind == "form" and obj.hidden
            sheet_entries.append((i, name, hidden, drawing))
            if drawing:
                put(
                    f"xl/worksheets/_rels/sheet{i}.xml.rels",
                    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    f'<Relationships xmlns="{NS_PR}"><Relationship Id="rId1" Type="'
                    f'{NS_R}/drawing" Target="../drawings/drawing1.xml"/></Relationships>',
                )
        if image is not None:
            put("xl/media/image1.png", image, compress_type=zipfile.ZIP_STORED)
            put("xl/drawings/drawing1.xml", _XL_DRAWING)
            put(
                "xl/drawings/_rels/drawing1.xml.rels",
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<Relationships xmlns="{NS_PR}"><Relationship Id="rId1" Type="{NS_R}/image"'
                f' Target="../media/image1.png"/></Relationships>',
            )
        sheets_xml = "".join(
            f'<{p}sheet name="{escape(n)}" sheetId="{i}"'
            f'{" state=" + chr(34) + "hidden" + chr(34) if h else ""} r:id="rId{i}"/>'
            for i, n, h, _d in sheet_entries
        )
        put(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{p}workbook {xmlns}>'
            f"<{p}sheets>{sheets_xml}</{p}sheets></{p}workbook>",
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{NS_R}/worksheet"'
            f' Target="{tgt}worksheets/sheet{i}.xml"/>'
            for i, *_ in sheet_entries
        )
        n = len(sheet_entries)
        if not no_styles:
            rels += f'<Relationship Id="rId{n + 1}" Type="{NS_R}/styles" Target="{tgt}styles.xml"/>'
        if sst:
            rels += (
                f'<Relationship Id="rId{n + 2}" Type="{NS_R}/sharedStrings"'
                f' Target="{tgt}sharedStrings.xml"/>'
            )
        put(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{NS_PR}">{rels}</Relationships>',
        )
        if not no_styles:
            put("xl/styles.xml", styles.xml(p))
        if sst:
            items = sorted(sst.items(), key=lambda kv: kv[1])
            body = "".join(
                f"<{p}si>{_rich_runs(t, p)}</{p}si>"
                if rich
                else f'<{p}si><{p}t xml:space="preserve">{escape(t)}</{p}t></{p}si>'
                for t, _ in items
            )
            put(
                "xl/sharedStrings.xml",
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{p}sst {xmlns}'
                f' count="{len(items)}" uniqueCount="{len(items)}">{body}</{p}sst>',
            )
        ct = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i, *_ in sheet_entries
        )
        if sst:
            ct += (
                '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            )
        if not no_styles:
            ct += (
                '<Override PartName="/xl/styles.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            )
        if image is not None:
            ct += (
                '<Override PartName="/xl/drawings/drawing1.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.drawing+xml"/>'
            )
        put(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="png" ContentType="image/png"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{ct}</Types>",
        )
        put(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{NS_PR}"><Relationship Id="rId1" Type="{NS_R}/'
            f'officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" '
            f'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            f'extended-properties" Target="docProps/app.xml"/></Relationships>',
        )
        put(
            "docProps/app.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns='
            '"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            f"<Application>{escape(app)}</Application></Properties>",
        )


STRICT = {
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main": (
        "http://purl.oclc.org/ooxml/spreadsheetml/main"
    ),
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main": (
        "http://purl.oclc.org/ooxml/wordprocessingml/main"
    ),
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships": (
        "http://purl.oclc.org/ooxml/officeDocument/relationships"
    ),
    "http://schemas.openxmlformats.org/drawingml/2006/main": (
        "http://purl.oclc.org/ooxml/drawingml/main"
    ),
}


def strictify(xml: str) -> str:
    """Transitional OOXML namespaces -> ISO/IEC 29500 Strict ('Strict Open XML' in Save As)."""
    for old, new in STRICT.items():
        xml = xml.replace(old, new)
    if "<workbook " in xml:
        xml = xml.replace("<workbook ", '<workbook conformance="strict" ', 1)
    return xml


def _rich_runs(t: str, p: str) -> str:
    """A cell's text as rich-text runs (part of it bold), as when a clerk formats a word."""
    cut = t.find(" ", max(1, len(t) // 3))
    if len(t) < 6 or cut < 0:
        return f'<{p}r><{p}t xml:space="preserve">{escape(t)}</{p}t></{p}r>'
    a, b = t[:cut], t[cut:]
    return (
        f'<{p}r><{p}rPr><{p}b/><{p}sz val="12"/><{p}rFont val="Times New Roman"/></{p}rPr>'
        f'<{p}t xml:space="preserve">{escape(a)}</{p}t></{p}r>'
        f'<{p}r><{p}rPr><{p}sz val="12"/><{p}rFont val="Times New Roman"/></{p}rPr>'
        f'<{p}t xml:space="preserve">{escape(b)}</{p}t></{p}r>'
    )


def _pad_rows(xml: str, rows, hrows, p: str) -> str:
    """Without r attributes a reader counts rows: emit an empty <row/> for every skipped row."""
    # Rebuild: simplest is to re-emit every row in order, empty ones as <row/>.
    head, rest = xml.split(f"<{p}sheetData>", 1)
    body, tail = rest.split(f"</{p}sheetData>", 1)
    parts = body.split(f"<{p}row")[1:]
    it = iter(parts)
    out = []
    for r, row in enumerate(rows):
        has = any(c is not None and (c.v is not None or c.formula) for c in row)
        if has or r in hrows:
            out.append(f"<{p}row" + next(it))
        else:
            out.append(f"<{p}row/>")
    return head + f"<{p}sheetData>" + "".join(out) + f"</{p}sheetData>" + tail


_XL_DRAWING = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"'
    ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    "<xdr:oneCellAnchor><xdr:from><xdr:col>7</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1"
    '</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="6000000" cy="4500000"/>'
    '<xdr:pic><xdr:nvPicPr><xdr:cNvPr id="2" name="Picture 1"/><xdr:cNvPicPr/></xdr:nvPicPr>'
    '<xdr:blipFill><a:blip r:embed="rId1"/><a:stretch><a:fillRect/></a:stretch></xdr:blipFill>'
    '<xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="6000000" cy="4500000"/></a:xfrm>'
    '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:pic><xdr:clientData/>'
    "</xdr:oneCellAnchor></xdr:wsDr>"
)


def learner_rows(n: int, ncols: int = 8) -> Callable:
    """Streams a learner list: STT, name, birth date, sex, ethnicity, village, class, phone."""
    family = ["Lò", "Quàng", "Cà", "Lường", "Tòng", "Vì", "Điêu", "Nguyễn", "Hoàng", "Lê"]
    middle = ["Văn", "Thị", "Thanh", "Minh", "Thu"]
    given = ["An", "Bình", "Chung", "Duyên", "Hương", "Khánh", "Lan", "Mai", "Nam", "Phong"]
    villages = ["Bản Phiêng Lanh", "Bản Hé", "Bản Nong Lạnh", "Bản Púm", "Bản Co Mạ"]

    def emit(write: Callable[[str], None], p: str, s_index: Callable[[str], int]) -> None:
        hdr = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Bản", "Lớp", "Điện thoại"]
        sidx = [s_index(h) for h in hdr]
        write(
            f'<{p}row r="1">'
            + "".join(
                f'<{p}c r="{col_letter(i)}1" t="s"><{p}v>{x}</{p}v></{p}c>'
                for i, x in enumerate(sidx[:ncols])
            )
            + f"</{p}row>"
        )
        names = [s_index(f"{f} {m} {g}") for f in family for m in middle for g in given]
        sexes = [s_index("Nam"), s_index("Nữ")]
        eth = [s_index("Thái"), s_index("Kinh"), s_index("Mông"), s_index("Kháng")]
        vil = [s_index(v) for v in villages]
        cls = [s_index(f"Lớp xóa mù chữ {k}") for k in range(1, 9)]
        for r in range(2, n + 2):
            k = r * 7919
            write(
                f'<{p}row r="{r}"><{p}c r="A{r}"><{p}v>{r - 1}</{p}v></{p}c>'
                f'<{p}c r="B{r}" t="s"><{p}v>{names[k % len(names)]}</{p}v></{p}c>'
                f'<{p}c r="C{r}"><{p}v>{20000 + k % 15000}</{p}v></{p}c>'
                f'<{p}c r="D{r}" t="s"><{p}v>{sexes[k % 2]}</{p}v></{p}c>'
                f'<{p}c r="E{r}" t="s"><{p}v>{eth[k % 4]}</{p}v></{p}c>'
                f'<{p}c r="F{r}" t="s"><{p}v>{vil[k % 5]}</{p}v></{p}c>'
                f'<{p}c r="G{r}" t="s"><{p}v>{cls[k % 8]}</{p}v></{p}c>'
                f'<{p}c r="H{r}"><{p}v>{912000000 + k % 999999}</{p}v></{p}c></{p}row>'
            )

    return emit


# --- xlwt (.xls) ----------------------------------------------------------------------------


def write_xls(sheets: list[Sheet], path: str, extra_list_rows: int = 0) -> None:
    USED.append("xlwt")
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    styles: dict = {}

    def style(cell: Cell):
        key = (cell.fmt, cell.bold, isinstance(cell.v, str) and "\n" in cell.v)
        if key not in styles:
            st = xlwt.XFStyle()
            if cell.fmt:
                st.num_format_str = cell.fmt
            st.font.name = "Times New Roman"
            st.font.bold = cell.bold
            if key[2]:
                st.alignment.wrap = 1
            styles[key] = st
        return styles[key]

    for sh in sheets:
        ws = wb.add_sheet(sh.name[:31])
        if sh.hidden:
            ws.visibility = 1
        rows, _s, hrows, hcols = grid_of(sh.blocks)
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                if cell is None:
                    continue
                val = cell.v
                if cell.formula:
                    val = xlwt.Formula(cell.formula)
                if val is None:
                    continue
                if cell.colspan > 1 or cell.rowspan > 1:
                    ws.write_merge(
                        r, r + cell.rowspan - 1, c, c + cell.colspan - 1, val, style(cell)
                    )
                else:
                    ws.write(r, c, val, style(cell))
        for r in hrows:
            ws.row(r).hidden = True
        for c in hcols:
            ws.col(c).hidden = True
        for i, w in enumerate([6, 60, 14, 14, 12, 20]):
            ws.col(i).width = int(w * 256)
    if extra_list_rows:
        ws = wb.add_sheet("Danh sách học viên")
        ws.write(0, 0, "STT")
        ws.write(0, 1, "Họ và tên")
        ws.write(0, 2, "Lớp")
        for r in range(1, extra_list_rows + 1):
            ws.write(r, 0, r)
            ws.write(r, 1, f"Lò Văn {('An', 'Bình', 'Chung')[r % 3]}")
            ws.write(r, 2, "Xóa mù chữ")
    wb.save(path)


# --- python-docx ----------------------------------------------------------------------------


def write_python_docx(blocks: list[Block], path: str) -> None:
    USED.append("python-docx")
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    d = docx.Document()
    for b in blocks:
        if isinstance(b, Para):
            p = d.add_paragraph()
            run = p.add_run(b.text)
            run.bold = b.bold
            if b.center:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            continue
        ncols = b.ncols
        t = d.add_table(rows=len(b.rows), cols=ncols)
        t.style = "Table Grid"
        for r, row in enumerate(b.rows):
            for c, cell in enumerate(row):
                if cell is None:
                    continue
                if cell.colspan > 1 or cell.rowspan > 1:
                    t.cell(r, c).merge(t.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
        for r, row in enumerate(b.rows):
            for c, cell in enumerate(row):
                if cell is None or cell.v is None:
                    continue
                tc = t.cell(r, c)
                lines = str(cell.v).split("\n")
                tc.paragraphs[0].text = ""
                run = tc.paragraphs[0].add_run(lines[0])
                run.bold = cell.bold
                for ln in lines[1:]:
                    tc.add_paragraph(ln)
    d.save(path)


# --- raw WordprocessingML -------------------------------------------------------------------

NS_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PLACEHOLDER_EN = "Click or tap here to enter text."
PLACEHOLDER_VI = "Bấm hoặc gõ nhẹ vào đây để nhập văn bản."


class _Ids:
    n = 100

    @classmethod
    def next(cls) -> int:
        cls.n += 1
        return cls.n


def _runs(text: str, *, bold=False, split=False, size: int | None = None) -> str:
    rpr = ""
    if bold or size or split:
        rpr = "<w:rPr>"
        if split:
            rpr += (
                '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:hint="eastAsia"/>'
            )
        if bold:
            rpr += "<w:b/><w:bCs/>"
        if size:
            rpr += f'<w:sz w:val="{size * 2}"/>'
        if split:
            rpr += '<w:lang w:val="en-US" w:eastAsia="zh-CN"/>'
        rpr += "</w:rPr>"
    if not split or len(text) < 4:
        return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
    # WPS/phone apps: a run per few characters, proofing marks in between.
    out = []
    step = 3
    for i in range(0, len(text), step):
        piece = text[i : i + step]
        if i == step:
            out.append('<w:proofErr w:type="spellStart"/>')
        out.append(f'<w:r>{rpr}<w:t xml:space="preserve">{escape(piece)}</w:t></w:r>')
        if i == step:
            out.append('<w:proofErr w:type="spellEnd"/>')
    return "".join(out)


def _para(text: str | None, *, bold=False, center=False, split=False, size=None, extra="") -> str:
    ppr = '<w:pPr><w:jc w:val="center"/></w:pPr>' if center else ""
    body = _runs(text, bold=bold, split=split, size=size) if text else ""
    return f"<w:p>{ppr}{body}{extra}</w:p>"


def _cell_paras(cell: Cell, split: bool) -> str:
    if cell.placeholder is not None and cell.sdt and cell.sdt_level == "cell":
        return (
            '<w:p><w:r><w:rPr><w:rStyle w:val="PlaceholderText"/></w:rPr>'
            f"<w:t>{escape(cell.placeholder)}</w:t></w:r></w:p>"
        )
    if cell.placeholder is not None:
        # A content control still showing its placeholder: the cell is empty.
        return (
            f'<w:p><w:sdt><w:sdtPr><w:id w:val="{_Ids.next()}"/><w:placeholder><w:docPart '
            'w:val="DefaultPlaceholder_-1854013440"/></w:placeholder><w:showingPlcHdr/>'
            '<w:text/></w:sdtPr><w:sdtContent><w:r><w:rPr><w:rStyle w:val="PlaceholderText"/>'
            f"</w:rPr><w:t>{escape(cell.placeholder)}</w:t></w:r></w:sdtContent></w:sdt></w:p>"
        )
    if cell.table is not None:
        return _table_xml(cell.table, split, cell.table.widths, True) + "<w:p/>"
    v = cell.v
    hidden = ""
    if cell.vanish:
        hidden = (
            '<w:r><w:rPr><w:vanish/></w:rPr><w:t xml:space="preserve">'
            f"{escape(cell.vanish)}</w:t></w:r>"
        )
    if v is None:
        return f"<w:p>{hidden}</w:p>"
    text = v if isinstance(v, str) else (f"{v:g}" if isinstance(v, float) else str(v))
    lines = text.split("\n")
    paras = []
    for i, ln in enumerate(lines):
        runs = _runs(ln, bold=cell.bold, split=split)
        if cell.deleted is not None:
            # Track changes on: the old figure deleted, the new one inserted.
            runs = (
                '<w:del w:id="1" w:author="Lò Văn Minh" w:date="2021-10-13T08:00:00Z"><w:r>'
                f"<w:delText>{escape(cell.deleted)}</w:delText></w:r></w:del>"
                '<w:ins w:id="2" w:author="Lò Văn Minh" w:date="2021-10-13T08:00:00Z">'
                f"{runs}</w:ins>"
            )
        if cell.sdt and cell.sdt_level == "run":
            runs = (
                f'<w:sdt><w:sdtPr><w:id w:val="{_Ids.next()}"/><w:placeholder><w:docPart '
                'w:val="DefaultPlaceholder_-1854013440"/></w:placeholder><w:text/></w:sdtPr>'
                f"<w:sdtContent>{runs}</w:sdtContent></w:sdt>"
            )
        ppr = '<w:pPr><w:jc w:val="center"/></w:pPr>' if cell.center else ""
        paras.append(f"<w:p>{ppr}{runs}{hidden if i == len(lines) - 1 else ''}</w:p>")
    return "".join(paras)


def _table_xml(t: Table, split: bool, widths: list[int] | None, header_repeat: bool) -> str:
    ncols = t.ncols
    widths = widths or ([600, 4400, 1100, 1200, 1100, 1300] + [1000] * 20)[:ncols]
    # origin map for vertical merges
    vcover: dict[tuple[int, int], Cell] = {}
    for r, row in enumerate(t.rows):
        for c, cell in enumerate(row):
            if cell is not None and cell.rowspan > 1:
                for k in range(1, cell.rowspan):
                    vcover[(r + k, c)] = cell
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    out = [
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
        '<w:tblBorders><w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/>'
        '<w:bottom w:val="single" w:sz="4"/><w:right w:val="single" w:sz="4"/>'
        '<w:insideH w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/>'
        f'</w:tblBorders><w:tblLook w:val="04A0"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
    ]
    for r, row in enumerate(t.rows):
        trpr = ""
        if header_repeat and r < t.header_rows:
            trpr = "<w:trPr><w:tblHeader/></w:trPr>"
        if r in t.hidden_rows:
            trpr = "<w:trPr><w:hidden/></w:trPr>"
        cells = []
        c = 0
        while c < ncols:
            cell = row[c] if c < len(row) else Cell(None)
            if cell is None:
                origin = vcover.get((r, c))
                if origin is not None:
                    span = origin.colspan
                    gs = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
                    w = sum(widths[c : c + span])
                    cells.append(
                        f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/>{gs}<w:vMerge/></w:tcPr>'
                        "<w:p/></w:tc>"
                    )
                    c += span
                    continue
                # horizontally covered cell without an origin in this row: emit empty cell
                cells.append(
                    f'<w:tc><w:tcPr><w:tcW w:w="{widths[c]}" w:type="dxa"/></w:tcPr><w:p/></w:tc>'
                )
                c += 1
                continue
            span = cell.colspan
            gs = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
            vm = '<w:vMerge w:val="restart"/>' if cell.rowspan > 1 else ""
            w = sum(widths[c : c + span])
            tc = (
                f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/>{gs}{vm}<w:vAlign w:val="center"/>'
                f"</w:tcPr>{_cell_paras(cell, split)}</w:tc>"
            )
            if cell.sdt and cell.sdt_level == "cell":
                # A content control around the whole cell (Developer > Repeating/Plain Text
                # inserted with the cell selected).
                plc = "<w:showingPlcHdr/>" if cell.v is None else ""
                tc = (
                    f'<w:sdt><w:sdtPr><w:id w:val="{_Ids.next()}"/>{plc}<w:text/></w:sdtPr>'
                    f"<w:sdtContent>{tc}</w:sdtContent></w:sdt>"
                )
            cells.append(tc)
            c += span
        out.append(f"<w:tr>{trpr}{''.join(cells)}</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def write_raw_docx(
    blocks: list[Block],
    path: str,
    *,
    split_runs: bool = False,
    image: bytes | None = None,
    header_repeat: bool = True,
    styles: bool = True,
    app: str = "Microsoft Office Word",
    extra_ns: str = "",
    landscape: bool = True,
    strict: bool = False,
) -> None:
    USED.append("raw WordprocessingML (zipfile)")
    body = []
    for b in blocks:
        if isinstance(b, Para):
            body.append(_para(b.text, bold=b.bold, center=b.center, split=split_runs, size=b.size))
        else:
            body.append(_table_xml(b, split_runs, b.widths, header_repeat))
            body.append("<w:p/>")
    if image is not None:
        body.insert(0, _para(None, extra=_DOCX_DRAWING))
    sect = (
        '<w:sectPr><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>'
        '<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134"/></w:sectPr>'
        if landscape
        else '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>'
    )
    doc = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document xmlns:w="{NS_W}" xmlns:r="{NS_R}"'
        ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
        ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
        ' xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
        f"{extra_ns}><w:body>{''.join(body)}{sect}</w:body></w:document>"
    )
    rels = ""
    if styles:
        rels += f'<Relationship Id="rId1" Type="{NS_R}/styles" Target="styles.xml"/>'
    if image is not None:
        rels += f'<Relationship Id="rId9" Type="{NS_R}/image" Target="media/image1.png"/>'
    if strict:
        doc = doc.replace("<w:document ", '<w:document w:conformance="strict" ', 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:

        def put(name: str, data, **kw) -> None:
            if strict and isinstance(data, str):
                data = strictify(data)
            z.writestr(name, data, **kw)

        put(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="png" ContentType="image/png"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            + (
                '<Override PartName="/word/styles.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
                if styles
                else ""
            )
            + "</Types>",
        )
        put(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{NS_PR}"><Relationship Id="rId1" Type="{NS_R}/'
            'officeDocument" Target="word/document.xml"/></Relationships>',
        )
        put(
            "word/_rels/document.xml.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{NS_PR}">{rels}</Relationships>',
        )
        put("word/document.xml", doc)
        if styles:
            put("word/styles.xml", _DOCX_STYLES)
        if image is not None:
            put("word/media/image1.png", image, compress_type=zipfile.ZIP_STORED)
        put(
            "docProps/app.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns='
            '"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            f"<Application>{escape(app)}</Application></Properties>",
        )


_DOCX_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:styles xmlns:w="{NS_W}"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts '
    'w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/>'
    '<w:sz w:val="26"/><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault></w:docDefaults>'
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
    '</w:style><w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/>'
    '<w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/>'
    '<w:bottom w:val="single" w:sz="4"/><w:right w:val="single" w:sz="4"/>'
    '<w:insideH w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/></w:tblBorders>'
    '</w:tblPr></w:style><w:style w:type="character" w:styleId="PlaceholderText">'
    '<w:name w:val="Placeholder Text"/><w:rPr><w:color w:val="808080"/></w:rPr></w:style>'
    "</w:styles>"
)

_DOCX_DRAWING = (
    '<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="5400000"'
    ' cy="4000000"/><wp:docPr id="1" name="Picture 1"/><a:graphic><a:graphicData '
    'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr>'
    '<pic:cNvPr id="0" name="anh-hoat-dong.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>'
    '<a:blip r:embed="rId9"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr>'
    '<a:xfrm><a:off x="0" y="0"/><a:ext cx="5400000" cy="4000000"/></a:xfrm><a:prstGeom '
    'prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
    "</wp:inline></w:drawing></w:r>"
)


def write_html_xls(blocks: list[Block], path: str) -> None:
    """An HTML table saved with an .xls name, as web systems and 'Save as Web Page' make."""
    USED.append("HTML table")
    parts = [
        '<html xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:x="urn:schemas-microsoft-com:office:excel" '
        'xmlns="http://www.w3.org/TR/REC-html40"><head><meta http-equiv="Content-Type" '
        'content="text/html; charset=utf-8"><meta name="ProgId" content="Excel.Sheet">'
        "</head><body>"
    ]
    for b in blocks:
        if isinstance(b, Para):
            parts.append(
                f"<p>{'<b>' if b.bold else ''}{escape(b.text)}{'</b>' if b.bold else ''}</p>"
            )
            continue
        parts.append('<table border="1">')
        for row in b.rows:
            parts.append("<tr>")
            for cell in row:
                if cell is None:
                    continue
                span = ""
                if cell.colspan > 1:
                    span += f' colspan="{cell.colspan}"'
                if cell.rowspan > 1:
                    span += f' rowspan="{cell.rowspan}"'
                v = "" if cell.v is None else escape(str(cell.v)).replace("\n", "<br>")
                parts.append(f"<td{span}>{v}</td>")
            parts.append("</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("".join(parts))
