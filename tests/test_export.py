"""The roll-up workbook and the blank Appendix 2 form: layout, values, print setup, round trips."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess

import openpyxl
import pytest

from mailbot.office.cell_styles import vn_number_format
from mailbot.office.workbook import FIRST_LINE_ROW, write_blank_form, write_rollup_workbook
from mailbot.rollup import table_rows
from tests.support.outputs import FORM, sample_rollup

SHEETS = ["Tổng hợp", "Theo đơn vị", "Tình hình nộp báo cáo"]


@pytest.fixture(scope="module")
def rollup_path(tmp_path_factory):
    """The sample roll-up written to an .xlsx file."""
    path = tmp_path_factory.mktemp("export") / "tong-hop.xlsx"
    write_rollup_workbook(sample_rollup(), path)
    return path


@pytest.fixture(scope="module")
def book(rollup_path):
    """The sample roll-up workbook, read back with openpyxl."""
    return openpyxl.load_workbook(rollup_path)


def line_row(code: str, nth: int = 0) -> int:
    """The sheet row of the nth printed line of a code."""
    rows = [i for i, r in enumerate(table_rows(FORM, None)) if r.line.code == code]
    return FIRST_LINE_ROW + rows[nth]


def test_sheet_names(book):
    """The workbook has the three sheets in order."""
    assert book.sheetnames == SHEETS


def test_header_block(book):
    """The header block carries the authority, office, national motto, title and dateline."""
    ws = book["Tổng hợp"]
    got = [ws[ref].value for ref in ("A1", "A2", "C1", "C2", "C3", "A5", "A6")]
    assert got == [
        "UBND HUYỆN QUỲNH NHAI",
        "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Quỳnh Nhai, ngày 16 tháng 10 năm 2021",
        "BIỂU TỔNG HỢP",
        "Số liệu kết quả tổ chức tuần lễ học tập suốt đời năm 2021",
    ]


def test_table_header(book):
    """The table header has the form's columns with Số lượng merged over its two parts."""
    ws = book["Tổng hợp"]
    top = [ws.cell(row=9, column=c).value for c in range(1, 7)]
    sub = [ws.cell(row=10, column=c).value for c in (4, 5)]
    assert top == ["STT", "Các hoạt động", "Đơn vị", "Số lượng", None, "Ghi chú"]
    assert sub == ["Số lớp/số cuộc thi", "Người"]
    assert "D9:E9" in {str(r) for r in ws.merged_cells.ranges}


def test_one_row_per_form_line(book):
    """Every printed line of the form has a row, STT only where the form has one."""
    ws = book["Tổng hợp"]
    labels = [ws.cell(row=FIRST_LINE_ROW + i, column=2).value for i in range(len(FORM.lines))]
    stts = [ws.cell(row=FIRST_LINE_ROW + i, column=1).value for i in range(len(FORM.lines))]
    assert labels == [line.label for line in FORM.lines]
    assert stts == [line.stt for line in FORM.lines]


def test_totals_in_their_columns(book):
    """Totals sit in the quantity/people columns of their lines; money in quantity."""
    ws = book["Tổng hợp"]
    got = {
        "1 count": ws.cell(row=line_row("1", 0), column=4).value,
        "1 people (line 1)": ws.cell(row=line_row("1", 0), column=5).value,
        "1 people": ws.cell(row=line_row("1", 1), column=5).value,
        "1.1": (
            ws.cell(row=line_row("1.1"), column=4).value,
            ws.cell(row=line_row("1.1"), column=5).value,
        ),
        "1.2": ws.cell(row=line_row("1.2"), column=4).value,
        "2": ws.cell(row=line_row("2"), column=4).value,
        "10.1": ws.cell(row=line_row("10.1"), column=4).value,
        "11": ws.cell(row=line_row("11"), column=4).value,
    }
    assert got == {
        "1 count": 15,
        "1 people (line 1)": None,
        "1 people": 1385,
        "1.1": (13, 1385),
        "1.2": None,
        "2": 0,
        "10.1": 16_500_000,
        "11": "UBND xã Mường Giàng: Thi vẽ tranh về sách\nUBND xã Chiềng Bằng: Tọa đàm khuyến học",
    }


def test_numbers_use_dot_grouping_format(book):
    """Number cells carry the dot-grouping format sized for their value."""
    ws = book["Tổng hợp"]
    assert ws.cell(row=line_row("10.1"), column=4).number_format == vn_number_format(16_500_000)


def test_number_format_for_billions_has_three_dots():
    """A value of a billion or more gets a third dot group in the catch-all section."""
    assert vn_number_format(1_215_000_000).endswith("#\\.###\\.###\\.##0")


def test_print_setup(book):
    """The Appendix 2 sheet prints A4 portrait, one page wide, header rows repeated."""
    ws = book["Tổng hợp"]
    setup = (
        ws.page_setup.paperSize,
        ws.page_setup.orientation,
        ws.page_setup.fitToWidth,
        ws.page_setup.fitToHeight,
        ws.sheet_properties.pageSetUpPr.fitToPage,
        ws.print_title_rows,
    )
    assert setup == (9, "portrait", 1, 0, True, "$9:$10")


