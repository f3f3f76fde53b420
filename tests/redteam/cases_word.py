"""Red-team Word documents and LibreOffice-written files a clerk could send.

Owns: the .docx/.doc/.odt cases and the LibreOffice-made spreadsheets (.xlsx/.xls/.ods), with
exact expected values. Builders return bytes; LibreOffice conversions are declared as jobs.
"""

from __future__ import annotations

from tests.redteam import labels
from tests.redteam.common import SIGN_COMMUNE, Case, make_report, school_header
from tests.redteam.form import Style, make_values
from tests.redteam.layout import Layout, Table
from tests.redteam.soffice import Job, result
from tests.redteam.wd import WordOptions, docx_bytes, python_docx_bytes
from tests.redteam.xl import openpyxl_bytes, place

PGD = "PHÒNG GD&ĐT QUỲNH NHAI"
UBND_H = "UBND HUYỆN QUỲNH NHAI"

APPENDIX1 = [
    "BÁO CÁO",
    "Tổng kết Tuần lễ học tập suốt đời năm 2021",
    "I. TỔ CHỨC TRIỂN KHAI TUẦN LỄ",
    "1. Công tác chỉ đạo, ban hành kế hoạch triển khai, kiểm tra, đôn đốc thực hiện: UBND xã ban "
    "hành Kế hoạch số 112/KH-UBND ngày 28/9/2021.",
    "2. Lễ phát động Tuần lễ cấp xã: tổ chức ngày 01/10/2021 với 120 người tham dự.",
    "3. Nội dung các hoạt động đã triển khai trong Tuần lễ: mở 03 lớp bồi dưỡng, 02 cuộc thi.",
    "4. Kinh phí tổ chức Tuần lễ",
    " - Ngân sách nhà nước: 3.000.000 đồng",
    " - Ngân sách hỗ trợ, vận động từ doanh nghiệp và các nguồn hợp pháp khác: không",
    "II. ĐÁNH GIÁ CHUNG",
    "1. Những kết quả đã đạt được; bài học kinh nghiệm",
    "2. Khó khăn, tồn tại: địa bàn rộng, giao thông khó khăn.",
    "3. Kiến nghị, đề xuất: không.",
    "4. Bảng tổng hợp số liệu các hoạt động tổ chức Tuần lễ (thống kê theo Mẫu tổng hợp).",
]

CLASS_LIST = Table(
    rows=[
        ["STT", "Tên lớp", "Số lớp", "Số người", "Địa điểm"],
        [1, "Tập huấn kỹ thuật trồng cà phê", 1, 35, "Bản Phiêng Lanh"],
        [2, "Phổ biến pháp luật về đất đai", 2, 80, "Nhà văn hóa bản"],
        [3, "Bồi dưỡng tin học văn phòng", 1, 18, "Trụ sở UBND xã"],
    ],
    header_rows=1,
)


