"""ImapSource against a real Dovecot on 127.0.0.1 (no IMAP mocks)."""

from __future__ import annotations

import socket
import ssl
import time
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from mailbot.errors import AuthError, MessageGoneError, SourceError
from mailbot.mailbox.imap import ImapSource
from mailbot.mailbox.imap_responses import keyword_kept
from mailbot.mailbox.source import MessageRef, Source
from tests.support.servers import Dovecot, free_port, raw_message

pytestmark = pytest.mark.servers

PROCESSED = "Đã xử lý"


def source_for(server: Dovecot, **options: Any) -> ImapSource:
    """An ImapSource logged in as the fixture's user over plain IMAP."""
    return ImapSource(
        server.host, server.port, "none", server.user, server.password, timeout_s=5, **options
    )


def uids_of(batches: Iterator[list[MessageRef]]) -> list[list[int]]:
    """The UIDs of each batch, batch by batch."""
    return [[ref.uid for ref in batch] for batch in batches]


def test_imap_source_satisfies_the_source_protocol(dovecot: Dovecot) -> None:
    """ImapSource is usable wherever a Source is expected."""
    source: Source = source_for(dovecot)
    with source:
        assert source.select("INBOX") == dovecot.uidvalidity("INBOX")


def test_list_after_yields_only_newer_uids_in_batches(dovecot: Dovecot) -> None:
    """Only UIDs above last_uid are listed, ascending, in batches of batch_size."""
    dovecot.append_many("INBOX", [raw_message(n) for n in range(1, 8)])
    with source_for(dovecot, batch_size=3) as source:
        source.select("INBOX")
        assert uids_of(source.list_after(2)) == [[3, 4, 5], [6, 7]]


def test_list_after_zero_rescans_everything(dovecot: Dovecot) -> None:
    """list_after(0) lists every message of the folder (the rescan path)."""
    dovecot.append_many("INBOX", [raw_message(n) for n in range(1, 4)])
    with source_for(dovecot) as source:
        source.select("INBOX")
        assert uids_of(source.list_after(0)) == [[1, 2, 3]]


def test_list_after_highest_uid_lists_nothing(dovecot: Dovecot) -> None:
    """A last_uid at or above the highest UID yields nothing, despite IMAP's n:* quirk."""
    dovecot.append_many("INBOX", [raw_message(n) for n in range(1, 4)])
    with source_for(dovecot) as source:
        source.select("INBOX")
        assert uids_of(source.list_after(3)) == []
        assert uids_of(source.list_after(50)) == []


def test_list_after_reports_folder_size_and_internal_date(dovecot: Dovecot) -> None:
    """Each ref carries folder, UIDVALIDITY, UID, exact size and a tz-aware INTERNALDATE."""
    raw = raw_message(1)
    when = datetime(2021, 10, 5, 8, 30, tzinfo=timezone(timedelta(hours=7)))
    uid = dovecot.append("INBOX", raw, msg_time=when)
    with source_for(dovecot) as source:
        validity = source.select("INBOX")
        [[ref]] = list(source.list_after(0))
    assert ref == MessageRef("INBOX", validity, uid, len(raw), when, None)
    assert ref.internal_date is not None and ref.internal_date.utcoffset() is not None


def test_all_uids_lists_every_uid(dovecot: Dovecot) -> None:
    """all_uids returns each UID of the selected folder, ascending."""
    dovecot.append_many("INBOX", [raw_message(n) for n in range(1, 5)])
    with source_for(dovecot) as source:
        source.select("INBOX")
        assert source.all_uids() == [1, 2, 3, 4]


def test_fetch_returns_exact_bytes_without_setting_seen(dovecot: Dovecot) -> None:
    """fetch returns the stored bytes and leaves the message unread."""
    raw = raw_message(1)
    dovecot.append("INBOX", raw)
    with source_for(dovecot) as source:
        source.select("INBOX")
        [[ref]] = list(source.list_after(0))
        assert source.fetch(ref) == raw
    [stored] = dovecot.messages("INBOX")
    assert stored.flags == frozenset()


def test_fetch_of_expunged_message_raises_message_gone(dovecot: Dovecot) -> None:
    """A message deleted after listing gives MessageGoneError, a SourceError."""
    dovecot.append("INBOX", raw_message(1))
    with source_for(dovecot) as source:
        source.select("INBOX")
        [[ref]] = list(source.list_after(0))
        with dovecot.client() as other:
            other.select_folder("INBOX")
            other.delete_messages([ref.uid])
            other.expunge()
        with pytest.raises(MessageGoneError):
            source.fetch(ref)


