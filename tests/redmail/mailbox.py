"""The held-out mailbox: a roster, the letters units really send, and what must come of each.

Owns the scenario as data: every letter (raw bytes as it sits in Gmail, its Date, its
Message-ID) with its expected outcome (the unit it books and the values, whether and where a
receipt goes, which bad file the receipt must name), and the roll-up the office must get.
Builds with rawmime/clients/forms only.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from tests.redmail import forms
from tests.redmail.clients import (
    DOCX,
    XLSX,
    File,
    Mail,
    android_gmail,
    apple_mail,
    nameless_attachment,
    smime_signed,
    bounce,
    forward_as_attachment,
    gmail_web,
    iphone,
    no_from,
    outlook_desktop,
    plain_text,
    thunderbird,
    yahoo,
)
from tests.redmail.rawmime import Auth, Delivery, delivered

ICT = timezone(timedelta(hours=7))
OFFICE = "phonggd.quynhnhai@example.org"
SUMMARY_TO = ("lanhdao.phonggd@example.org", "vanthu.phonggd@example.org")
PLAN_ID = "<kh-tuanle-htsd-2021-10-05@example.org>"
PLAN_SUBJECT = "V/v báo cáo kết quả tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2021"
QUOTE = (
    "\n\nVào Th 3, 5 thg 10, 2021 vào lúc 08:00 Phòng GD&ĐT Quỳnh Nhai <"
    + OFFICE
    + "> đã viết:\n> Kính gửi các đơn vị,\n> Đề nghị các đơn vị gửi Phụ lục 1, Phụ lục 2 "
    "trước ngày 15/10/2021.\n"
)

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
    (
        "th-chieng-bang",
        "Trường Tiểu học Chiềng Bằng",
        ["th.chiengbang@example.test", "hieutruong.thchiengbang@example.test"],
    ),
    ("thcs-muong-giang", "Trường THCS Mường Giàng", ["thcs.muonggiang@example.test"]),
    ("ptdtbt-thcs-nam-et", "Trường PTDTBT THCS Nậm Ét", ["ptdtbt.thcsnamet@example.test"]),
    ("th-thcs-chieng-khoang", "Trường TH&THCS Chiềng Khoang", ["ththcs.chiengkhoang@example.test"]),
    ("gdnn-gdtx-quynh-nhai", "Trung tâm GDNN-GDTX huyện Quỳnh Nhai", ["gdnn-gdtx.quynhnhai@example.test"]),
    ("th-muong-giang", "Trường Tiểu học Mường Giàng", ["th.muonggiang@example.test"]),
    ("th-chieng-on", "Trường Tiểu học Chiềng Ơn", ["th.chiengon@example.test"]),
    ("mn-chieng-khay", "Trường Mầm non Chiềng Khay", ["mn.chiengkhay@example.test"]),
    ("mn-chieng-on", "Trường Mầm non Chiềng Ơn", ["mn.chiengon@example.test"]),
    ("th-nam-et", "Trường Tiểu học Nậm Ét", ["th.namet@example.test"]),
    ("thcs-chieng-khay", "Trường THCS Chiềng Khay", ["thcs.chiengkhay@example.test"]),
    ("thcs-chieng-on", "Trường THCS Chiềng Ơn", ["thcs.chiengon@example.test"]),
    ("th-ca-nang", "Trường Tiểu học Cà Nàng", ["th.canang@example.test"]),
    ("mn-ca-nang", "Trường Mầm non Cà Nàng", ["mn.canang@example.test"]),
]
NAMES = {code: name for code, name, _ in ROSTER}
ADDRS = {code: emails[0] for code, _, emails in ROSTER}


@dataclass(frozen=True)
class Letter:
    """One message in the inbox and what must come of it."""

    key: str  # a short name used in failure reports
    raw: bytes
    date: datetime
    message_id: str
    subject: str  # decoded, as the clerk typed it
    references: tuple[str, ...] = ()
    books: str | None = None  # unit code booked by this message
    receipt_to: str | None = None  # where its one receipt goes; None: no receipt at all
    bad_file: str | None = None  # the file the receipt must name, with a fix
    fix_words: tuple[str, ...] = ()  # words the fix must contain (besides the file name)
    copies: tuple[bytes, ...] = ()  # further copies of this very mail (same Message-ID)
    late: bool = False


@dataclass
class Scenario:
    """The whole mailbox, with the expected current values of each unit."""

    letters: list[Letter] = field(default_factory=list)
    values: dict[str, forms.Values] = field(default_factory=dict)

    @property
    def missing(self) -> list[str]:
        """Roster codes (in roster order) that end with no booked report."""
        return [code for code, _, _ in ROSTER if code not in self.values]

    def receipt_letters(self) -> list[Letter]:
        """The letters that must get exactly one receipt."""
        return [x for x in self.letters if x.receipt_to]

    def silent_letters(self) -> list[Letter]:
        """The letters that must get no receipt."""
        return [x for x in self.letters if not x.receipt_to]


def _at(day: int, hour: int, minute: int = 0, tz: timezone = ICT) -> datetime:
    return datetime(2021, 10, day, hour, minute, tzinfo=tz)


def _domain(addr: str) -> str:
    return addr.rsplit("@", 1)[1].lower()


class _Builder:
    """Accumulates letters and expected values while the scenario is written down."""

    def __init__(self) -> None:
        self.s = Scenario()
        self.seed = 0

    def report(self, code: str, **kw: object) -> tuple[forms.Values, bytes]:
        """Fresh exact values for `code` and its filled .xlsx."""
        self.seed += 1
        values = forms.report_values(self.seed, note=kw.pop("note", None))  # type: ignore[arg-type]
        return values, forms.report_xlsx(NAMES[code], values, **kw)  # type: ignore[arg-type]

    def add(self, key: str, mail: Mail, text: str, how: Delivery | None = None, **exp: object) -> Letter:
        """Deliver `text` (what `mail`'s client wrote) and note what must come of it."""
        how = how or Delivery(mail.from_addr, _domain(mail.from_addr))
        letter = Letter(
            key=key,
            raw=delivered(text, mail.when, how),
            date=mail.when,
            message_id=mail.message_id,
            subject=mail.subject,
            references=tuple(mail.references),
            **exp,  # type: ignore[arg-type]
        )
        self.s.letters.append(letter)
        return letter

    def reply(self, code: str, when: datetime, files: list[File], text: str, msgid: str, **kw: object) -> Mail:
        """A unit's reply in the office's plan thread."""
        return Mail(
            from_name=str(kw.pop("from_name", "Văn thư " + NAMES[code])),
            from_addr=str(kw.pop("from_addr", ADDRS[code])),
            subject="Re: " + PLAN_SUBJECT,
            when=when,
            message_id=msgid,
            text=text + QUOTE,
            files=files,
            in_reply_to=PLAN_ID,
            references=[PLAN_ID],
            **kw,  # type: ignore[arg-type]
        )


def build() -> Scenario:
    """The held-out mailbox (deterministic)."""
    b = _Builder()
    _good_reports(b)
    _corrections_and_duplicates(b)
    _odd_senders(b)
    _bad_files(b)
    _no_answer(b)
    _later_mail_without_values(b)
    _containers_and_links(b)
    return b.s


def _good_reports(b: _Builder) -> None:
    code = "xa-muong-giang"
    v, x = b.report(code, note="Tổ chức Ngày hội đọc sách tại nhà văn hóa bản")
    m = b.reply(code, _at(12, 8, 12), [File("Phụ lục 2 - Biểu tổng hợp xã Mường Giàng.xlsx", x)],
                "Kính gửi Phòng GD&ĐT,\nUBND xã Mường Giàng gửi báo cáo Phụ lục 2.", "<CAJx7mg01@mail.gmail.example.com>")
    b.add("gmail-web", m, gmail_web(m, logo=True), books=code, receipt_to=m.from_addr)
    b.s.values[code] = v

    code = "xa-chieng-bang"
    v, x = b.report(code)
    m = Mail("Văn phòng UBND xã Chiềng Bằng", ADDRS[code], "Báo cáo tuần lễ học tập suốt đời - xã Chiềng Bằng",
             _at(12, 2, 15, timezone.utc), "<SG2PR01MB4431C1B2A9@SG2PR01MB4431.apcprd01.prod.example.com>",
             "Kính gửi Phòng Giáo dục và Đào tạo,\nXã Chiềng Bằng gửi biểu tổng hợp số liệu (Phụ lục 2).\nTrân trọng!",
             [File("Phụ lục 2 - Báo cáo tuần lễ học tập suốt đời xã Chiềng Bằng.xlsx", x)])
    b.add("outlook", m, outlook_desktop(m), books=code, receipt_to=m.from_addr)
    b.s.values[code] = v

    code = "xa-chieng-khay"
    b.seed += 1
    v = forms.report_values(b.seed, note="Phát động quyên góp sách cho thư viện trường")
    d = forms.report_docx(NAMES[code], v)
    m = b.reply(code, _at(12, 9, 40), [File("Phụ lục 2 - Biểu tổng hợp số liệu Tuần lễ HTSĐ xã Chiềng Khay.docx", d, DOCX)],
                "Kính gửi Phòng,\nXã Chiềng Khay gửi Phụ lục 2 ạ.", "<0c9e2f1a-77b4-4c1e-9d65-thunderbird@example.org>")
    m.extra.append("Auto-Submitted: no")  # explicitly not automatic: must be answered
    b.add("thunderbird-docx", m, thunderbird(m), books=code, receipt_to=m.from_addr)
    b.s.values[code] = v

    code = "xa-chieng-on"
    v, x = b.report(code)
    m = Mail("UBND Chiềng Ơn", ADDRS[code], "Bc PL2 Chiềng Ơn", _at(13, 7, 5),
             "<9A3F1C2E-5B6D-4E7F-8091-A2B3C4D5E6F7@example.org>", "Gửi phòng báo cáo PL2 ạ", [File("Phụ lục 2 Chiềng Ơn.xlsx", x)])
    b.add("iphone-inline", m, iphone(m), books=code, receipt_to=m.from_addr)
    b.s.values[code] = v

    code = "xa-muong-gion"
    v, x = b.report(code, as_text=True)
    m = Mail("Ubnd Mường Giôn", ADDRS[code], "Báo cáo Phụ lục 2 xã Mường Giôn", _at(13, 3, 12, timezone.utc),
             "<1234567890.1234567.1634094765123@mail.yahoo.example.com>", "Kính gửi phòng GD, xã gửi báo cáo.",
             [File("Báo cáo PL2 Mường Giôn.xlsx", x)])
    b.add("yahoo", m, yahoo(m), books=code, receipt_to=m.from_addr)
    b.s.values[code] = v

    code = "xa-pa-ma-pha-khinh"
    v, x = b.report(code)
    files = [File("Phụ lục 1 - Báo cáo kết quả Tuần lễ.docx", forms.narrative_docx(NAMES[code]), DOCX),
             File("Phụ lục 2 - Biểu tổng hợp.xlsx", x)]
    m = b.reply(code, _at(13, 10, 0), files, "Xã Pá Ma Pha Khinh gửi Phụ lục 1 và Phụ lục 2.", "<CAJx7pmpk@mail.gmail.example.com>")
    b.add("appendix-1-and-2", m, gmail_web(m), books=code, receipt_to=m.from_addr)
    b.s.values[code] = v

    code = "th-chieng-on"
    v, x = b.report(code)
    m = Mail("TH Chiềng Ơn", ADDRS[code], "", _at(14, 20, 31), "<CAKz9zalo01@mail.gmail.example.com>",
             "Em gửi file báo cáo từ Zalo ạ", [File("1634212345678_Bieu PL2 TH Chieng On.xlsx", x)])
    b.add("zalo-share", m, android_gmail(m), books=code, receipt_to=m.from_addr)
    b.s.values[code] = v


def _corrections_and_duplicates(b: _Builder) -> None:
    code = "xa-muong-sai"
    _first, x = b.report(code)
    first = b.reply(code, _at(12, 9, 0), [File("PL2 Mường Sại.xlsx", x)], "Xã Mường Sại gửi báo cáo.", "<CAJx7ms01@mail.gmail.example.com>")
    b.add("correction-first", first, gmail_web(first), books=code, receipt_to=first.from_addr)
    v, x = b.report(code)
    # The correction is a reply to the unit's own first mail; its Date is in UTC (10:30 ICT).
    second = Mail(first.from_name, first.from_addr, first.subject, _at(13, 3, 30, timezone.utc),
                  "<CAJx7ms02@mail.gmail.example.com>",
                  "Xin gửi lại biểu đã sửa số liệu mục 1, đề nghị dùng bản này.\n\n> Xã Mường Sại gửi báo cáo.",
                  [File("PL2 Mường Sại (sửa).xlsx", x)], in_reply_to=first.message_id,
                  references=[PLAN_ID, first.message_id])
    b.add("correction-second", second, gmail_web(second), books=code, receipt_to=second.from_addr)
    b.s.values[code] = v

    code = "xa-nam-et"
    v, x = b.report(code)
    m = b.reply(code, _at(12, 15, 20), [File("Bieu tong hop PL2 xa Nam Et.xlsx", x)], "Xã Nậm Ét gửi báo cáo.", "<CAJx7ne01@mail.gmail.example.com>")
    text = gmail_web(m)
    # Once more byte for byte, and once through the unit's alias that forwards to the office
    # (same Message-ID, other trace headers).
    alias = Delivery(m.from_addr, "example.org", delivered_to="baocao.phonggd@example.org", delay_s=40)
    again = (delivered(text, m.when, Delivery(m.from_addr, "example.org")), delivered(text, m.when, alias))
    b.add("same-mail-twice", m, text, books=code, receipt_to=m.from_addr, copies=again)
    b.s.values[code] = v


def _odd_senders(b: _Builder) -> None:
    code = "xa-muong-chien"  # the chairman forwards the commune's mail as an attachment
    v, x = b.report(code)
    inner = Mail("UBND xã Mường Chiên", ADDRS[code], "Báo cáo PL2 xã Mường Chiên", _at(12, 16, 0),
                 "<CAJx7mc01@mail.gmail.example.com>", "Gửi anh báo cáo để chuyển phòng.", [File("PL2 Mường Chiên.xlsx", x)],
                 to="Chủ tịch UBND xã <chutich.muongchien@example.net>")
    outer = Mail("Lò Văn Thắng", "chutich.muongchien@example.net", "Fwd: Báo cáo PL2 xã Mường Chiên", _at(13, 8, 0),
                 "<5f0e8c1d-fwd@example.net>", "Chuyển Phòng báo cáo của UBND xã Mường Chiên.")
    b.add("forward-as-attachment", outer, forward_as_attachment(outer, gmail_web(inner)), books=code, receipt_to=outer.from_addr)
    b.s.values[code] = v

    code = "xa-ca-nang"  # display name in Vietnamese encoded-words
    v, x = b.report(code)
    m = b.reply(code, _at(13, 14, 0), [File("PL2_CaNang.xlsx", x)], "Cà Nàng gửi báo cáo.", "<CAJx7cn01@mail.gmail.example.com>",
                from_name="Văn thư UBND xã Cà Nàng (Quàng Thị Nguyệt)")
    b.add("encoded-display-name", m, gmail_web(m), books=code, receipt_to=m.from_addr)
    b.s.values[code] = v

    code = "mn-muong-giang"  # Reply-To set to the teacher's own address; sent after the deadline
    v, x = b.report(code)
    m = b.reply(code, _at(16, 9, 0), [File("Phụ lục 2 MN Mường Giàng.xlsx", x)], "Trường MN Mường Giàng gửi muộn, mong phòng thông cảm.",
                "<CAJx7mnmg@mail.gmail.example.com>", reply_to="=?UTF-8?B?Q8O0IEzDsiBUaOG7iyBIb2E=?= <hoalt.mnmg@example.net>")
    b.add("reply-to-elsewhere", m, gmail_web(m), books=code, receipt_to="hoalt.mnmg@example.net", late=True)
    b.s.values[code] = v

    code = "th-chieng-bang"  # upper-case address (the head teacher's, the roster's second one)
    v, x = b.report(code)
    m = b.reply(code, _at(14, 7, 45), [File("PL2 TH Chieng Bang.xlsx", x)], "Trường TH Chiềng Bằng gửi báo cáo.",
                "<SG2PR01MB9001THCB@SG2PR01MB9001.apcprd01.prod.example.com>", from_addr="HIEUTRUONG.THCHIENGBANG@EXAMPLE.TEST")
    b.add("upper-case-sender", m, outlook_desktop(m), books=code, receipt_to=m.from_addr)
    b.s.values[code] = v

    code = "thcs-muong-giang"  # a teacher's own address (DKIM pass); the form names the school
    v, x = b.report(code)
    m = Mail("Lê Thị Thủy", "lethuy.gv@example.net", "Báo cáo PL2 Trường THCS Mường Giàng", _at(14, 21, 10),
             "<CAJx7gv01@mail.gmail.example.com>", "Em gửi thay nhà trường ạ.", [File("PL2 THCS MG.xlsx", x)])
    b.add("unknown-address-known-unit", m, gmail_web(m), books=code, receipt_to=m.from_addr)
    b.s.values[code] = v

    b.seed += 1  # a school of another district: kept for the office, answered, never booked
    x = forms.report_xlsx("Trường Tiểu học Tân Lập", forms.report_values(b.seed))
    m = Mail("Nguyễn Văn An", "an.nguyen.tl@example.net", "Báo cáo PL2", _at(13, 11, 0), "<CAJx7str@mail.gmail.example.com>",
             "Gửi báo cáo.", [File("PL2 TH Tan Lap.xlsx", x)])
    b.add("stranger-unassigned", m, gmail_web(m), receipt_to=m.from_addr)


def _bad_files(b: _Builder) -> None:
    cases = [
        ("foreign-spreadsheet", "xa-chieng-khoang", "DS hoc sinh lop 5A.xlsx", forms.foreign_xlsx(), ("gửi lại",)),
        ("encrypted", "th-thcs-chieng-khoang", "Bieu PL2 TH&THCS Chieng Khoang.xlsx",
         forms.encrypted_xlsx(NAMES["th-thcs-chieng-khoang"]), ("mật khẩu",)),
        ("truncated", "gdnn-gdtx-quynh-nhai", "PL2_GDNN-GDTX.xlsx", forms.truncated_xlsx(NAMES["gdnn-gdtx-quynh-nhai"]), ("gửi lại",)),
        ("xml-bomb", "th-muong-giang", "PL2 TH Muong Giang.xlsx", forms.billion_laughs_xlsx(NAMES["th-muong-giang"]), ("gửi lại",)),
        ("rar-archive", "mn-chieng-on", "Bao cao PL2.rar", b"Rar!\x1a\x07\x01\x00" + bytes(range(256)) * 4, (".xlsx",)),
    ]
    for i, (key, code, name, data, words) in enumerate(cases):
        ctype = "application/x-rar-compressed" if name.endswith(".rar") else XLSX
        m = b.reply(code, _at(13, 15, i), [File(name, data, ctype)], "Đơn vị gửi báo cáo.", f"<CAJx7bad{i}@mail.gmail.example.com>")
        b.add(key, m, gmail_web(m), receipt_to=m.from_addr, bad_file=name, fix_words=words)


def _no_answer(b: _Builder) -> None:
    code = "ptdtbt-thcs-nam-et"  # spoofed: Gmail says dmarc=fail on top, a forged pass below
    _v, x = b.report(code)
    m = b.reply(code, _at(13, 22, 0), [File("PL2 PTDTBT Nam Et.xlsx", x)], "Gửi báo cáo.", "<spoof-7781@example.net>")
    how = Delivery("bulk@example.net", "example.test", Auth(dkim="none", spf="softfail", dmarc="fail", forged_pass_below=True))
    b.add("spoofed", m, gmail_web(m), how)

    code = "mn-chieng-khay"  # Gmail vacation responder answering the office's reminder
    m = Mail("MN Chiềng Khay", ADDRS[code], "Trả lời tự động: " + PLAN_SUBJECT, _at(12, 7, 0), "<CAJx7vac@mail.gmail.example.com>",
             "Tôi đang nghỉ phép đến hết ngày 20/10/2021, xin liên hệ lại sau.", in_reply_to=PLAN_ID,
             references=[PLAN_ID], extra=["Auto-Submitted: auto-replied"])
    b.add("vacation-auto-reply", m, plain_text(m))
    m = Mail("UBND xã Chiềng Khoang", ADDRS["xa-chieng-khoang"], "Trả lời Tự động: " + PLAN_SUBJECT, _at(12, 7, 30),
             "<SG2PR01MB4431OOF@SG2PR01MB4431.apcprd01.prod.example.com>", "Tôi đang đi công tác.",
             in_reply_to=PLAN_ID, extra=["X-Auto-Response-Suppress: All", "X-MS-Exchange-Inbox-Rules-Loop: ubnd.chiengkhoang@example.org"])
    b.add("outlook-out-of-office", m, plain_text(m))

    # A bounce that returns a unit's filled report whole: it must not be booked for that unit.
    _v, x = b.report("xa-chieng-khoang")
    orig = Mail("UBND xã Chiềng Khoang", ADDRS["xa-chieng-khoang"], "Báo cáo PL2", _at(13, 16, 0), "<CAJx7orig@mail.gmail.example.com>",
                "Gửi báo cáo.", [File("PL2 Chieng Khoang.xlsx", x)], to="Phòng GD <phonggd.quynhnhai@example.org.invalid>")
    text = bounce("mailer-daemon@example.org", "phonggd.quynhnhai@example.org.invalid", _at(13, 16, 1), "<bounce-5511@example.org>", gmail_web(orig))
    m = Mail("Mail Delivery Subsystem", "mailer-daemon@example.org", "Delivery Status Notification (Failure)", _at(13, 16, 1),
             "<bounce-5511@example.org>", "")
    b.add("bounce", m, text, Delivery("", "example.org"))

    m = Mail("Bản tin Giáo dục Sơn La", "bantin@lists.example.org", "[Bản tin GD] Số 41: Hướng dẫn nhiệm vụ năm học", _at(12, 6, 0),
             "<list-41@lists.example.org>", "Kính gửi quý thầy cô, bản tin tuần này...",
             extra=["List-Id: Ban tin GD <bantin.lists.example.org>", "List-Unsubscribe: <mailto:leave@lists.example.org>", "Precedence: list"])
    b.add("mailing-list", m, plain_text(m))

    b.seed += 1
    x = forms.report_xlsx("", forms.report_values(b.seed))
    m = Mail("", "", "Scan to email", _at(14, 6, 0), "<scan-0001@scanner.example.net>", "Scanned document", [File("scan0001.xlsx", x)])
    b.add("no-from", m, no_from(m), Delivery("scanner@example.net", "example.net", Auth(dkim="none", dmarc="none")))


def _later_mail_without_values(b: _Builder) -> None:
    """A signed PDF or a broken re-send after a good report: answered, values kept."""
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    m = Mail("Văn phòng UBND xã Chiềng Bằng", ADDRS["xa-chieng-bang"], "Bản ký đóng dấu báo cáo PL2 xã Chiềng Bằng",
             _at(14, 9, 0), "<SG2PR01MB4431PDF@SG2PR01MB4431.apcprd01.prod.example.com>", "Gửi bản scan có dấu.",
             [File("Báo cáo PL2 đã ký.pdf", pdf, "application/pdf")])
    b.add("signed-pdf-later", m, outlook_desktop(m), receipt_to=m.from_addr, fix_words=("Báo cáo PL2 đã ký.pdf",))
    m = Mail("Ubnd Mường Giôn", ADDRS["xa-muong-gion"], "Gửi lại báo cáo PL2 Mường Giôn", _at(14, 10, 0),
             "<1234567890.7654321.1634180000000@mail.yahoo.example.com>", "Gửi lại bản sửa.",
             [File("Báo cáo PL2 Mường Giôn (sửa).xlsx", forms.truncated_xlsx(NAMES["xa-muong-gion"]))])
    b.add("broken-resend-later", m, yahoo(m), receipt_to=m.from_addr, bad_file="Báo cáo PL2 Mường Giôn (sửa).xlsx",
          fix_words=("gửi lại",))


def _containers_and_links(b: _Builder) -> None:
    """S/MIME, a zip, a nameless Office part, a Drive link, a Mac Numbers file in NFD."""
    code = "th-nam-et"
    v, x = b.report(code)
    m = b.reply(code, _at(13, 8, 20), [File("Phụ lục 2 TH Nậm Ét.xlsx", x)], "Trường TH Nậm Ét gửi báo cáo (thư có chữ ký số).",
                "<000001d7c0aa$1b2c3d40$51e6b7c0$@example.test>")
    b.add("smime-signed", m, smime_signed(m), books=code, receipt_to=m.from_addr)
    b.s.values[code] = v

    code = "thcs-chieng-khay"
    v, x = b.report(code)
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("Báo cáo Tuần lễ/Phụ lục 2 - THCS Chiềng Khay.xlsx", x)
        z.writestr("Báo cáo Tuần lễ/Phụ lục 1.docx", forms.narrative_docx(NAMES[code]))
    m = b.reply(code, _at(14, 11, 0), [File("Bao cao Tuan le.zip", packed.getvalue(), "application/x-zip-compressed")],
                "Trường gửi file nén.", "<CAJx7zip@mail.gmail.example.com>")
    b.add("zip-archive", m, gmail_web(m), books=code, receipt_to=m.from_addr)
    b.s.values[code] = v

    code = "th-ca-nang"
    v, x = b.report(code)
    m = b.reply(code, _at(14, 12, 0), [File("", x)], "Trường TH Cà Nàng gửi báo cáo.", "<nameless-77@example.test>")
    b.add("nameless-office-part", m, nameless_attachment(m), books=code, receipt_to=m.from_addr)
    b.s.values[code] = v

    m = b.reply("thcs-chieng-on", _at(14, 13, 0), [], "File nặng quá em gửi link ạ: "
                "https://drive.google.com/file/d/1AbCdEfGhIjKlMnOpQrStUvWxYz/view?usp=sharing", "<CAJx7link@mail.gmail.example.com>")
    b.add("drive-link", m, gmail_web(m), receipt_to=m.from_addr, fix_words=("đính kèm",))

    numbers = io.BytesIO()
    with zipfile.ZipFile(numbers, "w") as z:
        z.writestr("Index/Document.iwa", bytes(range(200)))
        z.writestr("Metadata/Properties.plist", "<plist/>")
    name = "Báo cáo PL2 Mầm non Cà Nàng.numbers"
    m = b.reply("mn-ca-nang", _at(14, 14, 0), [File(name, numbers.getvalue(), "application/x-iwork-numbers-sffnumbers")],
                "Trường MN Cà Nàng gửi báo cáo.", "<B1C2D3E4-mac@example.test>")
    b.add("mac-numbers-nfd", m, apple_mail(m), receipt_to=m.from_addr, bad_file=name, fix_words=(".xlsx",))
