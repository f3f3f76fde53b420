"""Tests for mailbot.parsing.unitname: the reporting unit's name from the header block."""

from __future__ import annotations

import pytest

from mailbot.parsing.unitname import find_unit_name


@pytest.mark.parametrize(
    ("lines", "name"),
    [
        (["UBND XÃ CHIỀNG KHAY", "Số: 12/BC-UBND"], "UBND XÃ CHIỀNG KHAY"),
        (["ỦY BAN NHÂN DÂN XÃ MƯỜNG GIÀNG"], "ỦY BAN NHÂN DÂN XÃ MƯỜNG GIÀNG"),
        (["PHÒNG GD&ĐT QUỲNH NHAI", "TRƯỜNG PTDTBT THCS NẬM ÉT"], "TRƯỜNG PTDTBT THCS NẬM ÉT"),
        (["UBND HUYỆN QUỲNH NHAI", "TRƯỜNG MN MƯỜNG SẠI"], "TRƯỜNG MN MƯỜNG SẠI"),
        (["Đơn vị: Trường Tiểu học Chiềng Bằng"], "Trường Tiểu học Chiềng Bằng"),
        (["Tên đơn vị: Trường TH&THCS Chiềng Khoang"], "Trường TH&THCS Chiềng Khoang"),
        (["Đơn vị:", "UBND xã Cà Nàng"], "UBND xã Cà Nàng"),
    ],
)
def test_unit_line_is_found(lines, name):
    """The usual ways a header names its unit are all recognised."""
    assert find_unit_name(lines) == name


def test_two_column_header_line_is_split():
    """A header line with the motto on its right (tab or wide gap) gives the left side."""
    lines = [
        "UBND HUYỆN QUỲNH NHAI\t\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "TRƯỜNG THCS MƯỜNG GIÀNG        Độc lập - Tự do - Hạnh phúc",
    ]
    assert find_unit_name(lines) == "TRƯỜNG THCS MƯỜNG GIÀNG"


