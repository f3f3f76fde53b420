"""Second-round files that carry no filled Appendix 2: blank forms, narrative, pictures, others.

Owns: the negative cases. Each must be refused with a reason and never crash; a blank form too
(the lead's decision on issue 11: booking it would replace a unit's figures with blanks).
"""

from __future__ import annotations

import struct
import zlib

from tests.redteam2 import wordml as wm
from tests.redteam2.cases_excel import std_book, top
from tests.redteam2.cases_word import WIDTHS, _std_header, _std_rows
from tests.redteam2.common import Case
from tests.redteam2.form import empty_values
from tests.redteam2.sheetml import BOLD_CENTER, S, Sheet, xlsx
from tests.redteam2.wordml import c


def png(width: int = 120, height: int = 40) -> bytes:
    """A small valid PNG (grey stripes), like an e-mail signature logo."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    raw = b"".join(
        b"\x00" + bytes([(x * 7 + y * 3) % 256 for x in range(width)]) for y in range(height)
    )
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def blank_docx() -> bytes:
    """The plan's Appendix 2 as distributed: title and an unfilled table, no header block."""
    blocks = [wm.para("Phụ lục 2", bold=True)]
    blocks += [wm.para("BIỂU TỔNG HỢP", bold=True, center=True)]
    blocks += [wm.para("Số liệu kết quả tổ chức tuần lễ học tập suốt đời năm 2021", center=True)]
    blocks.append(wm.table(_std_header() + _std_rows(empty_values()), WIDTHS))
    return wm.docx(blocks)


def blank_xlsx() -> bytes:
    """A school's header filled in, the table left empty (sent before the figures were in)."""
    return xlsx([std_book(["PHÒNG GD&ĐT QUỲNH NHAI", "TRƯỜNG MẦM NON CHIỀNG ƠN"], empty_values())])


def appendix1_docx() -> bytes:
    """Appendix 1 narrative only, with figures in prose and a small money table."""
    text = [
        "UBND XÃ MƯỜNG CHIÊN",
        "BÁO CÁO",
        "Tổng kết Tuần lễ học tập suốt đời năm 2021",
        "I. TỔ CHỨC TRIỂN KHAI TUẦN LỄ",
        "1. Công tác chỉ đạo: UBND xã ban hành Kế hoạch số 45/KH-UBND ngày 01/10/2021.",
        "2. Lễ phát động Tuần lễ cấp xã: tổ chức ngày 05/10/2021 với 120 người tham dự.",
        "3. Nội dung các hoạt động: tổ chức 04 lớp bồi dưỡng với 135 học viên; 06 tin bài.",
        "4. Kinh phí tổ chức Tuần lễ",
    ]
    blocks = [wm.para(t) for t in text]
    money = [
        [c("Nguồn kinh phí", bold=True), c("Số tiền (đồng)", bold=True)],
        [c("Ngân sách nhà nước"), c("5.000.000")],
        [c("Ngân sách hỗ trợ, vận động từ doanh nghiệp"), c("2.000.000")],
    ]
    blocks.append(wm.table(money, [6000, 3000]))
    blocks += [wm.para(t) for t in ["II. ĐÁNH GIÁ CHUNG", "1. Những kết quả đã đạt được ..."]]
    return wm.docx(blocks, landscape=False)


def scanned_docx() -> bytes:
    """The signed and stamped form scanned and pasted as one picture."""
    blocks = [wm.para("Kính gửi Phòng GD&ĐT, trường gửi bản scan biểu tổng hợp."), wm.image_para()]
    return wm.docx(blocks, landscape=False, image=png(600, 300))


def pcgd_xlsx() -> bytes:
    """Another survey: literacy classes per village, with 'Số lớp', 'Số học viên', 'Xóa mù chữ'."""
    sh = Sheet("PCGD-XMC")
    r = top(
        sh,
        ["UBND HUYỆN QUỲNH NHAI", "UBND XÃ CHIỀNG BẰNG"],
        title=("THỐNG KÊ LỚP XÓA MÙ CHỮ, PHỔ CẬP GIÁO DỤC", "Năm học 2021 - 2022"),
    )
    for col, t in enumerate(["STT", "Thôn, bản", "Loại lớp", "Số lớp", "Số học viên", "Ghi chú"]):
        sh.put(r, col, S(t, BOLD_CENTER))
    data = [
        ("Bản Lọng Mường", "Xóa mù chữ", 1, 25),
        ("Bản Phiêng Bủng", "Xóa mù chữ", 1, 18),
        ("Bản Hua Bó", "Phổ cập giáo dục tiểu học", 2, 41),
        ("Bản Co Muông", "Sau xóa mù chữ", 1, 22),
    ]
    for i, (a, b, n, p) in enumerate(data, 1):
        for col, x in enumerate([i, a, b, n, p]):
            sh.put(r + i, col, x)
    sh.put(r + 5, 1, "Tổng cộng")
    sh.put(r + 5, 3, 5)
    sh.put(r + 5, 4, 106)
    return xlsx([sh])


def prizes_xlsx() -> bytes:
    """A list of individuals proposed for commendation (attached with the report)."""
    sh = Sheet("Khen thưởng")
    sh.put(0, 0, "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG TUẦN LỄ HỌC TẬP SUỐT ĐỜI NĂM 2021")
    heads = ["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Hình thức khen thưởng"]
    for col, t in enumerate(heads):
        sh.put(2, col, t)
    people = [
        ("Nguyễn Thị D", "Giáo viên", "Trường TH Mường Giàng", "Giấy khen"),
        ("Lò Văn E", "Trưởng bản", "Bản Lọng Mường", "Giấy khen"),
        ("Trần Văn G", "Tập thể", "Trường THCS Mường Giàng", "Giấy khen"),
    ]
    for i, row in enumerate(people, 1):
        for col, x in enumerate([i, *row]):
            sh.put(2 + i, col, x)
    return xlsx([sh])


def cases() -> list[Case]:
    """Every negative (and blank-form) case of the second round."""
    return [
        Case(
            "Phu luc 2 (mau).docx",
            "the blank form as distributed, sent back unfilled (refused: nothing filled)",
            3,
            blank_docx,
            None,
        ),
        Case(
            "MN Chieng On - bieu 2.xlsx",
            "header filled, table still empty (refused: nothing filled)",
            2,
            blank_xlsx,
            None,
        ),
        Case(
            "Phu luc 1 - xa Muong Chien.docx",
            "Appendix 1 only: figures in prose and a 2-column money table",
            4,
            appendix1_docx,
            None,
        ),
        Case("image001.png", "the sender's e-mail signature logo", 5, png, None),
        Case(
            "Bieu 2 (ban scan).docx",
            "the signed form scanned and pasted as a picture into Word",
            3,
            scanned_docx,
            None,
        ),
        Case(
            "Thong ke PCGD-XMC xa Chieng Bang.xlsx",
            "another survey (literacy classes per village) with similar words",
            2,
            pcgd_xlsx,
            None,
        ),
        Case(
            "Danh sach khen thuong.xlsx",
            "the commendation list attached beside the report",
            3,
            prizes_xlsx,
            None,
        ),
    ]
