"""Attachments of the mail an education office gets besides the campaign's reports.

Owns builders for files that are not Appendix 2: letters and plans (.docx), directives and
statements (.pdf), other tables (.xlsx, and payroll exported as an HTML table named .xls),
e-invoice XML, calendar invitations (.ics) and camera photos (.jpg). Deterministic; no product
imports.
"""

from __future__ import annotations

import base64
import io
import unicodedata
from collections.abc import Sequence

import openpyxl
from docx import Document
from docx.shared import Pt

# A 1x1 baseline JPEG; photos below add a camera comment so each file is distinct.
_JPEG_1PX = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////"
    "////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/a"
    "AAgBAQABPxA="
)


def photo_jpg(camera: str, n: int, size: int = 6000) -> bytes:
    """A JPEG as a phone writes it: SOI, a COM segment (camera, padding), then the image."""
    comment = f"{camera} IMG_{n:04d} ".encode() * (size // 32)
    comment = comment[: min(len(comment), 65000)]
    segment = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
    return _JPEG_1PX[:2] + segment + _JPEG_1PX[2:]


def letter_docx(
    header: Sequence[str],
    title: str,
    paragraphs: Sequence[str],
    table: Sequence[Sequence[str]] | None = None,
    signer: str = "",
) -> bytes:
    """An administrative document typed in Word: the two-column heading, title, text, table."""
    doc = Document()
    doc.styles["Normal"].font.name = "Times New Roman"
    doc.styles["Normal"].font.size = Pt(14)
    head = doc.add_table(rows=1, cols=2)
    head.cell(0, 0).text = "\n".join(header)
    head.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    doc.add_paragraph(title.upper())
    for text in paragraphs:
        doc.add_paragraph(text)
    if table:
        grid = doc.add_table(rows=len(table), cols=len(table[0]))
        grid.style = "Table Grid"
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    if signer:
        doc.add_paragraph(signer)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def table_xlsx(
    sheet: str,
    title_rows: Sequence[str],
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    more_sheets: dict[str, list[list[object]]] | None = None,
) -> bytes:
    """A workbook as clerks make them: title lines, a header row, data rows (other tables)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    for text in title_rows:
        ws.append([text])
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    for name, data in (more_sheets or {}).items():
        extra = wb.create_sheet(name)
        for row in data:
            extra.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def html_xls(title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """A table 'exported to Excel' by accounting software: HTML saved under an .xls name."""
    cells = "".join(f"<td><b>{h}</b></td>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>\n" for row in rows)
    html = (
        '<html xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:x="urn:schemas-microsoft-com:office:excel" '
        'xmlns="http://www.w3.org/TR/REC-html40">\n<head><meta http-equiv="Content-Type" '
        'content="text/html; charset=utf-8"><!--[if gte mso 9]><xml><x:ExcelWorkbook>'
        "<x:ExcelWorksheets><x:ExcelWorksheet><x:Name>Bang luong</x:Name></x:ExcelWorksheet>"
        "</x:ExcelWorksheets></x:ExcelWorkbook></xml><![endif]--></head>\n<body>\n"
        f'<table border="1"><tr><td colspan="{len(header)}"><b>{title}</b></td></tr>\n'
        f"<tr>{cells}</tr>\n{body}</table>\n</body></html>\n"
    )
    return html.encode("utf-8")


def _ascii(text: str) -> str:
    """Text without diacritics (the standard PDF fonts have no Vietnamese glyphs)."""
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if ord(c) < 128)


def pdf(lines: Sequence[str], producer: str = "Microsoft® Word 2016") -> bytes:
    """A one-page PDF with `lines` of text (a scanned or printed-to-PDF document)."""
    text = "BT /F1 12 Tf 56 790 Td 16 TL\n"
    for line in lines:
        safe = _ascii(line).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        text += f"({safe}) Tj T*\n"
    text += "ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>",
        f"<< /Length {len(text.encode())} >>\nstream\n{text}\nendstream",
        f"<< /Producer ({_ascii(producer)}) /Title ({_ascii(lines[0]) if lines else ''}) >>",
    ]
    out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for n, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n{obj}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    return out


def einvoice_xml(number: int, seller: str, buyer: str, items: Sequence[tuple[str, int]]) -> bytes:
    """An e-invoice (hóa đơn điện tử) in the tax office's XML layout (Circular 78/2021)."""
    total = sum(amount for _, amount in items)
    vat = total // 10
    lines = "".join(
        f"<HHDVu><STT>{i}</STT><THHDVu>{name}</THHDVu><DVTinh>Lần</DVTinh><SLuong>1</SLuong>"
        f"<DGia>{amount}</DGia><ThTien>{amount}</ThTien><TSuat>10%</TSuat></HHDVu>"
        for i, (name, amount) in enumerate(items, start=1)
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<HDon><DLHDon Id="data">'
        "<TTChung><PBan>2.0.0</PBan><THDon>HÓA ĐƠN GIÁ TRỊ GIA TĂNG</THDon>"
        f"<KHMSHDon>1</KHMSHDon><KHHDon>C21TAA</KHHDon><SHDon>{number}</SHDon>"
        "<NLap>2021-10-08</NLap><DVTTe>VND</DVTTe><TGia>1</TGia><HTTToan>Chuyển khoản</HTTToan>"
        "</TTChung><NDHDon>"
        f"<NBan><Ten>{seller}</Ten><MST>0000000000</MST><DChi>Thành phố Sơn La</DChi></NBan>"
        f"<NMua><Ten>{buyer}</Ten><MST>0000000001</MST><DChi>huyện Quỳnh Nhai</DChi></NMua>"
        f"<DSHHDVu>{lines}</DSHHDVu><TToan><TgTCThue>{total}</TgTCThue><TgTThue>{vat}</TgTThue>"
        f"<TgTTTBSo>{total + vat}</TgTTTBSo></TToan></NDHDon></DLHDon>"
        "<DSCKS><NBan><Signature>ZmFrZS1zaWduYXR1cmU=</Signature></NBan></DSCKS></HDon>\n"
    )
    return xml.encode("utf-8")


def invitation_ics(uid: str, organizer: str, summary: str, start: str, end: str, where: str) -> str:
    """An iCalendar meeting request (METHOD:REQUEST) as Outlook sends it; CRLF lines."""
    lines = [
        "BEGIN:VCALENDAR",
        "METHOD:REQUEST",
        "PRODID:Microsoft Exchange Server 2016",
        "VERSION:2.0",
        "BEGIN:VEVENT",
        f"ORGANIZER;CN=Văn phòng HĐND-UBND huyện:mailto:{organizer}",
        "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:"
        "mailto:phonggd.quynhnhai@example.org",
        f"SUMMARY;LANGUAGE=vi-VN:{summary}",
        f"DTSTART;TZID=SE Asia Standard Time:{start}",
        f"DTEND;TZID=SE Asia Standard Time:{end}",
        f"UID:{uid}",
        f"LOCATION;LANGUAGE=vi-VN:{where}",
        "STATUS:CONFIRMED",
        "SEQUENCE:0",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"
