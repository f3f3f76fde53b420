"""The consolidated workbook as a printed administrative document (issue 16, Decree 30/2020).

The page setup is read back from the .xlsx; the print itself from LibreOffice's PDF of it
(`soffice --headless --convert-to pdf`), read with pdfplumber: where every character and
every table rule landed on which page.
"""

from __future__ import annotations

import dataclasses
import itertools
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from mailbot.config import parse_config
from mailbot.office.official import HEAD_TITLE, PREPARER_TITLE, body_row_height
from mailbot.office.print_layout import row_height, wrap
from mailbot.office.workbook import write_rollup_workbook
from mailbot.rollup import build_rollup, campaign
from tests.support.outputs import (
    CAMPAIGN,
    FORM,
    NOW,
    PROBLEMS,
    SINCE,
    SUBMISSIONS,
    UNITS,
    artifact_path,
)
from tests.test_config import BASE, config_with

pdfplumber = pytest.importorskip("pdfplumber")

MM = 72 / 25.4  # points per millimetre
RULE_TOLERANCE = 2.0  # points a glyph's font box may reach over a table rule
A4 = (210 * MM, 297 * MM)
# Office name lines that put the "10 Kinh phí" heading at a page foot (found with page_breaks
# on the workbook's row heights, no heading kept with the next).
PUSH_LINES = 10
PREPARER, HEAD = "Nguyễn Văn An", "Lò Thị Bình"
LABELS = [line.label for line in FORM.lines]
# Lines that introduce the next one: a heading, a "trong đó:" line, a numbered line over its
# unnumbered parts. None may be the last line of a printed page.
LEAD_INS = {
    line.label
    for line, after in zip(FORM.lines, FORM.lines[1:], strict=False)
    if line.heading or line.label.endswith(":") or (line.stt and not after.stt)
}


def signed_rollup():
    """The sample roll-up with both signers' names set."""
    signed = dataclasses.replace(CAMPAIGN, preparer_name=PREPARER, head_name=HEAD)
    return build_rollup(FORM, signed, UNITS, SUBMISSIONS, PROBLEMS, NOW, since=SINCE)


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """The signed sample workbook, read back with openpyxl."""
    path = tmp_path_factory.mktemp("print-xlsx") / "tong-hop.xlsx"
    write_rollup_workbook(signed_rollup(), path)
    return openpyxl.load_workbook(path)


def test_office_settings_name_the_signers():
    """[office] preparer_name and head_name reach the campaign the workbook prints."""
    office = {"preparer_name": PREPARER, "head_name": HEAD}
    got = campaign(parse_config(config_with(office=office), BASE))
    assert (got.preparer_name, got.head_name) == (PREPARER, HEAD)


def test_signer_names_are_optional():
    """Without the settings the names are empty: the space is left for handwriting."""
    got = campaign(parse_config(config_with(), BASE))
    assert (got.preparer_name, got.head_name) == ("", "")


def test_margins_follow_the_decree(book):
    """Every sheet: top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm."""
    for ws in book.worksheets:
        m = ws.page_margins
        mm = [round(v * 25.4, 1) for v in (m.top, m.bottom, m.left, m.right)]
        ranges = [(20, 25), (20, 25), (30, 35), (15, 20)]
        assert all(lo <= v <= hi for v, (lo, hi) in zip(mm, ranges, strict=True)), ws.title


def test_page_number_from_page_two(book):
    """The page number is centred in the header, and the first page has none."""
    ws = book["Tổng hợp"]
    got = (
        ws.HeaderFooter.differentFirst,
        ws.oddHeader.center.text,
        ws.firstHeader.center.text,
    )
    assert got == (True, "&P", None)


def test_every_text_cell_is_times_new_roman(book):
    """Every cell with text on the Tổng hợp sheet is set in Times New Roman."""
    ws = book["Tổng hợp"]
    fonts = {c.font.name for row in ws.iter_rows() for c in row if c.value not in (None, "")}
    assert fonts == {"Times New Roman"}


