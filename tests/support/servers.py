"""Real mail servers for tests: a throwaway Dovecot (IMAP) and an aiosmtpd recorder (SMTP).

Owns starting, stopping and inspecting these servers on 127.0.0.1; never touches a system
Dovecot (own base_dir, state_dir and instance_name) and never mocks the protocols. Fixtures
that wrap these helpers live in tests/conftest.py.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import ssl
import subprocess
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from imapclient import IMAPClient

from tests.support import server_mark

NOBODY = 65534
DOVECOT_USER = "office@example.test"

DOVECOT_CONF = """\
base_dir = {root}/run
state_dir = {root}/state
instance_name = mailbot-test-{tag}
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = {ssl}
{ssl_files}
disable_plaintext_auth = no
auth_mechanisms = plain login
# Tests of a wrong password should not wait the default 2 s.
auth_failure_delay = 0
first_valid_uid = 1
mail_location = maildir:~/Maildir
mail_max_userip_connections = 200
# A fast shutdown: the tests kill the process group anyway.
shutdown_clients = yes
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {ssl_port}
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={uid} home={root}/home/%u
}}
"""


def dovecot_binary() -> str | None:
    """Path of the dovecot binary, also when /usr/sbin is not on PATH; None if missing."""
    found = shutil.which("dovecot")
    if found:
        return found
    return "/usr/sbin/dovecot" if os.access("/usr/sbin/dovecot", os.X_OK) else None


def dovecot_unavailable_reason() -> str | None:
    """Why a test Dovecot cannot run here, or None when it can."""
    if dovecot_binary() is None:
        return "dovecot is not installed (apt-get install dovecot-imapd)"
    if os.geteuid() != 0:
        return "the test Dovecot needs root (it runs mail processes as nobody)"
    return None


def free_port() -> int:
    """A free TCP port on 127.0.0.1, probed with SO_REUSEADDR so a restart can rebind it."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_greeting(host: str, port: int, prefix: bytes, deadline_s: float = 10.0) -> None:
    """Block until the server at host:port sends a greeting starting with `prefix`."""
    deadline = time.monotonic() + deadline_s
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=1.0) as conn:
                if conn.recv(64).startswith(prefix):
                    return
        except OSError as exc:
            last = exc
        time.sleep(0.02)
    raise RuntimeError(f"no {prefix!r} greeting from {host}:{port} in {deadline_s}s: {last}")


