"""The console's queue and overview on a real server: the last poll, given-up mail, and mail
that may be a report."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from mailbot.sending.resend import given_up
from tests.support.mailshapes import report_email
from tests.support.office_env import CK, MG, OfficeEnv
from tests.support.pipeline_env import file_bytes, report_file
from tests.support.web_env import AFTERNOON, TZ, LiveConsole, console, csrf_of, office, polled
from tests.test_relevance_pipeline import FRIEND, class_list_from_mg, wedding_photos

pytestmark = pytest.mark.servers

__all__ = ["console", "office", "polled"]  # fixtures from tests/support/web_env.py


def card(html: str, card_id: str) -> str:
    """The text of one overview card."""
    return html.split(f'id="{card_id}"')[1].split("</div>")[0]


def test_the_overview_shows_the_poll_mark_that_check_and_the_summary_read(
    console: LiveConsole, office: OfficeEnv
) -> None:
    """A poll at 17:00 moves the overview's "last poll" to the `marks` moment, 17:00."""
    office.pipe.poll()
    client = console.client()
    console.login(client)
    html = client.get("/").text
    with office.pipe.store() as store:
        mark = store.last_poll()
    assert mark == AFTERNOON
    assert AFTERNOON.astimezone(TZ).strftime("%d/%m/%Y %H:%M") in card(html, "last-poll")


REFUSAL = "550 5.1.1 The email account does not exist"


def refused_receipt(office: OfficeEnv) -> int:
    """Chiềng Khay reports again from an address the server refuses: its receipt is given up."""
    office.pipe.smtp.refuse_rcpt[CK] = REFUSAL
    again = report_file("queue-ck-again", "xlsx", unit_index=2)
    raw = report_email(CK, attachments=[("bao-cao-moi.xlsx", file_bytes(again))])
    office.pipe.deliver(raw, when=AFTERNOON)
    office.pipe.poll()
    with office.pipe.store() as store:
        [row] = given_up(store)
    return row.id


def test_a_refused_receipt_is_listed_with_the_servers_reason_and_a_resend_button(
    console: LiveConsole, office: OfficeEnv
) -> None:
    """The queue and the unit's page both list the given-up receipt, its reason, its button."""
    outbox_id = refused_receipt(office)
    client = console.client()
    console.login(client)
    for path in ("/problems", "/units/xa-chieng-khay"):
        row = client.get(path).text.split(f'data-outbox="{outbox_id}"')[1].split("</tr>")[0]
        assert CK in row and REFUSAL in row, path
        assert f'action="/outbox/{outbox_id}/resend"' in row and "Gửi lại biên nhận" in row


def test_the_overview_counts_given_up_mail_apart_from_mail_waiting(
    console: LiveConsole, office: OfficeEnv
) -> None:
    """A given-up receipt is not "waiting": the outbox card names it on its own line."""
    refused_receipt(office)
    client = console.client()
    console.login(client)
    outbox = card(client.get("/").text, "outbox")
    assert "<b>0</b>" in outbox and "1 thư gửi không được" in outbox


def test_resending_from_the_console_delivers_one_copy_at_the_next_poll_and_audits(
    console: LiveConsole, office: OfficeEnv
) -> None:
    """Once the address works, "Gửi lại biên nhận" + a poll: the clerk gets one receipt."""
    outbox_id = refused_receipt(office)
    del office.pipe.smtp.refuse_rcpt[CK]
    before = len(office.sent_to(CK))
    client = console.client()
    console.login(client)
    page = client.get("/units/xa-chieng-khay")
    response = client.post(
        f"/outbox/{outbox_id}/resend", data={"csrf": csrf_of(page.text), "unit": "xa-chieng-khay"}
    )
    office.pipe.poll()
    with office.pipe.store() as store:
        audit = store.audit_rows()[0]
        assert given_up(store) == []
    assert (response.status_code, response.headers["location"]) == (
        303,
        "/units/xa-chieng-khay?done=resent",
    )
    assert len(office.sent_to(CK)) == before + 1
    assert (audit.user_name, audit.action, audit.target) == (
        "admin",
        "resend",
        f"outbox #{outbox_id}",
    )
    assert REFUSAL in audit.detail["reason_given_up"]


def test_resending_a_mail_that_was_sent_is_refused_in_vietnamese_and_audited(
    console: LiveConsole, office: OfficeEnv
) -> None:
    """A receipt that went out is not queued again: 409 with the reason, and an audit row."""
    with office.pipe.store() as store:
        sent = store.receipt_of(store.current_submission("xa-chieng-khay").message_id)
    client = console.client()
    console.login(client)
    page = client.get("/problems")
    response = client.post(f"/outbox/{sent.id}/resend", data={"csrf": csrf_of(page.text)})
    with office.pipe.store() as store:
        audit = store.audit_rows()[0]
        assert store.outbox_row(sent.id).status == "sent"
    assert response.status_code == 409
    assert f"Thư #{sent.id} (biên nhận) đã được gửi đi; không cần gửi lại." in response.text
    assert (audit.action, "already sent" in audit.detail["error"]) == ("resend", True)


