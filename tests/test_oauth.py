"""OAuth2 for Gmail: token caching and refresh, errors, PKCE, the auth-gmail flow, SMTP XOAUTH2.

Every HTTP exchange goes to the local provider in tests/support/oauth_server.py; SMTP logins go to a
real aiosmtpd speaking XOAUTH2 the way Gmail does (JSON error challenge, then 535).
"""

from __future__ import annotations

import base64
import io
import json
import logging
import smtplib
import socket
import string
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit, urlunsplit

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult
from hypothesis import given
from hypothesis import strategies as st

from mailbot.errors import AuthError, ConfigError, SourceError
from mailbot.oauth import (
    GMAIL_SCOPE,
    OAuthClient,
    OAuthGrantError,
    TokenEndpointError,
    TokenProvider,
    check_token_uri,
    code_from_redirect,
    consent_url,
    make_pkce,
    run_auth_gmail,
    smtp_oauth2_login,
    xoauth2_string,
)
from tests.support.oauth_server import OAuthProvider, ProviderState, s256
from tests.support.servers import free_port

USER = "office@example.test"
CLIENT_ID = "1234-test.apps.googleusercontent.example"
CLIENT_SECRET = "GOCSPX-client-secret-for-tests"
REFRESH_TOKEN = "1//refresh-token-for-tests"
UNRESERVED = string.ascii_letters + string.digits + "-._~"


@dataclass
class FakeClock:
    """A settable clock for TokenProvider."""

    now: float = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def provider() -> Iterator[OAuthProvider]:
    """A local OAuth provider for CLIENT_ID that knows REFRESH_TOKEN; tokens live an hour."""
    state = ProviderState(CLIENT_ID, CLIENT_SECRET, USER, REFRESH_TOKEN, expires_in=3600)
    with OAuthProvider(state) as running:
        yield running


def client_for(provider: OAuthProvider, **changes: str) -> OAuthClient:
    """The OAuthClient pointing at the local provider's token endpoint."""
    fields = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "refresh_token": REFRESH_TOKEN,
        "token_uri": provider.url("/token"),
    }
    return OAuthClient(**(fields | changes))


# --- pure pieces ---------------------------------------------------------------------------


def test_xoauth2_string_is_gmail_format() -> None:
    """The XOAUTH2 initial response is user=…^Aauth=Bearer …^A^A."""
    assert xoauth2_string(USER, "ya29.abc") == f"user={USER}\x01auth=Bearer ya29.abc\x01\x01"