def test_signature_block_names_the_signers(book):
    """Below the table: the two titles, the hints, space to sign, then the names."""
    ws = book["Tổng hợp"]
    rows = [[ws.cell(row=r, column=c).value for c in (1, 3)] for r in range(1, ws.max_row + 1)]
    start = rows.index([PREPARER_TITLE, HEAD_TITLE])
    assert rows[start:] == [
        [PREPARER_TITLE, HEAD_TITLE],
        ["(Ký, ghi rõ họ tên)", "(Ký tên, đóng dấu)"],
        [None, None],
        [PREPARER, HEAD],
    ]


def test_signed_workbook_reads_back_through_the_parser(tmp_path):
    """The heading and signature blocks do not confuse the parser: same totals, same unit."""
    from mailbot.parsing import parse_path

    path = tmp_path / "tong-hop.xlsx"
    rollup = signed_rollup()
    write_rollup_workbook(rollup, path)
    result = parse_path(path)
    got = (result.ok, result.errors, result.unit_name, result.values)
    assert got == (True, [], "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", rollup.totals)


def test_body_row_of_short_cells_keeps_the_default_height():
    """A streamed row whose cells fit on one line gets no height of its own."""
    height = body_row_height([6, 34])
    assert height([(1, 0), ("UBND xã Mường Giàng", 0)]) is None


def test_body_row_of_a_long_name_is_as_tall_as_its_lines():
    """A name that wraps in its column makes the row tall enough for every line."""
    name = "Trường Phổ thông Dân tộc Bán trú Trung học cơ sở Nậm Ét, huyện Quỳnh Nhai"
    lines = len(wrap(name, 34, 11, bold=True))
    assert (lines, body_row_height([6, 34])([(1, 0), (name, 0)])) == (
        3,
        row_height(name, 34, 11, True),
    )


def test_body_row_of_an_unwrapped_title_stays_one_line():
    """A title cell that does not wrap (it runs over the empty cells beside it) keeps one line."""
    title = "Thư cần văn phòng xem lại " * 3
    assert body_row_height([6], unwrapped={7})([(title, 7)]) is None


@pytest.mark.parametrize(
    ("sheet", "titles"), [("Theo đơn vị", "$1:$3"), ("Tình hình nộp báo cáo", "$3:$3")]
)
def test_other_sheets_print_landscape_one_page_wide(book, sheet, titles):
    """The per-unit and status sheets print A4 landscape, fit to width, header rows repeated."""
    ws = book[sheet]
    setup = (
        ws.page_setup.paperSize,
        ws.page_setup.orientation,
        ws.page_setup.fitToWidth,
        ws.page_setup.fitToHeight,
        ws.sheet_properties.pageSetUpPr.fitToPage,
        ws.print_title_rows,
    )
    assert setup == (9, "landscape", 1, 0, True, titles)


# --- the print, through LibreOffice ---------------------------------------------------------


@dataclass
class Band:
    """The text of the label column between two horizontal table rules on one page."""

    page: int
    top: float
    bottom: float
    text: str


@dataclass
class Printed:
    """What LibreOffice printed: the PDF's pages, the Tổng hợp sheet's count, label bands."""

    pdf: object
    table_pages: int
    bands: list[Band]
    loose_chars: int  # label-column characters drawn across a table rule


