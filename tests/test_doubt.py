"""Doubt is never booked as fact (issue 11): pure decisions and rendering, built from data.

A doubtful reading is booked "cần xác nhận", left out of the totals, listed apart and marked;
its receipt asks the unit to confirm or correct; a reply saying "đúng" confirms it.
"""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import datetime

import openpyxl
import pytest

from mailbot.ingest.confirming import confirm_by_reply
from mailbot.ingest.decide import decide
from mailbot.ingest.decision import Decision, IntakeSettings
from mailbot.mail.replies import new_text, says_confirmed
from mailbot.messages.compose import compose_summary
from mailbot.office.workbook import write_rollup_workbook
from mailbot.parsing.model import Finding, ParseResult
from mailbot.records import Submission
from mailbot.rollup import build_rollup, status_rows, sum_values
from tests.support.mailshapes import report_email
from tests.support.outputs import (
    CAMPAIGN,
    CHIENG_BANG,
    FORM,
    MUONG_GIANG,
    NOW,
    PROBLEMS,
    SINCE,
    SUBMISSIONS,
    TZ,
    UNITS,
)

MG_ADDR = UNITS[0].emails[0]
DOUBT = "Dòng 1.1: ô “khoảng hai mươi” không phải số; để trống."
RULE = "Tổng số lớp (12) khác tổng các dòng chi tiết (10)"
SETTINGS = IntakeSettings(
    form=FORM,
    units=UNITS,
    campaign_name=CAMPAIGN.name,
    office_name=CAMPAIGN.office_name,
    deadline=CAMPAIGN.deadline,
    from_addr="phonggd@example.org",
    from_name="Phòng GD&ĐT Quỳnh Nhai",
)
RECEIVED = datetime(2021, 10, 14, 9, 0, tzinfo=TZ)
RECEIPT_ID = "<receipt.abc@example.org>"
# Chiềng Bằng's report, read with a doubt: booked, but awaiting confirmation.
DOUBTFUL = replace(SUBMISSIONS[1], doubts=[DOUBT])


def parsed(*warnings: str, doubts: tuple[str, ...] = ()) -> ParseResult:
    """Mường Giàng's values as the parser returns them, with these warnings and doubts."""
    return ParseResult(
        file="bao-cao.xlsx",
        ok=True,
        form="appendix2-2021",
        values=MUONG_GIANG,
        warnings=[Finding("1.1", w) for w in warnings],
        doubts=list(doubts),
    )


def decided(result: ParseResult) -> Decision:
    """Mường Giàng's report mail with one attachment that parses as `result`."""
    raw = report_email(MG_ADDR, attachments=[("bao-cao.xlsx", b"PK\x03\x04 not a real file")])
    return decide(raw, RECEIVED, SETTINGS, lambda data, name: result, now=RECEIVED)


def text_of(msg) -> str:
    """The plain-text body of a composed message."""
    return msg.get_body(preferencelist=("plain",)).get_content()


def html_of(msg) -> str:
    """The HTML body of a composed message."""
    return msg.get_body(preferencelist=("html",)).get_content()


# ---- the receipt ---------------------------------------------------------------------------


def test_a_doubtful_receipt_asks_the_unit_to_confirm_or_correct() -> None:
    """The receipt gives the reason and asks for "đúng"/"xác nhận" or a corrected file."""
    text = text_of(decided(parsed(DOUBT, doubts=(DOUBT,))).receipt)
    assert "CẦN ĐƠN VỊ XÁC NHẬN SỐ LIỆU" in text
    assert f"  - {DOUBT}\n" in text
    assert 'xin trả lời thư này, ghi "đúng" hoặc "xác nhận"' in text
    assert "xin trả lời thư này, đính kèm tệp đã sửa" in text


def test_a_doubtful_receipt_shows_the_numbers_read_as_a_table() -> None:
    """Code, label and values of every row, in text, and a coded table in HTML."""
    msg = decided(parsed(DOUBT, doubts=(DOUBT,))).receipt
    label = FORM.indicator("1.1").label
    assert f"  [1.1] {label} (lớp/người): Số lớp/số cuộc thi: 10; Người: 1.340\n" in text_of(msg)
    html = html_of(msg)
    assert "Cần đơn vị xác nhận số liệu." in html and ">1.340<" in html and ">1.1<" in html


