"""The logical content of one report: header block, title, table rows, signature.

Turns a Variant into rows of six logical columns (STT, label, unit, count, people, note) with
every quirk applied; the xlsx and docx builders only place these rows in a file.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from mailbot.forms import Form, FormLine

from .model import Variant, detail_codes
from .text import CellSpec, count_cell, money_cell, nfd, tcvn3

STT, LABEL, UNIT, COUNT, PEOPLE, NOTE = range(6)
NCOLS = 6

HEADER_TOP = ["STT", "Các hoạt động", "Đơn vị", "Số lượng", "", "Ghi chú"]
HEADER_SUB = ["", "", "", "Số lớp/số cuộc thi", "Người", ""]
HEADER_SINGLE = ["STT", "Các hoạt động", "Đơn vị", "Số lớp/số cuộc thi", "Người", "Ghi chú"]
COLUMN_NUMBERS = ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"]

# The plan's own table text differs from the form's canonical labels in these places.
PLAN_UNITS = {"2": "Tin, bài/ cuộc", "3": "quyển/ tờ"}
PLAN_LABELS = {
    "4.1": "Số tập thể/ cá nhân tặng sách",
    "5": "Tổ chức các thi, các buổi tọa đàm về",
    "5.2": "Trung bày, triển lãm sách báo, tư liệu",
}
PLAN_CONTINUATION = {"5": "khuyến đọc, khuyến học và xây dựng xã hội học tập"}
PLAN_SHIFTED = {"1.13"}
ABBREVIATED = {
    "1.1": "Bồi dưỡng nâng cao trình độ chuyên môn nghiệp vụ cho CBCCVC (các cấp)",
    "1.2": "Bồi dưỡng nâng cao trình độ ngoại ngữ cho CBCCVC (các cấp)",
    "1.9": "BDTX cho giáo viên",
    "1.10": "Bồi dưỡng, tập huấn cho CBQL, báo cáo viên TTHTCĐ",
    "1.11": "Phổ cập giáo dục (TH, THCS)",
    "6.1": "Hoạt động TDTT",
}
TYPOS = {
    "1.3": "Bồi dưỡng nâng cao trình độ tin hoc cho cán bộ, công chức, viên chức (các cấp)",
    "1.7": "Giáo dục kĩ năng sống cho học sinh",
    "1.12": "Xoá mù chữ",
    "4.2": "Số sách đã huy động tặng các trường học,thư viện",
    "5.5": "Sinh hoạt chuyên đề học tập suốt đời, xây dựng xã hội học tâp",
    "6.3": "Tham quan, học tập tại bảo tàng, di tich lịch sử",
    "8": "Tổ chức hội thảo /sinh hoạt chuyên đề",
}
SUFFIX = {"count": "lớp", "people": "người"}


@dataclass
class Row:
    """One table row in logical columns; `shift` moves every cell one column to the left."""

    kind: str  # "head", "sub", "numbers", "line", "cont", "blank"
    cells: list[CellSpec]
    code: str | None = None
    slot_cells: dict[str, int] = field(default_factory=dict)
    shift: bool = False


@dataclass
class Frame:
    """Everything around the table: header block, title lines, signature block."""

    left: list[str]
    right: list[str]
    lines: list[str]
    title: list[str]
    narrative: list[str]
    sign_left: list[str]
    sign_right: list[str]


def text_cell(text: str) -> CellSpec:
    """A cell holding plain text."""
    return CellSpec(text=text) if text else CellSpec()


def encode(variant: Variant, text: str) -> str:
    """Apply the variant's text encoding quirk (NFD or TCVN3) to one string."""
    if variant.has("tcvn3"):
        return tcvn3(text)
    if variant.has("nfd"):
        return nfd(text)
    return text


def table_rows(variant: Variant, form: Form) -> list[Row]:
    """Every row of the table (header rows first) with all quirks applied."""
    rng = random.Random(variant.seed * 7919 + 1)
    rows = _header_rows(variant)
    lines = _ordered_lines(variant, form)
    stts = _stt_column(variant, lines)
    repeat_before = variant.params.get("repeat_before")
    blank_after = set(variant.params.get("blank_after", ()))
    for line, stt in zip(lines, stts, strict=True):
        if line.code is not None and line.code == repeat_before and line.stt:
            rows.extend(_header_rows(variant))
        rows.append(_line_row(variant, form, line, stt, rng))
        cont = PLAN_CONTINUATION.get(line.code or "")
        if cont and not variant.has("clean_template") and line.stt:
            rows.append(Row("cont", [CellSpec(), text_cell(cont)] + [CellSpec()] * 4, line.code))
        if line.code in blank_after:
            rows.append(Row("blank", [CellSpec() for _ in range(NCOLS)]))
    for row in rows:
        for cell in row.cells:
            if cell.text:
                cell.text = encode(variant, cell.text)
    return rows


