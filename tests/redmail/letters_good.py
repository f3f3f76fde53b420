"""Letters that carry a report: every client shape, corrections, duplicates, odd senders.

Each function appends letters to a `Builder` with the values its unit must end up holding.
"""

from __future__ import annotations

from datetime import UTC

from tests.redmail import forms
from tests.redmail.clients import (
    DOCX,
    File,
    Mail,
    android_gmail,
    gmail_web,
    iphone,
    outlook_desktop,
    thunderbird,
    yahoo,
)
from tests.redmail.model import ADDRS, NAMES, PLAN_ID, Builder, at
from tests.redmail.oddities import (
    forward_as_attachment,
)
from tests.redmail.rawmime import Delivery, delivered


def good_reports(b: Builder) -> None:
    code = "xa-muong-giang"
    v, x = b.report(code, note="Tổ chức Ngày hội đọc sách tại nhà văn hóa bản")
    m = b.reply(
        code,
        at(12, 8, 12),
        [File("Phụ lục 2 - Biểu tổng hợp xã Mường Giàng.xlsx", x)],
        "Kính gửi Phòng GD&ĐT,\nUBND xã Mường Giàng gửi báo cáo Phụ lục 2.",
        "<CAJx7mg01@mail.gmail.example.com>",
    )
    b.add("gmail-web", m, gmail_web(m, logo=True), books=code, receipt_to=m.from_addr)
    b.s.values[code] = v

    code = "xa-chieng-bang"
    v, x = b.report(code)
    m = Mail(
        "Văn phòng UBND xã Chiềng Bằng",
        ADDRS[code],
        "Báo cáo tuần lễ học tập suốt đời - xã Chiềng Bằng",
        at(12, 2, 15, UTC),
        "<SG2PR01MB4431C1B2A9@SG2PR01MB4431.apcprd01.prod.example.com>",
        "Kính gửi Phòng Giáo dục và Đào tạo,\n"
        "Xã Chiềng Bằng gửi biểu tổng hợp số liệu (Phụ lục 2).\nTrân trọng!",
        [File("Phụ lục 2 - Báo cáo tuần lễ học tập suốt đời xã Chiềng Bằng.xlsx", x)],
    )
    b.add("outlook", m, outlook_desktop(m), books=code, receipt_to=m.from_addr)
    b.s.values[code] = v

    code = "xa-chieng-khay"
    b.seed += 1
    v = forms.report_values(b.seed, note="Phát động quyên góp sách cho thư viện trường")
    d = forms.report_docx(NAMES[code], v)
    m = b.reply(
        code,
        at(12, 9, 40),
        [File("Phụ lục 2 - Biểu tổng hợp số liệu Tuần lễ HTSĐ xã Chiềng Khay.docx", d, DOCX)],
        "Kính gửi Phòng,\nXã Chiềng Khay gửi Phụ lục 2 ạ.",
        "<0c9e2f1a-77b4-4c1e-9d65-thunderbird@example.org>",
    )
    m.extra.append("Auto-Submitted: no")  # explicitly not automatic: must be answered
    b.add("thunderbird-docx", m, thunderbird(m), books=code, receipt_to=m.from_addr)
    b.s.values[code] = v

    code = "xa-chieng-on"
    v, x = b.report(code)
    m = Mail(
        "UBND Chiềng Ơn",
        ADDRS[code],
        "Bc PL2 Chiềng Ơn",
        at(13, 7, 5),
        "<9A3F1C2E-5B6D-4E7F-8091-A2B3C4D5E6F7@example.org>",
        "Gửi phòng báo cáo PL2 ạ",
        [File("Phụ lục 2 Chiềng Ơn.xlsx", x)],
    )
    b.add("iphone-inline", m, iphone(m), books=code, receipt_to=m.from_addr)
    b.s.values[code] = v

    code = "xa-muong-gion"
    v, x = b.report(code, as_text=True)
    m = Mail(
        "Ubnd Mường Giôn",
        ADDRS[code],
        "Báo cáo Phụ lục 2 xã Mường Giôn",
        at(13, 3, 12, UTC),
        "<1234567890.1234567.1634094765123@mail.yahoo.example.com>",
        "Kính gửi phòng GD, xã gửi báo cáo.",
        [File("Báo cáo PL2 Mường Giôn.xlsx", x)],
    )
    b.add("yahoo", m, yahoo(m), books=code, receipt_to=m.from_addr)
    b.s.values[code] = v

    code = "xa-pa-ma-pha-khinh"
    v, x = b.report(code)
    files = [
        File("Phụ lục 1 - Báo cáo kết quả Tuần lễ.docx", forms.narrative_docx(NAMES[code]), DOCX),
        File("Phụ lục 2 - Biểu tổng hợp.xlsx", x),
    ]
    m = b.reply(
        code,
        at(13, 10, 0),
        files,
        "Xã Pá Ma Pha Khinh gửi Phụ lục 1 và Phụ lục 2.",
        "<CAJx7pmpk@mail.gmail.example.com>",
    )
    b.add("appendix-1-and-2", m, gmail_web(m), books=code, receipt_to=m.from_addr)
    b.s.values[code] = v

    code = "th-chieng-on"
    v, x = b.report(code)
    m = Mail(
        "TH Chiềng Ơn",
        ADDRS[code],
        "",
        at(14, 20, 31),
        "<CAKz9zalo01@mail.gmail.example.com>",
        "Em gửi file báo cáo từ Zalo ạ",
        [File("1634212345678_Bieu PL2 TH Chieng On.xlsx", x)],
    )
    b.add("zalo-share", m, android_gmail(m), books=code, receipt_to=m.from_addr)
    b.s.values[code] = v


