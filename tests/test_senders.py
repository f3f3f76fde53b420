"""senders: machine mail (never answered) and our server's authentication verdict."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest

from mailbot.mail.senders import (
    Verdict,
    authentication_verdict,
    auto_reply_reason,
    parse_authentication_results,
    should_quarantine,
)
from tests.support.mailshapes import (
    auth_results,
    auto_reply,
    bounce,
    list_mail,
    report_email,
    spoofed_email,
)

CLERK = "vanthu.chiengkhay@example.com"
OURS = "phonggd@example.org"


def with_headers(*headers: str, auth: str | None = "pass") -> bytes:
    """An ordinary report mail with extra headers."""
    return report_email(CLERK, extra_headers=list(headers), auth=auth)


def test_person_mail_is_not_automatic():
    """A clerk's report from any client is answered."""
    for client in ("gmail", "outlook", "outlook-tnef", "thunderbird", "apple", "phone"):
        assert auto_reply_reason(report_email(CLERK, client=client)) is None


def test_auto_submitted_auto_replied():
    """RFC 3834 Auto-Submitted: auto-replied (Gmail vacation) is automatic."""
    assert auto_reply_reason(auto_reply(CLERK)) == "auto-submitted: auto-replied"


def test_auto_submitted_no_is_a_person():
    """Auto-Submitted: no is what a person's mail may say; it is answered."""
    assert auto_reply_reason(with_headers("Auto-Submitted: no")) is None


def test_auto_generated_with_parameters():
    """Auto-Submitted: auto-generated with parameters still counts."""
    raw = with_headers("Auto-Submitted: auto-generated; owner-email=x@example.net")
    assert auto_reply_reason(raw) == "auto-submitted: auto-generated"


def test_outlook_out_of_office():
    """Exchange's out-of-office (X-Auto-Response-Suppress: All) is automatic."""
    assert auto_reply_reason(auto_reply(CLERK, style="outlook-oof")) == (
        "x-auto-response-suppress: All"
    )


@pytest.mark.parametrize("value", ["OOF", "DR, RN, NRN", "AutoReply"])
def test_x_auto_response_suppress_values(value):
    """Any listed X-Auto-Response-Suppress value marks a machine."""
    assert auto_reply_reason(with_headers(f"X-Auto-Response-Suppress: {value}")) is not None


def test_x_autoreply():
    """Old autoresponders' X-Autoreply: yes is automatic."""
    assert auto_reply_reason(auto_reply(CLERK, style="x-autoreply")) == "x-autoreply"


def test_x_autorespond():
    """X-Autorespond is automatic."""
    assert auto_reply_reason(with_headers("X-Autorespond: vacation")) == "x-autorespond"


def test_precedence_bulk():
    """Precedence: bulk is automatic."""
    assert auto_reply_reason(auto_reply(CLERK, style="precedence")) == "precedence: bulk"


def test_bounce_report():
    """A multipart/report bounce from mailer-daemon is automatic."""
    raw = bounce(report_email(OURS, CLERK))
    assert auto_reply_reason(raw) == "bounce: from mailer-daemon"


def test_empty_return_path_is_a_bounce():
    """Return-Path: <> alone marks a bounce, whatever the From."""
    raw = report_email("he-thong@example.net").replace(
        b"Return-Path: <he-thong@example.net>", b"Return-Path: <>"
    )
    assert auto_reply_reason(raw) == "bounce: empty return-path"


def test_postmaster_notice():
    """A plain-text notice from postmaster is automatic."""
    raw = bounce(report_email(OURS, CLERK), style="postmaster")
    assert auto_reply_reason(raw) == "bounce: from postmaster"


def test_multipart_report_alone():
    """A read receipt (multipart/report) from a person's address is automatic."""
    raw = (
        bounce(report_email(OURS, CLERK))
        .replace(b"mailer-daemon@example.net", CLERK.encode())
        .replace(b"Return-Path: <>", b"Return-Path: <" + CLERK.encode() + b">")
    )
    assert auto_reply_reason(raw) == "report: multipart/report"


def test_list_id():
    """A mailing-list post (List-Id) is never answered."""
    assert auto_reply_reason(list_mail(precedence=None)) == "list: List-Id"


def test_list_unsubscribe_with_precedence():
    """List-Unsubscribe with any Precedence is list mail."""
    raw = list_mail(list_id=None, precedence="first-class")
    assert auto_reply_reason(raw) == "list: List-Unsubscribe with Precedence first-class"


def test_list_unsubscribe_alone_is_not_enough():
    """List-Unsubscribe without Precedence or List-Id is answered."""
    assert auto_reply_reason(list_mail(list_id=None, precedence=None)) is None