def test_fetch_selects_the_ref_folder(dovecot: Dovecot) -> None:
    """fetch reads from the ref's folder even when another folder is selected."""
    raw = raw_message(9)
    dovecot.append("Khác", raw)
    with source_for(dovecot) as source:
        source.select("Khác")
        [[ref]] = list(source.list_after(0))
        source.select("INBOX")
        assert source.fetch(ref) == raw


def test_mark_processed_sets_the_keyword_only(dovecot: Dovecot) -> None:
    """mark_processed adds the processed keyword and no other flag; messages stay."""
    dovecot.append_many("INBOX", [raw_message(n) for n in range(1, 4)])
    with source_for(dovecot) as source:
        source.select("INBOX")
        [refs] = list(source.list_after(0))
        source.mark_processed(refs[:2])
    assert [m.flags for m in dovecot.messages("INBOX")] == [
        frozenset({"$MailbotProcessed"}),
        frozenset({"$MailbotProcessed"}),
        frozenset(),
    ]


def test_mark_processed_moves_to_a_new_vietnamese_folder(dovecot: Dovecot) -> None:
    """With processed_folder "Đã xử lý" the folder is created and the flagged messages move."""
    raws = [raw_message(n) for n in range(1, 4)]
    dovecot.append_many("INBOX", raws)
    with source_for(dovecot, processed_folder=PROCESSED) as source:
        source.select("INBOX")
        [refs] = list(source.list_after(0))
        source.mark_processed(refs[:2])
    with dovecot.client() as client:
        assert PROCESSED in [name for _flags, _sep, name in client.list_folders()]
    assert [(m.body, m.flags) for m in dovecot.messages(PROCESSED)] == [
        (raws[0], frozenset({"$MailbotProcessed"})),
        (raws[1], frozenset({"$MailbotProcessed"})),
    ]
    assert [m.body for m in dovecot.messages("INBOX")] == [raws[2]]


def test_processed_folder_name_is_normalised_to_nfc(dovecot: Dovecot) -> None:
    """A decomposed (NFD) folder name moves into the same NFC folder."""
    dovecot.create_folder(PROCESSED)
    dovecot.append("INBOX", raw_message(1))
    decomposed = unicodedata.normalize("NFD", PROCESSED)
    with source_for(dovecot, processed_folder=decomposed, processed_flag=None) as source:
        source.select("INBOX")
        [refs] = list(source.list_after(0))
        source.mark_processed(refs)
    assert [m.flags for m in dovecot.messages(PROCESSED)] == [frozenset()]
    assert dovecot.messages("INBOX") == []