def make_self_signed(directory: Path, hostname: str = "localhost") -> tuple[Path, Path]:
    """Write a self-signed certificate and key for `hostname` (and 127.0.0.1); return paths."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
            *("-keyout", str(key), "-out", str(cert), "-subj", f"/CN={hostname}"),
            *("-addext", f"subjectAltName=DNS:{hostname},IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@dataclass(frozen=True)
class StoredMessage:
    """One message as the test Dovecot holds it."""

    uid: int
    flags: frozenset[str]
    body: bytes
    internal_date: datetime


@dataclass
class Dovecot:
    """A running throwaway Dovecot on 127.0.0.1 with one user and a Maildir home."""

    root: Path
    host: str = "127.0.0.1"
    port: int = 0
    ssl_port: int = 0
    user: str = DOVECOT_USER
    password: str = field(default_factory=lambda: "pw-" + uuid.uuid4().hex[:12])
    tls: bool = False
    _proc: subprocess.Popen[bytes] | None = None

    @property
    def maildir(self) -> Path:
        """The user's Maildir root (INBOX)."""
        return self.root / "home" / self.user / "Maildir"

    @property
    def cafile(self) -> Path:
        """The self-signed certificate clients must trust when `tls` is on."""
        return self.root / "cert.pem"

    def configure(self) -> None:
        """Write dovecot.conf, the passwd file and the Maildir home with workable permissions."""
        self.port = self.port or free_port()
        self.ssl_port = self.ssl_port or free_port()
        # mkdtemp makes 0700 dirs; the auth and imap processes must traverse the root. Parents
        # are not ours to change: refuse a root that they would make unreachable.
        self.root.chmod(0o755)
        for parent in self.root.parents:
            if not parent.stat().st_mode & 0o001:
                raise RuntimeError(f"Dovecot cannot traverse {parent}: use a root under /tmp")
        ssl_files = ""
        if self.tls:
            cert, key = make_self_signed(self.root)
            key.chmod(0o644)
            ssl_files = f"ssl_cert = <{cert}\nssl_key = <{key}"
        (self.root / "passwd").write_text(f"{self.user}:{{PLAIN}}{self.password}\n")
        conf = DOVECOT_CONF.format(
            root=self.root,
            tag=uuid.uuid4().hex[:8],
            port=self.port,
            ssl_port=self.ssl_port if self.tls else 0,
            ssl="yes" if self.tls else "no",
            ssl_files=ssl_files,
            uid=NOBODY,
        )
        (self.root / "dovecot.conf").write_text(conf)
        for sub in ("run", "state"):
            (self.root / sub).mkdir(exist_ok=True)
        home = self.root / "home" / self.user
        (home / "Maildir").mkdir(parents=True, exist_ok=True)
        for path in (self.root / "home", home, home / "Maildir"):
            os.chown(path, NOBODY, NOBODY)
            path.chmod(0o755)

    def start(self) -> None:
        """Start the master in the foreground as a child; return once IMAP greets."""
        server_mark.starting("Dovecot")
        binary = dovecot_binary()
        assert binary is not None
        # The child keeps its own copy of the log descriptor; ours can close at once.
        with open(self.root / "dovecot.stderr", "ab") as stderr:
            self._proc = subprocess.Popen(
                [binary, "-F", "-c", str(self.root / "dovecot.conf")],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                start_new_session=True,  # own process group: stop() cuts every session at once
            )
        try:
            wait_for_greeting(self.host, self.port, b"* OK")
        except RuntimeError as exc:
            self.stop()
            raise RuntimeError(f"{exc}\n{self.log_tail()}") from None

    def stop(self) -> None:
        """Kill the whole process group at once (open sessions included) and reap the master."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def restart(self) -> None:
        """Stop and start again on the same port, keeping the mail."""
        self.stop()
        self.start()

    def log_tail(self, lines: int = 20) -> str:
        """The last lines of Dovecot's log, for failure messages."""
        text = ""
        for name in ("dovecot.log", "dovecot.stderr"):
            path = self.root / name
            if path.exists():
                text += path.read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    @contextlib.contextmanager
    def client(self) -> Iterator[IMAPClient]:
        """A logged-in plain IMAP client for inspecting or preparing the mailbox."""
        client = IMAPClient(self.host, self.port, ssl=False, timeout=10)
        client.normalise_times = False
        try:
            client.login(self.user, self.password)
            yield client
        finally:
            with contextlib.suppress(Exception):
                client.logout()

    def create_folder(self, name: str) -> None:
        """Create a folder (str names are sent as modified UTF-7)."""
        with self.client() as client:
            client.create_folder(name)

    def append(
        self,
        folder: str,
        raw: bytes,
        flags: Iterable[str] = (),
        msg_time: datetime | None = None,
    ) -> int:
        """Append one message to `folder` (created if missing) and return its UID."""
        with self.client() as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            response = client.append(folder, raw, flags=tuple(flags), msg_time=msg_time)
        # APPENDUID (UIDPLUS): b"[APPENDUID <uidvalidity> <uid>] Append completed."
        return int(response.split(b"]")[0].split()[-1])

    def append_many(self, folder: str, raws: Iterable[bytes]) -> list[int]:
        """Append several messages over one connection; return their UIDs."""
        uids = []
        with self.client() as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            for raw in raws:
                response = client.append(folder, raw)
                uids.append(int(response.split(b"]")[0].split()[-1]))
        return uids

    def messages(self, folder: str) -> list[StoredMessage]:
        """Every message of `folder` in UID order, read with PEEK so \\Seen stays as it is."""
        with self.client() as client:
            if not client.folder_exists(folder):
                return []
            client.select_folder(folder, readonly=True)
            uids = client.search("ALL")
            if not uids:
                return []
            data = client.fetch(uids, ["FLAGS", "BODY.PEEK[]", "INTERNALDATE"])
        return [
            StoredMessage(
                uid=uid,
                # \Recent is session state, not something the code under test sets.
                flags=frozenset(f.decode() for f in data[uid][b"FLAGS"]) - {"\\Recent"},
                body=data[uid][b"BODY[]"],
                internal_date=data[uid][b"INTERNALDATE"],
            )
            for uid in sorted(data)
        ]

    def uidvalidity(self, folder: str) -> int:
        """The folder's current UIDVALIDITY."""
        with self.client() as client:
            return int(client.folder_status(folder, ["UIDVALIDITY"])[b"UIDVALIDITY"])

    def change_uidvalidity(self, folder: str = "INBOX") -> int:
        """Give `folder` a new UIDVALIDITY (messages kept) via doveadm; return the new value."""
        new = self.uidvalidity(folder) + 1000
        subprocess.run(
            [
                *("doveadm", "-c", str(self.root / "dovecot.conf"), "mailbox", "update"),
                *("-u", self.user, "--uid-validity", str(new), folder),
            ],
            check=True,
            capture_output=True,
        )
        return new


