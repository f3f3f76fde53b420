"""The held-out mailbox's model: the roster, a letter and its expected outcome, the builder.

Owns the data shapes the scenario is written in (Letter, Scenario) and `Builder`, which turns
a client's message text into the bytes Gmail holds and records what must come of it. The
letters themselves are in letters_good.py and letters_bad.py; mailbox.build() runs them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from tests.redmail import forms
from tests.redmail.clients import File, Mail
from tests.redmail.rawmime import Delivery, delivered

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
    (
        "gdnn-gdtx-quynh-nhai",
        "Trung tâm GDNN-GDTX huyện Quỳnh Nhai",
        ["gdnn-gdtx.quynhnhai@example.test"],
    ),
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


def at(day: int, hour: int, minute: int = 0, tz: timezone = ICT) -> datetime:
    return datetime(2021, 10, day, hour, minute, tzinfo=tz)


def _domain(addr: str) -> str:
    return addr.rsplit("@", 1)[1].lower()


class Builder:
    """Accumulates letters and expected values while the scenario is written down."""

    def __init__(self) -> None:
        self.s = Scenario()
        self.seed = 0

    def report(self, code: str, **kw: object) -> tuple[forms.Values, bytes]:
        """Fresh exact values for `code` and its filled .xlsx."""
        self.seed += 1
        values = forms.report_values(self.seed, note=kw.pop("note", None))  # type: ignore[arg-type]
        return values, forms.report_xlsx(NAMES[code], values, **kw)  # type: ignore[arg-type]

    def add(
        self, key: str, mail: Mail, text: str, how: Delivery | None = None, **exp: object
    ) -> Letter:
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

    def reply(
        self, code: str, when: datetime, files: list[File], text: str, msgid: str, **kw: object
    ) -> Mail:
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
