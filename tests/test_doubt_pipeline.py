"""Doubt end to end on a real Dovecot and a real SMTP server (issue 11).

A report whose reading is doubtful (text typed in a value cell) is booked "cần xác nhận" and
its receipt asks the unit to check the table; a "đúng" reply in the thread confirms it with one
acknowledgement and no loop; a reply with a corrected file is a new submission.
"""

from __future__ import annotations

import io
import os
from email.message import EmailMessage
from pathlib import Path

import openpyxl
import pytest

from mailbot.forms import load_form
from mailbot.office.jobs import current_rollup, status
from mailbot.rollup import sum_values
from tests.formgen.model import Variant
from tests.support.mailshapes import report_email
from tests.support.office_env import OfficeEnv
from tests.support.pipeline_env import PipelineEnv, file_bytes, report_file
from tests.support.servers import Dovecot, SmtpServer

pytestmark = pytest.mark.servers

MG = "ubnd.muonggiang@example.test"  # UBND xã Mường Giàng (formgen unit 0)
FORM = load_form()
TYPED = "khoảng hai mươi"  # what the clerk typed in row 1.1's count cell
# The parser's own reason (mailbot/parsing/confidence.py), as the receipt and status show it.
DOUBT = f"Dòng 1.1: ô “{TYPED}” không đọc được thành số, có thể thiếu số liệu."


@pytest.fixture
def env(dovecot: Dovecot, smtp_server: SmtpServer, tmp_path: Path) -> PipelineEnv:
    """The pipeline wired to fresh servers, an empty database and a settable clock."""
    os.environ["MAILBOT_TEST_IMAP_PASSWORD"] = dovecot.password
    return PipelineEnv(dovecot, smtp_server, tmp_path)


def doubtful_form() -> tuple[bytes, dict]:
    """Mường Giàng's filled form with text in row 1.1's count cell, and the values it reads as."""
    variant: Variant = report_file("mg-doubt", "xlsx", unit_index=0)
    wb = openpyxl.load_workbook(io.BytesIO(file_bytes(variant)))
    ws = wb.worksheets[0]
    label = FORM.indicator("1.1").label
    [row] = [r for r in ws.iter_rows() if any(c.value == label for c in r)]
    count = next(c for c in row if isinstance(c.value, int) and c.column > 2)
    count.value = TYPED
    buf = io.BytesIO()
    wb.save(buf)
    values = {code: dict(slots) for code, slots in variant.values.items()}
    values["1.1"]["count"] = None
    return buf.getvalue(), values


def deliver_doubtful(env: PipelineEnv) -> tuple[dict, EmailMessage]:
    """Deliver and poll Mường Giàng's doubtful report; its expected values and its receipt."""
    data, values = doubtful_form()
    env.deliver(report_email(MG, attachments=[("bao-cao.xlsx", data)], message_id="<bc1@t>"))
    env.poll()
    [receipt] = env.receipts()
    return values, receipt


def reply(env: PipelineEnv, to: EmailMessage, body: str, n: int, attachments=()) -> None:
    """Mường Giàng answers `to` in its thread, an hour later."""
    env.clock.advance(hours=1)
    refs = f"{to['References'] or ''} {to['Message-ID']}".strip()
    env.deliver(
        report_email(
            MG,
            subject=f"Re: {to['Subject']}",
            body=body,
            attachments=attachments,
            message_id=f"<reply{n}@example.test>",
            extra_headers=[f"In-Reply-To: {to['Message-ID']}", f"References: {refs}"],
        )
    )
    env.poll()


def text_of(msg: EmailMessage) -> str:
    """The plain-text body."""
    return msg.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]


def test_a_doubtful_report_is_booked_to_be_confirmed_with_the_values_read(
    env: PipelineEnv,
) -> None:
    """Booked, values as read, confidence 'to_confirm' with the reason; status says so."""
    values, _ = deliver_doubtful(env)
    with env.store() as store:
        [sub] = store.latest_submissions()
        row = status(env.config, store)[0]
    assert (sub.unit_code, sub.values, sub.confidence, sub.doubts) == (
        "xa-muong-giang",
        values,
        "to_confirm",
        [DOUBT],
    )
    assert (row["confidence"], row["doubts"]) == ("cần xác nhận", [DOUBT])


def test_a_doubtful_report_is_left_out_of_the_district_totals(env: PipelineEnv) -> None:
    """The roll-up's totals hold nothing of it; it is listed apart as awaiting confirmation."""
    deliver_doubtful(env)
    with env.store() as store:
        rollup = current_rollup(env.config, store, env.clock.now)
    assert rollup.totals == FORM.empty_values()
    assert [r.unit.code for r in rollup.doubtful] == ["xa-muong-giang"]


