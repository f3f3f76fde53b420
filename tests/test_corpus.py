"""The generated corpus of filled Appendix 2 reports, parsed end to end by `parse_bytes`.

Every variant in `tests.formgen.catalogue()` is built in memory from data, parsed, and its
values dict, unit name and consistency warnings compared with the exact expected answer.
Generator self-checks at the end keep the corpus itself honest.
"""

from __future__ import annotations

import io
import re
from functools import cache

import docx
import openpyxl
import pytest

from mailbot.forms import load_form
from mailbot.parsing import parse_bytes
from mailbot.parsing.model import ParseResult
from tests.formgen import build, catalogue, expected, make_variant
from tests.formgen.compare import format_diffs, same_unit, slot_diffs
from tests.formgen.model import DOCX_ONLY, QUIRKS, XLSX_ONLY
from tests.formgen.text import count_cell, money_cell, tcvn3

CATALOGUE = catalogue()
POSITIVES = [v for v in CATALOGUE if not v.negative]
NEGATIVES = [v for v in CATALOGUE if v.negative]
WARNED = [v for v in POSITIVES if expected(v).warning_codes]
UNWARNED = [v for v in POSITIVES if not expected(v).warning_codes]
VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]")


@cache
def _parsed(name: str) -> ParseResult:
    variant = next(v for v in CATALOGUE if v.name == name)
    return parse_bytes(build(variant), variant.filename)


def _rule_prefixes() -> list[str]:
    return [rule.message.split("(")[0].strip() for rule in load_form().rules]


@pytest.mark.parametrize("variant", POSITIVES, ids=lambda v: v.name)
def test_report_is_read(variant):
    """A filled report is accepted (ok) with no errors."""
    result = _parsed(variant.name)
    assert result.ok, f"{variant.filename} refused: {result.errors}"
    assert result.errors == []


@pytest.mark.parametrize("variant", POSITIVES, ids=lambda v: v.name)
def test_values_are_exact(variant):
    """Every code and slot of the report parses to exactly the value the clerk meant."""
    result = _parsed(variant.name)
    diffs = slot_diffs(expected(variant).values, result.values)
    assert not diffs, f"{variant.filename} ({sorted(variant.quirks)}):\n{format_diffs(diffs)}"


@pytest.mark.parametrize("variant", POSITIVES, ids=lambda v: v.name)
def test_unit_name_is_the_header_unit(variant):
    """The unit name is the reporting unit as the header writes it (case-insensitive)."""
    want, got = expected(variant).unit_name, _parsed(variant.name).unit_name
    assert same_unit(want, got), f"expected {want!r}, got {got!r}"


@pytest.mark.parametrize("variant", WARNED, ids=lambda v: v.name)
def test_broken_total_is_warned(variant):
    """A total that disagrees with its detail rows yields a warning on that code."""
    codes = {w.code for w in _parsed(variant.name).warnings}
    missing = [c for c in expected(variant).warning_codes if c not in codes]
    assert not missing, f"no warning for {missing}; got {_parsed(variant.name).warnings}"


@pytest.mark.parametrize("variant", UNWARNED, ids=lambda v: v.name)
def test_consistent_totals_are_not_warned(variant):
    """A report whose totals agree with their detail rows gets no consistency warning."""
    prefixes = _rule_prefixes()
    bogus = [w for w in _parsed(variant.name).warnings if w.message.startswith(tuple(prefixes))]
    assert not bogus, f"unexpected consistency warnings: {bogus}"


@pytest.mark.parametrize("variant", NEGATIVES, ids=lambda v: v.name)
def test_file_without_the_table_is_refused(variant):
    """A file holding no Appendix 2 table is refused with a reason in Vietnamese."""
    result = parse_bytes(build(variant), variant.filename)
    assert not result.ok
    assert result.errors and all(VIETNAMESE.search(e) for e in result.errors), result.errors


# --- the generator itself -------------------------------------------------------------------


def test_catalogue_covers_every_quirk_in_enough_files():
    """The catalogue has ≥30 positive files over both kinds and uses every quirk at least once."""
    used = set().union(*(v.quirks for v in POSITIVES))
    assert set(QUIRKS) - used == set()
    assert len(POSITIVES) >= 30
    assert {v.kind for v in POSITIVES} == {"xlsx", "docx"}
    assert {v.negative for v in NEGATIVES} >= {"no_table", "class_list", "empty_workbook"}