def test_pkce_matches_rfc7636_example() -> None:
    """The S256 challenge of RFC 7636 appendix B's verifier is the RFC's challenge."""
    pkce = make_pkce("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
    assert pkce.challenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


@given(st.text(alphabet=UNRESERVED, min_size=43, max_size=128))
def test_pkce_challenge_is_unpadded_base64url_sha256(verifier: str) -> None:
    """Any valid verifier gets the 43-character S256 challenge an independent encoder computes."""
    assert make_pkce(verifier).challenge == s256(verifier)


def test_fresh_pkce_verifier_is_valid_and_random() -> None:
    """A generated verifier is 43-128 unreserved characters and differs between calls."""
    first, second = make_pkce(), make_pkce()
    assert 43 <= len(first.verifier) <= 128
    assert set(first.verifier) <= set(UNRESERVED)
    assert first.verifier != second.verifier


def test_consent_url_asks_for_offline_gmail_access_with_pkce() -> None:
    """The consent URL carries exactly the parameters Google needs for a refresh token."""
    pkce = make_pkce("v" * 43)
    url = consent_url(CLIENT_ID, "http://127.0.0.1:8765/", pkce, "st4te")
    parts = urlsplit(url)
    assert urlunsplit((*parts[:3], "", "")) == "https://accounts.google.com/o/oauth2/v2/auth"
    assert {k: v for k, v in parse_qs(parts.query, strict_parsing=True).items()} == {
        "client_id": [CLIENT_ID],
        "redirect_uri": ["http://127.0.0.1:8765/"],
        "response_type": ["code"],
        "scope": [GMAIL_SCOPE],
        "access_type": ["offline"],
        "prompt": ["consent"],
        "code_challenge": [pkce.challenge],
        "code_challenge_method": ["S256"],
        "state": ["st4te"],
    }


@pytest.mark.parametrize(
    "redirect",
    ["http://127.0.0.1:9/?state=s1&code=C0DE", "?code=C0DE&state=s1", "code=C0DE&state=s1"],
)
def test_code_is_read_from_a_redirect_url_or_pasted_query(redirect: str) -> None:
    """The code comes out of a full redirect URL as well as a pasted query string."""
    assert code_from_redirect(redirect, "s1") == "C0DE"


def test_redirect_with_foreign_state_is_refused() -> None:
    """A redirect whose state is not ours (a forged or stale one) raises AuthError."""
    with pytest.raises(AuthError, match="state"):
        code_from_redirect("http://127.0.0.1:9/?code=C0DE&state=other", "s1")


def test_redirect_with_access_denied_is_refused() -> None:
    """A person pressing "Cancel" on the consent page gives AuthError naming Google's error."""
    with pytest.raises(AuthError, match="access_denied"):
        code_from_redirect("http://127.0.0.1:9/?error=access_denied&state=s1", "s1")


def test_plain_http_token_uri_off_this_machine_is_refused() -> None:
    """Client secret and refresh token never travel over plain HTTP to another host."""
    with pytest.raises(ConfigError, match="token_uri"):
        check_token_uri("http://oauth2.example.net/token")
    check_token_uri("https://oauth2.example.net/token")
    check_token_uri("http://127.0.0.1:8080/token")


# --- TokenProvider against the local token endpoint ----------------------------------------


@pytest.mark.servers
def test_token_is_cached_until_five_minutes_before_expiry(provider: OAuthProvider) -> None:
    """Calls reuse one token until expires_in minus 300 s, then one refresh gives a new one."""
    clock = FakeClock()
    tokens = TokenProvider(client_for(provider), clock=clock)
    first = tokens.access_token()
    clock.now += 3600 - 300 - 1
    assert tokens.access_token() == first
    assert provider.state.refreshes == 1
    clock.now += 1
    second = tokens.access_token()
    assert second != first
    assert provider.state.refreshes == 2


@pytest.mark.servers
def test_short_lived_token_is_refreshed_at_half_its_life(provider: OAuthProvider) -> None:
    """A token living less than twice the margin is refreshed halfway, not on every call."""
    provider.state.expires_in = 60
    clock = FakeClock()
    tokens = TokenProvider(client_for(provider), clock=clock)
    first = tokens.access_token()
    clock.now += 29
    assert tokens.access_token() == first
    clock.now += 1
    assert tokens.access_token() != first
    assert provider.state.refreshes == 2


@pytest.mark.servers
def test_invalidate_forces_a_refresh(provider: OAuthProvider) -> None:
    """After invalidate() the next call fetches a new token even though the old one is fresh."""
    tokens = TokenProvider(client_for(provider), clock=FakeClock())
    first = tokens.access_token()
    tokens.invalidate()
    assert tokens.access_token() != first
    assert provider.state.refreshes == 2


@pytest.mark.servers
def test_invalid_grant_raises_grant_error_with_the_fix(provider: OAuthProvider) -> None:
    """invalid_grant is a permanent AuthError telling to re-run auth-gmail and publish the app."""
    provider.state.token_error = "invalid_grant"
    tokens = TokenProvider(client_for(provider))
    with pytest.raises(OAuthGrantError) as caught:
        tokens.access_token()
    message = str(caught.value)
    assert isinstance(caught.value, AuthError)
    assert "mailbot auth-gmail" in message
    assert '"Testing"' in message and "7 ngày" in message and '"In production"' in message
    assert "Token has been expired or revoked." in message


@pytest.mark.servers
def test_wrong_client_secret_is_a_permanent_auth_error(provider: OAuthProvider) -> None:
    """invalid_client is an AuthError naming the client settings, not a grant error."""
    tokens = TokenProvider(client_for(provider, client_secret="wrong"))
    with pytest.raises(AuthError, match="oauth_client_id") as caught:
        tokens.access_token()
    assert not isinstance(caught.value, OAuthGrantError)


def test_unreachable_token_endpoint_is_retryable() -> None:
    """A refused connection raises TokenEndpointError: a SourceError, not an AuthError."""
    client = OAuthClient(
        CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, token_uri=f"http://127.0.0.1:{free_port()}/token"
    )
    with pytest.raises(TokenEndpointError) as caught:
        TokenProvider(client).access_token()
    assert isinstance(caught.value, SourceError)
    assert not isinstance(caught.value, AuthError)


@pytest.mark.servers
def test_server_error_is_retryable_and_the_next_call_recovers(provider: OAuthProvider) -> None:
    """A 503 raises TokenEndpointError and leaves nothing cached; the next call succeeds."""
    provider.state.token_status = 503
    tokens = TokenProvider(client_for(provider))
    with pytest.raises(TokenEndpointError):
        tokens.access_token()
    provider.state.token_status = None
    assert tokens.access_token() in provider.state.issued


@pytest.mark.servers
def test_secrets_stay_out_of_repr_logs_and_errors(
    provider: OAuthProvider, caplog: pytest.LogCaptureFixture
) -> None:
    """Client secret, refresh token and access token appear in no repr, log line or error."""
    caplog.set_level(logging.DEBUG)
    client = client_for(provider)
    tokens = TokenProvider(client)
    access = tokens.access_token()
    provider.state.token_error = "invalid_grant"
    tokens.invalidate()
    with pytest.raises(OAuthGrantError) as caught:
        tokens.access_token()
    seen = "\n".join([repr(client), repr(tokens), str(caught.value), caplog.text])
    assert "refreshed" in caplog.text  # the log was captured, so its absence below means something
    for secret in (CLIENT_SECRET, REFRESH_TOKEN, access):
        assert secret not in seen


# --- auth-gmail: consent flow against the local provider -----------------------------------


@dataclass
class FakeBrowser:
    """Opens the consent URL in a thread, follows redirects like a browser, keeps the page."""

    tamper_state: bool = False
    pages: list[str] = field(default_factory=list)
    threads: list[threading.Thread] = field(default_factory=list)

    def __call__(self, url: str) -> bool:
        thread = threading.Thread(target=self._visit, args=(url,), daemon=True)
        thread.start()
        self.threads.append(thread)
        return True

    def _visit(self, url: str) -> None:
        target = url
        if self.tamper_state:
            target = redirect_location(url).replace("state=", "state=forged")
        with urllib.request.urlopen(target, timeout=10) as page:
            self.pages.append(page.read().decode("utf-8"))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def redirect_location(consent: str) -> str:
    """Where the authorization endpoint sends the browser (without going there)."""
    opener = urllib.request.build_opener(_NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(consent, timeout=10)
    answer.value.close()  # the error carries the open response; close its socket
    assert answer.value.code == 302
    return str(answer.value.headers["Location"])


def auth_gmail(provider: OAuthProvider, out: io.StringIO, **options: object) -> str:
    """run_auth_gmail against the local provider's endpoints."""
    return run_auth_gmail(
        CLIENT_ID,
        CLIENT_SECRET,
        auth_uri=provider.url("/auth"),
        token_uri=provider.url("/token"),
        out=out,
        timeout=10,
        **options,  # type: ignore[arg-type]
    )


@pytest.mark.servers
def test_auth_gmail_returns_refresh_token_via_loopback_redirect(provider: OAuthProvider) -> None:
    """Browser consent comes back to the loopback server; the PKCE exchange yields the token."""
    out, browser = io.StringIO(), FakeBrowser()
    token = auth_gmail(provider, out, browser=browser, input_fn=None)
    assert token == REFRESH_TOKEN
    assert provider.state.exchanges == 1
    assert "Có thể đóng cửa sổ này" in browser.pages[0]
    assert out.getvalue().count(REFRESH_TOKEN) == 1
    assert "oauth_refresh_token_file" in out.getvalue()


@pytest.mark.servers
def test_auth_gmail_accepts_a_pasted_redirect_url(provider: OAuthProvider) -> None:
    """With no browser here, pasting the address the remote browser landed on completes it."""
    out = io.StringIO()

    def paste(prompt: str) -> str:
        consent = next(w for w in out.getvalue().split() if w.startswith("http://"))
        return redirect_location(consent)

    token = auth_gmail(provider, out, open_browser=False, input_fn=paste)
    assert token == REFRESH_TOKEN
    assert provider.state.exchanges == 1


@pytest.mark.servers
def test_auth_gmail_refuses_a_redirect_with_forged_state(provider: OAuthProvider) -> None:
    """A redirect carrying someone else's state fails before any code is exchanged."""
    browser = FakeBrowser(tamper_state=True)
    with pytest.raises(AuthError, match="state"):
        auth_gmail(provider, io.StringIO(), browser=browser, input_fn=None)
    assert provider.state.exchanges == 0


@pytest.mark.servers
def test_auth_gmail_on_a_busy_port_is_a_config_error(provider: OAuthProvider) -> None:
    """Asking for a loopback port already in use fails with ConfigError naming the port."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(ConfigError, match=f"port {port}"):
            auth_gmail(provider, io.StringIO(), port=port, browser=FakeBrowser(), input_fn=None)


# --- SMTP XOAUTH2 against a real aiosmtpd ------------------------------------------------


class XOAuth2Handler:
    """aiosmtpd handler accepting XOAUTH2 bearer tokens the provider issued and still honours."""

    def __init__(self, state: ProviderState) -> None:
        self.state = state
        self.logins: list[str] = []
        self.after_error: list[bytes] = []

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:
        raw = base64.b64decode(args[1]).decode() if len(args) > 1 else ""
        fields = dict(p.split("=", 1) for p in raw.split("\x01") if "=" in p)
        token = fields.get("auth", "").removeprefix("Bearer ")
        if self.state.issued.get(token, 0.0) > 0 and fields.get("user") == self.state.user:
            self.logins.append(fields["user"])
            return AuthResult(success=True)
        # Gmail's way: a JSON error as a 334 challenge; the client must answer with an empty line.
        error = {"status": "400", "schemes": "Bearer", "scope": GMAIL_SCOPE}
        answer = await server.challenge_auth(json.dumps(error))
        self.after_error.append(answer if isinstance(answer, bytes) else b"<missing>")
        return AuthResult(success=False, handled=False)  # handled=False: aiosmtpd sends the 535


@pytest.fixture
def smtp_xoauth2(provider: OAuthProvider) -> Iterator[tuple[Controller, XOAuth2Handler]]:
    """An aiosmtpd on 127.0.0.1 offering AUTH XOAUTH2 against the local provider's tokens."""
    handler = XOAuth2Handler(provider.state)
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), auth_require_tls=False)
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()


