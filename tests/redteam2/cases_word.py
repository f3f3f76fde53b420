"""Second-round Word cases: tab-typed tables, grouped cells, split rows, fields, WPS, money words.

Owns: the .docx cases (and the .doc made from them by LibreOffice) with exact expected values.
Every builder is pure; conversions are declared on the Case and run by `prepare()`.
"""

from __future__ import annotations

import copy

from tests.redteam2 import wordml as wm
from tests.redteam2.common import Case, dotted, plain, rows
from tests.redteam2.form import LINES, SUB1, TEXT_11, Line, Values, make_values
from tests.redteam2.wordml import C, c

NATION = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "-----o0o-----"]
TITLE = ["BIỂU TỔNG HỢP", "Số liệu kết quả tổ chức tuần lễ học tập suốt đời năm 2021"]
SIGN = ["NGƯỜI LẬP BIỂU\tHIỆU TRƯỞNG", "", "", "Nguyễn Văn A\tTrần Thị B"]
WIDTHS = [700, 6200, 1500, 1600, 1400, 1800]


def _top(left: list[str], date: str = "Quỳnh Nhai, ngày 14 tháng 10 năm 2021") -> list[str]:
    """Header block table, a date line, the title and an empty paragraph."""
    blocks = [wm.header_table(left, [*NATION[:2], ""]), wm.para(date)]
    blocks += [wm.para(t, bold=True, center=True) for t in TITLE]
    return [*blocks, wm.para()]


def _std_header(
    label: str = "Các hoạt động",
    unit: str = "Đơn vị",
    sub: tuple[str, str] = ("Số lớp/số cuộc thi", "Người"),
    note: bool = True,
) -> list[list[C]]:
    r1 = [c("STT", vmerge="restart", bold=True), c(label, vmerge="restart", bold=True)]
    r1 += [c(unit, vmerge="restart", bold=True), c("Số lượng", span=2, bold=True)]
    r2 = [c(vmerge="continue") for _ in range(3)] + [c(sub[0], bold=True), c(sub[1], bold=True)]
    if note:
        r1.append(c("Ghi chú", vmerge="restart", bold=True))
        r2.append(c(vmerge="continue"))
    return [r1, r2]


def _std_rows(values: Values, fmt=plain, skip: set[str] = frozenset()) -> list[list[C]]:
    return [[c(str(x)) for x in cells] for _, cells in rows(values, fmt, skip=skip)]


def _sign() -> list[str]:
    return [wm.para(), *[wm.para(t, tabs=[2000, 9000]) for t in SIGN]]


def _std_doc(left: list[str], values: Values, fmt=plain, **kw) -> bytes:
    body = [*_top(left), wm.table(_std_header() + _std_rows(values, fmt), WIDTHS), *_sign()]
    return wm.docx(body, **kw)


# --- W1: the table typed as tab-separated paragraphs -------------------------------------


def tabs_doc(values: Values) -> bytes:
    """Paragraphs with tab stops instead of a table, like the plan's own text."""
    stops = [700, 7000, 8600, 10200, 11800]
    lines = ["STT\tCác hoạt động\tĐơn vị\tSố lượng\t\tGhi chú", "\t\t\tSố lớp/số cuộc thi\tNgười"]
    for _, cells in rows(values):
        lines.append("\t".join(str(x) for x in cells).rstrip("\t"))
    body = _top(["PHÒNG GD&ĐT QUỲNH NHAI", "TRƯỜNG TIỂU HỌC MƯỜNG GIÀNG"])
    body += [wm.para(t, tabs=stops) for t in lines] + _sign()
    return wm.docx(body)


# --- W2: each group of rows in ONE row, lines in one cell ---------------------------------


def _groups() -> list[list[Line]]:
    out: list[list[Line]] = []
    for ln in LINES:
        if ln.stt:
            out.append([ln])
        else:
            out[-1].append(ln)
    return out


