"""What to do with one incoming mail: whose report it is, what it holds, and the receipt.

Pure decision logic over bytes and records: MIME reading, sender trust, roster matching and
the parsed attachments come in; a `Decision` goes out. No IMAP, SMTP, database or clock here:
parsing is passed in as a function (the pipeline gives it the guarded, forked parser) and
`received_at` is passed in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from mailbot.ingest.decision import (
    SIGNED_WITH_FIGURES,
    Decision,
    IntakeSettings,
    ParseFn,
    ReadFile,
    ReadMail,
    read_mail,
)
from mailbot.ingest.receipt import build_receipt, worth_answering
from mailbot.ingest.relevance import AMBIGUOUS, CAMPAIGN, UNRELATED, Verdict, gather, judge
from mailbot.mail.mime import Attachment, IncomingMail
from mailbot.mail.senders import authentication_verdict, auto_reply_reason, should_quarantine
from mailbot.messages.compose import FileOutcome
from mailbot.parsing.interpret import NO_TABLE
from mailbot.parsing.model import ParseResult
from mailbot.parsing.narrative import narrative_note, split_narrative
from mailbot.parsing.sniff import sniff
from mailbot.records import Unit
from mailbot.roster import unit_for_address, unit_for_filename, unit_for_name

SIGNED_COPY = "Đã nhận bản ký/đóng dấu (lưu làm bản gốc)."
NARRATIVE = "Đã lưu tệp (báo cáo thuyết minh, không chứa bảng Phụ lục 2)."
NARRATIVE_ONLY = "Chỉ có Phụ lục 1 (báo cáo thuyết minh), chưa có biểu Phụ lục 2."
BODY_SOURCE = "(nội dung thư)"
UNASSIGNED = (
    "Không xác định được đơn vị gửi báo cáo (địa chỉ và tên đơn vị không có trong danh sách)."
)
SIGNED_KINDS = frozenset({"pdf", "image"})
WORD_KINDS = frozenset({"docx", "docm", "doc", "odt", "rtf", "word-xml"})


def decide(
    raw: bytes,
    received_at: datetime,
    settings: IntakeSettings,
    parse: ParseFn,
    *,
    now: datetime | None = None,
    receipt_allowed: Callable[[str], bool] = lambda addr: True,
    oversize: str | None = None,
    read: ReadMail | None = None,
    assigned: Unit | None = None,
    parts_on_file: Callable[[str], tuple[bool, bool]] = lambda code: (False, False),
    ours: Callable[[Sequence[str]], bool] = lambda ids: False,
    as_report: bool = False,
) -> Decision:
    """Decide what one raw mail is, read its attachments, and compose its receipt.

    `oversize` is the reason when only the header block was fetched (the mail was too big).
    `read` is `read_mail(raw)` when the caller has already read the mail. `parts_on_file`
    tells, for a unit code, whether its Appendix 2 table and Appendix 1 are booked already.
    `assigned` is the unit the office assigned the mail to: it replaces the roster lookup.
    `ours` tells whether any of these Message-IDs is mail we sent. `as_report` skips the
    relevance question (the office said this mail is a report).
    """
    read = read or read_mail(raw)
    mail = read.mail
    files = [read_file(a, parse) for a in mail.attachments]
    if not as_report and assigned is None:  # the office said what this mail is
        verdict = relevance(mail, files, settings, ours, oversize=oversize is not None)
        if verdict.kind != CAMPAIGN:
            return left_alone(mail, verdict)
    screened = screen(read, settings)
    if screened is not None:
        return screened
    chosen = best_table(files)
    narrative, narrative_source = find_narrative(files, mail)
    # A narrative file's header (often a letterhead table) names its unit like a table's does.
    named = [f.result.unit_name for f in files if f.result and f.result.narrative]
    letterhead = [*(n for n in named if n), *(narrative or {}).get("letterhead", [])]
    unit, flag = (
        (assigned, None) if assigned else identify_unit(mail, chosen, settings.units, letterhead)
    )
    decision = Decision("booked", mail, unit=unit, files=files, chosen=chosen)
    decision.narrative, decision.narrative_source = narrative, narrative_source
    if narrative_source == BODY_SOURCE:  # the receipt lists it like a file read
        decision.notices.append(FileOutcome(BODY_SOURCE, "read", narrative_note(narrative)))
    decision.late = received_at > settings.deadline
    if oversize:
        decision.notices.append(FileOutcome("(toàn bộ thư)", "unreadable", oversize))
    if unit is None:
        decision.status = "unassigned"
        decision.problem_kind = "unassigned"
        decision.reason = UNASSIGNED
    elif chosen is None and decision.narrative is not None:
        decision.reason = NARRATIVE_ONLY  # booked: the narrative is the unit's Appendix 1
    elif chosen is None and signed_copy_only(files, mail) and parts_on_file(unit.code)[0]:
        decision.status = "ignored"  # not a problem: the signed copy of figures on file
        decision.reason = SIGNED_WITH_FIGURES
    elif chosen is None:
        decision.status = "unreadable"
        decision.problem_kind = "unreadable"
        decision.reason = oversize or unreadable_reason(files, mail)
    if flag and unit is not None:
        decision.problem_kind = decision.problem_kind or "unknown_sender"
        decision.reason = flag if decision.reason is None else f"{decision.reason} {flag}"
    reply_to = mail.reply_to or mail.from_addr
    decision.reply_to = reply_to
    if worth_answering(decision) and reply_to and receipt_allowed(reply_to):
        on_file = parts_on_file(unit.code) if unit is not None else (False, False)
        decision.receipt = build_receipt(
            decision, reply_to, raw, received_at, settings, now, on_file=on_file
        )
    return decision


def find_narrative(files: Sequence[ReadFile], mail: IncomingMail) -> tuple[dict | None, str]:
    """The Appendix 1 of a mail: the attached file with the most sections, else the body."""
    found = [(f, f.result.narrative) for f in files if f.result and f.result.narrative]
    if found:
        best, story = max(found, key=lambda pair: len(pair[1]["sections"]))
        return story, best.outcome.filename
    body = split_narrative(mail.body_text.splitlines()) if mail.body_text else None
    return (body.to_dict(), BODY_SOURCE) if body is not None else (None, "")


def relevance(
    mail: IncomingMail,
    files: Sequence[ReadFile],
    settings: IntakeSettings,
    ours: Callable[[Sequence[str]], bool],
    *,
    oversize: bool = False,
) -> Verdict:
    """Is this the campaign's mail (`relevance.judge` over what the mail shows)?"""
    thread = [i for i in (mail.in_reply_to, *mail.references) if i]
    signals = gather(
        mail,
        [(f.attachment, sniff(f.attachment.data), f.result) for f in files],
        words=settings.form.campaign,
        units=settings.units,
        own_addresses=settings.own_addresses,
        in_our_thread=bool(thread) and ours(thread),
        oversize=oversize,
    )
    return judge(signals, settings.form.campaign)