def test_own_address_is_never_answered():
    """Mail from our own address (a receipt come back) is never answered."""
    raw = report_email("PhongGD@Example.org")
    assert auto_reply_reason(raw, own_addresses=[OURS]) == "own-address"


def test_accepts_parsed_message():
    """auto_reply_reason takes a parsed message as well as bytes."""
    msg = message_from_bytes(auto_reply(CLERK), policy=policy.default)
    assert auto_reply_reason(msg) == "auto-submitted: auto-replied"


def test_verdict_pass():
    """Gmail's passing results give trusted=True."""
    assert authentication_verdict(report_email(CLERK)) == Verdict("pass", "pass", "pass", True)


def test_verdict_fail_is_untrusted_and_quarantined():
    """Failing DMARC gives trusted=False and quarantine."""
    verdict = authentication_verdict(report_email(CLERK, auth="fail"))
    assert (verdict, should_quarantine(verdict)) == (Verdict("fail", "fail", "fail", False), True)


def test_no_header_from_our_server_is_unknown():
    """Without our server's header the verdict is unknown and not quarantined."""
    verdict = authentication_verdict(report_email(CLERK, auth=None))
    assert (verdict, should_quarantine(verdict)) == (Verdict(), False)


def test_other_servers_header_is_ignored():
    """A header stamped by another authserv-id is not ours."""
    raw = report_email(CLERK, auth="pass", authserv_id="mx.example.net")
    assert authentication_verdict(raw) == Verdict()


def test_configured_authserv_id():
    """With our own server's id configured, its header is read."""
    raw = report_email(CLERK, auth="pass", authserv_id="mx.example.net")
    assert authentication_verdict(raw, "mx.example.net").trusted is True


def test_spoofed_passing_headers_are_ignored():
    """Forged passing results (ours below, another server's above) lose to our top one."""
    raw = spoofed_email(CLERK)
    assert raw.count(b"Authentication-Results:") == 3
    assert authentication_verdict(raw) == Verdict("fail", "fail", "fail", False)


def test_softfail_alone_is_not_quarantined():
    """SPF softfail with no DKIM signature and no DMARC verdict is not quarantined."""
    verdict = authentication_verdict(report_email(CLERK, auth="softfail"))
    assert (verdict.trusted, should_quarantine(verdict)) == (None, False)


def test_dkim_fail_and_spf_softfail_is_quarantined():
    """A broken DKIM signature with SPF softfail is quarantined."""
    assert should_quarantine(Verdict(dmarc="none", dkim="fail", spf="softfail")) is True


def test_dkim_neutral_and_spf_fail_is_not_quarantined():
    """Gmail's dkim=neutral (body hash did not verify) does not count as failure."""
    assert should_quarantine(Verdict(dmarc="none", dkim="neutral", spf="fail")) is False


def test_dmarc_fail_with_policy_none_is_quarantined():
    """DMARC fail quarantines even when the domain publishes p=none."""
    value = "mx.google.com; dkim=none; spf=pass smtp.mailfrom=x; dmarc=fail (p=NONE) header.from=x"
    raw = with_headers(f"Authentication-Results: {value}", auth=None)
    assert should_quarantine(authentication_verdict(raw)) is True


def test_any_passing_dkim_signature_counts():
    """With several DKIM results, one pass makes DKIM pass."""
    value = "mx.google.com; dkim=fail header.d=example.net; dkim=pass header.d=example.com"
    assert parse_authentication_results(value)[1] == [("dkim", "fail"), ("dkim", "pass")]
    raw = with_headers(f"Authentication-Results: {value}", auth=None)
    assert authentication_verdict(raw).dkim == "pass"


def test_parse_strips_comments_with_semicolons():
    """Comments may hold ';' and '=' and nested parentheses; they are not results."""
    value = (
        "mx.google.com 1; spf=softfail (google.com: domain of a=b; (transitioning) x) "
        "smtp.mailfrom=a@example.com; dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=example.com"
    )
    assert parse_authentication_results(value) == (
        "mx.google.com",
        [("spf", "softfail"), ("dmarc", "pass")],
    )


def test_parse_none_result():
    """ "authserv-id; none" has no results."""
    assert parse_authentication_results("mx.google.com; none") == ("mx.google.com", [])


def test_parse_gmail_header_as_written():
    """Gmail's folded header with comments parses into three results."""
    server, results = parse_authentication_results(auth_results())
    assert (server, results) == (
        "mx.google.com",
        [("dkim", "pass"), ("spf", "pass"), ("dmarc", "pass")],
    )
