"""A tiny local OAuth2 provider for tests: token, authorization and tokeninfo endpoints.

Owns an http.server on 127.0.0.1 in a thread, standing in for Google's endpoints so the OAuth
tests (and a Dovecot with an oauth2 passdb) run without the network. It must not import mailbot:
it checks what a real provider checks (client credentials, PKCE, redirect URI), so a client bug
shows up as a failed request rather than being mirrored.

    /auth       authorization endpoint: answers with a redirect to redirect_uri?code=&state=
    /token      grant_type=refresh_token and grant_type=authorization_code
    /tokeninfo  ?access_token=... -> {"email": ..., "expires_in": ...} or 401 (for Dovecot)
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qs, urlencode, urlsplit

from tests.support import server_mark


@dataclass
class Grant:
    """One authorization code handed out by /auth, waiting to be exchanged at /token."""

    redirect_uri: str
    code_challenge: str
    scope: str


@dataclass
class ProviderState:
    """What the provider knows and counts; tests read and tweak it between requests."""

    client_id: str
    client_secret: str
    user: str
    refresh_token: str
    expires_in: int = 60
    scope: str = "https://mail.google.com/"
    # Set to an OAuth error code ("invalid_grant", ...) to answer every /token call with it.
    token_error: str | None = None
    # Set to an HTTP status (500, 503) to fail every /token call with a bare server error.
    token_status: int | None = None
    refreshes: int = 0
    exchanges: int = 0
    tokeninfo_calls: int = 0
    issued: dict[str, float] = field(default_factory=dict)  # access token -> expiry (epoch s)
    grants: dict[str, Grant] = field(default_factory=dict)  # code -> grant
    lock: threading.Lock = field(default_factory=threading.Lock)

    def issue_access_token(self) -> str:
        """Mint an access token valid for `expires_in` seconds of real time."""
        token = "ya29.test-" + secrets.token_urlsafe(24)
        self.issued[token] = time.time() + self.expires_in
        return token

    def expire_all(self) -> None:
        """Make every access token issued so far expired, as if an hour had passed."""
        with self.lock:
            for token in self.issued:
                self.issued[token] = 0.0


def s256(verifier: str) -> str:
    """PKCE S256 challenge of a verifier, computed independently of mailbot (RFC 7636 4.2)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/auth":
            self._authorize(query)
        elif url.path == "/tokeninfo":
            self._tokeninfo(query)
        else:
            self._json(404, {"error": "not_found"})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode("ascii")
        form = {k: v[0] for k, v in parse_qs(body).items()}
        if urlsplit(self.path).path != "/token":
            self._json(404, {"error": "not_found"})
            return
        self._token(form)

    def _authorize(self, q: dict[str, str]) -> None:
        st = self.server.state
        redirect = q.get("redirect_uri", "")
        ok = (
            q.get("response_type") == "code"
            and q.get("client_id") == st.client_id
            and q.get("code_challenge_method") == "S256"
            and q.get("access_type") == "offline"
            and q.get("scope") == st.scope
            and "state" in q
            and urlsplit(redirect).hostname == "127.0.0.1"
        )
        if not ok:
            self._json(400, {"error": "invalid_request", "got": q})
            return
        code = "4/test-" + secrets.token_urlsafe(16)
        with st.lock:
            st.grants[code] = Grant(redirect, q.get("code_challenge", ""), q["scope"])
        self.send_response(302)
        self.send_header(
            "Location", redirect + "?" + urlencode({"code": code, "state": q["state"]})
        )
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _token(self, f: dict[str, str]) -> None:
        st = self.server.state
        if st.token_status is not None:
            self._json(st.token_status, {"error": "server_error"})
            return
        if st.token_error is not None:
            desc = "Token has been expired or revoked."
            self._json(400, {"error": st.token_error, "error_description": desc})
            return
        if f.get("client_id") != st.client_id or f.get("client_secret") != st.client_secret:
            self._json(401, {"error": "invalid_client"})
            return
        grant_type = f.get("grant_type")
        if grant_type == "refresh_token":
            self._refresh(f)
        elif grant_type == "authorization_code":
            self._exchange(f)
        else:
            self._json(400, {"error": "unsupported_grant_type"})

    def _refresh(self, f: dict[str, str]) -> None:
        st = self.server.state
        if f.get("refresh_token") != st.refresh_token:
            self._json(400, {"error": "invalid_grant", "error_description": "Bad Request"})
            return
        with st.lock:
            st.refreshes += 1
            token = st.issue_access_token()
        self._json(
            200,
            {"access_token": token, "expires_in": st.expires_in, "token_type": "Bearer",
             "scope": st.scope},
        )  # fmt: skip

    def _exchange(self, f: dict[str, str]) -> None:
        st = self.server.state
        with st.lock:
            grant = st.grants.pop(f.get("code", ""), None)
        if grant is None or grant.redirect_uri != f.get("redirect_uri"):
            self._json(400, {"error": "invalid_grant", "error_description": "Bad code"})
            return
        if s256(f.get("code_verifier", "")) != grant.code_challenge:
            self._json(400, {"error": "invalid_grant", "error_description": "Bad code verifier"})
            return
        with st.lock:
            st.exchanges += 1
            token = st.issue_access_token()
        self._json(
            200,
            {"access_token": token, "expires_in": st.expires_in, "token_type": "Bearer",
             "scope": grant.scope, "refresh_token": st.refresh_token},
        )  # fmt: skip

    def _tokeninfo(self, q: dict[str, str]) -> None:
        st = self.server.state
        with st.lock:
            st.tokeninfo_calls += 1
            expiry = st.issued.get(q.get("access_token", ""), 0.0)
        left = int(expiry - time.time())
        if left <= 0:
            self._json(401, {"error": "invalid_token"})
            return
        self._json(200, {"email": st.user, "expires_in": left, "scope": st.scope})

    def _json(self, status: int, payload: object) -> None:
        data = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: ProviderState) -> None:
        server_mark.starting("the OAuth provider")
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state


class OAuthProvider:
    """The local provider; use as a context manager, read `state`, build URLs with `url()`."""

    def __init__(self, state: ProviderState) -> None:
        self.state = state
        self._server = _Server(state)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        """TCP port the provider listens on."""
        return int(self._server.server_address[1])

    def url(self, path: str) -> str:
        """Absolute http URL of an endpoint path such as "/token"."""
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> OAuthProvider:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
