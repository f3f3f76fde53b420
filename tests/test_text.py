"""Tests for mailbot.parsing.normalize: folding, abbreviations, TCVN3/VNI legacy font repair."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from mailbot.parsing.normalize import (
    TCVN3_TO_UNICODE,
    VNI_TO_UNICODE,
    could_be_legacy,
    detect_legacy,
    expand_abbreviations,
    fix_legacy,
    fold,
    looks_legacy,
    nfc,
)
from tests.support.appendix2_builder import HEADER_BLOCK, PLAN_ROWS

# Real Vietnamese words (all tones and vowel shapes occur) for the round-trip properties.
WORD_TEXT = (
    "trường tiểu học mầm non chiềng khay mường giàng quỳnh nhai ủy ban nhân dân xã huyện "
    "bồi dưỡng nâng cao trình độ chuyên môn nghiệp vụ cán bộ công chức viên ngoại ngữ tin "
    "tay nghề lao động nông thôn văn hóa khu chế xuất giáo dục kỹ năng sống phổ biến kiến "
    "thức khoa pháp luật thường xuyên quản lý báo cáo cập xóa mù chữ tập huấn khác số bài "
    "ấn phẩm tờ rơi áp phích băng rôn khẩu hiệu phát động phong trào quyên góp sách thư "
    "viện tặng huy đọc khuyến hội đường phố trưng bày triển lãm tư liệu thi tìm hiểu lịch "
    "sử địa phương bảo tàng di tích nghệ thuật vẽ tranh thiếu nhi kể chuyện cảm nhận suốt "
    "đời tổ chức thể thao thăm quan lễ khai mạc tuần khen thưởng cá kinh phí ngân nước "
    "hợp nguồn nội dung người lớp cuộc đồng quyển độc lập tự do hạnh phúc cộng hòa ơn ẩm"
)
WORDS = WORD_TEXT.split()


def _inverse(table: dict[str, str], prefer_upper_marks: bool) -> dict[str, str]:
    inverse: dict[str, str] = {}
    for seq, uni in table.items():
        if len(seq) == 2 and prefer_upper_marks and seq[0].isupper() != seq[1].isupper():
            continue  # VNI capitals are typed with capital mark bytes
        inverse.setdefault(uni, seq)
    return inverse


TCVN3_FROM = _inverse(TCVN3_TO_UNICODE, False)
VNI_FROM = _inverse(VNI_TO_UNICODE, True)


def to_tcvn3(text: str) -> str:
    """Unicode → what a .VnTime/.VnTimeH font shows when opened as Unicode."""
    out = []
    for ch in text:
        if ch.isascii():
            out.append(ch)
        elif ch in "ĂÂÊÔƠƯĐăâêôơưđ" or ch.islower():
            out.append(TCVN3_FROM[ch])
        else:  # capitals with tones exist only in the capital-only font, on lower-case codes
            out.append(TCVN3_FROM[ch.lower()])
    return "".join(out)


def to_vni(text: str) -> str:
    """Unicode → what a VNI-Times font shows when opened as Unicode."""
    return "".join(VNI_FROM.get(ch, ch) for ch in text)


def _vietnamese_letters() -> set[str]:
    shapes = {"a": "\u0306\u0302", "e": "\u0302", "o": "\u0302\u031b", "u": "\u031b"}
    letters = {"đ", "Đ"}
    for base in "aeiouy":
        for shape in ("", *shapes.get(base, "")):
            for tone in ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"):
                ch = unicodedata.normalize("NFC", base + shape + tone)
                letters |= {ch, ch.upper()}
    return letters


VIETNAMESE = _vietnamese_letters()


def foreign(text: str) -> bool:
    """True when text has a letter or sign no Vietnamese Unicode text would use."""
    return any(not ch.isascii() and ch not in VIETNAMESE for ch in text)


phrases = st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join)


def test_nfc_composes_decomposed_text():
    """NFD input comes back composed."""
    assert nfc(unicodedata.normalize("NFD", "Trường")) == "Trường"


def test_fold_ignores_normalisation_form():
    """NFC and NFD spellings fold to the same key."""
    s = "Bồi dưỡng thường xuyên"
    assert fold(s) == fold(unicodedata.normalize("NFD", s)) == "boi duong thuong xuyen"


def test_fold_maps_d_stroke_and_punctuation():
    """đ/Đ become d, punctuation and runs of whitespace become single spaces."""
    assert fold("  PHÒNG GD&ĐT -- Quỳnh\tNhai,  (2021) ") == "phong gd dt quynh nhai 2021"


def test_expand_abbreviations_replaces_whole_words_only():
    """Abbreviations expand as whole words; a word merely containing one is left alone."""
    abbr = {"gv": "giáo viên", "thcs": "trung học cơ sở"}
    assert expand_abbreviations("bdtx cho gv thcs", abbr) == "bdtx cho giao vien trung hoc co so"
    assert expand_abbreviations("gvx", abbr) == "gvx"


@pytest.mark.parametrize(
    ("legacy", "unicode"),
    [
        ("Tr\u00adêng", "Trường"),
        ("UBND x· ChiÒng Khay", "UBND xã Chiềng Khay"),
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
        ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
        ("PHßNG GD&§T QUúNH NHAI", "PHÒNG GD&ĐT QUỲNH NHAI"),
        ("TR¦êNG MÇM NON Cµ NµNG", "TRƯỜNG MẦM NON CÀ NÀNG"),
    ],
)
def test_fix_legacy_converts_tcvn3(legacy, unicode):
    """TCVN3 (.VnTime / .VnTimeH) mojibake is detected and converted to NFC Unicode."""
    assert detect_legacy(legacy) == "tcvn3"
    assert fix_legacy(legacy) == unicode


@pytest.mark.parametrize(
    ("legacy", "unicode"),
    [
        ("Tröôøng", "Trường"),
        ("Xin chaøo caùc baïn", "Xin chào các bạn"),
        ("UÛY BAN NHAÂN DAÂN XAÕ", "ỦY BAN NHÂN DÂN XÃ"),
        ("Tieåu hoïc Chieàng Baèng", "Tiểu học Chiềng Bằng"),
    ],
)
def test_fix_legacy_converts_vni(legacy, unicode):
    """VNI-Windows mojibake is detected and converted to NFC Unicode."""
    assert detect_legacy(legacy) == "vni"
    assert fix_legacy(legacy) == unicode


@pytest.mark.parametrize("text", ["Hoà Bình", "café", "Trường THCS Mường Giàng", "STT", ""])
def test_unicode_text_is_not_legacy(text):
    """Ordinary Unicode (and ASCII) text is left exactly as it is."""
    assert not looks_legacy(text)
    assert fix_legacy(text) == text


@given(phrases, st.sampled_from(["lower", "upper"]))
def test_tcvn3_round_trip(text, case):
    """Any Vietnamese text encoded in TCVN3 decodes back exactly when the font is known."""
    if case == "upper":
        # Capitals share codes with small letters; a word with two plain capitals shows the case.
        assume(any(sum(ch.isascii() for ch in w) >= 2 for w in text.split()))
        text = text.upper()
    assert fix_legacy(to_tcvn3(text), "tcvn3") == text


@given(phrases, st.sampled_from(["lower", "upper", "title"]))
def test_vni_round_trip(text, case):
    """Any Vietnamese text encoded in VNI decodes back exactly when the font is known."""
    text = {"upper": text.upper(), "title": text.title(), "lower": text}[case]
    assert fix_legacy(to_vni(text), "vni") == text


@given(st.lists(st.sampled_from(WORDS), min_size=4, max_size=10).map(" ".join))
def test_tcvn3_detected_without_hint(text):
    """A TCVN3 phrase of a few words is recognised and repaired with no hint."""
    encoded = to_tcvn3(text)
    assume(foreign(encoded))  # "phóc" (TCVN3 "phúc") is a valid-looking Unicode word
    assert detect_legacy(encoded) == "tcvn3"
    assert fix_legacy(encoded) == text


REAL_LINES = [
    *(row.label for row in PLAN_ROWS),
    *(a for a, _ in HEADER_BLOCK),
    *(b for _, b in HEADER_BLOCK),
    "Trường Tiểu học Chiềng Bằng",
    "UBND xã Pá Ma Pha Khinh",
    "Số liệu kết quả tổ chức tuần lễ học tập suốt đời năm 2021",
]


@pytest.mark.parametrize("line", REAL_LINES)
@pytest.mark.parametrize("font", ["tcvn3", "vni"])
def test_real_lines_detected_in_either_font(line, font):
    """Every label and header line of the form, typed in either font, is detected and fixed."""
    encoded = to_tcvn3(line) if font == "tcvn3" else to_vni(line)
    if encoded == line:  # nothing to repair (plain ASCII)
        assert fix_legacy(encoded) == line
        return
    assert detect_legacy(encoded) == font
    fixed = fix_legacy(encoded)
    if font == "tcvn3" and not line[0].isascii():
        # A capital toned first letter ("Ấn") has only a small-letter code in TCVN3.
        fixed, line = fixed[0].lower() + fixed[1:], line[0].lower() + line[1:]
    assert fixed == line


def test_ambiguous_string_converts_once_the_font_is_known():
    """Text that reads either way is converted when the document's font is known."""
    assert detect_legacy("soáng") is None
    assert could_be_legacy("soáng", "vni") and fix_legacy("soáng", "vni") == "sống"
    assert not could_be_legacy("sống", "vni")


@given(phrases, st.sampled_from(["lower", "upper", "title"]))
def test_real_unicode_is_never_converted(text, case):
    """No Unicode Vietnamese phrase is mistaken for legacy-font text."""
    text = {"upper": text.upper(), "title": text.title(), "lower": text}[case]
    assert fix_legacy(text) == text
