"""read_message: headers, body, attached files from every client shape, forwards, links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mailbot.mail.mime import Attachment, IncomingMail, read_message
from tests.support.mailshapes import XLSX, bounce, report_email

SENDER = "vanthu.muonggiang@example.com"
NAME = "Báo cáo Phụ lục 2 - Trường Mầm non Mường Giàng.xlsx"
DATA = b"PK\x03\x04 workbook bytes"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def files_of(mail: IncomingMail) -> list[tuple[str, str, bytes, str]]:
    """The attachments as plain tuples, for whole-list asserts."""
    return [(a.filename, a.content_type, a.data, a.origin) for a in mail.attachments]


def test_gmail_encoded_word_inside_quoted_filename_is_decoded():
    """Gmail's RFC 2047 words inside a quoted filename give the Vietnamese name."""
    mail = read_message(report_email(SENDER, attachments=[(NAME, DATA)], client="gmail"))
    assert files_of(mail) == [(NAME, XLSX, DATA, "attachment")]


def test_thunderbird_rfc2231_continuations_are_joined():
    """Thunderbird's filename*0*/filename*1* pieces join into one decoded name."""
    raw = report_email(SENDER, attachments=[(NAME, DATA)], client="thunderbird")
    assert b"filename*1*=" in raw
    assert files_of(read_message(raw)) == [(NAME, XLSX, DATA, "attachment")]


def test_apple_inline_attachment_inside_alternative_is_found():
    """Apple Mail's inline-disposition file nested in multipart/alternative is a file."""
    mail = read_message(report_email(SENDER, attachments=[(NAME, DATA)], client="apple"))
    assert files_of(mail) == [(NAME, XLSX, DATA, "attachment")]


def test_phone_name_only_in_content_type_unquoted_encoded_word():
    """A phone's part with no Content-Disposition and an unquoted RFC 2047 name is a file."""
    raw = report_email(SENDER, attachments=[(NAME, DATA)], client="phone")
    assert b"Content-Disposition" not in raw
    assert files_of(read_message(raw)) == [(NAME, XLSX, DATA, "attachment")]


def test_raw_utf8_filename_is_decoded():
    """An unencoded 8-bit UTF-8 filename is read as UTF-8."""
    raw = report_email(
        SENDER, attachments=[(NAME, DATA)], client="thunderbird", filename_style="raw"
    )
    assert NAME.encode() in raw
    assert files_of(read_message(raw)) == [(NAME, XLSX, DATA, "attachment")]


def test_outlook_signature_logo_is_ignored():
    """Outlook's image001.png in multipart/related is decoration, not a file."""
    raw = report_email(SENDER, attachments=[(NAME, DATA)], client="outlook")
    assert b"image001.png" in raw
    assert files_of(read_message(raw)) == [(NAME, XLSX, DATA, "attachment")]


def test_gmail_pasted_picture_is_ignored():
    """A picture pasted into the text (inline, Content-ID, related) is not a file."""
    raw = report_email(SENDER, attachments=[(NAME, DATA)], pasted_image=True)
    assert b"image.png" in raw
    assert files_of(read_message(raw)) == [(NAME, XLSX, DATA, "attachment")]


def test_attached_photo_is_kept():
    """A photo sent as an attachment (a picture of the report) is a file."""
    photo = b"\xff\xd8\xff" + bytes(40_000)
    mail = read_message(report_email(SENDER, attachments=[("anh-bao-cao.jpg", photo)]))
    assert files_of(mail) == [("anh-bao-cao.jpg", "image/jpeg", photo, "attachment")]


def test_unnamed_office_part_gets_a_name_from_its_type():
    """A part with no file name but an Office content type is named tep-dinh-kem-1.xlsx."""
    mail = read_message(report_email(SENDER, attachments=[(None, DATA, XLSX)]))
    assert files_of(mail) == [("tep-dinh-kem-1.xlsx", XLSX, DATA, "attachment")]


def test_octet_stream_with_office_name_gets_office_type():
    """application/octet-stream named .docx is typed as a Word document."""
    raw = report_email(SENDER, attachments=[("bao-cao.docx", DATA, "application/octet-stream")])
    assert files_of(read_message(raw)) == [("bao-cao.docx", DOCX, DATA, "attachment")]


def test_office_type_without_extension_gets_one():
    """A file named without extension but typed as a workbook gets .xlsx."""
    mail = read_message(report_email(SENDER, attachments=[("Bao cao tuan le", DATA, XLSX)]))
    assert files_of(mail) == [("Bao cao tuan le.xlsx", XLSX, DATA, "attachment")]


