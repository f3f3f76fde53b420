"""Relevance: the campaign's mail goes on; everything else in an ordinary inbox is left alone.

Pure tests: `judge` on signals, the word matching and thanks reading it rests on, and
`decide` on whole mails built by tests/support/mailshapes with files parsed by the real
parser (in process), so every verdict comes from what a mail really shows.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mailbot.forms import load_form
from mailbot.ingest.decide import decide
from mailbot.ingest.decision import IntakeSettings
from mailbot.ingest.filetext import file_paragraphs, is_narrative
from mailbot.ingest.relevance import (
    AMBIGUOUS,
    CAMPAIGN,
    UNRELATED,
    Signals,
    is_thanks,
    judge,
    names_any,
    new_text,
)
from mailbot.parsing import parse_bytes
from mailbot.parsing.interpret import BLANK_FORM
from mailbot.records import Unit
from tests.redinbox import files
from tests.redinbox.mailbox import morning
from tests.redmail import forms
from tests.redmail.model import OFFICE, ROSTER
from tests.support.mailshapes import report_email

FORM = load_form()
WORDS = FORM.campaign
WHEN = datetime(2021, 10, 12, 3, 0, tzinfo=UTC)
UNIT = Unit("xa-muong-giang", "UBND xã Mường Giàng", ("ubnd.muonggiang@example.test",))
MG = UNIT.emails[0]
STRANGER = "ban.cu@example.com"
OUR_RECEIPT = "<receipt.0123456789abcdef@example.test>"
SETTINGS = IntakeSettings(
    form=FORM,
    units=(UNIT,),
    campaign_name="Tuần lễ hưởng ứng học tập suốt đời năm 2021",
    office_name="Phòng GD&ĐT Quỳnh Nhai",
    deadline=datetime(2021, 10, 15, 17, 0, tzinfo=UTC),
    from_addr="phonggd@example.test",
    from_name="Phòng GD&ĐT Quỳnh Nhai",
    own_addresses=("phonggd@example.test",),
)


def verdict_of(raw: bytes, as_report: bool = False) -> tuple[str, bool]:
    """(relevance, receipt composed?) for one raw mail, parsed in process."""
    d = decide(
        raw,
        WHEN,
        SETTINGS,
        lambda data, name: parse_bytes(data, name, FORM),
        ours=lambda ids: OUR_RECEIPT in ids,
        as_report=as_report,
    )
    return d.relevance, d.receipt is not None


def plain(sender: str, subject: str, body: str, *attachments, **kw) -> bytes:
    """A mail with a neutral body unless given, from `sender`."""
    return report_email(sender, subject=subject, body=body, attachments=attachments, **kw)


# --- judge on signals ------------------------------------------------------------------------


def test_the_forms_table_makes_campaign_mail_whatever_the_words() -> None:
    """A file holding the form's table is the campaign's, even with a bare subject."""
    assert judge(Signals("gửi phòng", "", table_found=True, has_files=True), WORDS).kind == CAMPAIGN


def test_an_appendix_1_naming_a_roster_unit_is_campaign_mail_from_any_address() -> None:
    """A clerk's personal address: the Appendix 1's letterhead names the unit; it is a report."""
    s = Signals("gửi phòng", "", has_files=True, narrative_read=True, narrative_named=True)
    assert judge(s, WORDS).kind == CAMPAIGN


def test_the_plans_outline_passed_on_by_a_stranger_is_not_answered() -> None:
    """Sections with guidance text and no unit named, from off the roster: no receipt."""
    s = Signals("Fwd: mẫu báo cáo", "", has_files=True, narrative_read=True)
    assert judge(s, WORDS).kind != CAMPAIGN


def test_a_units_mail_too_big_to_read_is_answered_whatever_its_subject() -> None:
    """Only the header block was read: a roster unit still hears that the mail was too big."""
    s = Signals("gửi phòng", "", has_files=True, roster_sender=True, oversize=True)
    assert judge(s, WORDS).kind == CAMPAIGN


def test_our_own_mail_is_never_campaign_mail() -> None:
    """The office's own announcement (blank form attached) is left alone."""
    s = Signals("Kế hoạch Tuần lễ HTSĐ", "", table_found=True, has_files=True, own_mail=True)
    assert judge(s, WORDS).kind == UNRELATED


