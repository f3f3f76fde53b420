"""Tests for mailbot.parsing.values: how one value cell reads (appendix2-form.md)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mailbot.parsing.model import Cell
from mailbot.parsing.values import (
    NoteQuantity,
    amount_scale,
    read_cell,
    read_note,
    read_number,
    read_pair,
)


@pytest.mark.parametrize("text", ["", "   ", "\u00a0"])
def test_blank_reads_as_not_reported(text):
    """A blank cell is not a number and not zero."""
    reading = read_number(text)
    assert reading.blank and reading.value is None


@pytest.mark.parametrize("text", ["0", "-", "–", "—", "không", "Không", "0 lớp", "Không tổ chức"])
def test_zero_forms_read_as_zero(text):
    """0, dashes, "không", "0 lớp" and "Không tổ chức" all mean zero."""
    assert read_number(text).numbers == (0,)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("02", 2),
        ("12 lớp", 12),
        ("45 người", 45),
        ("1.200", 1200),
        ("1,200", 1200),
        ("1 200", 1200),
        ("1\u00a0200", 1200),
        ("12.", 12),
        ("=2+3", 5),
    ],
)
def test_count_text_reads_as_integer(text, value):
    """Counts typed as text, with thousands separators or unit words, read exactly."""
    assert read_number(text).numbers == (value,)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("15.000.000", 15_000_000),
        ("15,000,000", 15_000_000),
        ("15000000đ", 15_000_000),
        ("15.000.000 đồng", 15_000_000),
        ("15.000.000 VNĐ", 15_000_000),
        ("15 triệu", 15_000_000),
        ("15,5 triệu", 15_500_000),
        ("2,5 triệu", 2_500_000),
        ("1,2 tỷ", 1_200_000_000),
        ("1,2 tỉ", 1_200_000_000),
        ("15tr", 15_000_000),
        ("15 tr.", 15_000_000),
        ("500 nghìn", 500_000),
        ("500 ngàn", 500_000),
        ("500k", 500_000),
        ("15 triệu 500 nghìn", 15_500_000),
        ("1.200.000,00", 1_200_000),
        ("1,200,000.00", 1_200_000),
    ],
)
def test_money_text_reads_as_dong(text, value):
    """Money in every usual Vietnamese spelling reads as integer đồng."""
    assert read_number(text).numbers == (value,)


def test_pair_reads_count_and_people():
    """ "2/45" gives two numbers that read as a count/people pair."""
    reading = read_number("2/45")
    assert read_pair(reading) == (2, 45)


def test_pair_with_unit_words_reads_count_and_people():
    """ "2 lớp, 45 người" reads as a pair too."""
    assert read_pair(read_number("2 lớp, 45 người")) == (2, 45)


def test_single_number_is_not_a_pair():
    """One number is never a pair."""
    assert read_pair(read_number("45")) is None


@pytest.mark.parametrize("text", ["Có", "Đã tổ chức", "x"])
def test_words_without_number_are_not_numbers(text):
    """Text that holds no number and does not mean none is not read as a number."""
    reading = read_number(text)
    assert not reading.numeric and not reading.blank


@pytest.mark.parametrize("text", ["1,5", "2.5 lớp", "50%", "-3"])
def test_unusable_numbers_carry_a_problem(text):
    """Fractions, percentages and negatives are refused with a reason."""
    reading = read_number(text)
    assert not reading.numeric and reading.problem


def test_numeric_cell_value_wins_over_display_text():
    """A number stored in the cell is used, whatever its display format."""
    assert read_cell(Cell("1.234.567 đ", 1234567)).numbers == (1234567,)


def test_integral_float_reads_as_int():
    """A float cell value that is integral comes back as an int."""
    value = read_cell(Cell("", 12.0)).value
    assert value == 12 and isinstance(value, int)


def test_fractional_float_is_refused():
    """A count of 2.5 is not a count."""
    assert read_cell(Cell("", 2.5)).problem


@pytest.mark.parametrize(
    ("unit", "cell", "dong"),
    [
        ("triệu đồng", Cell("15", 15), 15_000_000),
        ("Tr.đ", Cell("2,5", 2.5), 2_500_000),
        ("nghìn đồng", Cell("500", 500), 500_000),
        ("đồng", Cell("15.000.000", 15_000_000), 15_000_000),
    ],
)
def test_money_reads_in_dong_by_the_unit_of_its_row(unit, cell, dong):
    """An amount in a row whose unit says "triệu đồng"/"nghìn đồng" reads as đồng."""
    assert read_cell(cell, amount_scale(unit)).numbers == (dong,)


def _dots(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


def renderings(n: int) -> list[str]:
    """Every way a clerk writes n (the money forms only when exact)."""
    out = [str(n), _dots(n, "."), _dots(n, ","), _dots(n, " "), f"{n} người", f"{n:,} lớp"]
    out += [f"{_dots(n, '.')} đồng", f"{n}đ"]
    if n and n % 1_000_000 == 0:
        out.append(f"{n // 1_000_000} triệu")
        out.append(f"{n // 1_000_000}tr")
    if n and n % 100_000 == 0 and n % 1_000_000:
        whole, frac = divmod(n, 1_000_000)
        out.append(f"{whole},{str(frac).zfill(6).rstrip('0')} triệu")
    if n and n % 100_000_000 == 0 and n >= 1_000_000_000:
        whole, frac = divmod(n, 1_000_000_000)
        tail = f",{str(frac).zfill(9).rstrip('0')}" if frac else ""
        out.append(f"{whole}{tail} tỷ")
    if n and n % 1000 == 0:
        out.append(f"{n // 1000}k")
    return out


@given(
    st.one_of(
        st.integers(0, 10**4),
        st.integers(0, 10**12),
        st.integers(0, 10**4).map(lambda k: k * 100_000),
    )
)
def test_every_rendering_reads_back(n):
    """Any non-negative integer, written in each Vietnamese way, reads back exactly."""
    for text in renderings(n):
        assert read_number(text).numbers == (n,), text
    assert read_cell(Cell(str(n), float(n))).numbers == (n,)
    assert read_cell(Cell(str(n), n)).numbers == (n,)


# --- placeholders -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["…", "……", "...", ".....", ". . .", "_", "___", "/", "?", "…/…", "… lớp", "...người"]
)
def test_placeholder_marks_read_as_not_reported(text):
    """The form's dotted, ellipsis, underscore or slash fill-in marks mean nothing reported."""
    reading = read_number(text)
    assert reading.blank and not reading.numeric and reading.problem is None


