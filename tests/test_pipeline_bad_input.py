"""Broken, foreign and hostile attachments through the real pipeline: kept, answered once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.mailshapes import report_email
from tests.support.pipeline_env import PipelineEnv, file_bytes, report_file
from tests.support.servers import Dovecot, SmtpServer
from tests.test_safety import NAMES, hostile_files

MG = "ubnd.muonggiang@example.test"


@pytest.fixture
def env(dovecot: Dovecot, smtp_server: SmtpServer, tmp_path: Path) -> PipelineEnv:
    """The pipeline wired to fresh servers, an empty database and a settable clock."""
    os.environ["MAILBOT_TEST_IMAP_PASSWORD"] = dovecot.password
    return PipelineEnv(dovecot, smtp_server, tmp_path)


def receipt_text(env: PipelineEnv) -> str:
    """The plain-text body of the only receipt sent."""
    [receipt] = env.receipts()
    return receipt.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.servers
def test_a_bad_file_gets_one_receipt_naming_it(env: PipelineEnv, name: str) -> None:
    """Each unreadable file: the message is kept, the office sees it, one receipt names it."""
    data = hostile_files()[name]
    if name == "photo.png":  # a real photo: tiny images with a Content-ID are signature logos
        data += os.urandom(40_000)
    env.deliver(report_email(MG, attachments=[(name, data)]))
    env.poll()
    text = receipt_text(env)
    assert name in text
    assert ".xlsx" in text  # what to send instead
    with env.store() as store:
        [problem] = store.problems()
    assert problem.kind == "unreadable"
    assert problem.files == [name]


@pytest.mark.servers
def test_a_bad_file_beside_a_good_one_still_books_the_report(env: PipelineEnv) -> None:
    """A corrupt extra attachment does not stop the good form from being booked."""
    form = report_file("mg", "xlsx", unit_index=0)
    attachments = [("bc.xlsx", file_bytes(form)), ("hong.docx", hostile_files()["truncated.docx"])]
    env.deliver(report_email(MG, attachments=attachments))
    env.poll()
    with env.store() as store:
        assert [s.values for s in store.latest_submissions()] == [form.values]
    assert "hong.docx" in receipt_text(env)


@pytest.mark.servers
def test_a_signed_pdf_alone_is_acknowledged_and_the_table_is_asked_for(env: PipelineEnv) -> None:
    """A scanned signed copy is kept; the receipt says so and asks for the Appendix 2 file."""
    env.deliver(report_email(MG, attachments=[("ban-ky.pdf", hostile_files()["scan.pdf"])]))
    env.poll()
    text = receipt_text(env)
    assert "ban-ky.pdf" in text
    assert "bản ký" in text
    assert ".xlsx" in text


@pytest.mark.servers
def test_a_drive_link_instead_of_a_file_gets_a_request_to_attach(env: PipelineEnv) -> None:
    """A shared link is not fetched; the receipt asks for the file as an attachment."""
    link = "https://drive.google.com/file/d/1AbCdEfGh/view?usp=sharing"
    env.deliver(report_email(MG, links=[link]))
    env.poll()
    text = receipt_text(env)
    assert "đính kèm" in text
    with env.store() as store:
        [problem] = store.problems()
    assert problem.kind == "unreadable"


@pytest.mark.servers
def test_a_message_over_the_size_limit_is_answered_without_downloading(
    env: PipelineEnv,
) -> None:
    """Past max_message_mb only the header is read; the sender is told to send the form alone."""
    env.overrides = {"mailbox": {"max_message_mb": 1}}
    big = os.urandom(1_500_000)
    env.deliver(report_email(MG, attachments=[("anh-chup.jpg", big, "image/jpeg")]))
    env.poll()
    text = receipt_text(env)
    assert "quá lớn" in text
    with env.store() as store:
        [problem] = store.problems()
    assert problem.kind == "unreadable"
