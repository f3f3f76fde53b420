"""Print layout from the text: Times New Roman widths, wrapping, row heights, page breaks."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from mailbot.office.print_layout import (
    CELL_PADDING,
    LINE_EM,
    MAX_ROW_HEIGHT,
    column_points,
    fit_scale,
    line_height,
    page_breaks,
    row_height,
    text_width,
    wrap,
)

# Vietnamese words as clerks write them, and the odd long token (an address, a file name).
WORDS = st.sampled_from(
    [
        "Bồi",
        "dưỡng",
        "nâng",
        "cao",
        "trình",
        "độ",
        "chuyên",
        "môn",
        "nghiệp",
        "vụ",
        "cho",
        "cán",
        "bộ,",
        "công",
        "chức,",
        "viên",
        "(các",
        "cấp)",
        "Mường",
        "Giàng:",
        "Ượ",
        "1.385",
        "lớp/người",
        "bao-cao-tuan-le-hoc-tap-suot-doi-2021.xlsx",
    ]
)
TEXTS = st.lists(WORDS, max_size=40).map(" ".join)
SEPARATORS = st.sampled_from([" ", "\n", ""])
WIDTHS = st.integers(min_value=3, max_value=80)
SIZES = st.sampled_from([10, 11, 12, 13, 14])


def test_text_width_sums_the_advance_widths():
    """'0' is half an em: ten of them at 12 pt are 60 pt wide."""
    assert text_width("0" * 10, 12) == 60.0


def test_vietnamese_marks_keep_the_base_letter_width():
    """Tone and vowel marks do not widen a letter; đ is as wide as d."""
    assert (text_width("ấậẫ", 12), text_width("đ", 12)) == (text_width("aaa", 12), 6.0)


def test_horn_widens_o_and_u():
    """ơ and ư are wider than o and u (their horn sticks out)."""
    assert text_width("ơư", 12, bold=True) > text_width("ou", 12, bold=True)


def test_quoc_hieu_width_is_not_underestimated():
    """The Quốc hiệu in 12 pt bold measures at least its real 248.6 pt (Liberation Serif)."""
    assert text_width("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, bold=True) >= 248.6


def test_label_wraps_at_spaces():
    """A label longer than its cell wraps at spaces into lines that rejoin to the label."""
    label = "Bồi dưỡng nâng cao trình độ chuyên môn nghiệp vụ cho cán bộ, công chức, viên chức"
    lines = wrap(label, 28, 12)
    assert (len(lines) > 1, " ".join(lines)) == (True, label)


def test_newline_starts_a_line():
    """Each line of a multi-line cell starts a new printed line."""
    assert wrap("UBND xã A: Thi\nUBND xã B: Tọa đàm", 60, 12) == [
        "UBND xã A: Thi",
        "UBND xã B: Tọa đàm",
    ]


def test_word_wider_than_the_cell_is_cut_at_its_edge():
    """A token with no space that is wider than the cell is cut into lines that fit."""
    word = "bao-cao-tuan-le-hoc-tap-suot-doi-2021.xlsx"
    lines = wrap(word, 10, 12)
    room = column_points(10) - 2 * CELL_PADDING
    assert ("".join(lines), all(text_width(x, 12) <= room for x in lines)) == (word, True)


def test_one_line_row_is_excel_default_height_plus_padding():
    """One line of 12 pt text needs Excel's 15.75 pt line and 1.5 pt above and below."""
    assert row_height("Xóa mù chữ", 28, 12) == 18.75


def test_row_height_is_capped_at_excels_maximum():
    """A cell of hundreds of lines gets Excel's highest row, 409 pt."""
    assert row_height("\n".join(["dòng"] * 500), 28, 12) == MAX_ROW_HEIGHT


@given(TEXTS, TEXTS, SEPARATORS, WIDTHS, SIZES, st.booleans())
def test_longer_text_never_gets_a_smaller_height(text, more, sep, width, size, bold):
    """Adding text to a cell never makes its row lower."""
    longer = f"{text}{sep}{more}"
    assert row_height(longer, width, size, bold) >= row_height(text, width, size, bold)


@given(TEXTS, WIDTHS, SIZES, st.booleans())
def test_wrapped_lines_fit_the_cell_and_the_row(text, width, size, bold):
    """Every wrapped line fits the cell width, and the row holds every line."""
    lines = wrap(text, width, size, bold)
    room = column_points(width) - 2 * CELL_PADDING
    too_wide = [x for x in lines if len(x) > 1 and text_width(x, size, bold) > room + 1e-9]
    height = row_height(text, width, size, bold)
    assert too_wide == []
    assert height >= min(MAX_ROW_HEIGHT, len(lines) * line_height(size))


@given(TEXTS, WIDTHS, SIZES)
def test_wrapping_keeps_every_word(text, width, size):
    """The wrapped lines hold the text's characters in order, only spaces dropped."""
    lines = wrap(text, width, size)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_line_height_is_excels():
    """A line of wrapped text takes Excel's 1.3125 em."""
    assert line_height(12) == LINE_EM * 12 == 15.75


def test_fit_scale_is_one_when_the_columns_fit():
    """Columns narrower than the page print at 100 %."""
    assert fit_scale([5, 28, 10, 13, 10, 11], 464.9) == 1.0


def test_fit_scale_shrinks_to_whole_percent():
    """Columns twice as wide as the page print at 50 %, rounded down to a whole percent."""
    assert fit_scale([100], 301.0) == 0.5
    assert math.isclose(fit_scale([100], 299.0), 0.49)


def test_page_breaks_where_the_page_is_full():
    """Ten rows of 30 pt on pages of 100 pt: three rows a page."""
    assert page_breaks([30.0] * 10, 100.0) == [3, 6, 9]


def test_repeated_header_rows_take_room_on_later_pages():
    """With a 40 pt header repeated, later pages hold two rows of 30 pt."""
    assert page_breaks([30.0] * 7, 100.0, repeated_height=40.0) == [3, 5]


def test_heading_row_moves_to_the_next_page():
    """A heading that would end a page starts the next one, with the row it introduces."""
    assert page_breaks([30.0] * 6, 100.0, keep_with_next={2}) == [2, 5]


def test_kept_rows_chain_back_to_the_first_of_them():
    """The signature rows and the table's last row go over together."""
    assert page_breaks([30.0] * 6, 100.0, keep_with_next={1, 2}) == [1, 4]


def test_page_keeps_at_least_one_row():
    """When every row is kept with the next, each page still gets a row: no empty page."""
    assert page_breaks([30.0] * 5, 100.0, keep_with_next={0, 1, 2, 3}) == [1, 2]


def test_no_break_before_the_first_breakable_row():
    """No page break falls inside the heading block above the table."""
    assert page_breaks([60.0, 60.0, 10.0], 100.0, first_breakable=2) == [2]


def test_row_taller_than_a_page_gets_its_own_page():
    """A row taller than a page is not split and does not loop."""
    assert page_breaks([30.0, 150.0, 30.0], 100.0) == [1, 2]
