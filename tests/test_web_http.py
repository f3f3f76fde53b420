"""The console over plain HTTP on a real server: login, CSRF, rate limit, the queue's actions."""

from __future__ import annotations

import io
import json
from html import escape
from pathlib import Path

import docx
import pytest

from tests.support.mailshapes import report_email
from tests.support.narratives import contents, narrative_docx, paragraphs
from tests.support.office_env import CK, MG, OfficeEnv
from tests.support.pipeline_env import file_bytes, report_file
from tests.support.web_env import (
    ADMIN_PASSWORD,
    AFTERNOON,
    STRAY_SENDER,
    LiveConsole,
    console,
    csrf_of,
    office,
    polled,
)
from tests.test_doubt_pipeline import doubtful_form

__all__ = ["console", "office", "polled"]  # fixtures from tests/support/web_env.py
pytestmark = pytest.mark.servers


def stray_id(office: OfficeEnv) -> int:
    """The message number of the stray report in the problems queue."""
    with office.pipe.store() as store:
        [problem] = [p for p in store.problems() if p.sender == STRAY_SENDER]
    return problem.message_id


def test_healthz_answers_without_login(console: LiveConsole) -> None:
    """GET /healthz is 200 "ok" for anyone."""
    response = console.client().get("/healthz")
    assert (response.status_code, response.text) == (200, "ok")


def test_a_page_without_login_redirects_to_the_login_form(console: LiveConsole) -> None:
    """GET /units/... without a session is a 303 to /login with the page to come back to."""
    response = console.client().get("/units/xa-chieng-khay")
    assert (response.status_code, response.headers["location"]) == (
        303,
        "/login?next=/units/xa-chieng-khay",
    )


def test_login_sets_an_httponly_strict_session_cookie(console: LiveConsole) -> None:
    """A good login redirects to the overview with an HttpOnly, SameSite=Strict cookie."""
    client = console.client()
    response = console.login(client)
    cookie = response.headers["set-cookie"]
    assert (response.status_code, response.headers["location"]) == (303, "/")
    assert "mailbot_session=" in cookie and "HttpOnly" in cookie
    assert "SameSite=strict" in cookie and "Secure" not in cookie  # plain HTTP on loopback
    assert client.get("/").status_code == 200


def test_login_without_its_csrf_token_is_refused(console: LiveConsole) -> None:
    """POST /login with the right password but no token is 403 and opens no session."""
    client = console.client()
    client.get("/login")
    response = client.post("/login", data={"username": "admin", "password": ADMIN_PASSWORD})
    assert response.status_code == 403
    assert "mailbot_session" not in client.cookies


def test_wrong_passwords_are_rate_limited(console: LiveConsole) -> None:
    """After five wrong passwords even the right one is refused with 429 for a while."""
    client = console.client()
    codes = [console.login(client, password=f"sai-{i}").status_code for i in range(5)]
    blocked = console.login(client)
    assert codes == [401] * 5
    assert blocked.status_code == 429 and "Xin thử lại sau" in blocked.text


def test_a_post_without_csrf_token_is_refused_and_changes_nothing(
    console: LiveConsole, office: OfficeEnv
) -> None:
    """A logged-in POST lacking the form's token is 403; no correction is stored."""
    client = console.client()
    console.login(client)
    with office.pipe.store() as store:
        [sub] = [s for s in store.latest_submissions() if s.unit_code == "xa-chieng-khay"]
    response = client.post(
        "/units/xa-chieng-khay/correct",
        data={"submission_id": sub.id, "field": "1:count", "value": "999", "reason": "thử"},
    )
    assert response.status_code == 403
    with office.pipe.store() as store:
        assert store.corrections("xa-chieng-khay") == []


def test_assigning_the_stray_mail_books_it_for_the_unit_and_audits(
    console: LiveConsole, office: OfficeEnv
) -> None:
    """Assign runs `mailbot reprocess --unit`: the unit now reported; the audit row names who."""
    client = console.client()
    console.login(client)
    row_id = stray_id(office)
    page = client.get("/problems")
    response = client.post(
        f"/problems/{row_id}/assign", data={"unit": "mn-muong-giang", "csrf": csrf_of(page.text)}
    )
    assert (response.status_code, response.headers["location"]) == (
        303,
        "/units/mn-muong-giang?done=assigned",
    )
    _, out, _ = office.run("status", "--json")
    row = next(r for r in json.loads(out) if r["unit_code"] == "mn-muong-giang")
    with office.pipe.store() as store:
        audit = store.audit_rows()[0]
        assert store.message(row_id).status == "booked"
    assert row["submitted"] is True
    assert (audit.user_name, audit.action, audit.target) == ("admin", "assign", f"#{row_id}")


def test_marking_the_stray_mail_not_a_report_empties_the_queue(
    console: LiveConsole, office: OfficeEnv
) -> None:
    """ "Không phải báo cáo" sets the mail aside: it leaves the queue, with an audit row."""
    client = console.client()
    console.login(client)
    row_id = stray_id(office)
    page = client.get("/problems")
    client.post(
        f"/problems/{row_id}/dismiss", data={"reason": "thư nhầm", "csrf": csrf_of(page.text)}
    )
    with office.pipe.store() as store:
        left = [p.message_id for p in store.problems()]
        audit = store.audit_rows()[0]
    assert row_id not in left
    assert (audit.action, audit.detail) == (
        "not_a_report",
        {"reason": "thư nhầm", "was": "unassigned"},
    )