def test_windows_path_in_filename_is_cut_to_base_name():
    """Old clients' full paths ("C:\\...\\x.xlsx") keep only the base name."""
    raw = report_email(SENDER, attachments=[("C:\\Users\\vt\\Desktop\\bc.xlsx", DATA)])
    assert files_of(read_message(raw)) == [("bc.xlsx", XLSX, DATA, "attachment")]


def test_forwarded_rfc822_files_and_original_sender():
    """A forward as message/rfc822 yields the original's files and sender."""
    raw = report_email("hieutruong@example.net", attachments=[(NAME, DATA)], forwarded_from=SENDER)
    mail = read_message(raw)
    assert (mail.forwarded_from, files_of(mail)) == (SENDER, [(NAME, XLSX, DATA, "forwarded")])


def test_forwarded_rfc822_text_is_not_the_body():
    """The forwarder's own words are the body; the original's text is not mixed in."""
    raw = report_email("hieutruong@example.net", body="Chuyển tiếp báo cáo.", forwarded_from=SENDER)
    assert read_message(raw).body_text == "Chuyển tiếp báo cáo."


def test_gmail_inline_forward_block_gives_original_sender():
    """Gmail's "Forwarded message" block names the original sender."""
    raw = report_email(
        "hieutruong@example.net",
        attachments=[(NAME, DATA)],
        forwarded_from=SENDER,
        forward="inline",
    )
    mail = read_message(raw)
    assert (mail.forwarded_from, files_of(mail)) == (SENDER, [(NAME, XLSX, DATA, "attachment")])


def test_outlook_original_message_counts_on_forward_subject():
    """Outlook's "-----Original Message-----" block is a forward when the subject says FW."""
    body = f"Gửi phòng.\n\n-----Original Message-----\nFrom: Văn thư [mailto:{SENDER}]\nSent: x"
    raw = report_email("hieutruong@example.net", subject="FW: Báo cáo", body=body)
    assert read_message(raw).forwarded_from == SENDER


def test_outlook_original_message_on_reply_is_not_a_forward():
    """The same block under a reply subject (RE:/TL:) is quoting, not forwarding."""
    body = f"Đã nhận.\n\n-----Original Message-----\nFrom: Văn thư [mailto:{SENDER}]\nSent: x"
    raw = report_email("hieutruong@example.net", subject="TL: Báo cáo", body=body)
    assert read_message(raw).forwarded_from is None


def test_headers_are_decoded():
    """Subject and sender name are decoded, addresses lower-cased, date aware."""
    raw = report_email(
        "VanThu.MuongGiang@Example.COM",
        subject="Báo cáo Phụ lục 2",
        from_name="Văn thư UBND xã Mường Giàng",
        date=datetime(2021, 10, 14, 16, 5, tzinfo=timezone(timedelta(hours=7))),
        message_id="<abc.123@mail.example.com>",
    )
    mail = read_message(raw)
    assert (mail.subject, mail.from_name, mail.from_addr, mail.message_id, mail.date) == (
        "Báo cáo Phụ lục 2",
        "Văn thư UBND xã Mường Giàng",
        "vanthu.muonggiang@example.com",
        "<abc.123@mail.example.com>",
        datetime(2021, 10, 14, 9, 5, tzinfo=UTC),
    )


def test_reply_headers_are_read():
    """Reply-To, Cc, In-Reply-To and References come back as addresses and ids."""
    raw = report_email(
        SENDER,
        extra_headers=[
            "Reply-To: Hiệu trưởng <HT@example.net>",
            "Cc: a@example.org, B <b@example.org>",
            "In-Reply-To: <req-1@mail.example.org>",
            "References: <req-0@mail.example.org>\r\n <req-1@mail.example.org>",
        ],
    )
    mail = read_message(raw)
    assert (mail.reply_to, mail.cc, mail.in_reply_to, mail.references) == (
        "ht@example.net",
        ["a@example.org", "b@example.org"],
        "<req-1@mail.example.org>",
        ["<req-0@mail.example.org>", "<req-1@mail.example.org>"],
    )


def test_date_minus_zero_means_utc():
    """A "-0000" date (zone unknown) comes back as UTC, not naive."""
    raw = report_email(SENDER).replace(
        b"Date: Thu, 14 Oct 2021 09:30:00 +0700", b"Date: Thu, 14 Oct 2021 02:30:00 -0000"
    )
    assert read_message(raw).date == datetime(2021, 10, 14, 2, 30, tzinfo=UTC)


def test_unreadable_date_is_none():
    """A date header that is not a date gives None."""
    raw = report_email(SENDER).replace(b"Date: Thu, 14 Oct 2021 09:30:00 +0700", b"Date: hom qua")
    assert read_message(raw).date is None


