"""Letters that must not change a unit's values: bad files, spoofs, auto-replies, bounces.

Also a signed PDF or broken re-send after a good report, and containers (S/MIME, zip) and
links. Each function appends letters to a `Builder` with what must come of them.
"""

from __future__ import annotations

import io
import zipfile

from tests.redmail import forms
from tests.redmail.clients import (
    XLSX,
    File,
    Mail,
    apple_mail,
    gmail_web,
    outlook_desktop,
    yahoo,
)
from tests.redmail.model import ADDRS, NAMES, PLAN_ID, PLAN_SUBJECT, Builder, at
from tests.redmail.oddities import (
    bounce,
    nameless_attachment,
    no_from,
    plain_text,
    smime_signed,
)
from tests.redmail.rawmime import Auth, Delivery


def bad_files(b: Builder) -> None:
    cases = [
        (
            "foreign-spreadsheet",
            "xa-chieng-khoang",
            "DS hoc sinh lop 5A.xlsx",
            forms.foreign_xlsx(),
            ("gửi lại",),
        ),
        (
            "encrypted",
            "th-thcs-chieng-khoang",
            "Bieu PL2 TH&THCS Chieng Khoang.xlsx",
            forms.encrypted_xlsx(NAMES["th-thcs-chieng-khoang"]),
            ("mật khẩu",),
        ),
        (
            "truncated",
            "gdnn-gdtx-quynh-nhai",
            "PL2_GDNN-GDTX.xlsx",
            forms.truncated_xlsx(NAMES["gdnn-gdtx-quynh-nhai"]),
            ("gửi lại",),
        ),
        (
            "xml-bomb",
            "th-muong-giang",
            "PL2 TH Muong Giang.xlsx",
            forms.billion_laughs_xlsx(NAMES["th-muong-giang"]),
            ("gửi lại",),
        ),
        (
            "rar-archive",
            "mn-chieng-on",
            "Bao cao PL2.rar",
            b"Rar!\x1a\x07\x01\x00" + bytes(range(256)) * 4,
            (".xlsx",),
        ),
    ]
    for i, (key, code, name, data, words) in enumerate(cases):
        ctype = "application/x-rar-compressed" if name.endswith(".rar") else XLSX
        m = b.reply(
            code,
            at(13, 15, i),
            [File(name, data, ctype)],
            "Đơn vị gửi báo cáo.",
            f"<CAJx7bad{i}@mail.gmail.example.com>",
        )
        b.add(key, m, gmail_web(m), receipt_to=m.from_addr, bad_file=name, fix_words=words)


