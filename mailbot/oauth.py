"""OAuth2 for Gmail IMAP and SMTP (XOAUTH2), stdlib only: tokens, SASL strings, `auth-gmail`.

Owns: refreshing and caching access tokens at a token endpoint (`TokenProvider`), the XOAUTH2
SASL string and the IMAP/SMTP login helpers, and the one-off installed-app consent flow that
yields a refresh token (`run_auth_gmail`). It must not read config files, the environment or
secret files (the config layer hands it an `OAuthClient`), open IMAP/SMTP connections itself,
or ever log, store or put in an exception a token or a client secret.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import logging
import queue
import secrets
import smtplib
import sys
import threading
import time
import urllib.error
import urllib.request
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import parse_qs, urlencode, urlsplit

from mailbot.errors import AuthError, ConfigError, SourceError

if TYPE_CHECKING:
    from imapclient import IMAPClient

log = logging.getLogger(__name__)

GOOGLE_AUTH_URI = "https://accounts.google.com/o/oauth2/v2/auth"
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


class OAuthGrantError(AuthError):
    """Raised when the token endpoint refuses the refresh token (invalid_grant); permanent."""


class TokenEndpointError(SourceError):
    """Raised when the token endpoint cannot be reached or answers nonsense; retry later."""


@dataclass(frozen=True)
class OAuthClient:
    """A Google OAuth client and the refresh token it was granted; secrets stay out of repr."""

    client_id: str
    client_secret: str = field(repr=False)
    refresh_token: str = field(repr=False)
    token_uri: str = GOOGLE_TOKEN_URI
    scope: str = GMAIL_SCOPE


class _Refusal(Exception):
    """The token endpoint answered with an OAuth error code that no retry can fix."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(f"HTTP {status} {error}: {description}")
        self.error = error
        self.description = description


def check_token_uri(uri: str) -> None:
    """Refuse a token endpoint that would carry secrets in clear text off this machine."""
    parts = urlsplit(uri)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname in _LOOPBACK_HOSTS:
        return
    raise ConfigError(f"token_uri {uri!r}: phải là địa chỉ https:// (mặc định {GOOGLE_TOKEN_URI}).")


def _post_form(opener: urllib.request.OpenerDirector, url: str, fields: dict[str, str]) -> Any:
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
    """Turn a permanent OAuth error answer into `_Refusal`; leave the rest to the caller."""
    try:
        payload = json.loads(body)
    except ValueError:
        return
    if not isinstance(payload, dict):
        return
    error = payload.get("error")
    if status < 500 and isinstance(error, str) and error in _PERMANENT_ERRORS:
        description = str(payload.get("error_description") or "")
        raise _Refusal(status, error, description)


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
            payload = _post_form(self._opener, c.token_uri, fields)
        except _Refusal as exc:
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


@dataclass(frozen=True)
class Pkce:
    """A PKCE code verifier and its S256 challenge (RFC 7636)."""

    verifier: str = field(repr=False)
    challenge: str


def make_pkce(verifier: str | None = None) -> Pkce:
    """A fresh PKCE pair (86-character verifier), or the pair for a given verifier."""
    verifier = verifier or secrets.token_urlsafe(64)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return Pkce(verifier, challenge)


def consent_url(
    client_id: str,
    redirect_uri: str,
    pkce: Pkce,
    state: str,
    *,
    auth_uri: str = GOOGLE_AUTH_URI,
    scope: str = GMAIL_SCOPE,
) -> str:
    """The URL a person opens to let mailbot read and send the office's Gmail."""
    query = {
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "response_type": "code",
        "scope": scope,
        # offline + consent: Google only returns a refresh token when both are asked for.
        "access_type": "offline",
        "prompt": "consent",
        "code_challenge": pkce.challenge,
        "code_challenge_method": "S256",
        "state": state,
    }
    return f"{auth_uri}?{urlencode(query)}"


def code_from_redirect(url: str, state: str) -> str:
    """The authorization code in a redirect URL or query string, after checking `state`."""
    text = url.strip()
    query = urlsplit(text).query if "://" in text or text.startswith("/") else text.lstrip("?")
    params = {k: v[0] for k, v in parse_qs(query).items()}
    if "error" in params:
        raise AuthError(f"Google không cấp quyền: {params['error']}.")
    if not secrets.compare_digest(params.get("state", ""), state):
        raise AuthError("Địa chỉ chuyển hướng không khớp phiên đăng nhập này (state sai).")
    code = params.get("code")
    if not code:
        raise AuthError("Địa chỉ chuyển hướng không có mã ủy quyền (code).")
    return code


_DONE_PAGE = (
    "<!doctype html><meta charset=utf-8><title>mailbot</title>"
    "<p>mailbot đã nhận được quyền truy cập. Có thể đóng cửa sổ này và quay lại cửa sổ lệnh.</p>"
).encode()


