"""Add what clerks add beside the form: a long learner list sheet, a sheet of pasted photos.

Built at test time by writing sheet XML straight into a copy of the package (openpyxl would
take minutes to write a 50 MB sheet), so no big file is ever checked in. Images are
incompressible bytes: the zip's size limits see them as they are.
"""

from __future__ import annotations

import io
import random
import re
import zipfile

CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_SST = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NAMES = ("Lò Văn", "Quàng Thị", "Cầm Văn", "Lường Thị", "Tòng Văn", "Vì Thị")
GIVEN = ("Anh", "Bình", "Chiến", "Dung", "Hương", "Khánh", "Lan", "Minh", "Thảo", "Xuân")


def learner_rows(
    rows: int, seed: int = 7, first_string: int | None = None
) -> tuple[bytes, list[str]]:
    """Sheet XML of a learner list (STT, name, birth year, village, class) and its new strings.

    With `first_string`, texts are shared strings numbered from there (as Excel writes them);
    without, they are inline strings (as some exporters write them).
    """
    rng = random.Random(seed)
    strings: list[str] = []
    index: dict[str, int] = {}

    def text(ref: str, value: str) -> str:
        if first_string is None:
            return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
        if value not in index:
            index[value] = first_string + len(strings)
            strings.append(value)
        return f'<c r="{ref}" t="s"><v>{index[value]}</v></c>'

    out = [
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="A1:E%d"/><sheetData>' % rows
    ]
    for r in range(1, rows + 1):
        name = f"{rng.choice(NAMES)} {rng.choice(GIVEN)} {r}"
        village = f"Bản Nà {rng.randint(1, 40)}"
        out.append(
            (
                f'<row r="{r}"><c r="A{r}"><v>{r}</v></c>{text(f"B{r}", name)}'
                f'<c r="C{r}"><v>{rng.randint(1950, 2005)}</v></c>{text(f"D{r}", village)}'
                f"{text(f'E{r}', f'Lớp xóa mù chữ {rng.randint(1, 9)}')}</row>"
            ).encode()
        )
    out.append(b"</sheetData></worksheet>")
    return b"".join(out), strings


