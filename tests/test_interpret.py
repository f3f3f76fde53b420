"""Tests for mailbot.parsing.interpret: Document → ParseResult, end to end on built documents."""

from __future__ import annotations

import random
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailbot.forms import load_form
from mailbot.parsing.interpret import BLANK_FORM, NO_TABLE, interpret
from mailbot.parsing.model import Cell, Document, Finding, Grid
from tests.support.appendix2_builder import PLAN_ROWS, nfd, plan_document, plan_rows, sample_values
from tests.test_text import to_tcvn3, to_vni

FORM = load_form()
VALUES = sample_values(11)


def parse(doc: Document):
    return interpret(doc, FORM, doc.name)


def row_index(code: str, slots: tuple[str, ...] | None = None) -> int:
    return next(
        i for i, r in enumerate(PLAN_ROWS) if r.code == code and (slots is None or r.slots == slots)
    )


def test_plain_sheet_reads_every_value_exactly():
    """The plan's table with typed numbers reads back exactly, with the unit name."""
    result = parse(plan_document(VALUES))
    assert result.ok and result.errors == []
    assert result.values == VALUES
    assert result.unit_name == "TRƯỜNG THCS MƯỜNG GIÀNG"
    assert result.form == FORM.id and result.file == "bao-cao.xlsx"


def test_the_form_with_every_slot_blank_is_refused_as_not_filled():
    """The form's table found but no figure in it: ok=False with the reason, never booked."""
    result = parse(plan_document(FORM.empty_values()))
    assert (result.ok, result.errors) == (False, [BLANK_FORM])
    assert result.values == FORM.empty_values()


def test_a_single_zero_makes_the_form_filled():
    """One slot written 0 ("no activity") is a report, not a blank form."""
    values = FORM.empty_values()
    values["1.1"]["count"] = 0
    result = parse(plan_document(values))
    assert (result.ok, result.values) == (True, values)


def test_every_code_and_slot_present_when_rows_deleted():
    """Deleted rows still appear in values, with None in each slot, and a warning."""
    rows = plan_rows(VALUES)
    gone = {row_index("1.4"), row_index("8"), row_index("10.2")}
    doc = plan_document(VALUES, rows=[r for i, r in enumerate(rows) if i not in gone])
    result = parse(doc)
    assert result.values["1.4"] == {"count": None, "people": None}
    assert result.values["10.2"] == {"amount": None}
    assert set(result.values) == {ind.code for ind in FORM.indicators}
    assert result.values["1.5"] == VALUES["1.5"]
    assert any("1.4" in w.message and w.code is None for w in result.warnings)


def test_reordered_rows_keep_their_values():
    """Rows moved out of order still give each code its own values."""
    rows = plan_rows(VALUES)
    for a, b in (("1.2", "1.3"), ("9.1", "9.2"), ("5.3", "5.4")):
        i, j = row_index(a), row_index(b)
        rows[i], rows[j] = rows[j], rows[i]
    assert parse(plan_document(VALUES, rows=rows)).values == VALUES


@pytest.mark.parametrize(
    "options",
    [
        {"kind": "docx"},
        {"kind": "docx", "split": True},
        {"kind": "docx", "split": True, "repeat_header": True},
        {"top": 7, "left": 4},
        {"text_map": nfd},
        {"kind": "docx", "text_map": nfd, "split": True},
    ],
    ids=["docx", "split", "split-repeated-header", "offset", "nfd", "docx-nfd-split"],
)
def test_layout_variants_read_exactly(options):
    """Word tables, page-break splits, offsets and NFD text all read the same values."""
    result = parse(plan_document(VALUES, **options))
    assert result.values == VALUES
    assert result.unit_name == "TRƯỜNG THCS MƯỜNG GIÀNG"


def test_text_slot_is_nfc():
    """The free-text slot comes back composed even from NFD input."""
    result = parse(plan_document(VALUES, text_map=nfd))
    assert result.values["11"]["text"] == "Tổ chức thi kể chuyện theo sách"


@pytest.mark.parametrize(("encode", "name"), [(to_tcvn3, "tcvn3"), (to_vni, "vni")])
def test_legacy_font_document_reads_exactly(encode, name):
    """A whole document typed in a TCVN3 or VNI font reads like its Unicode twin."""
    result = parse(plan_document(VALUES, text_map=encode))
    assert result.values == VALUES, name
    assert result.unit_name == "TRƯỜNG THCS MƯỜNG GIÀNG"


ABBREVIATED = {
    "cán bộ, công chức, viên chức": "CBCCVC",
    "Bồi dưỡng thường xuyên cho giáo viên": "BDTX cho GV",
    "tiểu học, THCS": "TH, THCS",
    "Hoạt động thể dục thể thao": "Hoạt động TDTT",
    "Học nghề cho lao động nông thôn": "Hoc nghê cho lao đông nông thôn",
    "Giáo dục kỹ năng sống": "Giáo dục kĩ năng sống",
    "Số sách đã huy động": "Số sách huy động",
}


