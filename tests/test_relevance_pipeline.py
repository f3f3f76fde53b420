"""Relevance through the real pipeline: Dovecot, aiosmtpd, SQLite, the archive.

Mail that is not the campaign's leaves no trace on the server and gets no receipt; the
ambiguous kind is shown to the office, who can take it in with reprocess --as-report; the
summary counts the rest in one line.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mailbot.cli.main import main
from mailbot.ingest.poll import reprocess
from mailbot.office.jobs import summary_mail
from mailbot.runtime.wiring import open_archive, poll_settings
from mailbot.store import Store
from mailbot.store.migrations import MIGRATIONS, m001_initial, m002_gmail_message_id
from tests.redinbox import files
from tests.redmail import forms
from tests.support.mailshapes import report_email
from tests.support.office_env import toml_dumps
from tests.support.pipeline_env import PipelineEnv, config_mapping
from tests.support.servers import Dovecot, SmtpServer

pytestmark = pytest.mark.servers

MG = "ubnd.muonggiang@example.test"  # UBND xã Mường Giàng, on the test roster
FRIEND = "ban.cu@example.com"


@pytest.fixture
def env(dovecot: Dovecot, smtp_server: SmtpServer, tmp_path: Path) -> PipelineEnv:
    """The pipeline wired to fresh servers, an empty database and a settable clock."""
    os.environ["MAILBOT_TEST_IMAP_PASSWORD"] = dovecot.password
    return PipelineEnv(dovecot, smtp_server, tmp_path)


def class_list_from_mg() -> bytes:
    """A roster unit's file that is not the form, with no campaign word: ambiguous."""
    return report_email(
        MG,
        subject="gửi phòng",
        body="Xã gửi phòng file ạ.",
        attachments=[("DS.xlsx", forms.foreign_xlsx())],
    )


def wedding_photos() -> bytes:
    """A friend's photos: unrelated."""
    return report_email(
        FRIEND,
        subject="Ảnh cưới",
        body="Gửi cả nhà ảnh cưới nhé",
        attachments=[("IMG_1.jpg", files.photo_jpg("Canon", 1))],
    )


def test_unrelated_and_ambiguous_mail_keep_their_flags_and_get_no_receipt(
    env: PipelineEnv,
) -> None:
    """No keyword, no \\Seen, nothing sent: the server copies are as they arrived."""
    env.deliver(wedding_photos())
    env.dovecot.append("INBOX", class_list_from_mg(), flags=["\\Seen"], msg_time=env.clock.now)
    report = env.poll()
    env.poll()
    assert (report.counts["unrelated"], report.counts["ambiguous"]) == (1, 1)
    assert [m.flags for m in env.dovecot.messages("INBOX")] == [frozenset(), {"\\Seen"}]
    assert env.smtp.messages == []


def test_ambiguous_mail_is_listed_for_the_office_and_unrelated_mail_is_not(
    env: PipelineEnv,
) -> None:
    """The problem list holds the roster unit's file as 'possible_report', not the photos."""
    env.deliver(wedding_photos())
    env.deliver(class_list_from_mg())
    env.poll()
    with env.store() as store:
        problems = store.problems()
    assert [(p.kind, p.sender) for p in problems] == [("possible_report", MG)]


def test_the_summary_counts_unrelated_mail_and_lists_the_possible_report(
    env: PipelineEnv,
) -> None:
    """One count line for unrelated mail; the ambiguous one listed as "Có thể là báo cáo"."""
    env.deliver(wedding_photos())
    env.deliver(report_email(FRIEND, subject="Sao kê tháng 10", body="Sao kê tài khoản"))
    env.deliver(class_list_from_mg())
    env.poll()
    with env.store() as store:
        msg, _ = summary_mail(env.config, store, env.clock())
    text = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
    line = "2 thư không thuộc đợt báo cáo, không xử lý"
    assert line in text and line in html
    listed = "[thư số 3] Có thể là báo cáo (chưa xử lý; nhận bằng mailbot reprocess ID --as-report)"
    assert listed in text and 'thư "gửi phòng"' in text
    assert "Ảnh cưới" not in text and "Sao kê" not in text


def test_reprocess_as_report_takes_an_ambiguous_mail_in_and_answers_it(
    env: PipelineEnv,
) -> None:
    """The office's decision: the unit gets one receipt and the server copy is then flagged."""
    env.deliver(class_list_from_mg())
    env.poll()
    with env.store() as store:
        [problem] = store.problems()
        cfg = env.config
        reprocess(
            problem.message_id,
            store,
            open_archive(cfg),
            poll_settings(cfg),
            env.clock,
            as_report=True,
        )
        assert store.message(problem.message_id).status == "unreadable"
    env.poll()
    assert [m["To"].addresses[0].addr_spec for m in env.receipts()] == [MG]
    assert "$MailbotProcessed" in env.dovecot.messages("INBOX")[0].flags


