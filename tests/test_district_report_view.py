"""The district report's view model (pure): unit order, lead sentences, budget, missing units."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from mailbot.forms import load_form
from mailbot.forms.narrative import load_narrative_form
from mailbot.office.district_report import NOT_COUNTED, lead, ordered_units, report_context
from mailbot.parsing.narrative import split_narrative
from mailbot.records import Submission, Unit, UnitNarrative
from mailbot.rollup import Campaign, build_rollup
from tests.support.narratives import contents, paragraphs

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2021, 10, 16, 9, 0, tzinfo=TZ)
FORM = load_form()
NFORM = load_narrative_form()
CAMPAIGN = Campaign(
    name="Tuần lễ hưởng ứng học tập suốt đời năm 2021",
    deadline=datetime(2021, 10, 15, 23, 59, tzinfo=TZ),
    timezone="Asia/Ho_Chi_Minh",
    district="Quỳnh Nhai",
    office_name="Phòng Giáo dục và Đào tạo huyện Quỳnh Nhai",
)
# Roster order mixes schools and communes on purpose.
UNITS = (
    Unit("thcs", "Trường THCS Mường Giàng"),
    Unit("mn", "Trường Mầm non Chiềng Bằng"),
    Unit("xa-cb", "UBND xã Chiềng Bằng"),
    Unit("th", "Trường Tiểu học Nậm Ét"),
    Unit("xa-mg", "UBND xã Mường Giàng"),
    Unit("gdtx", "Trung tâm GDNN-GDTX huyện Quỳnh Nhai"),
)


def submission(i: int, code: str, values: dict) -> Submission:
    return Submission(i, code, i, NOW, False, values)


def values(**slots: dict) -> dict:
    out = FORM.empty_values()
    for code, got in slots.items():
        out[code.replace("_", ".")].update(got)
    return out


def story(i: int, code: str, unit: str) -> UnitNarrative:
    narrative = split_narrative([t for t, _ in paragraphs(unit)])
    assert narrative is not None
    return UnitNarrative(i, code, i, NOW, "bc.docx", narrative.to_dict())


def context(subs: list[Submission], stories: list[UnitNarrative]) -> dict:
    rollup = build_rollup(FORM, CAMPAIGN, UNITS, subs, [], NOW)
    return report_context(rollup, {s.unit_code: s for s in stories}, NFORM, NOW)


def test_communes_come_first_then_schools_by_level():
    """Communes in roster order, then Mầm non, Tiểu học, THCS, and the centre last."""
    assert [u.code for u in ordered_units(UNITS, NFORM)] == [
        "xa-cb", "xa-mg", "mn", "th", "thcs", "gdtx",
    ]  # fmt: skip


def test_lead_fills_figures_and_keeps_unknown_fields():
    """{1.people} becomes the figure as written; a field nobody knows stays visible."""
    assert lead("{1.people} lượt, {x.y}", {"1.people": "11.504"}) == "11.504 lượt, {x.y}"


def test_lead_sentence_sums_every_unit_in_vietnamese_format():
    """Two units' 11.000 and 504 people make "11.504 lượt người"."""
    subs = [
        submission(1, "xa-mg", values(**{"1": {"count": 300, "people": 11_000}})),
        submission(2, "thcs", values(**{"1": {"count": 45, "people": 504}})),
    ]
    text = context(subs, [])["muc"]["I.3"]["dan"]
    assert text.startswith("Toàn huyện tổ chức 345 lớp bồi dưỡng, tập huấn với 11.504 lượt")


def test_budget_rows_and_district_total_by_source():
    """Rows 10.1/10.2 per unit, in report order, and the district sums, as 15.000.000."""
    subs = [
        submission(1, "thcs", values(**{"10_1": {"amount": 3_000_000}})),
        submission(2, "xa-mg", values(**{"10_1": {"amount": 12_000_000}, "10_2": {"amount": 0}})),
    ]
    budget = context(subs, [])["kinh_phi"]
    assert budget["don_vi"] == [
        {"ten": "UBND xã Mường Giàng", "nsnn": "12.000.000", "khac": "0", "cong": "12.000.000"},
        {"ten": "Trường THCS Mường Giàng", "nsnn": "3.000.000", "khac": "0", "cong": "3.000.000"},
    ]
    assert (budget["nsnn"], budget["khac"], budget["cong"]) == ("15.000.000", "0", "15.000.000")


