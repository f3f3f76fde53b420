"""Attachments of everyday office mail: campaign reports and the many look-alikes around them.

Appendix 2 reports are the blank form (`mailbot blank-form`) filled via tests/redmail/forms.py,
so every expected value is exact. Everything else (Appendix 1 narratives, mid-term tables,
facility counts, adult-literacy tables, class lists, a pay sheet, a PDF, a photo, a calendar
invitation) is written here with openpyxl and python-docx. No product imports.
"""

from __future__ import annotations

import io

import openpyxl
from docx import Document

from tests.redmail import forms

Values = forms.Values

JPEG_STUB = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b"
    "0b0c1912130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e3334"
    "32ffc0000b080001000101011100ffc4001f0000010501010101010100000000000000000102030405060708"
    "090a0bffda0008010100003f00d2cf20ffd9"
)


def pdf_stub(title: str) -> bytes:
    """A one-page PDF as a scanner writes it (an image-only page, no text layer)."""
    body = (
        "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        f"4 0 obj<</Title({title})/Producer(Canon MF3010 ScanGear)>>endobj\n"
        "trailer<</Root 1 0 R/Info 4 0 R>>\n%%EOF\n"
    )
    return body.encode("latin-1", "replace")


def _xlsx(rows: list[list[object]], title: str = "Sheet1") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _docx(paragraphs: list[str], table: list[list[str]] | None = None, tail: str = "") -> bytes:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    if table:
        grid = doc.add_table(rows=len(table), cols=len(table[0]))
        grid.style = "Table Grid"
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    if tail:
        doc.add_paragraph(tail)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# --- campaign files ------------------------------------------------------------------------


def appendix2_xlsx(unit_name: str, values: Values, *, as_text: bool = False) -> bytes:
    """Appendix 2, the blank workbook filled for `unit_name`."""
    return forms.report_xlsx(unit_name, values, as_text=as_text)


def appendix2_docx(unit_name: str, values: Values) -> bytes:
    """Appendix 2 typed as a Word table."""
    return forms.report_docx(unit_name, values)


def appendix1_docx(unit_name: str, commune: str) -> bytes:
    """Appendix 1, the narrative report, with the plan's headings and no table."""
    return _docx(
        [
            unit_name.upper(),
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM — Độc lập - Tự do - Hạnh phúc",
            f"{commune}, ngày 11 tháng 10 năm 2021",
            "BÁO CÁO",
            "Tổng kết Tuần lễ học tập suốt đời năm 2021",
            "I. TỔ CHỨC TRIỂN KHAI TUẦN LỄ",
            "1. Công tác chỉ đạo, ban hành kế hoạch triển khai, kiểm tra, đôn đốc thực hiện.",
            "Nhà trường đã xây dựng kế hoạch số 45/KH-TH ngày 25/9/2021 và triển khai tới toàn "
            "thể cán bộ, giáo viên, nhân viên.",
            "2. Lễ phát động Tuần lễ cấp huyện/xã.",
            "Tham gia lễ phát động trực tuyến ngày 01/10/2021.",
            "3. Nội dung các hoạt động đã triển khai trong Tuần lễ",
            "Tuyên truyền trên trang Facebook của trường, treo 4 băng rôn; tổ chức 2 buổi sinh "
            "hoạt chuyên đề về chuyển đổi số cho giáo viên.",
            "4. Kinh phí tổ chức Tuần lễ",
            " - Ngân sách nhà nước: 2.500.000 đồng",
            " - Ngân sách hỗ trợ, vận động từ doanh nghiệp và các nguồn hợp pháp khác: không",
            "II. ĐÁNH GIÁ CHUNG",
            "1. Những kết quả đã đạt được; bài học kinh nghiệm",
            "2. Khó khăn, tồn tại: đường truyền Internet tại các điểm bản còn yếu.",
            "3. Kiến nghị, đề xuất: không.",
        ],
        tail="HIỆU TRƯỞNG",
    )


# --- everyday files that are not the campaign's ----------------------------------------------