def test_per_unit_sheet(book):
    """Theo đơn vị: code, label and slot header rows; one row per unit; a totals row."""
    ws = book["Theo đơn vị"]
    assert [ws.cell(row=r, column=5).value for r in (1, 2, 3)] == [
        "1",
        "Các lớp bồi dưỡng, tập huấn tổ chức trong Tuần lễ",
        "Số lớp/số cuộc thi",
    ]
    rows = [[c.value for c in row[:6]] for row in ws.iter_rows(min_row=4, max_row=7)]
    assert rows == [
        [1, "xa-muong-giang", "UBND xã Mường Giàng", "Đã nộp", 12, 1340],
        [2, "xa-chieng-bang", "UBND xã Chiềng Bằng", "Nộp muộn", 3, 45],
        [3, "thcs-nam-et", "Trường PTDTBT THCS Nậm Ét", "Chưa nộp", None, None],
        [None, None, "Tổng cộng", "2/3", 15, 1385],
    ]


def test_status_sheet(book):
    """Tình hình nộp báo cáo: status, local receive time, lateness, warnings and files."""
    ws = book["Tình hình nộp báo cáo"]
    rows = [[c.value for c in row[:7]] for row in ws.iter_rows(min_row=4, max_row=6)]
    assert rows == [
        [
            1,
            "UBND xã Mường Giàng",
            "Đã nộp",
            "14/10/2021 09:15",
            None,
            "Tổng số lớp (12) khác tổng các dòng chi tiết (10)",
            "bao-cao-muong-giang.xlsx",
        ],
        [2, "UBND xã Chiềng Bằng", "Nộp muộn", "15/10/2021 20:05", "Có", None, "phu-luc-2.docx"],
        [3, "Trường PTDTBT THCS Nậm Ét", "Chưa nộp", None, None, None, None],
    ]


def test_status_sheet_lists_problems(book):
    """Messages the office must look at are listed below the units."""
    ws = book["Tình hình nộp báo cáo"]
    texts = [c.value for row in ws.iter_rows(min_row=7) for c in row if c.value]
    assert "Thư cần văn phòng xem lại" in texts
    assert "Tệp không đọc được" in texts and "Chưa xác định được đơn vị" in texts


def test_blank_form_has_no_values():
    """The blank form has the layout, a 'Đơn vị: ....' line and no numbers."""
    buf = io.BytesIO()
    write_blank_form(FORM, buf)
    ws = openpyxl.load_workbook(io.BytesIO(buf.getvalue())).active
    cells = [(i, c) for i in range(len(FORM.lines)) for c in (4, 5)]
    values = [ws.cell(row=FIRST_LINE_ROW + i, column=c).value for i, c in cells]
    assert ws["A1"].value.startswith("Đơn vị: ....")
    assert ws["A5"].value == "BIỂU TỔNG HỢP"
    assert values == [None] * len(cells)


def test_filled_blank_form_reads_back_with_unit_name(tmp_path):
    """A unit that writes its name and numbers into the blank form is read back by the parser."""
    from mailbot.parsing import parse_path

    blank = tmp_path / "blank.xlsx"
    write_blank_form(FORM, blank)
    book = openpyxl.load_workbook(blank)
    ws = book.active
    ws["A1"] = "Đơn vị: UBND xã Mường Giàng"
    ws.cell(row=line_row("1", 0), column=4, value=4)
    ws.cell(row=line_row("1", 1), column=5, value=120)
    ws.cell(row=line_row("10.2"), column=4, value=2_500_000)
    book.save(tmp_path / "filled.xlsx")
    result = parse_path(tmp_path / "filled.xlsx")
    got = (result.ok, result.unit_name, result.values["1"], result.values["10.2"])
    assert got == (True, "UBND xã Mường Giàng", {"count": 4, "people": 120}, {"amount": 2_500_000})


def test_rollup_sheet_reads_back_through_parser(rollup_path):
    """The project's parser reads the Tổng hợp sheet back as exactly the totals."""
    from mailbot.parsing import parse_path  # the parser lands in parallel; fail loudly until then

    result = parse_path(rollup_path)
    assert (result.ok, result.errors) == (True, [])
    assert result.values == sample_rollup().totals


def test_blank_form_reads_back_as_the_form_refused_as_blank(tmp_path):
    """The parser finds the form in the blank form and refuses it as not yet filled."""
    from mailbot.parsing import parse_path
    from mailbot.parsing.interpret import BLANK_FORM

    path = tmp_path / "blank.xlsx"
    write_blank_form(FORM, path)
    result = parse_path(path)
    assert (result.ok, result.errors, result.values) == (False, [BLANK_FORM], FORM.empty_values())


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_shows_vietnamese_numbers(rollup_path, tmp_path):
    """LibreOffice opens the workbook and displays the totals with dot grouping."""
    profile = (tmp_path / "lo-profile").as_uri()
    # CSV filter options: comma, quote, UTF-8, from line 1, ..., save cell contents as shown.
    fmt = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true"
    cmd = ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", fmt]
    subprocess.run(
        [*cmd, "--outdir", str(tmp_path), str(rollup_path)],
        check=True,
        timeout=120,
        capture_output=True,
    )
    rows = list(csv.reader((tmp_path / "tong-hop.csv").read_text(encoding="utf-8").splitlines()))
    by_label = {row[1]: row[3:5] for row in rows if len(row) > 4}
    assert by_label["Các lớp bồi dưỡng, tập huấn tổ chức trong Tuần lễ"] == ["15", ""]
    assert by_label["Tổng số người tham gia, trong đó:"] == ["", "1.385"]
    assert by_label["Ngân sách nhà nước"] == ["16.500.000", ""]
    assert by_label["Kinh phí hỗ trợ, huy động từ các nguồn hợp pháp khác (nếu có)"] == [
        "2.000.000",
        "",
    ]