def abbreviate(text: str) -> str:
    for long, short in ABBREVIATED.items():
        text = text.replace(long, short)
    return text


def test_abbreviations_and_typos_read_exactly():
    """Abbreviated, misspelt and unaccented labels still place every value."""
    assert parse(plan_document(VALUES, text_map=abbreviate)).values == VALUES


STYLES = {
    "count": [
        lambda v: Cell(str(v)),
        lambda v: Cell(f"{v:02d}"),
        lambda v: Cell(f"{v} lớp"),
        lambda v: Cell(f"{v:,}".replace(",", ".")),
        lambda v: Cell(f"{v}", float(v)),
    ],
    "people": [
        lambda v: Cell(f"{v} người"),
        lambda v: Cell(f"{v:,}"),
        lambda v: Cell(f"{v:,}".replace(",", " ")),
        lambda v: Cell(str(v), v),
    ],
    "amount": [
        lambda v: Cell(f"{v:,}".replace(",", ".")),
        lambda v: Cell(f"{v}đ"),
        lambda v: Cell(f"{v:,} đồng"),
        lambda v: Cell(f"{v // 1_000_000} triệu") if v % 1_000_000 == 0 else Cell(str(v)),
        lambda v: (
            Cell(f"{v / 1_000_000:g}".replace(".", ",") + " triệu")
            if v % 100_000 == 0
            else Cell(str(v))
        ),
        lambda v: (
            Cell(f"{v / 1e9:g}".replace(".", ",") + " tỷ") if v % 10**8 == 0 else Cell(str(v))
        ),
    ],
}


def styled(rng: random.Random):
    def render(value, slot):
        if value is None:
            return Cell()
        if slot == "text":
            return Cell(value)
        if value == 0 and rng.random() < 0.4:
            return Cell(rng.choice(["-", "không", "0 lớp", "–"]))
        return rng.choice(STYLES[slot])(value)

    return render


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**6), st.sampled_from(["xlsx", "docx"]))
def test_numbers_in_any_written_style_read_exactly(seed, kind):
    """Random values, each written in a random Vietnamese style, read back exactly."""
    values = sample_values(seed)
    doc = plan_document(values, styled(random.Random(seed)), kind=kind)
    assert parse(doc).values == values


def test_row_one_numbers_both_typed_on_first_line():
    """Code 1's people typed beside its count on the first line is still read."""
    rows = plan_rows(VALUES)
    rows[0][4] = Cell("340", 340)
    rows[1][3] = rows[1][4] = Cell()
    result = parse(plan_document(VALUES, rows=rows))
    assert result.values["1"] == {"count": VALUES["1"]["count"], "people": 340}


def test_row_one_pair_in_one_cell():
    """ "12/340" on code 1's first line gives count and people."""
    rows = plan_rows(VALUES)
    rows[0][3] = Cell("12/340")
    rows[1][3] = rows[1][4] = Cell()
    assert parse(plan_document(VALUES, rows=rows)).values["1"] == {"count": 12, "people": 340}


def test_pair_in_count_cell_of_two_slot_row():
    """ "2/45" in the count column of a lớp/người row is 2 classes and 45 people."""
    rows = plan_rows(VALUES)
    i = row_index("1.7")
    rows[i][3], rows[i][4] = Cell("2/45"), Cell()
    assert parse(plan_document(VALUES, rows=rows)).values["1.7"] == {"count": 2, "people": 45}


def test_single_measure_typed_under_people_column():
    """A one-number row typed under "Người" still gives its number."""
    rows = plan_rows(VALUES)
    i = row_index("4.2")
    rows[i][3], rows[i][4] = Cell(), Cell("350", 350)
    assert parse(plan_document(VALUES, rows=rows)).values["4.2"] == {"count": 350}


def test_other_content_text_in_note_column():
    """Code 11's text typed under Ghi chú is read as its text."""
    rows = plan_rows(VALUES, text_in_note=True)
    result = parse(plan_document(VALUES, rows=rows))
    assert result.values["11"] == {"text": "Tổ chức thi kể chuyện theo sách"}


def test_number_in_note_used_when_values_blank():
    """A bare number in Ghi chú with blank value cells is used, with a warning."""
    rows = plan_rows(VALUES)
    i = row_index("2")
    rows[i][3], rows[i][5] = Cell(), Cell("7")
    result = parse(plan_document(VALUES, rows=rows))
    assert result.values["2"] == {"count": 7}
    assert any(w.code == "2" and "Ghi chú" in w.message for w in result.warnings)


