"""Outgoing messages: receipts, summary, reminders and alerts — headers, structure and words."""

from __future__ import annotations

import email
import email.policy
import re
import unicodedata
from datetime import datetime
from email.message import EmailMessage
from html.parser import HTMLParser

import pytest

from mailbot.messages.compose import (
    FileOutcome,
    ReceiptContent,
    compose_alert,
    compose_receipt,
    compose_reminder,
    compose_summary,
    days_left_text,
    make_message_id,
    progress_bar,
    reply_subject,
)
from tests.support.outputs import CAMPAIGN, FORM, MUONG_GIANG, TZ, UNITS, WARNING, sample_rollup

OFFICE = "Phòng GD&ĐT Quỳnh Nhai"
BOT = {"from_addr": "baocao@pgd.example.org", "from_name": OFFICE}
XLSX = b"PK\x03\x04 workbook bytes"


def receipt_content(**changes) -> ReceiptContent:
    """A receipt for Mường Giàng's readable report, with fields overridden by `changes`."""
    base = {
        "form": FORM,
        "campaign_name": CAMPAIGN.name,
        "office_name": OFFICE,
        "deadline": CAMPAIGN.deadline,
        "unit_name": "UBND xã Mường Giàng",
        "files": [FileOutcome("bao-cao-muong-giang.xlsx", "read")],
        "values": MUONG_GIANG,
        "warnings": [WARNING],
        "late": False,
        "links": [],
        "received_at": datetime(2021, 10, 14, 9, 15, tzinfo=TZ),
    }
    return ReceiptContent(**{**base, **changes})


def receipt(
    content: ReceiptContent | None = None, subject: str = "Báo cáo tuần lễ"
) -> EmailMessage:
    """A composed receipt replying to a message with one earlier reference."""
    return compose_receipt(
        content or receipt_content(),
        to_addr="vanthu@muonggiang.example.org",
        in_reply_to="<abc@muonggiang.example.org>",
        references="<root@muonggiang.example.org>",
        original_subject=subject,
        message_id="<receipt.1@pgd.example.org>",
        **BOT,
    )


def bodies(msg: EmailMessage) -> tuple[str, str]:
    """The plain-text and HTML bodies of a message, after a round trip through bytes."""
    parsed = email.message_from_bytes(msg.as_bytes(), policy=email.policy.default)
    text = parsed.get_body(("plain",)).get_content()
    html = parsed.get_body(("html",)).get_content()
    return text, html


class _Tags(HTMLParser):
    """Collects every tag and attribute of an HTML document."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs += [(name, value or "") for name, value in attrs]


def assert_safe_html(html: str) -> None:
    """HTML a webmail shows as is: no scripts, no style blocks, no external resources."""
    parser = _Tags()
    parser.feed(html)
    assert not parser.tags & {"script", "style", "link", "img", "iframe", "object", "embed"}
    assert not [
        a for a in parser.attrs if a[0] in ("src", "href", "background") or a[0].startswith("on")
    ]
    assert not [v for name, v in parser.attrs if name == "style" and "url(" in v]


def test_message_id_is_deterministic():
    """The same kind and key give the same id; another key another id."""
    one = make_message_id("receipt", "msg-42", "pgd.example.org")
    assert one == make_message_id("receipt", "msg-42", "pgd.example.org")
    assert one != make_message_id("receipt", "msg-43", "pgd.example.org")
    assert re.fullmatch(r"<receipt\.[0-9a-f]{32}@pgd\.example\.org>", one)


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("Báo cáo tuần lễ", "Re: Báo cáo tuần lễ"),
        ("Re: Báo cáo", "Re: Báo cáo"),
        ("RE: Báo cáo", "RE: Báo cáo"),
        ("Trả lời: Báo cáo", "Trả lời: Báo cáo"),
        ("", "Re: Xác nhận"),
    ],
)
def test_reply_subject(original, expected):
    """A reply prefix is added once; an empty subject replies under the fallback."""
    assert reply_subject(original, "Xác nhận") == expected


def test_receipt_threads_under_original():
    """The receipt carries In-Reply-To and References = old refs + the original id."""
    msg = receipt()
    assert (msg["In-Reply-To"], msg["References"]) == (
        "<abc@muonggiang.example.org>",
        "<root@muonggiang.example.org> <abc@muonggiang.example.org>",
    )


def test_receipt_headers():
    """Subject, Message-ID, RFC 3834 Auto-Submitted and the From display name are set."""
    parsed = email.message_from_bytes(receipt().as_bytes(), policy=email.policy.default)
    got = {k: str(parsed[k]) for k in ("Subject", "Message-ID", "Auto-Submitted", "From", "To")}
    assert got == {
        "Subject": "Re: Báo cáo tuần lễ",
        "Message-ID": "<receipt.1@pgd.example.org>",
        "Auto-Submitted": "auto-replied",
        "From": "Phòng GD&ĐT Quỳnh Nhai <baocao@pgd.example.org>",
        "To": "vanthu@muonggiang.example.org",
    }


def test_receipt_is_alternative_text_and_html():
    """The receipt is multipart/alternative with UTF-8 text and HTML parts."""
    msg = receipt()
    parts = [(p.get_content_type(), p.get_content_charset()) for p in msg.iter_parts()]
    assert (msg.get_content_type(), parts) == (
        "multipart/alternative",
        [("text/plain", "utf-8"), ("text/html", "utf-8")],
    )


def test_receipt_lists_files_unit_values_and_warnings():
    """A read report's receipt names the file, the unit, the values and each warning."""
    text, html = bodies(receipt())
    for body in (text, html):
        assert "bao-cao-muong-giang.xlsx" in body
        assert "Báo cáo đã được ghi nhận cho đơn vị:" in body
        assert "1.340" in body and "15.000.000" in body and "Thi vẽ tranh về sách" in body
        assert "Mục 1: Tổng số lớp (12) khác tổng các dòng chi tiết (10)" in body
        assert "tệp gửi sau sẽ thay thế tệp này" in body
    assert "[1.1] Bồi dưỡng nâng cao trình độ chuyên môn nghiệp vụ" in text
    assert "Số lớp/số cuộc thi: 10; Người: 1.340" in text
    assert "ngoại ngữ cho cán bộ, công chức, viên chức (các cấp) (lớp/người): " in text
    assert "(lớp/người): Số lớp/số cuộc thi: —; Người: —\n  [1.3]" in text