def test_resending_without_the_csrf_token_is_refused(
    console: LiveConsole, office: OfficeEnv
) -> None:
    """A resend POST lacking the form's token is 403 and leaves the mail given up."""
    outbox_id = refused_receipt(office)
    client = console.client()
    console.login(client)
    response = client.post(f"/outbox/{outbox_id}/resend", data={})
    with office.pipe.store() as store:
        assert [r.id for r in given_up(store)] == [outbox_id]
    assert response.status_code == 403


def mail_left_alone(office: OfficeEnv) -> int:
    """Mường Giàng's class list ("có thể là báo cáo") and a friend's photos, polled; the list."""
    office.pipe.deliver(class_list_from_mg(), when=AFTERNOON)
    office.pipe.deliver(wedding_photos(), when=AFTERNOON)
    office.pipe.poll()
    with office.pipe.store() as store:
        [(_, row)] = store.left_alone(("ambiguous",))
    return row.id


def test_a_possible_report_is_queued_with_its_actions_and_unrelated_mail_is_not(
    console: LiveConsole, office: OfficeEnv
) -> None:
    """The class list has "Là báo cáo" and "Không phải báo cáo"; the photos are not listed."""
    row_id = mail_left_alone(office)
    client = console.client()
    console.login(client)
    queue = client.get("/problems").text.split('id="queue"')[1].split("</table>")[0]
    row = queue.split(f'data-message="{row_id}"')[1].split("</tr>")[0]
    assert "Có thể là báo cáo" in row and "gửi phòng" in row
    assert f'action="/problems/{row_id}/as_report"' in row and "Là báo cáo" in row
    assert f'action="/problems/{row_id}/dismiss"' in row and "Không phải báo cáo" in row
    assert f'action="/problems/{row_id}/reprocess"' not in row
    assert "Ảnh cưới" not in queue and FRIEND not in queue


def test_the_overview_counts_mail_that_is_not_the_campaigns(
    console: LiveConsole, office: OfficeEnv
) -> None:
    """The photos are counted on the overview, in one line, and nowhere in the queue."""
    mail_left_alone(office)
    with office.pipe.store() as store:
        unrelated = store.count_unrelated()
    client = console.client()
    console.login(client)
    problems = card(client.get("/").text, "problems")
    assert unrelated == 1
    assert "1 thư không thuộc đợt báo cáo" in problems


def test_taking_a_possible_report_in_runs_reprocess_as_report_and_answers_the_unit(
    console: LiveConsole, office: OfficeEnv
) -> None:
    """ "Là báo cáo" is `reprocess --as-report`: audited, read again, the unit answered once."""
    row_id = mail_left_alone(office)
    before = len(office.sent_to(MG))  # mail left alone is never answered
    client = console.client()
    console.login(client)
    page = client.get("/problems")
    response = client.post(f"/problems/{row_id}/as_report", data={"csrf": csrf_of(page.text)})
    office.at(datetime.now(TZ) + timedelta(minutes=1))  # the CLI child queued it on the real clock
    office.pipe.poll()
    with office.pipe.store() as store:
        audit = store.audit_rows()[0]
        after = store.message(row_id)
        kinds = {p.message_id: p.kind for p in store.problems()}
        receipt = store.receipt_of(row_id)
    assert response.status_code == 303
    assert (audit.action, audit.target, audit.detail["args"]) == (
        "as_report",
        f"#{row_id}",
        [str(row_id), "--as-report"],
    )
    # A class list is not the form: taken in, it is "unreadable" and the unit is told so.
    assert (after.status, kinds.get(row_id)) == ("unreadable", "unreadable")
    assert receipt is not None and receipt.status == "sent"
    assert len(office.sent_to(MG)) == before + 1


def test_a_possible_report_set_aside_leaves_the_queue_and_counts_as_unrelated(
    console: LiveConsole, office: OfficeEnv
) -> None:
    """ "Không phải báo cáo" takes it off the queue, audited; `others` now calls it unrelated."""
    row_id = mail_left_alone(office)
    client = console.client()
    console.login(client)
    page = client.get("/problems")
    client.post(
        f"/problems/{row_id}/dismiss", data={"reason": "danh sách lớp", "csrf": csrf_of(page.text)}
    )
    with office.pipe.store() as store:
        left = [p.message_id for p in store.problems()]
        audit = store.audit_rows()[0]
        relevance, unrelated = store.relevance_of(row_id), store.count_unrelated()
    assert row_id not in left
    assert (relevance, unrelated) == ("unrelated", 2)
    assert (audit.action, audit.detail) == (
        "not_a_report",
        {"reason": "danh sách lớp", "was": "possible_report"},
    )


def test_the_overview_is_rebuilt_when_a_possible_report_is_set_aside(
    console: LiveConsole, office: OfficeEnv
) -> None:
    """The cached overview counts the mail as a problem, then not once it is set aside."""
    row_id = mail_left_alone(office)
    client = console.client()
    console.login(client)
    before = card(client.get("/").text, "problems")
    page = client.get("/problems")
    client.post(f"/problems/{row_id}/dismiss", data={"reason": "", "csrf": csrf_of(page.text)})
    after = card(client.get("/").text, "problems")
    with office.pipe.store() as store:
        left = len(store.problems())
    assert f">{left + 1}</a>" in before and f">{left}</a>" in after