def _header_rows(variant: Variant) -> list[Row]:
    if variant.has("single_header"):
        rows = [Row("head", [text_cell(t) for t in HEADER_SINGLE])]
    else:
        rows = [
            Row("head", [text_cell(t) for t in HEADER_TOP]),
            Row("sub", [text_cell(t) for t in HEADER_SUB]),
        ]
    if variant.has("column_numbers"):
        rows.append(Row("numbers", [text_cell(t) for t in COLUMN_NUMBERS]))
    return rows


def _ordered_lines(variant: Variant, form: Form) -> list[FormLine]:
    deleted = set(variant.params.get("deleted", ()))
    lines = [ln for ln in form.lines if ln.code is None or ln.code not in deleted]
    for a, b in variant.params.get("swaps", ()):
        ia = next(i for i, ln in enumerate(lines) if ln.code == a)
        ib = next(i for i, ln in enumerate(lines) if ln.code == b)
        lines[ia], lines[ib] = lines[ib], lines[ia]
    return lines


def _stt_column(variant: Variant, lines: list[FormLine]) -> list[str]:
    mode = variant.params.get("stt", "form")
    if variant.has("no_stt"):
        return ["" for _ in lines]
    out, top, sub = [], 0, 0
    for line in lines:
        if line.stt:
            top, sub = top + 1, 0
            out.append(str(top) if mode == "continuous" else line.stt)
        elif line.code == "1":  # row 1's second line ("Tổng số người") carries no number
            out.append("")
        else:
            sub += 1
            if mode == "dotted":
                out.append(f"{top}.{sub}")
            elif mode == "letters":
                out.append("abcdefghijklmnopq"[sub - 1])
            else:
                out.append("")
    return out


