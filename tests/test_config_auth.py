"""Config of authentication: password or OAuth2 for [mailbox] and [smtp], secrets by reference."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from mailbot.config import parse_config
from mailbot.config.model import GOOGLE_TOKEN_URI, Secret
from mailbot.errors import ConfigError
from tests.test_config import MINIMAL

BASE = Path("/srv/mailbot")

OAUTH_MAILBOX = {
    "host": "imap.gmail.com",
    "username": "office@example.org",
    "auth": "oauth2",
    "oauth_client_id": "1234.apps.googleusercontent.example",
    "oauth_client_secret_env": "MAILBOT_OAUTH_CLIENT_SECRET",
    "oauth_refresh_token_file": "secrets/refresh-token",
}


def with_oauth(mailbox: dict | None = None, smtp: dict | None = None) -> dict:
    """MINIMAL with [mailbox] switched to OAuth2, plus changes (None deletes a key)."""
    data = copy.deepcopy(MINIMAL)
    box = {**OAUTH_MAILBOX, **(mailbox or {})}
    data["mailbox"] = {k: v for k, v in box.items() if v is not None}
    data["smtp"] = {k: v for k, v in {**data["smtp"], **(smtp or {})}.items() if v is not None}
    return data


def error_of(data: dict) -> str:
    """The ConfigError message for `data`."""
    with pytest.raises(ConfigError) as info:
        parse_config(data, BASE)
    return str(info.value)


def test_password_is_the_default_auth() -> None:
    """Without `auth`, both sections log in with a password."""
    cfg = parse_config(MINIMAL, BASE)
    assert (cfg.mailbox.auth, cfg.smtp.auth) == ("password", "password")


def test_oauth2_mailbox_keeps_secrets_as_references() -> None:
    """auth = "oauth2" records the client id, where both secrets live, and Google's token URI."""
    box = parse_config(with_oauth(), BASE).mailbox
    assert (box.auth, box.oauth_client_id, box.oauth_token_uri) == (
        "oauth2",
        "1234.apps.googleusercontent.example",
        GOOGLE_TOKEN_URI,
    )
    assert box.oauth_client_secret == Secret(env="MAILBOT_OAUTH_CLIENT_SECRET")
    assert box.oauth_refresh_token == Secret(file=BASE / "secrets/refresh-token")
    assert "refresh" not in repr(box) and "CLIENT_SECRET" not in repr(box)


def test_oauth2_secrets_resolve_from_env_and_file(monkeypatch, tmp_path: Path) -> None:
    """client_secret() reads the env variable, refresh_token() the file, both on demand."""
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "refresh-token").write_text("1//token-from-file\n")
    monkeypatch.setenv("MAILBOT_OAUTH_CLIENT_SECRET", "GOCSPX-from-env")
    box = parse_config(with_oauth(), tmp_path).mailbox
    assert (box.client_secret(), box.refresh_token()) == ("GOCSPX-from-env", "1//token-from-file")


def test_oauth2_needs_a_client_id() -> None:
    """A missing oauth_client_id is named, with where to find it."""
    message = error_of(with_oauth({"oauth_client_id": None}))
    assert "mailbox.oauth_client_id is required" in message and "Desktop app" in message


def test_oauth2_needs_a_refresh_token_source() -> None:
    """Neither oauth_refresh_token_env nor _file: the error names the key to add."""
    message = error_of(with_oauth({"oauth_refresh_token_file": None}))
    assert "mailbox.oauth_refresh_token_env is required" in message


def test_oauth2_refuses_both_sources_of_one_secret() -> None:
    """_env and _file together for the client secret is refused."""
    message = error_of(with_oauth({"oauth_client_secret_file": "s"}))
    assert "both set; keep one" in message


def test_literal_refresh_token_is_refused() -> None:
    """A refresh token written into the config is refused, pointing to _env/_file."""
    message = error_of(with_oauth({"oauth_refresh_token": "1//literal"}))
    assert "mailbox.oauth_refresh_token: secrets must not be written" in message


def test_oauth2_refuses_a_leftover_password() -> None:
    """password_env next to auth = "oauth2" would be silently unused: it is refused."""
    message = error_of(with_oauth({"password_env": "X"}))
    assert 'mailbox.password_env is not used with auth = "oauth2"' in message


def test_oauth_keys_without_oauth2_are_refused() -> None:
    """oauth_* keys while auth is "password" are refused with the fix."""
    data = copy.deepcopy(MINIMAL)
    data["mailbox"]["oauth_client_id"] = "x"
    assert 'add auth = "oauth2"' in error_of(data)


def test_unknown_auth_names_the_choices() -> None:
    """auth must be password or oauth2."""
    assert "mailbox.auth must be one of password, oauth2" in error_of(with_oauth({"auth": "x"}))


def test_plain_http_token_uri_off_this_machine_is_refused() -> None:
    """The token endpoint gets secrets: http:// is allowed only for loopback."""
    message = error_of(with_oauth({"oauth_token_uri": "http://tokens.example.org/token"}))
    assert "mailbox.oauth_token_uri must be an https:// address" in message


def test_loopback_token_uri_is_allowed() -> None:
    """A local token endpoint (tests) is accepted."""
    box = parse_config(with_oauth({"oauth_token_uri": "http://127.0.0.1:8080/token"}), BASE)
    assert box.mailbox.oauth_token_uri == "http://127.0.0.1:8080/token"


def test_smtp_oauth2_reuses_the_mailbox_client() -> None:
    """[smtp] auth = "oauth2" needs only a username; no password keys."""
    smtp = {"auth": "oauth2", "username": "office@example.org"}
    cfg = parse_config(with_oauth(smtp=smtp), BASE)
    assert (cfg.smtp.auth, cfg.smtp.secret) == ("oauth2", Secret())


def test_smtp_oauth2_without_mailbox_oauth2_is_refused() -> None:
    """The OAuth client lives in [mailbox]; smtp alone cannot use OAuth2."""
    data = copy.deepcopy(MINIMAL)
    data["smtp"].update(auth="oauth2", username="office@example.org")
    assert "reuses the OAuth client of [mailbox]" in error_of(data)


def test_sending_quota_defaults_and_bounds() -> None:
    """daily_cap defaults to 400 (under Gmail's 500) and per_minute to 60; zero is refused."""
    cfg = parse_config(MINIMAL, BASE)
    assert (cfg.smtp.daily_cap, cfg.smtp.per_minute) == (400, 60)
    data = copy.deepcopy(MINIMAL)
    data["smtp"]["daily_cap"] = 0
    assert "smtp.daily_cap must be between 1" in error_of(data)
