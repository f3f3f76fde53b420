"""Builds the third red-team corpus: filled Appendix 2 forms made the way clerks make them,
each with its exact expected parse, and a few files that are not the form at all.

    python -m tests.redteam3.build OUTDIR [--no-big]

writes the files and OUTDIR/manifest.json (file, class, kind, expected unit name and values).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field

from . import spec, writers
from .grid import (
    Block,
    Cell,
    Habits,
    Para,
    Sheet,
    Table,
    form_table,
    insert_col,
    letterhead,
    shift_right,
    signature,
    swap_cols,
)
from .grid import title_block as title

BIG_LIST_ROWS = 300_000
BIG_IMAGE_BYTES = 14 * 1024 * 1024


@dataclass
class Case:
    file: str
    cls: str
    what: str
    make: Callable[[str], None]  # path -> writes the file
    values: dict | None  # None: must be refused
    unit: str | None = None
    big: bool = False
    convert: str | None = None  # LibreOffice target ("xls", "ods", "odt", "doc", "xlsx", "docx")
    extra: dict = field(default_factory=dict)


CASES: list[Case] = []


def case(**kw) -> Case:
    c = Case(**kw)
    CASES.append(c)
    return c


def resum(vals: dict) -> None:
    """Parent rows as the sums of their reported sub-rows (after a case edited some)."""
    for parent, kids, slots in (
        ("1", spec.SUB_1, ("count", "people")),
        ("5", spec.SUB_5, ("count",)),
        ("6", spec.SUB_6, ("count",)),
    ):
        have = [k for k in kids if vals[k]["count"] is not None]
        if not have:
            continue
        for slot in slots:
            vals[parent][slot] = sum(vals[k][slot] or 0 for k in have)


def R(seed: int) -> random.Random:
    return random.Random(seed)


def doc_blocks(head: tuple[str, str] | None, table: Table | list[Block], *, year=2021, nfd=False):
    out: list[Block] = []
    if head is not None:
        out += letterhead(*head, nfd=nfd)
    out += title(year, nfd=nfd)
    out += table if isinstance(table, list) else [table]
    out += signature()
    return out


def unit_of(head: tuple[str, str] | None) -> str | None:
    return None if head is None else head[1]


COMMUNE = {n: spec.commune_header(n) for n in spec.COMMUNES}
SCHOOLS = [
    spec.school_header("MẦM NON", "Mường Giàng"),
    spec.school_header("TIỂU HỌC", "Chiềng Bằng"),
    spec.school_header("THCS", "Mường Giàng"),
    spec.school_header("PTDTBT THCS", "Nậm Ét"),
    spec.school_header("TH&THCS", "Chiềng Khoang"),
    ("UBND HUYỆN QUỲNH NHAI", "TRUNG TÂM GDNN-GDTX HUYỆN QUỲNH NHAI"),
]


def simple(
    name: str,
    cls: str,
    what: str,
    seed: int,
    head,
    habits: Habits,
    writer: str,
    *,
    fill=0.7,
    text=None,
    values=None,
    expect=None,
    convert=None,
    wkw=None,
    year=2021,
    nfd=False,
):
    """A one-table document: letterhead, title, the table, signature."""
    rng = R(seed)
    vals = values if values is not None else spec.random_values(rng, fill, text)
    wkw = wkw or {}

    def make(path: str, vals=vals, seed=seed) -> None:
        t = form_table(vals, R(seed + 1000), habits)
        blocks = doc_blocks(head, t, year=year, nfd=nfd)
        write(writer, blocks, path, **wkw)

    exp = expect(copy.deepcopy(vals)) if expect else vals
    if not habits.include_11:
        exp["11"]["text"] = None
    return case(
        file=name, cls=cls, what=what, make=make, values=exp, unit=unit_of(head), convert=convert
    )


def write(writer: str, blocks: list[Block], path: str, **kw) -> None:
    if writer == "openpyxl":
        writers.write_openpyxl([Sheet("Biểu tổng hợp", blocks)], path, **kw)
    elif writer == "rawxlsx":
        writers.write_raw_xlsx([Sheet(kw.pop("sheet", "Sheet1"), blocks)], path, **kw)
    elif writer == "xls":
        writers.write_xls([Sheet("Phu luc 2", blocks)], path, **kw)
    elif writer == "pydocx":
        writers.write_python_docx(blocks, path)
    elif writer == "rawdocx":
        writers.write_raw_docx(blocks, path, **kw)
    elif writer == "htmlxls":
        writers.write_html_xls(blocks, path)
    else:
        raise ValueError(writer)


# === Excel and its look-alikes ===============================================================

simple(
    "excel-co-ban-muong-giang.xlsx",
    "excel",
    "openpyxl, official layout, numbers",
    1,
    COMMUNE["Mường Giàng"],
    Habits(),
    "openpyxl",
)
simple(
    "excel-chu-so-kieu-go-th-chieng-bang.xlsx",
    "excel",
    "numbers typed as text: '12 lớp', '1.200', '02', '-', 'không'; money '15 triệu'",
    2,
    SCHOOLS[1],
    Habits(count_style="mixed", money_style="mixed"),
    "openpyxl",
    fill=0.9,
)
simple(
    "excel-so-thuc-cheng-khay.xlsx",
    "excel",
    "figures stored as floats (12.0)",
    3,
    COMMUNE["Chiềng Khay"],
    Habits(count_style="float"),
    "openpyxl",
)
simple(
    "excel-it-dong-muong-sai.xlsx",
    "excel",
    "only a few rows filled, the rest blank",
    4,
    COMMUNE["Mường Sại"],
    Habits(),
    "openpyxl",
    fill=0.2,
)
simple(
    "excel-quirk-dong-1-13-thcs.xlsx",
    "excel",
    "the plan's own table: row 1.13 shifted one column left",
    5,
    SCHOOLS[2],
    Habits(quirk_113=True),
    "openpyxl",
    fill=0.9,
)
simple(
    "excel-khong-tieu-de-don-vi.xlsx",
    "excel",
    "no letterhead at all (unit unknown)",
    6,
    None,
    Habits(),
    "openpyxl",
)
simple(
    "excel-noi-dung-khac-ca-nang.xlsx",
    "excel",
    "row 11 carries free text",
    7,
    COMMUNE["Cà Nàng"],
    Habits(),
    "openpyxl",
    text="Tổ chức 02 buổi đọc sách tại bản Co Mạ",
)


def _formula_case(name: str, seed: int, cached: bool, writer: str, head) -> None:
    rng = R(seed)
    vals = spec.random_values(rng, 0.9)
    for c in spec.SUB_1:
        if vals[c]["count"] is None:
            vals[c] = {"count": 1, "people": 20}
    vals["1"] = {
        "count": sum(vals[c]["count"] for c in spec.SUB_1),
        "people": sum(vals[c]["people"] for c in spec.SUB_1),
    }
    for group, parent in ((spec.SUB_5, "5"), (spec.SUB_6, "6")):
        for c in group:
            if vals[c]["count"] is None:
                vals[c]["count"] = 0
                if "people" in vals[c]:
                    vals[c]["people"] = 0
        vals[parent]["count"] = sum(vals[c]["count"] for c in group)
    vals["10.1"]["amount"] = 12_000_000

    def make(path: str) -> None:
        # Where the rows land: letterhead 5 + title 3 + header 2 => first data row 11.
        first = 11
        row_of = {}
        for i, fr in enumerate(spec.ROWS):
            row_of[(fr.code, fr.kind)] = first + i
        sub_rows = [row_of[(c, "pair")] for c in spec.SUB_1]
        ov = {
            ("1", "count"): Cell(
                vals["1"]["count"], formula=f"SUM(D{sub_rows[0]}:D{sub_rows[-1]})", cached=cached
            ),
            ("1b", "people"): Cell(
                vals["1"]["people"], formula=f"SUM(E{sub_rows[0]}:E{sub_rows[-1]})", cached=cached
            ),
            ("5", "count"): Cell(
                vals["5"]["count"],
                formula=f"SUM(D{row_of[('5.1', 'single')]}:D{row_of[('5.6', 'pair')]})",
                cached=cached,
            ),
            ("6", "count"): Cell(
                vals["6"]["count"],
                formula=f"D{row_of[('6.1', 'pair')]}+D{row_of[('6.2', 'pair')]}"
                f"+D{row_of[('6.3', 'pair')]}",
                cached=cached,
            ),
            ("10.1", "count"): Cell(12_000_000, formula="12*10^6", cached=cached),
        }
        h = Habits(overrides=ov)
        t = form_table(vals, R(seed + 1000), h)
        blocks = doc_blocks(head, t)
        if writer == "openpyxl":
            writers.write_openpyxl([Sheet("Biểu tổng hợp", blocks)], path)
        else:
            writers.write_raw_xlsx([Sheet("Sheet1", blocks)], path)

    case(
        file=name,
        cls="formulas",
        make=make,
        values=vals,
        unit=unit_of(head),
        what=f"SUM formulas in rows 1, 5, 6 and a money formula, cached={cached}",
    )


_formula_case(
    "cong-thuc-khong-cache-muong-chien.xlsx", 8, False, "openpyxl", COMMUNE["Mường Chiên"]
)
_formula_case("cong-thuc-co-cache-muong-gion.xlsx", 9, True, "rawxlsx", COMMUNE["Mường Giôn"])

simple(
    "gsheets-xuat-nam-et.xlsx",
    "other-apps",
    "Google Sheets export style: no dimension, shared strings, absolute part targets",
    10,
    COMMUNE["Nậm Ét"],
    Habits(),
    "rawxlsx",
    wkw={"abs_targets": True, "dimension": False, "app": "Google Sheets", "sheet": "Trang tính1"},
)
simple(
    "wps-et-chieng-on.xlsx",
    "other-apps",
    "WPS Spreadsheets style: inline strings",
    11,
    COMMUNE["Chiềng Ơn"],
    Habits(count_style="text"),
    "rawxlsx",
    wkw={"strings": "inline", "app": "WPS Office"},
)
simple(
    "dien-thoai-x-prefix-pa-ma.xlsx",
    "other-apps",
    "phone app / OpenXML SDK style: x: namespace prefix, no r attributes, no styles",
    12,
    COMMUNE["Pá Ma Pha Khinh"],
    Habits(),
    "rawxlsx",
    wkw={
        "prefix": "x",
        "r_attrs": False,
        "no_styles": True,
        "strings": "inline",
        "app": "Excel Mobile",
    },
)
simple(
    "libreoffice-luu-xlsx-chieng-khoang.xlsx",
    "other-apps",
    "saved as .xlsx by LibreOffice Calc",
    13,
    COMMUNE["Chiềng Khoang"],
    Habits(),
    "openpyxl",
    convert="xlsx",
)
simple(
    "libreoffice-calc-th-thcs.ods",
    "other-apps",
    "LibreOffice Calc .ods",
    14,
    SCHOOLS[4],
    Habits(count_style="mixed"),
    "openpyxl",
    convert="ods",
)
simple(
    "excel-97-xlwt-mn-muong-giang.xls",
    "xls",
    "Excel 97-2003 .xls (xlwt)",
    15,
    SCHOOLS[0],
    Habits(),
    "xls",
)
simple(
    "excel-97-tu-libreoffice-chieng-bang.xls",
    "xls",
    ".xls saved by LibreOffice",
    16,
    COMMUNE["Chiềng Bằng"],
    Habits(money_style="dots"),
    "openpyxl",
    convert="xls",
)

# === Word and its look-alikes ================================================================

simple(
    "word-co-ban-muong-giang.docx",
    "word",
    "python-docx, official layout",
    21,
    SCHOOLS[2],
    Habits(),
    "pydocx",
)
simple(
    "word-raw-so-kieu-go-chieng-khay.docx",
    "word",
    "Word XML, figures typed '12 lớp', '1.200'",
    22,
    COMMUNE["Chiềng Khay"],
    Habits(count_style="mixed", money_style="mixed"),
    "rawdocx",
    fill=0.9,
)
simple(
    "wps-writer-chu-tach-run-muong-sai.docx",
    "other-apps",
    "WPS Writer style: every few characters a run, proofErr marks",
    23,
    COMMUNE["Mường Sại"],
    Habits(),
    "rawdocx",
    wkw={"split_runs": True, "app": "WPS Office"},
)
simple(
    "word-dien-thoai-khong-styles.docx",
    "other-apps",
    "phone Word: no styles part, split runs, portrait",
    24,
    SCHOOLS[3],
    Habits(),
    "rawdocx",
    wkw={"styles": False, "split_runs": True, "landscape": False, "app": "Word Android"},
)
simple(
    "libreoffice-luu-docx-ptdtbt.docx",
    "other-apps",
    "saved as .docx by LibreOffice Writer",
    25,
    SCHOOLS[3],
    Habits(),
    "rawdocx",
    convert="docx",
)
simple(
    "libreoffice-writer-muong-chien.odt",
    "other-apps",
    "LibreOffice Writer .odt",
    26,
    COMMUNE["Mường Chiên"],
    Habits(),
    "rawdocx",
    convert="odt",
)
simple(
    "word-97-2003-nam-et.doc",
    "other-apps",
    "Word 97-2003 .doc (via LibreOffice)",
    27,
    COMMUNE["Nậm Ét"],
    Habits(),
    "rawdocx",
    convert="doc",
)

# === last year's file, fonts, NFD ============================================================

OLD_LABELS = {
    "1.1": "BD nâng cao trình độ chuyên môn, nghiệp vụ cho CBCCVC các cấp",
    "1.2": "BD nâng cao trình độ ngoại ngữ cho CBCCVC",
    "1.3": "BD nâng cao trình độ tin học cho CBCCVC",
    "1.9": "BDTX cho giáo viên",
    "1.10": "Bồi dưỡng, tập huấn cho CBQL, báo cáo viên TT HTCĐ",
    "1.11": "Phổ cập GD (TH, THCS)",
    "5.2": "Trưng bày, triển lãm sách báo, tư liệu",
}
OLD_HEADER = {
    "count": "Số lớp/ Số cuộc",
    "people": "Số người",
    "label": "Nội dung hoạt động",
    "unit": "ĐVT",
}
simple(
    "nam-ngoai-2020-sua-so-lieu-chieng-on.xlsx",
    "last-year",
    "last year's file re-filled: 2020 title, old header words, abbreviated labels, no row 11",
    31,
    COMMUNE["Chiềng Ơn"],
    Habits(labels=OLD_LABELS, header_text=OLD_HEADER, include_11=False),
    "openpyxl",
    year=2020,
)
simple(
    "nam-ngoai-2020-word-th-chieng-bang.docx",
    "last-year",
    "last year's Word file re-filled, old labels and header",
    32,
    SCHOOLS[1],
    Habits(labels=OLD_LABELS, header_text=OLD_HEADER, include_11=False),
    "rawdocx",
    year=2020,
)
simple(
    "nfd-toan-bo-muong-giang.xlsx",
    "fonts-nfd",
    "every text in decomposed Unicode (NFD)",
    33,
    COMMUNE["Mường Giàng"],
    Habits(nfd=True, count_style="mixed"),
    "openpyxl",
    nfd=True,
)
simple(
    "nfd-word-ca-nang.docx",
    "fonts-nfd",
    "Word, all text NFD, split runs",
    34,
    COMMUNE["Cà Nàng"],
    Habits(nfd=True),
    "rawdocx",
    nfd=True,
    wkw={"split_runs": True},
)
simple(
    "font-la-vntime-unicode-chieng-khoang.docx",
    "fonts-nfd",
    "odd fonts declared (eastAsia hint, zh-CN lang) over Unicode text",
    35,
    SCHOOLS[4],
    Habits(),
    "rawdocx",
    wkw={"split_runs": True},
)

# === columns clerks add, move or delete ======================================================

simple(
    "cot-truc-tiep-truc-tuyen-co-tong-muong-gion.xlsx",
    "columns",
    "'Trực tiếp / Trực tuyến / Tổng' under both value columns; Tổng is the figure",
    41,
    COMMUNE["Mường Giôn"],
    Habits(split="mode_total"),
    "openpyxl",
)
simple(
    "cot-truc-tiep-truc-tuyen-khong-tong-th-chieng-bang.docx",
    "columns",
    "'Trực tiếp / Trực tuyến' with no total: the figure is their sum",
    42,
    SCHOOLS[1],
    Habits(split="mode"),
    "rawdocx",
)
simple(
    "cot-nam-nu-co-tong-so-muong-chien.xlsx",
    "columns",
    "people split 'Tổng số / Nam / Nữ'",
    43,
    COMMUNE["Mường Chiên"],
    Habits(split="sex"),
    "openpyxl",
)
simple(
    "cot-nam-nu-khong-tong-thcs.docx",
    "columns",
    "people split 'Nam / Nữ' only (sum)",
    44,
    SCHOOLS[2],
    Habits(split="sex_nototal"),
    "rawdocx",
)
simple(
    "ghi-chu-chuyen-len-sau-ten-chieng-khay.xlsx",
    "columns",
    "'Ghi chú' moved after the label column, notes with figures in them",
    45,
    COMMUNE["Chiềng Khay"],
    Habits(
        note="after_label",
        notes={
            "1.5": "02 lớp tại bản Hé",
            "2": "đăng 3 bài trên cổng TTĐT",
            "1.12": "1 lớp ghép",
            "10.1": "đã quyết toán 5 triệu",
        },
    ),
    "openpyxl",
)
simple(
    "xoa-cot-stt-word-pa-ma.docx",
    "columns",
    "STT column deleted",
    46,
    COMMUNE["Pá Ma Pha Khinh"],
    Habits(stt=False),
    "rawdocx",
)
simple(
    "xoa-stt-va-ghi-chu-muong-giang.xlsx",
    "columns",
    "STT and Ghi chú columns deleted",
    47,
    COMMUNE["Mường Giàng"],
    Habits(stt=False, note="none"),
    "openpyxl",
)
simple(
    "them-cot-thoi-gian-dia-diem-nam-et.xlsx",
    "columns",
    "extra columns 'Thời gian' and 'Địa điểm' with dates and places",
    48,
    SCHOOLS[3],
    Habits(
        extra_cols=[
            ("Thời gian", lambda fr: "01/10/2021" if fr.code else None),
            ("Địa điểm", lambda fr: "Nhà văn hóa bản" if fr.code else None),
        ]
    ),
    "openpyxl",
)
simple(
    "gia-tri-cot-nguoi-hang-don-chieng-on.xlsx",
    "columns",
    "single-measure rows typed into the 'Người' column",
    49,
    COMMUNE["Chiềng Ơn"],
    Habits(single_col="people"),
    "openpyxl",
)
simple(
    "gia-tri-hang-don-lan-xon-th-chieng-khoang.docx",
    "columns",
    "single-measure rows: some in 'Số lớp', some in 'Người'",
    50,
    SCHOOLS[4],
    Habits(single_col="random"),
    "rawdocx",
)


# === tables split over sheets / pages ========================================================


def _groups_case(name, seed, head, writer) -> None:
    rng = R(seed)
    vals = spec.random_values(rng, 0.8)
    groups = [
        ("1. Lớp bồi dưỡng", {"1", *spec.SUB_1}),
        ("2-4. Truyền thông, sách", {"2", "3", "4", "4.1", "4.2"}),
        ("5-6. Cuộc thi, văn nghệ", {"5", *spec.SUB_5, "6", *spec.SUB_6}),
        ("7-11. Khác", {"7", "7.1", "8", "9", "9.1", "9.2", "10", "10.1", "10.2", "11"}),
    ]

    def make(path: str) -> None:
        if writer == "openpyxl":
            sheets = []
            for i, (sname, only) in enumerate(groups):
                t = form_table(vals, R(seed + i), Habits(only=only))
                blocks: list[Block] = (letterhead(*head) + title()) if i == 0 else [Para(sname)]
                sheets.append(Sheet(sname, [*blocks, t]))
            writers.write_openpyxl(sheets, path)
        else:
            blocks = letterhead(*head) + title()
            for i, (sname, only) in enumerate(groups):
                blocks.append(Para(sname, bold=True))
                blocks.append(form_table(vals, R(seed + i), Habits(only=only)))
            blocks += signature()
            writers.write_raw_docx(blocks, path)

    case(
        file=name,
        cls="split-tables",
        make=make,
        values=vals,
        unit=unit_of(head),
        what="one table per activity group ("
        + ("a sheet" if writer == "openpyxl" else "a Word table")
        + " each, own header)",
    )


_groups_case("moi-nhom-mot-sheet-muong-sai.xlsx", 51, COMMUNE["Mường Sại"], "openpyxl")
_groups_case("moi-nhom-mot-bang-word-mn.docx", 52, SCHOOLS[0], "rawdocx")


def _split_pages(name, seed, head, writer) -> None:
    rng = R(seed)
    vals = spec.random_values(rng, 0.8)
    first = {"1", *spec.SUB_1, "2", "3", "4", "4.1", "4.2"}
    rest = {fr.code or fr.stt for fr in spec.ROWS} - first

    def make(path: str) -> None:
        t1 = form_table(vals, R(seed), Habits(only=first))
        t2 = form_table(vals, R(seed + 1), Habits(only=rest))
        if writer == "openpyxl-2sheets":
            writers.write_openpyxl(
                [Sheet("Trang 1", [*letterhead(*head), *title(), t1]), Sheet("Trang 2", [t2])],
                path,
            )
        elif writer == "openpyxl-1sheet":
            # header repeated mid-sheet, as when a printed page break was pasted
            blocks = [*letterhead(*head), *title(), t1, Para(""), t2, *signature()]
            writers.write_openpyxl([Sheet("PL2", blocks)], path)
        else:
            blocks = [*letterhead(*head), *title(), t1, Para("(tiếp theo)"), t2, *signature()]
            writers.write_raw_docx(blocks, path)

    case(
        file=name,
        cls="split-tables",
        make=make,
        values=vals,
        unit=unit_of(head),
        what=f"the table split in two with the header repeated ({writer})",
    )


_split_pages(
    "chia-2-sheet-lap-tieu-de-chieng-bang.xlsx", 53, COMMUNE["Chiềng Bằng"], "openpyxl-2sheets"
)
_split_pages(
    "lap-tieu-de-giua-sheet-muong-chien.xlsx", 54, COMMUNE["Mường Chiên"], "openpyxl-1sheet"
)
_split_pages("word-2-trang-2-bang-th-chieng-bang.docx", 55, SCHOOLS[1], "rawdocx")

# === two rows' labels in one merged cell =====================================================

simple(
    "gop-nhan-4-1-4-2-excel-muong-giang.xlsx",
    "merged-labels",
    "4.1 and 4.2 labels in one merged cell (two lines), each row its own figure",
    61,
    COMMUNE["Mường Giàng"],
    Habits(merge_labels=[("4.1", "4.2")]),
    "openpyxl",
    fill=1.0,
)
simple(
    "gop-nhan-9-10-excel-chieng-khay.xlsx",
    "merged-labels",
    "9.1+9.2 and 10.1+10.2 labels merged",
    62,
    COMMUNE["Chiềng Khay"],
    Habits(merge_labels=[("9.1", "9.2"), ("10.1", "10.2")]),
    "openpyxl",
    fill=1.0,
)
simple(
    "gop-nhan-vmerge-word-thcs.docx",
    "merged-labels",
    "Word vMerge: 4.1+4.2 and 9.1+9.2 labels in one cell",
    63,
    SCHOOLS[2],
    Habits(merge_labels=[("4.1", "4.2"), ("9.1", "9.2")]),
    "rawdocx",
    fill=1.0,
)
simple(
    "gop-nhan-dong-1-tong-so-nguoi-word.docx",
    "merged-labels",
    "Word vMerge: row 1 and 'Tổng số người tham gia' in one label cell",
    64,
    COMMUNE["Mường Giôn"],
    Habits(merge_labels=[("1", "1b"), ("10.1", "10.2")]),
    "rawdocx",
    fill=1.0,
)
simple(
    "gop-nhan-dong-1-tong-so-nguoi-excel.xlsx",
    "merged-labels",
    "Excel merged label: row 1 + 'Tổng số người tham gia'",
    65,
    COMMUNE["Nậm Ét"],
    Habits(merge_labels=[("1", "1b")]),
    "openpyxl",
    fill=1.0,
)
simple(
    "so-luong-gop-2-cot-word-cheng-on.docx",
    "merged-labels",
    "Word: 'Số lượng' cell spans both value columns (gridSpan=2) on single-measure rows",
    66,
    COMMUNE["Chiềng Ơn"],
    Habits(span_single=True),
    "rawdocx",
    fill=1.0,
)
simple(
    "so-luong-gop-2-cot-excel-mn.xlsx",
    "merged-labels",
    "Excel: value merged across both value columns on single-measure rows",
    67,
    SCHOOLS[0],
    Habits(span_single=True),
    "openpyxl",
    fill=1.0,
)

# === narrative (Appendix 1) with a table of its own before the form ==========================


def _narrative(name, seed, head, writer, expect_vals=True) -> None:
    rng = R(seed)
    vals = spec.random_values(rng, 0.8)
    for c in ("1.5", "1.7", "1.12"):
        vals[c] = {"count": 2, "people": 50}
    vals["1"]["count"] = sum(vals[c]["count"] or 0 for c in spec.SUB_1)
    vals["1"]["people"] = sum(vals[c]["people"] or 0 for c in spec.SUB_1)

    def make(path: str) -> None:
        small = Table(
            [
                [
                    Cell(x, bold=True)
                    for x in ("STT", "Tên lớp", "Số lớp", "Số học viên", "Hình thức")
                ],
                [Cell(1), Cell("Học nghề trồng cà phê"), Cell(1), Cell(30), Cell("Trực tiếp")],
                [Cell(2), Cell("Học nghề chăn nuôi"), Cell(1), Cell(20), Cell("Trực tiếp")],
                [Cell(3), Cell("Kỹ năng sống"), Cell(2), Cell(50), Cell("Trực tuyến")],
                [Cell(4), Cell("Xóa mù chữ"), Cell(2), Cell(50), Cell("Trực tiếp")],
            ],
            header_rows=1,
            widths=[600, 4000, 1200, 1400, 1600],
        )
        blocks: list[Block] = [
            *letterhead(*head),
            Para("Phụ lục 1", bold=True),
            Para("BÁO CÁO", bold=True, center=True),
            Para("Tổng kết Tuần lễ học tập suốt đời năm 2021", center=True),
            Para("I. TỔ CHỨC TRIỂN KHAI TUẦN LỄ", bold=True),
            Para(
                "1. Công tác chỉ đạo, ban hành kế hoạch triển khai: UBND xã đã"
                " ban hành kế hoạch số 45/KH-UBND ngày 20/9/2021."
            ),
            Para(
                "3. Nội dung các hoạt động đã triển khai trong Tuần lễ: tổ"
                " chức các lớp học như sau:"
            ),
            small,
            Para("4. Kinh phí tổ chức Tuần lễ: ngân sách nhà nước 5 triệu đồng."),
            Para("II. ĐÁNH GIÁ CHUNG", bold=True),
            Para("1. Những kết quả đã đạt được: 100% các bản tham gia."),
            Para("4. Bảng tổng hợp số liệu (theo Mẫu tổng hợp) kèm theo."),
            *title(),
            form_table(vals, R(seed + 1), Habits()),
            *signature("Lò Thị Hương", "CHỦ TỊCH"),
        ]
        write(writer, blocks, path)

    case(
        file=name,
        cls="narrative",
        make=make,
        values=vals,
        unit=unit_of(head),
        what="Appendix 1 narrative with its own small class table, the form at the end",
    )


_narrative("bao-cao-phu-luc-1-va-2-muong-giang.docx", 71, COMMUNE["Mường Giàng"], "rawdocx")
_narrative("bao-cao-phu-luc-1-va-2-python-docx-ca-nang.docx", 72, COMMUNE["Cà Nàng"], "pydocx")

# === content controls ========================================================================

simple(
    "content-control-placeholder-en-chieng-khoang.docx",
    "content-controls",
    "template with content controls in every value cell; empty ones still show "
    "'Click or tap here to enter text.'",
    81,
    COMMUNE["Chiềng Khoang"],
    Habits(empty_cell=Cell(placeholder=writers.PLACEHOLDER_EN), value_sdt="run"),
    "rawdocx",
    fill=0.5,
)
simple(
    "content-control-placeholder-vi-th.docx",
    "content-controls",
    "Vietnamese Word, cell-level content controls; empty cells show 'Bấm hoặc gõ nhẹ vào "
    "đây để nhập văn bản.'",
    82,
    SCHOOLS[1],
    Habits(
        empty_cell=Cell(placeholder=writers.PLACEHOLDER_VI, sdt=True, sdt_level="cell"),
        value_sdt="cell",
    ),
    "rawdocx",
    fill=0.5,
)
simple(
    "content-control-chi-o-trong-mn.docx",
    "content-controls",
    "placeholders only in the empty cells, typed figures plain",
    83,
    SCHOOLS[0],
    Habits(empty_cell=Cell(placeholder=writers.PLACEHOLDER_VI)),
    "rawdocx",
    fill=0.4,
)

# === Excel's own typing accidents ============================================================


def _accidents(name, seed, head, kind, writer="openpyxl") -> None:
    rng = R(seed)
    vals = spec.random_values(rng, 0.8)
    ov: dict = {}
    suffix: dict = {}
    h = Habits()
    what = ""
    if kind == "date":
        vals["1.12"] = {"count": 2, "people": 45}
        vals["5.3"] = {"count": 2, "people": 15}
        vals["6.2"] = {"count": 3, "people": 45}
        ov[("1.12", "count")] = Cell(dt.datetime(1945, 2, 1), fmt="mmm-yy")
        ov[("1.12", "people")] = Cell(None)
        ov[("5.3", "count")] = Cell(dt.datetime(2015, 2, 1), fmt="m/yyyy")
        ov[("5.3", "people")] = Cell(None)
        ov[("6.2", "count")] = Cell(dt.datetime(2045, 3, 1), fmt="mm/yyyy")
        ov[("6.2", "people")] = Cell(None)
        what = "'2/45', '2/15', '3/45' auto-dated by Excel (1945-02-01, 2015-02-01, 2045-03-01)"
    elif kind == "label":
        vals["1.12"] = {"count": 1, "people": 25}
        vals["5.1"]["count"] = 2
        vals["7.1"]["count"] = 1
        suffix = {"1.12": "\n1 lớp/25 người", "5.1": "\n02", "7.1": "\n01 trường"}
        what = "figures typed in the label cell after Alt+Enter, value cells blank"
    elif kind == "percent":
        vals["2"]["count"] = 12
        vals["3"]["count"] = 150
        vals["1.9"] = {"count": 1, "people": 35}
        ov[("2", "count")] = Cell(0.12, fmt="0%")
        ov[("3", "count")] = Cell(1.5, fmt="0%")
        ov[("1.9", "people")] = Cell(0.35, fmt="0.00%")
        what = "12 typed into a %-formatted cell (stored 0.12, shows 12%)"
    elif kind == "slash":
        vals["1.5"] = {"count": 2, "people": 45}
        vals["6.1"] = {"count": 3, "people": 120}
        ov[("1.5", "count")] = Cell("2/45")
        ov[("1.5", "people")] = Cell(None)
        ov[("6.1", "count")] = Cell("3 cuộc/120 người")
        ov[("6.1", "people")] = Cell(None)
        what = "'2/45' and '3 cuộc/120 người' typed as text in one cell"
    elif kind == "dm-date":
        vals["1.7"] = {"count": 1, "people": 10}
        vals["6.3"] = {"count": 3, "people": 12}
        ov[("1.7", "count")] = Cell(dt.datetime(2021, 10, 1), fmt="dd/mm")
        ov[("1.7", "people")] = Cell(None)
        ov[("6.3", "count")] = Cell(dt.datetime(2021, 12, 3), fmt="d/m")
        ov[("6.3", "people")] = Cell(None)
        what = "'1/10' and '3/12' auto-dated by a Vietnamese (d/m) Excel: 01/10/2021, 03/12/2021"
    elif kind == "comma-pair":
        vals["1.4"] = {"count": 2, "people": 45}
        vals["5.5"] = {"count": 1, "people": 60}
        ov[("1.4", "count")] = Cell("2 lớp, 45 người")
        ov[("1.4", "people")] = Cell(None)
        ov[("5.5", "count")] = Cell("1 cuộc - 60 người")
        ov[("5.5", "people")] = Cell(None)
        what = "'2 lớp, 45 người' and '1 cuộc - 60 người' typed in one cell"
    resum(vals)
    h = Habits(overrides=ov, label_suffix=suffix)

    def make(path: str) -> None:
        t = form_table(vals, R(seed + 1), h)
        write(writer, doc_blocks(head, t), path)

    case(file=name, cls="typing-accidents", make=make, values=vals, unit=unit_of(head), what=what)


_accidents("excel-tu-doi-ngay-2-45-muong-sai.xlsx", 91, COMMUNE["Mường Sại"], "date")
_accidents("xls-tu-doi-ngay-2-45-nam-et.xls", 92, COMMUNE["Nậm Ét"], "date", "xls")
_accidents("so-go-trong-o-ten-alt-enter-chieng-on.xlsx", 93, COMMUNE["Chiềng Ơn"], "label")
_accidents("so-go-trong-o-ten-word-thcs.docx", 94, SCHOOLS[2], "label", "rawdocx")
_accidents("o-dinh-dang-phan-tram-muong-chien.xlsx", 95, COMMUNE["Mường Chiên"], "percent")
_accidents("hai-so-mot-o-2-45-th-chieng-bang.xlsx", 96, SCHOOLS[1], "slash")
_accidents("hai-so-mot-o-2-45-word-ptdtbt.docx", 97, SCHOOLS[3], "slash", "rawdocx")
_accidents(
    "excel-tu-doi-ngay-1-10-kieu-viet-chieng-khoang.xlsx", 98, COMMUNE["Chiềng Khoang"], "dm-date"
)
_accidents(
    "hai-so-mot-o-dau-phay-word-ca-nang.docx", 99, COMMUNE["Cà Nàng"], "comma-pair", "rawdocx"
)


def _hidden(name, seed, head, kind) -> None:
    rng = R(seed)
    vals = spec.random_values(rng, 0.9)
    old = spec.random_values(R(seed + 50), 1.0)

    def make(path: str) -> None:
        if kind == "vanish":
            ov = {}
            for code in ("1.1", "1.5", "2", "8"):
                cur = vals[code]["count"]
                ov[(code, "count")] = Cell(cur, vanish=f" {old[code]['count']}")
            t = form_table(vals, R(seed + 1), Habits(overrides=ov))
            writers.write_raw_docx(doc_blocks(head, t), path)
            return
        # a hidden column of last year's figures after 'Người', and hidden rows of an old copy
        h = Habits(
            extra_cols=[
                (
                    "Năm 2020",
                    lambda fr: (
                        old[fr.code]["count"] if fr.code and "count" in old[fr.code] else None
                    ),
                )
            ]
        )
        t = form_table(vals, R(seed + 1), h)
        # column order: STT, label, unit, count, people, Ghi chú, Năm 2020 -> hide index 6
        t.hidden_cols = {6}
        if kind in ("rows", "xls"):
            old_t = form_table(old, R(seed + 2), Habits(only={"2", "3", "8"}, header=False))
            for r in old_t.rows:
                r[1] = Cell(f"{r[1].v} (năm 2020)")
            n0 = len(t.rows)
            t.rows.extend(old_t.rows)
            t.hidden_rows = set(range(n0, len(t.rows)))
        if kind == "xls":
            writers.write_xls([Sheet("PL2", doc_blocks(head, t))], path)
        else:
            writers.write_openpyxl(
                [Sheet("PL2", doc_blocks(head, t))], path, widths=[6, 60, 14, 14, 12, 20, 10]
            )

    what = {
        "vanish": "Word hidden text (w:vanish) beside the figures: last year's numbers",
        "cols": "hidden column 'Năm 2020' with last year's figures",
        "rows": "hidden column of old figures and hidden rows of an old copy of rows 2, 3, 8",
        "xls": ".xls with a hidden column and hidden rows of old figures",
    }[kind]
    case(file=name, cls="hidden", make=make, values=vals, unit=unit_of(head), what=what)


_hidden("chu-an-vanish-word-chieng-khoang.docx", 101, COMMUNE["Chiềng Khoang"], "vanish")
_hidden("cot-an-nam-2020-ca-nang.xlsx", 102, COMMUNE["Cà Nàng"], "cols")
_hidden("hang-va-cot-an-muong-gion.xlsx", 103, COMMUNE["Mường Giôn"], "rows")
_hidden("hang-va-cot-an-xls-mn.xls", 104, SCHOOLS[0], "xls")

# === numbers and money as clerks type them ===================================================


def _money_case(name, seed, head, writer, texts: dict[str, tuple[str, int]]) -> None:
    vals = spec.random_values(R(seed), 0.8)
    ov = {}
    for code, (typed, amount) in texts.items():
        vals[code]["amount"] = amount
        ov[(code, "count")] = Cell(typed)

    def make(path: str) -> None:
        t = form_table(vals, R(seed + 1), Habits(overrides=ov))
        write(writer, doc_blocks(head, t), path)

    case(
        file=name,
        cls="numbers",
        make=make,
        values=vals,
        unit=unit_of(head),
        what="money typed " + ", ".join(repr(t) for t, _ in texts.values()),
    )


_money_case(
    "tien-15-trieu-1-2-ty-muong-giang.xlsx",
    111,
    COMMUNE["Mường Giàng"],
    "openpyxl",
    {"10.1": ("15 triệu", 15_000_000), "10.2": ("1,2 tỷ", 1_200_000_000)},
)
_money_case(
    "tien-15tr-15-5-trieu-word-chieng-bang.docx",
    112,
    COMMUNE["Chiềng Bằng"],
    "rawdocx",
    {"10.1": ("15tr", 15_000_000), "10.2": ("15,5 triệu", 15_500_000)},
)
_money_case(
    "tien-dau-cham-dau-phay-th.xlsx",
    113,
    SCHOOLS[1],
    "openpyxl",
    {"10.1": ("15.000.000", 15_000_000), "10.2": ("2,500,000", 2_500_000)},
)
_money_case(
    "tien-dong-viet-lien-thcs.docx",
    114,
    SCHOOLS[2],
    "rawdocx",
    {"10.1": ("15000000đ", 15_000_000), "10.2": ("3.500.000 đồng", 3_500_000)},
)


def _counts_case(name, seed, head, writer) -> None:
    vals = spec.random_values(R(seed), 1.0)
    vals["1.9"] = {"count": 12, "people": 1200}
    vals["4.2"]["count"] = 1500
    vals["1.12"] = {"count": 0, "people": 0}
    vals["5.6"] = {"count": 0, "people": 0}
    vals["9.1"]["count"] = 0
    vals["1"]["count"] = sum(vals[c]["count"] for c in spec.SUB_1)
    vals["1"]["people"] = sum(vals[c]["people"] for c in spec.SUB_1)
    ov = {
        ("1.9", "count"): Cell("12 lớp"),
        ("1.9", "people"): Cell("1.200"),
        ("4.2", "count"): Cell("1,500 quyển"),
        ("1.12", "count"): Cell("-"),
        ("1.12", "people"): Cell("–"),
        ("5.6", "count"): Cell("không"),
        ("5.6", "people"): Cell("0 người"),
        ("9.1", "count"): Cell("0"),
        ("1.1", "people"): Cell(f"{vals['1.1']['people']} người"),
        ("2", "count"): Cell(f"{vals['2']['count']:02d}"),
    }

    def make(path: str) -> None:
        t = form_table(vals, R(seed + 1), Habits(overrides=ov))
        write(writer, doc_blocks(head, t), path)

    case(
        file=name,
        cls="numbers",
        make=make,
        values=vals,
        unit=unit_of(head),
        what="'12 lớp', '1.200', '1,500 quyển', '-', '–', 'không', '0 người', '02'",
    )


_counts_case("so-kieu-go-excel-pa-ma.xlsx", 115, COMMUNE["Pá Ma Pha Khinh"], "openpyxl")
_counts_case("so-kieu-go-word-muong-sai.docx", 116, COMMUNE["Mường Sại"], "rawdocx")
_counts_case("so-kieu-go-xls-gdnn.xls", 117, SCHOOLS[5], "xls")

# === workbooks and documents carrying much more than the form ================================


def _big(name, seed, head, kind) -> None:
    vals = spec.random_values(R(seed), 0.8)

    def make(path: str) -> None:
        t = form_table(vals, R(seed + 1), Habits())
        blocks = doc_blocks(head, t)
        if kind in ("list", "list-first"):
            writers.write_raw_xlsx(
                [Sheet("Biểu tổng hợp", blocks)],
                path,
                big_sheets={"Danh sách học viên": writers.learner_rows(BIG_LIST_ROWS)},
                big_first=kind == "list-first",
            )
        elif kind == "image-xlsx":
            writers.write_raw_xlsx(
                [Sheet("PL2", blocks)], path, image=writers.random_png(BIG_IMAGE_BYTES)
            )
        elif kind == "image-docx":
            writers.write_raw_docx(blocks, path, image=writers.random_png(BIG_IMAGE_BYTES))
        elif kind == "list-docx":
            rows = [
                [
                    Cell(x, bold=True)
                    for x in ("STT", "Họ và tên", "Năm sinh", "Dân tộc", "Bản", "Lớp")
                ]
            ]
            for i in range(1, 5001):
                rows.append(
                    [
                        Cell(i),
                        Cell(f"Lò Văn {('An', 'Bình', 'Chung', 'Dũng')[i % 4]}"),
                        Cell(1960 + i % 40),
                        Cell("Thái"),
                        Cell("Bản Hé"),
                        Cell("Xóa mù chữ"),
                    ]
                )
            lst = Table(rows, header_rows=1, widths=[600, 3000, 1200, 1200, 1500, 2000])
            blocks = [*blocks, Para("DANH SÁCH HỌC VIÊN", bold=True, center=True), lst]
            writers.write_raw_docx(blocks, path)
        elif kind == "list-xls":
            writers.write_xls([Sheet("PL2", blocks)], path, extra_list_rows=65000)

    what = {
        "list": f"form sheet + a learner list sheet of {BIG_LIST_ROWS} rows x 8 columns",
        "list-first": "the learner list sheet comes first, the form second",
        "image-xlsx": "a pasted 14 MB photo in the form sheet",
        "image-docx": "a 14 MB photo in the Word report",
        "list-docx": "a 5 000-row learner table after the form in Word",
        "list-xls": ".xls with a 65 000-row learner list sheet",
    }[kind]
    case(file=name, cls="big", make=make, values=vals, unit=unit_of(head), big=True, what=what)


_big("kem-danh-sach-300k-hoc-vien-muong-giang.xlsx", 121, COMMUNE["Mường Giàng"], "list")
_big("danh-sach-truoc-bieu-sau-chieng-khay.xlsx", 122, COMMUNE["Chiềng Khay"], "list-first")
_big("dan-anh-14mb-vao-sheet-nam-et.xlsx", 123, COMMUNE["Nậm Ét"], "image-xlsx")
_big("bao-cao-anh-14mb-th-chieng-bang.docx", 124, SCHOOLS[1], "image-docx")
_big("word-kem-danh-sach-5000-dong-thcs.docx", 125, SCHOOLS[2], "list-docx")
_big("xls-kem-danh-sach-65k-gdnn.xls", 126, SCHOOLS[5], "list-xls")

# === more habits: track changes, label spelling, deleted rows, old sheets, headers ============


def _tracked(name, seed, head) -> None:
    vals = spec.random_values(R(seed), 0.9)
    old = spec.random_values(R(seed + 7), 1.0)
    ov = {}
    for code in ("1.3", "1.7", "2", "4.2", "6.1"):
        if vals[code]["count"] is None:
            vals[code]["count"] = 2
            if "people" in vals[code]:
                vals[code]["people"] = 60
        ov[(code, "count")] = Cell(vals[code]["count"], deleted=str(old[code]["count"] + 1))
    vals["1"]["count"] = sum(vals[c]["count"] or 0 for c in spec.SUB_1)
    vals["1"]["people"] = sum(vals[c]["people"] or 0 for c in spec.SUB_1)
    vals["6"]["count"] = sum(vals[c]["count"] or 0 for c in spec.SUB_6)

    def make(path: str) -> None:
        t = form_table(vals, R(seed + 1), Habits(overrides=ov))
        writers.write_raw_docx(doc_blocks(head, t), path)

    case(
        file=name,
        cls="word",
        make=make,
        values=vals,
        unit=unit_of(head),
        what="track changes left on: old figures deleted, new ones inserted",
    )


_tracked("sua-so-theo-doi-thay-doi-chieng-bang.docx", 131, COMMUNE["Chiềng Bằng"])

SLOPPY_LABELS = {
    "1.12": "Xoa mu chu",
    "1.5": "Hoc nghe cho lao dong nong thon",
    "1.9": "BỒI DƯỠNG THƯỜNG XUYÊN CHO GIÁO VIÊN",
    "1.7": "Giáo dục kĩ năng sống cho học sinh",
    "2": "Số tin, bài về các hoạt động của Tuần lễ",
    "5.1": "Hội sách , đường sách, phố sách",
    "6.1": "Hoạt động thể dục, thể thao",
    "9.1": "Tập thể ",
    "9.2": "Cá nhân",
}
simple(
    "nhan-go-khong-dau-viet-hoa-muong-gion.xlsx",
    "labels",
    "labels typed without diacritics, in capitals, kĩ/kỹ, stray spaces and commas",
    132,
    COMMUNE["Mường Giôn"],
    Habits(labels=SLOPPY_LABELS),
    "openpyxl",
    fill=1.0,
)
simple(
    "nhan-go-khong-dau-word-th.docx",
    "labels",
    "the same sloppy labels in Word",
    133,
    SCHOOLS[1],
    Habits(labels=SLOPPY_LABELS, stt=False),
    "rawdocx",
    fill=1.0,
)


def _deleted_rows(name, seed, head, writer) -> None:
    vals = spec.random_values(R(seed), 0.5)
    keep = {c for c, sl in vals.items() if any(v is not None for v in sl.values())}
    keep |= {"4", "7", "9", "10"}

    def make(path: str) -> None:
        t = form_table(vals, R(seed + 1), Habits(only=keep))
        write(writer, doc_blocks(head, t), path)

    case(
        file=name,
        cls="labels",
        make=make,
        values=vals,
        unit=unit_of(head),
        what="the clerk deleted every row with nothing to report",
    )


_deleted_rows("xoa-dong-khong-co-so-lieu-ca-nang.xlsx", 134, COMMUNE["Cà Nàng"], "openpyxl")
_deleted_rows("xoa-dong-khong-co-so-lieu-word-mn.docx", 135, SCHOOLS[0], "rawdocx")


def _old_sheet(name, seed, head, hidden) -> None:
    vals = spec.random_values(R(seed), 0.8)
    old = spec.random_values(R(seed + 3), 0.9)

    def make(path: str) -> None:
        s_old = Sheet(
            "Năm 2020", doc_blocks(head, form_table(old, R(1), Habits()), year=2020), hidden=hidden
        )
        s_new = Sheet("Năm 2021", doc_blocks(head, form_table(vals, R(2), Habits())))
        writers.write_openpyxl([s_old, s_new], path)

    case(
        file=name,
        cls="last-year",
        make=make,
        values=vals,
        unit=unit_of(head),
        what=f"last year's filled sheet kept ({'hidden' if hidden else 'visible'}) before this"
        " year's",
    )


_old_sheet("sheet-2020-an-truoc-sheet-2021-muong-sai.xlsx", 136, COMMUNE["Mường Sại"], True)
_old_sheet("sheet-2020-hien-truoc-sheet-2021-nam-et.xlsx", 137, COMMUNE["Nậm Ét"], False)

simple(
    "html-luu-thanh-xls-chieng-khay.xls",
    "other-apps",
    "an HTML table saved with an .xls name (web export)",
    138,
    COMMUNE["Chiềng Khay"],
    Habits(),
    "htmlxls",
)


def _header_variants(name, seed, kind) -> None:
    vals = spec.random_values(R(seed), 0.8)
    unit = None
    if kind == "word-table":
        unit = "UBND XÃ MƯỜNG CHIÊN"
    elif kind == "excel-merged":
        unit = "UBND XÃ CHIỀNG KHOANG"
    elif kind == "don-vi-line":
        unit = "Trường Tiểu học Chiềng Bằng"

    def make(path: str) -> None:
        t = form_table(vals, R(seed + 1), Habits())
        if kind == "word-table":
            head = Table(
                [
                    [
                        Cell("UBND HUYỆN QUỲNH NHAI\nUBND XÃ MƯỜNG CHIÊN", bold=True, center=True),
                        Cell(
                            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
                            bold=True,
                            center=True,
                        ),
                    ],
                    [
                        Cell("Số: 112/BC-UBND", center=True),
                        Cell("Mường Chiên, ngày 14 tháng 10 năm 2021", center=True),
                    ],
                ],
                header_rows=0,
                widths=[5000, 9000],
            )
            blocks = [head, *title(), t, *signature()]
            writers.write_raw_docx(blocks, path)
        elif kind == "excel-merged":
            head = Table(
                [
                    [
                        Cell("UBND HUYỆN QUỲNH NHAI\nUBND XÃ CHIỀNG KHOANG", colspan=2, bold=True),
                        None,
                        Cell(
                            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
                            colspan=4,
                            bold=True,
                        ),
                        None,
                        None,
                        None,
                    ]
                ],
                header_rows=0,
            )
            writers.write_openpyxl([Sheet("PL2", [head, *title(), t])], path)
        else:
            blocks = [*title(), Para("Đơn vị: Trường Tiểu học Chiềng Bằng"), t, *signature()]
            writers.write_openpyxl([Sheet("PL2", blocks)], path)

    what = {
        "word-table": "letterhead in a two-column Word table (the usual administrative layout)",
        "excel-merged": "letterhead typed in one merged cell on two lines (Alt+Enter)",
        "don-vi-line": "no letterhead; 'Đơn vị: Trường Tiểu học Chiềng Bằng' under the title",
    }[kind]
    case(file=name, cls="unit-header", make=make, values=vals, unit=unit, what=what)


_header_variants("tieu-de-bang-2-cot-word-muong-chien.docx", 139, "word-table")
_header_variants("tieu-de-o-gop-2-dong-chieng-khoang.xlsx", 140, "excel-merged")
_header_variants("dong-don-vi-duoi-tieu-de-th.xlsx", 141, "don-vi-line")


# === more shapes: money units, totals, column order, offsets, header forms, nesting ========


def _money_units(name, seed, head, unit, typed: dict[str, tuple[object, int]]) -> None:
    vals = spec.random_values(R(seed), 0.8)
    ov = {}
    for code, (t, amount) in typed.items():
        vals[code]["amount"] = amount
        ov[(code, "count")] = Cell(t)

    def make(path: str) -> None:
        h = Habits(overrides=ov, units={"10.1": unit, "10.2": unit})
        write("openpyxl", doc_blocks(head, form_table(vals, R(seed + 1), h)), path)

    case(
        file=name,
        cls="numbers",
        make=make,
        values=vals,
        unit=unit_of(head),
        what=f"money rows with the unit changed to '{unit}' and figures in that unit",
    )


_money_units(
    "tien-don-vi-nghin-dong-muong-giang.xlsx",
    151,
    COMMUNE["Mường Giàng"],
    "nghìn đồng",
    {"10.1": (15000, 15_000_000), "10.2": ("2.500", 2_500_000)},
)
_money_units(
    "tien-don-vi-trieu-dong-chieng-on.xlsx",
    152,
    COMMUNE["Chiềng Ơn"],
    "triệu đồng",
    {"10.1": (15, 15_000_000), "10.2": ("2,5", 2_500_000)},
)

simple(
    "dong-tong-cong-cuoi-bang-muong-sai.xlsx",
    "columns",
    "a 'Tổng cộng' row under the table summing both columns",
    153,
    COMMUNE["Mường Sại"],
    Habits(total_row=True),
    "openpyxl",
)
simple(
    "dong-tong-cong-cuoi-bang-word-th.docx",
    "columns",
    "a 'Tổng cộng' row under the Word table",
    154,
    SCHOOLS[1],
    Habits(total_row=True),
    "rawdocx",
)


def _shape(name, seed, head, kind, writer="openpyxl") -> None:
    vals = spec.random_values(R(seed), 0.8)
    if kind == "row1-same-line" and vals["1"]["count"] is None:
        vals["1.4"] = {"count": 2, "people": 40}
        vals["1"] = {"count": 2, "people": 40}

    def make(path: str) -> None:
        if kind == "swap":
            t = form_table(vals, R(seed + 1), Habits())
            swap_cols(t, 3, 4, 1)
            write(writer, doc_blocks(head, t), path)
        elif kind == "row1-same-line":
            h = Habits(
                overrides={("1", "people"): Cell(vals["1"]["people"]), ("1b", "people"): Cell(None)}
            )
            write(writer, doc_blocks(head, form_table(vals, R(seed + 1), h)), path)
        elif kind == "label-2cols":
            t = insert_col(form_table(vals, R(seed + 1), Habits()), 2)
            write(writer, doc_blocks(head, t), path)
        elif kind == "margin":
            t = form_table(vals, R(seed + 1), Habits())
            writers.write_openpyxl(
                [Sheet("PL2", shift_right(doc_blocks(head, t), 2))],
                path,
                widths=[3, 3, 6, 60, 14, 14, 12, 20],
            )
        elif kind == "flat-header":
            write(
                writer,
                doc_blocks(head, form_table(vals, R(seed + 1), Habits(flat_header=True))),
                path,
            )
        elif kind == "header-own-table":
            t = form_table(vals, R(seed + 1), Habits())
            top = Table(t.rows[:2], header_rows=2)
            body = Table(t.rows[2:], header_rows=0)
            blocks = [*letterhead(*head), *title(), top, Para(""), body, *signature()]
            writers.write_raw_docx(blocks, path)
        elif kind == "nested":
            t = form_table(vals, R(seed + 1), Habits())
            t.widths = [500, 4000, 1000, 1100, 1000, 1200]
            outer = Table([[Cell(table=t)]], header_rows=0, widths=[9500])
            blocks = [*letterhead(*head), *title(), outer, *signature()]
            writers.write_raw_docx(blocks, path)

    what = {
        "swap": "'Người' column moved before 'Số lớp/số cuộc thi'",
        "row1-same-line": "row 1's total people typed on row 1's own line, 'Tổng số người' line"
        " left blank",
        "label-2cols": "label cells merged across two columns (an empty column inside)",
        "margin": "the whole form two columns to the right (margin columns A-B)",
        "flat-header": "one header row: 'Số lớp/số cuộc thi' and 'Người' without 'Số lượng'",
        "header-own-table": "Word: header rows in one table, body in a second table below",
        "nested": "Word: the form table nested in a one-cell frame table",
    }[kind]
    case(
        file=name,
        cls="columns"
        if kind in ("swap", "label-2cols", "margin", "flat-header")
        else "word-shapes",
        make=make,
        values=vals,
        unit=unit_of(head),
        what=what,
    )


_shape("cot-nguoi-truoc-cot-so-lop-chieng-khay.xlsx", 155, COMMUNE["Chiềng Khay"], "swap")
_shape(
    "nguoi-dong-1-cung-dong-so-lop-muong-chien.xlsx", 156, COMMUNE["Mường Chiên"], "row1-same-line"
)
_shape(
    "nguoi-dong-1-cung-dong-word-nam-et.docx", 157, COMMUNE["Nậm Ét"], "row1-same-line", "rawdocx"
)
_shape("nhan-gop-2-cot-excel-pa-ma.xlsx", 158, COMMUNE["Pá Ma Pha Khinh"], "label-2cols")
_shape("bieu-lech-phai-2-cot-chieng-khoang.xlsx", 159, COMMUNE["Chiềng Khoang"], "margin")
_shape("tieu-de-bang-1-dong-ca-nang.xlsx", 160, COMMUNE["Cà Nàng"], "flat-header")
_shape("tieu-de-bang-1-dong-word-gdnn.docx", 161, SCHOOLS[5], "flat-header", "rawdocx")
_shape("tieu-de-la-bang-rieng-word-thcs.docx", 162, SCHOOLS[2], "header-own-table")
_shape("bang-long-trong-khung-word-muong-gion.docx", 163, COMMUNE["Mường Giôn"], "nested")


def _annotated(name, seed, head, writer) -> None:
    vals = spec.random_values(R(seed), 0.9)
    vals["1.7"] = {"count": 3, "people": 45}
    vals["6.1"] = {"count": 2, "people": 80}
    vals["8"]["count"] = 1
    vals["1"]["count"] = sum(vals[c]["count"] or 0 for c in spec.SUB_1)
    vals["1"]["people"] = sum(vals[c]["people"] or 0 for c in spec.SUB_1)
    vals["6"]["count"] = sum(vals[c]["count"] or 0 for c in spec.SUB_6)
    ov = {
        ("1.7", "count"): Cell("3 (trực tuyến)"),
        ("1.7", "people"): Cell("45 người (20 nữ)"),
        ("6.1", "count"): Cell("02 cuộc"),
        ("6.1", "people"): Cell("80 lượt người"),
        ("8", "count"): Cell("01 buổi"),
    }

    def make(path: str) -> None:
        write(writer, doc_blocks(head, form_table(vals, R(seed + 1), Habits(overrides=ov))), path)

    case(
        file=name,
        cls="numbers",
        make=make,
        values=vals,
        unit=unit_of(head),
        what="figures with a remark: '3 (trực tuyến)', '45 người (20 nữ)', '80 lượt người'",
    )


_annotated("so-kem-chu-thich-excel-chieng-bang.xlsx", 164, COMMUNE["Chiềng Bằng"], "openpyxl")
_annotated("so-kem-chu-thich-word-ptdtbt.docx", 165, SCHOOLS[3], "rawdocx")


# === the form's own rows edited: continued labels, renumbering, itemised extra rows ========


def _rows_edit(name, seed, head, kind, writer) -> None:
    vals = spec.random_values(R(seed), 0.9)
    if kind == "itemised":
        vals["1.13"] = {"count": 2, "people": 75}
        vals["1"]["count"] = sum(vals[c]["count"] or 0 for c in spec.SUB_1)
        vals["1"]["people"] = sum(vals[c]["people"] or 0 for c in spec.SUB_1)
    if kind == "continued" and vals["5"]["count"] is None:
        vals["5"]["count"] = 0

    def make(path: str) -> None:
        t = form_table(vals, R(seed + 1), Habits())
        width = t.ncols
        if kind == "continued":
            # The plan's own table: row 5's label runs on into the next row (a page break),
            # the figure on the first line.
            i = t.row_of["5"]
            t.rows[i][1] = Cell("Tổ chức các thi, các buổi tọa đàm về", bold=True)
            cont = [Cell(None) for _ in range(width)]
            cont[1] = Cell("khuyến đọc, khuyến học và xây dựng xã hội học tập", bold=True)
            t.rows.insert(i + 1, cont)
        elif kind == "renumbered":
            ordered = sorted(t.row_of.values())
            for n, i in enumerate(ordered, start=1):
                t.rows[i][0] = Cell(n)
        elif kind == "lettered":
            letters = "abcdefghiklmn"
            for code, i in t.row_of.items():
                if code.count(".") == 1 and code.split(".")[0] in ("1", "5", "6"):
                    k = int(code.split(".")[1]) - 1
                    t.rows[i][0] = Cell(letters[k] if code.startswith("1.") else "-")
                elif code.count(".") == 1:
                    t.rows[i][0] = Cell(code)
        elif kind == "itemised":
            i = t.row_of["1.13"]
            for label, c, p in (
                ("- Tập huấn phòng, chống dịch Covid-19", 1, 45),
                ("- Tập huấn an toàn giao thông", 1, 30),
            ):
                row = [Cell(None) for _ in range(width)]
                row[1], row[2], row[3], row[4] = Cell(label), Cell("lớp/người"), Cell(c), Cell(p)
                i += 1
                t.rows.insert(i, row)
        write(writer, doc_blocks(head, t), path)

    what = {
        "continued": "row 5's label continued on a second row (as the plan's own table)",
        "renumbered": "STT renumbered 1, 2, 3 … down every row",
        "lettered": "sub-rows numbered a, b, c / '-' / '4.1'",
        "itemised": "two itemised rows added under 1.13 ('- Tập huấn …') with their figures",
    }[kind]
    case(file=name, cls="rows-edited", make=make, values=vals, unit=unit_of(head), what=what)


_rows_edit(
    "nhan-dong-5-xuong-dong-muong-giang.docx", 171, COMMUNE["Mường Giàng"], "continued", "rawdocx"
)
_rows_edit(
    "nhan-dong-5-xuong-dong-excel-chieng-bang.xlsx",
    172,
    COMMUNE["Chiềng Bằng"],
    "continued",
    "openpyxl",
)
_rows_edit("stt-danh-lai-lien-tuc-mn.xlsx", 173, SCHOOLS[0], "renumbered", "openpyxl")
_rows_edit(
    "stt-a-b-c-word-chieng-khoang.docx", 174, COMMUNE["Chiềng Khoang"], "lettered", "rawdocx"
)
_rows_edit(
    "them-dong-chi-tiet-lop-khac-muong-sai.xlsx", 175, COMMUNE["Mường Sại"], "itemised", "openpyxl"
)
_rows_edit("them-dong-chi-tiet-lop-khac-word-th.docx", 176, SCHOOLS[1], "itemised", "rawdocx")
_money_case(
    "tien-vnd-dong-cach-trang-gdnn.xlsx",
    177,
    SCHOOLS[5],
    "openpyxl",
    {"10.1": ("15.000.000 VNĐ", 15_000_000), "10.2": ("7 500 000 đ", 7_500_000)},
)


# === more than the form in one document, formulas across sheets ============================


def _award_list(name, seed, head) -> None:
    vals = spec.random_values(R(seed), 0.9)
    vals["9.1"]["count"] = 2
    vals["9.2"]["count"] = 3

    def make(path: str) -> None:
        t = form_table(vals, R(seed + 1), Habits())
        rows = [
            [
                Cell(x, bold=True)
                for x in (
                    "STT",
                    "Họ và tên / Tập thể",
                    "Chức vụ",
                    "Hình thức khen thưởng",
                    "Ghi chú",
                )
            ]
        ]
        people = [
            ("Tập thể bản Hé", "", "Giấy khen", "Tập thể"),
            ("Tập thể Trường Mầm non Mường Giàng", "", "Giấy khen", "Tập thể"),
            ("Lò Văn Tươi", "Trưởng bản", "Giấy khen", "Cá nhân"),
            ("Quàng Thị Hoa", "Giáo viên", "Giấy khen", "Cá nhân"),
            ("Cà Văn Dũng", "Công chức văn hóa", "Giấy khen", "Cá nhân"),
        ]
        for i, p in enumerate(people, start=1):
            rows.append([Cell(i), *[Cell(x or None) for x in p]])
        award = Table(rows, header_rows=1, widths=[600, 4000, 2000, 2000, 1500])
        blocks = [
            *doc_blocks(head, t),
            Para("Phụ lục 3", bold=True),
            Para("DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG", bold=True, center=True),
            award,
        ]
        writers.write_raw_docx(blocks, path)

    case(
        file=name,
        cls="narrative",
        make=make,
        values=vals,
        unit=unit_of(head),
        what="the form followed by a list of awarded groups and people (Tập thể / Cá nhân)",
    )


_award_list("kem-danh-sach-khen-thuong-muong-giang.docx", 181, COMMUNE["Mường Giàng"])


def _cross_sheet(name, seed, head, cached: bool) -> None:
    vals = spec.random_values(R(seed), 0.8)
    n_learners = 37
    vals["1.12"] = {"count": 2, "people": n_learners}
    resum(vals)

    def make(path: str) -> None:
        ov = {
            ("1.12", "people"): Cell(
                n_learners, formula="COUNTA('Danh sách'!B2:B200)", cached=cached
            )
        }
        t = form_table(vals, R(seed + 1), Habits(overrides=ov))
        lst = [[Cell("STT", bold=True), Cell("Họ và tên", bold=True), Cell("Lớp", bold=True)]]
        for i in range(1, n_learners + 1):
            lst.append(
                [
                    Cell(i),
                    Cell(f"Lường Thị {('Én', 'Xuân', 'Thu')[i % 3]}"),
                    Cell(f"Xóa mù chữ {1 + i % 2}"),
                ]
            )
        sheets = [
            Sheet("Biểu tổng hợp", doc_blocks(head, t)),
            Sheet("Danh sách", [Table(lst, header_rows=1)]),
        ]
        if cached:
            writers.write_raw_xlsx(sheets, path)
        else:
            writers.write_openpyxl(sheets, path)

    case(
        file=name,
        cls="formulas",
        make=make,
        values=vals,
        unit=unit_of(head),
        what="people of 1.12 counted from the learner sheet with COUNTA('Danh sách'!B2:B200), "
        f"cached={cached}",
    )


_cross_sheet(
    "cong-thuc-dem-tu-sheet-danh-sach-co-cache-chieng-on.xlsx", 182, COMMUNE["Chiềng Ơn"], True
)
_cross_sheet(
    "cong-thuc-dem-tu-sheet-danh-sach-khong-cache-nam-et.xlsx", 183, COMMUNE["Nậm Ét"], False
)


# === header numbering rows, spacer rows, footnotes, rich text, Strict OOXML ================

simple(
    "hang-so-thu-tu-cot-1-6-muong-giang.xlsx",
    "columns",
    "a column-number row '(1) … (6)' under the header",
    191,
    COMMUNE["Mường Giàng"],
    Habits(numbering_row="paren"),
    "openpyxl",
    fill=0.9,
)
simple(
    "hang-a-b-c-1-2-3-word-chieng-khay.docx",
    "columns",
    "a column-number row 'A B C 1 2 3' under the header",
    192,
    COMMUNE["Chiềng Khay"],
    Habits(numbering_row="abc"),
    "rawdocx",
    fill=0.9,
)
simple(
    "dong-trong-giua-cac-nhom-th.xlsx",
    "rows-edited",
    "a blank spacer row before every numbered group",
    193,
    SCHOOLS[1],
    Habits(spacers=True),
    "openpyxl",
)


def _footnote(name, seed, head, writer) -> None:
    vals = spec.random_values(R(seed), 0.8)
    vals["1.12"] = {"count": 1, "people": 25}
    resum(vals)

    def make(path: str) -> None:
        t = form_table(vals, R(seed + 1), Habits(labels={"1.12": "Xóa mù chữ (*)"}))
        blocks = [
            *letterhead(*head),
            *title(),
            t,
            Para(
                "(*) Lớp xóa mù chữ mở tại bản Nong Lạnh: 1 lớp, 25 học viên, 2 giáo viên;"
                " học 3 buổi/tuần, từ 01/10 đến 30/12/2021."
            ),
            Para(
                "Ghi chú: số liệu tính đến ngày 14/10/2021, kinh phí 5 triệu đồng chưa quyết toán."
            ),
            *signature(),
        ]
        write(writer, blocks, path)

    case(
        file=name,
        cls="narrative",
        make=make,
        values=vals,
        unit=unit_of(head),
        what="a footnote marker in a label and footnotes full of figures under the table",
    )


_footnote("chu-thich-duoi-bang-muong-chien.xlsx", 194, COMMUNE["Mường Chiên"], "openpyxl")
_footnote("chu-thich-duoi-bang-word-ptdtbt.docx", 195, SCHOOLS[3], "rawdocx")

simple(
    "chu-dinh-dang-rich-text-chieng-on.xlsx",
    "other-apps",
    "every text cell as rich text (part bold), shared strings",
    196,
    COMMUNE["Chiềng Ơn"],
    Habits(count_style="text"),
    "rawxlsx",
    wkw={"rich": True},
)
simple(
    "chu-dinh-dang-rich-text-inline-pa-ma.xlsx",
    "other-apps",
    "rich-text inline strings",
    197,
    COMMUNE["Pá Ma Pha Khinh"],
    Habits(),
    "rawxlsx",
    wkw={"rich": True, "strings": "inline"},
)
simple(
    "excel-strict-open-xml-muong-sai.xlsx",
    "other-apps",
    "saved as 'Strict Open XML Spreadsheet' (ISO 29500 strict namespaces)",
    198,
    COMMUNE["Mường Sại"],
    Habits(),
    "rawxlsx",
    wkw={"strict": True},
)
simple(
    "word-strict-open-xml-thcs.docx",
    "other-apps",
    "saved as 'Strict Open XML Document'",
    199,
    SCHOOLS[2],
    Habits(),
    "rawdocx",
    wkw={"strict": True},
)


def _numbered_letterhead(name, seed, head, number, writer) -> None:
    vals = spec.random_values(R(seed), 0.8)

    def make(path: str) -> None:
        t = form_table(vals, R(seed + 1), Habits())
        blocks = [*letterhead(*head, number=number), *title(), t, *signature()]
        write(writer, blocks, path)

    case(
        file=name,
        cls="unit-header",
        make=make,
        values=vals,
        unit=unit_of(head),
        what=f"letterhead with a rule line and the document number '{number}'",
    )


_numbered_letterhead(
    "tieu-de-co-so-van-ban-muong-gion.docx", 201, COMMUNE["Mường Giôn"], "Số: 87/BC-UBND", "rawdocx"
)
_numbered_letterhead(
    "tieu-de-co-so-van-ban-gdnn.xlsx", 202, SCHOOLS[5], "Số: 15/BC-TTGDNN", "openpyxl"
)


# === not the form: must be refused ===========================================================


def _nonform(name, what, make) -> None:
    case(file=name, cls="non-form", make=make, values=None, what=what)


def _other_campaign(path: str) -> None:
    rows = [
        [Cell(x, bold=True) for x in ("STT", "Nội dung", "Đơn vị tính", "Số lượng", "Ghi chú")],
        [
            Cell(1),
            Cell("Số trường tổ chức Ngày Sách và Văn hóa đọc"),
            Cell("Trường"),
            Cell(5),
            Cell(None),
        ],
        [Cell(2), Cell("Số học sinh tham gia đọc sách"), Cell("Học sinh"), Cell(1250), Cell(None)],
        [Cell(3), Cell("Số cuộc thi kể chuyện theo sách"), Cell("Cuộc"), Cell(3), Cell(None)],
        [Cell(4), Cell("Số sách được quyên góp"), Cell("Quyển"), Cell(800), Cell(None)],
        [Cell(5), Cell("Kinh phí tổ chức"), Cell("đồng"), Cell(4_000_000), Cell(None)],
    ]
    blocks = [
        *letterhead(*COMMUNE["Mường Giàng"]),
        Para("BIỂU THỐNG KÊ", bold=True, center=True),
        Para("Kết quả tổ chức Ngày Sách và Văn hóa đọc Việt Nam năm 2021", center=True),
        Table(rows, header_rows=1),
        *signature(),
    ]
    writers.write_openpyxl([Sheet("Ngay sach", blocks)], path)


def _other_campaign_docx(path: str) -> None:
    rows = [[Cell(x, bold=True) for x in ("TT", "Tiêu chí", "Số xã đạt", "Tỷ lệ (%)")]]
    for i, t in enumerate(
        [
            "Phổ cập giáo dục mầm non cho trẻ 5 tuổi",
            "Phổ cập giáo dục tiểu học mức độ 3",
            "Phổ cập giáo dục THCS mức độ 2",
            "Xóa mù chữ mức độ 2",
        ],
        start=1,
    ):
        rows.append([Cell(i), Cell(t), Cell(11), Cell(100)])
    blocks = [
        *letterhead(*SCHOOLS[2]),
        Para("BIỂU THỐNG KÊ PHỔ CẬP GIÁO DỤC, XÓA MÙ CHỮ NĂM 2021", bold=True, center=True),
        Table(rows, header_rows=1, widths=[600, 5000, 1500, 1500]),
        *signature(),
    ]
    writers.write_raw_docx(blocks, path)


def _blank_template(path: str) -> None:
    t = form_table(spec.empty_values(), R(1), Habits())
    writers.write_openpyxl([Sheet("Biểu tổng hợp", [*title(), t])], path)


def _learner_list(path: str) -> None:
    rows = [
        [Cell(x, bold=True) for x in ("STT", "Họ và tên", "Năm sinh", "Dân tộc", "Lớp", "Ghi chú")]
    ]
    for i in range(1, 301):
        rows.append(
            [
                Cell(i),
                Cell(f"Quàng Thị {('Lan', 'Mai', 'Hương')[i % 3]}"),
                Cell(1970 + i % 30),
                Cell("Thái"),
                Cell("Xóa mù chữ"),
                Cell(None),
            ]
        )
    blocks = [
        *letterhead(*COMMUNE["Chiềng Ơn"]),
        Para("DANH SÁCH HỌC VIÊN THAM GIA LỚP XÓA MÙ CHỮ", bold=True, center=True),
        Table(rows, header_rows=1),
    ]
    writers.write_openpyxl([Sheet("Danh sach", blocks)], path)


def _narrative_only(path: str) -> None:
    blocks = [
        *letterhead(*COMMUNE["Mường Chiên"]),
        Para("BÁO CÁO", bold=True, center=True),
        Para("Tổng kết Tuần lễ học tập suốt đời năm 2021", center=True),
        Para("I. TỔ CHỨC TRIỂN KHAI TUẦN LỄ", bold=True),
        Para("Xã đã tổ chức 5 lớp bồi dưỡng với 120 người tham gia, 3 cuộc thi."),
        Para("Kinh phí: ngân sách nhà nước 10 triệu đồng."),
        *signature(),
    ]
    writers.write_raw_docx(blocks, path)


def _picture_only(path: str) -> None:
    blocks = [*letterhead(*COMMUNE["Mường Sại"]), *title(), *signature()]
    writers.write_raw_docx(blocks, path, image=writers.random_png(300_000, seed=3))


_nonform(
    "anh-chup-bieu-dan-vao-word-muong-sai.docx",
    "a photo of the filled table pasted into Word (no table to read)",
    _picture_only,
)
_nonform(
    "khac-chien-dich-ngay-sach-2021.xlsx", "another campaign's table (Ngày Sách)", _other_campaign
)
_nonform(
    "khac-chien-dich-pho-cap-giao-duc.docx",
    "another campaign's table (phổ cập)",
    _other_campaign_docx,
)
_nonform("mau-trong-chua-dien.xlsx", "the blank template, nothing filled in", _blank_template)
_nonform("chi-danh-sach-hoc-vien.xlsx", "a learner list only", _learner_list)
_nonform(
    "chi-bao-cao-loi-van-khong-bang.docx", "Appendix 1 narrative only, no table", _narrative_only
)


# === build ===================================================================================


def soffice_convert(items: list[tuple[str, str, str]], workdir: str) -> None:
    """items: (source path, target extension, final path). One soffice call per target."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) is needed for the .ods/.odt/.doc/.xls files")
    profile = os.path.join(workdir, "lo-profile")
    by_target: dict[str, list[tuple[str, str]]] = {}
    for src, ext, final in items:
        by_target.setdefault(ext, []).append((src, final))
    filters = {
        "xlsx": "xlsx:Calc MS Excel 2007 XML",
        "docx": "docx:MS Word 2007 XML",
        "xls": "xls:MS Excel 97",
        "doc": "doc:MS Word 97",
    }
    for ext, pairs in by_target.items():
        out = os.path.join(workdir, "conv-" + ext)
        os.makedirs(out, exist_ok=True)
        subprocess.run(
            [
                exe,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                filters.get(ext, ext),
                "--outdir",
                out,
                *[s for s, _ in pairs],
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        for src, final in pairs:
            base = os.path.splitext(os.path.basename(src))[0]
            shutil.move(os.path.join(out, base + "." + ext), final)


def build(outdir: str, *, big: bool = True, only: set[str] | None = None) -> list[dict]:
    """Writes the corpus into outdir; returns (and writes as manifest.json) the expectations."""
    os.makedirs(outdir, exist_ok=True)
    manifest = []
    conversions = []
    with tempfile.TemporaryDirectory(prefix="rt3-") as work:
        for c in CASES:
            if (c.big and not big) or (only is not None and c.file not in only):
                continue
            final = os.path.join(outdir, c.file)
            writers.USED.clear()
            if c.convert:
                src_ext = "xlsx" if c.convert in ("xlsx", "xls", "ods") else "docx"
                src = os.path.join(work, os.path.splitext(c.file)[0] + "." + src_ext)
                c.make(src)
                conversions.append((src, c.convert, final))
            else:
                c.make(final)
            manifest.append(
                {
                    "file": c.file,
                    "class": c.cls,
                    "what": c.what,
                    "kind": "form" if c.values is not None else "non-form",
                    "big": c.big,
                    "made_with": " + ".join(dict.fromkeys(writers.USED))
                    + (f" → LibreOffice --convert-to {c.convert}" if c.convert else ""),
                    "unit_name": c.unit,
                    "values": c.values,
                }
            )
        if conversions:
            soffice_convert(conversions, work)
    with open(os.path.join(outdir, "manifest.json"), "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, ensure_ascii=False, indent=1)
    return manifest


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print(__doc__)
        return 2
    m = build(argv[0], big="--no-big" not in argv)
    print(f"{len(m)} files in {argv[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