def grouped_doc(values: Values, left: list[str], sep: str) -> bytes:
    """Sub-rows typed as lines of the group's cells ('\\r' paragraphs or '\\n' line breaks)."""
    table = _std_header()
    by_line = dict((id(ln), cells) for ln, cells in rows(values))
    for group in _groups():
        cols: list[list[str]] = [[], [], [], [], [], []]
        for i, ln in enumerate(group):
            cells = by_line[id(ln)]
            label = cells[1] if i == 0 or ln.kind == "p1" else f"- {cells[1]}"
            for k, x in enumerate([cells[0] if i == 0 else "", label, *cells[2:]]):
                cols[k].append(str(x))
        row = []
        for k, col in enumerate(cols):
            if k == 0:
                row.append(c(col[0]))
            elif sep == "\r":
                row.append(C(col))
            else:
                row.append(C(["\n".join(col)]))
        table.append(row)
    body = [*_top(left), wm.table(table, WIDTHS), *_sign()]
    return wm.docx(body)


# --- W3: STT typed into the label, no STT column ------------------------------------------


def stt_in_label_doc(values: Values) -> bytes:
    """'1. Các lớp …', '1.1. Bồi dưỡng …', '4.2. Số sách …' with no STT column."""
    head = [
        [
            c("Nội dung", vmerge="restart", bold=True),
            c("ĐVT", vmerge="restart", bold=True),
            c("Số lượng", span=2, bold=True),
            c("Ghi chú", vmerge="restart", bold=True),
        ],
        [
            c(vmerge="continue"),
            c(vmerge="continue"),
            c("Số lớp/số cuộc thi"),
            c("Người"),
            c(vmerge="continue"),
        ],
    ]
    body_rows = []
    for ln, cells in rows(values):
        num = ln.stt or ("" if ln.kind == "p1" else ln.code)
        label = f"{num}. {ln.label}" if num else ln.label
        body_rows.append([c(label), *[c(str(x)) for x in cells[2:]]])
    left = ["PHÒNG GD&ĐT QUỲNH NHAI", "TRƯỜNG MẦM NON SỐ 1 MƯỜNG GIÀNG"]
    return wm.docx([*_top(left), wm.table(head + body_rows, WIDTHS[1:]), *_sign()])


# --- W4: every row split in two, label merged down, values on the second row -----------------


def split_rows_doc(values: Values) -> bytes:
    """Label/STT/unit cells vMerged over 2 rows; the numbers typed in the lower row."""
    table = _std_header()
    for _, cells in rows(values):
        first = [c(str(cells[0]), vmerge="restart"), c(cells[1], vmerge="restart")]
        first += [c(cells[2], vmerge="restart"), c(), c(), c(vmerge="restart")]
        second = [c(vmerge="continue") for _ in range(3)]
        second += [c(str(cells[3])), c(str(cells[4])), c(vmerge="continue")]
        table += [first, second]
    left = ["PHÒNG GD&ĐT QUỲNH NHAI", "TRƯỜNG THCS CHIỀNG KHOANG"]
    return wm.docx([*_top(left), wm.table(table, WIDTHS), *_sign()])


# --- W5: an extra empty column after the label --------------------------------------------


def extra_column_doc(values: Values) -> bytes:
    """The label cell split in two by accident: 'Các hoạt động' spans 2 grid columns."""
    h = _std_header()
    h[0][1].span = 2
    h[1][1].span = 2
    table = h + [[c(str(x[0])), c(x[1]), c(), *[c(str(y)) for y in x[2:]]] for _, x in rows(values)]
    widths = [700, 5200, 900, 1500, 1500, 1400, 1500]
    blocks = [
        wm.para("PHÒNG GD&ĐT HUYỆN QUỲNH NHAI", bold=True),
        wm.para("Đơn vị báo cáo: Trường Tiểu học Chiềng Bằng", bold=True),
        wm.para("Kính gửi: Phòng Giáo dục và Đào tạo huyện Quỳnh Nhai"),
    ]
    blocks += [wm.para(t, bold=True, center=True) for t in TITLE] + [wm.table(table, widths)]
    return wm.docx(blocks + _sign())