def test_a_clean_receipt_asks_for_no_confirmation() -> None:
    """A clean reading (a rule warning at most) gets today's receipt: no request, no doubt."""
    decision = decided(parsed(RULE))
    assert (decision.status, decision.chosen.doubts) == ("booked", [])  # type: ignore[union-attr]
    assert "XÁC NHẬN SỐ LIỆU" not in text_of(decision.receipt)
    assert "Cần đơn vị xác nhận" not in html_of(decision.receipt)


# ---- the roll-up, status, summary and workbook ---------------------------------------------


def doubtful_rollup(*subs: Submission):
    """The sample roll-up with these submissions."""
    return build_rollup(FORM, CAMPAIGN, UNITS, subs, PROBLEMS, NOW, since=SINCE)


def test_totals_leave_out_a_submission_awaiting_confirmation() -> None:
    """Only Mường Giàng's numbers are summed while Chiềng Bằng's await confirmation."""
    rollup = doubtful_rollup(SUBMISSIONS[0], DOUBTFUL)
    assert rollup.totals == sum_values(FORM, [(UNITS[0].name, MUONG_GIANG)])
    assert [r.unit.code for r in rollup.doubtful] == ["xa-chieng-bang"]
    assert (rollup.submitted_count, rollup.counted_count) == (2, 1)


def test_a_confirmed_submission_counts_in_the_totals() -> None:
    """Once confirmed, the doubtful submission is summed like a clean one."""
    confirmed = replace(DOUBTFUL, confirmed_at=NOW, confirmed_by="reply")
    rollup = doubtful_rollup(SUBMISSIONS[0], confirmed)
    named = [(UNITS[0].name, MUONG_GIANG), (UNITS[1].name, CHIENG_BANG)]
    expected = sum_values(FORM, named)
    assert (rollup.totals, rollup.doubtful) == (expected, ())


def test_status_rows_carry_each_units_confidence_and_doubts() -> None:
    """status --json: "chắc chắn", "cần xác nhận" with the doubts, None without a report."""
    rows = status_rows(UNITS, [SUBMISSIONS[0], DOUBTFUL])
    got = [(r["unit_code"], r["confidence"], r["doubts"]) for r in rows]
    assert got == [
        ("xa-muong-giang", "chắc chắn", []),
        ("xa-chieng-bang", "cần xác nhận", [DOUBT]),
        ("thcs-nam-et", None, []),
    ]


def summary_of(*subs: Submission):
    """The summary email of the sample roll-up with these submissions."""
    return compose_summary(
        doubtful_rollup(*subs),
        b"xlsx",
        to_addrs=["lanhdao@example.org"],
        from_addr="phonggd@example.org",
        from_name="Phòng GD&ĐT",
        message_id="<s@example.org>",
    )


def test_the_summary_lists_doubtful_units_apart_with_their_numbers_marked() -> None:
    """Chiềng Bằng is listed with its reason and its numbers marked "(?)"."""
    text = text_of(summary_of(SUBMISSIONS[0], DOUBTFUL))
    section = text.split("Báo cáo cần đơn vị xác nhận số liệu (1)", 1)[1].split("\n\n", 1)[0]
    assert "  - UBND xã Chiềng Bằng (bài nộp số 2, nhận lúc 15/10/2021 20:05). Lý do:" in section
    assert f"      + {DOUBT}" in section
    label = FORM.indicator("10.1").label
    assert f"      [10.1] {label} (đồng): 1.500.000 (?)" in section
    assert "SỐ LIỆU TỔNG HỢP TOÀN HUYỆN (1/3 đơn vị;" in text
    assert "chưa tính 1 đơn vị cần xác nhận" in text


def test_the_summary_has_no_doubt_section_when_every_report_is_certain() -> None:
    """Clean reports: no doubt section, and the totals count every reported unit."""
    text = text_of(summary_of(*SUBMISSIONS))
    assert "cần đơn vị xác nhận" not in text
    assert "SỐ LIỆU TỔNG HỢP TOÀN HUYỆN (2/3 đơn vị;" in text


