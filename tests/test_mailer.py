"""SmtpMailer against a real aiosmtpd server; DirectoryMailer on disk; safe_subject properties."""

from __future__ import annotations

import re
import socket
import ssl
import time
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import SMTP, default
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mailbot.errors import SendError
from mailbot.sending.mailer import DirectoryMailer, Mailer, SmtpMailer, recipients, safe_subject
from tests.support.servers import SmtpServer

SUBJECT = "Biên nhận: Báo cáo Phụ lục 2 — Trường Tiểu học Mường Giàng"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def receipt(**extra: str) -> EmailMessage:
    """A receipt-like message: Vietnamese subject and body, an .xlsx and a .docx attached."""
    msg = EmailMessage()
    msg["From"] = "Phòng GD&ĐT Quỳnh Nhai <office@example.test>"
    msg["To"] = "Trường TH Mường Giàng <school1@example.test>"
    msg["Subject"] = SUBJECT
    msg["Message-ID"] = "<receipt-1@example.test>"
    for name, value in extra.items():
        msg[name] = value
    msg.set_content("Phòng đã nhận báo cáo của đơn vị.\nTrân trọng.\n")
    msg.add_attachment(
        bytes(range(256)) * 40,
        maintype=XLSX.split("/")[0],
        subtype=XLSX.split("/")[1],
        filename="Tổng hợp Phụ lục 2.xlsx",
    )
    msg.add_attachment(
        b"PK\x03\x04" + "nội dung".encode() * 100,
        maintype=DOCX.split("/")[0],
        subtype=DOCX.split("/")[1],
        filename="Biểu mẫu.docx",
    )
    return msg


def attachments(msg: EmailMessage) -> list[tuple[str | None, str, bytes]]:
    """(filename, content type, bytes) of each attachment."""
    return [
        (part.get_filename(), part.get_content_type(), part.get_content())
        for part in msg.iter_attachments()
    ]


def body_text(msg: EmailMessage) -> str:
    """The text/plain body of msg."""
    part = msg.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def parsed(data: bytes) -> EmailMessage:
    """Bytes parsed back with the modern email policy."""
    msg = message_from_bytes(data, policy=default)
    assert isinstance(msg, EmailMessage)
    return msg


def plain_mailer(server: SmtpServer, **options: Any) -> SmtpMailer:
    """An SmtpMailer for the server without TLS."""
    return SmtpMailer(server.host, server.port, "none", timeout_s=5, **options)


@pytest.mark.servers
def test_smtp_mailer_satisfies_the_mailer_protocol(smtp_server: SmtpServer) -> None:
    """SmtpMailer is usable wherever a Mailer is expected."""
    mailer: Mailer = plain_mailer(smtp_server)
    mailer.send(receipt())
    assert len(smtp_server.messages) == 1


@pytest.mark.servers
def test_vietnamese_subject_and_attachments_arrive_intact(smtp_server: SmtpServer) -> None:
    """Subject, body and both attachments (names and bytes) survive the trip through SMTP."""
    sent = receipt()
    plain_mailer(smtp_server).send(sent)
    [got] = smtp_server.messages
    assert (got.mail_from, got.rcpt_tos) == ("office@example.test", ("school1@example.test",))
    back = parsed(got.data)
    assert back["Subject"] == SUBJECT
    # SMTP carries text with CRLF line ends by definition.
    assert body_text(back).replace("\r\n", "\n") == body_text(sent)
    assert attachments(back) == attachments(sent)


@pytest.mark.servers
def test_bcc_goes_to_the_envelope_not_the_headers(smtp_server: SmtpServer) -> None:
    """Cc and Bcc addresses are envelope recipients; the Bcc header is not transmitted."""
    plain_mailer(smtp_server).send(receipt(Cc="office@example.test", Bcc="audit@example.test"))
    [got] = smtp_server.messages
    assert got.rcpt_tos == ("school1@example.test", "office@example.test", "audit@example.test")
    assert parsed(got.data)["Bcc"] is None


@pytest.mark.servers
def test_auth_with_right_credentials_delivers(smtp_server_auth: SmtpServer) -> None:
    """With username and password the mailer logs in and the message is accepted."""
    mailer = plain_mailer(
        smtp_server_auth, username=smtp_server_auth.username, password=smtp_server_auth.password
    )
    mailer.send(receipt())
    assert (smtp_server_auth.logins, len(smtp_server_auth.messages)) == (["sender@example.test"], 1)


