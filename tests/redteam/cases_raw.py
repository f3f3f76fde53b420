"""Red-team workbooks with several sheets, hidden parts, or written by non-Excel tools.

Owns: the five-sheet workbook, the hidden row/column workbook, and the Google Sheets, WPS and
minimal-writer files (hand-written SpreadsheetML). Pure builders.
"""

from __future__ import annotations

from tests.redteam.common import SIGN_COMMUNE, Case, make_report, school_header
from tests.redteam.form import Style, make_values
from tests.redteam.layout import Layout, Report, row_of
from tests.redteam.xl import RawOptions, SheetModel, openpyxl_bytes, place, raw_xlsx_bytes

PGD = "PHÒNG GD&ĐT QUỲNH NHAI"
UBND_H = "UBND HUYỆN QUỲNH NHAI"
WIDTHS = {0: 6, 1: 60, 2: 12, 3: 12, 4: 10, 5: 16}


def _book(report: Report, name: str = "Sheet1") -> bytes:
    return openpyxl_bytes([place(report, name)], WIDTHS)


def five_sheets() -> Case:
    """Appendix 1 on Biểu 1, the table on Biểu 2, a class list and two empty sheets."""
    v = make_values(110)
    rep = make_report(
        v,
        Style(),
        Layout(),
        [("PHÒNG GD&ĐT QUỲNH NHAI", ""), ("Đơn vị: Trường THCS Chiềng Khay", "")],
    )
    narrative = SheetModel("Biểu 1")
    lines = [
        "PHÒNG GD&ĐT QUỲNH NHAI",
        "TRƯỜNG THCS CHIỀNG KHAY",
        "",
        "BÁO CÁO",
        "Tổng kết Tuần lễ học tập suốt đời năm 2021",
        "I. TỔ CHỨC TRIỂN KHAI TUẦN LỄ",
        "1. Công tác chỉ đạo: nhà trường ban hành kế hoạch số 45/KH-THCS ngày 01/10/2021.",
        "4. Kinh phí tổ chức Tuần lễ: ngân sách nhà nước 3.000.000 đồng.",
        "II. ĐÁNH GIÁ CHUNG",
        "4. Bảng tổng hợp số liệu: xem Biểu 2.",
    ]
    for i, line in enumerate(lines):
        if line:
            narrative.cells[(i, 0)] = line
    classes = SheetModel("DS lop")
    head = ["STT", "Tên lớp bồi dưỡng", "Số lớp", "Số người", "Thời gian"]
    rows = [
        [1, "Bồi dưỡng thường xuyên cho giáo viên", 2, 40, "05/10/2021"],
        [2, "Giáo dục kỹ năng sống cho học sinh", 4, 160, "06/10/2021"],
        [3, "Tin học cho cán bộ, công chức, viên chức", 1, 22, "07/10/2021"],
    ]
    for j, h in enumerate(head):
        classes.cells[(0, j)] = h
    for i, row in enumerate(rows, 1):
        for j, x in enumerate(row):
            classes.cells[(i, j)] = x
    sheets = [narrative, place(rep, "Biểu 2"), classes, SheetModel("Sheet4"), SheetModel("Sheet5")]
    return Case(
        "THCS Chieng Khay - bao cao TLHT.xlsx",
        "workbook of 5 sheets: Appendix 1 text on 'Biểu 1', table on 'Biểu 2', a class list after",
        3,
        lambda: openpyxl_bytes(sheets, WIDTHS),
        v,
        ("Trường THCS Chiềng Khay",),
    )


def hidden() -> Case:
    """A hidden column of last year's figures and hidden irrelevant rows."""
    v = make_values(111)
    for code in ("1.4", "1.6"):
        v[code] = {"count": None, "people": None}
    v["1"]["count"] = sum(v[f"1.{i}"]["count"] or 0 for i in range(1, 14)) or None
    v["1"]["people"] = sum(v[f"1.{i}"]["people"] or 0 for i in range(1, 14)) or None
    lay = Layout(cols=("stt", "label", "unit", "prev", "count", "people", "note"))
    rep = make_report(v, Style(), lay, school_header(PGD, "TRƯỜNG MẦM NON NẬM ÉT", "Nậm Ét"))
    rep.table.hidden_cols = {3}
    rep.table.hidden_rows = {
        row_of(rep.table, "Bồi dưỡng nâng cao tay nghề"),
        row_of(rep.table, "Nâng cao trình độ văn hóa"),
    }
    return Case(
        "MN Nam Et.xlsx",
        "hidden column 'Năm 2020' with last year's figures; rows not relevant hidden",
        2,
        lambda: _book(rep),
        v,
        ("Trường Mầm non Nậm Ét",),
    )


def raw_writers() -> list[Case]:
    """Google Sheets (inline strings), WPS (rich text runs), a writer without cell refs."""
    out = []
    v = make_values(124)
    rep = make_report(
        v,
        Style(),
        Layout(sum_formulas=True),
        school_header(PGD, "TRƯỜNG TIỂU HỌC MƯỜNG SẠI", "Mường Sại"),
    )
    out.append(
        Case(
            "Bản sao của Biểu 2 - TH Mường Sại.xlsx",
            "Google Sheets download: inline strings, SUM formulas with cached values",
            3,
            lambda rep=rep: raw_xlsx_bytes(
                [place(rep, "Trang tính1")], RawOptions(strings="inline", app="")
            ),
            v,
            ("Trường Tiểu học Mường Sại",),
        )
    )

    v = make_values(125)
    rep = make_report(
        v, Style(), Layout(), school_header(PGD, "TRƯỜNG MẦM NON CHIỀNG BẰNG", "Chiềng Bằng")
    )
    sheet = place(rep)
    for key, value in list(sheet.cells.items()):
        if value == "Tổng số người tham gia, trong đó:":
            sheet.rich[key] = [("Tổng số người tham gia, ", True), ("trong đó:", False)]
        elif isinstance(value, str) and value.startswith("Bồi dưỡng thường xuyên"):
            sheet.rich[key] = [
                ("Bồi dưỡng ", False),
                ("thường xuyên", True),
                (" cho giáo viên", False),
            ]
        elif isinstance(value, str) and value.startswith("TRƯỜNG MẦM NON"):
            sheet.rich[key] = [("TRƯỜNG MẦM NON ", True), ("CHIỀNG BẰNG", True)]
    out.append(
        Case(
            "MN Chieng Bang (WPS).xlsx",
            "WPS Office: KSO properties, rich-text shared strings split in runs",
            3,
            lambda sheet=sheet: raw_xlsx_bytes(
                [sheet], RawOptions(strings="rich", app="WPS Spreadsheets", wps=True)
            ),
            v,
            ("Trường Mầm non Chiềng Bằng",),
        )
    )

    v = make_values(126)
    rep = make_report(
        v, Style(), Layout(), school_header(UBND_H, "UBND XÃ NẬM ÉT", "Nậm Ét"), after=SIGN_COMMUNE
    )
    out.append(
        Case(
            "xa Nam Et (xuat tu phan mem).xlsx",
            "exported by a small web tool: rows and cells without r= references",
            1,
            lambda rep=rep: raw_xlsx_bytes([place(rep)], RawOptions(refs=False, app="")),
            v,
            ("UBND xã Nậm Ét", "Ủy ban nhân dân xã Nậm Ét"),
        )
    )
    return out
