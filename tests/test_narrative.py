"""Appendix 1 narratives: paragraphs → the plan's sections, from .docx, .doc and mail bodies."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailbot.parsing import parse_bytes
from mailbot.parsing.convert import soffice_path
from mailbot.parsing.narrative import cross_check, narrative_note, split_narrative
from tests.redteam2 import soffice
from tests.support.narratives import STYLES, body_text, contents, narrative_docx, paragraphs
from tests.support.pipeline_env import file_bytes, report_file

UNIT = "UBND xã Mường Giàng"
CODES = ["I.1", "I.2", "I.3", "I.4", "II.1", "II.2", "II.3"]


def sections_of(narrative: dict | None) -> dict[str, str]:
    assert narrative is not None
    return {s["code"]: s["text"] for s in narrative["sections"]}


def expected(unit: str = UNIT) -> dict[str, str]:
    return {code: "\n".join(paras) for code, paras in contents(unit).items()}


@pytest.mark.parametrize("style", ["plan", "reworded", "bold"])
def test_each_heading_style_gives_every_section_its_own_text(style):
    """Plan wording, reworded "a)"/"1-" headings and unnumbered bold lines all split alike."""
    narrative = split_narrative([t for t, _ in paragraphs(UNIT, style)])
    assert narrative is not None
    assert sections_of(narrative.to_dict()) == expected()


def test_letterhead_title_and_signature_are_not_content():
    """Nothing before the first heading nor from "Nơi nhận" on lands in a section."""
    narrative = split_narrative([t for t, _ in paragraphs(UNIT)])
    assert narrative is not None
    text = "\n".join(s.text for s in narrative.sections)
    for line in ("CỘNG HÒA", "BÁO CÁO", "Nơi nhận", "CHỦ TỊCH", "Lò Văn A"):
        assert line not in text


def test_missing_sections_are_absent_not_empty():
    """A narrative without I.2 and II.3 gives the other five sections only."""
    paras = [t for t, _ in paragraphs(UNIT)]
    drop = {"2. Lễ phát động Tuần lễ cấp huyện/xã.", "3. Kiến nghị, đề xuất"}
    kept, skipping = [], False
    for t in paras:
        if t in drop:
            skipping = True
            continue
        if skipping and t in contents(UNIT)["I.2"] + contents(UNIT)["II.3"]:
            continue
        skipping = False
        kept.append(t)
    narrative = split_narrative(kept)
    assert narrative is not None
    assert narrative.codes() == ["I.1", "I.3", "I.4", "II.1", "II.2"]


def test_content_that_starts_like_a_heading_stays_content():
    """ "Tổ chức lễ phát động ngày …" under I.2 is I.2's text, not a new heading."""
    narrative = split_narrative([t for t, _ in paragraphs(UNIT)])
    assert narrative is not None
    assert "lễ phát động ngày 01/10/2021" in sections_of(narrative.to_dict())["I.2"]


# Lines clerks write inside a section that start like, or resemble, another heading.
LOOKALIKES = {
    "I.3": [
        "1. Tổ chức 5 lớp tập huấn tin học cho 120 người.",
        "2. Kết quả: tổ chức 5 lớp, 3 buổi văn nghệ.",
        "a) Hoạt động văn nghệ, thể dục thể thao: 3 buổi.",
        "Các hoạt động trong Tuần lễ đã triển khai tốt.",
        "- Kinh phí: đã báo cáo ở mục 4.",
    ],
    "II.2": ["Kinh phí hỗ trợ từ xã hội hóa còn ít.", "3. Kết quả chưa cao ở thôn xa."],
}


def test_items_and_sentences_that_resemble_headings_stay_content():
    """Numbered items, "Kết quả: …" and sentences using heading words stay in their section."""
    body = contents(UNIT)
    for code, lines in LOOKALIKES.items():
        body[code] = body[code] + lines
    narrative = split_narrative([t for t, _ in paragraphs(UNIT, body=body)])
    assert narrative is not None
    assert sections_of(narrative.to_dict()) == {c: "\n".join(p) for c, p in body.items()}


def test_heading_with_text_after_a_colon_keeps_the_text():
    """ "3. Kiến nghị: Đề nghị …" starts II.3 with the words after the colon."""
    paras = ["1. Công tác chỉ đạo: Ban hành kế hoạch.", "3. Kiến nghị: Đề nghị thêm kinh phí."]
    narrative = split_narrative(paras)
    assert narrative is not None
    assert sections_of(narrative.to_dict()) == {
        "I.1": "Ban hành kế hoạch.",
        "II.3": "Đề nghị thêm kinh phí.",
    }


def test_text_with_one_heading_is_not_a_narrative():
    """A covering letter mentioning "Kiến nghị" once is not taken for Appendix 1."""
    assert split_narrative(["Kính gửi Phòng GD&ĐT", "Kiến nghị", "Không có."]) is None


def test_the_plans_own_outline_is_not_a_narrative():
    """Appendix 1 as the plan prints it (headings, no text) is no unit's report."""
    written = {p for paras in contents(UNIT).values() for p in paras}
    outline = [t for t, _ in paragraphs(UNIT) if t not in written]
    assert split_narrative(outline) is None


def test_nfd_text_reads_like_nfc():
    """Decomposed Unicode headings and text give the same NFC sections."""
    paras = [unicodedata.normalize("NFD", t) for t, _ in paragraphs(UNIT, "reworded")]
    narrative = split_narrative(paras)
    assert narrative is not None
    assert sections_of(narrative.to_dict()) == expected()


