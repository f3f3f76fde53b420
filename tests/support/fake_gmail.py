"""A small local IMAP server that speaks Gmail's dialect, for what Dovecot cannot play.

Owns: a threaded TCP server on 127.0.0.1 implementing the commands mailbot's ImapSource sends
(CAPABILITY with X-GM-EXT-1, LOGIN, ID, LIST with special-use flags, SELECT, UID SEARCH,
UID FETCH with X-GM-MSGID, UID STORE of FLAGS and X-GM-LABELS, NOOP, IDLE, LOGOUT) on an
in-memory mailbox. It records every command so tests can assert on the wire. It must not
import mailbot. Everything else (OAuth, IDLE timing, restarts) is tested against Dovecot.
"""

from __future__ import annotations

import re
import socketserver
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType

from imapclient.imap_utf7 import decode as utf7_decode
from imapclient.imap_utf7 import encode as utf7_encode

from tests.support import server_mark

CAPABILITIES = (
    "IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA ID XLIST CHILDREN X-GM-EXT-1 UIDPLUS ENABLE "
    "MOVE CONDSTORE ESEARCH LITERAL+ SPECIAL-USE AUTH=XOAUTH2 AUTH=PLAIN"
)
# Gmail's folders for a Vietnamese-language account: flags are what identify them.
FOLDERS = (
    ("\\HasNoChildren", "INBOX"),
    ("\\HasChildren \\Noselect", "[Gmail]"),
    ("\\All \\HasNoChildren", "[Gmail]/Tất cả thư"),
    ("\\HasNoChildren \\Sent", "[Gmail]/Thư đã gửi"),
    ("\\HasNoChildren \\Trash", "[Gmail]/Thùng rác"),
    ("\\HasNoChildren \\Junk", "[Gmail]/Thư rác"),
)
_TOKEN = re.compile(rb'"((?:[^"\\]|\\.)*)"|(\([^)]*\))|(\S+)')


@dataclass
class GmailMessage:
    """One message in the fake mailbox."""

    uid: int
    raw: bytes
    gm_msgid: int
    internal_date: datetime
    flags: set[str] = field(default_factory=set)
    labels: set[str] = field(default_factory=set)


