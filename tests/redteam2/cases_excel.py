"""Second-round Excel cases: year copies, cross-sheet formulas, error cells, odd number formats.

Owns: the .xlsx cases (and one .xls made by LibreOffice) with exact expected values. Builders
are pure and write through sheetml (laid out as Excel saves files).
"""

from __future__ import annotations

import copy
import datetime as dt

from tests.redteam2.common import Case, dotted, plain, rows
from tests.redteam2.form import LINES, SUB1, Line, Values, make_values
from tests.redteam2.sheetml import (
    BOLD_CENTER,
    MONTH_YEAR,
    PERCENT,
    QUOTED,
    THOUSANDS,
    WRAP,
    F,
    S,
    Sheet,
    a1,
    xlsx,
)

NATION = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
TITLE = ("BIỂU TỔNG HỢP", "Số liệu kết quả tổ chức tuần lễ học tập suốt đời năm 2021")


def top(sh: Sheet, left: list[str], ncols: int = 6, title: tuple[str, str] = TITLE) -> int:
    """Header block, date and title; returns the first free row."""
    for i, t in enumerate(left):
        sh.put(i, 0, S(t, BOLD_CENTER))
        sh.merge(i, 0, i, 2)
    sh.put(0, 3, S(NATION[0], BOLD_CENTER))
    sh.put(1, 3, S(NATION[1], BOLD_CENTER))
    sh.put(2, 3, "Quỳnh Nhai, ngày 15 tháng 10 năm 2021")
    for i in range(3):
        sh.merge(i, 3, i, ncols - 1)
    r = max(len(left), 3) + 1
    for t in title:
        sh.put(r, 0, S(t, BOLD_CENTER))
        sh.merge(r, 0, r, ncols - 1)
        r += 1
    return r + 1


def std_header(sh: Sheet, r: int, sub=("Số lớp/số cuộc thi", "Người"), note: bool = True) -> int:
    """The form's two header rows with their merges; returns the first data row."""
    for col, t in enumerate(["STT", "Các hoạt động", "Đơn vị"]):
        sh.put(r, col, S(t, BOLD_CENTER))
        sh.merge(r, col, r + 1, col)
    sh.put(r, 3, S("Số lượng", BOLD_CENTER))
    sh.merge(r, 3, r, 4)
    sh.put(r + 1, 3, S(sub[0], BOLD_CENTER))
    sh.put(r + 1, 4, S(sub[1], BOLD_CENTER))
    if note:
        sh.put(r, 5, S("Ghi chú", BOLD_CENTER))
        sh.merge(r, 5, r + 1, 5)
    return r + 2


def num(ln: Line, slot: str, v: object) -> object:
    """Numbers typed as numbers, text as text (the Excel baseline)."""
    return v


def body(sh: Sheet, r: int, values: Values, fmt=num, skip=frozenset(), ncols=6) -> dict:
    """Write the form's rows from row r; returns {(code, kind): row}."""
    where = {}
    for ln, cells in rows(values, fmt, skip=skip):
        for col, x in enumerate(cells[:ncols]):
            if col == 1:
                x = S(x, WRAP)
            sh.put(r, col, x)
        where[(ln.code, ln.kind)] = r
        r += 1
    return where


def sign(sh: Sheet, r: int, names=("Nguyễn Văn A", "Trần Thị B")) -> None:
    """Signature block under the table."""
    sh.put(r + 1, 1, S("NGƯỜI LẬP BIỂU", BOLD_CENTER))
    sh.put(r + 1, 4, S("HIỆU TRƯỞNG", BOLD_CENTER))
    sh.put(r + 4, 1, names[0])
    sh.put(r + 4, 4, names[1])


def std_book(left: list[str], values: Values, fmt=num, name: str = "Sheet1") -> Sheet:
    """One sheet laid out the plain way."""
    sh = Sheet(name, widths={0: 6, 1: 60, 2: 14, 3: 14, 4: 12, 5: 16})
    r = std_header(sh, top(sh, left))
    where = body(sh, r, values, fmt)
    sign(sh, max(where.values()) + 1)
    return sh


