"""MaildirSource on Maildirs built on disk by the tests (and one served by a real Dovecot)."""

from __future__ import annotations

import mailbox as stdlib_mailbox
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mailbot.errors import MessageGoneError, SourceError
from mailbot.mailbox.maildir import MaildirSource
from mailbot.mailbox.source import MessageRef, Source
from tests.support.servers import Dovecot, raw_message

PROCESSED = "Đã xử lý"
# How Dovecot names that folder on disk (modified UTF-7), seen in a real Dovecot Maildir.
PROCESSED_DIR = ".&ARAA4w- x&Hu0- l&AP0-"
BASE_TIME = 1633400000  # 2021-10-05, during the campaign


def make_maildir(root: Path) -> Path:
    """An empty Maildir (cur/new/tmp) at root."""
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    return root


def deliver(root: Path, n: int, raw: bytes | None = None, sub: str = "new", info: str = "") -> str:
    """Write message n as a delivery at BASE_TIME + n; return its Maildir key."""
    key = f"{BASE_TIME + n}.M{n}P1.host.example.test"
    path = root / sub / (key + info)
    path.write_bytes(raw if raw is not None else raw_message(n))
    os.utime(path, (BASE_TIME + n, BASE_TIME + n))
    return key


@pytest.fixture
def maildir(tmp_path: Path) -> Path:
    """An empty Maildir in a temp dir."""
    return make_maildir(tmp_path / "Maildir")


def uids_of(batches: Iterator[list[MessageRef]]) -> list[list[int]]:
    """The UIDs of each batch, batch by batch."""
    return [[ref.uid for ref in batch] for batch in batches]


def file_names(root: Path) -> list[str]:
    """Relative paths of all message files under new/ and cur/, sorted."""
    return sorted(
        f"{p.parent.name}/{p.name}" for sub in ("new", "cur") for p in (root / sub).iterdir()
    )


def test_maildir_source_satisfies_the_source_protocol(maildir: Path) -> None:
    """MaildirSource is usable wherever a Source is expected, and UIDVALIDITY persists."""
    source: Source = MaildirSource(maildir)
    with source:
        first = source.select("INBOX")
    with MaildirSource(maildir) as again:
        assert again.select("INBOX") == first > 0


def test_list_after_yields_only_newer_uids_in_batches(maildir: Path) -> None:
    """Only UIDs above last_uid are listed, ascending, in batches of batch_size."""
    for n in range(1, 8):
        deliver(maildir, n)
    with MaildirSource(maildir, batch_size=3) as source:
        source.select("INBOX")
        assert uids_of(source.list_after(2)) == [[3, 4, 5], [6, 7]]
        assert source.all_uids() == [1, 2, 3, 4, 5, 6, 7]


def test_uids_follow_delivery_order(maildir: Path) -> None:
    """New files are numbered in delivery-time order of their keys."""
    for n in (3, 1, 2):
        deliver(maildir, n)
    with MaildirSource(maildir) as source:
        source.select("INBOX")
        assert [source.fetch(ref) for ref in next(source.list_after(0))] == [
            raw_message(1),
            raw_message(2),
            raw_message(3),
        ]


def test_same_second_keys_follow_microseconds(maildir: Path) -> None:
    """Keys of one second are ordered by their M<microseconds> part numerically, not as text."""
    for micro, n in ((99, 1), (123, 2)):
        (maildir / "new" / f"{BASE_TIME}.M{micro}P7.host").write_bytes(raw_message(n))
    with MaildirSource(maildir) as source:
        source.select("INBOX")
        assert [source.fetch(r) for r in next(source.list_after(0))] == [
            raw_message(1),
            raw_message(2),
        ]


def test_uids_are_stable_across_sources_and_later_deliveries(maildir: Path) -> None:
    """A known file keeps its UID; a later file gets the next UID even if its key sorts first."""
    deliver(maildir, 5)
    deliver(maildir, 6)
    with MaildirSource(maildir) as source:
        source.select("INBOX")
    deliver(maildir, 1, raw=b"Subject: late\r\n\r\nx\r\n")
    with MaildirSource(maildir) as source:
        source.select("INBOX")
        refs = next(source.list_after(0))
        assert [(r.uid, source.fetch(r)) for r in refs] == [
            (1, raw_message(5)),
            (2, raw_message(6)),
            (3, b"Subject: late\r\n\r\nx\r\n"),
        ]


def test_uid_survives_a_mail_client_marking_it_read(maildir: Path) -> None:
    """A file moved new/ → cur/ with :2,S by a mail client keeps its UID."""
    key = deliver(maildir, 1)
    with MaildirSource(maildir) as source:
        source.select("INBOX")
        [[ref]] = list(source.list_after(0))
        (maildir / "new" / key).rename(maildir / "cur" / f"{key}:2,S")
        assert source.fetch(ref) == raw_message(1)
    with MaildirSource(maildir) as source:
        source.select("INBOX")
        assert uids_of(source.list_after(0)) == [[1]]


def test_refs_carry_size_and_delivery_time(maildir: Path) -> None:
    """Each ref carries folder, UIDVALIDITY, UID, file size and mtime as a UTC datetime."""
    deliver(maildir, 1)
    with MaildirSource(maildir) as source:
        validity = source.select("INBOX")
        [[ref]] = list(source.list_after(0))
    when = datetime.fromtimestamp(BASE_TIME + 1, UTC)
    assert ref == MessageRef("INBOX", validity, 1, len(raw_message(1)), when, None)


def test_fetch_leaves_the_file_untouched(maildir: Path) -> None:
    """fetch returns the bytes and neither moves the file nor adds the S flag."""
    deliver(maildir, 1)
    before = file_names(maildir)
    with MaildirSource(maildir) as source:
        source.select("INBOX")
        [[ref]] = list(source.list_after(0))
        assert source.fetch(ref) == raw_message(1)
    assert file_names(maildir) == before