def test_receipt_says_late_after_deadline():
    """A late report's receipt says it arrived after the deadline; an on-time one does not."""
    late_text, _ = bodies(receipt(receipt_content(late=True)))
    on_time_text, _ = bodies(receipt())
    assert "sau hạn nộp (15/10/2021 17:00)" in late_text
    assert "sau hạn nộp" not in on_time_text


def test_receipt_for_unreadable_files_explains_each():
    """When nothing could be read, each file's reason and what to send instead are given."""
    files = [
        FileOutcome("bao-cao.xls", "unreadable", "Tệp bị hỏng, không mở được."),
        FileOutcome("anh-chup.heic", "ignored", "Tệp ảnh không phải biểu báo cáo."),
    ]
    text, html = bodies(receipt(receipt_content(files=files, values=None, warnings=[])))
    for body in (text, html):
        assert "chưa đọc được số liệu" in body
        assert "bao-cao.xls" in body and "Tệp bị hỏng, không mở được." in body
        assert "anh-chup.heic" in body and "Tệp ảnh không phải biểu báo cáo." in body
        assert "dạng tệp Excel (.xlsx) hoặc Word (.docx)" in body
        assert "Số liệu đọc được" not in body


def test_receipt_for_signed_copy_only_asks_for_the_table():
    """A message with only a PDF acknowledges the signed copy and asks for the .xlsx/.docx."""
    files = [FileOutcome("bao-cao-da-ky.pdf", "signed_copy")]
    text, _ = bodies(receipt(receipt_content(files=files, values=None, warnings=[])))
    assert "đã nhận bản ký/đóng dấu" in text
    assert "bao-cao-da-ky.pdf" in text
    assert "gửi thêm biểu Phụ lục 2 dạng tệp Excel (.xlsx) hoặc Word (.docx)" in text


def test_receipt_for_links_asks_to_attach():
    """A message with links instead of files is asked to attach the file."""
    links = ["https://drive.example.com/file/d/abc"]
    text, _ = bodies(receipt(receipt_content(files=[], values=None, warnings=[], links=links)))
    assert "https://drive.example.com/file/d/abc" in text
    assert "đính kèm trực tiếp tệp biểu Phụ lục 2" in text


def test_receipt_without_unit_says_so():
    """A report not booked to any unit says the office will check it."""
    text, _ = bodies(receipt(receipt_content(unit_name=None)))
    assert text.startswith("Kính gửi: Quý đơn vị,")
    assert "chưa xác định được thư này là của đơn vị nào" in text


def test_receipt_html_is_safe_and_escaped():
    """Receipt HTML has no scripts or external resources, and escapes sender-controlled text."""
    files = [FileOutcome("<img src=x>.xlsx", "read")]
    _, html = bodies(receipt(receipt_content(files=files)))
    assert_safe_html(html)
    assert "&lt;img src=x&gt;.xlsx" in html


def test_progress_bar_text():
    """The text bar fills in proportion."""
    assert [progress_bar(0, 4, 8), progress_bar(1, 4, 8), progress_bar(4, 4, 8)] == [
        "[--------]",
        "[##------]",
        "[########]",
    ]


def summary() -> EmailMessage:
    """The summary of the sample roll-up with a workbook attached."""
    return compose_summary(
        sample_rollup(),
        XLSX,
        to_addrs=["vanphong@pgd.example.org"],
        message_id="<summary.1@pgd.example.org>",
        **BOT,
    )