def test_header_cells_in_reading_order():
    """Sheet cells read row by row (left block, then motto) still give the unit line."""
    cells = ["UBND HUYỆN QUỲNH NHAI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    cells += ["UBND XÃ MƯỜNG CHIÊN", "Độc lập - Tự do - Hạnh phúc"]
    assert find_unit_name(cells) == "UBND XÃ MƯỜNG CHIÊN"


def test_superior_alone_is_the_unit():
    """With no unit line after it, the only body named is taken."""
    assert find_unit_name(["UBND HUYỆN QUỲNH NHAI", "BÁO CÁO"]) == "UBND HUYỆN QUỲNH NHAI"


def test_unit_type_wrapped_onto_two_lines_is_joined():
    """ "TRƯỜNG MẦM NON" / "MƯỜNG GIÀNG" in a narrow header cell is one name."""
    assert find_unit_name(["TRƯỜNG MẦM NON\nMƯỜNG GIÀNG"]) == "TRƯỜNG MẦM NON MƯỜNG GIÀNG"


def test_legacy_font_name_is_repaired():
    """A TCVN3-typed header line gives the name in Unicode."""
    assert find_unit_name(["UBND X· CHIÒNG KHAY"]) == "UBND XÃ CHIỀNG KHAY"


def test_decorations_are_stripped():
    """Underlines and trailing punctuation typed under the name are not part of it."""
    assert find_unit_name(["TRƯỜNG TIỂU HỌC CHIỀNG BẰNG", "-----------"]) == (
        "TRƯỜNG TIỂU HỌC CHIỀNG BẰNG"
    )
    assert find_unit_name(["UBND XÃ NẬM ÉT ___"]) == "UBND XÃ NẬM ÉT"


def test_narrative_sentence_is_not_a_name():
    """A body sentence starting with "Đơn vị" or "Trường" is not taken as the name."""
    lines = ["Đơn vị đã ban hành Kế hoạch số 15/KH ngày 20/9/2021 triển khai Tuần lễ"]
    assert find_unit_name(lines) is None


def test_absent_name_is_none():
    """A file with no header block has no unit name."""
    assert find_unit_name(["BIỂU TỔNG HỢP", "Số liệu kết quả tổ chức tuần lễ"], []) is None


def test_nearer_source_wins():
    """The first source naming a unit wins over later ones."""
    assert find_unit_name(["UBND XÃ MƯỜNG GIÔN"], ["TRƯỜNG THCS CHIỀNG ƠN"]) == "UBND XÃ MƯỜNG GIÔN"


@pytest.mark.parametrize(
    ("lines", "name"),
    [
        (["BÁO CÁO CỦA TRƯỜNG MN CÀ NÀNG", "Kết quả tổ chức Tuần lễ"], "TRƯỜNG MN CÀ NÀNG"),
        (
            ["Báo cáo kết quả tổ chức Tuần lễ năm 2021 của UBND xã Mường Giàng"],
            "UBND xã Mường Giàng",
        ),
        (["BÁO CÁO CỦA TRƯỜNG THCS CHIỀNG BẰNG VỀ KẾT QUẢ TUẦN LỄ"], "TRƯỜNG THCS CHIỀNG BẰNG"),
        (["Báo cáo của Trường TH Mường Sại, huyện Quỳnh Nhai"], "Trường TH Mường Sại"),
    ],
)
def test_unit_named_after_cua_in_a_title(lines, name):
    """A title "… CỦA <unit>" gives the unit part only, cut before "về", "năm", commas."""
    assert find_unit_name(lines) == name


@pytest.mark.parametrize(
    "lines",
    [
        ["BIỂU TỔNG HỢP số liệu tuần lễ (Trường TH Mường Sại)"],
        ["BIỂU TỔNG HỢP", "(Trường TH Mường Sại)"],
    ],
)
def test_unit_in_brackets_by_the_title(lines):
    """A unit in brackets in or under the title line is the unit, without the brackets."""
    assert find_unit_name(lines) == "Trường TH Mường Sại"


def test_title_unit_wins_over_superior_body():
    """With only the superior body in the header, the unit named in the title is preferred."""
    lines = ["PHÒNG GD&ĐT QUỲNH NHAI", "BÁO CÁO CỦA TRƯỜNG MN CÀ NÀNG"]
    assert find_unit_name(lines) == "TRƯỜNG MN CÀ NÀNG"


def test_header_unit_wins_over_title_unit():
    """A unit line in the header block is preferred to a unit named in the title."""
    lines = ["UBND XÃ CHIỀNG KHAY", "BÁO CÁO CỦA TRƯỜNG MN CÀ NÀNG"]
    assert find_unit_name(lines) == "UBND XÃ CHIỀNG KHAY"


@pytest.mark.parametrize(
    "lines",
    [
        ["Báo cáo của nhà trường"],
        ["Báo cáo của trường"],
        ["Báo cáo kết quả của UBND huyện Quỳnh Nhai"],
        ["BIỂU TỔNG HỢP", "(Kèm theo Kế hoạch số 45/KH-PGDĐT ngày 1/10/2021 của Phòng GD&ĐT)"],
        ["Thực hiện kế hoạch của Trường TH Mường Sại, nhà trường báo cáo"],
    ],
)
def test_title_without_a_named_unit_gives_none(lines):
    """Generic words, superior bodies and narrative sentences do not name the unit."""
    assert find_unit_name(lines) is None


def test_a_labelled_unit_line_under_the_title_names_the_unit():
    """No letterhead, only "Đơn vị: Trường …" under the title: that line names the unit."""
    texts = [
        "Phụ lục 2",
        "BIỂU TỔNG HỢP",
        "Số liệu kết quả tổ chức tuần lễ học tập suốt đời năm 2021",
        "Đơn vị: Trường Tiểu học Chiềng Bằng",
    ]
    assert find_unit_name(texts) == "Trường Tiểu học Chiềng Bằng"


def test_an_unlabelled_line_under_the_title_names_no_unit():
    """Below the title a bare "Trường …" is part of the title text, not the letterhead."""
    texts = ["BIỂU TỔNG HỢP", "Số liệu kết quả tổ chức tuần lễ", "Trường học thân thiện"]
    assert find_unit_name(texts) is None


def test_the_compiling_office_under_the_title_is_no_unit():
    """ "Đơn vị: Phòng GD&ĐT (tổng hợp …)" under a roll-up's title names no reporting unit."""
    texts = ["PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", "BIỂU TỔNG HỢP", "Đơn vị: Phòng Giáo dục và Đào tạo"]
    assert find_unit_name(texts) == "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"
