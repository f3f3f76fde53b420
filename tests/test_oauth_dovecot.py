"""IMAP XOAUTH2 against a real Dovecot whose oauth2 passdb checks tokens at the local provider.

Dovecot 2.3's `passdb { driver = oauth2 }` asks tokeninfo_url whether a bearer token is valid
and whose it is (username_attribute = email), so a login here proves that the token mailbot got
from TokenProvider and the XOAUTH2 string imapclient sent are what a real server accepts.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from imapclient import IMAPClient
from imapclient.exceptions import LoginError

from mailbot.oauth import OAuthClient, TokenProvider, imap_oauth2_login
from tests.support.oauth_server import OAuthProvider, ProviderState
from tests.support.servers import DOVECOT_USER, Dovecot, dovecot_unavailable_reason

pytestmark = pytest.mark.servers

CLIENT_ID = "5678-test.apps.googleusercontent.example"
CLIENT_SECRET = "GOCSPX-dovecot-test-secret"
REFRESH_TOKEN = "1//dovecot-test-refresh"

OAUTH_PASSDB = """\
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {root}/dovecot-oauth2.conf.ext
}}
"""

# Dovecot appends the token to tokeninfo_url; the answer's "email" must equal the login user.
OAUTH_ARGS = """\
tokeninfo_url = {tokeninfo}?access_token=
username_attribute = email
"""

# After a failed login anvil makes the next one from the same IP wait seconds; auth cannot open
# a mode-0 penalty socket and then runs without penalties (2.3 hides that error).
NO_AUTH_PENALTY = """\
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
"""


@dataclass
class OAuthDovecot(Dovecot):
    """The shared test Dovecot, switched from a passwd-file to the oauth2 passdb."""

    tokeninfo_url: str = ""

    def configure(self) -> None:
        """Write the usual setup, then swap mechanisms and passdb for XOAUTH2/OAUTHBEARER."""
        super().configure()
        conf_path = self.root / "dovecot.conf"
        conf, mechs = re.subn(
            r"^auth_mechanisms = .*$",
            # No failure delay: the refused-token tests would each wait 2 s otherwise.
            "auth_mechanisms = xoauth2 oauthbearer\nauth_failure_delay = 0",
            conf_path.read_text(),
            flags=re.MULTILINE,
        )
        conf, passdbs = re.subn(
            r"^passdb \{\n.*?^\}\n",
            OAUTH_PASSDB.format(root=self.root),
            conf,
            flags=re.MULTILINE | re.DOTALL,
        )
        assert (mechs, passdbs) == (1, 1), (
            "tests/support/servers.py changed its dovecot.conf layout"
        )
        conf_path.write_text(conf + NO_AUTH_PENALTY)
        args = OAUTH_ARGS.format(tokeninfo=self.tokeninfo_url)
        (self.root / "dovecot-oauth2.conf.ext").write_text(args)


@pytest.fixture
def provider() -> Iterator[OAuthProvider]:
    """The local provider, issuing hour-long tokens for the Dovecot user."""
    state = ProviderState(CLIENT_ID, CLIENT_SECRET, DOVECOT_USER, REFRESH_TOKEN, expires_in=3600)
    with OAuthProvider(state) as running:
        yield running


@pytest.fixture
def oauth_dovecot(provider: OAuthProvider) -> Iterator[OAuthDovecot]:
    """A throwaway Dovecot on 127.0.0.1 that accepts only bearer tokens the provider vouches for."""
    reason = dovecot_unavailable_reason()
    if reason:
        pytest.skip(reason)
    # Not tmp_path: Dovecot needs every parent traversable, and pytest's base dir is 0700.
    root = Path(tempfile.mkdtemp(prefix="mailbot-dovecot-oauth-"))
    server = OAuthDovecot(root=root, tokeninfo_url=provider.url("/tokeninfo"))
    server.configure()
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def tokens(provider: OAuthProvider) -> TokenProvider:
    """A TokenProvider holding the provider's refresh token."""
    client = OAuthClient(CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, token_uri=provider.url("/token"))
    return TokenProvider(client)


def connect(server: Dovecot) -> IMAPClient:
    """A fresh, not yet logged-in plain IMAP connection to the test Dovecot."""
    return IMAPClient(server.host, server.port, ssl=False, timeout=10)


def test_dovecot_offers_xoauth2(oauth_dovecot: OAuthDovecot) -> None:
    """The configured server advertises AUTH=XOAUTH2, as Gmail does."""
    client = connect(oauth_dovecot)
    try:
        assert b"AUTH=XOAUTH2" in client.capabilities()
    finally:
        client.shutdown()


def test_imap_xoauth2_login_with_provider_token(
    oauth_dovecot: OAuthDovecot, provider: OAuthProvider, tokens: TokenProvider
) -> None:
    """A token from TokenProvider logs in over XOAUTH2 after Dovecot checks it at tokeninfo."""
    client = connect(oauth_dovecot)
    imap_oauth2_login(client, DOVECOT_USER, tokens.access_token())
    assert client.select_folder("INBOX")[b"EXISTS"] == 0
    client.logout()
    assert (provider.state.refreshes, provider.state.tokeninfo_calls) == (1, 1)


def test_imap_xoauth2_with_expired_token_fails_with_login_error(
    oauth_dovecot: OAuthDovecot, provider: OAuthProvider, tokens: TokenProvider
) -> None:
    """A token the provider no longer honours is refused with imapclient's LoginError."""
    token = tokens.access_token()
    provider.state.expire_all()
    client = connect(oauth_dovecot)
    with pytest.raises(LoginError, match="AUTHENTICATIONFAILED"):
        imap_oauth2_login(client, DOVECOT_USER, token)
    client.shutdown()


def test_imap_xoauth2_with_another_users_token_fails(
    oauth_dovecot: OAuthDovecot, tokens: TokenProvider
) -> None:
    """A valid token sent for a different user is refused: the user field is checked."""
    client = connect(oauth_dovecot)
    with pytest.raises(LoginError):
        imap_oauth2_login(client, "other@example.test", tokens.access_token())
    client.shutdown()


def test_invalidated_provider_logs_in_again_after_a_refusal(
    oauth_dovecot: OAuthDovecot, provider: OAuthProvider, tokens: TokenProvider
) -> None:
    """After a refused (revoked) token, invalidate() and one retry with a fresh token succeed."""
    stale = tokens.access_token()
    provider.state.expire_all()
    first = connect(oauth_dovecot)
    with pytest.raises(LoginError):
        imap_oauth2_login(first, DOVECOT_USER, stale)
    first.shutdown()
    tokens.invalidate()
    second = connect(oauth_dovecot)
    imap_oauth2_login(second, DOVECOT_USER, tokens.access_token())
    second.logout()
    assert provider.state.refreshes == 2
