"""The console under test: a polled database, a config with [web], a real uvicorn on loopback.

`console_database` polls the office reports (tests/support/office_env.REPORTS) plus one
report from an address and a unit outside the roster, which lands in the problems queue.
`LiveConsole` serves `mailbot.web` from a thread on a free 127.0.0.1 port with the test's
clock, and logs in over plain HTTP (the login page is one form, as for any script).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
import uvicorn

from mailbot.config import load_config
from mailbot.web.server import make_server
from tests.support import server_mark
from tests.support.mailshapes import report_email
from tests.support.office_env import REPORTS, OfficeEnv, copy_database, toml_dumps
from tests.support.pipeline_env import START, PipelineEnv, config_mapping, file_bytes, report_file
from tests.support.servers import Dovecot, SmtpServer, dovecot_unavailable_reason, start_dovecot

ADMIN_PASSWORD = "mật-khẩu-thử-nghiệm-2021"
# Chiềng Bằng (formgen unit 1) is not on the test roster and this address is unknown.
STRAY_SENDER = "nguoila@example.com"
STRAY = (STRAY_SENDER, "web-stray", 1, 3.5)


def poll_with_stray(env: PipelineEnv) -> None:
    """Deliver the office reports and the stray one at their times, then poll once."""
    for sender, name, index, hours in (*REPORTS, STRAY):
        form = report_file(name, "xlsx", unit_index=index)
        raw = report_email(
            sender,
            attachments=[(f"{name}.xlsx", file_bytes(form))],
            message_id=f"<{name}@example.test>",
        )
        env.deliver(raw, when=START + timedelta(hours=hours))
    env.clock.now = START + timedelta(hours=4)
    env.poll()


def write_web_config(office: OfficeEnv, web: dict | None = None) -> Path:
    """Rewrite the office's config file with a [web] section and the admin password file."""
    secret = office.pipe.tmp / "web-admin-password"
    secret.write_text(ADMIN_PASSWORD + "\n", encoding="utf-8")
    mapping = config_mapping(office.pipe.dovecot, office.pipe.smtp, office.pipe.tmp)
    mapping["web"] = {"password_file": str(secret), **(web or {})}
    office.config_path.write_text(toml_dumps(mapping), encoding="utf-8")
    return office.config_path


@dataclass
class LiveConsole:
    """`mailbot.web` served by uvicorn in a thread on 127.0.0.1 (port chosen by the kernel)."""

    office: OfficeEnv
    web: dict = field(default_factory=dict)  # more [web] keys (e.g. the TLS files)
    server: uvicorn.Server | None = None
    thread: threading.Thread | None = None
    base_url: str = ""
    clients: list[httpx.Client] = field(default_factory=list)

    def start(self) -> LiveConsole:
        """Start serving; returns once the socket listens."""
        server_mark.starting("the web console")
        path = write_web_config(self.office, self.web)
        cfg = load_config(path)
        self.server = make_server(cfg, path, "127.0.0.1", 0, clock=self.office.clock)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the console did not start")
            time.sleep(0.01)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.base_url = f"{'https' if cfg.web.tls else 'http'}://127.0.0.1:{port}"
        return self

    def stop(self) -> None:
        """Stop serving and close the clients."""
        for client in self.clients:
            client.close()
        if self.server is not None and self.thread is not None:
            self.server.should_exit = True
            self.thread.join(timeout=10)

    def client(self) -> httpx.Client:
        """A fresh HTTP client (its own cookies) that does not follow redirects."""
        # verify=False: the TLS test's certificate is self-signed.
        client = httpx.Client(
            base_url=self.base_url, follow_redirects=False, timeout=60, verify=False
        )
        self.clients.append(client)
        return client

    def login(self, client: httpx.Client, password: str = ADMIN_PASSWORD) -> httpx.Response:
        """Fill in the login form as a script would: GET it, POST user, password, token."""
        page = client.get("/login")
        return client.post(
            "/login",
            data={
                "username": "admin",
                "password": password,
                "csrf": csrf_of(page.text),
                "next": "/",
            },
        )


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def console_database(directory: Path) -> Path:
    """Poll the office reports and the stray one through throwaway servers; the database."""
    reason = dovecot_unavailable_reason()
    if reason:
        pytest.skip(reason)
    # Not under pytest's tmp dir: Dovecot needs every parent traversable (see conftest).
    root = Path(tempfile.mkdtemp(prefix="mailbot-web-"))
    dovecot, smtp = start_dovecot(root), SmtpServer()
    smtp.start()
    try:
        os.environ["MAILBOT_TEST_IMAP_PASSWORD"] = dovecot.password
        poll_with_stray(PipelineEnv(dovecot, smtp, directory))
    finally:
        smtp.stop()
        dovecot.stop()
        shutil.rmtree(root, ignore_errors=True)
    return directory / "db.sqlite3"


def output_dir() -> Path:
    """Where tests leave files for people to look at (screenshots): $MAILBOT_TEST_OUTPUT."""
    folder = Path(os.environ.get("MAILBOT_TEST_OUTPUT", Path(__file__).parents[2] / "test-output"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# --- fixtures shared by the console's test modules (import them by name) ------------------

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
AFTERNOON = datetime(2021, 10, 12, 17, 0, tzinfo=TZ)


@pytest.fixture(scope="module")
def polled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The office reports and one stray report, polled once for the importing module."""
    return console_database(tmp_path_factory.mktemp("polled"))


@pytest.fixture
def office(
    dovecot: Dovecot,
    smtp_server: SmtpServer,
    tmp_path: Path,
    polled: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> OfficeEnv:
    """A copy of the polled database and archive, a config file, the clock at AFTERNOON."""
    copy_database(polled, tmp_path / "db.sqlite3")
    shutil.copytree(polled.parent / "archive", tmp_path / "archive")
    env = OfficeEnv(PipelineEnv(dovecot, smtp_server, tmp_path), capsys, monkeypatch)
    env.at(AFTERNOON)
    return env


@pytest.fixture
def console(office: OfficeEnv) -> Iterator[LiveConsole]:
    """The console served on a free loopback port."""
    live = LiveConsole(office).start()
    try:
        yield live
    finally:
        live.stop()