@pytest.mark.parametrize(
    ("text", "files", "kind"),
    [
        ("đã nhận, cảm ơn phòng ạ", False, UNRELATED),
        ("Dạ vâng, em cảm ơn ạ", False, UNRELATED),
        ("", False, UNRELATED),
        ("Đúng ạ", False, CAMPAIGN),
        ("Xác nhận số liệu đúng", False, CAMPAIGN),
        ("Phòng cho em hỏi hạn nộp ạ?", False, CAMPAIGN),
        ("cảm ơn phòng, em gửi lại ạ", True, CAMPAIGN),
        ("Em đã nhận được biên nhận, cảm ơn phòng", False, UNRELATED),
        ("Cảm ơn phòng đã xác nhận ạ", False, UNRELATED),
        ("Em cảm ơn, số liệu đúng rồi ạ", False, CAMPAIGN),
        ("Cảm ơn, em sẽ sửa và gửi lại", False, CAMPAIGN),
    ],
)
def test_a_reply_in_our_thread_counts_unless_it_only_says_thanks(
    text: str, files: bool, kind: str
) -> None:
    """Thanks alone get nothing; a file, a confirmation or a question go on to `decide`."""
    s = Signals("Re: Biên nhận báo cáo Tuần lễ HTSĐ", text, has_files=files, in_our_thread=True)
    assert judge(s, WORDS).kind == kind


def test_a_roster_units_file_without_campaign_words_is_ambiguous() -> None:
    """No table, no word: the office is asked, the unit is not answered."""
    s = Signals("gửi phòng", "Trường gửi phòng file ạ.", has_files=True, roster_sender=True)
    assert judge(s, WORDS).kind == AMBIGUOUS


def test_a_strangers_file_without_campaign_words_is_unrelated() -> None:
    """Photos, bills and CVs from outside the roster are left alone."""
    assert judge(Signals("Ảnh cưới", "ảnh nè", has_files=True), WORDS).kind == UNRELATED


def test_a_shared_word_with_another_table_is_ambiguous_not_campaign() -> None:
    """ "Biểu tổng hợp" of another campaign (a table that is not the form) is asked about."""
    s = Signals(
        "Báo cáo Ngày Sách",
        "trường gửi biểu tổng hợp Ngày Sách",
        has_files=True,
        other_table=True,
        roster_sender=True,
    )
    assert judge(s, WORDS).kind == AMBIGUOUS


@pytest.mark.parametrize(
    ("subject", "kind"),
    [
        ("Báo cáo phổ cập giáo dục, xóa mù chữ năm 2021", UNRELATED),
        ("Danh sách học sinh lớp 1", UNRELATED),
        ("gửi phòng", AMBIGUOUS),
        ("V/v gửi văn bản", AMBIGUOUS),
        ("gửi anh Hùng file", AMBIGUOUS),
    ],
)
def test_a_units_other_table_is_unrelated_when_its_subject_names_its_business(
    subject: str, kind: str
) -> None:
    """A table that is not the form under a subject of its own is the unit's other business."""
    s = Signals(subject, "", has_files=True, other_table=True, roster_sender=True)
    assert judge(s, WORDS).kind == kind


def test_a_units_photos_stay_ambiguous_whatever_the_subject() -> None:
    """Photos cannot be read: they may be the Week's, so the office is asked."""
    s = Signals("Ảnh khai giảng năm học mới", "", has_files=True, roster_sender=True)
    assert judge(s, WORDS).kind == AMBIGUOUS


def test_a_shared_word_from_a_roster_unit_with_a_signed_scan_is_campaign() -> None:
    """ "Phụ lục 2 bản ký" as a PDF from a unit is the campaign's signed copy."""
    s = Signals("Phụ lục 2 bản ký", "", has_files=True, roster_sender=True)
    assert judge(s, WORDS).kind == CAMPAIGN


def test_the_campaign_named_by_someone_off_the_roster_is_ambiguous_not_answered() -> None:
    """The province's directive about the Week (a .docx, no form table): the office decides."""
    s = Signals("Kế hoạch tổ chức Tuần lễ HTSĐ năm 2021", "Sở GDĐT hướng dẫn…", has_files=True)
    assert judge(s, WORDS).kind == AMBIGUOUS
    assert judge(Signals("Tuần lễ HTSĐ", "Sở GDĐT đề nghị báo cáo"), WORDS).kind == UNRELATED