def test_logout_ends_the_session(console: LiveConsole) -> None:
    """After POST /logout the old cookie no longer opens a page."""
    client = console.client()
    console.login(client)
    page = client.get("/")
    client.post("/logout", data={"csrf": csrf_of(page.text)})
    assert client.get("/").status_code == 303


def test_a_newer_report_drops_the_corrections_and_the_unit_page_says_so(
    console: LiveConsole, office: OfficeEnv
) -> None:
    """Correct Chiềng Khay, then it reports again: its new values count, the page says why."""
    client = console.client()
    console.login(client)
    page = client.get("/units/xa-chieng-khay")
    with office.pipe.store() as store:
        [sub] = [s for s in store.latest_submissions() if s.unit_code == "xa-chieng-khay"]
    client.post(
        "/units/xa-chieng-khay/correct",
        data={
            "csrf": csrf_of(page.text), "submission_id": sub.id, "field": "2:count",
            "value": "4.321", "reason": "gọi điện xác nhận",
        },
    )  # fmt: skip
    again = report_file("office-ck-again", "xlsx", unit_index=2)
    raw = report_email(CK, attachments=[("bao-cao-moi.xlsx", file_bytes(again))])
    office.pipe.deliver(raw, when=AFTERNOON)
    office.pipe.poll()
    _, out, _ = office.run("status", "--json")
    row = next(r for r in json.loads(out) if r["unit_code"] == "xa-chieng-khay")
    html = client.get("/units/xa-chieng-khay").text
    assert row["values"] == again.values
    assert 'id="dropped"' in html and "1 sửa đổi của văn phòng" in html


def test_over_tls_the_session_cookie_is_secure(
    office: OfficeEnv, tls_files: tuple[Path, Path]
) -> None:
    """With tls_cert_file/tls_key_file the console speaks HTTPS and its cookies are Secure."""
    cert, key = tls_files
    live = LiveConsole(office, web={"tls_cert_file": str(cert), "tls_key_file": str(key)})
    live.start()
    try:
        response = live.login(live.client())
    finally:
        live.stop()
    assert live.base_url.startswith("https://") and response.status_code == 303
    assert "Secure" in response.headers["set-cookie"]


def test_confirming_a_doubtful_report_counts_it_and_audits(
    console: LiveConsole, office: OfficeEnv
) -> None:
    """Mường Giàng's doubtful report is listed "cần xác nhận"; confirming counts it in."""
    data, _ = doubtful_form()
    office.pipe.deliver(report_email(MG, attachments=[("bao-cao.xlsx", data)]), when=AFTERNOON)
    office.pipe.poll()
    client = console.client()
    console.login(client)
    queue = client.get("/problems")
    overview = client.get("/")
    with office.pipe.store() as store:
        sub = store.current_submission("xa-muong-giang")
    assert sub is not None and sub.confidence == "to_confirm"
    response = client.post(
        "/units/xa-muong-giang/confirm",
        data={"csrf": csrf_of(queue.text), "submission_id": str(sub.id)},
    )
    _, out, _ = office.run("status", "--json")
    row = next(r for r in json.loads(out) if r["unit_code"] == "xa-muong-giang")
    with office.pipe.store() as store:
        audit = store.audit_rows()[0]
    assert 'data-unit="xa-muong-giang"' in queue.text.split('id="doubtful"')[1]
    assert '<a href="/problems#to-confirm">1</a>' in overview.text
    assert (response.status_code, row["confidence"]) == (303, "đã xác nhận")
    assert (audit.action, audit.target, audit.detail["changed"]) == (
        "confirm",
        "xa-muong-giang",
        True,
    )


def test_a_units_page_shows_its_appendix_1_sections(
    console: LiveConsole, office: OfficeEnv
) -> None:
    """Mường Giàng sends its narrative: the unit page shows each section's text."""
    data = narrative_docx(paragraphs("UBND xã Mường Giàng"))
    office.pipe.deliver(report_email(MG, attachments=[("bao-cao.docx", data)]), when=AFTERNOON)
    office.pipe.poll()
    client = console.client()
    console.login(client)
    html = client.get("/units/xa-muong-giang").text.split('id="narratives"')[1]
    for code, paras in contents("UBND xã Mường Giàng").items():
        assert f"<h4>{code}. " in html
        assert escape("\n".join(paras)) in html


def test_the_district_report_download_is_what_mailbot_report_drafts(
    console: LiveConsole, office: OfficeEnv, tmp_path: Path
) -> None:
    """The Word draft from the downloads page has the text `mailbot report` writes."""
    client = console.client()
    console.login(client)
    response = client.get("/downloads/bao-cao-tong-ket.docx")
    office.run("report", str(tmp_path / "cli.docx"))
    web_text = [p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs]
    cli_text = [p.text for p in docx.Document(str(tmp_path / "cli.docx")).paragraphs]
    assert response.headers["content-disposition"].startswith("attachment;")
    assert web_text == cli_text and any("Quỳnh Nhai" in t for t in web_text)
