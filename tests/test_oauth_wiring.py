"""OAuth2 wired into the edges: ImapSource and SmtpMailer log in with XOAUTH2 from a config.

Real Dovecot with an oauth2 passdb (tokens checked at the local provider's tokeninfo), a real
aiosmtpd offering only XOAUTH2, and the local token endpoint; nothing is mocked.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest

from mailbot.config import parse_config
from mailbot.errors import AuthError, OAuthGrantError
from mailbot.mailbox.imap import ImapSource
from mailbot.oauth import OAuthClient, TokenProvider
from mailbot.runtime import wiring as app
from mailbot.sending.mailer import SmtpMailer
from tests.support.gmail_servers import OAuthSmtp, oauth_dovecot, oauth_smtp, running
from tests.support.mailshapes import report_email
from tests.support.oauth_server import OAuthProvider, ProviderState
from tests.support.pipeline_env import config_mapping, file_bytes, report_file
from tests.support.servers import DOVECOT_USER, Dovecot, SmtpServer, dovecot_unavailable_reason
from tests.test_oauth_dovecot import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN

pytestmark = pytest.mark.servers
MG = "ubnd.muonggiang@example.test"  # UBND xã Mường Giàng (formgen unit 0)


@pytest.fixture
def provider() -> Iterator[OAuthProvider]:
    """The local token endpoint, issuing hour-long tokens for the Dovecot user."""
    state = ProviderState(CLIENT_ID, CLIENT_SECRET, DOVECOT_USER, REFRESH_TOKEN, expires_in=3600)
    with OAuthProvider(state) as running_provider:
        yield running_provider


@pytest.fixture
def imap(provider: OAuthProvider) -> Iterator[Dovecot]:
    """A Dovecot that accepts only the provider's bearer tokens."""
    reason = dovecot_unavailable_reason()
    if reason:
        pytest.skip(reason)
    with running(oauth_dovecot(provider.url("/tokeninfo"))) as server:
        yield server


@pytest.fixture
def smtp(provider: OAuthProvider) -> Iterator[OAuthSmtp]:
    """An SMTP server offering only AUTH XOAUTH2 against the provider's tokens."""
    with oauth_smtp(provider.state) as server:
        yield server


def tokens_for(provider: OAuthProvider) -> TokenProvider:
    """A fresh TokenProvider holding the provider's refresh token."""
    client = OAuthClient(CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, token_uri=provider.url("/token"))
    return TokenProvider(client)


def source(server: Dovecot, tokens: TokenProvider) -> ImapSource:
    """An ImapSource that logs in with XOAUTH2."""
    return ImapSource(
        server.host, server.port, "none", DOVECOT_USER, "", timeout_s=10, token_provider=tokens
    )


