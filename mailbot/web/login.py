"""Logging in and out: one plain HTML form (user, password, CSRF token), rate-limited.

Owns the login page, the bootstrap of the user `admin` from `[web] password_env/_file`, and
the session cookie's life. Before login the CSRF token is a cookie the form must repeat
(double submit); after login it is the session's own token.
"""

from __future__ import annotations

import time
from datetime import timedelta

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from mailbot.store import Store
from mailbot.web.passwords import hash_password, verify_password
from mailbot.web.session import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    Console,
    html,
    new_token,
    refuse,
    same,
    set_cookie,
)

ADMIN = "admin"


def bootstrap_admin(console: Console, store: Store) -> None:
    """Give `admin` the configured bootstrap password (when one is configured)."""
    secret = console.cfg.web.admin_password
    if secret.env is None and secret.file is None:
        return
    password = secret.resolve("web.password")
    if not verify_password(password, store.web_password_hash(ADMIN)):
        store.set_web_user(ADMIN, hash_password(password), console.clock())


def _next(target: str | None) -> str:
    """Where to go after login: a path on this site only (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


async def login_page(request: Request) -> Response:
    """GET /login: the form, with the CSRF token in a cookie and a hidden field.

    A token the browser already holds is kept, so two open login tabs both work.
    """
    held = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    token = held if len(held) == len(new_token()) else new_token()
    response = html(
        "login.html.j2",
        user=None,
        csrf=token,
        next=_next(request.query_params.get("next")),
        error=None,
    )
    set_cookie(response, request, LOGIN_CSRF_COOKIE, token, max_age=3600)
    return response


async def login(request: Request) -> Response:
    """POST /login: check the token, the limiter and the password; open a session."""
    console: Console = request.app.state.console
    form = await request.form()
    name = str(form.get("username", "")).strip()
    password = str(form.get("password", ""))
    target = _next(str(form.get("next", "")))
    if not same(str(form.get("csrf", "")), request.cookies.get(LOGIN_CSRF_COOKIE, "")):
        return refuse(403, "Biểu mẫu đăng nhập thiếu mã chống giả mạo (CSRF). Xin tải lại trang.")
    client = request.client.host if request.client else "?"
    keys = (f"user:{name.casefold()}", f"client:{client}")
    wait = console.limiter.wait_seconds(keys, time.monotonic())
    if wait > 0:
        minutes = max(1, round(wait / 60))
        return _again(request, name, target, 429,
                      f"Đăng nhập sai quá nhiều lần. Xin thử lại sau {minutes} phút.")  # fmt: skip
    token = await run_in_threadpool(_check, console, name, password, client)
    if token is None:
        console.limiter.failed(keys, time.monotonic())
        return _again(request, name, target, 401, "Sai tên đăng nhập hoặc mật khẩu.")
    console.limiter.succeeded(keys)
    response = RedirectResponse(target, status_code=303)
    hours = console.cfg.web.session_hours
    set_cookie(response, request, SESSION_COOKIE, token, max_age=hours * 3600)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
    return response


def _check(console: Console, name: str, password: str, client: str) -> str | None:
    """A new session token when the password is right (audited either way), else None."""
    now = console.clock()
    with console.store() as store:
        if not verify_password(password, store.web_password_hash(name)):
            store.audit(name or "?", "login_failed", client, now)
            return None
        token = new_token()
        expires = now + timedelta(hours=console.cfg.web.session_hours)
        store.open_session(token, name, new_token(), now, expires)
        store.audit(name, "login", client, now)
        return token


def _again(request: Request, name: str, target: str, status: int, error: str) -> Response:
    token = new_token()
    response = html(
        "login.html.j2", status, user=None, csrf=token, next=target, error=error, username=name
    )
    set_cookie(response, request, LOGIN_CSRF_COOKIE, token, max_age=3600)
    return response


async def logout(request: Request) -> Response:
    """POST /logout: end the session (CSRF-checked like every POST)."""
    console: Console = request.app.state.console
    form = await request.form()
    token = request.cookies.get(SESSION_COOKIE, "")
    now = console.clock()

    def end() -> bool:
        with console.store() as store:
            session = store.session(token, now) if token else None
            if session is None or not same(str(form.get("csrf", "")), session.csrf_token):
                return False
            store.close_session(token)
            store.audit(session.user_name, "logout", "", now)
            return True

    if not await run_in_threadpool(end):
        return refuse(403, "Biểu mẫu thiếu mã chống giả mạo (CSRF). Xin tải lại trang.")
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
