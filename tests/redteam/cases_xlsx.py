"""Red-team spreadsheets: Excel, WPS, Google Sheets and hand-made workbooks a clerk could send.

Owns: the spreadsheet cases (file bytes builders with exact expected values). Pure builders.
"""

from __future__ import annotations

import datetime as dt

from tests.redteam import cases_raw, labels
from tests.redteam.common import SIGN_COMMUNE, Case, make_report, school_header
from tests.redteam.form import Style, make_values
from tests.redteam.layout import Layout, Report, nfd, strip_marks
from tests.redteam.xl import RawOptions, SheetModel, openpyxl_bytes, place, raw_xlsx_bytes

PGD = "PHÒNG GD&ĐT QUỲNH NHAI"
UBND_H = "UBND HUYỆN QUỲNH NHAI"
WIDTHS = {0: 6, 1: 60, 2: 12, 3: 12, 4: 10, 5: 16}


def _book(report: Report, name: str = "Sheet1") -> bytes:
    return openpyxl_bytes([place(report, name)], WIDTHS)


def _money_format(sheet: SheetModel, fmt: str) -> SheetModel:
    """Give every large native number a display format, as the clerk's toolbar button does."""
    for key, value in sheet.cells.items():
        if isinstance(value, int) and value >= 1000:
            sheet.formats[key] = fmt
    return sheet


