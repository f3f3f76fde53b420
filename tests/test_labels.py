"""Tests for mailbot.parsing.labels: label similarity and order-aware row→line alignment."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailbot.forms import load_form
from mailbot.parsing.labels import LabelMatcher, align

FORM = load_form()
MATCHER = LabelMatcher(FORM)
LABELS = [line.label for line in FORM.lines]


def best_code(text: str) -> str | None:
    """The code (or "H<stt>" for a heading) of the best line for a label."""
    line = MATCHER.candidates(text, 1)[0].line
    return line.code or f"H{line.stt}"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Tập thể", "9.1"),
        ("Cá nhân", "9.2"),
        ("Ngân sách nhà nước", "10.1"),
        ("Xóa mù chữ", "1.12"),
        ("Số tập thể/ cá nhân tặng sách", "4.1"),
        ("Kinh phí", "H10"),
        ("Khen thưởng về tổ chức Tuần lễ", "H9"),
        ("Hoạt động văn nghệ", "6.2"),
    ],
)
def test_short_labels_are_not_confused(text, code):
    """Short labels that share words with longer ones go to their own line."""
    assert best_code(text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Trung bày, triển lãm sách báo, tư liệu", "5.2"),
        ("Boi duong thuong xuyen cho giao vien", "1.9"),
        ("Phổ biến kiến thức khoa hoc, kiến thức phap luạt cho người lao động", "1.8"),
        ("Bồi dưởng nâng cao trình độ tin hoc cho cán bộ, công chức, viên chức", "1.3"),
    ],
)
def test_typos_and_missing_diacritics_still_match(text, code):
    """Spelling slips and text typed without diacritics match the intended line."""
    assert best_code(text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("BDTX cho GV", "1.9"),
        ("Bồi dưỡng nâng cao trình độ ngoại ngữ cho CBCCVC (các cấp)", "1.2"),
        ("Bồi dưỡng, tập huấn cho CBQL, báo cáo viên TTHTCĐ", "1.10"),
        ("Phổ cập giáo dục (TH, THCS)", "1.11"),
        ("Hoạt động TDTT", "6.1"),
    ],
)
def test_abbreviations_expand_before_matching(text, code):
    """The form's abbreviations (BDTX, GV, CBCCVC, TTHTCD, THCS, TDTT) are understood."""
    assert best_code(text) == code


@pytest.mark.parametrize(
    "text", ["1.1. Bồi dưỡng thường xuyên cho giáo viên", "- Bồi dưỡng thường xuyên cho giáo viên"]
)
def test_list_markers_are_ignored(text):
    """Numbering or bullets in front of a label do not change its line."""
    assert best_code(text) == "1.9"


def test_unrelated_text_scores_low():
    """Signature and narrative lines match no line strongly."""
    for text in ("Người lập biểu", "Hiệu trưởng", "Nguyễn Văn An", "Kính gửi: Phòng GD&ĐT"):
        assert MATCHER.best(text) < 0.5, text


def test_align_plan_order_maps_every_row_to_its_line():
    """The form's own labels in order map one to one."""
    assert align(MATCHER, LABELS) == list(range(len(LABELS)))


def test_align_skips_deleted_rows():
    """With some rows deleted, the rest still map to their own lines."""
    keep = [i for i in range(len(LABELS)) if FORM.lines[i].code not in ("1.4", "1.6", "5.6", "9.1")]
    assert align(MATCHER, [LABELS[i] for i in keep]) == keep


def test_align_follows_reordered_rows():
    """Swapped rows (even near-identical ones such as 1.2 and 1.3) keep their own lines."""
    order = list(range(len(LABELS)))
    for a, b in ((3, 4), (36, 37), (22, 23)):
        order[a], order[b] = order[b], order[a]
    assert align(MATCHER, [LABELS[i] for i in order]) == order


def test_align_leaves_foreign_rows_unassigned():
    """Rows that are not form lines (titles, signatures) get no line."""
    labels = ["BIỂU TỔNG HỢP", *LABELS[:5], "Người lập biểu", "Hiệu trưởng"]
    result = align(MATCHER, labels)
    assert result[0] is None and result[-2:] == [None, None]
    assert result[1:6] == [0, 1, 2, 3, 4]


def test_align_uses_position_for_a_repeated_short_label():
    """A short label that fits two lines goes to the one its position implies."""
    labels = ["Kinh phí", "Ngân sách nhà nước", "Huy động từ các nguồn hợp pháp khác"]
    result = align(MATCHER, labels)
    assert [FORM.lines[j].code for j in result[1:]] == ["10.1", "10.2"]


@settings(max_examples=40, deadline=None)
@given(st.randoms(use_true_random=False), st.integers(0, 8), st.integers(0, 3))
def test_align_survives_deletions_and_swaps(rng: random.Random, deletions: int, swaps: int):
    """Random deletions and adjacent swaps of the form's rows never misplace a row."""
    order = list(range(len(LABELS)))
    for _ in range(deletions):
        order.pop(rng.randrange(len(order)))
    for _ in range(swaps):
        i = rng.randrange(len(order) - 1)
        order[i], order[i + 1] = order[i + 1], order[i]
    assert align(MATCHER, [LABELS[i] for i in order]) == order