def test_a_units_question_about_the_campaign_is_shown_to_the_office_not_answered() -> None:
    """ "Phòng cho hỏi hạn nộp báo cáo HTSĐ" without a file: no "please attach" receipt."""
    s = Signals("Hỏi về báo cáo HTSĐ", "Phòng cho xã hỏi hạn nộp ạ", roster_sender=True)
    assert judge(s, WORDS).kind == AMBIGUOUS
    s = Signals("Báo cáo HTSĐ", "Xã gửi báo cáo ạ", roster_sender=True)
    assert judge(s, WORDS).kind == CAMPAIGN  # a forgotten file: the receipt asks for it


def test_a_reply_without_files_does_not_inherit_its_subjects_words() -> None:
    """ "Re: Kế hoạch … học tập suốt đời" + "dạ em cảm ơn" from a unit is not a report."""
    s = Signals(
        "Re: Kế hoạch Tuần lễ học tập suốt đời", "dạ em cảm ơn", is_reply=True, roster_sender=True
    )
    assert judge(s, WORDS).kind == UNRELATED


# --- words -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Báo cáo Tuần lễ HTSĐ",
        "V/v gửi báo cáo TLHTSĐ năm 2021",
        "BC_TLHTSD_2021.xlsx",
        "bao cao tuan le hoc tap suot doi",
        "BÁO CÁO TUẦN LỄ HỌC TẬP SUỐT ĐỜI",
        "Bao cao TL HTSĐ",
        "Học Tập Suốt Đời",
    ],
)
def test_the_campaign_is_named_however_a_clerk_writes_it(text: str) -> None:
    """Case, diacritics, NFD and the clerks' abbreviations all match."""
    import unicodedata

    assert names_any([unicodedata.normalize("NFD", text)], WORDS.words)


@pytest.mark.parametrize(
    "text", ["Tuần lễ vàng giảm giá", "học tập tốt", "hồ sơ HTS", "tập huấn suốt tuần"]
)
def test_everyday_words_do_not_name_the_campaign(text: str) -> None:
    """Words that only look alike are not the campaign's name."""
    assert not names_any([text], WORDS.words)


def test_shared_words_match_with_digits_apart() -> None:
    """ "PL2", "PL 2", "Phụ lục 2" and "phu luc 2" are the same shared word."""
    assert all(names_any([t], WORDS.weak_words) for t in ("PL2.xlsx", "pl 2", "Phu luc 2"))
    assert not names_any(["Phụ lục 12"], WORDS.weak_words)


@given(st.lists(st.sampled_from(["dạ", "vâng", "em", "cảm ơn", "ạ", "đã nhận", "phòng"])))
def test_any_mix_of_acknowledgement_words_is_thanks(words: list[str]) -> None:
    """Thanks read as thanks in any order and punctuation."""
    assert is_thanks(", ".join(words) + "!")


GMAIL_VI_QUOTE = (
    "\n\nVào Th 3, 12 thg 10, 2021 vào lúc 10:00 Phòng GD&ĐT Quỳnh Nhai <\n"
    "phonggd@example.org> đã viết:\n\n> Phòng GD&ĐT đã nhận được báo cáo Tuần lễ học tập suốt đời"
)
OUTLOOK_QUOTE = (
    "\n\nFrom: Phòng GD&ĐT <phonggd@example.org>\nSent: Tuesday, October 12, 2021 10:00 AM\n"
    "Subject: Biên nhận báo cáo HTSĐ"
)
SIGNED_WITHOUT_DASHES = "\nNguyễn Văn A\nVăn thư UBND xã Mường Giàng\nĐT: 0912 345 678"


@pytest.mark.parametrize(
    ("body", "thanks"),
    [
        ("đã nhận, cảm ơn phòng ạ" + SIGNED_WITHOUT_DASHES + GMAIL_VI_QUOTE, True),
        ("Dạ vâng, em cảm ơn ạ\n\nSent from my iPhone", True),
        ("Kính gửi Phòng GD&ĐT,\nXã đã nhận được biên nhận. Xin cảm ơn.\nTrân trọng", True),
        ("Thanks" + OUTLOOK_QUOTE, True),
        ("Cảm ơn phòng ạ\nXã xác nhận số liệu trên là đúng" + GMAIL_VI_QUOTE, False),
        ("Cảm ơn phòng, cho em hỏi hạn nộp bản ký" + OUTLOOK_QUOTE, False),
        ("Em chưa nhận được file trống ạ", False),
    ],
)
def test_thanks_are_read_in_real_reply_shapes(body: str, thanks: bool) -> None:
    """Wrapped Gmail attributions, Outlook header blocks and plain signatures are not words."""
    assert is_thanks(new_text(body)) is thanks