def corrections_and_duplicates(b: Builder) -> None:
    code = "xa-muong-sai"
    _first, x = b.report(code)
    first = b.reply(
        code,
        at(12, 9, 0),
        [File("PL2 Mường Sại.xlsx", x)],
        "Xã Mường Sại gửi báo cáo.",
        "<CAJx7ms01@mail.gmail.example.com>",
    )
    b.add("correction-first", first, gmail_web(first), books=code, receipt_to=first.from_addr)
    v, x = b.report(code)
    # The correction is a reply to the unit's own first mail; its Date is in UTC (10:30 ICT).
    second = Mail(
        first.from_name,
        first.from_addr,
        first.subject,
        at(13, 3, 30, UTC),
        "<CAJx7ms02@mail.gmail.example.com>",
        "Xin gửi lại biểu đã sửa số liệu mục 1, đề nghị dùng bản này.\n\n"
        "> Xã Mường Sại gửi báo cáo.",
        [File("PL2 Mường Sại (sửa).xlsx", x)],
        in_reply_to=first.message_id,
        references=[PLAN_ID, first.message_id],
    )
    b.add("correction-second", second, gmail_web(second), books=code, receipt_to=second.from_addr)
    b.s.values[code] = v

    code = "xa-nam-et"
    v, x = b.report(code)
    m = b.reply(
        code,
        at(12, 15, 20),
        [File("Bieu tong hop PL2 xa Nam Et.xlsx", x)],
        "Xã Nậm Ét gửi báo cáo.",
        "<CAJx7ne01@mail.gmail.example.com>",
    )
    text = gmail_web(m)
    # Once more byte for byte, and once through the unit's alias that forwards to the office
    # (same Message-ID, other trace headers).
    alias = Delivery(
        m.from_addr, "example.org", delivered_to="baocao.phonggd@example.org", delay_s=40
    )
    again = (
        delivered(text, m.when, Delivery(m.from_addr, "example.org")),
        delivered(text, m.when, alias),
    )
    b.add("same-mail-twice", m, text, books=code, receipt_to=m.from_addr, copies=again)
    b.s.values[code] = v


