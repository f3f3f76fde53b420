"""Workbooks carrying more than the form: the form is read in bounded time and memory.

Each file is built at test time from a generated form plus what clerks put beside it (a
learner list of 200 000 rows, pasted photos); the guarded parse must read the form exactly
within 150 MB. The time limit here is looser than the 2 s target (benchmarks/parse_heavy.py
measures that) because CI shares its two cores.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailbot.forms import load_form
from mailbot.parsing.guard import parse_guarded
from mailbot.parsing.labels import LabelMatcher
from mailbot.parsing.xlsx_slim import head_of_sheet
from tests.formgen.catalogue import build, make_variant
from tests.formgen.compare import slot_diffs
from tests.support.heavy_files import (
    docx_with_pictures,
    learner_rows,
    photo_sheet,
    shared_string_count,
    with_extra_sheet,
    xls_with_list,
)

LEARNERS = 200_000
TIMEOUT_S = 6
MEMORY_MB = 150


@pytest.fixture(scope="module")
def variant():
    """A plain generated form whose values are known exactly."""
    return make_variant("heavy", "xlsx", (), seed=3)


@pytest.fixture(scope="module")
def form_xlsx(variant) -> bytes:
    return build(variant)


def _read_within_limits(data: bytes, variant) -> None:
    result = parse_guarded(data, "bao-cao.xlsx", timeout_s=TIMEOUT_S, memory_mb=MEMORY_MB)
    assert result.ok, result.errors
    assert slot_diffs(variant.values, result.values) == []


def test_form_beside_a_learner_list_of_inline_strings_is_read(form_xlsx, variant):
    """A 200 000-row list (≈55 MB of sheet XML) on a second sheet does not stop the form."""
    sheet, _ = learner_rows(LEARNERS)
    assert len(sheet) > 50_000_000
    _read_within_limits(with_extra_sheet(form_xlsx, "Danh sách học viên", sheet), variant)


def test_form_beside_a_learner_list_of_shared_strings_is_read(form_xlsx, variant):
    """The list's 200 000 shared strings are not loaded: only those of the rows kept."""
    sheet, strings = learner_rows(LEARNERS, first_string=shared_string_count(form_xlsx))
    data = with_extra_sheet(form_xlsx, "Danh sách học viên", sheet, strings=strings)
    _read_within_limits(data, variant)


def test_form_beside_a_sheet_of_photos_is_read(form_xlsx, variant):
    """Pasted photos (15 MB of pictures) on another sheet are never decoded."""
    sheet, pictures = photo_sheet(3_000_000, pictures=5)
    _read_within_limits(with_extra_sheet(form_xlsx, "Ảnh", sheet, pictures=pictures), variant)


def _sheet_xml(rows: int, merges: list[str], prefix: str = "") -> bytes:
    p = f"{prefix}:" if prefix else ""
    ns = f'xmlns{":" + prefix if prefix else ""}="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    body = "".join(
        f'<{p}row r="{r}"><{p}c r="A{r}"><{p}v>{r}</{p}v></{p}c></{p}row>'
        for r in range(1, rows + 1)
    )
    cells = "".join(f'<{p}mergeCell ref="{m}"/>' for m in merges)
    tail = f"<{p}mergeCells>{cells}</{p}mergeCells>" if merges else ""
    data = f"<{p}sheetData>{body}</{p}sheetData>{tail}"
    return f'<{p}worksheet {ns}><{p}dimension ref="A1:A{rows}"/>{data}</{p}worksheet>'.encode()


def _zip_with(member: str, xml: bytes) -> zipfile.ZipFile:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(member, xml)
    return zipfile.ZipFile(io.BytesIO(buf.getvalue()))


@pytest.mark.parametrize("prefix", ["", "x"])
def test_head_of_a_sheet_keeps_its_first_rows_and_their_merges(prefix):
    """The cut sheet is well-formed XML with rows 1..N and only the merges starting there."""
    from lxml import etree

    xml = _sheet_xml(5000, ["A2:B3", "A4000:B4001"], prefix)
    head = head_of_sheet(_zip_with("s.xml", xml), "s.xml", rows=10)
    root = etree.fromstring(head)
    rows = [int(r.get("r")) for r in root.iter("{*}row")]
    assert rows == list(range(1, 11))
    assert [m.get("ref") for m in root.iter("{*}mergeCell")] == ["A2:B3"]
    assert not list(root.iter("{*}dimension"))


def test_a_short_sheet_is_kept_whole():
    """A sheet with fewer rows than the cut comes back byte for byte."""
    xml = _sheet_xml(20, ["A1:B1"])
    assert head_of_sheet(_zip_with("s.xml", xml), "s.xml", rows=300) == xml


_MATCHER = LabelMatcher(load_form())
_WORDS = [*sorted(_MATCHER.vocabulary), "lo", "van", "anh", "thi", "ban", "na", "12", "lớp"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=8))
def test_label_scores_skip_only_lines_that_share_no_word(words):
    """Skipping lines with no shared (or one-typo) word changes no score."""
    text = " ".join(words)
    row = _MATCHER.key(text)
    naive = [max(_MATCHER._similarity(row, t) for t in texts) for texts in _MATCHER._texts]
    assert _MATCHER.scores(text) == naive


def test_word_report_with_big_photos_is_read(variant):
    """15 MB of photos embedded in the Word report are never decoded."""
    _, pictures = photo_sheet(3_000_000, pictures=5)
    data = docx_with_pictures(build(make_variant("heavy", "docx", (), seed=3)), pictures)
    result = parse_guarded(data, "bao-cao.docx", timeout_s=TIMEOUT_S, memory_mb=MEMORY_MB)
    assert result.ok, result.errors
    assert slot_diffs(variant.values, result.values) == []


def test_xls_with_a_long_list_sheet_is_read(form_xlsx, variant):
    """An .xls with a 30 000-row list sheet after the form: only the list's head is kept."""
    data = xls_with_list(form_xlsx, 30_000)
    result = parse_guarded(data, "bao-cao.xls", timeout_s=TIMEOUT_S, memory_mb=MEMORY_MB)
    assert result.ok, result.errors
    assert slot_diffs(variant.values, result.values) == []