def test_summary_headers_and_attachment():
    """The summary has its subject, auto-generated mark and the workbook attached."""
    msg = summary()
    attachments = [
        (a.get_filename(), a.get_content_type(), a.get_content()) for a in msg.iter_attachments()
    ]
    assert msg["Subject"] == (
        "Tổng hợp báo cáo Tuần lễ hưởng ứng học tập suốt đời năm 2021: "
        "2/3 đơn vị (16/10/2021 08:30)"
    )
    assert msg["Auto-Submitted"] == "auto-generated"
    assert attachments == [
        (
            "tong-hop-2021-10-16.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            XLSX,
        )
    ]


def test_summary_text_reports_progress_gaps_and_totals():
    """The text body has the bar, news, missing/late units, warnings, problems and totals."""
    text, _ = bodies(summary())
    for needle in (
        "[#############-------] 2/3 đơn vị đã nộp (67%)",
        "Mới nhận từ lần tổng hợp trước (15/10/2021 08:00):\n"
        "  - UBND xã Chiềng Bằng (nhận lúc 15/10/2021 20:05)",
        "Đơn vị chưa nộp (1):\n  - Trường PTDTBT THCS Nậm Ét",
        "Đơn vị nộp muộn (1):\n  - UBND xã Chiềng Bằng",
        "+ Tổng số lớp (12) khác tổng các dòng chi tiết (10)",
        "Tệp không đọc được: Trường PTDTBT THCS Nậm Ét (thcs@namet.example.org)",
        "Chưa xác định được đơn vị: nguoigui@example.net",
        "viên chức (các cấp) (lớp/người): Số lớp/số cuộc thi: 13; Người: 1.385\n  [1.2]",
        "[10.1] Ngân sách nhà nước (đồng): 16.500.000",
        "      UBND xã Chiềng Bằng: Tọa đàm khuyến học",
    ):
        assert needle in text


def test_summary_html_draws_bar_and_totals():
    """The HTML body draws the bar as a two-cell table and shows the totals."""
    _, html = bodies(summary())
    assert_safe_html(html)
    assert 'width="67%"' in html and "background:#2e7d32" in html
    assert "16.500.000" in html and "1.385" in html
    assert "Trường PTDTBT THCS Nậm Ét" in html


def test_summary_bodies_are_nfc():
    """Every body the summary carries is NFC."""
    text, html = bodies(summary())
    assert unicodedata.is_normalized("NFC", text) and unicodedata.is_normalized("NFC", html)


def reminder(days_left: int) -> EmailMessage:
    """A reminder to Nậm Ét with `days_left` days left."""
    return compose_reminder(
        UNITS[2],
        CAMPAIGN,
        XLSX,
        days_left,
        to_addrs=list(UNITS[2].emails),
        message_id="<reminder.1@pgd.example.org>",
        **BOT,
    )


def test_reminder_names_deadline_and_attaches_blank_form():
    """The reminder greets the unit, gives the deadline and attaches the blank form."""
    msg = reminder(2)
    text, html = bodies(msg)
    attachments = [(a.get_filename(), a.get_content()) for a in msg.iter_attachments()]
    assert text.startswith("Kính gửi: Trường PTDTBT THCS Nậm Ét,")
    assert "trước 15/10/2021 17:00" in text and "còn 2 ngày nữa là đến hạn" in text
    assert text.rstrip().endswith("Thư gửi tự động từ hệ thống nhận báo cáo.")
    assert "Trân trọng." in text
    assert attachments == [("phu-luc-2-bieu-tong-hop.xlsx", XLSX)]
    assert msg["To"] == "thcs@namet.example.org"
    assert_safe_html(html)


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (3, "còn 3 ngày nữa là đến hạn"),
        (0, "hôm nay là ngày cuối cùng của hạn nộp"),
        (-2, "đã quá hạn 2 ngày"),
    ],
)
def test_days_left_wording(days, words):
    """Days before, on and after the deadline are worded differently."""
    assert days_left_text(days) == words


def test_overdue_reminder_asks_for_haste():
    """An overdue reminder asks the unit to send the report promptly."""
    text, _ = bodies(reminder(-1))
    assert "đã quá hạn 1 ngày. Kính đề nghị đơn vị khẩn trương gửi báo cáo." in text


def test_alert_is_plain_text():
    """An alert is a single UTF-8 text part with a marked subject."""
    msg = compose_alert(
        "Thư bị cách ly",
        "Thư của nguoigui@example.net có tệp nghi ngờ không an toàn.",
        to_addrs=["vanphong@pgd.example.org"],
        message_id="<alert.1@pgd.example.org>",
        **BOT,
    )
    assert (msg.get_content_type(), msg["Subject"], msg["Auto-Submitted"]) == (
        "text/plain",
        "[Cảnh báo] Thư bị cách ly",
        "auto-generated",
    )
    assert "có tệp nghi ngờ không an toàn" in msg.get_content()


def test_date_header_when_given():
    """A Date header is written when a date is passed in."""
    msg = compose_alert(
        "x",
        "y",
        to_addrs=["a@example.org"],
        message_id="<a@example.org>",
        date=datetime(2021, 10, 16, 8, 30, tzinfo=TZ),
        **BOT,
    )
    assert msg["Date"] == "Sat, 16 Oct 2021 08:30:00 +0700"