def test_remarks_in_note_are_not_numbers():
    """A remark with digits in Ghi chú is not read as a value."""
    rows = plan_rows(VALUES)
    i = row_index("3")
    rows[i][3], rows[i][5] = Cell(), Cell("Số liệu đến ngày 07/10/2021")
    assert parse(plan_document(VALUES, rows=rows)).values["3"] == {"count": None}


def test_none_words_read_as_zero_and_other_words_warn():
    """ "Không tổ chức" is 0; "Có" is not a number and is reported in a warning."""
    rows = plan_rows(VALUES)
    rows[row_index("5.1")][3] = Cell("Không tổ chức")
    rows[row_index("5.2")][3] = Cell("Có")
    result = parse(plan_document(VALUES, rows=rows))
    assert result.values["5.1"] == {"count": 0}
    assert result.values["5.2"] == {"count": None}
    assert any(w.code == "5.2" and "Có" in w.message for w in result.warnings)


def test_money_in_millions_by_unit_column():
    """An amount of 15 in a row whose unit says "triệu đồng" is 15 000 000 đồng."""
    rows = plan_rows(VALUES)
    i = row_index("10.1")
    rows[i][2], rows[i][3] = Cell("triệu đồng"), Cell("15", 15)
    assert parse(plan_document(VALUES, rows=rows)).values["10.1"] == {"amount": 15_000_000}


def test_rules_breach_is_a_warning_not_an_error():
    """A total that disagrees with its rows is warned about on its code; ok stays true."""
    values = sample_values(5, blank=0.0)
    values["6"]["count"] = sum(values[c]["count"] for c in ("6.1", "6.2", "6.3")) + 1
    result = parse(plan_document(values))
    assert result.ok
    assert any(w.code == "6" and "khác tổng" in w.message for w in result.warnings)


def test_reader_notes_are_carried_into_warnings():
    """The reader's notes come first among the warnings."""
    doc = plan_document(VALUES)
    doc.notes.append(Finding(None, "Ô D12 có công thức không tính được."))
    assert parse(doc).warnings[0] == Finding(None, "Ô D12 có công thức không tính được.")


@pytest.mark.parametrize(
    "doc",
    [
        Document("trong.xlsx", "xlsx"),
        Document("baocao.docx", "docx", [], ["BÁO CÁO", "Kết quả tổ chức Tuần lễ ..."]),
        Document(
            "ds.xlsx",
            "xlsx",
            [Grid("DS", [[Cell("STT"), Cell("Họ và tên")], [Cell("1"), Cell("Lò Văn Khánh")]])],
        ),
    ],
    ids=["empty", "narrative-only", "foreign-table"],
)
def test_no_table_gives_reason_not_exception(doc):
    """Without the form's table the result is ok=False with the clerk-facing reason."""
    result = parse(doc)
    assert not result.ok
    assert result.errors == [NO_TABLE]
    assert set(result.values) == {ind.code for ind in FORM.indicators}


def test_narrative_report_with_table_at_the_end():
    """A report whose paragraphs come first and whose table is at the end reads right."""
    doc = plan_document(VALUES, kind="docx")
    doc.text[2:2] = ["BÁO CÁO", "Kết quả tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2021"] * 5
    assert parse(doc).values == VALUES


def test_hundred_row_document_is_fast():
    """Interpreting a document of about 100 rows takes a few milliseconds once warm."""
    rows = plan_rows(VALUES)
    doc = plan_document(VALUES, rows=rows + [[Cell()] * 6] * 10 + rows[:48])
    parse(doc)
    start = time.perf_counter()
    for _ in range(20):
        parse(doc)
    assert (time.perf_counter() - start) / 20 < 0.05


POOL = [
    "",
    "STT",
    "Các hoạt động",
    "Số lượng",
    "Người",
    "Ghi chú",
    "Đơn vị",
    "-",
    "không",
    "2/45",
    "15 triệu",
    "1.200",
    "x",
    "=SUM(D5:D9)",
    "Tr\u00adêng",
    "Tröôøng",
    "UBND XÃ NẬM ÉT",
    *(row.label for row in PLAN_ROWS[::3]),
]
cells = st.builds(
    Cell,
    st.sampled_from(POOL) | st.text(max_size=12),
    st.none() | st.integers(-5, 10**9) | st.floats(allow_nan=True, allow_infinity=True),
)
grids = st.lists(st.lists(cells, max_size=7), max_size=25).map(lambda rows: Grid("G", rows))


@settings(max_examples=60, deadline=None)
@given(st.lists(grids, max_size=3), st.lists(st.sampled_from(POOL), max_size=5))
def test_garbage_never_raises(grid_list, text):
    """Whatever the cells hold, interpret returns a result with every code, never raises."""
    result = parse(Document("rac.xlsx", "xlsx", grid_list, text))
    assert set(result.values) == {ind.code for ind in FORM.indicators}
    assert result.ok or result.errors == [NO_TABLE]