def left_alone(mail: IncomingMail, verdict: Verdict) -> Decision:
    """The decision for mail that is not the campaign's: no receipt, no file kept."""
    if verdict.kind == AMBIGUOUS:
        reason = f"Có thể là báo cáo ({verdict.why}); chưa xử lý, chưa trả lời."
        return Decision(
            "ignored", mail, reason=reason, problem_kind="possible_report", relevance=AMBIGUOUS
        )
    reason = f"Không thuộc đợt báo cáo: {verdict.why}."
    return Decision("ignored", mail, reason=reason, relevance=UNRELATED)


def screen(read: ReadMail, settings: IntakeSettings) -> Decision | None:
    """The decision for a mail never to be read further (machine mail, failed auth), else None."""
    mail = read.mail
    auto = auto_reply_reason(read.headers, settings.own_addresses)
    if auto:
        return Decision("ignored", mail, reason=f"Thư tự động, không trả lời: {auto}")
    verdict = authentication_verdict(read.headers, settings.authserv_id)
    if settings.quarantine_unauthenticated and should_quarantine(verdict):
        detail = f"dmarc={verdict.dmarc}, dkim={verdict.dkim}, spf={verdict.spf}"
        return Decision(
            "quarantined",
            mail,
            reason=f"Thư không qua kiểm tra xác thực người gửi ({detail}); chưa ghi nhận.",
            problem_kind="quarantined",
        )
    return None


