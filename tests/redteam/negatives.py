"""Files that must be refused: foreign forms, narrative only, csv, encrypted, empty, corrupt, pdf.

Owns: the negative red-team cases. Each must come back ok: false with a reason, never a crash.
"""

from __future__ import annotations

import io

from tests.redteam.common import Case, make_report, school_header
from tests.redteam.form import Style, make_values
from tests.redteam.layout import Layout, Report, Table
from tests.redteam.soffice import Job, result
from tests.redteam.wd import WordOptions, docx_bytes
from tests.redteam.xl import SheetModel, openpyxl_bytes, place

APPENDIX1_ONLY = [
    "BÁO CÁO",
    "Tổng kết Tuần lễ học tập suốt đời năm 2021",
    "(Kèm theo Kế hoạch số 98/KH-UBND ngày 25 tháng 9 năm 2021 của UBND huyện)",
    "I. TỔ CHỨC TRIỂN KHAI TUẦN LỄ",
    "1. Công tác chỉ đạo: Nhà trường xây dựng kế hoạch, phân công nhiệm vụ.",
    "3. Nội dung các hoạt động: tổ chức 04 lớp bồi dưỡng với 132 người tham gia; 02 cuộc thi.",
    "4. Kinh phí tổ chức Tuần lễ",
    " - Ngân sách nhà nước: 2.500.000 đồng",
    "II. ĐÁNH GIÁ CHUNG",
    "4. Bảng tổng hợp số liệu các hoạt động tổ chức Tuần lễ (thống kê theo Mẫu tổng hợp): "
    "gửi kèm sau.",
]


def _appendix1_docx() -> bytes:
    rep = Report(
        header=school_header("PHÒNG GD&ĐT QUỲNH NHAI", "TRƯỜNG TIỂU HỌC CÀ NÀNG", "Cà Nàng"),
        title=APPENDIX1_ONLY,
        table=Table(rows=[["Nơi nhận:", "HIỆU TRƯỞNG"], ["- Phòng GD&ĐT;", ""]], header_rows=0),
        after=[],
    )
    return docx_bytes(rep, WordOptions())


def _school_stats() -> bytes:
    """A school statistics table with the same words (Số lớp, người, Ghi chú) but another form."""
    sheet = SheetModel("Thống kê")
    rows = [
        ["PHÒNG GD&ĐT QUỲNH NHAI"],
        ["TRƯỜNG TIỂU HỌC MƯỜNG GIÀNG"],
        [],
        ["BIỂU THỐNG KÊ SỐ LỚP, SỐ HỌC SINH NĂM HỌC 2021-2022"],
        [],
        ["STT", "Khối lớp", "Đơn vị", "Số lớp", "Số học sinh", "Ghi chú"],
        [1, "Khối 1", "lớp/người", 4, 112, ""],
        [2, "Khối 2", "lớp/người", 4, 105, ""],
        [3, "Khối 3", "lớp/người", 3, 98, ""],
        [4, "Khối 4", "lớp/người", 3, 90, "Có 01 lớp ghép"],
        [5, "Khối 5", "lớp/người", 3, 87, ""],
        ["", "Tổng số người tham gia học bán trú", "người", "", 320, ""],
        ["", "Cộng", "", 17, 492, ""],
    ]
    for r, row in enumerate(rows):
        for c, x in enumerate(row):
            if x not in ("", None):
                sheet.cells[(r, c)] = x
    return openpyxl_bytes([sheet])


def _csv() -> bytes:
    text = (
        "STT,Họ và tên,Lớp bồi dưỡng,Số người,Ghi chú\r\n"
        "1,Học viên A,Bồi dưỡng thường xuyên cho giáo viên,1,\r\n"
        "2,Học viên B,Tin học cho cán bộ,1,\r\n"
    )
    return "\ufeff".encode() + text.encode("utf-8")  # Excel's "CSV UTF-8" starts with a BOM


def _encrypted() -> bytes:
    import msoffcrypto.format.ooxml as ooxml

    v = make_values(401)
    rep = make_report(
        v,
        Style(),
        Layout(),
        school_header("PHÒNG GD&ĐT QUỲNH NHAI", "TRƯỜNG THCS MƯỜNG GIÔN", "Mường Giôn"),
    )
    plain = openpyxl_bytes([place(rep)])
    out = io.BytesIO()
    ooxml.OOXMLFile(io.BytesIO(plain)).encrypt("123456", out)
    return out.getvalue()


def _truncated() -> bytes:
    v = make_values(402)
    rep = make_report(
        v,
        Style(),
        Layout(),
        school_header("PHÒNG GD&ĐT QUỲNH NHAI", "TRƯỜNG MẦM NON CHIỀNG KHOANG", "Chiềng Khoang"),
    )
    data = docx_bytes(rep)
    return data[: len(data) // 2]  # the mail client cut the attachment off


def _pdf_job() -> Job:
    v = make_values(403)
    rep = make_report(
        v,
        Style(),
        Layout(),
        school_header("PHÒNG GD&ĐT QUỲNH NHAI", "TRƯỜNG TIỂU HỌC CHIỀNG KHOANG", "Chiềng Khoang"),
    )
    return Job(docx_bytes(rep), "docx", "pdf:writer_pdf_Export", "pdf")


def cases() -> list[Case]:
    """Every negative case."""
    pdf = _pdf_job()
    return [
        Case(
            "Phu luc 1 - TH Ca Nang.docx",
            "Appendix 1 (narrative) only, numbers in prose",
            4,
            _appendix1_docx,
            None,
        ),
        Case(
            "Thong ke hoc sinh TH Muong Giang.xlsx",
            "another form: class and pupil statistics with similar words",
            3,
            _school_stats,
            None,
        ),
        Case("danh sach hoc vien.csv", "a CSV (UTF-8 with BOM) class roster", 2, _csv, None),
        Case(
            "Bieu 2 (mat khau).xlsx",
            "workbook protected with a password to open",
            2,
            _encrypted,
            None,
        ),
        Case("bieu tong hop.xlsx", "empty attachment (0 bytes)", 2, lambda: b"", None),
        Case(
            "MN Chieng Khoang.docx",
            "attachment cut off in the middle (corrupt zip)",
            2,
            _truncated,
            None,
        ),
        Case(
            "TH Chieng Khoang.pdf",
            "the filled form exported to PDF",
            4,
            lambda j=pdf: result(j),
            None,
            jobs=[pdf],
        ),
    ]
