"""Appendix 1 narratives made by code: known content per section, headings written many ways.

`contents(unit)` gives each section's expected text for a unit; `paragraphs(...)` lays a
narrative out with one heading style; `narrative_docx(...)` writes it as a Word file (bold
headings, letterhead, signature block), optionally in front of an Appendix 2 table.
"""

from __future__ import annotations

import io

import docx

# The plan's own headings (Phụ lục 1), clerks' rewordings, and numbering styles.
PLAN = {
    "I.1": "1. Công tác chỉ đạo, ban hành kế hoạch triển khai, kiểm tra, đôn đốc thực hiện.",
    "I.2": "2. Lễ phát động Tuần lễ cấp huyện/xã.",
    "I.3": "3. Nội dung các hoạt động đã triển khai trong Tuần lễ",
    "I.4": "4. Kinh phí tổ chức Tuần lễ",
    "II.1": "1. Những kết quả đã đạt được; bài học kinh nghiệm",
    "II.2": "2. Khó khăn, tồn tại",
    "II.3": "3. Kiến nghị, đề xuất",
}
REWORDED = {
    "I.1": "a) Công tác chỉ đạo, ban hành kế hoạch",
    "I.2": "b) Tổ chức lễ phát động",
    "I.3": "c) Các hoạt động đã triển khai",
    "I.4": "d) Kinh phí thực hiện",
    "II.1": "1- Kết quả đạt được và bài học kinh nghiệm",
    "II.2": "2- Tồn tại, hạn chế",
    "II.3": "3- Đề xuất, kiến nghị",
}
# Bold lines with no numbering at all, in another order (II.2 before II.1).
BOLD = {
    "I.1": "Công tác chỉ đạo",
    "I.2": "Lễ phát động Tuần lễ",
    "I.3": "Nội dung các hoạt động",
    "I.4": "Kinh phí",
    "II.2": "Khó khăn, tồn tại",
    "II.1": "Kết quả đạt được",
    "II.3": "Kiến nghị",
}
STYLES = {"plan": PLAN, "reworded": REWORDED, "bold": BOLD}
PARTS = {"I": "I. TỔ CHỨC TRIỂN KHAI TUẦN LỄ", "II": "II. ĐÁNH GIÁ CHUNG"}


def contents(unit: str, state: int = 15_000_000, other: int = 2_500_000) -> dict[str, list[str]]:
    """Each section's paragraphs for `unit`, unique to the unit and the section."""
    return {
        "I.1": [f"{unit} ban hành Kế hoạch số 45/KH-UBND về Tuần lễ.", "Kiểm tra 3 thôn bản."],
        "I.2": [f"{unit} tổ chức lễ phát động ngày 01/10/2021 với 120 người tham dự."],
        "I.3": [f"{unit} mở lớp tập huấn chuyển đổi số cho nhân dân."],
        "I.4": [
            f"- Ngân sách nhà nước: {_vn(state)} đồng",
            f"- Vận động, hỗ trợ từ doanh nghiệp: {_vn(other)} đồng",
        ],
        "II.1": [f"{unit} huy động được đông đảo nhân dân; bài học: phối hợp chặt chẽ."],
        "II.2": [f"{unit} gặp mưa lũ kéo dài, đường sá khó đi."],
        "II.3": [f"{unit} đề nghị cấp thêm tài liệu tuyên truyền."],
    }


def _vn(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def paragraphs(unit: str, style: str = "plan", body: dict[str, list[str]] | None = None):
    """(text, bold) paragraphs of a whole narrative: letterhead, title, sections, signature."""
    body = body or contents(unit)
    headings = STYLES[style]
    out: list[tuple[str, bool]] = [
        (unit.upper(), True),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True),
        ("Độc lập - Tự do - Hạnh phúc", True),
        ("BÁO CÁO", True),
        ("Tổng kết Tuần lễ học tập suốt đời năm 2021", True),
    ]
    part = None
    for code, heading in headings.items():
        if style != "bold" and code.split(".")[0] != part:
            part = code.split(".")[0]
            out.append((PARTS[part], True))
        out.append((heading, True))
        out += [(p, False) for p in body[code]]
    out += [("Nơi nhận:", True), ("- Phòng GD&ĐT huyện;", False), ("TM. ỦY BAN NHÂN DÂN", True)]
    out += [("CHỦ TỊCH", True), ("Lò Văn A", True)]
    return out


def narrative_docx(
    paras: list[tuple[str, bool]],
    table_docx: bytes | None = None,
    letterhead_table: bool = False,
) -> bytes:
    """A Word file of these paragraphs; in front of the table file's body when given.

    `letterhead_table` lays the first three lines out as Word does a letterhead: a borderless
    two-column table (unit left, Quốc hiệu and Tiêu ngữ right), not as paragraphs.
    """
    document = docx.Document(io.BytesIO(table_docx)) if table_docx else docx.Document()
    body = document.element.body
    first = body[0] if table_docx else None
    if letterhead_table:
        (unit, _), (nation, _), (motto, _) = paras[:3]
        paras = paras[3:]
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = unit, nation
        table.cell(1, 1).text = motto
        if first is not None:
            first.addprevious(table._tbl)
    for text, bold in paras:
        paragraph = document.add_paragraph()
        paragraph.add_run(text).bold = bold
        if first is not None:  # add_paragraph appends; move it in front of the table
            first.addprevious(paragraph._p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def body_text(unit: str, style: str = "plan") -> str:
    """The narrative typed in a mail body: greeting, sections, no signature block."""
    lines = ["Kính gửi Phòng GD&ĐT huyện Quỳnh Nhai,", ""]
    for text, _ in paragraphs(unit, style)[5:-5]:
        lines.append(text)
    return "\n".join([*lines, "", "Trân trọng."])