def test_the_workbook_marks_and_highlights_a_doubtful_unit() -> None:
    """ "Theo đơn vị" says "cần xác nhận" on a filled row; the status sheet gives the reason."""
    buf = io.BytesIO()
    write_rollup_workbook(doubtful_rollup(SUBMISSIONS[0], DOUBTFUL), buf)
    wb = openpyxl.load_workbook(io.BytesIO(buf.getvalue()))
    per_unit = wb["Theo đơn vị"]
    rows = {per_unit.cell(r, 2).value: r for r in range(4, 7)}
    doubtful, clean = rows["xa-chieng-bang"], rows["xa-muong-giang"]
    assert per_unit.cell(doubtful, 4).value == "Nộp muộn, cần xác nhận"
    assert per_unit.cell(doubtful, 5).fill.start_color.rgb == "FFFFF4D6"
    assert per_unit.cell(clean, 5).fill.fill_type is None
    status = wb["Tình hình nộp báo cáo"]
    assert status.cell(3, 8).value == "Độ tin cậy số liệu"
    assert status.cell(5, 8).value == f"Cần xác nhận:\n- {DOUBT}"
    assert status.cell(4, 8).value == "Chắc chắn"


# ---- a confirming reply ----------------------------------------------------------------------


QUOTED = (
    "\n\nVào Th 5, 14 thg 10, 2021 lúc 09:01 Phòng GD&ĐT <phonggd@example.org>\n"
    'đã viết:\n> CẦN ĐƠN VỊ XÁC NHẬN SỐ LIỆU\n> xin trả lời thư này, ghi "đúng" hoặc'
    ' "xác nhận".\n'
)


@pytest.mark.parametrize(
    "body",
    [
        "Đúng",
        "Đúng ạ.",
        "Xác nhận",
        "Kính gửi Phòng GD&ĐT,\nĐơn vị xác nhận số liệu trên là đúng.\nTrân trọng.",
        "dung",
        "Xac nhan so lieu",
        "OK, đồng ý",
        "Đúng rồi" + QUOTED,
    ],
)
def test_a_reply_saying_the_numbers_are_right_confirms(body: str) -> None:
    """Short replies that say "đúng"/"xác nhận", with or without accents, confirm."""
    assert says_confirmed(body)


@pytest.mark.parametrize(
    "body",
    [
        "Chưa đúng, đơn vị sẽ gửi lại tệp.",
        "Số liệu dòng 1.1 sai.",
        "khong dung",
        "Cảm ơn Phòng.",
        "Đã nhận được thư." + QUOTED,  # the quoted receipt says "xác nhận", the clerk did not
        "",
        "Nguyễn Văn Dung\nUBND xã Mường Giàng",  # "dung" as a name does not confirm
        "Đúng. " + "Đơn vị xin giải trình thêm về số liệu của các lớp. " * 20,
    ],
)
def test_a_reply_not_saying_so_does_not_confirm(body: str) -> None:
    """Corrections, thanks, quotes of our own words and long letters are no confirmation."""
    assert not says_confirmed(body)


def test_a_signature_naming_muong_sai_does_not_block_a_confirmation() -> None:
    """ "Mường Sại" folds to "sai" without accents; it is a commune, not a correction."""
    assert says_confirmed("Xác nhận số liệu đúng.\nUBND xã Mường Sại")


def test_the_new_text_of_a_reply_stops_at_the_quoted_original() -> None:
    """Gmail's wrapped "Vào … đã viết:" line and the quote below it are cut off."""
    assert new_text("Đúng rồi" + QUOTED) == "Đúng rồi"


def reply(body: str = "Đúng ạ", attachments=()) -> tuple[bytes, Decision]:
    """Mường Giàng's reply in the thread of our receipt, decided."""
    raw = report_email(
        MG_ADDR,
        subject="Re: Báo cáo tuần lễ",
        body=body,
        attachments=attachments,
        message_id="<reply1@muonggiang.example.org>",
        extra_headers=[f"In-Reply-To: {RECEIPT_ID}", f"References: {RECEIPT_ID}"],
    )
    # The receipt is ours: relevance sees the reply in our thread, as the store tells it.
    return raw, decide(
        raw,
        RECEIVED,
        SETTINGS,
        lambda data, name: parsed(),
        now=RECEIVED,
        ours=lambda ids: RECEIPT_ID in ids,
    )


