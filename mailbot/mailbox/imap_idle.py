"""One IDLE round (RFC 2177) on a live, selected IMAP connection, and reading its answers.

Owns the IDLE conversation: NOOP first, IDLE, waiting for `* n EXISTS` or `* BYE` in short
slices (so a stop request is seen), then DONE. It must not connect, select, log in or turn
errors into SourceError: `ImapSource.idle_wait` owns the connection and calls this.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import Any

from imapclient import IMAPClient


def idle_round(
    client: IMAPClient, timeout_s: float, stop: threading.Event | None, slice_s: float
) -> list[Any]:
    """The untagged responses of one IDLE command of at most `timeout_s` on `client`."""
    deadline = time.monotonic() + timeout_s
    seen: list[Any] = []
    # Mail that arrived since our last command is announced on the next one: NOOP
    # collects it, and what arrives while IDLE is being set up lands in imaplib's
    # untagged responses, which idle_check never reads. Without both, a message that
    # came during the previous poll would wait for the next interval poll.
    seen += client.noop()[1]
    pending = getattr(getattr(client, "_imap", None), "untagged_responses", {})
    pending.pop("EXISTS", None)  # already in `seen`, or stale from SELECT
    client.idle()
    if pending.pop("EXISTS", None):
        seen.append((1, b"EXISTS"))
    while not announces_mail(seen) and not (stop is not None and stop.is_set()):
        left = deadline - time.monotonic()
        if left <= 0:
            break
        seen += client.idle_check(timeout=min(slice_s, left))
        if said_bye(seen):
            break
    if not said_bye(seen):
        _text, rest = client.idle_done()
        seen += rest
    return seen


def announces_mail(responses: Sequence[Any]) -> bool:
    """Whether untagged IDLE responses include `* n EXISTS` (a new message)."""
    return any(len(r) >= 2 and r[1] == b"EXISTS" for r in responses if isinstance(r, tuple))


def said_bye(responses: Sequence[Any]) -> bool:
    """Whether the server sent `* BYE` (it is closing the connection)."""
    return any(isinstance(r, tuple) and r[:1] == (b"BYE",) for r in responses)