def no_answer(b: Builder) -> None:
    code = "ptdtbt-thcs-nam-et"  # spoofed: Gmail says dmarc=fail on top, a forged pass below
    _v, x = b.report(code)
    m = b.reply(
        code,
        at(13, 22, 0),
        [File("PL2 PTDTBT Nam Et.xlsx", x)],
        "Gửi báo cáo.",
        "<spoof-7781@example.net>",
    )
    how = Delivery(
        "bulk@example.net",
        "example.test",
        Auth(dkim="none", spf="softfail", dmarc="fail", forged_pass_below=True),
    )
    b.add("spoofed", m, gmail_web(m), how)

    # DKIM and SPF both fail, no DMARC policy; an ARC-Authentication-Results "pass" sits above.
    _v, x = b.report("mn-chieng-khay")
    m = b.reply(
        "mn-chieng-khay",
        at(13, 22, 30),
        [File("PL2 MN Chieng Khay.xlsx", x)],
        "Gửi báo cáo.",
        "<spoof-7782@example.net>",
    )
    how = Delivery(
        "bulk@example.net",
        "example.test",
        Auth(dkim="fail", spf="fail", dmarc="none", arc_pass=True),
    )
    b.add("spoofed-dkim-spf-fail", m, gmail_web(m), how)

    code = "mn-chieng-khay"  # Gmail vacation responder answering the office's reminder
    m = Mail(
        "MN Chiềng Khay",
        ADDRS[code],
        "Trả lời tự động: " + PLAN_SUBJECT,
        at(12, 7, 0),
        "<CAJx7vac@mail.gmail.example.com>",
        "Tôi đang nghỉ phép đến hết ngày 20/10/2021, xin liên hệ lại sau.",
        in_reply_to=PLAN_ID,
        references=[PLAN_ID],
        extra=["Auto-Submitted: auto-replied"],
    )
    b.add("vacation-auto-reply", m, plain_text(m))
    m = Mail(
        "UBND xã Chiềng Khoang",
        ADDRS["xa-chieng-khoang"],
        "Trả lời Tự động: " + PLAN_SUBJECT,
        at(12, 7, 30),
        "<SG2PR01MB4431OOF@SG2PR01MB4431.apcprd01.prod.example.com>",
        "Tôi đang đi công tác.",
        in_reply_to=PLAN_ID,
        extra=[
            "X-Auto-Response-Suppress: All",
            "X-MS-Exchange-Inbox-Rules-Loop: ubnd.chiengkhoang@example.org",
        ],
    )
    b.add("outlook-out-of-office", m, plain_text(m))

    # A bounce that returns a unit's filled report whole: it must not be booked for that unit.
    _v, x = b.report("xa-chieng-khoang")
    orig = Mail(
        "UBND xã Chiềng Khoang",
        ADDRS["xa-chieng-khoang"],
        "Báo cáo PL2",
        at(13, 16, 0),
        "<CAJx7orig@mail.gmail.example.com>",
        "Gửi báo cáo.",
        [File("PL2 Chieng Khoang.xlsx", x)],
        to="Phòng GD <phonggd.quynhnhai@example.org.invalid>",
    )
    text = bounce(
        "mailer-daemon@example.org",
        "phonggd.quynhnhai@example.org.invalid",
        at(13, 16, 1),
        "<bounce-5511@example.org>",
        gmail_web(orig),
    )
    m = Mail(
        "Mail Delivery Subsystem",
        "mailer-daemon@example.org",
        "Delivery Status Notification (Failure)",
        at(13, 16, 1),
        "<bounce-5511@example.org>",
        "",
    )
    b.add("bounce", m, text, Delivery("", "example.org"))

    m = Mail(
        "Bản tin Giáo dục Sơn La",
        "bantin@lists.example.org",
        "[Bản tin GD] Số 41: Hướng dẫn nhiệm vụ năm học",
        at(12, 6, 0),
        "<list-41@lists.example.org>",
        "Kính gửi quý thầy cô, bản tin tuần này...",
        extra=[
            "List-Id: Ban tin GD <bantin.lists.example.org>",
            "List-Unsubscribe: <mailto:leave@lists.example.org>",
            "Precedence: list",
        ],
    )
    b.add("mailing-list", m, plain_text(m))

    b.seed += 1
    x = forms.report_xlsx("", forms.report_values(b.seed))
    m = Mail(
        "",
        "",
        "Scan to email",
        at(14, 6, 0),
        "<scan-0001@scanner.example.net>",
        "Scanned document",
        [File("scan0001.xlsx", x)],
    )
    b.add(
        "no-from",
        m,
        no_from(m),
        Delivery("scanner@example.net", "example.net", Auth(dkim="none", dmarc="none")),
    )