def sums(v: Values) -> Values:
    """Recompute row 1, 5 and 6 totals after edits."""
    v["1"] = {
        "count": sum(v[s]["count"] or 0 for s in SUB1),
        "people": sum(v[s]["people"] or 0 for s in SUB1),
    }
    v["5"]["count"] = sum(v[f"5.{i}"]["count"] or 0 for i in range(1, 7))
    v["6"]["count"] = sum(v[f"6.{i}"]["count"] or 0 for i in range(1, 4))
    return v


# --- X1: last year's copy on another sheet --------------------------------------------------


def two_years(v2020: Values, v2021: Values, left: list[str]) -> bytes:
    """'Năm 2020' (first sheet, last year's figures) and 'Năm 2021' (active, this year's)."""
    old = Sheet("Năm 2020")
    r = std_header(old, top(old, left, title=(TITLE[0], TITLE[1].replace("2021", "2020"))))
    body(old, r, v2020)
    new = std_book(left, v2021, name="Năm 2021")
    return xlsx([old, new], active=1)


# --- X2: figures pulled from a detail sheet by formulas ----------------------------------


def cross_sheet(values: Values, left: list[str]) -> bytes:
    """Values are ='Chi tiết'!Cn formulas (cached), row 1 =SUM, people a shared formula."""
    det = Sheet("Chi tiết")
    det.put(0, 0, "Nội dung")
    det.put(0, 1, "Mã")
    det.put(0, 2, "Số lớp/cuộc")
    det.put(0, 3, "Số người")
    sh = Sheet("Biểu 2")
    r = std_header(sh, top(sh, left))
    where = body(sh, r, values)
    dr = 1
    first_sub = where[("1.1", "cp")]
    last_sub = where[("1.13", "cp")]
    for ln in LINES:
        if ln.kind != "cp":
            continue
        v = values[ln.code]
        det.put(dr, 0, ln.label)
        det.put(dr, 1, ln.code)
        det.put(dr, 2, v["count"])
        det.put(dr, 3, v["people"])
        row = where[(ln.code, "cp")]
        cnt = v["count"] if v["count"] is not None else 0
        ppl = v["people"] if v["people"] is not None else 0
        sh.cells[(row, 3)] = F(f"'Chi tiết'!{a1(dr, 2)}", cnt)
        sh.cells[(row, 4)] = F(f"'Chi tiết'!{a1(dr, 3)}", ppl)
        dr += 1
    # a clerk's =SUM total for row 1
    r1 = where[("1", "c1")]
    p1 = where[("1", "p1")]
    sh.cells[(r1, 3)] = F(f"SUM(D{first_sub + 1}:D{last_sub + 1})", values["1"]["count"])
    sh.cells[(p1, 4)] = F(f"SUM(E{first_sub + 1}:E{last_sub + 1})", values["1"]["people"])
    return xlsx([sh, det])


# --- X3: error values left in cells ---------------------------------------------------------


def errors_book(values: Values, left: list[str]) -> bytes:
    """#REF! where a detail sheet was deleted, #VALUE! where text was added to a sum."""
    sh = std_book(left, values)
    where = {k: r for k, r in _rows_of(sh).items()}
    sh.cells[(where["1.9"], 4)] = F("#REF!C12", "#REF!")
    sh.cells[(where["1p"], 4)] = F("SUM(E11:E23)", "#REF!")
    sh.cells[(where["6.2"], 3)] = F('D40+"2 cuộc"', "#VALUE!")
    return xlsx([sh])


def _rows_of(sh: Sheet) -> dict[str, int]:
    """Row of each code in a std_book sheet, found from the labels written."""
    out = {}
    for ln in LINES:
        for (r, col), v in sh.cells.items():
            if col == 1 and isinstance(v, S) and v.value == ln.label:
                out[ln.code + ("p" if ln.kind == "p1" else "")] = r
    return out


# --- X4: text numbers with an apostrophe, percent and #,##0 formats -------------------------


def formats_book(values: Values, left: list[str]) -> bytes:
    """'05 with quotePrefix, 12 typed into a %-formatted cell (0.12), #,##0 thousands."""

    def fmt(ln: Line, slot: str, v: object) -> object:
        if v is None:
            return None
        if ln.code == "2":
            return S(v / 100, PERCENT)
        if slot in ("amount",) or (isinstance(v, int) and v >= 1000):
            return S(v, THOUSANDS)
        if ln.kind == "cp" and slot == "count":
            return S(f"{v:02d}", QUOTED)
        return v

    return xlsx([std_book(left, values, fmt)])


