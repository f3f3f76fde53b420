"""Which SMTP answers are the server's fault (no message charged) and which one message's."""

from __future__ import annotations

import smtplib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mailbot.errors import MessageRefused, ServerSendError
from mailbot.sending.smtp_failures import recipients_refused, refusal

WHERE = "smtp.example.test:587"


def verdict(error: Exception) -> str:
    """ "server", "message (for good)" or "message (retry)"."""
    if isinstance(error, ServerSendError):
        return "server"
    assert isinstance(error, MessageRefused)
    return "message (for good)" if error.permanent else "message (retry)"


def rcpt(*codes: int) -> smtplib.SMTPRecipientsRefused:
    """Every recipient refused with these codes."""
    return smtplib.SMTPRecipientsRefused(
        {f"a{i}@example.test": (code, b"reply") for i, code in enumerate(codes)}
    )


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        ((550,), "message (for good)"),
        ((450,), "message (retry)"),
        ((550, 450), "message (retry)"),
        ((421,), "server"),
    ],
)
def test_refused_recipients_are_the_messages_fault_unless_the_server_closes(
    codes: tuple[int, ...], expected: str
) -> None:
    """5xx for every address gives up, any 4xx retries, 421 closes the session."""
    assert verdict(recipients_refused(WHERE, rcpt(*codes))) == expected


def test_a_refused_recipient_names_the_servers_reply() -> None:
    """The office reads the server's own words in the summary."""
    error = recipients_refused(WHERE, rcpt(550))
    assert str(error).endswith("a0@example.test (550 reply)")


@pytest.mark.parametrize(
    ("code", "expected"),
    [(530, "server"), (550, "server"), (451, "server"), (552, "message (for good)")],
)
def test_a_refused_sender_stops_everything_unless_it_is_this_messages_size(
    code: int, expected: str
) -> None:
    """MAIL FROM refused (login needed, daily limit) hits every message alike."""
    error = smtplib.SMTPSenderRefused(code, b"no", "phonggd@example.test")
    assert verdict(refusal(WHERE, error)) == expected


@given(st.integers(min_value=400, max_value=599))
def test_after_data_only_421_is_the_servers(code: int) -> None:
    """A refusal of the content is this message's: 5xx for good, 4xx retried; 421 closes."""
    expected = (
        "server" if code == 421 else "message (for good)" if code >= 500 else "message (retry)"
    )
    assert verdict(refusal(WHERE, smtplib.SMTPDataError(code, b"no"))) == expected
