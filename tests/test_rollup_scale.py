"""The roll-up's fast paths: totals in one pass equal the slot-by-slot sums; big workbooks."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from contextlib import closing

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailbot.forms import Form
from mailbot.office.workbook import CELL_TEXT_CUT, fit_cell_text, write_rollup_workbook
from mailbot.office.xlsx_rows import EXCEL_CELL_MAX
from mailbot.rollup import Values, sum_values
from tests.support.outputs import FORM
from tests.support.rollup_builders import roster_rollup

SLOTS = [(ind.code, slot) for ind in FORM.indicators for slot in ind.slots]


def slot_by_slot(form: Form, named_values: list[tuple[str, Values]]) -> Values:
    """The reference: each code and slot summed over the units in turn (the old algorithm)."""
    totals = form.empty_values()
    for code, slot in [(ind.code, s) for ind in form.indicators for s in ind.slots]:
        got = [values.get(code, {}).get(slot) for _, values in named_values]
        if slot == "text":
            lines = [
                f"{name}: {text.strip()}"
                for (name, _), text in zip(named_values, got, strict=True)
                if isinstance(text, str) and text.strip()
            ]
            totals[code][slot] = "\n".join(lines) if lines else None
        else:
            numbers = [v for v in got if isinstance(v, int) and not isinstance(v, bool)]
            totals[code][slot] = sum(numbers) if numbers else None
    return totals


any_value = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 10**12), st.sampled_from(["", "  ", " Thi vẽ "])
)
unit_values = st.dictionaries(
    st.sampled_from([*SLOTS, ("99", "count"), ("1", "bogus")]), any_value, max_size=20
)


@settings(max_examples=80, deadline=None)
@given(st.lists(unit_values, max_size=6))
def test_one_pass_totals_equal_slot_by_slot_sums(units):
    """Whatever the units report (blanks, booleans, text, unknown codes), the totals agree."""
    named = []
    for i, flat in enumerate(units):
        values: Values = {}
        for (code, slot), value in flat.items():
            values.setdefault(code, {})[slot] = value
        named.append((f"Đơn vị {i}", values))
    assert sum_values(FORM, named) == slot_by_slot(FORM, named)


def test_activity_text_is_cut_to_fit_a_cell():
    """A text total longer than a cell keeps whole lines and ends saying where the rest is."""
    lines = [f"Trường số {i}: Hoạt động ngoại khóa" for i in range(3000)]
    got = fit_cell_text("\n".join(lines))
    kept = got.split("\n")
    assert len(got) <= EXCEL_CELL_MAX
    assert kept[:-1] == lines[: len(kept) - 1] and kept[-1] == CELL_TEXT_CUT


def test_short_activity_text_is_unchanged():
    """A district's text total is written as it is."""
    assert fit_cell_text("A: x\nB: y") == "A: x\nB: y"


@pytest.fixture(scope="module")
def big_book(tmp_path_factory):
    """The workbook of a 600-unit roll-up written to a file, and the roll-up."""
    rollup = roster_rollup(600)
    path = tmp_path_factory.mktemp("scale") / "tong-hop.xlsx"
    write_rollup_workbook(rollup, path)
    return path, rollup


def test_per_unit_sheet_has_every_unit_and_the_totals_row(big_book):
    """Theo đơn vị: one row per roster unit in order, then the totals of code 1."""
    path, rollup = big_book
    with closing(openpyxl.load_workbook(path, read_only=True)) as book:
        rows = [r[:5] for r in book["Theo đơn vị"].iter_rows(min_row=4, values_only=True)]
    status = {(True, True): "Nộp muộn", (True, False): "Đã nộp", (False, False): "Chưa nộp"}
    expected = [
        (n, r.unit.code, r.unit.name, status[(r.submitted, r.late)],
         r.submission.values["1"]["count"] if r.submission else None)
        for n, r in enumerate(rollup.units, start=1)
    ]  # fmt: skip
    total = (None, None, "Tổng cộng", f"{rollup.submitted_count}/600", rollup.totals["1"]["count"])
    assert rows == [*expected, total]


def test_status_sheet_lists_units_then_problems(big_book):
    """Tình hình nộp báo cáo: a row per unit, a gap, then the problems under their header."""
    path, rollup = big_book
    with closing(openpyxl.load_workbook(path, read_only=True)) as book:
        rows = list(book["Tình hình nộp báo cáo"].iter_rows(min_row=4, values_only=True))
    after = rows[len(rollup.units) :]
    assert all(v is None for v in after[0]) and after[1][0] == "Thư cần văn phòng xem lại"
    assert [r[0] for r in after[3:]] == list(range(1, len(rollup.unreadable) + 1))


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_reads_the_streamed_sheets(big_book, tmp_path):
    """LibreOffice opens the streamed per-unit sheet and shows its numbers and names."""
    path, rollup = big_book
    profile = (tmp_path / "lo-profile").as_uri()
    # CSV filter options as in test_export, plus the 12th token: export sheet 2 only.
    fmt = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,2"
    cmd = ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", fmt]
    subprocess.run(
        [*cmd, "--outdir", str(tmp_path), str(path)], check=True, timeout=180, capture_output=True
    )
    (out,) = tmp_path.glob("*.csv")
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    first = rollup.units[0]
    assert rows[3][:4] == ["1", first.unit.code, first.unit.name, "Nộp muộn"]
    assert rows[3 + 600][2:4] == ["Tổng cộng", f"{rollup.submitted_count}/600"]


def test_workbook_text_totals_fit_excel_cells(tmp_path):
    """With 2,000 units' activities, both text totals fit a cell and say where the rest is."""
    rollup = roster_rollup(2000)
    path = tmp_path / "tong-hop.xlsx"
    write_rollup_workbook(rollup, path)
    with closing(openpyxl.load_workbook(path, read_only=True)) as book:
        summary_texts = [
            v for row in book["Tổng hợp"].iter_rows(values_only=True) for v in row
            if isinstance(v, str) and v.startswith("Trường số 0: ")
        ]  # fmt: skip
        # One row, read to the end: a half-read row generator keeps its zip member open.
        [per_unit] = book["Theo đơn vị"].iter_rows(min_row=2004, max_row=2004, values_only=True)
    texts = [*summary_texts, *(v for v in per_unit if isinstance(v, str) and "\n" in v)]
    assert len(texts) == 2
    assert all(len(t) <= EXCEL_CELL_MAX and t.endswith("\n" + CELL_TEXT_CUT) for t in texts)