@pytest.mark.parametrize("text", ["--", "- -", "−", "- người", "–lớp"])
def test_dashes_with_or_without_unit_word_read_as_zero(text):
    """Repeated dashes, a minus sign and a dash followed by a unit word all mean zero."""
    assert read_number(text).numbers == (0,)


def test_x_mark_is_neither_a_number_nor_blank():
    """An "x" is not a placeholder: it is left unread so the clerk is warned about it."""
    reading = read_number("x")
    assert not reading.numeric and not reading.blank


# --- numbers in Ghi chú -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"), [("7", 7), ("03", 3), ("3 lớp", 3), ("3 lớp.", 3), ("1.200", 1200)]
)
def test_bare_note_number_is_a_quantity(text, value):
    """A note that is a number, optionally with the row's unit word, gives that number."""
    assert read_note(Cell(text), "lớp/người") == [
        NoteQuantity(value, "lop" if "lớp" in text else "")
    ]


@pytest.mark.parametrize(
    "text", ["12/10/2021", "12.10.2021", "12-10-2021", "15/10", "ngày 5/10", "Ngày 15/10"]
)
def test_dates_in_note_are_not_quantities(text):
    """A date typed in Ghi chú, with or without "ngày", never reads as a number."""
    assert read_note(Cell(text), "lớp/người") == []


@pytest.mark.parametrize(
    "text",
    ["50%", "đạt 100%", "8h30", "8:30", "0912345678", "0912 345 678", "Số 15/KH-UBND", "2/45"],
)
def test_rates_times_phones_and_references_in_note_are_not_quantities(text):
    """Percentages, times, phone numbers, document numbers and slashed pairs are remarks."""
    assert read_note(Cell(text), "lớp/người") == []


