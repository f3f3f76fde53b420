"""The IMAP edge: `ImapSource`, a `Source` over imapclient (Gmail in production, Dovecot in tests).

Owns the IMAP connection (one at a time per source): connect with a timeout, log in (password
or XOAUTH2), introduce itself with ID, select, list by UID, fetch with BODY.PEEK[], flag and
move, or on Gmail (X-GM-EXT-1) label instead of moving. Pure reading of answers lives in
`imap_responses`, the IDLE exchange in `imap_idle`. Must not decide what is new (the store
does), never reads or writes \\Seen, and never puts a password or token in an error or a log.
"""

from __future__ import annotations

import contextlib
import logging
import ssl
import threading
from collections.abc import Iterator, Sequence
from datetime import date
from types import TracebackType
from typing import Literal, Self

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from mailbot.errors import AuthError, MessageGoneError, SourceError
from mailbot.mailbox.gmail import (
    GMAIL_CAPABILITY,
    check_poll_folder,
    check_processed_folder,
    id_parameters,
    processed_label,
    special_folders,
)
from mailbot.mailbox.imap_idle import announces_mail, idle_round, said_bye
from mailbot.mailbox.imap_responses import GMAIL_ID, keyword_kept, message_ref, nfc, one_line
from mailbot.mailbox.source import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_PROCESSED_FLAG,
    MessageRef,
    check_batch_size,
    chunks,
)
from mailbot.oauth.tokens import TokenProvider, imap_oauth2_login

log = logging.getLogger(__name__)

Security = Literal["ssl", "starttls", "none"]
LIST_ITEMS = [b"RFC822.SIZE", b"INTERNALDATE"]


