"""Report files for the held-out mailbox: filled Appendix 2 .xlsx/.docx and bad files.

Owns an independent description of where each value of the printed Appendix 2 form goes
(row, column, code, slot) and builders that write files whose exact parse is known. The blank
workbook comes from `mailbot blank-form` (the form a reminder attaches, which units fill in);
everything else is written here with openpyxl, python-docx and zipfile. Must not import the
product's parser, forms module or tests/formgen.
"""

from __future__ import annotations

import io
import random
import re
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import openpyxl
from docx import Document
from docx.shared import Pt

Values = dict[str, dict[str, int | str | None]]

FAMILY_1 = [f"1.{i}" for i in range(1, 14)]
PAIRED = [*FAMILY_1, "5.3", "5.4", "5.5", "5.6", "6.1", "6.2", "6.3"]
COUNT_ONLY = ["2", "3", "4.1", "4.2", "5", "5.1", "5.2", "6", "7.1", "8", "9.1", "9.2"]
AMOUNT = ["10.1", "10.2"]


@dataclass(frozen=True)
class Place:
    """Where one slot of one code is written in the blank workbook (row, column letter)."""

    row: int
    column: str
    code: str
    slot: str


def _places() -> list[Place]:
    """The printed rows 11-51 of the blank form, read off `mailbot blank-form` by hand."""
    places = [Place(11, "D", "1", "count"), Place(12, "E", "1", "people")]
    for i, code in enumerate(FAMILY_1):
        places += [Place(13 + i, "D", code, "count"), Place(13 + i, "E", code, "people")]
    singles = {26: "2", 27: "3", 29: "4.1", 30: "4.2", 31: "5", 32: "5.1", 33: "5.2", 38: "6"}
    singles |= {43: "7.1", 44: "8", 46: "9.1", 47: "9.2"}
    places += [Place(row, "D", code, "count") for row, code in singles.items()]
    for row, code in zip(range(34, 38), ["5.3", "5.4", "5.5", "5.6"], strict=True):
        places += [Place(row, "D", code, "count"), Place(row, "E", code, "people")]
    for row, code in zip(range(39, 42), ["6.1", "6.2", "6.3"], strict=True):
        places += [Place(row, "D", code, "count"), Place(row, "E", code, "people")]
    places += [Place(49, "D", "10.1", "amount"), Place(50, "D", "10.2", "amount")]
    places.append(Place(51, "D", "11", "text"))
    return sorted(places, key=lambda p: (p.row, p.column))


PLACES = _places()


def empty_values() -> Values:
    """Every code with each of its slots, all None (not reported)."""
    values: Values = {}
    for place in PLACES:
        values.setdefault(place.code, {})[place.slot] = None
    return values


def report_values(seed: int, *, blanks: int = 3, note: str | None = None) -> Values:
    """A consistent filled report (parent rows are the sums of their children), exact ints.

    `blanks` sub-rows of section 1 are left empty (None), as clerks leave rows they had
    nothing for; parent totals count them as zero.
    """
    rng = random.Random(seed)
    values = empty_values()
    empty = set(rng.sample(FAMILY_1, blanks))
    for code in FAMILY_1:
        if code not in empty:
            count = rng.randint(0, 6)
            values[code] = {"count": count, "people": count * rng.randint(8, 45)}
    for parent, children in (("1", FAMILY_1),):
        values[parent] = {
            "count": sum(values[c]["count"] or 0 for c in children),  # type: ignore[misc]
            "people": sum(values[c]["people"] or 0 for c in children),  # type: ignore[misc]
        }
    for code in ("5.3", "5.4", "5.5", "5.6", "6.1", "6.2", "6.3"):
        count = rng.randint(0, 4)
        values[code] = {"count": count, "people": count * rng.randint(20, 150)}
    values["5.1"] = {"count": rng.randint(0, 2)}
    values["5.2"] = {"count": rng.randint(0, 3)}
    section5 = ["5.1", "5.2", "5.3", "5.4", "5.5", "5.6"]
    values["5"] = {"count": sum(values[c]["count"] or 0 for c in section5)}  # type: ignore[misc]
    values["6"] = {"count": sum(values[c]["count"] or 0 for c in ("6.1", "6.2", "6.3"))}  # type: ignore[misc]
    for code, top in (("2", 30), ("3", 250), ("4.1", 25), ("4.2", 900), ("7.1", 6)):
        values[code] = {"count": rng.randint(1, top)}
    for code, top in (("8", 4), ("9.1", 5), ("9.2", 20)):
        values[code] = {"count": rng.randint(0, top)}
    values["10.1"] = {"amount": rng.randint(1, 60) * 500_000}
    values["10.2"] = {"amount": rng.choice([None, rng.randint(1, 20) * 250_000])}
    values["11"] = {"text": note}
    return values


@cache
def blank_form() -> bytes:
    """The blank Appendix 2 workbook as `mailbot blank-form` writes it."""
    mailbot = Path(sys.executable).with_name("mailbot")
    with tempfile.TemporaryDirectory(prefix="redmail-blank-") as tmp:
        out = Path(tmp) / "blank.xlsx"
        subprocess.run([str(mailbot), "blank-form", str(out)], check=True, capture_output=True)
        return out.read_bytes()


def _cell_text(value: int | str, as_text: bool) -> int | str:
    """A value as a clerk types it: a number, or text with Vietnamese thousands dots."""
    if not as_text or not isinstance(value, int):
        return value
    return f"{value:,}".replace(",", ".")


@cache
def _blank_book() -> openpyxl.Workbook:
    """The blank form opened once; `report_xlsx` fills it, saves and puts it back."""
    return openpyxl.load_workbook(io.BytesIO(blank_form()))