def test_move_without_move_capability_expunges_only_our_uids(
    dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The COPY fallback expunges our UIDs only; a message a person marked deleted stays."""
    raws = [raw_message(n) for n in range(1, 4)]
    dovecot.append_many("INBOX", raws[:2])
    dovecot.append("INBOX", raws[2], flags=[r"\Deleted"])
    monkeypatch.setattr(ImapSource, "_can_move", lambda self: False)
    with source_for(dovecot, processed_folder="Processed") as source:
        source.select("INBOX")
        [refs] = list(source.list_after(0))
        source.mark_processed(refs[:2])
    assert [m.body for m in dovecot.messages("Processed")] == raws[:2]
    assert [(m.body, m.flags) for m in dovecot.messages("INBOX")] == [
        (raws[2], frozenset({r"\Deleted"}))
    ]


def test_select_reports_a_changed_uidvalidity(dovecot: Dovecot) -> None:
    """After the server changes UIDVALIDITY, select returns the new value."""
    dovecot.append("INBOX", raw_message(1))
    with source_for(dovecot) as source:
        before = source.select("INBOX")
    new = dovecot.change_uidvalidity("INBOX")
    with source_for(dovecot) as source:
        assert (before, source.select("INBOX")) == (new - 1000, new)


def test_fetch_with_stale_uidvalidity_raises_source_error(dovecot: Dovecot) -> None:
    """A ref from an older UIDVALIDITY is refused rather than read as another message."""
    dovecot.append("INBOX", raw_message(1))
    with source_for(dovecot) as source:
        source.select("INBOX")
        [[ref]] = list(source.list_after(0))
    dovecot.change_uidvalidity("INBOX")
    with source_for(dovecot) as source:
        source.select("INBOX")
        with pytest.raises(SourceError, match="UIDVALIDITY"):
            source.fetch(ref)


def test_reconnects_after_server_restart(dovecot: Dovecot) -> None:
    """A dropped connection raises SourceError; entering the source again works."""
    dovecot.append("INBOX", raw_message(1))
    source = source_for(dovecot)
    with source:
        source.select("INBOX")
        dovecot.restart()
        with pytest.raises(SourceError):
            source.select("INBOX")
    dovecot.append("INBOX", raw_message(2))
    with source:
        source.select("INBOX")
        assert uids_of(source.list_after(1)) == [[2]]


def test_wrong_password_raises_auth_error_without_the_password(dovecot: Dovecot) -> None:
    """A refused login is an AuthError whose one-line message holds no password."""
    source = ImapSource(dovecot.host, dovecot.port, "none", dovecot.user, "wrong-pw-77")
    with pytest.raises(AuthError) as caught:
        source.__enter__()
    message = str(caught.value)
    assert "wrong-pw-77" not in message and "\n" not in message
    assert dovecot.user in message


def test_refused_port_raises_source_error_at_once() -> None:
    """Nothing listening on the port is a one-line SourceError within a second."""
    source = ImapSource("127.0.0.1", free_port(), "none", "u@example.test", "pw", timeout_s=5)
    started = time.monotonic()
    with pytest.raises(SourceError) as caught:
        source.__enter__()
    assert time.monotonic() - started < 1
    assert "cannot reach IMAP server" in str(caught.value)
    assert not isinstance(caught.value, AuthError)


def test_silent_server_raises_source_error_after_timeout() -> None:
    """A server that accepts but never greets fails after timeout_s, not never."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        source = ImapSource("127.0.0.1", port, "none", "u@example.test", "pw", timeout_s=0.5)
        started = time.monotonic()
        with pytest.raises(SourceError):
            source.__enter__()
        assert 0.4 < time.monotonic() - started < 3


def test_operations_outside_with_raise_source_error() -> None:
    """Using a source that is not connected is a SourceError, not an AttributeError."""
    source = ImapSource("127.0.0.1", 1, "none", "u@example.test", "pw")
    with pytest.raises(SourceError, match="not connected"):
        source.select("INBOX")


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_modes_verify_the_server_certificate(dovecot_tls: Dovecot, security: str) -> None:
    """STARTTLS and implicit TLS both log in when the context trusts the server's cert."""
    dovecot_tls.append("INBOX", raw_message(1))
    context = ssl.create_default_context(cafile=str(dovecot_tls.cafile))
    port = dovecot_tls.port if security == "starttls" else dovecot_tls.ssl_port
    source = ImapSource(
        "127.0.0.1",
        port,
        security,  # type: ignore[arg-type]
        dovecot_tls.user,
        dovecot_tls.password,
        timeout_s=5,
        ssl_context=context,
    )
    with source:
        source.select("INBOX")
        assert uids_of(source.list_after(0)) == [[1]]


def test_untrusted_certificate_raises_source_error(dovecot_tls: Dovecot) -> None:
    """A self-signed certificate not in the context is refused as a SourceError."""
    source = ImapSource(
        "127.0.0.1",
        dovecot_tls.ssl_port,
        "ssl",
        dovecot_tls.user,
        dovecot_tls.password,
        timeout_s=5,
        ssl_context=ssl.create_default_context(),
    )
    with pytest.raises(SourceError, match="cannot reach"):
        source.__enter__()


def test_internal_dates_are_timezone_aware_utc_comparable(dovecot: Dovecot) -> None:
    """INTERNALDATE compares equal to the same instant given in UTC."""
    when = datetime(2021, 10, 5, 1, 30, tzinfo=UTC)
    dovecot.append("INBOX", raw_message(1), msg_time=when)
    with source_for(dovecot) as source:
        source.select("INBOX")
        [[ref]] = list(source.list_after(0))
    assert ref.internal_date == when


@pytest.mark.parametrize(
    ("flag", "permanent", "kept"),
    [
        ("$MailbotProcessed", [b"\\Seen", b"\\*"], True),
        ("$MailbotProcessed", [b"\\Seen", b"\\Flagged"], False),
        ("$MailbotProcessed", [b"$MailbotProcessed"], True),
        ("\\Flagged", [b"\\Seen", b"\\*"], False),
        ("\\Flagged", [b"\\Flagged"], True),
        ("$MailbotProcessed", [], True),
    ],
)
def test_keyword_kept_reads_permanentflags(flag: str, permanent: list[bytes], kept: bool) -> None:
    """A keyword sticks when listed or when \\* is offered; system flags only when listed."""
    assert keyword_kept(flag, permanent) is kept


def test_no_keyword_warning_on_dovecot(dovecot: Dovecot, caplog: pytest.LogCaptureFixture) -> None:
    """Dovecot offers \\* in PERMANENTFLAGS, so selecting logs no flag warning."""
    with source_for(dovecot) as source:
        source.select("INBOX")
    assert [r.message for r in caplog.records if r.name == "mailbot.mailbox.imap"] == []