# --- W6: one 'Kết quả' column -------------------------------------------------------------

_WORD = {"count": {"2": "tin bài", "3": "tờ", "4.2": "quyển", "7.1": "trường"}}


def result_cell(ln: Line, v: dict) -> str:
    """'05 lớp/120 người', '07 tin bài', '15.000.000 đồng', 'Không' — one cell per row."""
    if ln.kind == "cp":
        if v["count"] is None:
            return ""
        if v["count"] == 0:
            return "Không"
        word = "lớp" if ln.code.startswith("1") else "cuộc"
        return f"{v['count']:02d} {word}/{v['people']} người"
    if ln.kind == "c1":
        return f"{v['count']:02d} lớp"
    if ln.kind == "p1":
        return f"{dotted(v['people'])} người"
    if ln.kind == "c":
        n = v["count"]
        return "" if n is None else f"{n:02d} {_WORD['count'].get(ln.code, '')}".strip()
    if ln.kind == "a":
        return "" if v["amount"] is None else f"{dotted(v['amount'])} đồng"
    if ln.kind == "t":
        return v["text"] or ""
    return ""


def result_column_doc(values: Values, left: list[str]) -> bytes:
    """STT | Nội dung | Đơn vị tính | Kết quả | Ghi chú."""
    table = [[c(t, bold=True) for t in ("STT", "Nội dung", "Đơn vị tính", "Kết quả", "Ghi chú")]]
    for ln in LINES:
        table.append(
            [c(ln.stt), c(ln.label), c(ln.unit), c(result_cell(ln, values.get(ln.code, {}))), c()]
        )
    widths = [700, 6500, 1600, 2600, 1800]
    return wm.docx([*_top(left), wm.table(table, widths), *_sign()])


# --- W7/W8: other headers ------------------------------------------------------------------


def hv_columns_doc(values: Values) -> bytes:
    """'Số lớp' / 'Số học viên' sub-columns, no Ghi chú, people typed '45 GV', '320 HS'."""

    def fmt(ln: Line, slot: str, v: object) -> str:
        if v is None:
            return ""
        if slot == "people" and ln.code in ("1.9", "1.10"):
            return f"{v} GV"
        if slot == "people" and ln.code in ("1.7", "5.4", "6.1"):
            return f"{v} HS"
        return str(v)

    table = _std_header(sub=("Số lớp", "Số học viên"), note=False)
    table += [[c(str(x)) for x in cells[:5]] for _, cells in rows(values, fmt)]
    left = ["PHÒNG GD&ĐT QUỲNH NHAI", "TRƯỜNG THCS MƯỜNG GIÀNG"]
    return wm.docx([*_top(left), wm.table(table, WIDTHS[:5]), *_sign()])


def three_row_header_doc(values: Values) -> bytes:
    """Header of 3 rows: 'Kết quả thực hiện' / 'Số lượng' / 'Số lớp/số cuộc thi | Số người'."""
    r1 = [c("TT", vmerge="restart"), c("Nội dung hoạt động", vmerge="restart")]
    r1 += [c("ĐVT", vmerge="restart"), c("Kết quả thực hiện", span=2)]
    r1 += [c("Ghi chú", vmerge="restart")]
    r2 = [c(vmerge="continue") for _ in range(3)] + [c("Số lượng", span=2), c(vmerge="continue")]
    r3 = [c(vmerge="continue") for _ in range(3)] + [c("Số lớp/số cuộc thi"), c("Số người")]
    r3.append(c(vmerge="continue"))
    table = [r1, r2, r3, *_std_rows(values)]
    left = ["PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", "TRƯỜNG TIỂU HỌC CÀ NÀNG"]
    return wm.docx([*_top(left), wm.table(table, WIDTHS), *_sign()])


# --- W9/W10: money written the clerk's way ------------------------------------------------