def shared_string_count(xlsx: bytes) -> int:
    """How many shared strings the workbook already has (new ones are numbered after them)."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as zf:
        try:
            return zf.read("xl/sharedStrings.xml").count(b"<si>")
        except KeyError:
            return 0


def photo_sheet(picture_bytes: int, pictures: int = 1, seed: int = 7) -> tuple[bytes, list[bytes]]:
    """A near-empty sheet XML and `pictures` incompressible PNG-headed blobs for its drawing."""
    rng = random.Random(seed)
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'xmlns:r="'
        + REL.encode()
        + b'"><sheetData><row r="1"><c r="A1" t="inlineStr"><is>'
        + "<t>Ảnh hoạt động Tuần lễ</t>".encode()
        + b'</is></c></row></sheetData><drawing r:id="rIdDr1"/></worksheet>'
    )
    png = b"\x89PNG\r\n\x1a\n"
    blobs = [png + rng.randbytes(picture_bytes) for _ in range(pictures)]
    return sheet, blobs


def with_extra_sheet(
    xlsx: bytes,
    title: str,
    sheet_xml: bytes,
    pictures: list[bytes] | None = None,
    strings: list[str] | None = None,
) -> bytes:
    """A copy of the workbook with one more sheet (and its pictures) appended after the others."""
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    names = src.namelist()
    n = 1 + max(
        (int(m.group(1)) for x in names if (m := re.match(r"xl/worksheets/sheet(\d+)\.xml$", x))),
        default=0,
    )
    part = f"xl/worksheets/sheet{n}.xml"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                extra = f'<Override PartName="/{part}" ContentType="{CT_SHEET}"/>'
                if strings and "xl/sharedStrings.xml" not in names:
                    extra += f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CT_SST}"/>'
                if pictures:
                    drawing = f"/xl/drawings/drawing{n}.xml"
                    extra += f'<Override PartName="{drawing}" ContentType="{CT_DRAWING}"/>'
                    extra += (
                        '<Default Extension="png" ContentType="image/png"/>'
                        if b'Extension="png"' not in body
                        else ""
                    )
                body = body.replace(b"</Types>", extra.encode() + b"</Types>")
            elif item.filename == "xl/workbook.xml":
                body = re.sub(
                    rb"</sheets>",
                    f'<sheet xmlns:rx="{REL}" name="{title}" sheetId="{100 + n}" rx:id="rIdX{n}"/>'
                    "</sheets>".encode(),
                    body,
                )
            elif item.filename == "xl/sharedStrings.xml" and strings:
                added = "".join(f"<si><t>{t}</t></si>" for t in strings).encode()
                body = re.sub(rb'(count|uniqueCount)="\d+"', b"", body)
                body = body.replace(b"</sst>", added + b"</sst>")
            elif item.filename == "xl/_rels/workbook.xml.rels":
                target = f"worksheets/sheet{n}.xml"
                rel = f'<Relationship Id="rIdX{n}" Type="{REL}/worksheet" Target="{target}"/>'
                if strings and "xl/sharedStrings.xml" not in names:
                    rel += (
                        f'<Relationship Id="rIdSst" Type="{REL}/sharedStrings" '
                        'Target="sharedStrings.xml"/>'
                    )
                body = body.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            dst.writestr(item, body)
        dst.writestr(part, sheet_xml)
        if strings and "xl/sharedStrings.xml" not in names:
            added = "".join(f"<si><t>{t}</t></si>" for t in strings)
            dst.writestr(
                "xl/sharedStrings.xml",
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns='
                f'"http://schemas.openxmlformats.org/spreadsheetml/2006/main">{added}</sst>',
            )
        if pictures:
            _add_drawing(dst, n, pictures)
    return out.getvalue()


def _add_drawing(dst: zipfile.ZipFile, n: int, pictures: list[bytes]) -> None:
    xdr = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    anchors, rels = [], []
    for i, blob in enumerate(pictures, start=1):
        dst.writestr(f"xl/media/image{n}_{i}.png", blob)
        rels.append(
            f'<Relationship Id="rIdImg{i}" Type="{REL}/image" Target="../media/image{n}_{i}.png"/>'
        )
        anchors.append(
            f"<xdr:oneCellAnchor><xdr:from><xdr:col>0</xdr:col><xdr:colOff>0</xdr:colOff>"
            f"<xdr:row>{2 + 20 * i}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>"
            f'<xdr:ext cx="3000000" cy="2000000"/><xdr:pic><xdr:nvPicPr><xdr:cNvPr id="{i + 1}" '
            f'name="Picture {i}"/><xdr:cNvPicPr/></xdr:nvPicPr><xdr:blipFill><a:blip '
            f'xmlns:r="{REL}" r:embed="rIdImg{i}"/><a:stretch><a:fillRect/></a:stretch>'
            f'</xdr:blipFill><xdr:spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
            f"</xdr:spPr></xdr:pic><xdr:clientData/></xdr:oneCellAnchor>"
        )
    dst.writestr(
        f"xl/drawings/drawing{n}.xml",
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<xdr:wsDr xmlns:xdr="{xdr}" xmlns:a="{a}">{"".join(anchors)}</xdr:wsDr>',
    )
    dst.writestr(
        f"xl/drawings/_rels/drawing{n}.xml.rels",
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{''.join(rels)}</Relationships>",
    )
    dst.writestr(
        f"xl/worksheets/_rels/sheet{n}.xml.rels",
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rIdDr1" Type="{REL}/drawing" Target="../drawings/drawing{n}.xml"/>'
        f"</Relationships>",
    )


def docx_with_pictures(docx: bytes, pictures: list[bytes]) -> bytes:
    """The report with photos embedded (media parts and relationships, as Word stores them)."""
    src = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "word/_rels/document.xml.rels":
                extra = "".join(
                    f'<Relationship Id="rIdPic{i}" Type="{rel}" Target="media/photo{i}.png"/>'
                    for i in range(len(pictures))
                )
                body = body.replace(b"</Relationships>", extra.encode() + b"</Relationships>")
            elif item.filename == "[Content_Types].xml" and b'Extension="png"' not in body:
                body = body.replace(
                    b"</Types>", b'<Default Extension="png" ContentType="image/png"/></Types>'
                )
            dst.writestr(item, body)
        for i, blob in enumerate(pictures):
            dst.writestr(f"word/media/photo{i}.png", blob)
    return out.getvalue()


def xls_with_list(form_xlsx: bytes, rows: int) -> bytes:
    """An .xls (xlwt) with the form's sheet copied cell by cell and a list sheet after it."""
    import openpyxl
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    src = openpyxl.load_workbook(io.BytesIO(form_xlsx), data_only=True)
    for ws in src.worksheets:
        out = wb.add_sheet(ws.title[:31])
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    out.write(cell.row - 1, cell.column - 1, cell.value)
    names = wb.add_sheet("Danh sách")
    for r in range(rows):
        names.write(r, 0, r + 1)
        names.write(r, 1, f"Lò Văn Học viên {r}")
        names.write(r, 2, 1960 + r % 45)
        names.write(r, 3, f"Bản Nà {r % 40}")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
