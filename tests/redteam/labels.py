"""How clerks retype the form's labels: synonyms, no diacritics, capitals, wrapped lines.

Owns: label transforms (Line -> str) used by layouts. Pure.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from tests.redteam.form import Line
from tests.redteam.layout import nfd, strip_marks

# Wording a Vietnamese clerk retyping the table might use instead of the plan's (by code, or
# by STT for headings). Abbreviations as used in school and commune paperwork.
SYNONYMS: dict[str, str] = {
    "1": "Số lớp BD, tập huấn tổ chức trong Tuần lễ",
    "1+": "Tổng số người tham gia",
    "1.1": "BD nâng cao trình độ chuyên môn, nghiệp vụ cho CB, CC, VC",
    "1.2": "BD nâng cao trình độ ngoại ngữ cho CBCCVC",
    "1.3": "BD tin học cho CB, CC, VC các cấp",
    "1.4": "Nâng cao tay nghề cho CNLĐ",
    "1.5": "Dạy nghề cho LĐ nông thôn",
    "1.6": "Nâng cao trình độ văn hóa cho CBCC cấp xã, NLĐ trong KCN, KCX",
    "1.7": "Giáo dục KNS cho học sinh",
    "1.8": "Phổ biến kiến thức khoa học, pháp luật cho NLĐ",
    "1.9": "BDTX cho giáo viên",
    "1.10": "BD, tập huấn cho CBQL, báo cáo viên TTHTCĐ",
    "1.11": "PCGD tiểu học, THCS",
    "1.12": "Xóa mù chữ (XMC)",
    "1.13": "Các lớp BD, tập huấn khác",
    "2": "Số tin, bài viết về hoạt động Tuần lễ",
    "3": "Ấn phẩm thông tin: tờ rơi, áp phích, băng rôn, khẩu hiệu",
    "h4": "Phát động phong trào, quyên góp sách xây dựng tủ sách lớp học, thư viện trường học",
    "4.1": "Số tập thể, cá nhân tặng sách",
    "4.2": "Số sách huy động được tặng trường học, thư viện",
    "5": "Tổ chức các cuộc thi, tọa đàm về khuyến đọc, khuyến học, xây dựng XHHT",
    "5.1": "Hội sách, đường sách, phố sách",
    "5.2": "Trưng bày, triển lãm sách, báo, tư liệu",
    "5.3": "Thi tìm hiểu lịch sử, văn hóa địa phương tại bảo tàng, di tích",
    "5.4": "Thi về sách (xếp sách nghệ thuật, vẽ tranh theo sách, kể chuyện theo sách…)",
    "5.5": "Sinh hoạt chuyên đề về HTSĐ, xây dựng XHHT",
    "5.6": "Các cuộc thi khác",
    "6": "Tổ chức hoạt động văn nghệ, thể thao, tham quan, SHCĐ",
    "6.1": "Hoạt động TDTT",
    "6.2": "Hoạt động văn nghệ",
    "6.3": "Tham quan, học tập tại bảo tàng, di tích lịch sử",
    "h7": "Tổ chức Lễ khai mạc",
    "7.1": "Số trường tổ chức Lễ khai mạc Tuần lễ",
    "8": "Tổ chức hội thảo, sinh hoạt chuyên đề",
    "h9": "Khen thưởng",
    "9.1": "Tập thể",
    "9.2": "Cá nhân",
    "h10": "Kinh phí tổ chức Tuần lễ",
    "10.1": "Ngân sách nhà nước",
    "10.2": "Xã hội hóa, huy động từ các nguồn hợp pháp khác",
    "11": "Nội dung khác",
}


def key(line: Line) -> str:
    """The SYNONYMS key of a printed line."""
    if line.code is None:
        return f"h{line.stt}"
    if line.code == "1" and not line.stt:
        return "1+"
    return line.code


def synonyms(line: Line) -> str:
    """The clerk's own wording."""
    return SYNONYMS.get(key(line), line.label)


def no_marks(line: Line) -> str:
    """Typed without Vietnamese input: no diacritics at all."""
    return strip_marks(line.label)


def upper(line: Line) -> str:
    """Typed with Caps Lock on."""
    return line.label.upper()


def decomposed(line: Line) -> str:
    """Decomposed Unicode (NFD)."""
    return nfd(line.label)


def wrapped(width: int = 38) -> Callable[[Line], str]:
    """Line breaks inside the cell where Word wrapped the pasted text (Alt+Enter in Excel)."""

    def wrap(line: Line) -> str:
        return "\n".join(textwrap.wrap(line.label, width)) or line.label

    return wrap