class _RedirectHandler(BaseHTTPRequestHandler):
    server: _RedirectServer

    def log_message(self, format: str, *args: object) -> None:
        """Silence http.server's stderr log: the request line carries the code."""

    def do_GET(self) -> None:
        params = parse_qs(urlsplit(self.path).query)
        if "code" not in params and "error" not in params:
            self.send_error(404)  # favicon and other browser noise
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(_DONE_PAGE)))
        self.end_headers()
        self.wfile.write(_DONE_PAGE)
        self.server.answers.put(self.path)


class _RedirectServer(HTTPServer):
    def __init__(self, port: int) -> None:
        super().__init__(("127.0.0.1", port), _RedirectHandler)
        self.answers: queue.Queue[str] = queue.Queue()


def _wait_for_redirect(
    server: _RedirectServer, input_fn: Callable[[str], str] | None, timeout: float
) -> str:
    """The first redirect: from the loopback server, or pasted by a person at `input_fn`."""
    if input_fn is not None:
        prompt = "Hoặc dán vào đây địa chỉ trình duyệt chuyển tới rồi nhấn Enter: "
        # Daemon thread: if the browser comes back first, a pending input() must not block exit.
        threading.Thread(target=lambda: server.answers.put(input_fn(prompt)), daemon=True).start()
    try:
        return server.answers.get(timeout=timeout)
    except queue.Empty:
        raise AuthError(f"Hết {int(timeout)} giây mà chưa nhận được quyền từ Google.") from None


def run_auth_gmail(
    client_id: str,
    client_secret: str,
    *,
    open_browser: bool = True,
    port: int = 0,
    input_fn: Callable[[str], str] | None = input,
    out: TextIO = sys.stdout,
    auth_uri: str = GOOGLE_AUTH_URI,
    token_uri: str = GOOGLE_TOKEN_URI,
    scope: str = GMAIL_SCOPE,
    opener: urllib.request.OpenerDirector | None = None,
    browser: Callable[[str], object] = webbrowser.open,
    timeout: float = 600.0,
) -> str:
    """Run Google's installed-app consent flow (loopback redirect, PKCE); return refresh token."""
    check_token_uri(token_uri)
    pkce, state = make_pkce(), secrets.token_urlsafe(24)
    server = _RedirectServer(port)
    # A short poll interval: shutdown() waits for it once the redirect has arrived.
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    try:
        redirect_uri = f"http://127.0.0.1:{server.server_address[1]}/"
        url = consent_url(client_id, redirect_uri, pkce, state, auth_uri=auth_uri, scope=scope)
        print(
            "Mở địa chỉ sau trong trình duyệt, đăng nhập bằng tài khoản Gmail của cơ quan", file=out
        )
        print("và cho phép mailbot đọc và gửi thư:", file=out)
        print(f"\n    {url}\n", file=out, flush=True)
        if open_browser:
            try:
                browser(url)
            except Exception:  # no browser here is fine: the person opens the URL by hand
                log.debug("could not open a browser", exc_info=True)
        code = code_from_redirect(_wait_for_redirect(server, input_fn, timeout), state)
    finally:
        server.shutdown()
        server.server_close()
    fields = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": client_id,
        "client_secret": client_secret,
        "redirect_uri": redirect_uri,
        "code_verifier": pkce.verifier,
    }
    try:
        payload = _post_form(opener or urllib.request.build_opener(), token_uri, fields)
    except _Refusal as exc:
        raise AuthError(f"Google từ chối mã ủy quyền ({exc.error}). Chạy lại lệnh.") from None
    refresh_token = payload.get("refresh_token") if isinstance(payload, dict) else None
    if not isinstance(refresh_token, str) or not refresh_token:
        raise AuthError(
            "Google không trả về refresh token. Thu hồi quyền của ứng dụng tại "
            "https://myaccount.google.com/permissions rồi chạy lại lệnh."
        )
    _print_refresh_token(refresh_token, out)
    return refresh_token


def _print_refresh_token(refresh_token: str, out: TextIO) -> None:
    """Show the refresh token once, with where to keep it (never in the config file)."""
    print("Đã nhận refresh token (chỉ hiện một lần):", file=out)
    print(f"\n    {refresh_token}\n", file=out)
    print("Lưu nó vào một tệp chỉ người chạy mailbot đọc được (chmod 600) và khai báo", file=out)
    print(
        "[mailbox] oauth_refresh_token_file = <đường dẫn tệp>, hoặc đặt nó vào biến môi", file=out
    )
    print("trường có tên khai báo ở [mailbox] oauth_refresh_token_env.", file=out)
    print("Không ghi token vào tệp cấu hình.", file=out, flush=True)
