"""The console's queue and overview on a real server: the last poll, given-up mail, and mail
that may be a report."""

from __future__ import annotations

import pytest

from mailbot.sending.resend import given_up
from tests import test_web_http as http
from tests.support.mailshapes import report_email
from tests.support.office_env import CK, OfficeEnv
from tests.support.pipeline_env import file_bytes, report_file
from tests.support.web_env import LiveConsole, csrf_of

pytestmark = pytest.mark.servers

# The polled office database, its copy per test and the live console of tests/test_web_http.py.
polled, office, console = http.polled, http.office, http.console
AFTERNOON, TZ = http.AFTERNOON, http.TZ


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