def odd_senders(b: Builder) -> None:
    code = "xa-muong-chien"  # the chairman forwards the commune's mail as an attachment
    v, x = b.report(code)
    inner = Mail(
        "UBND xã Mường Chiên",
        ADDRS[code],
        "Báo cáo PL2 xã Mường Chiên",
        at(12, 16, 0),
        "<CAJx7mc01@mail.gmail.example.com>",
        "Gửi anh báo cáo để chuyển phòng.",
        [File("PL2 Mường Chiên.xlsx", x)],
        to="Chủ tịch UBND xã <chutich.muongchien@example.net>",
    )
    outer = Mail(
        "Lò Văn Thắng",
        "chutich.muongchien@example.net",
        "Fwd: Báo cáo PL2 xã Mường Chiên",
        at(13, 8, 0),
        "<5f0e8c1d-fwd@example.net>",
        "Chuyển Phòng báo cáo của UBND xã Mường Chiên.",
    )
    b.add(
        "forward-as-attachment",
        outer,
        forward_as_attachment(outer, gmail_web(inner)),
        books=code,
        receipt_to=outer.from_addr,
    )
    b.s.values[code] = v

    code = "xa-ca-nang"  # display name in Vietnamese encoded-words
    v, x = b.report(code)
    m = b.reply(
        code,
        at(13, 14, 0),
        [File("PL2_CaNang.xlsx", x)],
        "Cà Nàng gửi báo cáo.",
        "<CAJx7cn01@mail.gmail.example.com>",
        from_name="Văn thư UBND xã Cà Nàng (Quàng Thị Nguyệt)",
    )
    b.add("encoded-display-name", m, gmail_web(m), books=code, receipt_to=m.from_addr)
    b.s.values[code] = v

    code = "mn-muong-giang"  # Reply-To set to the teacher's own address; sent after the deadline
    v, x = b.report(code)
    m = b.reply(
        code,
        at(16, 9, 0),
        [File("Phụ lục 2 MN Mường Giàng.xlsx", x)],
        "Trường MN Mường Giàng gửi muộn, mong phòng thông cảm.",
        "<CAJx7mnmg@mail.gmail.example.com>",
        reply_to="=?UTF-8?B?Q8O0IEzDsiBUaOG7iyBIb2E=?= <hoalt.mnmg@example.net>",
    )
    b.add(
        "reply-to-elsewhere",
        m,
        gmail_web(m),
        books=code,
        receipt_to="hoalt.mnmg@example.net",
        late=True,
    )
    b.s.values[code] = v

    code = "th-chieng-bang"  # upper-case address (the head teacher's, the roster's second one)
    v, x = b.report(code)
    m = b.reply(
        code,
        at(14, 7, 45),
        [File("PL2 TH Chieng Bang.xlsx", x)],
        "Trường TH Chiềng Bằng gửi báo cáo.",
        "<SG2PR01MB9001THCB@SG2PR01MB9001.apcprd01.prod.example.com>",
        from_addr="HIEUTRUONG.THCHIENGBANG@EXAMPLE.TEST",
    )
    b.add("upper-case-sender", m, outlook_desktop(m), books=code, receipt_to=m.from_addr)
    b.s.values[code] = v

    code = "thcs-muong-giang"  # a teacher's own address (DKIM pass); the form names the school
    v, x = b.report(code)
    m = Mail(
        "Lê Thị Thủy",
        "lethuy.gv@example.net",
        "Báo cáo PL2 Trường THCS Mường Giàng",
        at(14, 21, 10),
        "<CAJx7gv01@mail.gmail.example.com>",
        "Em gửi thay nhà trường ạ.",
        [File("PL2 THCS MG.xlsx", x)],
    )
    b.add("unknown-address-known-unit", m, gmail_web(m), books=code, receipt_to=m.from_addr)
    b.s.values[code] = v

    b.seed += 1  # a school of another district: kept for the office, answered, never booked
    x = forms.report_xlsx("Trường Tiểu học Tân Lập", forms.report_values(b.seed))
    m = Mail(
        "Nguyễn Văn An",
        "an.nguyen.tl@example.net",
        "Báo cáo PL2",
        at(13, 11, 0),
        "<CAJx7str@mail.gmail.example.com>",
        "Gửi báo cáo.",
        [File("PL2 TH Tan Lap.xlsx", x)],
    )
    b.add("stranger-unassigned", m, gmail_web(m), receipt_to=m.from_addr)
