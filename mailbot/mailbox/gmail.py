"""Gmail's IMAP dialect as pure functions: special-use folders, the processed label, IMAP ID.

Owns the rules only (no sockets): which LIST/XLIST flags mark All Mail, Sent, Trash and the
like; which folders must never be polled; the label that marks processed mail on Gmail; the
ID parameters mailbot announces. The IMAP edge (mailbot/mailbox/imap.py) applies them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

from mailbot import __version__
from mailbot.errors import ConfigError

GMAIL_CAPABILITY = "X-GM-EXT-1"
# The label Gmail shows on processed mail when no processed_folder is configured.
DEFAULT_LABEL = "Mailbot/Đã xử lý"
# RFC 6154 special-use flags, and the older XLIST spellings Gmail still sends.
SPECIAL_USE = ("\\All", "\\Archive", "\\Drafts", "\\Flagged", "\\Junk", "\\Sent", "\\Trash")
_XLIST_ALIASES = {"\\AllMail": "\\All", "\\Spam": "\\Junk", "\\Starred": "\\Flagged"}
# What the office's reports can never be in, or must not be read from: a report polled from
# All Mail would be seen again under every label; Sent holds our own receipts; Trash is gone.
NEVER_POLL = ("\\All", "\\Sent", "\\Trash", "\\Junk", "\\Drafts")
NAMES = {
    "\\All": "All Mail (Tất cả thư)",
    "\\Sent": "Sent (Thư đã gửi)",
    "\\Trash": "Trash (Thùng rác)",
    "\\Junk": "Spam (Thư rác)",
    "\\Drafts": "Drafts (Thư nháp)",
}


def id_parameters() -> dict[str, str]:
    """What mailbot tells the server about itself with the IMAP ID command (RFC 2971)."""
    return {"name": "mailbot", "version": __version__, "vendor": "mailbot"}


def _text(value: bytes | str) -> str:
    return value.decode("ascii", "replace") if isinstance(value, bytes) else value


def special_folders(listing: Iterable[tuple[Sequence[bytes | str], object, str]]) -> dict[str, str]:
    """Map special-use flag → folder name from LIST/XLIST rows (flags, delimiter, name)."""
    found: dict[str, str] = {}
    for flags, _delimiter, name in listing:
        for flag in (_text(f) for f in flags):
            use = _XLIST_ALIASES.get(flag, flag)
            if use in SPECIAL_USE and use not in found:
                found[use] = _nfc(name)
    return found


def check_poll_folder(folder: str, special: dict[str, str], key: str = "mailbox.folder") -> None:
    """Refuse a folder that is All Mail, Sent, Trash, Spam or Drafts (by flag, any language)."""
    folder = _nfc(folder)
    for use in NEVER_POLL:
        if special.get(use) == folder:
            raise ConfigError(
                f"{key} = {folder!r} is the mailbox's {NAMES[use]} folder; mailbot must read "
                'the folder reports arrive in: set folder = "INBOX" (or a label that only '
                "reports get)"
            )


def check_processed_folder(folder: str | None, special: dict[str, str]) -> None:
    """Refuse moving processed mail into a special folder (Trash would delete it)."""
    if folder is None:
        return
    check_poll_folder(folder, special, key="mailbox.processed_folder")


def processed_label(processed_folder: str | None) -> str:
    """The Gmail label that marks processed mail: the configured folder name, else the default."""
    return _nfc(processed_folder) if processed_folder else DEFAULT_LABEL


def _nfc(name: str) -> str:
    return unicodedata.normalize("NFC", name)