# --- X5: three header rows, no Ghi chú, 'Số lớp'/'Số học viên' -----------------------------


def three_rows_book(values: Values, left: list[str]) -> bytes:
    """Header rows 'Kết quả' / 'Số lượng' / 'Số lớp','Số học viên' merged down over 3 rows."""
    sh = Sheet("TLHT 2021")
    r = top(sh, left, ncols=5)
    for col, t in enumerate(["TT", "Nội dung", "ĐVT"]):
        sh.put(r, col, S(t, BOLD_CENTER))
        sh.merge(r, col, r + 2, col)
    sh.put(r, 3, S("Kết quả thực hiện năm 2021", BOLD_CENTER))
    sh.merge(r, 3, r, 4)
    sh.put(r + 1, 3, S("Số lượng", BOLD_CENTER))
    sh.merge(r + 1, 3, r + 1, 4)
    sh.put(r + 2, 3, S("Số lớp", BOLD_CENTER))
    sh.put(r + 2, 4, S("Số học viên", BOLD_CENTER))
    where = body(sh, r + 3, values, ncols=5)
    sign(sh, max(where.values()) + 1)
    return xlsx([sh])


# --- X6: amounts in thousands -------------------------------------------------------------


def thousands_book(values: Values, left: list[str]) -> bytes:
    """10.x unit typed 'nghìn đồng'; 15000 (number) and '2.500' (text)."""
    sh = std_book(left, values)
    where = _rows_of(sh)
    sh.cells[(where["10.1"], 2)] = "nghìn đồng"
    sh.cells[(where["10.2"], 2)] = "nghìn đồng"
    sh.cells[(where["10.1"], 3)] = values["10.1"]["amount"] // 1000
    sh.cells[(where["10.2"], 3)] = dotted(values["10.2"]["amount"] // 1000)
    return xlsx([sh])


# --- X7: label and figure in one wrapped cell ----------------------------------------------


def label_value_book(values: Values, left: list[str]) -> bytes:
    """Rows 2, 3, 8 and 11 written as 'label:\\nfigure' in the label cell (Alt+Enter)."""
    sh = std_book(left, values)
    where = _rows_of(sh)
    words = {"2": "tin bài", "3": "tờ", "8": "cuộc"}
    for code, word in words.items():
        row = where[code]
        label = sh.cells[(row, 1)].value
        sh.cells[(row, 1)] = S(f"{label}:\n{values[code]['count']:02d} {word}", WRAP)
        del sh.cells[(row, 3)]
    row = where["11"]
    sh.cells[(row, 1)] = S(f"Các nội dung khác (nếu có):\n{values['11']['text']}", WRAP)
    del sh.cells[(row, 3)]
    return xlsx([sh])


# --- X8: lớp/người rows split into a 'lớp' row and a 'người' row ---------------------------


def split_measure_book(values: Values, left: list[str]) -> bytes:
    """STT | Nội dung | ĐVT | Số lượng | Ghi chú; each x/người row is 2 rows merged in the label."""
    sh = Sheet("Sheet1", widths={1: 60})
    r = top(sh, left, ncols=5)
    for col, t in enumerate(["STT", "Nội dung", "Đơn vị tính", "Số lượng", "Ghi chú"]):
        sh.put(r, col, S(t, BOLD_CENTER))
    r += 1
    for ln in LINES:
        v = values.get(ln.code, {})
        sh.put(r, 0, ln.stt)
        sh.put(r, 1, S(ln.label, WRAP))
        if ln.kind == "cp":
            first = "lớp" if ln.code.startswith("1") else "cuộc"
            sh.merge(r, 0, r + 1, 0)
            sh.merge(r, 1, r + 1, 1)
            sh.put(r, 2, first)
            sh.put(r, 3, v["count"])
            sh.put(r + 1, 2, "người")
            sh.put(r + 1, 3, v["people"])
            r += 2
            continue
        sh.put(r, 2, ln.unit)
        slot = {"c1": "count", "p1": "people", "c": "count", "a": "amount", "t": "text"}
        if ln.kind in slot:
            sh.put(r, 3, v[slot[ln.kind]])
        r += 1
    sign(sh, r)
    return xlsx([sh])


# --- X10: Excel turned '2/45' into a date ---------------------------------------------------


def _serial(d: dt.date) -> int:
    return (d - dt.date(1899, 12, 30)).days


def autodate_book(values: Values, left: list[str]) -> bytes:
    """One 'Số lượng' column; '2/45' typed in General cells became Feb-1945 dates (mmm-yy)."""
    sh = Sheet("Sheet1", widths={1: 60})
    r = top(sh, left, ncols=5)
    for col, t in enumerate(["STT", "Các hoạt động", "Đơn vị", "Số lượng", "Ghi chú"]):
        sh.put(r, col, S(t, BOLD_CENTER))
    r += 1
    for ln, cells in rows(values):
        v = values.get(ln.code, {})
        sh.put(r, 0, ln.stt)
        sh.put(r, 1, S(ln.label, WRAP))
        sh.put(r, 2, ln.unit)
        if ln.kind == "cp" and v["count"] is not None:
            if v["people"] < 100:
                # Excel read 'n/pp' as month n of year 19pp and shows 'Feb-45'
                sh.put(r, 3, S(_serial(dt.date(1900 + v["people"], v["count"], 1)), MONTH_YEAR))
            else:
                sh.put(r, 3, f"{v['count']}/{v['people']}")
        elif ln.kind in ("c1", "c", "a"):
            sh.put(r, 3, cells[3] and int(cells[3]))
        elif ln.kind == "p1":
            sh.put(r, 3, v["people"])
        elif ln.kind == "t":
            sh.put(r, 3, v["text"])
        r += 1
    return xlsx([sh])


def cases() -> list[Case]:
    """Every Excel case of the second round."""
    out: list[Case] = []

    left1 = ["PHÒNG GD&ĐT QUỲNH NHAI", "TRƯỜNG TIỂU HỌC CHIỀNG KHOANG"]
    v1, v1old = make_values(301), make_values(391)
    out.append(
        Case(
            "TH Chieng Khoang 2021.xlsx",
            "last year's filled copy on the first sheet 'Năm 2020', this year's on 'Năm 2021'",
            3,
            lambda: two_years(v1old, v1, left1),
            v1,
            ("Trường Tiểu học Chiềng Khoang",),
        )
    )

    left2 = ["UBND HUYỆN QUỲNH NHAI", "UBND XÃ CHIỀNG ƠN"]
    v2 = make_values(302, commune=True)
    out.append(
        Case(
            "xa Chieng On - bieu 2.xlsx",
            "figures are formulas into a 'Chi tiết' sheet (cached values); empty ones show 0",
            3,
            lambda: cross_sheet(v2, left2),
            _zero_cp(v2),
            ("UBND xã Chiềng Ơn",),
            ambiguous={"1.x": "a formula whose cached result is 0 counts as a typed 0"},
        )
    )

    left3 = ["PHÒNG GD&ĐT QUỲNH NHAI", "TRƯỜNG MẦM NON CÀ NÀNG"]
    v3 = make_values(303)
    want3 = copy.deepcopy(v3)
    want3["1.9"]["people"] = None
    want3["1"]["people"] = None
    want3["6.2"]["count"] = None
    out.append(
        Case(
            "MN Ca Nang (loi).xlsx",
            "formula errors left in cells (#REF!, #VALUE!)",
            2,
            lambda: errors_book(v3, left3),
            want3,
            ("Trường Mầm non Cà Nàng",),
            ambiguous={"*": "an error value is no figure: null (a warning would be kind)"},
        )
    )

    left4 = ["PHÒNG GD&ĐT QUỲNH NHAI", "TRƯỜNG TIỂU HỌC NẬM ÉT"]
    v4 = make_values(304)
    out.append(
        Case(
            "TH Nam Et - bieu.xlsx",
            "'05 with an apostrophe, 12 typed into a % cell (shows 12%), #,##0 formats",
            3,
            lambda: formats_book(v4, left4),
            v4,
            ("Trường Tiểu học Nậm Ét",),
            ambiguous={"2.count": "clerk typed 12 in a %-formatted cell; Excel stores 0.12"},
        )
    )

    left5 = ["PHÒNG GD&ĐT QUỲNH NHAI", "TRƯỜNG THCS MƯỜNG SẠI"]
    v5 = make_values(305)
    out.append(
        Case(
            "THCS Muong Sai.xlsx",
            "3 header rows merged down, no Ghi chú, 'Số lớp' / 'Số học viên'",
            3,
            lambda: three_rows_book(v5, left5),
            v5,
            ("Trường THCS Mường Sại",),
        )
    )
    out.append(
        Case(
            "THCS Muong Sai (2003).xls",
            "the 3-header-row workbook saved as Excel 97-2003 (.xls, LibreOffice)",
            3,
            lambda: three_rows_book(v5, left5),
            v5,
            ("Trường THCS Mường Sại",),
            convert=("xlsx", "xls"),
        )
    )

    left6 = ["UBND HUYỆN QUỲNH NHAI", "UBND XÃ PA MA PHA KHINH"]
    v6 = make_values(306, commune=True)
    v6["10.1"]["amount"] = 15_000_000
    v6["10.2"]["amount"] = 2_500_000
    out.append(
        Case(
            "xa Pa Ma Pha Khinh.xlsx",
            "10.x unit changed to 'nghìn đồng': 15000 and '2.500' mean 15 and 2.5 million",
            3,
            lambda: thousands_book(v6, left6),
            v6,
            ("UBND xã Pa Ma Pha Khinh",),
        )
    )

    left7 = ["PHÒNG GD&ĐT QUỲNH NHAI", "TRƯỜNG TIỂU HỌC MƯỜNG SẠI"]
    v7 = make_values(307)
    out.append(
        Case(
            "TH Muong Sai.xlsx",
            "Alt+Enter: 'label:\\n07 tin bài' in the label cell, value cells empty (2, 3, 8, 11)",
            2,
            lambda: label_value_book(v7, left7),
            v7,
            ("Trường Tiểu học Mường Sại",),
        )
    )

    left8 = ["PHÒNG GD&ĐT QUỲNH NHAI", "TRƯỜNG MẦM NON CHIỀNG BẰNG"]
    v8 = make_values(308)
    out.append(
        Case(
            "MN Chieng Bang.xlsx",
            "one 'Số lượng' column; each lớp/người row split into a 'lớp' and a 'người' row",
            2,
            lambda: split_measure_book(v8, left8),
            v8,
            ("Trường Mầm non Chiềng Bằng",),
        )
    )

    left9 = ["UBND HUYỆN QUỲNH NHAI", "UBND XÃ MƯỜNG CHIÊN"]
    skip9 = {"1.2", "1.3", "1.6", "1.7", "1.9", "1.10", "1.13", "5.1", "5.3", "9.1"}
    v9 = make_values(309, commune=True)
    for code in skip9:
        v9[code] = {k: None for k in v9[code]}
    v9 = sums(v9)

    def _deleted() -> bytes:
        sh = Sheet("Sheet1", widths={1: 60})
        r = top(sh, left9)
        sh.put(r, 0, "Kính gửi: Phòng Giáo dục và Đào tạo huyện Quỳnh Nhai")
        r = std_header(sh, r + 2)
        where = body(sh, r, v9, skip=skip9)
        sign(sh, max(where.values()) + 1, ("Người lập biểu: Nguyễn Văn A", "Lò Văn C"))
        return xlsx([sh])

    out.append(
        Case(
            "UBND xa Muong Chien.xlsx",
            "rows with nothing to report deleted; 'Kính gửi' line above the table",
            4,
            _deleted,
            v9,
            ("UBND xã Mường Chiên",),
        )
    )

    left10 = ["PHÒNG GD&ĐT QUỲNH NHAI", "TRƯỜNG TIỂU HỌC CHIỀNG KHAY"]
    v10 = make_values(310)
    for code in ("1.7", "1.9", "1.10", "6.1", "6.2", "6.3"):
        if v10[code]["count"] is not None and v10[code]["people"] >= 100:
            v10[code]["people"] = 99 - int(code[-1])
    v10 = sums(v10)
    out.append(
        Case(
            "TH Chieng Khay - ngay 15-10.xlsx",
            "'2/45' auto-converted by Excel into a date shown 'Feb-45' (one Số lượng column)",
            2,
            lambda: autodate_book(v10, left10),
            v10,
            ("Trường Tiểu học Chiềng Khay",),
            ambiguous={"cp": "Feb-1945 read back as 2/45 (what the clerk typed and meant)"},
        )
    )

    left11 = ["PHÒNG GD&ĐT QUỲNH NHAI", "TRƯỜNG THCS CHIỀNG BẰNG"]
    v11 = make_values(311)
    v11["4.2"]["count"] = 1250

    def fmt11(ln: Line, slot: str, v: object) -> object:
        if v is None:
            return None
        if isinstance(v, int) and 1000 <= v < 1_000_000:
            return f"{v:,}".replace(",", " ")
        if ln.code in ("2", "3"):
            return f"{v}*"
        if slot == "people" and ln.code.startswith(("1.7", "6.")):
            return f"{v} HS"
        if slot == "amount":
            return f"{dotted(v)} VNĐ"
        return v

    out.append(
        Case(
            "THCS Chieng Bang.xlsx",
            "text figures '1 250', '12*', '85 HS', '3.500.000 VNĐ'",
            3,
            lambda: xlsx([std_book(left11, v11, fmt11)]),
            v11,
            ("Trường THCS Chiềng Bằng",),
        )
    )

    left12 = ["PHÒNG GD&ĐT QUỲNH NHAI", "TRƯỜNG MẦM NON MƯỜNG GIÀNG"]
    v12 = make_values(312)
    v12["1.4"] = {"count": 0, "people": 0}

    def _result() -> bytes:
        from tests.redteam2.cases_word import result_cell

        sh = Sheet("Sheet1", widths={1: 60, 3: 22})
        r = top(sh, left12, ncols=5)
        for col, t in enumerate(["STT", "Nội dung", "Đơn vị tính", "Kết quả", "Ghi chú"]):
            sh.put(r, col, S(t, BOLD_CENTER))
        r += 1
        for ln in LINES:
            sh.put(r, 0, ln.stt)
            sh.put(r, 1, S(ln.label, WRAP))
            sh.put(r, 2, ln.unit)
            sh.put(r, 3, result_cell(ln, v12.get(ln.code, {})))
            r += 1
        return xlsx([sh])

    out.append(
        Case(
            "MN Muong Giang - ket qua.xlsx",
            "one 'Kết quả' column: '03 lớp/85 người', 'Không'",
            2,
            _result,
            v12,
            ("Trường Mầm non Mường Giàng",),
        )
    )

    v13 = make_values(313)

    def _unit_line() -> bytes:
        sh = Sheet("Phụ lục 2", widths={1: 60})
        sh.put(0, 0, "PHÒNG GD&ĐT HUYỆN QUỲNH NHAI")
        sh.put(1, 0, "Đơn vị báo cáo: Trường Tiểu học số 2 Mường Giàng")
        sh.put(3, 0, S("PHỤ LỤC 2", BOLD_CENTER))
        sh.put(4, 0, S(TITLE[0], BOLD_CENTER))
        sh.put(5, 0, S(TITLE[1], BOLD_CENTER))
        r = std_header(sh, 7)
        where = body(sh, r, v13)
        last = max(where.values())
        sh.put(last + 2, 1, "Người lập biểu")
        sh.put(last + 2, 4, "Hiệu trưởng")
        sh.put(last + 5, 1, "Nguyễn Thị B")
        sh.put(last + 5, 4, "Lò Văn C")
        return xlsx([sh])

    out.append(
        Case(
            "bao cao PL2 - TH So 2 Muong Giang.xlsx",
            "'Đơn vị báo cáo: …' line under the parent office, no motto block, names signed",
            3,
            _unit_line,
            v13,
            ("Trường Tiểu học số 2 Mường Giàng",),
        )
    )

    left14 = ["UBND HUYỆN QUỲNH NHAI", "UBND XÃ CÀ NÀNG"]
    v14 = make_values(314, commune=True)

    def _spacer() -> bytes:
        sh = Sheet("Sheet1", widths={1: 60, 3: 2})
        r = top(sh, left14, ncols=7)
        for col, t in enumerate(["STT", "Các hoạt động", "Đơn vị"]):
            sh.put(r, col, S(t, BOLD_CENTER))
            sh.merge(r, col, r + 1, col)
        sh.merge(r, 3, r + 1, 3)  # narrow empty spacer column
        sh.put(r, 4, S("Số lượng", BOLD_CENTER))
        sh.merge(r, 4, r, 5)
        sh.put(r + 1, 4, S("Số lớp/số cuộc thi", BOLD_CENTER))
        sh.put(r + 1, 5, S("Người", BOLD_CENTER))
        sh.put(r, 6, S("Ghi chú", BOLD_CENTER))
        sh.merge(r, 6, r + 1, 6)
        r += 2
        for ln, cells in rows(v14, num):
            for col, x in enumerate(cells):
                sh.put(r, col if col < 3 else col + 1, x)
            if ln.code == "10" and ln.kind == "h":
                sh.put(r, 4, v14["10.1"]["amount"] + v14["10.2"]["amount"])
            if ln.code == "4" and ln.kind == "h":
                sh.put(r, 6, "Không tính tổng")
            r += 1
        return xlsx([sh])

    out.append(
        Case(
            "xa Ca Nang.xlsx",
            "an empty narrow column between 'Đơn vị' and 'Số lượng'; total typed on heading 10",
            2,
            _spacer,
            v14,
            ("UBND xã Cà Nàng",),
        )
    )

    v15 = make_values(315, commune=True)
    v15["1.4"] = {"count": 3, "people": 75}
    v15 = sums(v15)

    def _centre() -> bytes:
        sh = Sheet("Sheet1", widths={1: 60})
        sh.put(0, 0, S("SỞ GD&ĐT SƠN LA", BOLD_CENTER))
        sh.put(1, 0, S("TRUNG TÂM GDNN-GDTX HUYỆN QUỲNH NHAI", BOLD_CENTER))
        sh.merge(1, 0, 1, 2)
        sh.put(4, 0, S(TITLE[0], BOLD_CENTER))
        sh.put(5, 0, S(TITLE[1], BOLD_CENTER))
        r = std_header(sh, 7)

        def fmt(ln: Line, slot: str, v: object) -> object:
            return f"{dotted(v)} VNĐ" if (slot == "amount" and v is not None) else v

        where = body(sh, r, v15, fmt)
        sign(sh, max(where.values()) + 1, ("Nguyễn Văn A", "Trần Thị B"))
        return xlsx([sh])

    out.append(
        Case(
            "TT GDNN-GDTX Quynh Nhai.xlsx",
            "the district's vocational centre ('SỞ GD&ĐT SƠN LA' above the unit), money 'VNĐ'",
            3,
            _centre,
            v15,
            ("Trung tâm GDNN-GDTX huyện Quỳnh Nhai",),
        )
    )
    left16 = ["PHÒNG GD&ĐT QUỲNH NHAI", "TRƯỜNG TIỂU HỌC MƯỜNG GIÀNG"]
    v16 = make_values(316, money=False, text=False)
    out.append(
        Case(
            "TH Muong Giang - bieu 2.xlsx",
            "plain form, no money and nothing under 11; signature block one row below the table",
            5,
            lambda: xlsx([std_book(left16, v16)]),
            v16,
            ("Trường Tiểu học Mường Giàng",),
        )
    )

    left17 = ["UBND HUYỆN QUỲNH NHAI", "UBND XÃ MƯỜNG GIÔN"]
    v17 = make_values(317, commune=True, text=False)

    def _tight() -> bytes:
        sh = Sheet("Sheet1", widths={1: 60})
        r = std_header(sh, top(sh, left17))
        where = body(sh, r, v17)
        last = max(where.values())
        sh.put(last + 1, 3, "Mường Giôn, ngày 14 tháng 10 năm 2021")
        sh.put(last + 2, 1, S("NGƯỜI LẬP BIỂU", BOLD_CENTER))
        sh.put(last + 2, 3, S("TM. ỦY BAN NHÂN DÂN", BOLD_CENTER))
        sh.put(last + 3, 3, S("CHỦ TỊCH", BOLD_CENTER))
        sh.put(last + 6, 1, "Nguyễn Văn A")
        sh.put(last + 6, 3, "Lò Văn C")
        return xlsx([sh])

    out.append(
        Case(
            "xa Muong Gion.xlsx",
            "nothing under 11; date line and 'TM. ỦY BAN NHÂN DÂN' right under the table",
            4,
            _tight,
            v17,
            ("UBND xã Mường Giôn",),
        )
    )
    assert plain
    return out


def _zero_cp(values: Values) -> Values:
    """Formulas into empty detail rows cache 0: those slots read as reported zeros."""
    out = copy.deepcopy(values)
    for ln in LINES:
        if ln.kind == "cp":
            out[ln.code] = {k: (0 if v is None else v) for k, v in out[ln.code].items()}
    return out