def test_its_receipt_shows_the_numbers_read_and_asks_to_confirm_or_correct(
    env: PipelineEnv,
) -> None:
    """The receipt names the doubt, asks for "đúng"/"xác nhận" or a file, and lists the table."""
    values, receipt = deliver_doubtful(env)
    text = text_of(receipt)
    assert "CẦN ĐƠN VỊ XÁC NHẬN SỐ LIỆU\nHệ thống chưa chắc đã đọc đúng" in text
    assert f"  - {DOUBT}\n" in text
    assert 'ghi "đúng" hoặc "xác nhận"' in text
    label = FORM.indicator("1.2").label
    count, people = (f"{v:,}".replace(",", ".") for v in values["1.2"].values())
    assert f"  [1.2] {label} (lớp/người): Số lớp/số cuộc thi: {count}; Người: {people}\n" in text


def test_a_reply_dung_in_the_thread_confirms_with_one_acknowledgement(env: PipelineEnv) -> None:
    """ "Đúng ạ" confirms; the unit gets one short acknowledgement; totals now count it."""
    values, receipt = deliver_doubtful(env)
    reply(env, receipt, "Đúng ạ.\n\nTrân trọng.", 1)
    with env.store() as store:
        [sub] = store.latest_submissions()
        rollup = current_rollup(env.config, store, env.clock.now)
    assert (sub.confidence, sub.confirmed_by) == ("confirmed", "reply")
    assert rollup.totals == sum_values(FORM, [("UBND xã Mường Giàng", values)])
    [_, ack] = env.receipts()
    assert ack["In-Reply-To"] == "<reply1@example.test>"
    assert "đã được ghi nhận chính thức" in text_of(ack)


def test_after_a_confirmation_nothing_more_is_sent(env: PipelineEnv) -> None:
    """A second poll sends nothing; a "đúng" to the acknowledgement is answered by nothing."""
    _, receipt = deliver_doubtful(env)
    reply(env, receipt, "Xác nhận số liệu đúng.", 1)
    second = env.poll()
    assert sum(second.counts.values()) == 0
    [_, ack] = env.receipts()
    reply(env, ack, "Đúng", 2)
    assert len(env.receipts()) == 2
    with env.store() as store:
        assert store.latest_submissions()[0].confidence == "confirmed"


def test_a_reply_with_a_corrected_file_is_a_new_submission(env: PipelineEnv) -> None:
    """The corrected file supersedes the doubtful one, booked certain, with its own receipt."""
    _, receipt = deliver_doubtful(env)
    corrected = report_file("mg-corrected", "xlsx", unit_index=0)
    reply(env, receipt, "Gửi lại tệp đã sửa.", 1, [("bao-cao-sua.xlsx", file_bytes(corrected))])
    with env.store() as store:
        [sub] = store.latest_submissions()
        history = store.history("xa-muong-giang")
    assert (sub.values, sub.confidence, len(history)) == (corrected.values, "certain", 2)
    [_, second] = env.receipts()
    assert "XÁC NHẬN SỐ LIỆU" not in text_of(second)


def test_a_clean_report_is_booked_certain_exactly_as_before(env: PipelineEnv) -> None:
    """No doubt: certain, in the totals, and a receipt without any confirmation request."""
    form = report_file("mg", "xlsx", unit_index=0)
    env.deliver(report_email(MG, attachments=[("bao-cao.xlsx", file_bytes(form))]))
    env.poll()
    with env.store() as store:
        [sub] = store.latest_submissions()
        rollup = current_rollup(env.config, store, env.clock.now)
    assert (sub.values, sub.confidence, sub.doubts, rollup.doubtful) == (
        form.values,
        "certain",
        [],
        (),
    )
    assert rollup.totals == sum_values(FORM, [("UBND xã Mường Giàng", form.values)])
    [receipt] = env.receipts()
    assert "XÁC NHẬN SỐ LIỆU" not in text_of(receipt)


def test_the_office_confirms_from_the_command_line(
    dovecot: Dovecot,
    smtp_server: SmtpServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`mailbot confirm -c CFG xa-muong-giang` after a phone call: confirmed, one line, exit 0."""
    office = OfficeEnv(PipelineEnv(dovecot, smtp_server, tmp_path), capsys, monkeypatch)
    deliver_doubtful(office.pipe)
    code, out, err = office.run("confirm", "xa-muong-giang")
    assert (code, err) == (0, "")
    assert out.startswith("Đã xác nhận số liệu bài nộp số 1 của UBND xã Mường Giàng")
    code, out, _ = office.run("status", "--json")
    assert '"confidence": "đã xác nhận"' in out
    assert len(office.sent()) == 1  # the receipt only: the office's confirmation mails nobody