def test_plain_text_body_is_preferred():
    """With text/plain and text/html, the body is the plain text."""
    mail = read_message(report_email(SENDER, body="Dòng một.\nDòng hai."))
    assert mail.body_text == "Dòng một.\nDòng hai."


def test_html_only_body_becomes_text():
    """An HTML-only mail's body is its text without tags."""
    raw = report_email(SENDER, body="Xin gửi <b>báo cáo</b>.", client="apple")
    html_only = raw.replace(b"Content-Type: text/plain", b"Content-Type: text/x-ignored")
    assert read_message(html_only).body_text.startswith("Xin gửi báo cáo.")


def test_share_links_are_found_and_others_ignored():
    """Drive, OneDrive, SharePoint, Dropbox and Fshare links are kept; other links are not."""
    links = [
        "https://drive.google.com/file/d/1AbC/view?usp=sharing",
        "https://docs.google.com/spreadsheets/d/1XyZ/edit",
        "https://1drv.ms/x/s!AbCd",
        "https://truong.sharepoint.com/:x:/g/EaBc",
        "https://www.dropbox.com/s/abc/bc.xlsx?dl=0",
        "https://www.fshare.vn/file/ABC123",
    ]
    raw = report_email(SENDER, links=[*links, "https://www.example.com/tin-tuc"])
    assert read_message(raw).links == links


def test_safe_links_are_unwrapped():
    """An Outlook Safe Links wrapper gives the Drive link inside it."""
    wrapped = (
        "https://apc01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fdrive.google.com"
        "%2Ffile%2Fd%2F1AbC%2Fview&data=x"
    )
    raw = report_email(SENDER, links=[wrapped])
    assert read_message(raw).links == ["https://drive.google.com/file/d/1AbC/view"]


def test_bounce_headers_part_is_not_a_file():
    """A bounce's returned headers (text/rfc822-headers) are not an attachment."""
    mail = read_message(bounce(report_email(SENDER, attachments=[(NAME, DATA)])))
    assert mail.attachments == []


def test_broken_base64_does_not_raise():
    """A part whose base64 is damaged still gives a (best-effort) attachment."""
    raw = report_email(SENDER, attachments=[("bc.xlsx", b"A" * 300)])
    damaged = raw.replace(b"QUFB", b"Q!!B", 1)
    mail = read_message(damaged)
    assert [a.filename for a in mail.attachments] == ["bc.xlsx"]


def test_truncated_message_does_not_raise():
    """A message cut in the middle of a part still reads."""
    raw = report_email(SENDER, attachments=[(NAME, DATA * 200)])
    mail = read_message(raw[: len(raw) * 2 // 3])
    assert mail.from_addr == SENDER


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise(raw):
    """Any bytes at all give an IncomingMail."""
    assert isinstance(read_message(raw), IncomingMail)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_mutated_real_message_never_raises(data):
    """A real message with a random slice replaced by junk still reads."""
    raw = report_email(SENDER, attachments=[(NAME, DATA)], client="thunderbird")
    start = data.draw(st.integers(0, len(raw) - 1))
    end = data.draw(st.integers(start, min(len(raw), start + 40)))
    junk = data.draw(st.binary(max_size=40))
    assert isinstance(read_message(raw[:start] + junk + raw[end:]), IncomingMail)


VIETNAMESE = (
    "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
)
FILENAME_CHARS = VIETNAMESE + VIETNAMESE.upper() + "0123456789 -_()"
vietnamese_names = st.text(FILENAME_CHARS, min_size=1, max_size=80).map(str.strip).filter(bool)
any_letters = st.text(
    st.characters(categories=("L", "N"), exclude_characters="\x00"), min_size=1, max_size=40
)


@settings(max_examples=60, deadline=None)
@given(
    stem=st.one_of(vietnamese_names, any_letters),
    style=st.sampled_from(["2231", "2231-split", "2047", "2047-unquoted", "raw"]),
)
def test_any_filename_survives_every_encoding(stem, style):
    """Any NFC name comes back exactly through RFC 2231, RFC 2047 and raw UTF-8."""
    import unicodedata

    name = unicodedata.normalize("NFC", stem) + ".xlsx"
    raw = report_email(SENDER, attachments=[(name, DATA)], filename_style=style)
    assert [a.filename for a in read_message(raw).attachments] == [name]


def test_attachment_record_shape():
    """Attachment keeps name, type, bytes and origin as given."""
    assert Attachment("a.xlsx", XLSX, b"x", "zip:b.zip").origin == "zip:b.zip"
