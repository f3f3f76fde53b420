"""Tests for mailbot.parsing.rules: consistency rules as Vietnamese warnings."""

from __future__ import annotations

from mailbot.forms import load_form
from mailbot.parsing.model import Finding
from mailbot.parsing.rules import check_rules

FORM = load_form()


def values(**slots: int | None) -> dict:
    """Empty values with some "code.slot" refs set (dots written as underscores)."""
    out = FORM.empty_values()
    for ref, value in slots.items():
        code, slot = ref.rsplit("_", 1)
        out[code.replace("_", ".")][slot] = value
    return out


def test_breach_gives_plain_vietnamese_finding():
    """A total different from its parts is reported with both numbers, on the target code."""
    found = check_rules(FORM, values(**{"1_count": 12, "1_1_count": 4, "1_9_count": 6}))
    assert found == [Finding("1", "Tổng số lớp (12) khác tổng các dòng chi tiết (10)")]


def test_matching_total_gives_nothing():
    """A total equal to the sum of the reported parts is fine."""
    assert check_rules(FORM, values(**{"6_count": 5, "6_1_count": 2, "6_3_count": 3})) == []


def test_rule_needs_target_and_a_part():
    """No finding when the target or every part is unreported."""
    assert check_rules(FORM, values(**{"5_1_count": 3})) == []
    assert check_rules(FORM, values(**{"5_count": 3})) == []


def test_zero_parts_count_as_reported():
    """Zeros are reported values: a total of 4 over parts of 0 is a breach."""
    found = check_rules(FORM, values(**{"6_count": 4, "6_1_count": 0}))
    assert [f.code for f in found] == ["6"]