def test_others_lists_the_mail_left_alone_with_its_number(
    env: PipelineEnv, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`mailbot others`: each mail left alone, with the ID reprocess --as-report takes."""
    env.deliver(wedding_photos())
    env.deliver(class_list_from_mg())
    env.poll()
    cfg = tmp_path / "mailbot.toml"
    cfg.write_text(toml_dumps(config_mapping(env.dovecot, env.smtp, tmp_path)), encoding="utf-8")
    assert main(["others", "-c", str(cfg)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("  ")[2:] for line in lines[:2]] == [
        ["[có thể là báo cáo]", MG, "gửi phòng"],
        ["[không thuộc đợt]", FRIEND, "Ảnh cưới"],
    ]
    assert [line.split("  ")[0] for line in lines[:2]] == ["#2", "#1"]


def test_mail_left_alone_stays_untouched_when_a_uidvalidity_change_finds_it_again(
    env: PipelineEnv,
) -> None:
    """The rescan's copies are duplicates of mail left alone: still no keyword, no problem."""
    env.deliver(wedding_photos())
    env.deliver(class_list_from_mg())
    env.poll()
    env.dovecot.change_uidvalidity("INBOX")
    env.poll()
    assert [m.flags for m in env.dovecot.messages("INBOX")] == [frozenset(), frozenset()]
    with env.store() as store:
        assert [p.kind for p in store.problems()] == ["possible_report"]
    assert env.smtp.messages == []


def test_an_existing_database_gains_the_relevance_column(tmp_path: Path) -> None:
    """The relevance migration keeps earlier messages, judged as the campaign's (NULL)."""
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    m001_initial(conn)
    m002_gmail_message_id(conn)
    conn.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name, applied_at)")
    conn.execute("INSERT INTO schema_version VALUES (1, 'm001', '2021'), (2, 'm002', '2021')")
    conn.execute(
        """INSERT INTO messages (source_key, sha256, received_at, status, created_at, updated_at)
        VALUES ('INBOX/1/1', 'abc', '2021-10-01', 'booked', '2021-10-01', '2021-10-01')"""
    )
    conn.close()
    with Store.open(path, now=datetime(2021, 10, 2, tzinfo=UTC)) as store:
        row = store.conn.execute("SELECT source_key, relevance FROM messages").fetchone()
        assert (store.version, tuple(row)) == (len(MIGRATIONS), ("INBOX/1/1", None))


def meeting_question_from_mg() -> bytes:
    """A roster unit's question without a file and without a campaign word: unrelated."""
    return report_email(MG, subject="Hỏi lịch họp", body="Phòng cho xã hỏi lịch họp tuần sau ạ")


def test_unrelated_mail_keeps_no_archived_copy(env: PipelineEnv) -> None:
    """Only its row is kept (to skip it and count it); the raw mail stays on the server."""
    env.deliver(wedding_photos())
    env.poll()
    with env.store() as store:
        [(_, row)] = store.left_alone()
    assert row.raw_path is None
    assert list((env.tmp / "archive").rglob(f"{row.sha256}*")) == []


def test_reprocess_as_report_fetches_unrelated_mail_from_the_server(env: PipelineEnv) -> None:
    """A mail kept only on the server is fetched, taken as a report and answered."""
    env.deliver(meeting_question_from_mg())
    env.poll()
    cfg = env.config
    with env.store() as store:
        [(_, row)] = store.left_alone()
        reprocess(
            row.id, store, open_archive(cfg), poll_settings(cfg), env.clock, as_report=True,
            open_source=env.source,
        )  # fmt: skip
        assert store.message(row.id).status == "unreadable"  # a unit's mail with no file
    env.poll()
    assert [m["To"].addresses[0].addr_spec for m in env.receipts()] == [MG]


def test_the_offices_word_holds_when_the_mail_is_fetched_by_the_next_poll(
    env: PipelineEnv,
) -> None:
    """reprocess --as-report with no mailbox at hand: the next poll fetches it as a report."""
    env.deliver(meeting_question_from_mg())
    env.poll()
    cfg = env.config
    with env.store() as store:
        [(_, row)] = store.left_alone()
        reprocess(row.id, store, open_archive(cfg), poll_settings(cfg), env.clock, as_report=True)
        assert store.message(row.id).status == "processing"
    env.poll()
    with env.store() as store:
        assert store.message(row.id).status == "unreadable"
    assert [m["To"].addresses[0].addr_spec for m in env.receipts()] == [MG]


def test_the_cli_takes_an_unrelated_mail_in_as_a_report(
    env: PipelineEnv, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`mailbot reprocess -c CFG ID --as-report` exits 0 and books the mail as the unit's."""
    env.deliver(meeting_question_from_mg())
    env.poll()
    cfg = tmp_path / "mailbot.toml"
    cfg.write_text(toml_dumps(config_mapping(env.dovecot, env.smtp, tmp_path)), encoding="utf-8")
    with env.store() as store:
        [(_, row)] = store.left_alone()
    assert main(["reprocess", "-c", str(cfg), str(row.id), "--as-report"]) == 0
    assert "unreadable unit=xa-muong-giang" in capsys.readouterr().out
