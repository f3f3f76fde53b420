"""The everyday inbox: a staff member's personal Gmail with the campaign's reports inside it.

Owns the roster, every letter with its kind and IMAP flags, and the expected outcome:
- "campaign": a unit's Appendix 1/2 report (or a forward, resend, correction of one);
  answered exactly once; Appendix 2 values booked for the unit.
- "unrelated": the rest of an education office's life; no receipt, flags untouched, not in
  the office's problems.
- "ambiguous": a roster unit + a file + no campaign words + no Appendix 2 table; no receipt,
  flags untouched; the office may see it as a possible report.
- the question "mẫu biểu báo cáo tuần lễ lấy ở đâu ạ?" (campaign words, no file) is kept
  with the ambiguous mail (`question=True`): the office answers it by hand, so no receipt and
  no flag change, and it is listed for the office (see README.md).
The first batch is in the inbox before the first poll; `second_batch` is written after it,
as replies in the threads of the receipts mailbot sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from tests.redinbox2 import files
from tests.redinbox2.compose import (
    DOCX,
    JPEG,
    OFFICE,
    OFFICE_NAME,
    PDF,
    Attachment,
    Msg,
    gmail_forward,
    gmail_quote,
    outlook_block,
    render,
)
from tests.redmail import forms

ICT = timezone(timedelta(hours=7))
SUMMARY_TO = ("lanhdao.pgd@example.org", "vanthu.pgd@example.org")

ROSTER: list[tuple[str, str, list[str]]] = [
    ("xa-muong-giang", "UBND xã Mường Giàng", ["ubnd.muonggiang@example.org"]),
    ("xa-chieng-bang", "UBND xã Chiềng Bằng", ["ubnd.chiengbang@example.org"]),
    ("xa-chieng-khay", "UBND xã Chiềng Khay", ["ubnd.chiengkhay@example.org"]),
    ("xa-chieng-khoang", "UBND xã Chiềng Khoang", ["ubnd.chiengkhoang@example.org"]),
    ("xa-chieng-on", "UBND xã Chiềng Ơn", ["ubnd.chiengon@example.org"]),
    ("xa-muong-chien", "UBND xã Mường Chiên", ["ubnd.muongchien@example.org"]),
    ("xa-muong-gion", "UBND xã Mường Giôn", ["ubnd.muonggion@example.org"]),
    ("xa-muong-sai", "UBND xã Mường Sại", ["ubnd.muongsai@example.org"]),
    ("xa-nam-et", "UBND xã Nậm Ét", ["ubnd.namet@example.org"]),
    ("xa-pa-ma-pha-khinh", "UBND xã Pá Ma Pha Khinh", ["ubnd.pamaphakhinh@example.org"]),
    ("xa-ca-nang", "UBND xã Cà Nàng", ["ubnd.canang@example.org"]),
    ("mn-muong-giang", "Trường Mầm non Mường Giàng", ["mn.muonggiang@example.test"]),
    ("th-chieng-bang", "Trường Tiểu học Chiềng Bằng", ["th.chiengbang@example.test"]),
    ("thcs-muong-giang", "Trường THCS Mường Giàng", ["thcs.muonggiang@example.test"]),
    ("ptdtbt-thcs-nam-et", "Trường PTDTBT THCS Nậm Ét", ["ptdtbt.thcsnamet@example.test"]),
    ("th-thcs-chieng-khoang", "Trường TH&THCS Chiềng Khoang", ["ththcs.chiengkhoang@example.test"]),
    (
        "gdnn-gdtx-quynh-nhai",
        "Trung tâm GDNN-GDTX huyện Quỳnh Nhai",
        ["gdnn-gdtx.quynhnhai@example.test"],
    ),
]
NAMES = {code: name for code, name, _ in ROSTER}
ADDR = {code: emails[0] for code, _, emails in ROSTER}

PLAN_ID = "<CAPgd-kh-tuanle-2021@mail.example.org>"
PLAN_SUBJECT = "V/v báo cáo kết quả tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2021"
PLAN_TEXT = (
    "Kính gửi các đơn vị,\n"
    "Phòng GD&ĐT gửi Kế hoạch tổ chức Tuần lễ và mẫu báo cáo (Phụ lục 1, Phụ lục 2).\n"
    "Đề nghị các đơn vị gửi báo cáo trước ngày 15/10/2021."
)
PLAN_WHEN = datetime(2021, 9, 28, 8, 5, tzinfo=ICT)

UNREAD: tuple[str, ...] = ()
READ = ("\\Seen",)


@dataclass
class Letter:
    """One message in the inbox, what kind it is, its flags at APPEND, its expected outcome."""

    key: str
    kind: str  # campaign | unrelated | ambiguous
    msg: Msg
    flags: tuple[str, ...] = UNREAD
    unit: str | None = None  # the roster unit the campaign mail reports for
    values: forms.Values | None = None  # Appendix 2 values it carries, when any
    question: bool = False  # an ambiguous mail that asks about the campaign, with no file

    @property
    def message_id(self) -> str:
        return self.msg.message_id

    @property
    def raw(self) -> bytes:
        return render(self.msg)


@dataclass
class Inbox:
    """Both batches and the expected booked values per unit after each poll."""

    first: list[Letter] = field(default_factory=list)
    second: list[Letter] = field(default_factory=list)

    @property
    def letters(self) -> list[Letter]:
        return self.first + self.second

    def expected_values(self, batches: int) -> dict[str, forms.Values]:
        """Each unit's latest Appendix 2 values after the first `batches` batches."""
        out: dict[str, forms.Values] = {}
        for letter in self.first if batches == 1 else self.letters:
            if letter.kind == "campaign" and letter.values is not None and letter.unit:
                out[letter.unit] = letter.values
        return out


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A time in October 2021, Vietnam time."""
    return datetime(2021, 10, day, hour, minute, tzinfo=ICT)


def mid(key: str, host: str = "mail.example.com") -> str:
    return f"<CA{key.replace('-', '').upper()[:24]}x7Q@{host}>"


def vals(seed: int) -> forms.Values:
    return forms.report_values(seed)


SIGN_XA = "\n--\nVăn phòng - Thống kê\n{name}\nĐT: 0212 3xx xxx"


def campaign_letters() -> list[Letter]:
    """The units' reports, in the shapes units really send them."""
    out: list[Letter] = []

    def add(
        key: str, unit: str, msg: Msg, values: forms.Values | None, flags: tuple[str, ...] = UNREAD
    ) -> None:
        out.append(Letter(key, "campaign", msg, flags, unit, values))

    v = vals(201)
    add(
        "c-muonggiang-unaccented",
        "xa-muong-giang",
        Msg(
            "UBND xa Muong Giang",
            ADDR["xa-muong-giang"],
            "bao cao tuan le hoc tap suot doi",
            at(8, 9, 12),
            mid("c-muonggiang-unaccented"),
            "Kinh gui phong GD\nXa Muong Giang gui bao cao a\n"
            + SIGN_XA.format(name="UBND xã Mường Giàng"),
            files=[Attachment("Book1.xlsx", files.appendix2_xlsx(NAMES["xa-muong-giang"], v))],
        ),
        v,
    )

    v = vals(202)
    add(
        "c-chiengbang-outlook",
        "xa-chieng-bang",
        Msg(
            "Văn phòng UBND xã Chiềng Bằng",
            ADDR["xa-chieng-bang"],
            "RE: BC TLHTSĐ",
            at(9, 14, 40),
            mid("c-chiengbang-outlook", "ex.example.net"),
            "Kính gửi Phòng GD&ĐT,\nUBND xã Chiềng Bằng gửi biểu tổng hợp theo yêu cầu.\n\n"
            + outlook_block(PLAN_WHEN, OFFICE_NAME, OFFICE, "Các đơn vị", PLAN_SUBJECT, PLAN_TEXT),
            files=[Attachment("Book1.xlsx", files.appendix2_xlsx(NAMES["xa-chieng-bang"], v))],
            shape="outlook",
            in_reply_to=PLAN_ID,
            references=[PLAN_ID],
        ),
        v,
        READ,
    )

    v = vals(203)
    add(
        "c-chiengon-vv",
        "xa-chieng-on",
        Msg(
            "Chiềng Ơn UBND",
            ADDR["xa-chieng-on"],
            "V/v bc HTSĐ 2021",
            at(10, 7, 55),
            mid("c-chiengon-vv"),
            "Gửi phòng biểu số liệu HTSĐ ạ.",
            files=[
                Attachment("Document1.docx", files.appendix2_docx(NAMES["xa-chieng-on"], v), DOCX)
            ],
        ),
        v,
    )

    v = vals(204)
    add(
        "c-muongchien-nowords",
        "xa-muong-chien",
        Msg(
            "Lò Thị Hoa",
            ADDR["xa-muong-chien"],
            "Gửi Phòng GD",
            at(11, 16, 3),
            mid("c-muongchien-nowords"),
            "Em gửi file ạ. Phòng kiểm tra giúp em với.\nHoa - VP xã",
            files=[Attachment("Book1 (2).xlsx", files.appendix2_xlsx(NAMES["xa-muong-chien"], v))],
        ),
        v,
        ("\\Seen", "$label1"),
    )

    v = vals(205)
    add(
        "c-namet-htmlonly-nosubject",
        "xa-nam-et",
        Msg(
            "UBND xã Nậm Ét",
            ADDR["xa-nam-et"],
            None,
            at(12, 10, 20),
            mid("c-namet-htmlonly"),
            html_body='<html><body><p style="font-family:Times New Roman">Kính gửi: Phòng GD&amp;ĐT'
            "</p><p>Đơn vị gửi kèm file.</p><p><i>Văn phòng UBND xã Nậm Ét</i></p></body></html>",
            files=[Attachment("Document1.docx", files.appendix2_docx(NAMES["xa-nam-et"], v), DOCX)],
            shape="html",
        ),
        v,
    )

    v = vals(206)
    add(
        "c-canang-telex-logo",
        "xa-ca-nang",
        Msg(
            "Cà Nàng",
            ADDR["xa-ca-nang"],
            "baos caso tuaafn lee hocj taapj suoot ddoi",
            at(12, 15, 31),
            mid("c-canang-telex"),
            "Kính gửi Phòng,\nXã Cà Nàng gửi biểu tổng hợp tuần lễ học tập suốt đời.\n"
            "Trân trọng!\n--\nQuàng Văn Thắng\nCông chức Văn hóa - Xã hội",
            files=[
                Attachment(
                    "bieu 2.xlsx", files.appendix2_xlsx(NAMES["xa-ca-nang"], v, as_text=True)
                )
            ],
            signature_logo=True,
        ),
        v,
        ("\\Flagged",),
    )

    add(
        "c-thchiengbang-appendix1-only",
        "th-chieng-bang",
        Msg(
            "TH Chiềng Bằng",
            ADDR["th-chieng-bang"],
            "Báo cáo tổng kết Tuần lễ HTSĐ năm 2021",
            at(11, 8, 44),
            mid("c-thchiengbang-app1"),
            "Kính gửi Phòng GD&ĐT,\nNhà trường gửi báo cáo tổng kết (Phụ lục 1).\nHiệu trưởng",
            files=[
                Attachment(
                    "Document1.docx",
                    files.appendix1_docx(NAMES["th-chieng-bang"], "Chiềng Bằng"),
                    DOCX,
                )
            ],
        ),
        None,
    )

    # A long thread: the centre and the office went back and forth before the file came.
    v = vals(207)
    t0 = at(4, 8, 0)
    history = gmail_quote(
        t0 + timedelta(days=3),
        OFFICE_NAME,
        OFFICE,
        "Trung tâm gửi sớm giúp phòng nhé.\n\n"
        + gmail_quote(
            t0 + timedelta(days=2),
            "GDNN-GDTX Quỳnh Nhai",
            ADDR["gdnn-gdtx-quynh-nhai"],
            "Dạ trung tâm đang tổng hợp số liệu các lớp ạ.\n\n"
            + gmail_quote(t0, OFFICE_NAME, OFFICE, PLAN_TEXT),
        ),
    )
    add(
        "c-gdnn-longthread",
        "gdnn-gdtx-quynh-nhai",
        Msg(
            "GDNN-GDTX Quỳnh Nhai",
            ADDR["gdnn-gdtx-quynh-nhai"],
            "Re: Re: Re: " + PLAN_SUBJECT,
            at(13, 9, 2),
            mid("c-gdnn-longthread"),
            "Trung tâm gửi Phòng biểu tổng hợp ạ.\n\n" + history,
            files=[
                Attachment(
                    "TLHTSD_2021.xlsx", files.appendix2_xlsx(NAMES["gdnn-gdtx-quynh-nhai"], v)
                )
            ],
            in_reply_to="<CAgdnn-thread-3@mail.example.org>",
            references=[
                PLAN_ID,
                "<CAgdnn-thread-1@mail.example.test>",
                "<CAgdnn-thread-3@mail.example.org>",
            ],
        ),
        v,
        READ,
    )

    # The commune's chairman forwards the report from his personal address.
    v = vals(208)
    inner = (
        "Kính gửi anh Thành,\nVăn phòng gửi báo cáo tuần lễ học tập suốt đời để anh chuyển phòng.\n"
    )
    add(
        "c-pamapha-chairman-forward",
        "xa-pa-ma-pha-khinh",
        Msg(
            "Lò Văn Thành",
            "lovanthanh.ct1975@example.com",
            "Fwd: Báo cáo tuần lễ học tập suốt đời - xã Pá Ma Pha Khinh",
            at(13, 21, 15),
            mid("c-pamapha-fwd"),
            "Phòng GD nhận giúp báo cáo của xã Pá Ma Pha Khinh. Văn phòng xã mất mạng nên tôi "
            "chuyển hộ.\nLò Văn Thành - Chủ tịch UBND xã\n\n"
            + gmail_forward(
                at(13, 17, 0),
                "UBND xã Pá Ma Pha Khinh",
                ADDR["xa-pa-ma-pha-khinh"],
                "Báo cáo tuần lễ học tập suốt đời - xã Pá Ma Pha Khinh",
                inner,
            ),
            files=[
                Attachment(
                    "Báo cáo TLHTSĐ Pá Ma Pha Khinh.xlsx",
                    files.appendix2_xlsx(NAMES["xa-pa-ma-pha-khinh"], v),
                )
            ],
        ),
        v,
    )

    v = vals(209)
    add(
        "c-chiengkhoang-zalo-short",
        "xa-chieng-khoang",
        Msg(
            "ubnd chieng khoang",
            ADDR["xa-chieng-khoang"],
            "bc",
            at(14, 6, 48),
            mid("c-chiengkhoang-phone"),
            "e gửi bc tuần lễ htsđ ạ\n\nGửi từ điện thoại Android",
            files=[Attachment("Book1.xlsx", files.appendix2_xlsx(NAMES["xa-chieng-khoang"], v))],
            shape="phone",
        ),
        v,
    )

    v = vals(210)
    add(
        "c-ththcs-app1-and-app2",
        "th-thcs-chieng-khoang",
        Msg(
            "Trường TH&THCS Chiềng Khoang",
            ADDR["th-thcs-chieng-khoang"],
            "Báo cáo kết quả Tuần lễ hưởng ứng học tập suốt đời năm 2021",
            at(14, 10, 30),
            mid("c-ththcs-both", "ex.example.net"),
            "Kính gửi: Phòng Giáo dục và Đào tạo huyện Quỳnh Nhai\n"
            "Nhà trường gửi Báo cáo (Phụ lục 1) và Biểu tổng hợp (Phụ lục 2).\nTrân trọng.",
            files=[
                Attachment(
                    "Document1.docx",
                    files.appendix1_docx(NAMES["th-thcs-chieng-khoang"], "Chiềng Khoang"),
                    DOCX,
                ),
                Attachment(
                    "Document2.docx", files.appendix2_docx(NAMES["th-thcs-chieng-khoang"], v), DOCX
                ),
            ],
            shape="outlook",
            signature_logo=True,
        ),
        v,
        ("\\Seen", "\\Flagged"),
    )

    v = vals(211)
    first = Attachment("Book1.xlsx", files.appendix2_xlsx(NAMES["xa-muong-gion"], v))
    add(
        "c-muonggion-original",
        "xa-muong-gion",
        Msg(
            "UBND Mường Giôn",
            ADDR["xa-muong-gion"],
            "Báo cáo TLHTSĐ",
            at(13, 15, 0),
            mid("c-muonggion-1"),
            "Gửi phòng báo cáo tuần lễ.",
            files=[first],
        ),
        v,
        READ,
    )
    add(
        "c-muonggion-resend",
        "xa-muong-gion",
        Msg(
            "UBND Mường Giôn",
            ADDR["xa-muong-gion"],
            "gửi lại báo cáo",
            at(14, 8, 5),
            mid("c-muonggion-2"),
            "Hôm qua gửi không biết phòng nhận được chưa, xã gửi lại báo cáo ạ.",
            files=[first],
        ),
        v,
    )
    return out