def cases() -> list[Case]:
    """Every spreadsheet case."""
    out: list[Case] = []

    v = make_values(101)
    rep = make_report(
        v, Style(), Layout(), school_header(PGD, "TRƯỜNG THCS MƯỜNG GIÀNG", "Mường Giàng")
    )
    out.append(
        Case(
            "bieu-2-thcs-muong-giang.xlsx",
            "Excel 2016, form retyped faithfully, numbers typed as numbers",
            5,
            lambda r=rep: openpyxl_bytes([_money_format(place(r), "#,##0")], WIDTHS),
            v,
            ("Trường THCS Mường Giàng",),
        )
    )

    v = make_values(102)
    rep = make_report(
        v,
        Style(num="text", zero="0", money="dots"),
        Layout(row5_split=True),
        school_header(UBND_H, "UBND XÃ CHIỀNG BẰNG", "Chiềng Bằng"),
        after=SIGN_COMMUNE,
    )
    out.append(
        Case(
            "Phu luc 2 - UBND xa Chieng Bang.xlsx",
            "commune, plan's table copied row for row (row 5 label over two rows), numbers as text",
            5,
            lambda r=rep: _book(r),
            v,
            ("UBND xã Chiềng Bằng", "Ủy ban nhân dân xã Chiềng Bằng"),
        )
    )

    v = make_values(103)
    lay = Layout(
        cols=("stt", "label2", "unit", "count", "people", "note"), stt="dot", label=labels.wrapped()
    )
    rep = make_report(
        v,
        Style(num="padded", zero="-", money="dots_d"),
        lay,
        school_header(PGD, "TRƯỜNG MẦM NON CÀ NÀNG", "Cà Nàng"),
    )
    out.append(
        Case(
            "MN Ca Nang - bieu tong hop.xlsx",
            "table pasted from Word into Excel: labels merged over 2 columns, line breaks, "
            "STT '1.'/'-', numbers '02', zero '-', money '15.000.000 đ'",
            4,
            lambda r=rep: _book(r),
            v,
            ("Trường Mầm non Cà Nàng",),
        )
    )

    v = make_values(104, text="Tổ chức 02 buổi ngoại khóa đọc sách tại thư viện trường")
    rep = make_report(
        v,
        Style(money="dots"),
        Layout(stt="decimal", row11=True),
        school_header(PGD, "TRƯỜNG TIỂU HỌC CHIỀNG KHAY", "Chiềng Khay"),
    )
    out.append(
        Case(
            "TH Chieng Khay.xlsx",
            "sub-rows numbered 1.1 … 10.2 by the clerk, row 11 with text",
            5,
            lambda r=rep: _book(r),
            v,
            ("Trường Tiểu học Chiềng Khay",),
        )
    )

    v = make_values(105)
    rep = make_report(
        v,
        Style(),
        Layout(stt="roman"),
        school_header(PGD, "TRƯỜNG TH&THCS CHIỀNG KHOANG", "Chiềng Khoang"),
    )
    out.append(
        Case(
            "bao cao tuan le hoc tap TH&THCS Chieng Khoang.xlsx",
            "STT as Roman numerals I, II … with sub-rows a), b) …",
            3,
            lambda r=rep: _book(r),
            v,
            ("Trường TH&THCS Chiềng Khoang",),
        )
    )

    v = make_values(106)
    rep = make_report(
        v,
        Style(single_col="people"),
        Layout(cols=("stt", "label", "unit", "people", "count", "note")),
        school_header(PGD, "TRƯỜNG MẦM NON CHIỀNG ƠN", "Chiềng Ơn"),
    )
    out.append(
        Case(
            "MN Chieng On.xlsx",
            "'Người' column before 'Số lớp/số cuộc thi'; single measures under Người",
            2,
            lambda r=rep: _book(r),
            v,
            ("Trường Mầm non Chiềng Ơn",),
        )
    )

    v = make_values(107)
    extra = {
        "1": "tăng 2 lớp",
        "1.9": "tăng 10%",
        "2": "bằng năm trước",
        "3": "giảm 15%",
        "10.1": "tăng 5.000.000đ",
    }
    rep = make_report(
        v,
        Style(),
        Layout(
            cols=("code", "stt", "label", "unit", "count", "people", "extra", "note"), extra=extra
        ),
        school_header(PGD, "TRƯỜNG THCS MƯỜNG SẠI", "Mường Sại"),
    )
    out.append(
        Case(
            "THCS Muong Sai - PL2.xlsx",
            "extra columns: 'Mã số' first, 'Kết quả so với năm trước' ('tăng 10%') before Ghi chú",
            2,
            lambda r=rep: _book(r),
            v,
            ("Trường THCS Mường Sại",),
        )
    )

    v = make_values(108)
    rep = make_report(
        v,
        Style(num="mixed", seed=8),
        Layout(cols=("stt", "label", "count", "people", "note")),
        school_header(PGD, "TRƯỜNG TIỂU HỌC NẬM ÉT", "Nậm Ét"),
    )
    out.append(
        Case(
            "TH Nam Et.xlsx",
            "'Đơn vị' column left out, numbers mixed '3', 3, '03', '3 lớp'",
            3,
            lambda r=rep: _book(r),
            v,
            ("Trường Tiểu học Nậm Ét",),
        )
    )

    v = make_values(109)
    rep = make_report(
        v,
        Style(),
        Layout(totals=True),
        school_header(UBND_H, "UBND XÃ MƯỜNG CHIÊN", "Mường Chiên"),
        after=SIGN_COMMUNE,
    )
    out.append(
        Case(
            "xa Muong Chien tong hop.xlsx",
            "a 'Tổng cộng' row added under the table",
            3,
            lambda r=rep: _book(r),
            v,
            ("UBND xã Mường Chiên", "Ủy ban nhân dân xã Mường Chiên"),
        )
    )

    out.append(cases_raw.five_sheets())
    out.append(cases_raw.hidden())

    v = make_values(112)
    v["4.2"]["count"] = 2350
    v["1.9"]["people"] = 1240
    v["1"]["people"] = sum(v[f"1.{i}"]["people"] or 0 for i in range(1, 14))
    rep = make_report(
        v, Style(), Layout(), school_header(PGD, "TRƯỜNG PTDTBT THCS NẬM ÉT", "Nậm Ét")
    )
    out.append(
        Case(
            "PTDTBT THCS Nam Et.xlsx",
            "real numbers shown with thousands separators (#,##0 formats)",
            4,
            lambda r=rep: openpyxl_bytes([_money_format(place(r), '#,##0" đ"')], WIDTHS),
            v,
            ("Trường PTDTBT THCS Nậm Ét",),
        )
    )

    v = make_values(113, blank=0.1, zero=0.45)
    rep = make_report(
        v,
        Style(zero="mixed", seed=13, money="spaces"),
        Layout(),
        school_header(PGD, "TRƯỜNG MẦM NON MƯỜNG GIÔN", "Mường Giôn"),
    )
    out.append(
        Case(
            "MN Muong Gion.xlsx",
            "empty rows kept with '0', '-', '–', 'không'; money '15 000 000'",
            4,
            lambda r=rep: _book(r),
            v,
            ("Trường Mầm non Mường Giôn",),
        )
    )

    v = make_values(114)
    v["7.1"]["count"] = 1
    rep = make_report(
        v, Style(), Layout(), school_header(PGD, "TRƯỜNG TIỂU HỌC MƯỜNG CHIÊN", "Mường Chiên")
    )
    rep.table.rows[_row_of(rep, "Số cơ sở giáo dục")][3] = "x"
    out.append(
        Case(
            "TH Muong Chien.xlsx",
            "clerk wrote 'x' (= yes, our school held it) for 7.1",
            2,
            lambda r=rep: _book(r),
            v,
            ("Trường Tiểu học Mường Chiên",),
            ambiguous={"7.1.count": "'x' in a count cell: reference silent; a school means 1"},
        )
    )

    v = make_values(115)
    rep = make_report(
        v,
        Style(money="trieu"),
        Layout(label=labels.synonyms, stt="decimal"),
        school_header(PGD, "TRƯỜNG THCS CHIỀNG BẰNG", "Chiềng Bằng"),
    )
    out.append(
        Case(
            "THCS Chieng Bang.xlsx",
            "labels retyped in the clerk's own words and abbreviations; money '15,5 triệu'",
            4,
            lambda r=rep: _book(r),
            v,
            ("Trường THCS Chiềng Bằng",),
        )
    )

    v = make_values(116)
    hdr = [
        (strip_marks(a), strip_marks(b))
        for a, b in school_header(PGD, "TRƯỜNG TH CHIỀNG BẰNG", "Chiềng Bằng")
    ]
    rep = make_report(
        v,
        Style(money="commas"),
        Layout(label=labels.no_marks),
        hdr,
        title=[
            strip_marks(t)
            for t in ("BIỂU TỔNG HỢP", "Số liệu kết quả tổ chức tuần lễ học tập suốt đời năm 2021")
        ],
    )
    out.append(
        Case(
            "bieu tong hop TH Chieng Bang.xlsx",
            "typed without Vietnamese keyboard: no diacritics anywhere",
            3,
            lambda r=rep: _book(r),
            v,
            ("TRUONG TH CHIENG BANG", "Trường TH Chiềng Bằng"),
        )
    )

    v = make_values(117)
    rep = make_report(
        v,
        Style(),
        Layout(label=labels.upper),
        school_header(PGD, "TRƯỜNG MẦM NON MƯỜNG SẠI", "Mường Sại"),
    )
    out.append(
        Case(
            "MN MUONG SAI.xlsx",
            "labels in capitals",
            2,
            lambda r=rep: _book(r),
            v,
            ("Trường Mầm non Mường Sại",),
        )
    )

    v = make_values(118)
    lay = Layout(
        cols=("stt", "label2", "unit", "count", "people", "note"),
        row5_split=True,
        merged_headings=True,
        vmerge_code1=True,
        label=labels.wrapped(50),
    )
    rep = make_report(
        v,
        Style(num="text"),
        lay,
        school_header(UBND_H, "UBND XÃ PÁ MA PHA KHINH", "Pá Ma Pha Khinh"),
        after=SIGN_COMMUNE,
    )
    out.append(
        Case(
            "Pa Ma Pha Khinh.xlsx",
            "merged-cell mess: headings merged across, row 1 STT merged down, labels on 2 columns",
            3,
            lambda r=rep: _book(r),
            v,
            ("UBND xã Pá Ma Pha Khinh", "Ủy ban nhân dân xã Pá Ma Pha Khinh"),
        )
    )

    v = make_values(119)
    rep = make_report(
        v, Style(), Layout(), school_header(PGD, "TRƯỜNG THCS CHIỀNG ƠN", "Chiềng Ơn")
    )
    out.append(
        Case(
            "THCS Chieng On.xlsm",
            "saved as a macro-enabled workbook (.xlsm)",
            2,
            lambda r=rep: raw_xlsx_bytes([place(r)], RawOptions(macro=True)),
            v,
            ("Trường THCS Chiềng Ơn",),
        )
    )

    v = make_values(120)
    hdr = [
        (nfd(a), nfd(b))
        for a, b in school_header(PGD, "TRƯỜNG TIỂU HỌC MƯỜNG GIÀNG", "Mường Giàng")
    ]
    rep = make_report(
        v,
        Style(),
        Layout(label=labels.decomposed),
        hdr,
        title=[
            nfd(t)
            for t in ("BIỂU TỔNG HỢP", "Số liệu kết quả tổ chức tuần lễ học tập suốt đời năm 2021")
        ],
    )
    out.append(
        Case(
            "TH Muong Giang.xlsx",
            "all text in decomposed Unicode (NFD)",
            2,
            lambda r=rep: _book(r),
            v,
            ("Trường Tiểu học Mường Giàng",),
        )
    )

    v = make_values(121)
    rep = make_report(
        v,
        Style(),
        Layout(),
        [],
        title=[
            "BÁO CÁO CỦA TRƯỜNG MN CÀ NÀNG",
            "Kết quả tổ chức Tuần lễ học tập suốt đời năm 2021",
        ],
    )
    out.append(
        Case(
            "bao cao MN Ca Nang.xlsx",
            "no header block: unit named only in the title",
            3,
            lambda r=rep: _book(r),
            v,
            ("Trường MN Cà Nàng",),
        )
    )

    v = make_values(122)
    rep = make_report(
        v,
        Style(),
        Layout(cols=("stt", "label", "unit", "qty", "note")),
        school_header(PGD, "TRƯỜNG MẦM NON CHIỀNG KHAY", "Chiềng Khay"),
    )
    out.append(
        Case(
            "MN Chieng Khay.xlsx",
            "one 'Số lượng' column: '2/45' in lớp/người rows",
            2,
            lambda r=rep: _book(r),
            v,
            ("Trường Mầm non Chiềng Khay",),
        )
    )

    v = make_values(123)
    notes = {
        "1": "đạt 100% kế hoạch",
        "1.9": dt.datetime(2021, 10, 12),
        "2": "12/10/2021",
        "6.1": "Ngày 15/10",
        "10.1": "chi 5.000.000đ in tài liệu",
        "8": "01 buổi, 35 người",
    }
    rep = make_report(
        v, Style(), Layout(notes=notes), school_header(PGD, "TRƯỜNG THCS NẬM ÉT", "Nậm Ét")
    )
    out.append(
        Case(
            "THCS Nam Et - Tuan le HTSD.xlsx",
            "notes with dates (real date cells and text), percentages and amounts",
            3,
            lambda r=rep: _book(r),
            v,
            ("Trường THCS Nậm Ét",),
        )
    )

    out.extend(cases_raw.raw_writers())
    return out


def _row_of(rep: Report, prefix: str) -> int:
    for i, row in enumerate(rep.table.rows):
        if any(isinstance(x, str) and x.startswith(prefix) for x in row):
            return i
    raise LookupError(prefix)
