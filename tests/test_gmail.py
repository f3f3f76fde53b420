"""Gmail semantics: labels instead of moves, X-GM-MSGID dedupe, special-use folders, IMAP ID.

Gmail-only behaviour runs against tests/support/fake_gmail.py (Dovecot cannot speak X-GM-EXT-1);
special-use detection and the ID command run against a real Dovecot configured for them.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from mailbot import __version__
from mailbot.config import parse_config
from mailbot.cycle import PollReport
from mailbot.errors import ConfigError
from mailbot.ingest.poll import poll
from mailbot.mailbox.gmail import DEFAULT_LABEL, special_folders
from mailbot.mailbox.imap import ImapSource
from mailbot.runtime.wiring import open_archive, poll_settings
from mailbot.sending.mailer import SmtpMailer
from mailbot.store import Store
from mailbot.store.migrations import MIGRATIONS, m001_initial
from tests.support.fake_gmail import FakeGmail, GmailState
from tests.support.gmail_servers import (
    ALL_MAIL,
    SENT,
    TRASH,
    SpecialUseDovecot,
    dovecot_root,
    running,
)
from tests.support.mailshapes import report_email
from tests.support.pipeline_env import START, Clock, config_mapping, file_bytes, report_file
from tests.support.servers import DOVECOT_USER, Dovecot, SmtpServer, dovecot_unavailable_reason

MG = "ubnd.muonggiang@example.test"  # UBND xã Mường Giàng (formgen unit 0)
PASSWORD = "gmail-app-password"


@pytest.fixture
def gmail() -> Iterator[FakeGmail]:
    """A fake Gmail IMAP server with an empty INBOX."""
    with FakeGmail(GmailState(DOVECOT_USER, PASSWORD)) as server:
        yield server


def gmail_source(server: FakeGmail, **options: object) -> ImapSource:
    """An ImapSource on the fake Gmail."""
    return ImapSource(
        server.host, server.port, "none", DOVECOT_USER, PASSWORD, timeout_s=10, **options
    )  # type: ignore[arg-type]


def gmail_poll(server: FakeGmail, smtp: SmtpServer, tmp: Path, **mailbox: object) -> PollReport:
    """One poll cycle of the real pipeline against the fake Gmail."""
    fake = SimpleNamespace(host=server.host, port=server.port, user=DOVECOT_USER)
    data = config_mapping(fake, smtp, tmp)  # type: ignore[arg-type]
    data["mailbox"].update(mailbox)
    os.environ["MAILBOT_TEST_IMAP_PASSWORD"] = PASSWORD
    cfg = parse_config(data, tmp)
    source = gmail_source(server, processed_folder=cfg.mailbox.processed_folder)
    mailer = SmtpMailer(smtp.host, smtp.port, "none", timeout_s=10)
    with Store.open(tmp / "db.sqlite3", tz=cfg.campaign.timezone) as store:
        return poll(source, store, mailer, open_archive(cfg), poll_settings(cfg), Clock(START))


def a_report(message_id: str = "<r1@example.test>", trace: str = "") -> bytes:
    """A report from Mường Giàng; `trace` adds a header so the bytes differ."""
    raw = report_email(
        MG,
        attachments=[("bc.xlsx", file_bytes(report_file("mg", "xlsx", unit_index=0)))],
        message_id=message_id,
    )
    return (f"X-Trace: {trace}\r\n".encode() + raw) if trace else raw


# --- Gmail dialect (fake server) ----------------------------------------------------------


@pytest.mark.servers
def test_gmail_is_detected_and_told_who_we_are(gmail: FakeGmail) -> None:
    """X-GM-EXT-1 switches on Gmail mode; the ID command names mailbot and its version."""
    with gmail_source(gmail) as box:
        assert box.gmail
    assert [ident["name"] for ident in gmail.state.client_ids] == ["mailbot"]


@pytest.mark.servers
def test_processed_gmail_mail_is_labelled_not_moved(
    gmail: FakeGmail, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    """A booked report gets the processed label (and keyword); no MOVE, COPY or EXPUNGE is sent."""
    gmail.state.add(a_report(), gm_msgid=1001)
    report = gmail_poll(gmail, smtp_server, tmp_path)
    [msg] = gmail.state.messages
    assert (report.counts["booked"], msg.labels) == (1, {DEFAULT_LABEL})
    assert "$MailbotProcessed" in msg.flags
    assert not {"UID MOVE", "UID COPY", "UID EXPUNGE", "EXPUNGE"} & set(gmail.state.verbs())


@pytest.mark.servers
def test_configured_processed_folder_becomes_the_gmail_label(
    gmail: FakeGmail, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    """processed_folder names the label on Gmail (Vietnamese names survive modified UTF-7)."""
    gmail.state.add(a_report(), gm_msgid=1001)
    gmail_poll(gmail, smtp_server, tmp_path, processed_folder="Báo cáo/Đã nhận")
    assert gmail.state.messages[0].labels == {"Báo cáo/Đã nhận"}


@pytest.mark.servers
def test_same_gmail_message_under_a_new_uid_is_booked_once(
    gmail: FakeGmail, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    """A known X-GM-MSGID makes a duplicate even when the bytes and Message-ID differ."""
    gmail.state.add(a_report("<r1@example.test>"), gm_msgid=1001)
    first = gmail_poll(gmail, smtp_server, tmp_path)
    gmail.state.add(a_report("<r1-again@example.test>", trace="relabelled"), gm_msgid=1001)
    second = gmail_poll(gmail, smtp_server, tmp_path)
    assert (first.counts["booked"], second.counts["duplicate"], second.counts["booked"]) == (
        1,
        1,
        0,
    )
    assert len(smtp_server.messages) == 1


@pytest.mark.servers
def test_all_mail_as_the_polled_folder_is_refused_by_its_flag(
    gmail: FakeGmail, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    """folder = Gmail's All Mail (localised name) is a ConfigError naming the folder."""
    with pytest.raises(ConfigError, match="All Mail"):
        gmail_poll(gmail, smtp_server, tmp_path, folder="[Gmail]/Tất cả thư")


