"""Relevance over mail shapes the red team's inbox does not hold (a held-out check).

Each case is one mail an education office's Gmail really gets, built from data by the shared
generators and decided by `decide` with the real parser in process: what relevance says and
whether a receipt is composed. Campaign mail must be answered; nothing else may be.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from mailbot.forms import load_form
from mailbot.ingest.decide import decide
from mailbot.ingest.decision import IntakeSettings
from mailbot.ingest.relevance import AMBIGUOUS, CAMPAIGN, UNRELATED
from mailbot.parsing import parse_bytes
from mailbot.records import Unit
from tests.redinbox import files
from tests.redmail import forms
from tests.support.mailshapes import auto_reply, report_email

FORM = load_form()
OFFICE = "phonggd@example.test"
MG = Unit("xa-muong-giang", "UBND xã Mường Giàng", ("ubnd.muonggiang@example.test",))
CK = Unit("th-chieng-khay", "Trường Tiểu học Chiềng Khay", ("thchiengkhay@example.org",))
OUR_REMINDER = "<reminder.00ff00ff00ff00ff@example.test>"
OUR_RECEIPT = "<receipt.0123456789abcdef@example.test>"
SETTINGS = IntakeSettings(
    form=FORM,
    units=(MG, CK),
    campaign_name="Tuần lễ hưởng ứng học tập suốt đời năm 2021",
    office_name="Phòng GD&ĐT Quỳnh Nhai",
    deadline=datetime(2021, 10, 15, 17, 0, tzinfo=UTC),
    from_addr=OFFICE,
    from_name="Phòng GD&ĐT Quỳnh Nhai",
    own_addresses=(OFFICE,),
)
IN_REMINDER_THREAD = [f"In-Reply-To: {OUR_REMINDER}", f"References: {OUR_REMINDER}"]
IN_RECEIPT_THREAD = [f"In-Reply-To: {OUR_RECEIPT}", f"References: {OUR_RECEIPT}"]
APPENDIX1_HEADINGS = [
    "I. TỔ CHỨC TRIỂN KHAI TUẦN LỄ",
    "1. Công tác chỉ đạo, ban hành kế hoạch triển khai",
    "2. Lễ phát động Tuần lễ cấp xã",
    "4. Kinh phí tổ chức Tuần lễ",
    "II. ĐÁNH GIÁ CHUNG",
]


NUTRITION_PLAN = files.letter_docx(
    ["TRƯỜNG TH CHIỀNG KHAY"], "Kế hoạch tuần lễ dinh dưỡng", ["1. Mục đích", "2. Nội dung"]
)
INVOICE = files.einvoice_xml(1234, "Công ty A", "Phòng GD&ĐT", [("Giấy A4", 500000)])


@dataclass
class Case:
    """One mail and what must become of it."""

    sender: str
    subject: str
    body: str
    attachments: list = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    raw: bytes | None = None


def form_xlsx(unit: str = MG.name, seed: int = 1) -> bytes:
    """Appendix 2 filled in for `unit`."""
    return forms.report_xlsx(unit, forms.report_values(seed))


# key -> (mail, relevance, receipt composed?; None: not this test's to say)
CASES: dict[str, tuple[Case, str, bool | None]] = {
    # --- the campaign's mail: answered -----------------------------------------------------
    "bare subject, the form named PL2_xa.xlsx": (
        Case(MG.emails[0], "Báo cáo", "", [("PL2_xa.xlsx", form_xlsx())]),
        CAMPAIGN,
        True,
    ),
    "shared word and a signed scan only": (
        Case(CK.emails[0], "Gửi báo cáo tuần lễ (bản ký)", "Trường gửi bản ký ạ.",
             [("scan.pdf", files.pdf(["BAO CAO", "Truong TH Chieng Khay"]))]),
        CAMPAIGN,
        True,
    ),
    "Appendix 1 alone, no campaign word in the mail": (
        Case(MG.emails[0], "V/v gửi báo cáo", "Xã gửi báo cáo ạ.",
             [("BC.docx", files.letter_docx(["UBND XÃ MƯỜNG GIÀNG"], "BÁO CÁO",
                                            APPENDIX1_HEADINGS))]),
        CAMPAIGN,
        True,
    ),
    "the campaign named, the file on Drive": (
        Case(MG.emails[0], "Báo cáo kết quả Tuần lễ học tập suốt đời",
             "Em gửi qua đường link ạ", links=["https://drive.example.com/file/d/abc123/view"]),
        CAMPAIGN,
        True,
    ),
    "a clerk's personal address, the form names the unit": (
        Case("lothimai1985@example.com", "gửi phòng", "", [("bieu.xlsx", form_xlsx(seed=2))]),
        CAMPAIGN,
        True,
    ),
    "a reply to our reminder with the form as Word": (
        Case(CK.emails[0], "Re: Đề nghị gửi báo cáo", "Dạ trường em gửi ạ",
             [("pl2.docx", forms.report_docx(CK.name, forms.report_values(3)))],
             IN_REMINDER_THREAD),
        CAMPAIGN,
        True,
    ),
    "a reply to our receipt saying the figures are right": (
        Case(MG.emails[0], "Re: Báo cáo", "Xã xác nhận số liệu đúng ạ", headers=IN_RECEIPT_THREAD),
        CAMPAIGN,
        None,  # what it is answered with belongs to the confirming path (branch doubt)
    ),
    # --- everything else: no receipt -------------------------------------------------------
    "a shop's 'tuần lễ vàng' newsletter": (
        Case("khuyenmai@shop.example.com", "Tuần lễ vàng - giảm đến 50%", "Ưu đãi cuối tuần"),
        UNRELATED,
        False,
    ),
    "the province's directive about the Week": (
        Case("vanthu@sogddt.example.org", "V/v tổ chức Tuần lễ hưởng ứng học tập suốt đời 2021",
             "Kính gửi các phòng GD&ĐT",
             [("CV 1870.docx", files.letter_docx(["SỞ GD&ĐT"], "Về việc tổ chức Tuần lễ",
                                                 ["Các phòng triển khai..."]))]),
        AMBIGUOUS,
        False,
    ),
    "a school's nutrition-week plan": (
        Case(CK.emails[0], "Kế hoạch tuần lễ dinh dưỡng", "Trường gửi kế hoạch ạ",
             [("KH.docx", NUTRITION_PLAN)]),
        UNRELATED,
        False,
    ),
    "a commune's question": (
        Case(MG.emails[0], "Hỏi lịch họp giao ban", "Phòng cho xã hỏi lịch họp giao ban tháng 11"),
        UNRELATED,
        False,
    ),
    "a bank statement": (
        Case("saoke@bank.example.com", "Sao kê tài khoản tháng 10/2021", "Kính gửi Quý khách",
             [("saoke.pdf", files.pdf(["SAO KE TAI KHOAN", "So du: 12.345.000"]))]),
        UNRELATED,
        False,
    ),
    "a payroll exported as .xls from a roster unit": (
        Case(CK.emails[0], "Bảng lương tháng 10", "Kế toán gửi bảng lương",
             [("luong.xls", files.html_xls("BẢNG LƯƠNG", ["STT", "Họ tên", "Lương"],
                                           [[1, "Lò Văn A", 5200000]]))]),
        UNRELATED,
        False,
    ),
    "thanks to our receipt under a Gmail quote": (
        Case(MG.emails[0], "Re: Báo cáo Tuần lễ HTSĐ",
             "Dạ xã đã nhận được, cảm ơn phòng ạ\nVăn thư xã Mường Giàng\n\nVào Th 3, 12 thg "
             "10, 2021 vào lúc 10:00 Phòng GD&ĐT <\nphonggd@example.test> đã viết:\n> Biên nhận",
             headers=IN_RECEIPT_THREAD),
        UNRELATED,
        False,
    ),
    "an e-invoice": (
        Case("hoadon@einvoice.example.net", "Hóa đơn điện tử số 0001234", "Kính gửi Quý khách",
             [("hd.xml", INVOICE, "application/xml")]),
        UNRELATED,
        False,
    ),
    "the blank Appendix 2 passed on by the province": (
        Case("vanthu@sogddt.example.org", "Mẫu biểu", "Gửi các phòng mẫu biểu",
             [("mau.xlsx", forms.blank_form())]),
        AMBIGUOUS,
        False,
    ),
    "a roster school's class list under a generic subject": (
        Case(CK.emails[0], "gửi phòng", "Trường gửi file ạ",
             [("DS.xlsx", forms.foreign_xlsx())]),
        AMBIGUOUS,
        False,
    ),
    "a class list from a roster school": (
        Case(CK.emails[0], "Danh sách lớp 5A", "Trường gửi danh sách ạ",
             [("DS lop 5A.xlsx", forms.foreign_xlsx())]),
        UNRELATED,
        False,
    ),
    "a forward the office sent itself": (
        Case(OFFICE, "Fwd: Báo cáo Tuần lễ HTSĐ - xã Mường Giàng", "",
             [("bc.xlsx", form_xlsx())]),
        UNRELATED,
        False,
    ),
}  # fmt: skip


def decided(case: Case):
    """`decide` on the case's mail, parsed by the real parser in process."""
    raw = case.raw or report_email(
        case.sender,
        to_addr=OFFICE,
        subject=case.subject,
        body=case.body,
        attachments=case.attachments,
        extra_headers=case.headers,
        links=case.links,
    )
    return decide(
        raw,
        datetime(2021, 10, 12, 3, 0, tzinfo=UTC),
        SETTINGS,
        lambda data, name: parse_bytes(data, name, FORM),
        ours=lambda ids: bool({OUR_RECEIPT, OUR_REMINDER} & set(ids)),
    )


@pytest.mark.parametrize("key", list(CASES))
def test_each_mail_gets_its_verdict_and_only_campaign_mail_a_receipt(key: str) -> None:
    """Campaign mail is answered once; unrelated and ambiguous mail never."""
    case, relevance, answered = CASES[key]
    decision = decided(case)
    if answered is None:
        answered = decision.receipt is not None
    assert (decision.relevance, decision.receipt is not None) == (relevance, answered)


def test_an_out_of_office_reply_to_our_receipt_gets_nothing() -> None:
    """Machine mail in our thread passes relevance and is then screened: no receipt."""
    raw = auto_reply(MG.emails[0], to_addr=OFFICE)
    raw = raw.replace(b"\r\nMessage-ID:", f"\r\nIn-Reply-To: {OUR_RECEIPT}\r\nMessage-ID:".encode())
    decision = decided(Case("", "", "", raw=raw))
    assert (decision.status, decision.receipt) == ("ignored", None)