def test_fetch_of_removed_file_raises_message_gone(maildir: Path) -> None:
    """A file deleted after listing gives MessageGoneError."""
    key = deliver(maildir, 1)
    with MaildirSource(maildir) as source:
        source.select("INBOX")
        [[ref]] = list(source.list_after(0))
        (maildir / "new" / key).unlink()
        with pytest.raises(MessageGoneError):
            source.fetch(ref)


def test_mark_processed_sets_a_dovecot_keyword_letter(maildir: Path) -> None:
    """The processed keyword becomes letter a, declared in dovecot-keywords; no S is set."""
    keys = [deliver(maildir, n) for n in (1, 2)]
    with MaildirSource(maildir) as source:
        source.select("INBOX")
        [refs] = list(source.list_after(0))
        source.mark_processed(refs[:1])
        assert source.fetch(refs[0]) == raw_message(1)
    assert file_names(maildir) == [f"cur/{keys[0]}:2,a", f"new/{keys[1]}"]
    assert (maildir / "dovecot-keywords").read_text() == "0 $MailbotProcessed\n"


def test_mark_processed_keeps_existing_flags_and_keywords(maildir: Path) -> None:
    """An existing keyword file and the message's own flags are kept."""
    (maildir / "dovecot-keywords").write_text("0 $Label1\n")
    key = deliver(maildir, 1, sub="cur", info=":2,RS")
    with MaildirSource(maildir) as source:
        source.select("INBOX")
        source.mark_processed(next(source.list_after(0)))
    assert file_names(maildir) == [f"cur/{key}:2,RSb"]
    assert (maildir / "dovecot-keywords").read_text() == "0 $Label1\n1 $MailbotProcessed\n"


def test_mark_processed_moves_to_vietnamese_folder_named_like_dovecot(maildir: Path) -> None:
    """Moving creates the Maildir++ folder ".&ARAA4w- x&Hu0- l&AP0-" and lists there."""
    keys = [deliver(maildir, n) for n in (1, 2)]
    with MaildirSource(maildir, processed_folder=PROCESSED) as source:
        source.select("INBOX")
        [refs] = list(source.list_after(0))
        source.mark_processed(refs[:1])
        assert source.all_uids() == [2]
        source.select(PROCESSED)
        [[moved]] = list(source.list_after(0))
        assert source.fetch(moved) == raw_message(1)
    target = maildir / PROCESSED_DIR
    assert file_names(target) == [f"cur/{keys[0]}:2,a"]
    assert (target / "maildirfolder").exists()
    assert file_names(maildir) == [f"new/{keys[1]}"]


def test_messages_written_by_stdlib_mailbox_are_listed(maildir: Path) -> None:
    """Files delivered by Python's mailbox.Maildir are read back byte for byte."""
    box = stdlib_mailbox.Maildir(str(maildir), create=False)
    raws = [raw_message(n) for n in (1, 2)]
    for raw in raws:
        box.add(raw)
    with MaildirSource(maildir) as source:
        source.select("INBOX")
        assert sorted(source.fetch(r) for r in next(source.list_after(0))) == raws


def test_missing_maildir_raises_source_error(tmp_path: Path) -> None:
    """A path without cur/new/tmp is a SourceError naming it."""
    with pytest.raises(SourceError, match="not a Maildir"):
        MaildirSource(tmp_path / "nowhere").__enter__()


def test_maildir_without_empty_dirs_is_completed(tmp_path: Path) -> None:
    """A Maildir with only new/ (as git keeps it) gets cur/ and tmp/ and is listed."""
    (tmp_path / "new").mkdir()
    deliver(tmp_path, 1)
    with MaildirSource(tmp_path) as source:
        source.select("INBOX")
        assert uids_of(source.list_after(0)) == [[1]]
    assert (tmp_path / "cur").is_dir() and (tmp_path / "tmp").is_dir()


def test_missing_folder_raises_source_error(maildir: Path) -> None:
    """Selecting a folder that does not exist is a SourceError."""
    with MaildirSource(maildir) as source, pytest.raises(SourceError, match="does not exist"):
        source.select("Lưu trữ")


def test_seen_is_refused_as_processed_flag(maildir: Path) -> None:
    """\\Seen cannot be the processed flag: it belongs to the people reading the mail."""
    with pytest.raises(ValueError, match="Seen"):
        MaildirSource(maildir, processed_flag="\\Seen")


def test_damaged_uid_list_raises_source_error(maildir: Path) -> None:
    """A garbled mailbot-uidlist is reported, not silently renumbered."""
    (maildir / "mailbot-uidlist").write_text("garbage\n")
    with MaildirSource(maildir) as source, pytest.raises(SourceError, match="damaged"):
        source.select("INBOX")


@pytest.mark.servers
def test_dovecot_sees_the_processed_keyword(dovecot: Dovecot) -> None:
    """Marking in a Dovecot-served Maildir shows as $MailbotProcessed over IMAP, unread."""
    dovecot.append("INBOX", raw_message(1))
    dovecot.append("INBOX", raw_message(2))
    with MaildirSource(dovecot.maildir) as source:
        source.select("INBOX")
        [refs] = list(source.list_after(0))
        # Dovecot stores LF line ends, so find message 2 by its Message-ID, not its bytes.
        source.mark_processed([r for r in refs if b"<msg-2@example.test>" in source.fetch(r)])
    assert [m.flags for m in dovecot.messages("INBOX")] == [
        frozenset(),
        frozenset({"$MailbotProcessed"}),
    ]