def _label(variant: Variant, line: FormLine) -> tuple[str, str]:
    code = line.code or ""
    label, unit = line.label, line.unit
    if line.code is None:  # headings carry their own unit-less label
        return label, ""
    if not variant.has("clean_template"):
        label = PLAN_LABELS.get(code, label)
        unit = PLAN_UNITS.get(code, unit)
    if line.code == "1" and not line.stt:
        return label, unit
    if variant.has("abbreviations") and code in ABBREVIATED:
        label = ABBREVIATED[code]
    if variant.has("typos") and code in TYPOS:
        label = TYPOS[code]
    if variant.has("label_bullets") and not line.stt:
        label = f"- {label}"
    if variant.has("multiline_labels") and len(label) > 45:
        cut = label.rfind(" ", 0, len(label) // 2 + 8)
        label = f"{label[:cut]}\n{label[cut + 1 :]}"
    return label, unit


def _line_row(variant: Variant, form: Form, line: FormLine, stt: str, rng: random.Random) -> Row:
    label, unit = _label(variant, line)
    cells = [text_cell(stt), text_cell(label), text_cell(unit)] + [CellSpec() for _ in range(3)]
    row = Row("line", cells, line.code)
    if line.code is None:
        return row
    _fill_values(variant, form, line, row, rng)
    note = variant.params.get("notes", {}).get(line.code)
    if note and (line.stt or line.code != "1"):
        cells[NOTE] = text_cell(note)
    row.shift = line.code in PLAN_SHIFTED and not variant.has("clean_template")
    return row


def _fill_values(
    variant: Variant, form: Form, line: FormLine, row: Row, rng: random.Random
) -> None:
    code = line.code or ""
    values = variant.values[code]
    if code in variant.params.get("deleted", ()):
        return
    native = variant.kind == "xlsx"
    counts = variant.params.get("count_styles", ("native",))
    zeros = variant.params.get("zero_styles", ("native",))
    monies = variant.params.get("money_styles", ("native",))
    formula = variant.has("formula_cached") or variant.has("formula_uncached")
    if formula and code.startswith("1.") and native:  # Excel's SUM skips numbers typed as text
        counts, zeros = ("native",), ("native",)
    if code in variant.params.get("combined", ()) and None not in values.values():
        row.cells[COUNT] = text_cell(f"{values['count']}/{values['people']}")
        row.slot_cells = {"count": COUNT, "people": COUNT}
        return
    single = len(line.slots) == 1
    for slot in line.slots:
        col = PEOPLE if slot == "people" else COUNT
        if single and code in variant.params.get("other_column", ()):
            col = COUNT if col == PEOPLE else PEOPLE
        value = values[slot]
        if slot == "text":
            cell = text_cell(value) if isinstance(value, str) else CellSpec()
        elif slot == "amount":
            style = variant.params.get("money_by_code", {}).get(code) or rng.choice(monies)
            cell = money_cell(value, style, native)
        else:
            styles = zeros if value == 0 else counts
            suffix = SUFFIX[slot] if code.startswith("1") else ""
            cell = count_cell(value, rng.choice(styles), suffix, native)
        cell = _formula(variant, form, code, slot, value, cell)
        if variant.has("number_formats") and cell.number is not None and not cell.number_format:
            cell.number_format = "00" if slot != "amount" and cell.number < 10 else "#,##0"
        if code in variant.params.get("tracked", ()) and value is not None and not cell.empty:
            cell.old = str(value + 1) if isinstance(value, int) else "..."
        row.cells[col] = cell
        row.slot_cells[slot] = col


def _formula(variant: Variant, form: Form, code: str, slot: str, value, cell: CellSpec) -> CellSpec:
    if code != "1" or variant.kind != "xlsx":
        return cell
    for quirk, cached in (("formula_cached", True), ("formula_uncached", False)):
        if variant.has(quirk):
            details = tuple(detail_codes("1", form))
            return CellSpec(number=value, sum_of=(slot, details), cached=cached)
    return cell


def frame(variant: Variant) -> Frame:
    """The header block, title and signature lines around the table, encoded as the variant."""
    unit, style = variant.unit, variant.header_style
    commune = unit.name.startswith("UBND")
    left, right, lines = [], [], []
    date = f"{unit.place}, ngày 12 tháng 10 năm 2021"
    if style == "two_column":
        left = [unit.parent, unit.name.upper(), "Số:     /BC-" + ("UBND" if commune else "Tr")]
        right = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", date]
    elif style == "single":
        lines = [unit.name.upper()]
    elif style == "don_vi":
        lines = [f"Đơn vị: {unit.name}"]
    title = ["BIỂU TỔNG HỢP", "Số liệu kết quả tổ chức tuần lễ học tập suốt đời năm 2021"]
    if variant.has("narrative"):
        title = ["Phụ lục 2", *title]
    boss = ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"] if commune else ["THỦ TRƯỞNG ĐƠN VỊ"]
    names = ("Nguyễn Văn An", "Lò Thị Hương", "Quàng Văn Bình", "Cầm Thị Lan")
    rng = random.Random(variant.seed)
    sign_left = ["Người lập biểu", "", rng.choice(names)]
    sign_right = ([] if style == "two_column" else [date]) + boss + ["", rng.choice(names)]
    narrative = _narrative(variant) if variant.has("narrative") else []
    enc = [[encode(variant, t) for t in block] for block in (left, right, lines, title)]
    enc += [[encode(variant, t) for t in block] for block in (narrative, sign_left, sign_right)]
    return Frame(*enc)


def _narrative(variant: Variant) -> list[str]:
    place = variant.unit.place
    return [
        "BÁO CÁO",
        "Tổng kết Tuần lễ học tập suốt đời năm 2021",
        "I. TỔ CHỨC TRIỂN KHAI TUẦN LỄ",
        "1. Công tác chỉ đạo, ban hành kế hoạch triển khai, kiểm tra, đôn đốc thực hiện.",
        f"Đơn vị đã ban hành Kế hoạch số 15/KH ngày 20/9/2021 triển khai Tuần lễ tại {place}.",
        "2. Lễ phát động Tuần lễ cấp huyện/xã: tổ chức lồng ghép ngày 01/10/2021, 120 người dự.",
        "3. Nội dung các hoạt động đã triển khai trong Tuần lễ: có 3 lớp học trực tuyến.",
        "4. Kinh phí tổ chức Tuần lễ: từ nguồn ngân sách nhà nước và xã hội hóa.",
        "II. ĐÁNH GIÁ CHUNG",
        "1. Những kết quả đã đạt được; bài học kinh nghiệm: các hoạt động được duy trì.",
        "2. Khó khăn, tồn tại: đường truyền mạng tại các bản còn yếu.",
        "3. Kiến nghị, đề xuất: không.",
        "4. Bảng tổng hợp số liệu các hoạt động tổ chức Tuần lễ (thống kê theo Mẫu tổng hợp).",
    ]
