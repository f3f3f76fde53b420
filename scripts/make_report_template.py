"""Write templates/bao-cao-huyen.docx, the district report's Word template (issue 14).

Run once to (re)make the template; the office may then edit the .docx in Word: its Jinja tags
(`{{ … }}`, `{%p … %}`, `{%tr … %}`) are docxtpl's and the fields are listed in the README.
Presentation follows Nghị định 30/2020/NĐ-CP: Times New Roman, A4, margins 20/20/30/15 mm,
page numbers centred in the top margin from page 2, heading block and signature block.
Usage: python scripts/make_report_template.py [OUT.docx]
"""

from __future__ import annotations

import io
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

OUT = Path(__file__).resolve().parent.parent / "templates" / "bao-cao-huyen.docx"
FONT = "Times New Roman"
PART_I = [
    ("I.1", "1. Công tác chỉ đạo, ban hành kế hoạch triển khai, kiểm tra, đôn đốc thực hiện"),
    ("I.2", "2. Lễ phát động Tuần lễ cấp huyện/xã"),
    ("I.3", "3. Nội dung các hoạt động đã triển khai trong Tuần lễ"),
    ("I.4", "4. Kinh phí tổ chức Tuần lễ"),
]
PART_II = [
    ("II.1", "1. Những kết quả đã đạt được; bài học kinh nghiệm"),
    ("II.2", "2. Khó khăn, tồn tại"),
    ("II.3", "3. Kiến nghị, đề xuất"),
]


def para(doc, text="", *, bold=False, italic=False, align=None, size=14, indent=True):
    """A body paragraph in the document's font, first line indented like an official text."""
    p = doc.add_paragraph()
    if text:
        run = p.add_run(text)
        run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    fmt = p.paragraph_format
    fmt.space_after = Pt(3)
    if align is not None:
        p.alignment = align
    elif indent:
        fmt.first_line_indent = Mm(10)
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    return p


def cell_lines(cell, lines, size=13):
    """Fill a table cell with (text, bold, italic) lines, centred."""
    cell.paragraphs[0].text = ""
    for i, (text, bold, italic) in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(0)
        run = p.add_run(text)
        run.bold, run.italic, run.font.size = bold, italic, Pt(size)


def no_borders(table):
    """A layout table: no borders at all."""
    borders = "".join(
        f'<w:{s} w:val="nil"/>' for s in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    table._tbl.tblPr.append(parse_xml(f"<w:tblBorders {nsdecls('w')}>{borders}</w:tblBorders>"))


def set_widths(table, widths_mm):
    """Fixed column widths on every cell (Word and LibreOffice honour the cells, not the grid)."""
    table.autofit = False
    fixed = parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>')
    table._tbl.tblPr.append(fixed)
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths_mm, strict=True):
        col.w = Mm(width)
    for tr in table.rows:
        for cell, width in zip(tr.cells, widths_mm, strict=False):
            cell.width = Mm(width)


def grid_table(doc, header, widths_mm):
    """A bordered table with a bold header row."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text, width in zip(table.rows[0].cells, header, widths_mm, strict=True):
        cell.width = Mm(width)
        cell_lines(cell, [(text, True, False)], size=12)
    return table


def row(table, texts, size=12, bold=False, right=()):
    """Append a row of texts; columns in `right` (numbers) are right-aligned."""
    cells = table.add_row().cells
    for i, (cell, text) in enumerate(zip(cells, texts, strict=True)):
        run = cell.paragraphs[0].add_run(text)
        run.font.size, run.bold = Pt(size), bold
        if i in right:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return cells


def section_units(doc, code, between=None):
    """The lead sentence, `between` (the I.4 budget table), then what each unit wrote."""
    para(doc, "{%p if muc['" + code + "'].dan %}")
    para(doc, "{{ muc['" + code + "'].dan }}")
    para(doc, "{%p endif %}")
    if between is not None:
        between(doc)
    para(doc, "{%p for u in muc['" + code + "'].don_vi %}")
    p = para(doc)
    p.add_run("{{ u.ten }}:").bold = True
    para(doc, "{%p for d in u.doan %}")
    para(doc, "{{ d }}")
    para(doc, "{%p endfor %}")
    para(doc, "{%p endfor %}")


def heading_block(doc):
    """Cơ quan chủ quản/ban hành on the left, Quốc hiệu and Tiêu ngữ on the right."""
    table = doc.add_table(rows=1, cols=2)
    no_borders(table)
    set_widths(table, (70, 95))
    left, right = table.rows[0].cells
    cell_lines(
        left,
        [
            ("{{ co_quan_chu_quan }}", False, False),
            ("{{ co_quan }}", True, False),
            ("Số:       /BC-PGDĐT", False, False),
        ],
        size=12,
    )
    cell_lines(
        right,
        [
            ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False),
            ("Độc lập - Tự do - Hạnh phúc", True, False),
            ("{{ dia_danh_ngay }}", False, True),
        ],
        size=12,
    )


def page_setup(doc):
    """A4, official margins, Times New Roman, page numbers centred on top from page 2."""
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number._p.append(
        parse_xml(
            f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>2</w:t></w:r></w:fldSimple>'
        )
    )
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)


def main(out: Path = OUT) -> None:
    doc = docx.Document()
    # Fixed properties: making the template again gives the same file (a clean git diff).
    props = doc.core_properties
    props.author = props.last_modified_by = "mailbot"
    props.title = "Báo cáo tổng kết (mẫu)"
    props.created = props.modified = datetime(2021, 10, 1, tzinfo=UTC)
    props.revision = 1
    page_setup(doc)
    heading_block(doc)
    para(doc, "BÁO CÁO", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(doc, "Tổng kết {{ ten_chien_dich }}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(
        doc,
        "Thực hiện Kế hoạch tổ chức {{ ten_chien_dich }} của UBND huyện, {{ ten_co_quan }} "
        "tổng hợp báo cáo của {{ so_don_vi_bao_cao }}/{{ so_don_vi }} đơn vị như sau:",
    )
    para(doc, "I. TỔ CHỨC TRIỂN KHAI TUẦN LỄ", bold=True)
    for code, title in PART_I:
        para(doc, title, bold=True)
        section_units(doc, code, budget if code == "I.4" else None)
    para(doc, "II. ĐÁNH GIÁ CHUNG", bold=True)
    for code, title in PART_II:
        para(doc, title, bold=True)
        section_units(doc, code)
    para(doc, "4. Bảng tổng hợp số liệu các hoạt động tổ chức Tuần lễ", bold=True)
    official_table(doc)
    closing(doc)
    signature(doc)
    buf = io.BytesIO()
    doc.save(buf)
    out.write_bytes(_stable_zip(buf.getvalue()))


def _stable_zip(data: bytes) -> bytes:
    """The same zip with fixed member dates, so the file only changes when its content does."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            member = zipfile.ZipInfo(item.filename, date_time=(2021, 10, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(member, src.read(item.filename))
    return out.getvalue()