def unrelated_letters() -> list[Letter]:
    """An education office's ordinary mail, and a personal Gmail's."""
    out: list[Letter] = []

    def add(key: str, msg: Msg, flags: tuple[str, ...] = UNREAD) -> None:
        out.append(Letter(key, "unrelated", msg, flags))

    add(
        "u-allowance-question",
        Msg(
            "Cầm Thị Liên",
            "camlien.gv@example.com",
            "Hỏi về phụ cấp thâm niên nhà giáo",
            at(5, 20, 11),
            mid("u-allowance"),
            "Chào chị,\nEm là giáo viên trường TH Mường Giàng, em công tác đủ 5 năm từ tháng 9 mà "
            "tháng 10 chưa thấy được hưởng phụ cấp thâm niên ạ. Chị xem giúp em với.\n"
            "Em cảm ơn chị.",
        ),
    )
    add(
        "u-pay-sheet",
        Msg(
            "Kế toán trường",
            "ketoan.thkimdong@example.net",
            "Bảng lương T10",
            at(6, 9, 0),
            mid("u-pay"),
            "Gửi chị bảng lương tháng 10, chị đối chiếu phụ cấp ưu đãi giúp em.",
            files=[Attachment("Book1.xlsx", files.pay_sheet_xlsx())],
        ),
        READ,
    )
    add(
        "u-school-year-plan",
        Msg(
            "Văn phòng Sở GD&ĐT",
            "vanphong@sogddt-sonla.example.org",
            "Kế hoạch năm học 2021-2022",
            at(4, 15, 30),
            mid("u-khnh", "sogddt-sonla.example.org"),
            "Sở GD&ĐT gửi kế hoạch thực hiện nhiệm vụ năm học 2021-2022. Đề nghị các phòng GD&ĐT "
            "triển khai.",
            files=[Attachment("KH nam hoc 2021-2022.docx", files.school_year_plan_docx(), DOCX)],
            signature_logo=True,
            shape="outlook",
        ),
        ("\\Seen", "\\Flagged"),
    )
    add(
        "u-midterm-report-table",
        Msg(
            "THPT Quỳnh Nhai",
            "thpt.quynhnhai@example.net",
            "Báo cáo sơ kết học kỳ I",
            at(9, 10, 15),
            mid("u-soket"),
            "Kính gửi phòng, nhà trường gửi báo cáo sơ kết học kỳ I để phối hợp.",
            files=[Attachment("Book1.xlsx", files.midterm_xlsx())],
        ),
    )
    add(
        "u-facilities-census",
        Msg(
            "Phòng Tài chính - Kế hoạch",
            "tckh.quynhnhai@example.org",
            "Thống kê cơ sở vật chất trường học năm 2021",
            at(7, 14, 0),
            mid("u-csvc"),
            "Phòng TC-KH gửi biểu thống kê cơ sở vật chất để Phòng GD&ĐT rà soát.",
            files=[Attachment("CSVC 2021.xlsx", files.facilities_xlsx())],
            shape="outlook",
        ),
    )
    add(
        "u-universalisation-other-district",
        Msg(
            "Phòng GD&ĐT Thuận Châu",
            "phonggd.thuanchau@example.org",
            "Báo cáo công tác phổ cập giáo dục, xóa mù chữ năm 2021",
            at(8, 16, 20),
            mid("u-phocap"),
            "Phòng GD&ĐT Thuận Châu gửi báo cáo phổ cập để các phòng tham khảo cách trình bày.",
            files=[Attachment("Document1.docx", files.universalisation_docx(), DOCX)],
        ),
    )
    add(
        "u-union-invitation",
        Msg(
            "Công đoàn ngành Giáo dục",
            "congdoan.gdqn@example.org",
            "Giấy mời họp Ban chấp hành Công đoàn ngành",
            at(6, 16, 45),
            mid("u-congdoan"),
            "Kính mời đồng chí dự họp BCH Công đoàn ngành vào 14h00 ngày 12/10/2021 tại hội "
            "trường Phòng GD&ĐT.",
            files=[Attachment("scan0001.pdf", files.pdf_stub("Giay moi"), PDF)],
        ),
        READ,
    )
    add(
        "u-condolence",
        Msg(
            "Công đoàn ngành Giáo dục",
            "congdoan.gdqn@example.org",
            "Thông báo tin buồn",
            at(10, 6, 30),
            mid("u-tinbuon"),
            html_body="<div><p>Ban chấp hành Công đoàn ngành vô cùng thương tiếc báo tin: thân "
            "phụ đồng chí Lường Văn Hải, giáo viên trường THCS Chiềng Ơn, đã từ trần.</p>"
            "<p>Lễ viếng từ 8h00 ngày 11/10/2021 tại gia đình.</p></div>",
            shape="html",
        ),
    )
    add(
        "u-zalo-forwarded-notice",
        Msg(
            "Điêu Thị Mai",
            "dieumai.pgd@example.com",
            "Fwd: TB lịch trực cơ quan dịp cuối tuần",
            at(8, 19, 5),
            mid("u-zalo-fwd"),
            "[Chuyển tiếp từ Zalo - nhóm Phòng GD Quỳnh Nhai]\n"
            "TB: Lịch trực cơ quan thứ 7, CN (9-10/10): đ/c Hùng, đ/c Mai. Đề nghị các đ/c "
            "có tên trực đúng giờ.",
            shape="phone",
        ),
        ("\\Seen", "$Forwarded"),
    )
    add(
        "u-calendar-invite",
        Msg(
            "Công đoàn ngành Giáo dục",
            "congdoan.gdqn@example.org",
            "Lời mời: Họp giao ban tháng 10 @ Th 6 15 thg 10, 2021 2pm - 4pm (ICT)",
            at(9, 8, 30),
            mid("u-cal", "calendar.example.com"),
            "Bạn đã được mời tham gia sự kiện sau.\nHọp giao ban tháng 10\n"
            "Khi nào: Th 6 15 thg 10, 2021",
            shape="calendar",
            calendar=files.calendar_ics(
                "giaoban-10@example.com",
                "Họp giao ban tháng 10",
                "20211015T070000Z",
                "20211015T090000Z",
                "congdoan.gdqn@example.org",
            ),
            extra=["Sender: Google Calendar <calendar-notification@example.com>"],
        ),
    )
    add(
        "u-facebook-notification",
        Msg(
            "Facebook",
            "notification@facebookmail.example.com",
            "Nhóm Giáo viên Quỳnh Nhai có bài viết mới",
            at(10, 21, 40),
            mid("u-fb", "facebookmail.example.com"),
            html_body="<html><body><table><tr><td>Nhóm <b>Giáo viên Quỳnh Nhai</b>: Lò Văn Hùng đã "
            "đăng ảnh Tuần lễ học tập suốt đời ở trường.</td></tr></table></body></html>",
            shape="html",
            extra=[
                "List-Unsubscribe: <https://www.facebook.example.com/o.php?k=AS1>",
                "X-Facebook-Notify: group_activity",
                "Precedence: bulk",
            ],
        ),
    )
    add(
        "u-zalo-notification",
        Msg(
            "Zalo",
            "no-reply@zalo.example.com",
            "Bạn có 3 tin nhắn mới từ nhóm Tổ Văn phòng",
            at(11, 12, 0),
            mid("u-zalo-notif", "zalo.example.com"),
            html_body="<p>Bạn có 3 tin nhắn chưa đọc. Mở Zalo để xem.</p>",
            shape="html",
            extra=["Auto-Submitted: auto-generated"],
        ),
    )
    add(
        "u-shopping-receipt",
        Msg(
            "Shopee",
            "info@mail.shopee.example.com",
            "Đơn hàng #211010ABC đã giao thành công",
            at(10, 18, 2),
            mid("u-shopee", "shopee.example.com"),
            html_body="<html><body><h2>Cảm ơn bạn đã mua sắm!</h2><p>Máy in Canon LBP2900 x1: "
            "3.150.000đ</p></body></html>",
            shape="html",
            extra=["List-Unsubscribe: <mailto:unsub@shopee.example.com>"],
        ),
        READ,
    )
    add(
        "u-online-invoice-pdf",
        Msg(
            "Tiki",
            "hotro@tiki.example.com",
            "Hóa đơn điện tử cho đơn hàng 7788123",
            at(12, 7, 10),
            mid("u-tiki", "tiki.example.com"),
            "Quý khách vui lòng xem hóa đơn điện tử đính kèm.",
            files=[Attachment("HoaDon_7788123.pdf", files.pdf_stub("Hoa don"), PDF)],
        ),
    )
    add(
        "u-social-insurance",
        Msg(
            "BHXH huyện Quỳnh Nhai",
            "bhxh.quynhnhai@example.net",
            "Thông báo kết quả đóng BHXH, BHYT tháng 9/2021",
            at(5, 9, 0),
            mid("u-bhxh"),
            "BHXH huyện thông báo kết quả đóng BHXH, BHYT tháng 9/2021 của đơn vị. Đề nghị đơn "
            "vị đối chiếu.",
            shape="outlook",
            signature_logo=True,
        ),
        READ,
    )
    add(
        "u-insurance-renewal",
        Msg(
            "Bảo Việt Nhân thọ",
            "cskh@baoviet.example.com",
            "Nhắc phí bảo hiểm kỳ tháng 10",
            at(7, 8, 0),
            mid("u-baoviet"),
            "Kính gửi Quý khách, hợp đồng số 0099 đến hạn đóng phí.",
        ),
    )
    add(
        "u-adult-literacy-table",
        Msg(
            "Hội Khuyến học huyện",
            "hoikhuyenhoc.quynhnhai@example.org",
            "Thống kê lớp xóa mù chữ năm 2021",
            at(12, 14, 50),
            mid("u-xmc"),
            "Hội Khuyến học gửi phòng số liệu các lớp XMC để tổng hợp báo cáo phổ cập.",
            files=[Attachment("Document1.docx", files.adult_literacy_docx(), DOCX)],
        ),
    )
    add(
        "u-learner-list",
        Msg(
            "Trung tâm Ngoại ngữ - Tin học",
            "nnth.sonla@example.net",
            "Danh sách học viên",
            at(9, 17, 30),
            mid("u-dshv"),
            "Gửi phòng danh sách học viên lớp tin học khóa 3.",
            files=[Attachment("Danh sách học viên.xlsx", files.learners_xlsx())],
        ),
    )
    add(
        "u-newsletter",
        Msg(
            "Thư viện Giáo án",
            "newsletter@giaoan.example.net",
            "Tài liệu mới tuần này cho giáo viên",
            at(11, 5, 0),
            mid("u-news", "giaoan.example.net"),
            html_body="<p>10 giáo án điện tử mới. <a href='https://giaoan.example.net'>Xem</a></p>",
            shape="html",
            extra=["List-Id: <news.giaoan.example.net>", "Precedence: list"],
        ),
    )
    add(
        "u-security-alert",
        Msg(
            "Google",
            "no-reply@accounts.example.com",
            "Cảnh báo bảo mật",
            at(13, 22, 1),
            mid("u-google", "accounts.example.com"),
            html_body="<p>Có lượt đăng nhập mới vào tài khoản của bạn trên thiết bị Android.</p>",
            shape="html",
        ),
        READ,
    )
    add(
        "u-family-photo",
        Msg(
            "Chị Hằng",
            "hang.lo1980@example.com",
            "ảnh đám cưới em Tú",
            at(10, 20, 0),
            mid("u-photo"),
            "Chị gửi ảnh nhé em",
            files=[Attachment("IMG_2021.jpg", files.JPEG_STUB, JPEG)],
            shape="phone",
        ),
        ("\\Seen", "\\Flagged", "Gia_dinh"),
    )
    add(
        "u-bank-balance",
        Msg(
            "Vietcombank",
            "vcbdigibank@vcb.example.com",
            "Thông báo biến động số dư",
            at(11, 7, 33),
            mid("u-bank", "vcb.example.com"),
            "Số dư TK 0123xxx thay đổi +9.874.000 VND lúc 11/10/2021 07:33. ND: LUONG T10",
        ),
    )
    add(
        "u-emulation-call",
        Msg(
            "Phòng Nội vụ huyện",
            "noivu.quynhnhai@example.org",
            "V/v nộp hồ sơ thi đua khen thưởng năm học 2020-2021",
            at(6, 10, 10),
            mid("u-tdkt"),
            "Phòng Nội vụ đề nghị nộp hồ sơ trước 20/10/2021.",
            files=[Attachment("Document1.docx", files.emulation_docx(), DOCX)],
            shape="outlook",
        ),
    )
    t0 = at(4, 9, 0)
    thread = gmail_quote(
        t0 + timedelta(days=1),
        "Đinh Văn Hùng",
        "hungdv.pgd@example.com",
        "Anh thấy lịch thế là ổn.\n\n"
        + gmail_quote(
            t0,
            "Điêu Thị Mai",
            "dieumai.pgd@example.com",
            "Em dự kiến lịch kiểm tra nội bộ: tuần 2 TH, tuần 3 THCS.",
        ),
    )
    add(
        "u-long-thread-inspection",
        Msg(
            "Điêu Thị Mai",
            "dieumai.pgd@example.com",
            "Re: Re: Lịch kiểm tra nội bộ trường học",
            at(6, 8, 20),
            mid("u-kiemtra"),
            "Em chốt lịch nhé anh chị.\n\n" + thread,
            in_reply_to="<CAkt-2@mail.example.com>",
            references=["<CAkt-1@mail.example.com>", "<CAkt-2@mail.example.com>"],
            cc=[("Đinh Văn Hùng", "hungdv.pgd@example.com")],
        ),
        READ,
    )
    add(
        "u-covid-dispatch-forward",
        Msg(
            "Nguyễn Văn Sơn",
            "sonnv.pgd@example.com",
            "FW: Công văn 1234/SGDĐT-VP về tăng cường phòng chống dịch COVID-19",
            at(5, 11, 0),
            mid("u-covid", "ex.example.net"),
            "Chuyển chị Mai.\n\n"
            + outlook_block(
                at(5, 9, 0),
                "Văn phòng Sở GD&ĐT",
                "vanphong@sogddt-sonla.example.org",
                "Các phòng GD&ĐT",
                "Công văn 1234/SGDĐT-VP",
                "Sở gửi công văn.",
            ),
            files=[Attachment("scan0001.pdf", files.pdf_stub("CV 1234"), PDF)],
            shape="outlook",
        ),
        ("\\Seen", "\\Answered"),
    )
    add(
        "u-parent-unaccented",
        Msg(
            "Phu huynh",
            "phuhuynh.lop5a@example.com",
            "lich hop phu huynh",
            at(7, 21, 12),
            mid("u-phuhuynh"),
            "co oi cho em hoi lich hop phu huynh lop 5A la ngay nao a",
            shape="phone",
        ),
    )
    add(
        "u-sports-signup",
        Msg(
            "Phòng Tài chính - Kế hoạch",
            "tckh.quynhnhai@example.org",
            "Đăng ký tham gia hội thao công đoàn",
            at(8, 8, 8),
            mid("u-hoithao"),
            "Gửi các phòng mẫu đăng ký.",
            files=[Attachment("Book1.xlsx", files.sports_signup_xlsx())],
        ),
    )
    add(
        "u-youtube-notification",
        Msg(
            "YouTube",
            "noreply@youtube.example.com",
            "Kênh VTV7 vừa tải lên: Học tiếng Anh lớp 3",
            at(12, 19, 0),
            mid("u-yt", "youtube.example.com"),
            html_body="<p>VTV7 vừa tải lên một video.</p>",
            shape="html",
            extra=["List-Unsubscribe: <https://youtube.example.com/unsub>"],
        ),
    )
    add(
        "u-colleague-short-note",
        Msg(
            "Mai",
            "dieumai.pgd@example.com",
            "mai hop may gio a",
            at(11, 21, 45),
            mid("u-note"),
            "c ơi mai họp mấy giờ ạ, e đi muộn chút đc ko",
            shape="phone",
        ),
    )
    add(
        "u-received-other-mail",
        Msg(
            "Văn phòng UBND xã Mường Sại",
            ADDR["xa-muong-sai"],
            "Re: Lịch trực cơ quan",
            at(9, 9, 9),
            mid("u-dnd-lichtruc"),
            "đã nhận được ạ\n\n"
            + gmail_quote(at(8, 19, 0), OFFICE_NAME, OFFICE, "Gửi các xã lịch trực."),
            in_reply_to="<CAlichtruc@mail.example.org>",
            references=["<CAlichtruc@mail.example.org>"],
        ),
    )
    add(
        "u-other-district-meeting",
        Msg(
            "Phòng GD&ĐT Mường La",
            "phonggd.muongla@example.org",
            "Trao đổi kinh nghiệm sử dụng phần mềm quản lý trường học",
            at(13, 14, 14),
            mid("u-muongla"),
            "Phòng GD&ĐT Mường La xin lịch sang trao đổi kinh nghiệm ạ.",
            shape="outlook",
        ),
    )
    return out


