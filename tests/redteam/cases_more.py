"""Second wave of red-team cases: the habits that make official Vietnamese forms awkward.

Owns: cases with a column-index row under the header, tables starting at column B, unit names
broken over lines, row 1's people typed on its first line, tracked changes, non-breaking
spaces, '2/45' in the count column, STT typed into the label, placeholder dots.
"""

from __future__ import annotations

from tests.redteam.common import NATION, SIGN_COMMUNE, Case, make_report, school_header
from tests.redteam.form import LN, PLAN_LINES, Line, Style, make_values
from tests.redteam.layout import Layout, Report, insert_row, row_of
from tests.redteam.wd import WordOptions, docx_bytes
from tests.redteam.xl import openpyxl_bytes, place

PGD = "PHÒNG GD&ĐT QUỲNH NHAI"
WIDTHS = {0: 4, 1: 6, 2: 60, 3: 12, 4: 12, 5: 10, 6: 16}


def _book(report: Report, left: int = 0) -> bytes:
    return openpyxl_bytes([place(report, "Sheet1", left=left)], WIDTHS)


def _lines_with(slots: tuple[str, ...]) -> list[Line]:
    return [line for line in PLAN_LINES if line.slots == slots]


def cases() -> list[Case]:
    """Every second-wave case."""
    out: list[Case] = []

    v = make_values(501)
    v["4.2"]["count"] = 1250
    v["3"]["count"] = 1500
    hdr = [
        (PGD, NATION[0]),
        ("TRƯỜNG TIỂU HỌC\nMƯỜNG SẠI", NATION[1]),
        ("", "Mường Sại, ngày 14/10/2021"),
    ]
    rep = make_report(v, Style(thousands="dot", money="dec_comma"), Layout(), hdr)
    insert_row(rep.table, rep.table.header_rows, [1, 2, 3, 4, 5, 6])
    out.append(
        Case(
            "TH Muong Sai - Bieu 2.xlsx",
            "table from column B, a row of column numbers 1…6 under the header, unit name "
            "wrapped in its cell, '1.250' thousands, money '15.000.000,0'",
            4,
            lambda r=rep: _book(r, left=1),
            v,
            ("Trường Tiểu học Mường Sại",),
        )
    )

    v = make_values(502)
    v["1.9"]["people"] = 1120
    v["1"]["people"] = sum(v[f"1.{i}"]["people"] or 0 for i in range(1, 14))
    hdr = [
        ("ỦY BAN NHÂN DÂN", NATION[0]),
        ("XÃ MƯỜNG GIÀNG", NATION[1]),
        ("", "Mường Giàng, ngày 14 tháng 10 năm 2021"),
    ]
    rep = make_report(
        v, Style(thousands="comma", money="dong", zero="unit"), Layout(), hdr, after=SIGN_COMMUNE
    )
    first = row_of(rep.table, "Các lớp bồi dưỡng, tập huấn tổ chức")
    rep.table.rows[first][4], rep.table.rows[first + 1][4] = rep.table.rows[first + 1][4], None
    out.append(
        Case(
            "UBND xa Muong Giang - PL2.xlsx",
            "'ỦY BAN NHÂN DÂN / XÃ MƯỜNG GIÀNG' on two lines; row 1 people typed on its first "
            "line; '1,120'; money '15.000.000đồng'; zero '0 lớp'",
            4,
            lambda r=rep: _book(r),
            v,
            ("Ủy ban nhân dân xã Mường Giàng", "UBND xã Mường Giàng", "xã Mường Giàng"),
            ambiguous={"1.people": "typed on row 1's first line, under Người; a clerk reads it"},
        )
    )

    v = make_values(503)
    rep = make_report(
        v, Style(num="nbsp"), Layout(), school_header(PGD, "TRƯỜNG THCS MƯỜNG GIÔN", "Mường Giôn")
    )
    w = len(rep.table.rows[0])
    insert_row(
        rep.table,
        0,
        ["BIỂU TỔNG HỢP\nSố liệu kết quả tổ chức tuần lễ học tập suốt đời năm 2021"]
        + [None] * (w - 1),
    )
    rep.table.merges.append((0, 0, 0, w - 1))
    rep.title = []
    out.append(
        Case(
            "THCS Muong Gion (da sua).docx",
            "Word with Track Changes on (old numbers in w:del), numbers followed by a no-break "
            "space, the title in a merged first row of the table",
            3,
            lambda r=rep: docx_bytes(r, WordOptions(tracked=True)),
            v,
            ("Trường THCS Mường Giôn",),
        )
    )

    v = make_values(504)

    def numbered(line: Line) -> str:
        return f"{line.stt}. {line.label}" if line.stt else f"- {line.label}"

    rep = make_report(
        v,
        Style(),
        Layout(cols=("label", "unit", "count", "people", "note"), label=numbered),
        school_header(PGD, "TRƯỜNG MẦM NON CHIỀNG KHOANG", "Chiềng Khoang"),
    )
    out.append(
        Case(
            "MN Chieng Khoang - tuan le HTSD.xlsx",
            "no STT column: '1. …' and '- …' typed at the start of each label",
            3,
            lambda r=rep: _book(r),
            v,
            ("Trường Mầm non Chiềng Khoang",),
        )
    )

    v = make_values(505)
    rep = make_report(
        v,
        Style(),
        Layout(),
        school_header(PGD, "TRƯỜNG TIỂU HỌC PÁ MA PHA KHINH", "Pá Ma Pha Khinh"),
    )
    for line in _lines_with(LN):
        got = v[line.code]
        if got["count"] and got["people"]:
            r = row_of(rep.table, line.label)
            rep.table.rows[r][3], rep.table.rows[r][4] = f"{got['count']}/{got['people']}", None
    out.append(
        Case(
            "TH Pa Ma Pha Khinh.xlsx",
            "'2/45' typed in the Số lớp column of lớp/người rows, Người left empty",
            2,
            lambda r=rep: _book(r),
            v,
            ("Trường Tiểu học Pá Ma Pha Khinh",),
        )
    )

    v = make_values(506, blank=0.5)
    rep = make_report(
        v,
        Style(),
        Layout(),
        school_header("UBND HUYỆN QUỲNH NHAI", "UBND XÃ CHIỀNG KHAY", "Chiềng Khay"),
        after=SIGN_COMMUNE,
    )
    dots = ["…", ".....", "……"]
    for i, line in enumerate(PLAN_LINES):
        if line.code:
            r = row_of(rep.table, line.label)
            for c in (3, 4):
                if rep.table.rows[r][c] is None:
                    rep.table.rows[r][c] = dots[(i + c) % 3]
    out.append(
        Case(
            "xa Chieng Khay.docx",
            "dotted placeholders '…', '.....' left in cells with nothing to report",
            2,
            lambda r=rep: docx_bytes(r),
            v,
            ("UBND xã Chiềng Khay", "Ủy ban nhân dân xã Chiềng Khay"),
        )
    )
    return out
