"""Access tokens for Gmail IMAP/SMTP: refresh and cache them, build XOAUTH2 logins. Stdlib only.

Owns: the token endpoint exchange (`post_token_form`), `TokenProvider` (refresh a safety margin
before expiry, errors split into permanent `AuthError`s and retryable `TokenEndpointError`), the
XOAUTH2 SASL string and the IMAP/SMTP login helpers. Must not read config files, the environment
or secret files (the config layer hands it an `OAuthClient`), open IMAP/SMTP connections itself,
or ever log, store or put in an exception a token or a client secret.
"""

from __future__ import annotations

import http.client
import json
import logging
import smtplib
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from mailbot.errors import AuthError, ConfigError, OAuthGrantError, TokenEndpointError, TokenRefused

if TYPE_CHECKING:
    from imapclient import IMAPClient

log = logging.getLogger(__name__)

GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
GMAIL_SCOPE = "https://mail.google.com/"
# Refresh this long before the token runs out, so a login never races the expiry.
REFRESH_MARGIN = 300.0
# Google always sends expires_in; if a provider does not, assume Google's usual hour.
DEFAULT_LIFETIME = 3600.0
HTTP_TIMEOUT = 30.0
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# Token-endpoint error codes that no retry can fix (RFC 6749 section 5.2).
_PERMANENT_ERRORS = frozenset(
    {"invalid_grant", "invalid_client", "unauthorized_client", "invalid_request",
     "invalid_scope", "unsupported_grant_type"}
)  # fmt: skip


@dataclass(frozen=True)
class OAuthClient:
    """A Google OAuth client and the refresh token it was granted; secrets stay out of repr."""

    client_id: str
    client_secret: str = field(repr=False)
    refresh_token: str = field(repr=False)
    token_uri: str = GOOGLE_TOKEN_URI
    scope: str = GMAIL_SCOPE


def check_token_uri(uri: str) -> None:
    """Refuse a token endpoint that would carry secrets in clear text off this machine."""
    parts = urlsplit(uri)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname in _LOOPBACK_HOSTS:
        return
    raise ConfigError(f"token_uri {uri!r}: phải là địa chỉ https:// (mặc định {GOOGLE_TOKEN_URI}).")


def post_token_form(opener: urllib.request.OpenerDirector, url: str, fields: dict[str, str]) -> Any:
    """POST a form to a token endpoint and return its JSON; never echo the form (it has secrets)."""
    request = urllib.request.Request(
        url,
        data=urlencode(fields).encode("ascii"),
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
    )
    try:
        with opener.open(request, timeout=HTTP_TIMEOUT) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        _raise_for_error_body(exc.code, exc.read())
        raise TokenEndpointError(f"Máy chủ cấp token {url} trả lỗi HTTP {exc.code}.") from None
    except (OSError, ValueError, http.client.HTTPException) as exc:  # URLError, timeouts, resets
        reason = getattr(exc, "reason", exc)
        raise TokenEndpointError(f"Không kết nối được máy chủ cấp token {url}: {reason}") from None
    try:
        return json.loads(body)
    except ValueError:
        raise TokenEndpointError(
            f"Máy chủ cấp token {url} trả về dữ liệu không phải JSON."
        ) from None


def _raise_for_error_body(status: int, body: bytes) -> None:
    """Turn a permanent OAuth error answer into `TokenRefused`; leave the rest to the caller."""
    try:
        payload = json.loads(body)
    except ValueError:
        return
    if not isinstance(payload, dict):
        return
    error = payload.get("error")
    if status < 500 and isinstance(error, str) and error in _PERMANENT_ERRORS:
        description = str(payload.get("error_description") or "")
        raise TokenRefused(status, error, description)


def grant_error_message(detail: str) -> str:
    """The clerk-facing explanation of a refused refresh token, with the fix."""
    return (
        f"Google từ chối refresh token của hộp thư ({detail}). "
        "Cách sửa: chạy lại `mailbot auth-gmail`, rồi lưu refresh token mới vào tệp hoặc biến "
        "môi trường đã khai báo trong cấu hình. Nếu lỗi này lặp lại khoảng 7 ngày một lần: "
        'ứng dụng OAuth trên Google Cloud đang ở trạng thái "Testing" (refresh token chỉ sống '
        '7 ngày) — vào "OAuth consent screen" và chọn "Publish app" để chuyển sang '
        '"In production". Đổi mật khẩu Gmail hoặc thu hồi quyền truy cập cũng làm token '
        "mất hiệu lực."
    )