class ImapSource:
    """A `Source` on an IMAP server; enter it to connect, exit to log out."""

    def __init__(
        self,
        host: str,
        port: int,
        security: Security,
        username: str,
        password: str,
        *,
        timeout_s: float = 60,
        batch_size: int = DEFAULT_BATCH_SIZE,
        processed_flag: str | None = DEFAULT_PROCESSED_FLAG,
        processed_folder: str | None = None,
        ssl_context: ssl.SSLContext | None = None,
        token_provider: TokenProvider | None = None,
    ) -> None:
        if security not in ("ssl", "starttls", "none"):
            raise ValueError(f"security must be ssl, starttls or none, got {security!r}")
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self._password = password
        self.timeout_s = timeout_s
        self.batch_size = check_batch_size(batch_size)
        self.processed_flag = processed_flag
        # NFC so "Đã xử lý" typed on any keyboard names the same folder.
        self.processed_folder = nfc(processed_folder) if processed_folder else None
        self.ssl_context = ssl_context
        # With a token provider the login is XOAUTH2 (Gmail OAuth2) and `password` is unused.
        self.token_provider = token_provider
        self._client: IMAPClient | None = None
        self._folder: str | None = None
        self._uidvalidity: int | None = None
        self._known_folders: set[str] = set()
        self._special: dict[str, str] | None = None
        self._checked: set[str] = set()
        # Gmail (CAPABILITY X-GM-EXT-1): label processed mail instead of moving it.
        self.gmail = False

    def __repr__(self) -> str:
        return f"ImapSource({self.username}@{self.host}:{self.port}, {self.security})"

    # --- connection -------------------------------------------------------------------------

    def __enter__(self) -> Self:
        """Connect and log in; raises SourceError (unreachable) or AuthError (refused)."""
        self.close()
        # With OAuth a refused token gets one more try: the cache may hold a revoked one.
        tries = 2 if self.token_provider is not None else 1
        for attempt in range(1, tries + 1):
            client = self._connect()
            try:
                self._login(client)
                break
            except LoginError as exc:
                self._drop(client)
                if attempt == tries or self.token_provider is None:
                    how = "XOAUTH2 login" if self.token_provider else "login"
                    raise AuthError(
                        f"IMAP server {self.host}:{self.port} refused the {how} of "
                        f"{self.username}: {one_line(exc)}"
                    ) from None
                self.token_provider.invalidate()
            except (IMAPClientError, OSError) as exc:
                self._drop(client)
                raise self._error("login", exc) from None
            except BaseException:  # token errors (AuthError, TokenEndpointError) and the rest
                self._drop(client)
                raise
        client.normalise_times = False  # keep INTERNALDATE timezone-aware
        self._client = client
        self._hello(client)
        return self

    def _hello(self, client: IMAPClient) -> None:
        """Learn the server's dialect (Gmail or not) and introduce ourselves with ID."""
        try:
            self.gmail = bool(client.has_capability(GMAIL_CAPABILITY))
            if client.has_capability("ID"):
                client.id_(id_parameters())
        except (IMAPClientError, OSError) as exc:
            self.close()
            raise self._error("capability/ID", exc) from None

    def _login(self, client: IMAPClient) -> None:
        if self.token_provider is None:
            client.login(self.username, self._password)
        else:
            imap_oauth2_login(client, self.username, self.token_provider.access_token())

    @staticmethod
    def _drop(client: IMAPClient) -> None:
        with contextlib.suppress(Exception):
            client.shutdown()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Log out if connected; a dead connection is just dropped."""
        client, self._client = self._client, None
        self._folder = self._uidvalidity = None
        self._known_folders.clear()
        self._special = None
        self._checked.clear()
        if client is None:
            return
        try:
            client.logout()
        except (IMAPClientError, OSError):
            with contextlib.suppress(Exception):
                client.shutdown()

    def _connect(self) -> IMAPClient:
        try:
            client = IMAPClient(
                self.host,
                self.port,
                ssl=self.security == "ssl",
                ssl_context=self.ssl_context,
                timeout=self.timeout_s,
            )
            if self.security == "starttls":
                client.starttls(self.ssl_context)
        except (IMAPClientError, OSError) as exc:
            raise SourceError(
                f"cannot reach IMAP server {self.host}:{self.port} ({self.security}): "
                f"{one_line(exc)}"
            ) from None
        return client

    def _error(self, action: str, exc: BaseException) -> SourceError:
        return SourceError(f"IMAP {action} failed on {self.host}:{self.port}: {one_line(exc)}")

    @contextlib.contextmanager
    def _guard(self, action: str) -> Iterator[IMAPClient]:
        """Yield the live client; turn protocol and socket failures into SourceError."""
        if self._client is None:
            raise SourceError(f"IMAP {action}: not connected (use the source in a with block)")
        try:
            yield self._client
        except (IMAPClientError, OSError) as exc:
            raise self._error(action, exc) from None

    # --- Source -----------------------------------------------------------------------------

    def select(self, folder: str) -> int:
        """Select `folder` read-write and return its UIDVALIDITY."""
        folder = nfc(folder)
        if folder not in self._checked and folder.upper() != "INBOX":
            check_poll_folder(folder, self.special_folders())
        self._checked.add(folder)
        with self._guard(f"select {folder!r}") as client:
            info = client.select_folder(folder)
        self._folder = folder
        self._uidvalidity = int(info[b"UIDVALIDITY"])
        if self.processed_flag and not keyword_kept(
            self.processed_flag, info.get(b"PERMANENTFLAGS", ())
        ):
            log.warning("IMAP folder %r may not keep the flag %s", folder, self.processed_flag)
        return self._uidvalidity

    def all_uids(self) -> list[int]:
        """Every UID in the selected folder, ascending."""
        with self._guard("search") as client:
            self._require_folder()
            return sorted(int(uid) for uid in client.search("ALL"))

    def uids_after(self, last_uid: int) -> list[int]:
        """UIDs greater than `last_uid` in the selected folder, ascending."""
        with self._guard("search") as client:
            self._require_folder()
            found = client.search(["UID", f"{last_uid + 1}:*"])
        # "n:*" always matches the highest UID, even when it is below n (RFC 3501 6.4.8).
        return sorted(int(uid) for uid in found if int(uid) > last_uid)

    def uids_since(self, since: date) -> list[int]:
        """UIDs of the selected folder's messages received on or after `since` (SEARCH SINCE)."""
        with self._guard("search since") as client:
            self._require_folder()
            return sorted(int(uid) for uid in client.search(["SINCE", since]))

    def list_after(self, last_uid: int) -> Iterator[list[MessageRef]]:
        """Yield refs with UID > last_uid in batches of `batch_size`; rescan = list_after(0)."""
        return self.list_uids(self.uids_after(last_uid))

    def list_uids(self, uids: Sequence[int]) -> Iterator[list[MessageRef]]:
        """Yield refs of these UIDs (selected folder), in batches of `batch_size`."""
        folder, uidvalidity = self._require_folder()
        for chunk in chunks(uids, self.batch_size):
            with self._guard("fetch sizes") as client:
                items = (
                    [*LIST_ITEMS, GMAIL_ID] if client.has_capability("X-GM-EXT-1") else LIST_ITEMS
                )
                data = client.fetch(chunk, items)
            batch = [
                message_ref(folder, uidvalidity, uid, data[uid]) for uid in chunk if uid in data
            ]
            if batch:
                yield batch

    def fetch(self, ref: MessageRef) -> bytes:
        """The raw message via BODY.PEEK[] (\\Seen untouched); MessageGoneError if expunged."""
        self._ensure_selected(ref)
        with self._guard(f"fetch UID {ref.uid}") as client:
            data = client.fetch([ref.uid], [b"BODY.PEEK[]"])
        body = data.get(ref.uid, {}).get(b"BODY[]")
        if body is None:
            raise MessageGoneError(f"message UID {ref.uid} is no longer in {ref.folder!r}")
        return bytes(body)

    def fetch_header(self, ref: MessageRef) -> bytes:
        """Only the header block via BODY.PEEK[HEADER] (for mail too big to download)."""
        self._ensure_selected(ref)
        with self._guard(f"fetch header of UID {ref.uid}") as client:
            data = client.fetch([ref.uid], [b"BODY.PEEK[HEADER]"])
        header = data.get(ref.uid, {}).get(b"BODY[HEADER]")
        if header is None:
            raise MessageGoneError(f"message UID {ref.uid} is no longer in {ref.folder!r}")
        return bytes(header)

    def mark_processed(self, refs: Sequence[MessageRef]) -> None:
        """Add the processed keyword, then move to the processed folder when one is set."""
        if not refs:
            return
        self._ensure_selected(refs[0])
        if any((r.folder, r.uidvalidity) != (refs[0].folder, refs[0].uidvalidity) for r in refs):
            raise ValueError("mark_processed takes refs of one folder and UIDVALIDITY at a time")
        uids = [ref.uid for ref in refs]
        if self.processed_flag:
            with self._guard("store flag") as client:
                client.add_flags(uids, [self.processed_flag], silent=True)
        if self.gmail:
            # On Gmail a "move" only swaps labels; a label is what the office sees in the web UI.
            with self._guard("store label") as client:
                client.add_gmail_labels(uids, [processed_label(self.processed_folder)], silent=True)
            return
        target = self.processed_folder
        if target and target != self._folder:
            self._ensure_folder(target)
            self._move(uids, target)

    def folder_exists(self, name: str) -> bool:
        """Whether a folder (on Gmail: a label) of this name exists."""
        with self._guard(f"look up folder {name!r}") as client:
            return bool(client.folder_exists(nfc(name)))

    def can_idle(self) -> bool:
        """True when the server offers IDLE (RFC 2177)."""
        with self._guard("capability") as client:
            return bool(client.has_capability("IDLE"))

    def idle_wait(
        self, timeout_s: float, stop: threading.Event | None = None, slice_s: float = 1.0
    ) -> bool:
        """One IDLE command on the selected folder, at most `timeout_s`; True on new mail.

        Returns at the first EXISTS, at the timeout, or soon after `stop` is set (checked every
        `slice_s`). A dead connection raises SourceError when DONE gets no answer, so a
        half-open socket is found at the end of every round.
        """
        self._require_folder()
        with self._guard("IDLE") as client:
            seen = idle_round(client, timeout_s, stop, slice_s)
        if said_bye(seen):
            self.close()
            raise SourceError(f"IMAP server {self.host}:{self.port} closed the connection (BYE)")
        return announces_mail(seen)

    def special_folders(self) -> dict[str, str]:
        """Special-use flag → folder name (\\All, \\Sent, \\Trash, ...), by LIST or XLIST flags."""
        if self._special is None:
            with self._guard("list folders") as client:
                found = special_folders(client.list_folders())
                if not found and client.has_capability("XLIST"):
                    found = special_folders(client.xlist_folders())
            self._special = found
        return self._special

    # --- helpers ----------------------------------------------------------------------------

    def _require_folder(self) -> tuple[str, int]:
        if self._folder is None or self._uidvalidity is None:
            raise SourceError("IMAP: no folder selected (call select first)")
        return self._folder, self._uidvalidity

    def _ensure_selected(self, ref: MessageRef) -> None:
        if ref.folder != self._folder:
            self.select(ref.folder)
        if ref.uidvalidity != self._uidvalidity:
            raise SourceError(
                f"UIDVALIDITY of {ref.folder!r} changed ({ref.uidvalidity} → "
                f"{self._uidvalidity}); rescan the folder"
            )

    def _ensure_folder(self, name: str) -> None:
        if name in self._known_folders:
            return
        check_processed_folder(name, self.special_folders())
        with self._guard(f"create folder {name!r}") as client:
            if not client.folder_exists(name):
                log.info("creating IMAP folder %r", name)
                client.create_folder(name)
        self._known_folders.add(name)

    def _can_move(self) -> bool:
        with self._guard("capability") as client:
            return bool(client.has_capability("MOVE"))

    def _move(self, uids: list[int], target: str) -> None:
        if self._can_move():
            with self._guard(f"move to {target!r}") as client:
                client.move(uids, target)
            return
        with self._guard(f"copy to {target!r}") as client:
            client.copy(uids, target)
            client.add_flags(uids, [b"\\Deleted"], silent=True)
            # Only our UIDs: a plain EXPUNGE would also remove what a person marked \Deleted.
            if client.has_capability("UIDPLUS"):
                client.uid_expunge(uids)
            else:
                log.warning("server lacks UIDPLUS: originals left flagged \\Deleted in place")