def ambiguous_letters() -> list[Letter]:
    """Roster units sending a file with no campaign word and no Appendix 2 table."""
    out: list[Letter] = []

    def add(key: str, unit: str, msg: Msg, flags: tuple[str, ...] = UNREAD) -> None:
        out.append(Letter(key, "ambiguous", msg, flags, unit))

    add(
        "a-chiengkhay-scan",
        "xa-chieng-khay",
        Msg(
            "UBND xã Chiềng Khay",
            ADDR["xa-chieng-khay"],
            "gửi phòng ạ",
            at(12, 16, 16),
            mid("a-chiengkhay"),
            "Xã gửi phòng văn bản ạ.",
            files=[Attachment("scan0001.pdf", files.pdf_stub("scan"), PDF)],
        ),
    )
    add(
        "a-mnmuonggiang-photo",
        "mn-muong-giang",
        Msg(
            "MN Mường Giàng",
            ADDR["mn-muong-giang"],
            "Fwd: ảnh",
            at(13, 11, 11),
            mid("a-mn-photo"),
            "",
            files=[Attachment("IMG_2021.jpg", files.JPEG_STUB, JPEG)],
            shape="phone",
        ),
        READ,
    )
    add(
        "a-thcs-bare-numbers",
        "thcs-muong-giang",
        Msg(
            "THCS Mường Giàng",
            ADDR["thcs-muong-giang"],
            None,
            at(11, 13, 20),
            mid("a-thcs-numbers"),
            "Gửi phòng",
            files=[Attachment("Book1.xlsx", files.stray_numbers_xlsx())],
        ),
    )
    add(
        "a-muongsai-cover-letter",
        "xa-muong-sai",
        Msg(
            "UBND xã Mường Sại",
            ADDR["xa-muong-sai"],
            "V/v gửi văn bản",
            at(12, 9, 45),
            mid("a-muongsai-doc"),
            "Kính gửi Phòng GD&ĐT, UBND xã gửi văn bản như đính kèm.",
            files=[
                Attachment("Document1.docx", files.cover_letter_docx(NAMES["xa-muong-sai"]), DOCX)
            ],
            shape="outlook",
        ),
        ("$label2",),
    )
    add(
        "a-ptdtbt-bc-scan",
        "ptdtbt-thcs-nam-et",
        Msg(
            "PTDTBT THCS Nậm Ét",
            ADDR["ptdtbt-thcs-nam-et"],
            "bc",
            at(14, 14, 2),
            mid("a-ptdtbt-bc"),
            "",
            html_body="<div dir='ltr'><br></div>",
            files=[Attachment("scan0001.pdf", files.pdf_stub("bc"), PDF)],
            shape="html",
        ),
        ("\\Flagged",),
    )
    return out


