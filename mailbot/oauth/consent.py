"""`mailbot auth-gmail`: Google's installed-app consent flow that yields a refresh token.

Owns: PKCE (RFC 7636), the consent URL, a one-shot loopback HTTP server on 127.0.0.1 that
receives the redirect (or a pasted redirect URL), and the code-for-token exchange. Prints the
refresh token once with where to keep it; must not write it anywhere (config, files, logs).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import queue
import secrets
import sys
import threading
import urllib.request
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import TextIO
from urllib.parse import parse_qs, urlencode, urlsplit

from mailbot.errors import AuthError, ConfigError
from mailbot.oauth.tokens import (
    GMAIL_SCOPE,
    GOOGLE_TOKEN_URI,
    TokenRefused,
    check_token_uri,
    post_token_form,
)

log = logging.getLogger(__name__)

GOOGLE_AUTH_URI = "https://accounts.google.com/o/oauth2/v2/auth"


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
    try:
        server = _RedirectServer(port)
    except OSError as exc:
        raise ConfigError(f"port {port}: không mở được trên 127.0.0.1 ({exc.strerror}).") from None
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
        payload = post_token_form(opener or urllib.request.build_opener(), token_uri, fields)
    except TokenRefused as exc:
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