def files_to_parse(read: ReadMail, settings: IntakeSettings) -> list[Attachment]:
    """The attachments `decide` will pass to its parse function (so they can be parsed ahead)."""
    return [a for a in read.mail.attachments if sniff(a.data) not in SIGNED_KINDS]


def read_file(attachment: Attachment, parse: ParseFn) -> ReadFile:
    """Classify one attachment by content and parse it when it may hold the table."""
    kind = sniff(attachment.data)
    if kind in SIGNED_KINDS:
        return ReadFile(attachment, FileOutcome(attachment.filename, "signed_copy", SIGNED_COPY))
    result = parse(attachment.data, attachment.filename)
    story = narrative_note(result.narrative)
    reason = result.errors[0] if result.errors else NO_TABLE
    if result.ok or (story and reason == NO_TABLE):  # a table, or Appendix 1 without one
        return ReadFile(attachment, FileOutcome(attachment.filename, "read", story), result)
    if kind in WORD_KINDS and reason == NO_TABLE:
        # Appendix 1 is a narrative Word report: expected, kept, not an error.
        return ReadFile(attachment, FileOutcome(attachment.filename, "ignored", NARRATIVE), result)
    return ReadFile(attachment, FileOutcome(attachment.filename, "unreadable", reason), result)


def best_table(files: Sequence[ReadFile]) -> ParseResult | None:
    """The parsed table to book: the readable one with the most filled slots."""
    readable = [f.result for f in files if f.result is not None and f.result.ok]
    if not readable:
        return None
    return max(readable, key=_filled_slots)


def _filled_slots(result: ParseResult) -> int:
    return sum(v is not None for slots in result.values.values() for v in slots.values())


def identify_unit(
    mail: IncomingMail,
    chosen: ParseResult | None,
    units: Sequence[Unit],
    letterhead: Sequence[str] = (),
) -> tuple[Unit | None, str | None]:
    """The unit a mail reports for, and a note for the office when the address is unknown.

    The roster address decides (the forwarded original's sender first); else the unit name
    in the document header; else an unambiguous file name; else the first line of the
    Appendix 1 narrative's `letterhead` that names a roster unit.
    """
    for addr in (mail.forwarded_from, mail.from_addr):
        unit = unit_for_address(addr or "", units)
        if unit is not None:
            return unit, None
    unit = None
    if chosen is not None and chosen.unit_name:
        unit = unit_for_name(chosen.unit_name, units)
    if unit is None and chosen is not None:
        unit = unit_for_filename(chosen.file, units)
    for line in letterhead if unit is None else ():
        unit = unit_for_name(line, units)
        if unit is not None:
            break
    if unit is None:
        return None, None
    note = (
        f"Địa chỉ {mail.from_addr} không có trong danh sách của {unit.name}; "
        "đã ghi nhận theo tên đơn vị trong tệp."
    )
    return unit, note


def unreadable_reason(files: Sequence[ReadFile], mail: IncomingMail) -> str:
    """Why a known unit's mail gave no table, in words for the office."""
    if not files and mail.links:
        return "Thư gửi đường dẫn thay cho tệp đính kèm."
    if not files:
        return "Thư không có tệp đính kèm."
    if all(f.outcome.status == "signed_copy" for f in files):
        return "Chỉ có bản ký/đóng dấu (PDF/ảnh), chưa có tệp Phụ lục 2 sửa được."
    parts = [f"{f.outcome.filename}: {f.outcome.reason_vi}" for f in files]
    return "Không đọc được bảng Phụ lục 2. " + " ".join(parts)


def signed_copy_only(files: Sequence[ReadFile], mail: IncomingMail) -> bool:
    """True when every file is a signed copy (PDF/photo) and nothing else came."""
    return (
        bool(files) and not mail.skipped and all(f.outcome.status == "signed_copy" for f in files)
    )