def _nfc_words(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _label_bands(page, number: int) -> tuple[list[Band], int]:
    """The label column's bands on a page, and how many of its characters cross a rule."""
    columns = sorted({round(e["x0"], 0) for e in page.edges if e["orientation"] == "v"})
    left, right = columns[1], columns[2]  # STT | Các hoạt động | Đơn vị
    rules = sorted(
        {
            round(e["top"], 1)
            for e in page.edges
            if e["orientation"] == "h" and e["x0"] <= left + 1 and e["x1"] >= right - 1
        }
    )

    def in_column(obj) -> bool:
        return obj.get("object_type") == "char" and left < obj["x0"] and obj["x1"] < right

    # A glyph's box is the font's (ascent to descent): it may touch a rule by a point or so.
    crossing = sum(
        1
        for c in page.chars
        if in_column(c)
        and any(c["top"] + RULE_TOLERANCE < y < c["bottom"] - RULE_TOLERANCE for y in rules)
    )
    bands = []
    for top, bottom in itertools.pairwise(rules):

        def in_band(obj, top=top, bottom=bottom) -> bool:
            return in_column(obj) and top < (obj["top"] + obj["bottom"]) / 2 < bottom

        text = page.filter(in_band).extract_text() or ""
        bands.append(Band(number, top, bottom, _nfc_words(text)))
    return bands, crossing


def print_workbook(rollup, folder: Path) -> Printed:
    """Write `rollup`'s workbook in `folder`, print it to PDF with LibreOffice, read it back."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) not installed")
    xlsx = folder / "tong-hop.xlsx"
    write_rollup_workbook(rollup, xlsx)
    profile = (folder / "lo-profile").as_uri()
    cmd = ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
    subprocess.run(
        [*cmd, "--outdir", str(folder), str(xlsx)], check=True, timeout=180, capture_output=True
    )
    pdf = pdfplumber.open(folder / "tong-hop.pdf")
    texts = [page.extract_text() or "" for page in pdf.pages]
    table_pages = next(i for i, t in enumerate(texts, 1) if PREPARER_TITLE in t)
    bands, loose = [], 0
    for number, page in enumerate(pdf.pages[:table_pages], start=1):
        page_bands, page_loose = _label_bands(page, number)
        bands += page_bands
        loose += page_loose
    return Printed(pdf, table_pages, bands, loose)


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> Printed:
    """The signed sample workbook printed to PDF by LibreOffice, first page kept as a PNG."""
    folder = tmp_path_factory.mktemp("print")
    result = print_workbook(signed_rollup(), folder)
    shutil.copy(folder / "tong-hop.pdf", artifact_path("tong-hop-in.pdf"))
    result.pdf.pages[0].to_image(resolution=100).save(artifact_path("tong-hop-trang-1.png"))
    yield result
    result.pdf.close()


@pytest.fixture(scope="module")
def pushed(tmp_path_factory) -> Printed:
    """A heading block nine lines taller: left alone, page 3 would end on "10 Kinh phí"."""
    office = "\n".join(["Phòng Giáo dục và Đào tạo"] * PUSH_LINES)
    rollup = dataclasses.replace(
        signed_rollup(), campaign=dataclasses.replace(CAMPAIGN, office_name=office)
    )
    result = print_workbook(rollup, tmp_path_factory.mktemp("pushed"))
    yield result
    result.pdf.close()


def _table_pages(printed: Printed) -> list:
    return printed.pdf.pages[: printed.table_pages]


def _labels(printed: Printed, page: int | None = None) -> list[str]:
    head = FORM.columns["label"][0]
    return [b.text for b in printed.bands if b.text != head and (page is None or b.page == page)]


@pytest.mark.slow
def test_every_label_prints_whole_inside_its_row(printed):
    """Each label row holds its whole wrapped label: no text crosses a rule or leaves its row."""
    assert (_labels(printed), printed.loose_chars) == (LABELS, 0)


@pytest.mark.slow
def test_pages_are_a4(printed):
    """Every printed page is A4: portrait for Tổng hợp, landscape for the other sheets."""
    sizes = [(round(p.width), round(p.height)) for p in printed.pdf.pages]
    portrait = (round(A4[0]), round(A4[1]))
    n = printed.table_pages
    assert sizes == [portrait] * n + [portrait[::-1]] * (len(sizes) - n)


@pytest.mark.slow
def test_table_sits_inside_the_decree_margins(printed):
    """The table's left rule is 30-35 mm from the edge, its right one 15-20 mm or more."""
    for page in _table_pages(printed):
        columns = sorted(e["x0"] for e in page.edges if e["orientation"] == "v")
        left, right = columns[0] / MM, (page.width - columns[-1]) / MM
        assert 30 <= left <= 35 and right >= 15, (page.page_number, left, right)


@pytest.mark.slow
def test_text_sits_inside_the_top_and_bottom_margins(printed):
    """Below the page number, nothing prints within 20 mm of the top or bottom edge."""
    for page in _table_pages(printed):
        body = [c for c in page.chars if c["top"] > 15 * MM]
        top = min(c["top"] for c in body) / MM
        bottom = (page.height - max(c["bottom"] for c in body)) / MM
        assert top >= 20 and bottom >= 20, (page.page_number, top, bottom)


@pytest.mark.slow
def test_everything_prints_in_times_new_roman(printed):
    """Every character of the table pages is Times New Roman (or metric twin Liberation Serif)."""
    fonts = {
        c["fontname"].split("+")[-1].split("-")[0] for p in _table_pages(printed) for c in p.chars
    }
    assert fonts <= {"TimesNewRomanPSMT", "TimesNewRoman", "LiberationSerif"}, fonts


@pytest.mark.slow
def test_page_numbers_centred_in_the_top_margin_from_page_two(printed):
    """Page 1 has no number; page n ≥ 2 has "n" in the top margin, centred between margins."""
    centre = (30.5 + (210 - 15.5)) / 2 * MM
    got, want = [], []
    for page in _table_pages(printed):
        words = [w for w in page.extract_words() if w["bottom"] < 20 * MM]
        got.append([(w["text"], abs((w["x0"] + w["x1"]) / 2 - centre) < 3 * MM) for w in words])
        want.append([] if page.page_number == 1 else [(str(page.page_number), True)])
    assert printed.table_pages >= 2 and got == want


@pytest.mark.slow
def test_header_rows_repeat_on_every_page(printed):
    """Each page of the table starts with the header rows: STT, Các hoạt động, Số lượng…"""
    heads = []
    for number in range(1, printed.table_pages + 1):
        first = next(b for b in printed.bands if b.page == number)
        heads.append(first.text)
    assert heads == [FORM.columns["label"][0]] * printed.table_pages


@pytest.mark.slow
@pytest.mark.parametrize("layout", ["printed", "pushed"])
def test_no_page_ends_on_a_heading(request, layout):
    """The last label on each page but the last does not introduce the next line."""
    printed = request.getfixturevalue(layout)
    last_labels = [_labels(printed, n)[-1] for n in range(1, printed.table_pages)]
    assert [label for label in last_labels if label in LEAD_INS] == []


@pytest.mark.slow
def test_pushed_layout_prints_every_label_once(pushed):
    """Moving a heading to the next page loses and repeats no line."""
    assert (_labels(pushed), pushed.loose_chars) == (LABELS, 0)


@pytest.mark.slow
def test_signature_block_is_on_the_last_page_of_the_table(printed):
    """The signature titles and names print below the last label row, on the same page."""
    page = printed.pdf.pages[printed.table_pages - 1]
    text = _nfc_words(page.extract_text())
    last_band = [b for b in printed.bands if b.page == printed.table_pages][-1]
    words = page.extract_words()
    title_top = min(w["top"] for w in words if _nfc_words(w["text"]) == "NGƯỜI")
    assert (_labels(printed, printed.table_pages)[-1], title_top > last_band.bottom) == (
        LABELS[-1],
        True,
    )
    assert all(s in text for s in (PREPARER_TITLE, HEAD_TITLE, PREPARER, HEAD))


@pytest.mark.slow
def test_first_page_is_kept_as_png(printed):
    """The rendered first page is kept in the test output for people to look at."""
    png = artifact_path("tong-hop-trang-1.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _chars_across_rules(page) -> int:
    """How many characters on a page are drawn across a horizontal rule of their column."""
    rules = [e for e in page.edges if e["orientation"] == "h"]
    return sum(
        1
        for c in page.chars
        if any(
            r["x0"] <= c["x0"]
            and c["x1"] <= r["x1"]
            and c["top"] + RULE_TOLERANCE < r["top"] < c["bottom"] - RULE_TOLERANCE
            for r in rules
        )
    )


@pytest.mark.slow
def test_status_sheet_rows_hold_their_wrapped_text(printed):
    """On the submission-status pages no text runs across a row's rule (long names wrap)."""
    pages = [p for p in printed.pdf.pages if "Tình hình nộp báo cáo" in (p.extract_text() or "")]
    assert pages and [_chars_across_rules(p) for p in pages] == [0] * len(pages)