def midterm_xlsx() -> bytes:
    """'Báo cáo sơ kết học kỳ I': a table of classes, pupils and results per grade."""
    return _xlsx(
        [
            ["SỞ GD&ĐT SƠN LA", None, None, None, None, None],
            ["TRƯỜNG THPT QUỲNH NHAI", None, None, None, None, None],
            ["BÁO CÁO SƠ KẾT HỌC KỲ I NĂM HỌC 2021-2022", None, None, None, None, None],
            ["STT", "Khối", "Số lớp", "Số học sinh", "Học lực khá, giỏi", "Tỷ lệ (%)"],
            [1, "Khối 10", 9, 362, 141, 38.95],
            [2, "Khối 11", 8, 331, 120, 36.25],
            [3, "Khối 12", 8, 305, 133, 43.61],
            [None, "Tổng cộng", 25, 998, 394, 39.48],
        ],
        "SoKet_HKI",
    )


def facilities_xlsx() -> bytes:
    """'Thống kê cơ sở vật chất': classrooms by kind, per school."""
    return _xlsx(
        [
            ["THỐNG KÊ CƠ SỞ VẬT CHẤT TRƯỜNG HỌC NĂM 2021"],
            ["STT", "Đơn vị", "Phòng học kiên cố", "Bán kiên cố", "Phòng tạm", "Nhà vệ sinh"],
            [1, "Trường MN Hoa Ban", 12, 3, 1, 4],
            [2, "Trường TH Kim Đồng", 18, 2, 0, 6],
            [3, "Trường THCS Lê Quý Đôn", 16, 0, 0, 5],
        ]
    )


def pay_sheet_xlsx() -> bytes:
    """Book1.xlsx from the school's accountant: October pay and allowances."""
    return _xlsx(
        [
            ["BẢNG THANH TOÁN TIỀN LƯƠNG VÀ PHỤ CẤP THÁNG 10/2021"],
            ["STT", "Họ và tên", "Hệ số lương", "PC thâm niên (%)", "PC ưu đãi (%)", "Thực lĩnh"],
            [1, "Lò Thị Hương", 3.66, 12, 70, 9_874_000],
            [2, "Cầm Văn Tuấn", 2.67, 6, 70, 6_902_000],
        ]
    )


def learners_xlsx() -> bytes:
    """'Danh sách học viên' of an evening computing class."""
    return _xlsx(
        [
            ["DANH SÁCH HỌC VIÊN LỚP TIN HỌC ỨNG DỤNG CƠ BẢN - KHÓA 3/2021"],
            ["STT", "Họ và tên", "Năm sinh", "Đơn vị công tác", "Số điện thoại"],
            [1, "Quàng Văn Nam", 1988, "UBND xã Mường Giàng", "0912 000 111"],
            [2, "Lường Thị Thu", 1992, "Trạm Y tế xã", "0912 000 222"],
            [3, "Tòng Văn Khoa", 1979, "Hạt Kiểm lâm", "0912 000 333"],
        ],
        "DS hoc vien",
    )


def sports_signup_xlsx() -> bytes:
    """Book1.xlsx: sign-up list for the union's sports day."""
    return _xlsx(
        [
            ["ĐĂNG KÝ THAM GIA HỘI THAO CÔNG ĐOÀN"],
            ["STT", "Họ tên", "Môn thi đấu", "Ghi chú"],
            [1, "Lò Văn Định", "Bóng chuyền hơi", ""],
            [2, "Điêu Thị Lan", "Kéo co", ""],
        ]
    )


def stray_numbers_xlsx() -> bytes:
    """Book1.xlsx from a school: a bare sheet of numbers with no heading or form labels."""
    return _xlsx([["Lớp", "Sĩ số", "Nữ", "Dân tộc"], ["6A", 32, 15, 30], ["6B", 31, 16, 29]])


