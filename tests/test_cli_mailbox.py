"""CLI mailbox commands: auth-gmail, backfill and check, run through `mailbot.cli.main.main`."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailbot.cli.main import main
from mailbot.oauth import consent
from tests.support.config_files import write_config
from tests.support.oauth_server import OAuthProvider, ProviderState
from tests.test_config import MINIMAL
from tests.test_oauth import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, USER, FakeBrowser


@pytest.fixture
def provider() -> Iterator[OAuthProvider]:
    """The local OAuth provider (consent, token endpoint)."""
    with OAuthProvider(ProviderState(CLIENT_ID, CLIENT_SECRET, USER, REFRESH_TOKEN)) as running:
        yield running


def oauth_mapping(provider: OAuthProvider, tmp: Path) -> dict:
    """MINIMAL with [mailbox] on OAuth2 against the local provider."""
    data = {k: (dict(v) if isinstance(v, dict) else v) for k, v in MINIMAL.items()}
    data["mailbox"] = {
        "host": "imap.example.org",
        "username": USER,
        "auth": "oauth2",
        "oauth_client_id": CLIENT_ID,
        "oauth_client_secret_file": str(tmp / "client-secret"),
        "oauth_refresh_token_file": str(tmp / "refresh-token"),
        "oauth_token_uri": provider.url("/token"),
    }
    (tmp / "client-secret").write_text(CLIENT_SECRET + "\n")
    return data


@pytest.mark.servers
def test_auth_gmail_prints_the_refresh_token_once(
    provider: OAuthProvider, tmp_path: Path, monkeypatch, capsys
) -> None:
    """auth-gmail takes the client from the config, runs the consent flow and prints the token."""
    real = consent.run_auth_gmail
    browser = FakeBrowser()
    # Only the consent page address differs from Google's; the flow itself is the real one.
    patched = functools.partial(
        real, auth_uri=provider.url("/auth"), browser=browser, input_fn=None, timeout=10
    )
    monkeypatch.setattr(consent, "run_auth_gmail", patched)
    cfg = write_config(tmp_path / "mailbot.toml", oauth_mapping(provider, tmp_path))
    code = main(["auth-gmail", "-c", str(cfg)])
    out = capsys.readouterr().out
    assert (code, out.count(REFRESH_TOKEN), provider.state.exchanges) == (0, 1, 1)


def test_auth_gmail_without_oauth2_config_says_what_to_set(tmp_path: Path, capsys) -> None:
    """A password config gets exit 1 and the keys to add."""
    cfg = write_config(tmp_path / "mailbot.toml", MINIMAL)
    assert main(["auth-gmail", "-c", str(cfg)]) == 1
    assert 'set auth = "oauth2"' in capsys.readouterr().err