def note(to: str = "ubnd.muonggiang@example.test") -> EmailMessage:
    """A small message to send."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = DOVECOT_USER, to, "Biên nhận"
    msg.set_content("Đã nhận.")
    return msg


def test_imap_source_logs_in_with_xoauth2(imap: Dovecot, provider: OAuthProvider) -> None:
    """An ImapSource with a token provider selects INBOX after an XOAUTH2 login."""
    with source(imap, tokens_for(provider)) as box:
        assert box.select("INBOX") > 0
    assert provider.state.refreshes == 1


def test_imap_source_retries_once_with_a_fresh_token(
    imap: Dovecot, provider: OAuthProvider
) -> None:
    """A cached token the server refuses is invalidated; the second login with a new one works."""
    tokens = tokens_for(provider)
    tokens.access_token()
    provider.state.expire_all()  # revoked behind the cache's back
    with source(imap, tokens) as box:
        box.select("INBOX")
    assert provider.state.refreshes == 2


def test_refused_refresh_token_is_a_grant_error_with_the_fix(
    imap: Dovecot, provider: OAuthProvider
) -> None:
    """invalid_grant at the token endpoint surfaces as OAuthGrantError naming auth-gmail."""
    provider.state.token_error = "invalid_grant"
    with pytest.raises(OAuthGrantError, match="mailbot auth-gmail"):
        source(imap, tokens_for(provider)).__enter__()


def test_smtp_mailer_sends_after_xoauth2(smtp: OAuthSmtp, provider: OAuthProvider) -> None:
    """SmtpMailer with a token provider authenticates with XOAUTH2 and the mail is accepted."""
    mailer = SmtpMailer(
        smtp.host, smtp.port, "none", DOVECOT_USER, None, token_provider=tokens_for(provider)
    )
    mailer.send(note())
    assert [m.rcpt_tos for m in smtp.messages] == [("ubnd.muonggiang@example.test",)]


def test_smtp_mailer_retries_once_with_a_fresh_token(
    smtp: OAuthSmtp, provider: OAuthProvider
) -> None:
    """A refused cached token gets one retry with a refreshed token on the same connection."""
    tokens = tokens_for(provider)
    tokens.access_token()
    provider.state.expire_all()
    SmtpMailer(smtp.host, smtp.port, "none", DOVECOT_USER, None, token_provider=tokens).send(note())
    assert (smtp.handler.refusals, len(smtp.messages), provider.state.refreshes) == (1, 1, 2)


def oauth_config(imap: Dovecot, smtp: OAuthSmtp, provider: OAuthProvider, tmp: Path) -> dict:
    """The pipeline test config switched to OAuth2 for both IMAP and SMTP."""
    data = config_mapping(imap, SmtpServer(port=smtp.port), tmp)
    del data["mailbox"]["password_env"]
    data["mailbox"].update(
        auth="oauth2",
        oauth_client_id=CLIENT_ID,
        oauth_client_secret_env="MAILBOT_TEST_OAUTH_SECRET",
        oauth_refresh_token_file=str(tmp / "refresh-token"),
        oauth_token_uri=provider.url("/token"),
    )
    data["smtp"].update(auth="oauth2", username=DOVECOT_USER)
    (tmp / "refresh-token").write_text(REFRESH_TOKEN + "\n")
    os.environ["MAILBOT_TEST_OAUTH_SECRET"] = CLIENT_SECRET
    return data


def test_config_edges_share_one_token(
    imap: Dovecot, smtp: OAuthSmtp, provider: OAuthProvider, tmp_path: Path
) -> None:
    """open_source and open_mailer from one config use one TokenProvider: one refresh for both."""
    cfg = parse_config(oauth_config(imap, smtp, provider, tmp_path), tmp_path)
    mailbox, mailer = app.open_source(cfg), app.open_mailer(cfg)
    assert isinstance(mailbox, ImapSource) and isinstance(mailer, SmtpMailer)
    assert mailbox.token_provider is mailer.token_provider is not None
    with mailbox:
        mailbox.select("INBOX")
    mailer.send(note())
    assert (provider.state.refreshes, len(smtp.messages)) == (1, 1)


def test_poll_with_oauth2_config_books_and_answers(
    imap: Dovecot, smtp: OAuthSmtp, provider: OAuthProvider, tmp_path: Path
) -> None:
    """run_poll on an OAuth2 config reads the inbox and sends through XOAUTH2 SMTP."""
    cfg = parse_config(oauth_config(imap, smtp, provider, tmp_path), tmp_path)
    form = report_file("mg", "xlsx", unit_index=0)
    raw = report_email(MG, attachments=[("bao-cao.xlsx", file_bytes(form))])
    with source(imap, tokens_for(provider)) as box:
        box.select("INBOX")
        box._client.append("INBOX", raw)  # type: ignore[union-attr]
    report = app.run_poll(cfg)
    assert (report.counts["booked"], report.counts["sent"]) == (1, 1)
    assert [m.rcpt_tos for m in smtp.messages] == [(MG,)]


def test_token_refused_twice_is_an_auth_error_after_one_retry(
    imap: Dovecot, provider: OAuthProvider
) -> None:
    """A token the server refuses even when fresh (wrong account): AuthError, two refreshes."""
    box = ImapSource(
        imap.host, imap.port, "none", "other@example.test", "", token_provider=tokens_for(provider)
    )
    with pytest.raises(AuthError, match=r"refused the XOAUTH2 login of other@example\.test"):
        box.__enter__()
    assert provider.state.refreshes == 2
