"""Requests of the console: the login session, the CSRF check, and a store per request.

Owns `Console` (what the app shares: config, clock, limiter), the cookies and `page`, which
wraps a page handler: no session → to the login page (GET) or 403 (POST); a POST without
the session's CSRF token → 403. Handlers run in a worker thread with their own connection,
so a slow page never holds up the server loop, and the web side never holds a poll lock
longer than one of its actions.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from mailbot.config import Config
from mailbot.errors import MailbotError
from mailbot.messages.render import render
from mailbot.store import Store
from mailbot.store.base import connect
from mailbot.web.ratelimit import LoginLimiter

log = logging.getLogger(__name__)

SESSION_COOKIE = "mailbot_session"
LOGIN_CSRF_COOKIE = "mailbot_login_csrf"
# Pages must not be framed, sniffed, cached or leak their address; no script runs anywhere.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


@dataclass
class Console:
    """What every request shares: the config and its file, the clock, the login limiter."""

    cfg: Config
    config_path: Path | None
    clock: Callable[[], datetime]
    limiter: LoginLimiter = field(default_factory=LoginLimiter)
    # Pages rebuilt only when the data changed: name → (store.data_version(), view).
    cache: dict[str, tuple[tuple[object, ...], Any]] = field(default_factory=dict)

    def store(self) -> Store:
        """A connection of its own for one request (the schema was migrated at start-up)."""
        path = str(self.cfg.storage.database)
        return Store(connect(path), path, self.cfg.campaign.timezone)

    def secure_cookies(self, request: Request) -> bool:
        """Secure cookies over TLS: ours, or a proxy's on 127.0.0.1 (X-Forwarded-Proto)."""
        return self.cfg.web.tls or request.url.scheme == "https"


@dataclass
class Ctx:
    """One logged-in request: who, the form, the store and `now`."""

    request: Request
    console: Console
    store: Store
    user: str
    csrf: str
    now: datetime
    form: dict[str, str]

    @property
    def cfg(self) -> Config:
        """The configuration."""
        return self.console.cfg

    def page(self, template: str, status: int = 200, **context: object) -> HTMLResponse:
        """Render a page of templates/web/ for this user."""
        return html(template, status, user=self.user, csrf=self.csrf, cfg=self.cfg, **context)


Handler = Callable[[Ctx], Response]


def html(template: str, status: int = 200, **context: object) -> HTMLResponse:
    """A rendered page with the console's security headers."""
    body = render(f"web/{template}", **context)
    return HTMLResponse(body, status_code=status, headers=SECURITY_HEADERS)


def page(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """Wrap a page handler with the login, CSRF and store plumbing."""

    async def endpoint(request: Request) -> Response:
        form: dict[str, str] = {}
        if request.method == "POST":
            form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
        console: Console = request.app.state.console
        return await run_in_threadpool(_handle, console, request, form, handler)

    endpoint.__name__ = handler.__name__
    endpoint.__doc__ = handler.__doc__
    return endpoint


def _handle(console: Console, request: Request, form: dict[str, str], handler: Handler) -> Response:
    now = console.clock()
    token = request.cookies.get(SESSION_COOKIE, "")
    store = console.store()
    try:
        session = store.session(token, now) if token else None
        if session is None:
            if request.method != "POST":
                target = quote(request.url.path, safe="/")
                return RedirectResponse(f"/login?next={target}", status_code=303)
            return refuse(403, "Phiên đăng nhập đã hết. Xin đăng nhập lại.")
        if request.method == "POST" and not same(form.get("csrf", ""), session.csrf_token):
            return refuse(403, "Biểu mẫu thiếu mã chống giả mạo (CSRF). Xin tải lại trang.")
        ctx = Ctx(request, console, store, session.user_name, session.csrf_token, now, form)
        try:
            return handler(ctx)
        except MailbotError as exc:
            return ctx.page("error.html.j2", 409, message=str(exc))
    finally:
        store.close()


def refuse(status: int, message: str) -> HTMLResponse:
    """A plain refusal page (no session needed)."""
    return html("error.html.j2", status, user=None, csrf="", message=message)


def same(given: str, expected: str) -> bool:
    """Constant-time comparison of two tokens; an empty token never matches."""
    return bool(given) and hmac.compare_digest(given.encode(), expected.encode())


def new_token() -> str:
    """A fresh random token for a session or a CSRF field."""
    return secrets.token_urlsafe(32)


def set_cookie(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    """Set one of our cookies: HttpOnly, SameSite=Strict, Secure behind TLS."""
    console: Console = request.app.state.console
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="strict",
        secure=console.secure_cookies(request),
    )
