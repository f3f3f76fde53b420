"""Is this mail the campaign's? The first question asked of every mail in an ordinary inbox.

The office's inbox is a person's Gmail: directives, other reports, questions, thanks, bills
and photos arrive beside the reports. `judge` decides from what one mail shows (its words,
its files' parse results, whether it answers our own mail, whether a roster unit sent it)
and the campaign's words from the form file (`Form.campaign`): 'campaign' mail goes on to
`decide`; 'unrelated' mail is left exactly as it was; 'ambiguous' mail (a roster unit's
file that is not the form, no campaign word) is shown to the office, never answered.
Pure: no store, no mailbox, no clock; thread membership comes in as a boolean.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from mailbot.forms import CampaignWords
from mailbot.ingest.filetext import file_paragraphs, is_narrative, match_key
from mailbot.mail.mime import Attachment, IncomingMail
from mailbot.mail.replies import says_confirmed
from mailbot.parsing.interpret import BLANK_FORM, NO_TABLE
from mailbot.parsing.model import ParseResult
from mailbot.parsing.normalize import fold
from mailbot.records import Unit
from mailbot.roster import unit_for_address, unit_for_name

CAMPAIGN = "campaign"
UNRELATED = "unrelated"
AMBIGUOUS = "ambiguous"

# Words of a short acknowledgement ("Dạ vâng, em cảm ơn ạ", "đã nhận, cảm ơn phòng ạ"),
# folded. A thread reply made only of these says nothing new; anything else ("đúng",
# "xác nhận", a question) keeps it flowing to `decide`.
_THANKS_WORDS = """a da vang em anh chi co thay ban phong quy cam on nhieu rat xin chan thanh
    nhan duoc roi ok oke okay thanks thank you tks thankyou ty tran trong kinh gui chao chuc
    ngay tot lanh suc khoe cac dong chi nhe nha ak ah uh um van thu bo phan"""
_THANKS = frozenset(_THANKS_WORDS.split())
# Words that make a reply more than thanks (folded, padded): about the figures, a request,
# a question without its mark, something still missing.
_MORE_THAN_THANKS = (
    " dung ",
    " sai ",
    " sua ",
    " nham ",
    " thieu ",
    " bo sung ",
    " so lieu ",
    " thay doi ",
    " de nghi ",
    " gui lai ",
    " chua ",
)
_THANKED = (" cam on ", " cam ow ", " thanks ", " thank you ", " tks ", " da nhan ")
_ASK = re.compile(r"(?<!\w)hỏi(?!\w)")
_MAX_THANKS_LINES = 8  # a thanks line and a signature typed without "--"
# Where the new text of a reply ends: quoted lines, the clients' "who wrote" and forward lines.
_QUOTE_HEAD = re.compile(
    r"^\s*(?:on .{0,200} wrote:|vào .{0,200} đã viết:|-{2,}\s*original message\s*-{2,}"
    r"|-{2,}\s*(?:thư gốc|forwarded message|thư đã chuyển tiếp|thư chuyển tiếp)\s*-{2,}"
    r"|begin forwarded message:|_{10,}|sent from my .*|được gửi từ .*)\s*$",
    re.IGNORECASE,
)
# The end of an attribution line a client wrapped ("…<phonggd@example.org> đã viết:").
_WROTE_END = re.compile(r"(?:wrote|đã viết|a écrit)\s*:\s*$", re.IGNORECASE)
_ATTRIBUTION_START = re.compile(r"^\s*(?:on|vào|le|am)\s", re.IGNORECASE)
# Outlook's header block of the mail answered: "From:/Từ:" then "Sent:/Đã gửi:/Date:".
_OUTLOOK_FROM = re.compile(r"^\s*\*?(?:from|từ)\s*:", re.IGNORECASE)
_OUTLOOK_NEXT = re.compile(r"^\s*\*?(?:sent|date|to|đã gửi|ngày|gửi|đến)\s*:", re.IGNORECASE)
_SIGNATURE = re.compile(r"^--\s*$")
# A subject taken over from earlier mail: a reply ("Re:", "TL:") or a forward ("Fwd:", "TL:").
_REPLY = re.compile(r"^\s*(?:re|tl|trả lời|aw|sv|antw|fwd?|tr|chuyển tiếp|ct)\s*:", re.IGNORECASE)
_WORD = re.compile(r"\w+")
# Words of sending something, folded: a subject of only these names no business of its own.
_SENDING_WORDS = """gui phong file files tep van ban v vv tai lieu em a anh chi xa truong don vi
    kinh gd dt gddt nhe da giup xem xin cac cua bao cao ket qua ve viec cho toi minh nha ah ak
    so dinh kem theo yeu cau voi lai nop tu den to co oi mail email thu nay ubnd ma moi"""
_SENDING = frozenset(_SENDING_WORDS.split())
_TEXT_KINDS = {"docx": "docx", "docm": "docx", "xlsx": "xlsx", "xlsm": "xlsx"}
_TEXT_PARAGRAPHS = 400  # the title and headings are at the top; a long file is not read through
_CALENDAR_TYPES = frozenset({"text/calendar", "application/ics", "text/x-vcalendar"})


@dataclass(frozen=True)
class Signals:
    """What one mail shows that relevance looks at (gathered by `decide`)."""

    subject: str
    new_text: str  # the body's own text: quotes of earlier mail and signature cut off
    file_names: tuple[str, ...] = ()
    has_files: bool = False  # attachments, refused files, links, or too big to read
    table_found: bool = False  # an attachment holds the form's table (header found)
    table_blank: bool = False  # ... and every value in it is blank (the blank form itself)
    other_table: bool = False  # an editable file was read and holds no form table
    narrative: bool = False  # an attachment is the Appendix 1 report (its headings match)
    narrative_read: bool = False  # the parser read the plan's Appendix 1 sections in a file
    narrative_named: bool = False  # ... and its letterhead names a roster unit
    confirms: bool = False  # the reply's own words say the numbers are right ("đúng")
    oversize: bool = False  # too big to download: only its header block was read
    file_text_named: bool = False  # a Word or Excel file's own text names the campaign
    own_mail: bool = False  # sent from the office's own address
    in_our_thread: bool = False  # answers mail mailbot sent (receipt, reminder)
    roster_sender: bool = False  # the sender (or the forwarded original's) is on the roster
    is_reply: bool = False  # the subject is taken over from earlier mail (Re:, TL:, Fwd:)


@dataclass(frozen=True)
class Verdict:
    """Campaign, unrelated or ambiguous, and why (for the poll log and the office)."""

    kind: str
    why: str


def gather(
    mail: IncomingMail,
    files: Sequence[tuple[Attachment, str, ParseResult | None]],
    *,
    words: CampaignWords,
    units: Sequence[Unit],
    own_addresses: Iterable[str],
    in_our_thread: bool,
    oversize: bool = False,
) -> Signals:
    """The signals of one read mail; `files` are (attachment, sniffed kind, parse result)."""
    own = {a.lower() for a in own_addresses}
    roster = any(unit_for_address(a or "", units) for a in (mail.forwarded_from, mail.from_addr))
    results = [r for _, _, r in files if r is not None]
    # A meeting request's calendar part is an invitation, not a file the sender sent us.
    sent = [a for a, _, _ in files if a.content_type.lower() not in _CALENDAR_TYPES]
    names = [a.filename for a, _, _ in files] + [s.filename for s in mail.skipped]
    # A blank form is refused by the parser (BLANK_FORM) but is still the form's table.
    tables = [r for r in results if r.ok or r.errors == [BLANK_FORM]]
    texts = {
        id(a): file_paragraphs(a.data, _TEXT_KINDS[kind])[:_TEXT_PARAGRAPHS]
        for a, kind, _ in files
        if kind in _TEXT_KINDS and not tables
    }
    return Signals(
        subject=mail.subject,
        new_text=new_text(mail.body_text),
        file_names=tuple(names),
        has_files=bool(sent or mail.skipped or mail.links or oversize),
        table_found=bool(tables),
        table_blank=bool(tables) and not any(_filled(r) for r in tables),
        other_table=any(r.errors == [NO_TABLE] for r in results),
        narrative=any(is_narrative(t, words) for t in texts.values()),
        narrative_read=any(r.narrative for r in results),
        narrative_named=any(_names_roster_unit(r, units) for r in results if r.narrative),
        confirms=in_our_thread and says_confirmed(mail.body_text),
        oversize=oversize,
        file_text_named=any(names_any(t, words.words) for t in texts.values()),
        own_mail=mail.from_addr.lower() in own,
        in_our_thread=in_our_thread,
        roster_sender=roster,
        is_reply=bool(_REPLY.match(mail.subject)),
    )


def _filled(result: ParseResult) -> bool:
    return any(v is not None for slots in result.values.values() for v in slots.values())


def judge(signals: Signals, words: CampaignWords) -> Verdict:
    """The relevance of one mail: the first rule that holds decides."""
    s = signals
    if s.own_mail:
        return Verdict(UNRELATED, "thư của chính Phòng")
    if s.table_found:
        if s.table_blank and not s.roster_sender and not s.in_our_thread:
            return Verdict(AMBIGUOUS, "biểu mẫu để trống, người gửi ngoài danh sách")
        return Verdict(CAMPAIGN, "tệp có bảng của biểu mẫu")
    if s.narrative_read and (s.roster_sender or s.in_our_thread or s.narrative_named):
        # A unit's Appendix 1 with text under its sections: as sure a sign as the table. From
        # a stranger it must name a roster unit: the plan's own outline is passed on too.
        return Verdict(CAMPAIGN, "tệp là báo cáo Phụ lục 1 (đọc được các mục)")
    if s.oversize and (s.roster_sender or s.in_our_thread):
        # Too big to read: the unit must hear so, whatever the subject says.
        return Verdict(CAMPAIGN, "thư quá lớn của đơn vị")
    if s.in_our_thread:
        if s.has_files or s.confirms or not is_thanks(s.new_text):
            return Verdict(CAMPAIGN, "trả lời thư của hệ thống")
        return Verdict(UNRELATED, "thư cảm ơn/xác nhận đã nhận")
    # A reply without a file inherits its subject: only its own words count then.
    texts = [s.new_text, *s.file_names]
    if s.has_files or not s.is_reply:
        texts.append(s.subject)
    named = names_any(texts, words.words) or s.file_text_named
    if named or s.narrative:
        if s.roster_sender and not s.has_files and asks(s.new_text):
            # A question about the campaign needs a person, not "please attach the file".
            return Verdict(AMBIGUOUS, "đơn vị hỏi về đợt báo cáo, không gửi tệp")
        if s.roster_sender:
            return Verdict(CAMPAIGN, "nêu tên đợt báo cáo" if named else "tệp là báo cáo Phụ lục 1")
        if s.has_files:  # a clerk's personal address, or a directive about the campaign
            return Verdict(AMBIGUOUS, "nêu đợt báo cáo; người gửi ngoài danh sách, không có biểu")
        return Verdict(UNRELATED, "người gửi ngoài danh sách, không có tệp")
    if s.roster_sender and s.has_files:
        if names_any(texts, words.weak_words) and not s.other_table:
            return Verdict(CAMPAIGN, "đơn vị gửi tệp, nêu biểu/phụ lục")
        if s.other_table and topical(s.subject):
            # "Báo cáo phổ cập giáo dục…" with its own table: the unit's other business.
            return Verdict(UNRELATED, "đơn vị gửi việc khác (tiêu đề và bảng khác biểu mẫu)")
        return Verdict(AMBIGUOUS, "đơn vị gửi tệp không phải biểu mẫu, không nêu đợt báo cáo")
    return Verdict(UNRELATED, "không có bảng biểu mẫu, không nêu đợt báo cáo")


def topical(subject: str) -> bool:
    """True when a subject names a business of its own ("Báo cáo tháng 10", "Danh sách HS").

    Words of sending ("gửi phòng", "V/v gửi văn bản", "file") and names (capitalised after the
    first word: "gửi anh Hùng file") do not count; two other words do.
    """
    words = _WORD.findall(_REPLY.sub("", unicodedata.normalize("NFC", subject), count=1))
    named = {i for i, w in enumerate(words) if i and w[:1].isupper()}
    rest = [fold(w) for i, w in enumerate(words) if i not in named]
    return sum(1 for w in rest if w and w not in _SENDING) >= 2


def names_any(texts: Iterable[str], phrases: Sequence[str]) -> bool:
    """True when a phrase appears as whole words in any text (case and diacritics folded)."""
    keys = [match_key(p) for p in phrases if fold(p)]
    return any(k in hay for hay in map(match_key, texts) for k in keys)


def is_thanks(text: str) -> bool:
    """True for an acknowledgement with nothing else in it (or no text at all).

    Only courtesy words; or a short note that thanks or acknowledges, then at most a
    signature, and that neither asks ("?", "hỏi") nor speaks about the figures ("đúng",
    "sửa", "xác nhận" without "đã" …): those go on to `decide`.
    """
    if "?" in text:
        return False
    words = fold(text).split()
    if all(word in _THANKS for word in words):
        return True
    key = f" {' '.join(words)} "
    more = (
        asks(text)
        or any(w in key for w in _MORE_THAN_THANKS)
        or (" xac nhan " in key and " da xac nhan " not in key)
    )
    lines = [line for line in text.splitlines() if line.strip()]
    # The thanks open the note, after a greeting line at most ("Kính gửi Phòng GD&ĐT,").
    opening = f" {' '.join(fold(' '.join(lines[:2])).split())} "
    thanked = any(t in opening for t in _THANKED)
    return thanked and not more and len(lines) <= _MAX_THANKS_LINES


def asks(text: str) -> bool:
    """True when the text asks something ("?", "hỏi", "cho hoi"), not for "hội" (a society)."""
    if "?" in text or _ASK.search(unicodedata.normalize("NFC", text).lower()):
        return True
    key = f" {fold(text)} "
    return any(p in key for p in (" cho hoi ", " xin hoi ", " muon hoi ", " hoi ve "))


def new_text(body: str) -> str:
    """The part of a body its sender wrote now: up to a quote header, '>' lines and signature."""
    lines = body.splitlines()
    kept: list[str] = []
    for i, line in enumerate(lines):
        if _QUOTE_HEAD.match(line) or _SIGNATURE.match(line) or _outlook_block(lines, i):
            break
        if _WROTE_END.search(line):
            # A wrapped attribution: its first half is the line kept just before.
            if kept and _ATTRIBUTION_START.match(kept[-1]):
                kept.pop()
            break
        if not line.lstrip().startswith(">"):
            kept.append(line)
    return "\n".join(kept).strip()


def _outlook_block(lines: list[str], i: int) -> bool:
    """True where Outlook's "From: … / Sent: …" block of the answered mail starts."""
    return bool(
        _OUTLOOK_FROM.match(lines[i]) and i + 1 < len(lines) and _OUTLOOK_NEXT.match(lines[i + 1])
    )


def _names_roster_unit(result: ParseResult, units: Sequence[Unit]) -> bool:
    """True when a narrative's letterhead (or the file's unit line) names a roster unit."""
    letterhead = (result.narrative or {}).get("letterhead", [])
    names = [n for n in (result.unit_name, *letterhead) if isinstance(n, str) and n]
    return any(unit_for_name(n, units) for n in names)


def duplicate_relevance(original: str | None) -> str | None:
    """What a copy of a stored mail inherits: only 'unrelated'/'ambiguous' stay unflagged."""
    return original if original in (UNRELATED, AMBIGUOUS) else None