def test_xlist_flags_map_to_special_use() -> None:
    """Gmail's old XLIST names (\\AllMail, \\Spam) are read as \\All and \\Junk."""
    rows = [
        ((b"\\HasNoChildren", b"\\AllMail"), b"/", "[Gmail]/All Mail"),
        ((b"\\HasNoChildren", b"\\Spam"), b"/", "[Gmail]/Spam"),
        ((b"\\HasNoChildren",), b"/", "INBOX"),
    ]
    assert special_folders(rows) == {"\\All": "[Gmail]/All Mail", "\\Junk": "[Gmail]/Spam"}


# --- special-use and ID on a real Dovecot -------------------------------------------------


@pytest.fixture
def special_dovecot() -> Iterator[Dovecot]:
    """A Dovecot announcing \\All, \\Sent and \\Trash on Vietnamese-named folders, logging ID."""
    reason = dovecot_unavailable_reason()
    if reason:
        pytest.skip(reason)
    server = SpecialUseDovecot(root=dovecot_root("mailbot-dovecot-special-"))
    original = server.configure

    def configure() -> None:
        original()
        conf = server.root / "dovecot.conf"
        conf.write_text(conf.read_text() + "imap_id_log = *\n")

    server.configure = configure  # type: ignore[method-assign]
    with running(server) as started:
        yield started


def dovecot_source(server: Dovecot, **options: object) -> ImapSource:
    """A plain-password ImapSource on a test Dovecot."""
    return ImapSource(
        server.host, server.port, "none", server.user, server.password, timeout_s=10, **options
    )  # type: ignore[arg-type]


@pytest.mark.servers
def test_special_folders_are_found_by_flag_not_name(special_dovecot: Dovecot) -> None:
    """LIST's special-use flags name All Mail, Sent and Trash whatever their language."""
    with dovecot_source(special_dovecot) as box:
        found = box.special_folders()
        assert not box.gmail
    assert {k: found[k] for k in ("\\All", "\\Sent", "\\Trash")} == {
        "\\All": ALL_MAIL,
        "\\Sent": SENT,
        "\\Trash": TRASH,
    }


@pytest.mark.servers
@pytest.mark.parametrize("folder", [ALL_MAIL, SENT, TRASH])
def test_special_folder_is_never_selected_as_the_inbox(
    special_dovecot: Dovecot, folder: str
) -> None:
    """Selecting All Mail, Sent or Trash as the polled folder raises ConfigError."""
    with (
        dovecot_source(special_dovecot) as box,
        pytest.raises(ConfigError, match=r"mailbox\.folder"),
    ):
        box.select(folder)


@pytest.mark.servers
def test_trash_as_processed_folder_is_refused(special_dovecot: Dovecot) -> None:
    """Moving processed mail into Trash would delete it: processed_folder = Trash is refused."""
    uid = special_dovecot.append("INBOX", b"Subject: x\r\n\r\nx\r\n")
    with dovecot_source(special_dovecot, processed_folder=TRASH) as box:
        uidvalidity = box.select("INBOX")
        [[ref]] = list(box.list_after(0))
        assert ref.uid == uid
        with pytest.raises(ConfigError, match="processed_folder"):
            box.mark_processed([ref])
    assert [m.uid for m in special_dovecot.messages("INBOX")] == [uid]
    assert uidvalidity > 0


@pytest.mark.servers
def test_id_command_names_mailbot(special_dovecot: Dovecot) -> None:
    """The server's log shows the ID mailbot sent (name and version)."""
    with dovecot_source(special_dovecot) as box:
        box.select("INBOX")
    log = (special_dovecot.root / "dovecot.log").read_text(errors="replace")
    assert f"ID sent: name=mailbot, version={__version__}" in log


# --- store: X-GM-MSGID column -------------------------------------------------------------


def test_migration_adds_gm_msgid_to_an_existing_database(tmp_path: Path) -> None:
    """A version-1 database gains the gm_msgid column; its messages keep their rows."""
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    m001_initial(conn)
    conn.execute(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT)"
    )
    conn.execute("INSERT INTO schema_version VALUES (1, 'm001_initial', '2021-10-01')")
    conn.execute(
        """INSERT INTO messages (source_key, sha256, received_at, status, created_at, updated_at)
        VALUES ('INBOX/1/1', 'abc', '2021-10-01', 'booked', '2021-10-01', '2021-10-01')"""
    )
    conn.close()
    with Store.open(path, now=datetime(2021, 10, 2, tzinfo=UTC)) as store:
        row = store.conn.execute("SELECT source_key, gm_msgid FROM messages").fetchone()
        # Every later migration applies too: the latest version, whatever its number.
        assert (store.version, tuple(row)) == (len(MIGRATIONS), ("INBOX/1/1", None))