def test_new_text_stops_at_the_quote_and_the_signature() -> None:
    """What the sender wrote now, not our receipt quoted below it nor the signature."""
    body = (
        "đã nhận, cảm ơn phòng ạ\n\n--\nVăn phòng UBND xã\n"
        "Vào 10:00 ngày 12/10/2021, Phòng GD&ĐT đã viết:\n> Biên nhận báo cáo HTSĐ"
    )
    assert new_text(body) == "đã nhận, cảm ơn phòng ạ"
    assert new_text("Em gửi lại ạ\n\nOn Tue, X wrote:\n> HTSĐ") == "Em gửi lại ạ"


# --- Appendix 1 --------------------------------------------------------------------------------


def test_the_appendix1_report_is_recognised_by_its_headings() -> None:
    """The plan's Appendix 1 layout, without any campaign word in the mail, is Appendix 1."""
    doc = files.letter_docx(
        ["UBND XÃ MƯỜNG GIÀNG"],
        "BÁO CÁO",
        [
            "I. TỔ CHỨC TRIỂN KHAI TUẦN LỄ",
            "2. Lễ phát động Tuần lễ cấp xã",
            "4. Kinh phí tổ chức Tuần lễ",
        ],
    )
    paragraphs = file_paragraphs(doc, "docx")
    assert "2. Lễ phát động Tuần lễ cấp xã" in paragraphs
    assert is_narrative(paragraphs, WORDS)


def test_another_report_with_generic_headings_is_not_appendix1() -> None:
    """ "Đánh giá chung", "Kiến nghị" belong to every report, not to Appendix 1."""
    doc = files.letter_docx(
        ["TRƯỜNG MN CHIỀNG KHAY"],
        "Báo cáo hoạt động tháng 10",
        ["I. Đánh giá chung", "II. Khó khăn, tồn tại", "III. Kiến nghị, đề xuất"],
    )
    assert not is_narrative(file_paragraphs(doc, "docx"), WORDS)
    assert file_paragraphs(b"not a zip at all", "docx") == []


# --- decide on whole mails -------------------------------------------------------------------


def test_a_report_with_only_the_table_to_go_by_is_answered() -> None:
    """ "gửi phòng" + Book1.xlsx holding the form: campaign mail, one receipt."""
    form = forms.report_xlsx(UNIT.name, forms.report_values(1))
    assert verdict_of(plain(MG, "gửi phòng", "Dạ em gửi file ạ", ("Book1.xlsx", form))) == (
        CAMPAIGN,
        True,
    )


def test_a_strangers_photos_get_no_receipt() -> None:
    """A friend's wedding photos: unrelated, nothing composed."""
    photo = files.photo_jpg("Canon", 1)
    raw = plain(STRANGER, "Ảnh cưới", "Gửi cả nhà ảnh cưới nhé", ("IMG_1.jpg", photo))
    assert verdict_of(raw) == (UNRELATED, False)


def test_a_units_question_without_a_file_gets_no_receipt() -> None:
    """A commune asking about a meeting is not a report."""
    raw = plain(MG, "Hỏi lịch họp", "Phòng cho xã hỏi lịch họp tuần sau ạ?")
    assert verdict_of(raw) == (UNRELATED, False)


def test_a_units_own_table_titled_with_the_campaign_is_answered() -> None:
    """No word in the mail, a table that is not the form, its title names the Week: campaign."""
    table = files.table_xlsx(
        "BC",
        ["UBND XÃ MƯỜNG GIÀNG", "BÁO CÁO KẾT QUẢ TUẦN LỄ HỌC TẬP SUỐT ĐỜI NĂM 2021"],
        ["STT", "Việc đã làm", "Kết quả"],
        [[1, "Treo băng rôn", 12]],
    )
    raw = plain(MG, "gửi phòng", "Dạ em gửi file ạ", ("Book1.xlsx", table))
    assert verdict_of(raw) == (CAMPAIGN, True)