@pytest.mark.parametrize("text", ["Có 3 lớp học qua Zalo", "chi 5.000.000đ in tài liệu", "Tổng 3"])
def test_note_with_words_around_the_number_is_a_remark(text):
    """A number inside a sentence is not a quantity."""
    assert read_note(Cell(text), "đồng", money=True) == []


def test_note_with_another_rows_unit_is_not_a_quantity():
    """ "3 người" in a row counted in books (Quyển) is not its count."""
    assert read_note(Cell("3 người"), "Quyển") == []


def test_year_alone_in_note_is_not_a_quantity():
    """A bare "2021" in Ghi chú is a year; "2021 quyển" is a count of books."""
    assert read_note(Cell("2021"), "Quyển") == []
    assert read_note(Cell("2021 quyển"), "Quyển") == [NoteQuantity(2021, "quyen")]


def test_money_note_reads_multipliers_only_for_amounts():
    """ "15 triệu" in Ghi chú is 15,000,000 đồng in a money row and nothing in a count row."""
    assert read_note(Cell("15 triệu"), "đồng", money=True) == [NoteQuantity(15_000_000, "trieu")]
    assert read_note(Cell("15 triệu"), "lớp") == []


def test_two_quantities_in_note_need_both_units():
    """ "2 lớp, 45 người" gives both numbers; "3, 45" says nothing about which is which."""
    assert read_note(Cell("2 lớp, 45 người"), "lớp/người") == [
        NoteQuantity(2, "lop"),
        NoteQuantity(45, "nguoi"),
    ]
    assert read_note(Cell("3, 45"), "lớp/người") == []


def test_numeric_note_cell_without_text_is_a_quantity():
    """A number stored in the note cell with no display text reads as that number."""
    assert read_note(Cell("", 7.0), "lớp") == [NoteQuantity(7, "")]


@given(st.dates(), st.sampled_from(["%d/%m/%Y", "%d/%m/%y", "%d/%m", "%d.%m.%Y", "%d-%m-%Y"]))
def test_no_date_in_note_reads_as_a_quantity(day, layout):
    """However a date is written, with or without "ngày", the note gives no quantity."""
    text = day.strftime(layout)
    assert read_note(Cell(text), "lớp/người") == []
    assert read_note(Cell(f"ngày {text}"), "lớp/người") == []


@pytest.mark.parametrize(
    "text", ["12/10/2021", "12.10.2021", "ngày 5/10", "Tháng 10", "năm 2021", "8h30", "8 giờ"]
)
def test_dates_and_times_in_value_cell_are_refused(text):
    """A date, month, year or time typed in a value cell is not a quantity, with a reason."""
    reading = read_number(text)
    assert not reading.numeric and reading.problem


@pytest.mark.parametrize("text", ["Chưa báo cáo", "chưa có số liệu", "Đang cập nhật", "N/A"])
def test_missing_figure_words_are_not_zero(text):
    """Words saying the figure is missing leave the slot unread instead of zero."""
    reading = read_number(text)
    assert not reading.numeric and not reading.blank


@pytest.mark.parametrize("text", ["Chưa tổ chức", "chưa có", "Không có"])
def test_none_yet_words_read_as_zero(text):
    """ "Chưa tổ chức" and "chưa có" say there was none: zero."""
    assert read_number(text).numbers == (0,)


@pytest.mark.parametrize(
    ("text", "numbers"),
    [("3 lớp (ngày 12/10)", (3,)), ("2/45 (ngày 12/10)", (2, 45)), ("năm 2021: 3 lớp", (3,))],
)
def test_date_beside_a_count_is_dropped_and_the_count_kept(text, numbers):
    """A date written next to the figure in one cell does not hide or replace the figure."""
    assert read_number(text).numbers == numbers


@given(st.text(alphabet=".…_/ \u00a0", min_size=1).filter(str.strip))
def test_any_run_of_fill_in_marks_is_not_reported(text):
    """Any mix of dots, ellipses, underscores, slashes and spaces reads as not reported."""
    reading = read_number(text)
    assert reading.blank and not reading.numeric


@given(st.text(alphabet="-–— ", min_size=1).filter(str.strip))
def test_any_run_of_dashes_reads_as_zero(text):
    """Any mix of hyphens, en and em dashes (with spaces) reads as zero."""
    assert read_number(text).numbers == (0,)