def test_catalogue_respects_file_kinds():
    """No xlsx variant carries a docx-only quirk and vice versa; names are unique."""
    for v in POSITIVES:
        banned = DOCX_ONLY if v.kind == "xlsx" else XLSX_ONLY
        assert not (v.quirks & banned), v.name
    assert len({v.name for v in CATALOGUE}) == len(CATALOGUE)


def test_expected_values_have_every_code_and_slot():
    """The expected dict names every code of the form with exactly its slots."""
    form = load_form()
    want = {ind.code: set(ind.slots) for ind in form.indicators}
    for v in POSITIVES:
        got = {code: set(slots) for code, slots in expected(v).values.items()}
        assert got == want, v.name


def test_deleted_rows_expect_blanks():
    """Rows a clerk deleted are expected as None in every slot."""
    v = make_variant("t-deleted", "xlsx", ("deleted_rows",), deleted=["1.4", "8"])
    values = expected(v).values
    assert values["1.4"] == {"count": None, "people": None}
    assert values["8"] == {"count": None}


def test_cached_formula_values_are_stored():
    """An Excel-like file stores row 1's SUM result; a program-written one stores none."""
    for quirk, cached in (("formula_cached", True), ("formula_uncached", False)):
        v = make_variant(f"t-{quirk}", "xlsx", (quirk,), blank=0.0)
        data = build(v)
        ws = openpyxl.load_workbook(io.BytesIO(data), data_only=True).active
        formulas = openpyxl.load_workbook(io.BytesIO(data)).active
        refs = [c.coordinate for row in formulas.iter_rows() for c in row if c.data_type == "f"]
        assert len(refs) == 2, refs
        got = [ws[ref].value for ref in refs]
        want = [v.values["1"]["count"], v.values["1"]["people"]]
        assert got == (want if cached else [None, None])


def test_generated_docx_open_in_python_docx():
    """Every positive .docx opens and holds at least one table."""
    for v in POSITIVES:
        if v.kind == "docx":
            assert docx.Document(io.BytesIO(build(v))).element.body.xpath(".//w:tbl"), v.name


def test_tcvn3_encoding_matches_the_legacy_bytes():
    """TCVN3 text is the .VnTime byte string (known answers from glibc iconv)."""
    assert tcvn3("Các hoạt động") == "C¸c ho¹t ®éng"
    assert tcvn3("Hà Nội") == "Hµ Néi"
    assert tcvn3("ĐƯỜNG") == "§¦êNG"


@pytest.mark.parametrize(
    ("n", "style", "text"),
    [
        (2_500_000, "trieu", "2,5 triệu"),
        (15_000_000, "trieu", "15 triệu"),
        (15_000_000, "tr", "15tr"),
        (1_200_000_000, "ty", "1,2 tỷ"),
        (15_000_000, "dong", "15000000đ"),
        (15_000_000, "dots", "15.000.000"),
        (15_000_000, "commas", "15,000,000"),
    ],
)
def test_money_is_typed_as_clerks_write_it(n, style, text):
    """Money styles render the amount the way the form's value rules list them."""
    assert money_cell(n, style, native_ok=False).text == text


@pytest.mark.parametrize(
    ("n", "style", "text"),
    [
        (2, "padded", "02"),
        (12, "suffix", "12 lớp"),
        (1200, "dot_thousands", "1.200"),
        (1200, "comma_thousands", "1,200"),
        (0, "dash", "-"),
        (0, "khong", "không"),
    ],
)
def test_counts_are_typed_as_clerks_write_them(n, style, text):
    """Count styles render the number the way the form's value rules list them."""
    assert count_cell(n, style, "lớp", native_ok=False).text == text


def test_variants_build_identical_bytes():
    """Building a variant twice gives the same bytes (committed samples stay stable)."""
    for v in (POSITIVES[0], next(v for v in POSITIVES if v.kind == "docx")):
        assert build(v) == build(v), v.name


def test_random_variants_always_build():
    """Any random quirk combination builds a file (the benchmark never trips on the generator)."""
    from tests.formgen import random_variant

    for seed in range(2_000_000, 2_000_040):
        assert build(random_variant(seed))