def test_the_blank_form_from_off_the_roster_is_not_answered() -> None:
    """The province passing on the blank Appendix 2: ambiguous, no receipt."""
    raw = plain(
        "vanthu@so.example.org",
        "Mẫu biểu",
        "Gửi các phòng mẫu biểu",
        ("mau.xlsx", forms.blank_form()),
    )
    assert verdict_of(raw) == (AMBIGUOUS, False)


def test_a_units_blank_form_gets_a_receipt_asking_for_figures_and_is_not_booked() -> None:
    """A roster unit sending the form unfilled is answered with the reason, nothing booked."""
    raw = plain(MG, "gửi phòng", "Dạ em gửi biểu ạ", ("PL2.xlsx", forms.blank_form()))
    d = decide(raw, WHEN, SETTINGS, lambda data, name: parse_bytes(data, name, FORM))
    assert (d.relevance, d.status, d.chosen) == (CAMPAIGN, "unreadable", None)
    body = d.receipt.get_body(preferencelist=("plain",)) if d.receipt else None
    assert body is not None and BLANK_FORM in body.get_content()


def test_a_units_meeting_request_is_not_a_file_it_sent() -> None:
    """A calendar part alone does not make a roster unit's invitation a possible report."""
    ics = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Họp giao ban\r\nEND:VEVENT\r\nEND:VCALENDAR"
    raw = plain(MG, "Mời họp giao ban", "Kính mời", ("invite.ics", ics.encode(), "text/calendar"))
    assert verdict_of(raw) == (UNRELATED, False)


def test_another_campaigns_table_from_a_unit_gets_no_receipt() -> None:
    """A class list (not the form) from a roster unit is ambiguous: no receipt."""
    raw = plain(MG, "gửi phòng", "Xã gửi danh sách ạ", ("DS.xlsx", forms.foreign_xlsx()))
    assert verdict_of(raw) == (AMBIGUOUS, False)


def test_the_office_can_take_an_ambiguous_mail_in_as_a_report() -> None:
    """With as_report the relevance question is skipped: the unit gets its receipt."""
    raw = plain(MG, "gửi phòng", "Xã gửi danh sách ạ", ("DS.xlsx", forms.foreign_xlsx()))
    assert verdict_of(raw, as_report=True) == (CAMPAIGN, True)


def test_thanks_in_our_receipts_thread_get_nothing() -> None:
    """ "đã nhận, cảm ơn" answering our receipt: no receipt for a receipt."""
    raw = plain(
        MG,
        "Re: Biên nhận báo cáo Tuần lễ học tập suốt đời",
        "đã nhận, cảm ơn phòng ạ",
        extra_headers=[f"In-Reply-To: {OUR_RECEIPT}", f"References: {OUR_RECEIPT}"],
    )
    assert verdict_of(raw) == (UNRELATED, False)


def test_a_confirmation_in_our_receipts_thread_reaches_decide() -> None:
    """ "Xác nhận số liệu đúng" answering our receipt is campaign mail (the doubt path's)."""
    raw = plain(
        MG,
        "Re: Biên nhận báo cáo Tuần lễ học tập suốt đời",
        "Xã xác nhận số liệu đúng ạ",
        extra_headers=[f"In-Reply-To: {OUR_RECEIPT}", f"References: {OUR_RECEIPT}"],
    )
    assert verdict_of(raw)[0] == CAMPAIGN


def test_every_red_inbox_mail_gets_the_verdict_its_readme_gives() -> None:
    """Campaign, unrelated and ambiguous exactly as tests/redinbox labels them (the office's
    list then holds the four ambiguous mails and no unrelated one)."""
    settings = IntakeSettings(
        form=FORM,
        units=tuple(Unit(code, name, tuple(emails)) for code, name, emails in ROSTER),
        campaign_name=SETTINGS.campaign_name,
        office_name=SETTINGS.office_name,
        deadline=SETTINGS.deadline,
        from_addr=OFFICE,
        from_name=SETTINGS.from_name,
        own_addresses=(OFFICE,),
    )
    wrong = []
    for item in morning().items:
        d = decide(item.raw, WHEN, settings, lambda data, name: parse_bytes(data, name, FORM))
        if d.relevance != item.kind:
            wrong.append(f"{item.key}: {d.relevance} ({d.reason})")
    assert not wrong, wrong
