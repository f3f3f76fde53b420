"""The store rows one mail becomes: its message row, and what a decision books for its unit.

Pure: headers and a `Decision` in, the store's row records out (`store.rows`); booking them
in one transaction is `booking`'s job.
"""

from __future__ import annotations

from datetime import datetime
from email.message import Message

from mailbot.ingest.decision import Decision, parse_headers
from mailbot.store.rows import IncomingMessage, NewNarrative, NewSubmission


def booked_rows(decision: Decision) -> tuple[NewSubmission | None, NewNarrative | None]:
    """The Appendix 2 submission and the Appendix 1 narrative a booked decision brings."""
    submission = None
    if decision.status == "booked" and decision.unit and decision.chosen:
        chosen = decision.chosen
        submission = NewSubmission(
            unit_code=decision.unit.code,
            late=decision.late,
            values=chosen.values,
            warnings=[w.to_dict() for w in chosen.warnings],
            files=[f.outcome.filename for f in decision.files],
            doubts=list(chosen.doubts),
        )
    narrative = None
    if decision.status == "booked" and decision.unit and decision.narrative:
        narrative = NewNarrative(decision.unit.code, decision.narrative_source, decision.narrative)
    return submission, narrative


def incoming_message(
    key: str, sha: str, raw: bytes | Message, received_at: datetime, raw_path: str
) -> IncomingMessage:
    """The store's view of a message, from its header block (never raises on bad headers).

    `raw` is the message's bytes or its header block already parsed (`decide.parse_headers`).
    """
    try:
        headers = raw if isinstance(raw, Message) else parse_headers(raw)
        message_id = str(headers.get("Message-ID", "") or "").strip() or None
        sender = str(headers.get("From", "") or "")
        subject = str(headers.get("Subject", "") or "")
        date = str(headers.get("Date", "") or "") or None
    except Exception:  # malformed headers still get booked, with what we know
        message_id, sender, subject, date = None, "", "", None
    addresses = getattr(headers.get("From"), "addresses", ()) if sender else ()
    from_addr = addresses[0].addr_spec.lower() if addresses else sender.lower()
    return IncomingMessage(
        source_key=key,
        sha256=sha,
        received_at=received_at,
        message_id_header=message_id,
        from_addr=from_addr[:320],
        subject=subject[:500],
        date_header=date,
        raw_path=raw_path,
    )