def cases() -> list[Case]:
    """Every Word and LibreOffice case."""
    out: list[Case] = []

    v = make_values(201)
    rep = make_report(
        v,
        Style(money="dots"),
        Layout(vmerge_code1=True),
        school_header(PGD, "TRƯỜNG TIỂU HỌC CÀ NÀNG", "Cà Nàng"),
    )
    word = docx_bytes(rep, WordOptions())
    out.append(
        Case(
            "TH Ca Nang - Phu luc 2.docx",
            "Word: header table, the form's table with merged headers",
            5,
            lambda: word,
            v,
            ("Trường Tiểu học Cà Nàng",),
        )
    )

    v = make_values(202)
    rep = make_report(
        v,
        Style(num="text"),
        Layout(),
        school_header(PGD, "TRƯỜNG MẦM NON MƯỜNG CHIÊN", "Mường Chiên"),
    )
    out.append(
        Case(
            "MN Muong Chien.docx",
            "python-docx plain API: add_table, cell.merge, cell.text",
            3,
            lambda rep=rep: python_docx_bytes(rep),
            v,
            ("Trường Mầm non Mường Chiên",),
        )
    )

    v = make_values(203)
    rep = make_report(
        v,
        Style(money="dots_d"),
        Layout(),
        school_header(UBND_H, "UBND XÃ MƯỜNG GIÀNG", "Mường Giàng"),
        after=SIGN_COMMUNE,
    )
    opts = WordOptions(before=[*APPENDIX1, CLASS_LIST, "Phụ lục 2"])
    out.append(
        Case(
            "Bao cao TLHTSD 2021 - xa Muong Giang.docx",
            "whole report: Appendix 1 narrative and a class-list table before the Appendix 2 table",
            4,
            lambda rep=rep, opts=opts: docx_bytes(rep, opts),
            v,
            ("UBND xã Mường Giàng", "Ủy ban nhân dân xã Mường Giàng"),
        )
    )

    v = make_values(204)
    rep = make_report(v, Style(), Layout(), school_header(PGD, "TRƯỜNG THCS CÀ NÀNG", "Cà Nàng"))
    out.append(
        Case(
            "THCS Ca Nang.docx",
            "header block in the Word page header, not the body",
            2,
            lambda rep=rep: docx_bytes(rep, WordOptions(header_in_page_header=True)),
            v,
            ("Trường THCS Cà Nàng",),
        )
    )

    v = make_values(205)
    v["4.2"]["count"] = 12
    v["3"]["count"] = 35
    rep = make_report(
        v,
        Style(num="text"),
        Layout(),
        school_header(PGD, "TRƯỜNG TIỂU HỌC MƯỜNG GIÔN", "Mường Giôn"),
    )
    opts = WordOptions(
        split_runs=True,
        empty_paras=True,
        proof_marks=True,
        footnotes={
            "Bồi dưỡng thường xuyên": "Theo Thông tư 17/2019/TT-BGDĐT",
            "Số sách đã huy động": "Tính cả sách giáo khoa cũ",
        },
    )
    out.append(
        Case(
            "TH Muong Gion.docx",
            "Word after editing: numbers split over runs, empty paragraphs, footnotes, proofing",
            4,
            lambda rep=rep, opts=opts: docx_bytes(rep, opts),
            v,
            ("Trường Tiểu học Mường Giôn",),
        )
    )

    v = make_values(206)
    rep = make_report(
        v,
        Style(),
        Layout(label=labels.wrapped(45)),
        school_header(PGD, "TRƯỜNG THCS MƯỜNG CHIÊN", "Mường Chiên"),
    )
    out.append(
        Case(
            "THCS Muong Chien.docx",
            "table pasted from a PDF: w:gridBefore on every row, <w:br/> in labels",
            2,
            lambda rep=rep: docx_bytes(rep, WordOptions(grid_before=1, line_breaks="br")),
            v,
            ("Trường THCS Mường Chiên",),
        )
    )

    v = make_values(207)
    rep = make_report(
        v,
        Style(),
        Layout(),
        school_header(UBND_H, "UBND XÃ CHIỀNG ƠN", "Chiềng Ơn"),
        after=SIGN_COMMUNE,
    )
    out.append(
        Case(
            "UBND xa Chieng On.docx",
            "table broken in two across a page (second part has no header)",
            3,
            lambda rep=rep: docx_bytes(rep, WordOptions(split_table_after=17)),
            v,
            ("UBND xã Chiềng Ơn", "Ủy ban nhân dân xã Chiềng Ơn"),
        )
    )

    v = make_values(208)
    rep = make_report(
        v,
        Style(num="unit"),
        Layout(cols=("stt", "label", "qty", "note")),
        school_header(PGD, "TRƯỜNG MẦM NON MƯỜNG GIÀNG", "Mường Giàng"),
    )
    out.append(
        Case(
            "MN Muong Giang.docx",
            "one 'Số lượng' column, '2 lớp/45 người' in a cell, no unit column",
            2,
            lambda rep=rep: docx_bytes(rep),
            v,
            ("Trường Mầm non Mường Giàng",),
        )
    )

    v = make_values(209)
    rep = make_report(
        v,
        Style(),
        Layout(label=labels.synonyms),
        [
            ("PHÒNG GD&ĐT QUỲNH NHAI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
            ("Trường PTDTBT THCS Chiềng Khoang", "Độc lập - Tự do - Hạnh phúc"),
        ],
    )
    out.append(
        Case(
            "PTDTBT THCS Chieng Khoang.docx",
            "Title-case unit line, labels in the clerk's own words",
            3,
            lambda rep=rep: docx_bytes(rep, WordOptions(header_as_table=False)),
            v,
            ("Trường PTDTBT THCS Chiềng Khoang",),
        )
    )

    out.extend(_libreoffice())
    return out


def _libreoffice() -> list[Case]:
    out = []
    calc = "xlsx:Calc MS Excel 2007 XML"

    def via(data: bytes, src: str, target: str, ext: str) -> Job:
        return Job(data, src, target, ext)

    v = make_values(301)
    rep = make_report(
        v,
        Style(),
        Layout(sum_formulas=True),
        school_header(PGD, "TRƯỜNG TIỂU HỌC NẬM ÉT", "Nậm Ét"),
    )
    job = via(openpyxl_bytes([place(rep)]), "xlsx", calc, "xlsx")
    out.append(
        Case(
            "TH Nam Et (LibreOffice).xlsx",
            "LibreOffice Calc saved as .xlsx, SUM formulas in row 1",
            3,
            lambda j=job: result(j),
            v,
            ("Trường Tiểu học Nậm Ét",),
            jobs=[job],
        )
    )

    v = make_values(302)
    rep = make_report(
        v,
        Style(num="text", money="dots"),
        Layout(row5_split=True),
        school_header(UBND_H, "UBND XÃ CÀ NÀNG", "Cà Nàng"),
        after=SIGN_COMMUNE,
    )
    job = via(openpyxl_bytes([place(rep)]), "xlsx", "xls:MS Excel 97", "xls")
    out.append(
        Case(
            "Cà Nàng - Phụ lục 2.xls",
            "Excel 97-2003 .xls (as older offices save by default)",
            4,
            lambda j=job: result(j),
            v,
            ("UBND xã Cà Nàng", "Ủy ban nhân dân xã Cà Nàng"),
            jobs=[job],
        )
    )

    v = make_values(303)
    rep = make_report(
        v, Style(), Layout(), school_header(PGD, "TRƯỜNG THCS CHIỀNG KHOANG", "Chiềng Khoang")
    )
    job = via(openpyxl_bytes([place(rep)]), "xlsx", "ods", "ods")
    out.append(
        Case(
            "THCS Chieng Khoang.ods",
            "LibreOffice's own format (.ods)",
            1,
            lambda j=job: result(j),
            v,
            ("Trường THCS Chiềng Khoang",),
            jobs=[job],
        )
    )

    v = make_values(304)
    rep = make_report(
        v,
        Style(money="dots"),
        Layout(label=labels.wrapped(60)),
        school_header(PGD, "TRƯỜNG MẦM NON PÁ MA PHA KHINH", "Pá Ma Pha Khinh"),
    )
    job = via(
        docx_bytes(rep, WordOptions(line_breaks="br")), "docx", "docx:MS Word 2007 XML", "docx"
    )
    out.append(
        Case(
            "MN Pa Ma Pha Khinh (Writer).docx",
            "LibreOffice Writer saved as .docx",
            3,
            lambda j=job: result(j),
            v,
            ("Trường Mầm non Pá Ma Pha Khinh",),
            jobs=[job],
        )
    )

    v = make_values(305)
    rep = make_report(
        v,
        Style(num="padded"),
        Layout(vmerge_code1=True),
        school_header(UBND_H, "UBND XÃ MƯỜNG SẠI", "Mường Sại"),
        after=SIGN_COMMUNE,
    )
    job = via(docx_bytes(rep), "docx", "doc:MS Word 97", "doc")
    out.append(
        Case(
            "Muong Sai - bao cao tuan le.doc",
            "Word 97-2003 .doc",
            4,
            lambda j=job: result(j),
            v,
            ("UBND xã Mường Sại", "Ủy ban nhân dân xã Mường Sại"),
            jobs=[job],
        )
    )

    v = make_values(306)
    rep = make_report(
        v, Style(), Layout(), school_header(PGD, "TRƯỜNG TIỂU HỌC CHIỀNG ƠN", "Chiềng Ơn")
    )
    job = via(docx_bytes(rep), "docx", "odt", "odt")
    out.append(
        Case(
            "TH Chieng On.odt",
            "LibreOffice Writer's own format (.odt)",
            1,
            lambda j=job: result(j),
            v,
            ("Trường Tiểu học Chiềng Ơn",),
            jobs=[job],
        )
    )
    return out