def test_budget_mismatch_is_named_with_the_unit():
    """A unit whose I.4 says 15.000.000 but row 10.1 says 12.000.000 gets one note."""
    subs = [submission(1, "xa-mg", values(**{"10_1": {"amount": 12_000_000}}))]
    notes = context(subs, [story(1, "xa-mg", "UBND xã Mường Giàng")])["kinh_phi"]["canh_bao"]
    assert notes == [
        "UBND xã Mường Giàng: Kinh phí ngân sách nhà nước trong báo cáo (Phụ lục 1) là "
        "15.000.000 đồng, khác Phụ lục 2 dòng 10.1 (12.000.000 đồng)."
    ]


def test_each_section_lists_the_units_that_wrote_it_in_report_order():
    """II.2 holds the THCS's and the commune's text, the commune first, split in paragraphs."""
    stories = [
        story(1, "thcs", "Trường THCS Mường Giàng"),
        story(2, "xa-mg", "UBND xã Mường Giàng"),
    ]
    written = context([], stories)["muc"]["II.2"]["don_vi"]
    assert written == [
        {"ten": "UBND xã Mường Giàng", "doan": contents("UBND xã Mường Giàng")["II.2"]},
        {"ten": "Trường THCS Mường Giàng", "doan": contents("Trường THCS Mường Giàng")["II.2"]},
    ]


def test_missing_units_are_split_by_what_they_lack():
    """Nothing at all, only Appendix 2, only Appendix 1: three lists in report order."""
    subs = [submission(1, "xa-mg", values()), submission(2, "thcs", values())]
    stories = [story(3, "xa-mg", "UBND xã Mường Giàng"), story(4, "mn", "Trường Mầm non")]
    got = context(subs, stories)
    assert got["chua_bao_cao"] == [
        "UBND xã Chiềng Bằng", "Trường Tiểu học Nậm Ét", "Trung tâm GDNN-GDTX huyện Quỳnh Nhai",
    ]  # fmt: skip
    assert got["chua_phu_luc_1"] == ["Trường THCS Mường Giàng"]
    assert got["chua_phu_luc_2"] == ["Trường Mầm non Chiềng Bằng"]


def test_letterhead_names_the_office_without_repeating_the_district():
    """The office line drops "huyện Quỳnh Nhai": the line above names the district."""
    got = context([], [])
    assert (got["co_quan_chu_quan"], got["co_quan"]) == (
        "UBND HUYỆN QUỲNH NHAI",
        "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO",
    )
    assert got["dia_danh_ngay"] == "Quỳnh Nhai, ngày 16 tháng 10 năm 2021"


def test_a_template_broken_in_word_is_one_clear_error(tmp_path):
    """A tag left unclosed by an edit in Word gives a ReportError naming the fix."""
    import docx
    import pytest

    from mailbot.errors import ReportError
    from mailbot.office.report_docx import render_report

    document = docx.Document()
    document.add_paragraph("{{ co_quan ")
    broken = tmp_path / "mau.docx"
    document.save(broken)
    with pytest.raises(ReportError, match=r"mẫu báo cáo mau\.docx có thẻ lỗi .*sửa lại các thẻ"):
        render_report(context([], []), broken)


def test_the_shipped_template_renders_every_field():
    """The template in templates/ fills with a context built from nothing reported."""
    import io

    import docx

    from mailbot.office.report_docx import render_report

    text = "\n".join(
        p.text for p in docx.Document(io.BytesIO(render_report(context([], [])))).paragraphs
    )
    assert "{{" not in text and "{%" not in text
    assert "Tất cả các đơn vị đã gửi báo cáo." not in text  # six units have not


def test_a_units_budget_awaiting_confirmation_is_shown_but_not_summed():
    """A doubtful report's row says so; the district total holds only confirmed figures."""
    from dataclasses import replace

    doubtful = replace(
        submission(1, "thcs", values(**{"10_1": {"amount": 3_000_000}})), doubts=["Ô trống lạ"]
    )
    subs = [doubtful, submission(2, "xa-mg", values(**{"10_1": {"amount": 12_000_000}}))]
    budget = context(subs, [])["kinh_phi"]
    names = [row["ten"] for row in budget["don_vi"]]
    assert names == ["UBND xã Mường Giàng", "Trường THCS Mường Giàng" + NOT_COUNTED]
    assert budget["nsnn"] == "12.000.000"