def report_xlsx(unit_name: str, values: Values, *, as_text: bool = False) -> bytes:
    """The blank form filled in for `unit_name` with `values` (None cells left blank)."""
    wb = _blank_book()
    ws = wb.active
    assert ws is not None
    cells = {"A1": f"Đơn vị: {unit_name}", "C3": "Quỳnh Nhai, ngày 12 tháng 10 năm 2021"}
    for place in PLACES:
        value = values[place.code][place.slot]
        if value is not None:
            cells[f"{place.column}{place.row}"] = _cell_text(value, as_text)
    before = {ref: ws[ref].value for ref in cells}
    try:
        for ref, value in cells.items():
            ws[ref] = value
        buf = io.BytesIO()
        wb.save(buf)
    finally:  # the cached blank must stay blank for the next report
        for ref, value in before.items():
            ws[ref] = value
    return buf.getvalue()


def _blank_rows() -> list[tuple[str, str, str]]:
    """(STT, label, unit of measure) of rows 11-51 of the blank form."""
    ws = openpyxl.load_workbook(io.BytesIO(blank_form())).active
    assert ws is not None
    return [
        tuple(str(ws[f"{col}{row}"].value or "") for col in "ABC")  # type: ignore[misc]
        for row in range(11, 52)
    ]


def report_docx(unit_name: str, values: Values) -> bytes:
    """Appendix 2 typed as a Word table (two header rows, 'Số lượng' merged), as offices do."""
    doc = Document()
    doc.styles["Normal"].font.name = "Times New Roman"
    doc.styles["Normal"].font.size = Pt(13)
    doc.add_paragraph(unit_name.upper())
    doc.add_paragraph("Phụ lục 2")
    doc.add_paragraph("BIỂU TỔNG HỢP")
    doc.add_paragraph("Số liệu kết quả tổ chức tuần lễ học tập suốt đời năm 2021")
    doc.add_paragraph(f"Đơn vị: {unit_name}")
    rows = _blank_rows()
    table = doc.add_table(rows=2 + len(rows), cols=6)
    table.style = "Table Grid"
    head = ["STT", "Các hoạt động", "Đơn vị", "Số lượng", "", "Ghi chú"]
    for col, text in enumerate(head):
        table.cell(0, col).text = text
    table.cell(1, 3).text = "Số lớp/số cuộc thi"
    table.cell(1, 4).text = "Người"
    table.cell(0, 3).merge(table.cell(0, 4))
    for col in (0, 1, 2, 5):
        table.cell(0, col).merge(table.cell(1, col))
    by_cell = {(p.row, p.column): p for p in PLACES}
    for i, (stt, label, unit) in enumerate(rows):
        row = 11 + i
        cells = table.rows[2 + i].cells
        cells[0].text, cells[1].text, cells[2].text = stt, label, unit
        for col, letter in ((3, "D"), (4, "E")):
            place = by_cell.get((row, letter))
            value = values[place.code][place.slot] if place else None
            if value is not None:
                cells[col].text = str(value)
    doc.add_paragraph("NGƯỜI LẬP BIỂU                                   THỦ TRƯỞNG ĐƠN VỊ")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def narrative_docx(unit_name: str) -> bytes:
    """Appendix 1: the narrative report, paragraphs only (no Appendix 2 table)."""
    doc = Document()
    doc.add_paragraph(unit_name.upper())
    doc.add_paragraph("Phụ lục 1")
    doc.add_paragraph("BÁO CÁO Kết quả tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2021")
    doc.add_paragraph(
        "Thực hiện Kế hoạch của Phòng GD&ĐT, đơn vị đã tổ chức 3 lớp tập huấn với 85 người "
        "tham gia, treo 12 băng rôn, khẩu hiệu tuyên truyền và phát động quyên góp sách."
    )
    doc.add_paragraph("I. Công tác chỉ đạo\nII. Kết quả\nIII. Đề xuất, kiến nghị")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def foreign_xlsx() -> bytes:
    """The wrong spreadsheet: a class list, no Appendix 2 table in it."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "DS hoc sinh"
    ws.append(["DANH SÁCH HỌC SINH LỚP 5A NĂM HỌC 2021-2022"])
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Dân tộc", "Ghi chú"])
    for n, name in enumerate(["Lò Văn Hùng", "Quàng Thị Mai", "Cà Văn Sơn"], start=1):
        ws.append([n, name, f"0{n}/03/2011", "Thái", ""])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def truncated_xlsx(unit_name: str) -> bytes:
    """A report cut off half way (an interrupted upload): not a readable zip."""
    whole = report_xlsx(unit_name, report_values(99))
    return whole[: len(whole) // 2]


def encrypted_xlsx(unit_name: str, password: str = "123456") -> bytes:
    """A report saved with 'Encrypt with Password' (an OLE2 EncryptedPackage)."""
    from msoffcrypto.format.ooxml import OOXMLFile  # test extra; see pyproject [test]

    plain = io.BytesIO(report_xlsx(unit_name, report_values(98)))
    out = io.BytesIO()
    OOXMLFile(plain).encrypt(password, out)
    return out.getvalue()


LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>\n"
)


def billion_laughs_xlsx(unit_name: str) -> bytes:
    """A report whose sheet expands an entity a billion-fold in its title cell (XML bomb)."""
    src = zipfile.ZipFile(io.BytesIO(report_xlsx(unit_name, report_values(97))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = re.sub(r"^<\?xml[^>]*\?>\s*", "", data.decode())
                text = re.sub(r'(<c r="A5"[^>]*><is><t>).*?(</t>)', r"\1&lol9;\2", text, count=1)
                assert "&lol9;" in text
                data = (LAUGHS + text).encode()
            dst.writestr(info, data)
    return out.getvalue()