@pytest.mark.servers
def test_wrong_password_raises_send_error_without_the_password(
    smtp_server_auth: SmtpServer,
) -> None:
    """A refused login is a one-line SendError that does not contain the password."""
    mailer = plain_mailer(smtp_server_auth, username="sender@example.test", password="bad-pw-42")
    with pytest.raises(SendError, match="refused the login") as caught:
        mailer.send(receipt())
    assert "bad-pw-42" not in str(caught.value) and "\n" not in str(caught.value)
    assert smtp_server_auth.messages == []


@pytest.mark.servers
def test_no_username_means_no_auth(smtp_server_auth: SmtpServer) -> None:
    """Without a username no AUTH is tried, so a server requiring it refuses the message."""
    with pytest.raises(SendError):
        plain_mailer(smtp_server_auth).send(receipt())
    assert smtp_server_auth.logins == []


@pytest.mark.servers
def test_smtp_down_raises_send_error_then_recovers(smtp_server: SmtpServer) -> None:
    """While the server is down sending fails fast with SendError; once back it works."""
    mailer = plain_mailer(smtp_server)
    smtp_server.stop()
    started = time.monotonic()
    with pytest.raises(SendError, match="failed"):
        mailer.send(receipt())
    assert time.monotonic() - started < 1
    smtp_server.start()
    mailer.send(receipt())
    assert len(smtp_server.messages) == 1


def test_silent_server_raises_send_error_after_timeout() -> None:
    """A server that accepts but never greets fails after timeout_s."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        mailer = SmtpMailer("127.0.0.1", silent.getsockname()[1], "none", timeout_s=0.5)
        started = time.monotonic()
        with pytest.raises(SendError):
            mailer.send(receipt())
        assert 0.4 < time.monotonic() - started < 3


@pytest.mark.servers
def test_message_without_recipients_raises_send_error(smtp_server: SmtpServer) -> None:
    """A message with no To, Cc or Bcc is refused before connecting."""
    msg = receipt()
    del msg["To"]
    with pytest.raises(SendError, match="no recipients"):
        plain_mailer(smtp_server).send(msg)


@pytest.mark.servers
def test_starttls_delivers_when_the_certificate_is_trusted(
    smtp_server_tls: SmtpServer, tls_files: tuple[Path, Path]
) -> None:
    """STARTTLS with a context trusting the server certificate delivers the message."""
    context = ssl.create_default_context(cafile=str(tls_files[0]))
    mailer = SmtpMailer("127.0.0.1", smtp_server_tls.port, "starttls", ssl_context=context)
    mailer.send(receipt())
    assert parsed(smtp_server_tls.messages[0].data)["Subject"] == SUBJECT


@pytest.mark.servers
def test_starttls_refuses_an_untrusted_certificate(smtp_server_tls: SmtpServer) -> None:
    """An unverifiable certificate is a SendError and nothing is sent."""
    mailer = SmtpMailer("127.0.0.1", smtp_server_tls.port, "starttls", timeout_s=5)
    with pytest.raises(SendError):
        mailer.send(receipt())
    assert smtp_server_tls.messages == []


@pytest.mark.servers
def test_implicit_tls_delivers(smtps_server: SmtpServer, tls_files: tuple[Path, Path]) -> None:
    """Security "ssl" speaks TLS from the first byte (SMTPS)."""
    context = ssl.create_default_context(cafile=str(tls_files[0]))
    SmtpMailer("127.0.0.1", smtps_server.port, "ssl", ssl_context=context).send(receipt())
    assert len(smtps_server.messages) == 1


def test_recipients_reads_to_cc_bcc_in_order() -> None:
    """recipients lists the bare addresses of To, Cc and Bcc, display names dropped."""
    msg = receipt(Cc="A <a@example.test>, b@example.test", Bcc="c@example.test")
    assert recipients(msg) == [
        "school1@example.test",
        "a@example.test",
        "b@example.test",
        "c@example.test",
    ]


def test_directory_mailer_writes_numbered_eml_files(tmp_path: Path) -> None:
    """Each message becomes <n>-<safe-subject>.eml, numbered on from what is there."""
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    (outbox / "0007-old.eml").write_bytes(b"")
    mailer = DirectoryMailer(outbox)
    mailer.send(receipt())
    mailer.send(receipt())
    slug = "bien-nhan-bao-cao-phu-luc-2-truong-tieu-hoc-muong"
    assert sorted(p.name for p in outbox.iterdir()) == [
        "0007-old.eml",
        f"0008-{slug}.eml",
        f"0009-{slug}.eml",
    ]
    assert mailer.sent == [outbox / f"0008-{slug}.eml", outbox / f"0009-{slug}.eml"]


def test_directory_mailer_file_holds_the_message_and_all_recipients(tmp_path: Path) -> None:
    """The .eml parses back to the same subject, recipients (Bcc too) and attachments."""
    sent = receipt(Bcc="audit@example.test")
    mailer = DirectoryMailer(tmp_path)
    mailer.send(sent)
    back = parsed(mailer.sent[0].read_bytes())
    assert (back["Subject"], recipients(back)) == (
        SUBJECT,
        ["school1@example.test", "audit@example.test"],
    )
    assert attachments(back) == attachments(sent)


def test_directory_mailer_unwritable_path_raises_send_error(tmp_path: Path) -> None:
    """An outbox path that is a file is a SendError, not an OSError."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(SendError, match="outbox"):
        DirectoryMailer(blocker / "outbox").send(receipt())