def confirmed_by(raw: bytes, decision: Decision, answered: Submission | None) -> Decision:
    """`confirm_by_reply` as the pipeline calls it for a person's mail."""
    return confirm_by_reply(
        decision,
        answered,
        machine=False,
        ack_allowed=True,
        raw=raw,
        settings=SETTINGS,
        now=RECEIVED,
    )


MG_DOUBTFUL = replace(SUBMISSIONS[0], doubts=[DOUBT])


def test_a_confirming_reply_confirms_with_one_short_acknowledgement() -> None:
    """Booked 'ignored' (it is no report), confirming submission 1, acknowledged in thread."""
    raw, decision = reply()
    out = confirmed_by(raw, decision, MG_DOUBTFUL)
    assert (out.status, out.confirms, out.problem_kind) == ("ignored", 1, None)
    ack = out.receipt
    assert ack is not None and ack["In-Reply-To"] == "<reply1@muonggiang.example.org>"
    assert ack["Auto-Submitted"] == "auto-replied"
    assert "đã được ghi nhận chính thức" in text_of(ack)


def test_a_second_confirmation_gets_no_answer() -> None:
    """Confirming an already confirmed submission changes nothing and sends nothing."""
    raw, decision = reply()
    done = replace(MG_DOUBTFUL, confirmed_at=RECEIVED, confirmed_by="reply")
    out = confirmed_by(raw, decision, done)
    assert (out.status, out.confirms, out.receipt) == ("ignored", None, None)


def test_a_reply_with_a_file_is_a_new_submission_not_a_confirmation() -> None:
    """A reply carrying a readable table is booked as a report, whatever its text says."""
    raw, decision = reply(attachments=[("bao-cao-sua.xlsx", b"PK\x03\x04 corrected")])
    out = confirmed_by(raw, decision, MG_DOUBTFUL)
    assert (out.status, out.confirms) == ("booked", None)


def test_a_reply_from_another_unit_confirms_nothing() -> None:
    """Only the unit that sent the submission (or its sender) can confirm it."""
    raw, decision = reply()
    other = replace(DOUBTFUL, id=7)  # Chiềng Bằng's submission, sent from its own address
    assert confirmed_by(raw, decision, other) is decision


def test_a_reply_saying_the_numbers_are_wrong_is_left_as_it_was() -> None:
    """ "Chưa đúng" without a file gets today's answer (asking for the file), no confirmation."""
    raw, decision = reply("Chưa đúng, đơn vị sẽ gửi lại.")
    assert confirmed_by(raw, decision, MG_DOUBTFUL) is decision


# ---- doubts cross the process boundary of the guarded parse ---------------------------------


def test_doubts_survive_the_guarded_parsers_json() -> None:
    """A worker's answer with "doubts" decodes to a doubtful result (guard and read-ahead)."""
    from mailbot.ingest import readahead
    from mailbot.parsing import guard

    answer = {"file": "a.xlsx", "ok": True, "form": "f", "values": {}, "doubts": [DOUBT]}
    single = guard._decode(json.dumps(answer).encode(), "a.xlsx", "f")
    batch = readahead._decode(json.dumps([answer]).encode(), 1)
    assert (single.doubts, batch and batch[0].doubts) == ([DOUBT], [DOUBT])


def test_the_status_table_says_a_report_awaits_confirmation() -> None:
    """`mailbot status` prints "Đã nộp, cần xác nhận" for a doubtful report."""
    from mailbot.cli.office_lines import status_table

    lines = status_table(status_rows(UNITS, [MG_DOUBTFUL, SUBMISSIONS[1]]))
    assert "Đã nộp, cần xác nhận" in lines[2]


@pytest.mark.parametrize(
    "body",
    ["Đúng ạ", "Dạ đồng ý, em cảm ơn phòng ạ.", "Đã xác nhận, cảm ơn phòng ạ", "xac nhan"],
)
def test_a_confirming_reply_that_also_thanks_is_the_campaigns_and_confirms(body: str) -> None:
    """Relevance keeps a polite "đúng, cảm ơn" in our thread: its confirmation is not lost."""
    raw, decision = reply(body)
    assert decision.relevance == "campaign"
    assert confirmed_by(raw, decision, MG_DOUBTFUL).confirms == 1