def budget(doc):
    """I.4: the budget by source and unit, with the district total."""
    header = ["Đơn vị", "Ngân sách nhà nước (đồng)", "Nguồn hợp pháp khác (đồng)", "Cộng (đồng)"]
    table = grid_table(doc, header, (70, 35, 35, 25))
    row(table, ["{%tr for k in kinh_phi.don_vi %}", "", "", ""])
    row(table, ["{{ k.ten }}", "{{ k.nsnn }}", "{{ k.khac }}", "{{ k.cong }}"], right=(1, 2, 3))
    row(table, ["{%tr endfor %}", "", "", ""])
    total = ["Toàn huyện", "{{ kinh_phi.nsnn }}", "{{ kinh_phi.khac }}", "{{ kinh_phi.cong }}"]
    row(table, total, bold=True, right=(1, 2, 3))
    set_widths(table, (65, 35, 35, 30))
    para(doc, "{%p for w in kinh_phi.canh_bao %}")
    para(doc, "Lưu ý: {{ w }}", italic=True)
    para(doc, "{%p endfor %}")


def official_table(doc):
    """II.4: the consolidated Appendix 2 in the official layout (one row per printed line)."""
    table = doc.add_table(rows=2, cols=6)
    table.style = "Table Grid"
    heads = ["STT", "Các hoạt động", "Đơn vị", "Số lượng", "", "Ghi chú"]
    widths = (13, 68, 22, 22, 20, 20)
    for i, (text, width) in enumerate(zip(heads, widths, strict=True)):
        table.rows[0].cells[i].width = Mm(width)
        if text:
            cell_lines(table.rows[0].cells[i], [(text, True, False)], size=12)
    for i, text in ((3, "Số lớp/số cuộc thi"), (4, "Người")):
        cell_lines(table.rows[1].cells[i], [(text, True, False)], size=12)
    table.cell(0, 3).merge(table.cell(0, 4))
    for i in (0, 1, 2, 5):
        table.cell(0, i).merge(table.cell(1, i))
    row(table, ["{%tr for r in bang %}", "", "", "", "", ""])
    fields = ("stt", "noi_dung", "don_vi_tinh", "so_luong", "nguoi", "ghi_chu")
    row(table, ["{{ r." + name + " }}" for name in fields], right=(3, 4))
    row(table, ["{%tr endfor %}", "", "", "", "", ""])
    set_widths(table, widths)


def closing(doc):
    """The units that have not reported, and those with one appendix missing."""
    para(doc, "III. ĐƠN VỊ CHƯA BÁO CÁO", bold=True)
    para(doc, "{%p if chua_bao_cao %}")
    para(doc, "Các đơn vị chưa gửi báo cáo: {{ chua_bao_cao|join(', ') }}.")
    para(doc, "{%p else %}")
    para(doc, "Tất cả các đơn vị đã gửi báo cáo.")
    para(doc, "{%p endif %}")
    para(doc, "{%p if chua_phu_luc_1 %}")
    para(doc, "Chưa gửi báo cáo Phụ lục 1: {{ chua_phu_luc_1|join(', ') }}.")
    para(doc, "{%p endif %}")
    para(doc, "{%p if chua_phu_luc_2 %}")
    para(doc, "Chưa gửi biểu Phụ lục 2: {{ chua_phu_luc_2|join(', ') }}.")
    para(doc, "{%p endif %}")
    para(doc, "Trên đây là báo cáo tổng kết {{ ten_chien_dich }} của {{ ten_co_quan }}./.")


def signature(doc):
    """Nơi nhận on the left, the signer's title on the right."""
    table = doc.add_table(rows=1, cols=2)
    no_borders(table)
    set_widths(table, (80, 85))
    left, right = table.rows[0].cells
    left.paragraphs[0].add_run("Nơi nhận:").bold = True
    for line in ("- UBND huyện (b/c);", "- Sở GD&ĐT (b/c);", "- Lưu: VT."):
        left.add_paragraph().add_run(line).font.size = Pt(11)
    cell_lines(right, [("TRƯỞNG PHÒNG", True, False), ("", False, False), ("", False, False)])


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