def test_safe_subject_strips_vietnamese_marks() -> None:
    """Diacritics and Đ become plain letters; punctuation becomes single dashes."""
    assert safe_subject("Báo cáo Đợt 1 — Xã Mường Giôn!") == "bao-cao-dot-1-xa-muong-gion"
    assert safe_subject("  ") == "no-subject"


@given(st.text(max_size=200))
def test_safe_subject_is_always_a_short_ascii_slug(subject: str) -> None:
    """Any subject gives 1–50 chars of a-z, 0-9 and inner dashes."""
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*|no-subject", safe_subject(subject))
    assert len(safe_subject(subject)) <= 50


@pytest.mark.servers
def test_a_batch_sends_every_message_over_one_login(smtp_server_auth: SmtpServer) -> None:
    """Inside `with mailer:` three messages share one connection: the server sees one login."""
    mailer = plain_mailer(
        smtp_server_auth, username=smtp_server_auth.username, password=smtp_server_auth.password
    )
    with mailer:
        for n in range(3):
            mailer.send(receipt(**{"X-N": str(n)}))
    assert (smtp_server_auth.logins, len(smtp_server_auth.messages)) == (
        ["sender@example.test"],
        3,
    )


@pytest.mark.servers
def test_a_batch_reconnects_once_the_server_restarted(smtp_server: SmtpServer) -> None:
    """A kept connection the server dropped is replaced, and each message arrives once."""
    mailer = plain_mailer(smtp_server)
    with mailer:
        mailer.send(receipt(**{"X-N": "1"}))
        smtp_server.stop()
        smtp_server.start()
        mailer.send(receipt(**{"X-N": "2"}))
    assert [parsed(m.data)["X-N"] for m in smtp_server.messages] == ["1", "2"]


@pytest.mark.servers
def test_send_bytes_delivers_the_stored_bytes_unchanged(smtp_server: SmtpServer) -> None:
    """An outbox row's bytes go out as they are, to the To and Cc addresses of its headers."""
    raw = receipt(Cc="office@example.test").as_bytes(policy=SMTP)
    plain_mailer(smtp_server).send_bytes(raw)
    [got] = smtp_server.messages
    assert got.rcpt_tos == ("school1@example.test", "office@example.test")
    assert got.mail_from == "office@example.test"
    assert got.data.rstrip(b"\r\n") == raw.rstrip(b"\r\n")


@pytest.mark.servers
def test_send_bytes_with_bcc_keeps_the_bcc_header_out(smtp_server: SmtpServer) -> None:
    """Serialised mail with a Bcc still reaches the Bcc address, without the header."""
    raw = receipt(Bcc="audit@example.test").as_bytes(policy=SMTP)
    plain_mailer(smtp_server).send_bytes(raw)
    [got] = smtp_server.messages
    assert got.rcpt_tos == ("school1@example.test", "audit@example.test")
    assert parsed(got.data)["Bcc"] is None