def later_mail_without_values(b: Builder) -> None:
    """A signed PDF or a broken re-send after a good report: answered, values kept."""
    pdf = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    m = Mail(
        "Văn phòng UBND xã Chiềng Bằng",
        ADDRS["xa-chieng-bang"],
        "Bản ký đóng dấu báo cáo PL2 xã Chiềng Bằng",
        at(14, 9, 0),
        "<SG2PR01MB4431PDF@SG2PR01MB4431.apcprd01.prod.example.com>",
        "Gửi bản scan có dấu.",
        [File("Báo cáo PL2 đã ký.pdf", pdf, "application/pdf")],
    )
    b.add(
        "signed-pdf-later",
        m,
        outlook_desktop(m),
        receipt_to=m.from_addr,
        fix_words=("Báo cáo PL2 đã ký.pdf",),
    )
    m = Mail(
        "Ubnd Mường Giôn",
        ADDRS["xa-muong-gion"],
        "Gửi lại báo cáo PL2 Mường Giôn",
        at(14, 10, 0),
        "<1234567890.7654321.1634180000000@mail.yahoo.example.com>",
        "Gửi lại bản sửa.",
        [File("Báo cáo PL2 Mường Giôn (sửa).xlsx", forms.truncated_xlsx(NAMES["xa-muong-gion"]))],
    )
    b.add(
        "broken-resend-later",
        m,
        yahoo(m),
        receipt_to=m.from_addr,
        bad_file="Báo cáo PL2 Mường Giôn (sửa).xlsx",
        fix_words=("gửi lại",),
    )


def containers_and_links(b: Builder) -> None:
    """S/MIME, a zip, a nameless Office part, a Drive link, a Mac Numbers file in NFD."""
    code = "th-nam-et"
    v, x = b.report(code)
    m = b.reply(
        code,
        at(13, 8, 20),
        [File("Phụ lục 2 TH Nậm Ét.xlsx", x)],
        "Trường TH Nậm Ét gửi báo cáo (thư có chữ ký số).",
        "<000001d7c0aa$1b2c3d40$51e6b7c0$@example.test>",
    )
    b.add("smime-signed", m, smime_signed(m), books=code, receipt_to=m.from_addr)
    b.s.values[code] = v

    code = "thcs-chieng-khay"
    v, x = b.report(code)
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("Báo cáo Tuần lễ/Phụ lục 2 - THCS Chiềng Khay.xlsx", x)
        z.writestr("Báo cáo Tuần lễ/Phụ lục 1.docx", forms.narrative_docx(NAMES[code]))
    m = b.reply(
        code,
        at(14, 11, 0),
        [File("Bao cao Tuan le.zip", packed.getvalue(), "application/x-zip-compressed")],
        "Trường gửi file nén.",
        "<CAJx7zip@mail.gmail.example.com>",
    )
    b.add("zip-archive", m, gmail_web(m), books=code, receipt_to=m.from_addr)
    b.s.values[code] = v

    code = "th-ca-nang"
    v, x = b.report(code)
    m = b.reply(
        code,
        at(14, 12, 0),
        [File("", x)],
        "Trường TH Cà Nàng gửi báo cáo.",
        "<nameless-77@example.test>",
    )
    b.add("nameless-office-part", m, nameless_attachment(m), books=code, receipt_to=m.from_addr)
    b.s.values[code] = v

    m = b.reply(
        "thcs-chieng-on",
        at(14, 13, 0),
        [],
        "File nặng quá em gửi link ạ: "
        "https://drive.google.com/file/d/1AbCdEfGhIjKlMnOpQrStUvWxYz/view?usp=sharing",
        "<CAJx7link@mail.gmail.example.com>",
    )
    b.add("drive-link", m, gmail_web(m), receipt_to=m.from_addr, fix_words=("đính kèm",))

    numbers = io.BytesIO()
    with zipfile.ZipFile(numbers, "w") as z:
        z.writestr("Index/Document.iwa", bytes(range(200)))
        z.writestr("Metadata/Properties.plist", "<plist/>")
    name = "Báo cáo PL2 Mầm non Cà Nàng.numbers"
    m = b.reply(
        "mn-ca-nang",
        at(14, 14, 0),
        [File(name, numbers.getvalue(), "application/x-iwork-numbers-sffnumbers")],
        "Trường MN Cà Nàng gửi báo cáo.",
        "<B1C2D3E4-mac@example.test>",
    )
    b.add(
        "mac-numbers-nfd",
        m,
        apple_mail(m),
        receipt_to=m.from_addr,
        bad_file=name,
        fix_words=(".xlsx",),
    )