@dataclass
class GmailState:
    """The mailbox (INBOX only) and what the clients sent; tests read and change it."""

    user: str
    password: str
    uidvalidity: int = 11
    messages: list[GmailMessage] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)
    client_ids: list[dict[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_uid: int = 1

    def add(self, raw: bytes, gm_msgid: int, when: datetime | None = None) -> int:
        """Deliver a message to INBOX; returns its UID (a re-delivered copy gets a new UID)."""
        with self.lock:
            uid = self.next_uid
            self.next_uid += 1
            self.messages.append(GmailMessage(uid, raw, gm_msgid, when or datetime.now(UTC)))
            return uid

    def by_uid(self, uid: int) -> GmailMessage:
        """The message with this UID."""
        return next(m for m in self.messages if m.uid == uid)

    def verbs(self) -> list[str]:
        """Each received command's verb (UID commands as 'UID FETCH' etc.)."""
        out = []
        for line in self.commands:
            words = line.split()
            verb = " ".join(words[1:3]) if words[1:2] == ["UID"] else " ".join(words[1:2])
            out.append(verb.upper())
        return out


def _unquote(token: bytes) -> str:
    text = token.decode("ascii", "replace")
    if text.startswith('"') and text.endswith('"'):
        text = text[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return utf7_decode(text.encode("ascii"))


def _uids(spec: str, existing: list[int]) -> list[int]:
    top = max(existing, default=0)
    out: set[int] = set()
    for part in spec.split(","):
        if ":" in part:
            lo, hi = part.split(":")
            a = top if lo == "*" else int(lo)
            b = top if hi == "*" else int(hi)
            a, b = min(a, b), max(a, b)
            out.update(u for u in existing if a <= u <= b)
        else:
            n = top if part == "*" else int(part)
            out.update(u for u in existing if u == n)
    return sorted(out)


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def send(self, line: str | bytes) -> None:
        data = line if isinstance(line, bytes) else line.encode("utf-8")
        self.wfile.write(data + b"\r\n")

    def handle(self) -> None:
        st = self.server.state
        self.send(f"* OK [CAPABILITY {CAPABILITIES}] Gimap ready for requests")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            text = line.rstrip(b"\r\n")
            with st.lock:
                st.commands.append(text.decode("utf-8", "replace"))
            parts = text.split(b" ", 2)
            if len(parts) < 2:
                continue
            tag = parts[0].decode()
            verb = parts[1].decode().upper()
            rest = parts[2] if len(parts) > 2 else b""
            if verb == "UID":
                sub, _, rest = rest.partition(b" ")
                verb = "UID " + sub.decode().upper()
            if not self.dispatch(tag, verb, rest):
                return

    def dispatch(self, tag: str, verb: str, rest: bytes) -> bool:
        st = self.server.state
        if verb == "CAPABILITY":
            self.send(f"* CAPABILITY {CAPABILITIES}")
        elif verb == "LOGIN":
            user, password = (_unquote(m.group(0)) for m in list(_TOKEN.finditer(rest))[:2])
            if (user, password) != (st.user, st.password):
                self.send(f"{tag} NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)")
                return True
        elif verb == "ID":
            values = [_unquote(m.group(0)) for m in _TOKEN.finditer(rest.strip(b"()"))]
            with st.lock:
                st.client_ids.append(dict(zip(values[::2], values[1::2], strict=False)))
            self.send('* ID ("name" "GImap" "vendor" "Google, Inc.")')
        elif verb in ("LIST", "XLIST"):
            for flags, name in FOLDERS:
                if verb == "XLIST" and "\\All" in flags:
                    flags = flags.replace("\\All", "\\AllMail")
                encoded = utf7_encode(name).decode("ascii")
                self.send(f'* {verb} ({flags}) "/" "{encoded}"')
        elif verb in ("SELECT", "EXAMINE"):
            folder = _unquote(rest.strip())
            if folder.upper() != "INBOX":
                self.send(f"{tag} NO [NONEXISTENT] Unknown Mailbox: {folder} (Failure)")
                return True
            self.send("* FLAGS (\\Answered \\Flagged \\Draft \\Deleted \\Seen)")
            self.send("* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Draft \\Deleted \\Seen \\*)]")
            self.send(f"* OK [UIDVALIDITY {st.uidvalidity}] UIDs valid.")
            self.send(f"* {len(st.messages)} EXISTS")
            self.send("* 0 RECENT")
            self.send(f"* OK [UIDNEXT {st.next_uid}] Predicted next UID.")
            self.send(f"{tag} OK [READ-WRITE] {folder} selected. (Success)")
            return True
        elif verb == "UID SEARCH":
            self.search(rest.decode())
        elif verb == "UID FETCH":
            self.fetch(rest)
        elif verb == "UID STORE":
            self.store(rest)
        elif verb == "IDLE":
            self.send("+ idling")
            self.rfile.readline()  # DONE
        elif verb == "LOGOUT":
            self.send("* BYE LOGOUT Requested")
            self.send(f"{tag} OK 73 good day (Success)")
            return False
        elif verb not in ("NOOP", "CHECK", "UNSELECT", "CLOSE"):
            self.send(f"{tag} BAD Unknown command {verb}")
            return True
        self.send(f"{tag} OK Success")
        return True

    def search(self, criteria: str) -> None:
        st = self.server.state
        uids = [m.uid for m in st.messages]
        words = criteria.split()
        if words[:1] == ["UID"]:
            uids = _uids(words[1], uids)
        self.send("* SEARCH " + " ".join(map(str, uids)))

    def fetch(self, rest: bytes) -> None:
        st = self.server.state
        spec, _, items = rest.decode().partition(" ")
        seqs = {m.uid: i + 1 for i, m in enumerate(st.messages)}
        for uid in _uids(spec, list(seqs)):
            msg = st.by_uid(uid)
            head = f"* {seqs[uid]} FETCH (UID {uid}"
            if "BODY.PEEK[HEADER]" in items:
                data = msg.raw.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n"
                self.wfile.write(f"{head} BODY[HEADER] {{{len(data)}}}\r\n".encode() + data)
                self.send(")")
            elif "BODY.PEEK[]" in items:
                self.wfile.write(f"{head} BODY[] {{{len(msg.raw)}}}\r\n".encode() + msg.raw)
                self.send(")")
            else:
                date = msg.internal_date.strftime("%d-%b-%Y %H:%M:%S +0000")
                extra = f" X-GM-MSGID {msg.gm_msgid}" if "X-GM-MSGID" in items else ""
                self.send(f'{head} RFC822.SIZE {len(msg.raw)} INTERNALDATE "{date}"{extra})')

    def store(self, rest: bytes) -> None:
        st = self.server.state
        spec, _, tail = rest.partition(b" ")
        what, _, values = tail.partition(b" ")
        names = [_unquote(m.group(0)) for m in _TOKEN.finditer(values.strip(b"()"))]
        with st.lock:
            for uid in _uids(spec.decode(), [m.uid for m in st.messages]):
                msg = st.by_uid(uid)
                target = msg.labels if what.upper().startswith(b"+X-GM-LABELS") else msg.flags
                target.update(names)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, state: GmailState) -> None:
        server_mark.starting("the fake Gmail IMAP server")
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state


class FakeGmail:
    """The fake server; a context manager. `host`, `port` and `state` for the test."""

    def __init__(self, state: GmailState) -> None:
        self.state = state
        self.host = "127.0.0.1"
        self._server = _Server(state)
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> FakeGmail:
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