@pytest.mark.servers
def test_smtp_xoauth2_login_with_provider_token(
    provider: OAuthProvider, smtp_xoauth2: tuple[Controller, XOAuth2Handler]
) -> None:
    """smtp_oauth2_login with a TokenProvider token gets 235 from the server."""
    controller, handler = smtp_xoauth2
    token = TokenProvider(client_for(provider)).access_token()
    with smtplib.SMTP(controller.hostname, controller.port, timeout=10) as smtp:
        code, _ = smtp_oauth2_login(smtp, USER, token)
    assert (code, handler.logins) == (235, [USER])


@pytest.mark.servers
def test_smtp_xoauth2_with_expired_token_fails_with_535(
    provider: OAuthProvider, smtp_xoauth2: tuple[Controller, XOAuth2Handler]
) -> None:
    """A refused token ends in SMTPAuthenticationError 535 after answering the error challenge."""
    controller, handler = smtp_xoauth2
    token = TokenProvider(client_for(provider)).access_token()
    provider.state.expire_all()
    with (
        smtplib.SMTP(controller.hostname, controller.port, timeout=10) as smtp,
        pytest.raises(smtplib.SMTPAuthenticationError) as caught,
    ):
        smtp_oauth2_login(smtp, USER, token)
    assert caught.value.smtp_code == 535
    assert handler.after_error == [b""]


class _Sink:
    """aiosmtpd handler without an auth_XOAUTH2 hook: the server offers only LOGIN and PLAIN."""


@pytest.mark.servers
def test_smtp_without_xoauth2_is_reported_not_supported() -> None:
    """A server offering only PLAIN/LOGIN raises SMTPNotSupportedError before sending a token."""
    controller = Controller(_Sink(), hostname="127.0.0.1", port=free_port(), auth_require_tls=False)
    controller.start()
    try:
        with (
            smtplib.SMTP(controller.hostname, controller.port, timeout=10) as smtp,
            pytest.raises(smtplib.SMTPNotSupportedError, match="XOAUTH2"),
        ):
            smtp_oauth2_login(smtp, USER, "ya29.unused")
    finally:
        controller.stop()