def test_budget_amounts_read_as_money():
    """I.4 lines give the state and other sums in đồng, written as digits or in words."""
    body = contents(UNIT)
    body["I.4"] = ["Ngân sách nhà nước: 15 triệu đồng; nguồn xã hội hóa: 2,5 triệu đồng"]
    narrative = split_narrative([t for t, _ in paragraphs(UNIT, body=body)])
    assert narrative is not None
    assert (narrative.state_amount, narrative.other_amount) == (15_000_000, 2_500_000)


def test_plan_subheading_wording_counts_as_other_sources():
    """The plan's "Ngân sách hỗ trợ, vận động từ doanh nghiệp…" line is the other sources."""
    body = contents(UNIT)
    body["I.4"] = [
        "- Ngân sách nhà nước: 3.000.000 đồng",
        "- Ngân sách hỗ trợ, vận động từ doanh nghiệp và các nguồn hợp pháp khác: 1.200.000 đ",
    ]
    narrative = split_narrative([t for t, _ in paragraphs(UNIT, body=body)])
    assert narrative is not None
    assert (narrative.state_amount, narrative.other_amount) == (3_000_000, 1_200_000)


def test_budget_differing_from_rows_10_is_a_warning():
    """I.4 says 15.000.000 đồng of state money, row 10.1 says 12.000.000: one warning."""
    narrative = {"amounts": {"state": 15_000_000, "other": 2_500_000}}
    values = {"10.1": {"amount": 12_000_000}, "10.2": {"amount": 2_500_000}}
    assert cross_check(narrative, values) == [
        "Kinh phí ngân sách nhà nước trong báo cáo (Phụ lục 1) là 15.000.000 đồng, "
        "khác Phụ lục 2 dòng 10.1 (12.000.000 đồng)."
    ]


def test_docx_narrative_is_read_with_no_table():
    """A Word narrative alone: no table (ok false) but every section in `narrative`."""
    result = parse_bytes(narrative_docx(paragraphs(UNIT, "bold")), "bao-cao.docx")
    assert not result.ok
    assert sections_of(result.narrative) == expected()
    assert result.narrative["amounts"] == {"state": 15_000_000, "other": 2_500_000}


def test_narrative_and_table_in_one_docx_give_both():
    """Narrative paragraphs in front of the Appendix 2 table: the values and the sections."""
    variant = report_file("narrative-with-table", "docx", unit_index=0)
    data = narrative_docx(paragraphs(UNIT), table_docx=file_bytes(variant))
    result = parse_bytes(data, "bao-cao-day-du.docx")
    assert result.ok and result.values == variant.values
    assert sections_of(result.narrative) == expected()


def test_table_only_docx_has_no_narrative_key():
    """A file with the table alone keeps the parse JSON shape: no "narrative" key."""
    variant = report_file("table-only", "docx", unit_index=0)
    assert "narrative" not in parse_bytes(file_bytes(variant), "pl2.docx").to_dict()


@pytest.mark.slow
@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice is not installed")
def test_doc_narrative_is_read_through_libreoffice():
    """A Word 97-2003 .doc narrative is converted and split like a .docx."""
    doc = soffice.result(narrative_docx(paragraphs(UNIT, "reworded")), "docx", "doc")
    assert doc[:4] == bytes.fromhex("d0cf11e0")  # an OLE2 file, as Word 97 writes
    result = parse_bytes(doc, "bao-cao.doc")
    assert sections_of(result.narrative) == expected()


def test_mail_body_narrative_splits_like_a_file():
    """A narrative typed in the mail body gives the same sections; the closing is dropped."""
    narrative = split_narrative(body_text(UNIT).split("\n"))
    assert narrative is not None
    assert sections_of(narrative.to_dict()) == expected()


def test_receipt_note_names_sections_read_and_those_missing():
    """A narrative with I.1 and II.2 written gets a note naming the five it lacks."""
    narrative = split_narrative(["1. Công tác chỉ đạo", "Có.", "2. Khó khăn, tồn tại", "Mưa."])
    assert narrative is not None
    assert narrative_note(narrative.to_dict()) == (
        "Phụ lục 1 (báo cáo): đã đọc các mục I.1, II.2; "
        "chưa thấy nội dung mục I.2, I.3, I.4, II.1, II.3."
    )


@settings(max_examples=150, deadline=None)
@given(
    picks=st.lists(
        st.tuples(st.sampled_from(CODES), st.sampled_from(["plan", "reworded", "bold"])),
        min_size=2,
        max_size=7,
        unique_by=lambda pick: pick[0],
    ),
    decomposed=st.booleans(),
)
def test_any_subset_order_and_heading_mix_splits_exactly(picks, decomposed):
    """Sections in any order, each headed in any style, NFC or NFD: each gets its own text."""
    body = contents(UNIT)
    paras = ["UBND XÃ MƯỜNG GIÀNG", "BÁO CÁO"]
    for code, style in picks:
        paras += [STYLES[style][code], *body[code]]
    paras += ["Nơi nhận:", "- Lưu VT."]
    if decomposed:
        paras = [unicodedata.normalize("NFD", p) for p in paras]
    narrative = split_narrative(paras)
    assert narrative is not None
    want = {code: "\n".join(body[code]) for code, _ in picks}
    assert sections_of(narrative.to_dict()) == want


def test_html_only_mail_body_splits_like_plain_text():
    """A body typed in Gmail's rich editor (divs, bold headings, no plain part) reads the same."""
    from mailbot.mail.bodies import html_to_text

    divs = "".join(f"<div>{f'<b>{t}</b>' if bold else t}</div>" for t, bold in paragraphs(UNIT))
    narrative = split_narrative(html_to_text(f'<div dir="ltr">{divs}</div>').splitlines())
    assert narrative is not None
    assert sections_of(narrative.to_dict()) == expected()