def million_unit_doc(values: Values) -> bytes:
    """10.x with 'triệu đồng' typed over 'đồng' in the unit column; amounts in millions."""

    def fmt(ln: Line, slot: str, v: object) -> str:
        if slot == "amount" and v is not None:
            return f"{v / 1_000_000:g}".replace(".", ",")
        return plain(ln, slot, v)

    table = _std_header()
    for ln, cells in rows(values, fmt):
        if ln.kind == "a":
            cells[2] = "triệu đồng"
        table.append([c(str(x)) for x in cells])
    left = ["UBND HUYỆN QUỲNH NHAI", "UBND XÃ NẬM ÉT"]
    return wm.docx([*_top(left), wm.table(table, WIDTHS), *_sign()])


def money_words_doc(values: Values) -> bytes:
    """'15.000.000 đ (Mười lăm triệu đồng chẵn)', '3.500.000 VNĐ', footnote stars '12*'."""

    def fmt(ln: Line, slot: str, v: object) -> str:
        if v is None:
            return ""
        if ln.code == "10.1":
            return f"{dotted(v)} đ (Mười lăm triệu đồng chẵn)"
        if ln.code == "10.2":
            return f"{dotted(v)} VNĐ"
        if ln.code in ("2", "4.2"):
            return f"{dotted(v)}*"
        return str(v)

    table = _std_header()
    for ln, cells in rows(values, fmt):
        if ln.code in ("2", "4.2"):
            cells[5] = "(*)"
        table.append([c(str(x)) for x in cells])
    left = ["PHÒNG GD&ĐT QUỲNH NHAI", "TRƯỜNG MẦM NON CHIỀNG KHAY"]
    note = wm.para("(*) Số liệu tính đến ngày 14/10/2021, kèm theo danh sách chi tiết.")
    return wm.docx([*_top(left), wm.table(table, WIDTHS), note, *_sign()])


# --- W12: Word formula fields and content controls ---------------------------------------


def _field(result: str, instr: str = " =SUM(BELOW) ") -> str:
    r = wm.run
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve">{instr}</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f'{r(result)}<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def _sdt(inner: str, placeholder: bool = False) -> str:
    pr = "<w:showingPlcHdr/>" if placeholder else ""
    return (
        f'<w:sdt><w:sdtPr><w:alias w:val="Số liệu"/><w:id w:val="-12345"/>{pr}</w:sdtPr>'
        f"<w:sdtContent>{inner}</w:sdtContent></w:sdt>"
    )


def fields_doc(values: Values) -> bytes:
    """Row 1/5/6 totals as =SUM fields (cached results), figures in content controls."""
    table = _std_header()
    for ln, cells in rows(values):
        out = [c(str(x)) for x in cells]
        if ln.code in ("1", "5", "6") and ln.kind in ("c1", "p1", "c"):
            k = 4 if ln.kind == "p1" else 3
            out[k] = C([_field(str(cells[k]))])
        elif ln.kind == "cp":
            for k in (3, 4):
                inner = wm.run(str(cells[k])) if cells[k] != "" else ""
                if inner:
                    out[k] = C([_sdt(inner)])
                else:
                    out[k] = C([_sdt(wm.run("Bấm vào đây để nhập."), placeholder=True)])
        table.append(out)
    left = ["PHÒNG GD&ĐT QUỲNH NHAI", "TRƯỜNG PTDTBT THCS NẬM ÉT"]
    return wm.docx([*_top(left), wm.table(table, WIDTHS), *_sign()])


# --- W14: detail rows added under 'khác', multi-paragraph row 11 ---------------------------


def details_doc(values: Values, details: dict[str, list[tuple[str, int, int]]]) -> bytes:
    """Rows '- Tập huấn …' typed under 1.13 and 5.6 with figures; row 11 in 2 paragraphs."""
    table = _std_header()
    for ln, cells in rows(values):
        if ln.kind == "t":
            cells[3] = "- Tổ chức Ngày hội đọc sách\r- Phát động phong trào đọc sách mỗi ngày"
        table.append([c(str(x)) for x in cells])
        for label, n, p in details.get(ln.code, []) if ln.kind == "cp" else []:
            table.append([c(), c(f"- {label}"), c(ln.unit), c(str(n)), c(str(p)), c()])
    left = ["PHÒNG GD&ĐT QUỲNH NHAI", "TRƯỜNG TH&THCS MƯỜNG GIÔN"]
    return wm.docx([*_top(left), wm.table(table, WIDTHS), *_sign()])