def adult_literacy_docx() -> bytes:
    """A Word table 'Số lớp / Số học viên' of an adult-literacy programme (not Appendix 2)."""
    return _docx(
        [
            "HỘI KHUYẾN HỌC HUYỆN QUỲNH NHAI",
            "THỐNG KÊ LỚP XÓA MÙ CHỮ VÀ GIÁO DỤC TIẾP TỤC SAU BIẾT CHỮ NĂM 2021",
        ],
        [
            ["STT", "Chương trình", "Số lớp", "Số học viên", "Ghi chú"],
            ["1", "Xóa mù chữ giai đoạn 1", "6", "142", ""],
            ["2", "Xóa mù chữ giai đoạn 2", "4", "97", ""],
            ["3", "Giáo dục tiếp tục sau khi biết chữ", "2", "41", ""],
            ["", "Cộng", "12", "280", ""],
        ],
    )


def universalisation_docx() -> bytes:
    """'Báo cáo công tác phổ cập giáo dục' of another district, with its numbers."""
    return _docx(
        [
            "UBND HUYỆN THUẬN CHÂU — PHÒNG GIÁO DỤC VÀ ĐÀO TẠO",
            "BÁO CÁO Kết quả công tác phổ cập giáo dục, xóa mù chữ năm 2021",
            "1. Phổ cập giáo dục mầm non cho trẻ em 5 tuổi: 29/29 xã đạt chuẩn.",
            "2. Phổ cập giáo dục tiểu học: 29/29 xã đạt mức độ 2.",
            "3. Xóa mù chữ: 27/29 xã đạt chuẩn mức độ 2; mở 14 lớp với 356 học viên.",
        ],
        [
            ["Nội dung", "Số xã đạt", "Tỷ lệ (%)"],
            ["PCGD mầm non 5 tuổi", "29", "100"],
            ["PCGD tiểu học mức độ 2", "29", "100"],
            ["XMC mức độ 2", "27", "93,1"],
        ],
    )


def school_year_plan_docx() -> bytes:
    """'Kế hoạch năm học 2021-2022' from the provincial department."""
    return _docx(
        [
            "SỞ GIÁO DỤC VÀ ĐÀO TẠO SƠN LA",
            "KẾ HOẠCH Thực hiện nhiệm vụ năm học 2021-2022",
            "I. Nhiệm vụ chung",
            "II. Nhiệm vụ và giải pháp cụ thể",
            "III. Tổ chức thực hiện",
        ]
    )


def emulation_docx() -> bytes:
    """Document1.docx: the district's call for emulation and award files."""
    return _docx(
        [
            "UBND HUYỆN QUỲNH NHAI — PHÒNG NỘI VỤ",
            "THÔNG BÁO Về việc nộp hồ sơ đề nghị khen thưởng năm học 2020-2021",
            "Hồ sơ gồm: tờ trình, biên bản họp Hội đồng thi đua, báo cáo thành tích.",
        ]
    )


def cover_letter_docx(unit_name: str) -> bytes:
    """Document1.docx from a unit: a one-paragraph cover letter naming no campaign."""
    return _docx(
        [
            unit_name.upper(),
            "Kính gửi: Phòng Giáo dục và Đào tạo huyện Quỳnh Nhai",
            "Đơn vị xin gửi văn bản như đính kèm để Phòng tổng hợp. Trân trọng!",
        ]
    )


def calendar_ics(uid: str, summary: str, start: str, end: str, organizer: str) -> str:
    """A Google Calendar invitation (METHOD:REQUEST) as text."""
    return "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
            "VERSION:2.0",
            "CALSCALE:GREGORIAN",
            "METHOD:REQUEST",
            "BEGIN:VEVENT",
            f"DTSTART:{start}",
            f"DTEND:{end}",
            "DTSTAMP:20211008T013000Z",
            f"ORGANIZER;CN=Công đoàn ngành Giáo dục:mailto:{organizer}",
            f"UID:{uid}",
            "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=",
            " TRUE;CN=phonggd.quynhnhai@example.org;X-NUM-GUESTS=0:mailto:phonggd.quynhnha",
            " i@example.org",
            f"SUMMARY:{summary}",
            "LOCATION:Hội trường UBND huyện Quỳnh Nhai",
            "STATUS:CONFIRMED",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    )
