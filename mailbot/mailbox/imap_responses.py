"""Pure helpers on IMAP answers: PERMANENTFLAGS, FETCH items, folder names, error text.

Owns reading what an IMAP server said (PERMANENTFLAGS, one FETCH answer into a
`MessageRef`), NFC folder names and turning an exception into one short line. No I/O: it
must not talk to a server or hold a connection (see `imap`; IDLE answers: `imap_idle`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from mailbot.mailbox.source import MessageRef

GMAIL_ID = b"X-GM-MSGID"


def one_line(exc: BaseException) -> str:
    """The exception as one short line (type name when it has no text)."""
    text = " ".join(str(exc).split())
    return text[:300] if text else type(exc).__name__


def keyword_kept(flag: str, permanent: Sequence[bytes]) -> bool:
    """Whether PERMANENTFLAGS lets `flag` stick ("\\*" allows any new keyword)."""
    if not permanent:
        return True  # no PERMANENTFLAGS reply: RFC 3501 says assume all flags are permanent
    names = {bytes(item).decode(errors="replace") for item in permanent}
    return flag in names or (not flag.startswith("\\") and "\\*" in names)


def nfc(name: str) -> str:
    """A folder name in NFC, so names typed on any keyboard compare equal."""
    return unicodedata.normalize("NFC", name)


def message_ref(folder: str, uidvalidity: int, uid: int, item: dict[bytes, Any]) -> MessageRef:
    """The MessageRef of one FETCH RFC822.SIZE/INTERNALDATE (/X-GM-MSGID) answer."""
    internal = item.get(b"INTERNALDATE")
    gm = item.get(GMAIL_ID)
    return MessageRef(
        folder=folder,
        uidvalidity=uidvalidity,
        uid=uid,
        size=int(item.get(b"RFC822.SIZE", 0)),
        internal_date=internal if isinstance(internal, datetime) else None,
        gm_msgid=int(gm) if gm is not None else None,
    )