def start_dovecot(root: Path, *, tls: bool = False) -> Dovecot:
    """Configure and start a Dovecot under `root`; the caller must stop() it."""
    server = Dovecot(root=root, tls=tls)
    server.configure()
    server.start()
    return server


@dataclass(frozen=True)
class Received:
    """One message as the SMTP recorder accepted it."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes


class _Recorder:
    """aiosmtpd handler that keeps every accepted message; can insist on AUTH first."""

    def __init__(
        self,
        sink: list[Received],
        require_auth: bool,
        refuse_rcpt: dict[str, str] | None = None,
        hang_up_rcpt: set[str] | None = None,
    ) -> None:
        self.sink = sink
        self.require_auth = require_auth
        self.refuse_rcpt = refuse_rcpt if refuse_rcpt is not None else {}
        self.hang_up_rcpt = hang_up_rcpt if hang_up_rcpt is not None else set()

    async def handle_RCPT(
        self, server: object, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        # A recipient the test names is refused with its reply (e.g. "550 5.1.1 no such user").
        if address.lower() in self.refuse_rcpt:
            return self.refuse_rcpt[address.lower()]
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(options)
        return "250 OK"

    async def handle_MAIL(
        self, server: object, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        # Enforced here rather than with auth_required, which warns when TLS is not required.
        if self.require_auth and not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: object, envelope: Any) -> str:
        if self.hang_up_rcpt & {a.lower() for a in envelope.rcpt_tos}:
            # Like a content filter that drops the connection instead of answering.
            server.transport.close()
            return "421 closing"
        self.sink.append(
            Received(
                mail_from=envelope.mail_from,
                rcpt_tos=tuple(envelope.rcpt_tos),
                data=envelope.original_content,
            )
        )
        return "250 OK"


@dataclass
class SmtpServer:
    """An aiosmtpd recorder on 127.0.0.1 that can go down and come back on the same port."""

    host: str = "127.0.0.1"
    port: int = 0
    username: str | None = None
    password: str | None = None
    tls_context: ssl.SSLContext | None = None
    implicit_tls: bool = False  # True: TLS from the first byte (SMTPS); False: STARTTLS offered
    messages: list[Received] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    # Recipient address (lower case) → the reply refusing it at RCPT TO.
    refuse_rcpt: dict[str, str] = field(default_factory=dict)
    # Recipients (lower case) whose message makes the server hang up during DATA.
    hang_up_rcpt: set[str] = field(default_factory=set)
    _controller: Controller | None = None

    def _authenticate(
        self, server: object, session: object, envelope: object, mechanism: str, auth: object
    ) -> AuthResult:
        ok = (
            isinstance(auth, LoginPassword)
            and auth.login.decode() == self.username
            and auth.password.decode() == self.password
        )
        if ok:
            self.logins.append(self.username or "")
        return AuthResult(success=ok, handled=False)

    def start(self) -> None:
        """Listen (again) on the same port."""
        server_mark.starting("an SMTP server")
        self.port = self.port or free_port()
        auth = self.username is not None
        self._controller = Controller(
            _Recorder(
                self.messages,
                require_auth=auth,
                refuse_rcpt=self.refuse_rcpt,
                hang_up_rcpt=self.hang_up_rcpt,
            ),
            hostname=self.host,
            port=self.port,
            authenticator=self._authenticate if auth else None,
            auth_required=False,
            auth_require_tls=False,
            tls_context=None if self.implicit_tls else self.tls_context,
            ssl_context=self.tls_context if self.implicit_tls else None,
            require_starttls=False,
            decode_data=False,
        )
        self._controller.start()

    def stop(self) -> None:
        """Stop listening; connections are then refused."""
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()


def raw_message(n: int, subject: str = "Báo cáo Phụ lục 2", body: str = "Kính gửi phòng.") -> bytes:
    """A small, distinct RFC 5322 message (CRLF line ends, as IMAP stores them) numbered `n`."""
    msg = EmailMessage(policy=SMTP)
    msg["From"] = f"Trường số {n} <school{n}@example.test>"
    msg["To"] = DOVECOT_USER
    msg["Subject"] = f"{subject} #{n}"
    msg["Message-ID"] = f"<msg-{n}@example.test>"
    msg.set_content(f"{body} ({n})\n")
    return msg.as_bytes()