# --- W15: spaces, full-width digits, words ------------------------------------------------


def odd_numbers_doc(values: Values) -> bytes:
    """'1 250', full-width '１２', 'Không có', 'Không tổ chức' (zeros)."""
    fw = str.maketrans("0123456789", "０１２３４５６７８９")

    def fmt(ln: Line, slot: str, v: object) -> str:
        if v is None:
            return ""
        if v == 0:
            return "Không tổ chức" if ln.code.startswith("5") else "Không có"
        if ln.code in ("3", "6.2"):
            return str(v).translate(fw)
        if isinstance(v, int) and v >= 1000:
            return f"{v:,}".replace(",", " ")
        return str(v)

    left = ["PHÒNG GD&ĐT QUỲNH NHAI", "TRƯỜNG MẦM NON MƯỜNG CHIÊN"]
    return _std_doc(left, values, fmt)


# --- W16: unit name traps around the table ------------------------------------------------


def signature_traps_doc(values: Values) -> bytes:
    """'Kính gửi', signature names, and a prize list table after the form."""
    blocks = _top(["UBND HUYỆN QUỲNH NHAI", "UBND XÃ CHIỀNG BẰNG"])
    blocks.insert(2, wm.para("Kính gửi: Phòng Giáo dục và Đào tạo huyện Quỳnh Nhai", center=True))
    blocks.append(wm.table(_std_header() + _std_rows(values), WIDTHS))
    blocks += [
        wm.para(),
        wm.para("Người lập biểu\tTM. ỦY BAN NHÂN DÂN", tabs=[1500, 9000]),
        wm.para("\tCHỦ TỊCH", tabs=[1500, 9000]),
        wm.para(),
        wm.para("Nguyễn Văn A\tLò Văn C", tabs=[1500, 9000]),
        wm.para(),
        wm.para("DANH SÁCH CÁ NHÂN ĐƯỢC KHEN THƯỞNG", bold=True, center=True),
    ]
    prize = [[c(t, bold=True) for t in ("STT", "Họ và tên", "Chức vụ", "Đơn vị", "Ghi chú")]]
    prize += [
        [c("1"), c("Nguyễn Thị D"), c("Giáo viên"), c("Trường MN Chiềng Bằng"), c()],
        [c("2"), c("Lò Văn E"), c("Trưởng bản"), c("Bản Lọng Mường"), c()],
    ]
    blocks.append(wm.table(prize, [700, 3000, 2000, 3500, 1500]))
    return wm.docx(blocks)


# --- W19: header retyped mid-table, heading rows given totals --------------------------------


def repeated_header_doc(values: Values) -> bytes:
    """The header typed again where the table crosses a page; headings 9 and 10 given totals."""
    table = _std_header()
    for ln, cells in rows(values):
        if ln.code == "5" and ln.stt:
            table += _std_header()
        if ln.code == "9":
            cells[3] = str(values["9.1"]["count"] + values["9.2"]["count"])
        if ln.code == "10":
            cells[3] = dotted(values["10.1"]["amount"] + values["10.2"]["amount"])
        table.append([c(str(x)) for x in cells])
    left = ["PHÒNG GD&ĐT QUỲNH NHAI", "TRƯỜNG THCS CÀ NÀNG"]
    return wm.docx([*_top(left), wm.table(table, WIDTHS), *_sign()])


def _zero(values: Values, *codes: str) -> Values:
    out = copy.deepcopy(values)
    for code in codes:
        out[code] = {k: 0 for k in out[code]}
    return out


def _without(values: Values, skip: set[str]) -> Values:
    out = copy.deepcopy(values)
    for code in skip:
        out[code] = {k: None for k in out[code]}
    return out