class TokenProvider:
    """Hands out a cached access token, refreshing it a safety margin before it expires."""

    def __init__(
        self,
        client: OAuthClient,
        *,
        clock: Callable[[], float] = time.time,
        opener: urllib.request.OpenerDirector | None = None,
        margin: float = REFRESH_MARGIN,
    ) -> None:
        check_token_uri(client.token_uri)
        self._client = client
        self._clock = clock
        self._opener = opener or urllib.request.build_opener()
        self._margin = margin
        self._token: str | None = None
        self._refresh_at = 0.0
        # IMAP polling and SMTP sending may share one provider from different threads.
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"TokenProvider(client={self._client!r})"

    def access_token(self) -> str:
        """A valid access token: the cached one, or a fresh one when it is about to expire."""
        with self._lock:
            now = self._clock()
            if self._token is None or now >= self._refresh_at:
                self._token, self._refresh_at = self._refresh(now)
            return self._token

    def invalidate(self) -> None:
        """Forget the cached token, e.g. after the server refused it; the next call refreshes."""
        with self._lock:
            self._token = None

    def _refresh(self, now: float) -> tuple[str, float]:
        c = self._client
        fields = {
            "grant_type": "refresh_token",
            "client_id": c.client_id,
            "client_secret": c.client_secret,
            "refresh_token": c.refresh_token,
            "scope": c.scope,
        }
        try:
            payload = post_token_form(self._opener, c.token_uri, fields)
        except TokenRefused as exc:
            detail = f"{exc.error}: {exc.description}" if exc.description else exc.error
            if exc.error == "invalid_grant":
                raise OAuthGrantError(grant_error_message(detail)) from None
            raise AuthError(
                f"Google từ chối OAuth client của mailbot ({detail}). Kiểm tra oauth_client_id "
                "và client secret trong cấu hình, rồi chạy lại `mailbot auth-gmail`."
            ) from None
        token, lifetime = _parse_token_answer(payload, c.token_uri)
        # A short-lived token (tests, some providers) still gets half its life before refresh.
        margin = min(self._margin, lifetime / 2)
        log.info("OAuth access token refreshed; valid for %d s", int(lifetime))
        return token, now + lifetime - margin


def _parse_token_answer(payload: Any, uri: str) -> tuple[str, float]:
    """Pull (access_token, lifetime in seconds) out of a token endpoint's JSON answer."""
    token = payload.get("access_token") if isinstance(payload, dict) else None
    if not isinstance(token, str) or not token:
        raise TokenEndpointError(f"Máy chủ cấp token {uri} không trả về access_token.")
    lifetime = payload.get("expires_in", DEFAULT_LIFETIME)
    try:
        lifetime = float(lifetime)
    except (TypeError, ValueError):
        lifetime = DEFAULT_LIFETIME
    if lifetime <= 0:
        raise TokenEndpointError(f"Máy chủ cấp token {uri} trả về token đã hết hạn.")
    return token, lifetime


def xoauth2_string(user: str, access_token: str) -> str:
    """The XOAUTH2 SASL initial response (before base64), as Gmail documents it."""
    return f"user={user}\x01auth=Bearer {access_token}\x01\x01"


def imap_oauth2_login(client: IMAPClient, user: str, access_token: str) -> Any:
    """Log an imapclient connection in with XOAUTH2; raises imapclient's LoginError like login()."""
    return client.oauth2_login(user, access_token)


def smtp_oauth2_login(smtp: smtplib.SMTP, user: str, access_token: str) -> tuple[int, bytes]:
    """Log an smtplib connection in with XOAUTH2; raises smtplib's errors like smtp.login()."""
    smtp.ehlo_or_helo_if_needed()
    offered = smtp.esmtp_features.get("auth", "").upper().split()
    if "XOAUTH2" not in offered:
        raise smtplib.SMTPNotSupportedError("The SMTP server does not offer AUTH XOAUTH2.")

    def respond(challenge: bytes | None = None) -> str:
        # After a refused token the server sends a JSON error as a 334 challenge and wants an
        # empty line before its final 535; anything else would loop until smtplib gives up.
        return "" if challenge else xoauth2_string(user, access_token)

    return smtp.auth("XOAUTH2", respond, initial_response_ok=True)