def question_letters() -> list[Letter]:
    """Mentions the campaign but only asks where the form is; no file."""
    return [
        Letter(
            "q-where-is-the-form",
            "ambiguous",
            Msg(
                "UBND xã Chiềng Khay",
                ADDR["xa-chieng-khay"],
                "mẫu biểu báo cáo tuần lễ lấy ở đâu ạ?",
                at(9, 15, 5),
                mid("q-form"),
                "Chị ơi mẫu biểu báo cáo tuần lễ học tập suốt đời lấy ở đâu ạ? Xã chưa nhận được "
                "công văn.",
                shape="phone",
            ),
            UNREAD,
            "xa-chieng-khay",
            question=True,
        )
    ]


def first_batch() -> list[Letter]:
    """Everything in the inbox before mailbot's first poll."""
    return campaign_letters() + unrelated_letters() + ambiguous_letters() + question_letters()


def second_batch(receipts: dict[str, tuple[str, str]]) -> list[Letter]:
    """Replies written in the threads of the receipts: {letter key: (receipt id, subject)}."""
    out: list[Letter] = []
    rid, subj = receipts["c-muonggiang-unaccented"]
    v = vals(301)
    out.append(
        Letter(
            "c-muonggiang-correction",
            "campaign",
            Msg(
                "UBND xa Muong Giang",
                ADDR["xa-muong-giang"],
                "Re: " + subj,
                at(15, 8, 30),
                mid("c-muonggiang-fix"),
                "Xã gửi lại file đã sửa số liệu mục 1 ạ.\n\n"
                + gmail_quote(at(14, 9, 0), OFFICE_NAME, OFFICE, "Phòng đã nhận báo cáo."),
                files=[
                    Attachment("Book1_sua.xlsx", files.appendix2_xlsx(NAMES["xa-muong-giang"], v))
                ],
                in_reply_to=rid,
                references=[mid("c-muonggiang-unaccented"), rid],
            ),
            UNREAD,
            "xa-muong-giang",
            v,
        )
    )
    for key, text, name in (
        ("c-chiengon-vv", "đã nhận được ạ", "u-thanks-received"),
        ("c-namet-htmlonly-nosubject", "Cảm ơn phòng ạ!", "u-thanks-phong"),
    ):
        rid, subj = receipts[key]
        unit = next(x.unit for x in campaign_letters() if x.key == key)
        assert unit is not None
        out.append(
            Letter(
                name,
                "unrelated",
                Msg(
                    NAMES[unit],
                    ADDR[unit],
                    "Re: " + subj,
                    at(15, 9, 0),
                    mid(name),
                    text
                    + "\n\n"
                    + gmail_quote(at(14, 9, 0), OFFICE_NAME, OFFICE, "Phòng đã nhận báo cáo."),
                    in_reply_to=rid,
                    references=[mid(key), rid],
                    shape="phone" if "nhận" in text else "gmail",
                ),
            )
        )
    return out