def cases() -> list[Case]:
    """Every Word case of the second round."""
    out: list[Case] = []

    v1 = make_values(201)
    out.append(
        Case(
            "Bao cao TLHT - TH Muong Giang.docx",
            "table typed as tab-separated paragraphs (no Word table)",
            2,
            lambda v=v1: tabs_doc(v),
            v1,
            ("Trường Tiểu học Mường Giàng",),
        )
    )

    v2 = make_values(202, commune=True)
    left2 = ["UBND XÃ CHIỀNG KHAY - HUYỆN QUỲNH NHAI"]
    out.append(
        Case(
            "xa Chieng Khay - phu luc 2.docx",
            "sub-rows as paragraphs inside the group's cells (one row per STT)",
            3,
            lambda v=v2: grouped_doc(v, left2, "\r"),
            v2,
            ("UBND xã Chiềng Khay", "UBND xã Chiềng Khay - huyện Quỳnh Nhai"),
        )
    )
    v2b = make_values(203)
    left2b = ["PHÒNG GD&ĐT QUỲNH NHAI", "TRƯỜNG MẦM NON CHIỀNG ƠN"]
    out.append(
        Case(
            "MN Chieng On.docx",
            "sub-rows as Shift+Enter line breaks inside the group's cells",
            2,
            lambda v=v2b: grouped_doc(v, left2b, "\n"),
            v2b,
            ("Trường Mầm non Chiềng Ơn",),
        )
    )

    v3 = make_values(204)
    out.append(
        Case(
            "MN So 1 Muong Giang.docx",
            "no STT column: '1.', '1.1.', '1.10.' typed at the start of labels; 'SỐ 1' in the name",
            3,
            lambda v=v3: stt_in_label_doc(v),
            v3,
            ("Trường Mầm non số 1 Mường Giàng",),
        )
    )

    v4 = make_values(205)
    out.append(
        Case(
            "THCS Chieng Khoang.docx",
            "every row split in two (label vMerged), numbers in the lower row",
            2,
            lambda v=v4: split_rows_doc(v),
            v4,
            ("Trường THCS Chiềng Khoang",),
        )
    )
    out.append(
        Case(
            "THCS Chieng Khoang (sua lai).doc",
            "the split-row document saved as Word 97-2003 .doc (LibreOffice)",
            3,
            lambda v=v4: split_rows_doc(v),
            v4,
            ("Trường THCS Chiềng Khoang",),
            convert=("docx", "doc"),
        )
    )

    v5 = make_values(206)
    out.append(
        Case(
            "TH Chieng Bang - bieu 2.docx",
            "extra empty column after the label; 'Đơn vị báo cáo:' and 'Kính gửi:' lines",
            2,
            lambda v=v5: extra_column_doc(v),
            v5,
            ("Trường Tiểu học Chiềng Bằng",),
        )
    )

    v6 = _zero(make_values(207, commune=True), "1.2", "5.2")
    v6["5"]["count"] = sum(v6[f"5.{i}"]["count"] or 0 for i in range(1, 7))
    left6 = ["UBND HUYỆN QUỲNH NHAI", "UBND XÃ MƯỜNG SẠI"]
    out.append(
        Case(
            "UBND xa Muong Sai - ket qua.docx",
            "one 'Kết quả' column: '05 lớp/120 người', '07 tin bài', 'Không', '15.000.000 đồng'",
            3,
            lambda v=v6, left=left6: result_column_doc(v, left),
            v6,
            ("UBND xã Mường Sại",),
            ambiguous={"1.2.people": "'Không' for a lớp/người row means no class, no people: 0"},
        )
    )
    out.append(
        Case(
            "xa Muong Sai (LibreOffice).docx",
            "the 'Kết quả' document re-saved as .docx by LibreOffice Writer",
            2,
            lambda v=v6, left=left6: result_column_doc(v, left),
            v6,
            ("UBND xã Mường Sại",),
            ambiguous={"1.2.people": "'Không' for a lớp/người row means no class, no people: 0"},
            convert=("docx", "docx"),
        )
    )

    v7 = make_values(208)
    out.append(
        Case(
            "THCS Muong Giang - TLHTSD.docx",
            "'Số lớp' / 'Số học viên' sub-columns, no Ghi chú, people typed '45 GV', '320 HS'",
            3,
            lambda v=v7: hv_columns_doc(v),
            v7,
            ("Trường THCS Mường Giàng",),
        )
    )

    v8 = make_values(209)
    out.append(
        Case(
            "TH Ca Nang.docx",
            "header of 3 rows merged vertically ('Kết quả thực hiện' / 'Số lượng' / sub-columns)",
            2,
            lambda v=v8: three_row_header_doc(v),
            v8,
            ("Trường Tiểu học Cà Nàng",),
        )
    )

    v9 = make_values(210, commune=True)
    v9["10.1"]["amount"] = 15_000_000
    v9["10.2"]["amount"] = 2_500_000
    out.append(
        Case(
            "UBND xa Nam Et.docx",
            "unit column of 10.x changed to 'triệu đồng'; amounts '15' and '2,5'",
            3,
            lambda v=v9: million_unit_doc(v),
            v9,
            ("UBND xã Nậm Ét",),
        )
    )

    v10 = make_values(211)
    v10["10.1"]["amount"] = 15_000_000
    v10["10.2"]["amount"] = 3_500_000
    v10["4.2"]["count"] = 1250
    out.append(
        Case(
            "MN Chieng Khay.docx",
            "money with words '15.000.000 đ (Mười lăm triệu đồng chẵn)', 'VNĐ', stars '12*'",
            3,
            lambda v=v10: money_words_doc(v),
            v10,
            ("Trường Mầm non Chiềng Khay",),
        )
    )

    v11 = make_values(212)
    left11 = ["PHÒNG GD&ĐT QUỲNH NHAI", "TRƯỜNG TH MƯỜNG CHIÊN"]
    out.append(
        Case(
            "TH Muong Chien (WPS).docx",
            "WPS Writer .docx (KSO properties, WPS application name)",
            3,
            lambda v=v11: _std_doc(left11, v, app="WPS Office_11.2.0.10463", wps=True),
            v11,
            ("Trường TH Mường Chiên", "Trường Tiểu học Mường Chiên"),
        )
    )

    v12 = make_values(213)
    out.append(
        Case(
            "THCS Nam Et.docx",
            "=SUM fields for totals, figures in content controls, placeholders in empty ones",
            2,
            lambda v=v12: fields_doc(v),
            v12,
            ("Trường PTDTBT THCS Nậm Ét",),
        )
    )

    skip13 = {"1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.8", "1.11", "1.12", "5.1", "5.2"}
    v13 = make_values(214)
    v13 = _without(v13, skip13)
    v13["1"] = {
        "count": sum(v13[s]["count"] or 0 for s in SUB1),
        "people": sum(v13[s]["people"] or 0 for s in SUB1),
    }
    v13["5"]["count"] = sum(v13[f"5.{i}"]["count"] or 0 for i in range(1, 7))
    left13 = ["PHÒNG GD&ĐT QUỲNH NHAI", "TRƯỜNG PTDTBT TIỂU HỌC PA MA PHA KHINH"]

    def _deleted(v=v13) -> bytes:
        body = [*_top(left13), wm.table(_std_header() + _std_rows(v, skip=skip13), WIDTHS)]
        return wm.docx(body + _sign())

    out.append(
        Case(
            "PTDTBT TH Pa Ma Pha Khinh.docx",
            "rows with nothing to report deleted from the table",
            4,
            _deleted,
            v13,
            ("Trường PTDTBT Tiểu học Pa Ma Pha Khinh",),
        )
    )
    out.append(
        Case(
            "PTDTBT TH Pa Ma Pha Khinh (ban cu).docx",
            "a Word 97 .doc renamed to .docx by the clerk (rows deleted as above)",
            2,
            _deleted,
            v13,
            ("Trường PTDTBT Tiểu học Pa Ma Pha Khinh",),
            convert=("docx", "doc"),
        )
    )

    v14 = make_values(215)
    v14["1.13"] = {"count": 2, "people": 65}
    v14["5.6"]["count"] = 2
    v14["5.6"]["people"] = 80
    v14["1"] = {
        "count": sum(v14[s]["count"] or 0 for s in SUB1),
        "people": sum(v14[s]["people"] or 0 for s in SUB1),
    }
    v14["5"]["count"] = sum(v14[f"5.{i}"]["count"] or 0 for i in range(1, 7))
    v14["11"]["text"] = "- Tổ chức Ngày hội đọc sách - Phát động phong trào đọc sách mỗi ngày"
    det = {
        "1.13": [("Tập huấn phòng cháy chữa cháy", 1, 30), ("Tập huấn sơ cấp cứu", 1, 35)],
        "5.6": [("Thi kể chuyện Bác Hồ", 1, 50), ("Thi Rung chuông vàng", 1, 30)],
    }
    out.append(
        Case(
            "TH&THCS Muong Gion.docx",
            "detail rows '- Tập huấn …' under 1.13 and 5.6; row 11 in two paragraphs",
            3,
            lambda v=v14: details_doc(v, det),
            v14,
            ("Trường TH&THCS Mường Giôn",),
            ambiguous={"11.text": "two paragraphs compared whitespace-collapsed"},
        )
    )

    v15 = _zero(make_values(216), "1.3", "5.5")
    v15["5"]["count"] = sum(v15[f"5.{i}"]["count"] or 0 for i in range(1, 7))
    v15["4.2"]["count"] = 1250
    v15["1"] = {
        "count": sum(v15[s]["count"] or 0 for s in SUB1),
        "people": sum(v15[s]["people"] or 0 for s in SUB1),
    }
    out.append(
        Case(
            "MN Muong Chien.docx",
            "'1 250' with a space, full-width digits, 'Không có' / 'Không tổ chức' for zero",
            2,
            lambda v=v15: odd_numbers_doc(v),
            v15,
            ("Trường Mầm non Mường Chiên",),
            ambiguous={"5.5.count": "'Không tổ chức' (did not organise) read as 0"},
        )
    )

    v16 = make_values(217, commune=True)
    out.append(
        Case(
            "UBND xa Chieng Bang.docx",
            "'Kính gửi' line, signature names, a prize-list table after the form",
            4,
            lambda v=v16: signature_traps_doc(v),
            v16,
            ("UBND xã Chiềng Bằng",),
        )
    )

    v19 = make_values(218)
    out.append(
        Case(
            "THCS Ca Nang.docx",
            "header retyped mid-table (page 2); totals typed on headings 9 and 10",
            2,
            lambda v=v19: repeated_header_doc(v),
            v19,
            ("Trường THCS Cà Nàng",),
        )
    )
    v20 = make_values(219)
    v20["10.1"]["amount"] = 15_000_000
    v20["10.2"]["amount"] = 2_500_000

    def fmt20(ln: Line, slot: str, v: object) -> str:
        if v is None:
            return ""
        if slot == "amount":
            return f"{v / 1_000_000:g} Tr.đ".replace(".", ",")
        if ln.code == "1.9" and slot == "count":
            return f"{v:02d} (hai)" if v == 2 else f"{v:02d}"
        return str(v)

    v20["1.9"] = {"count": 2, "people": 58}
    v20["1"] = {
        "count": sum(v20[s]["count"] or 0 for s in SUB1),
        "people": sum(v20[s]["people"] or 0 for s in SUB1),
    }
    left20 = ["PHÒNG GD&ĐT QUỲNH NHAI", "TRƯỜNG MẦM NON NẬM ÉT"]
    out.append(
        Case(
            "MN Nam Et - bao cao.docx",
            "money '15 Tr.đ', '2,5 Tr.đ'; a count written '02 (hai)'",
            3,
            lambda v=v20: _std_doc(left20, v, fmt20),
            v20,
            ("Trường Mầm non Nậm Ét",),
        )
    )
    assert TEXT_11
    return out
