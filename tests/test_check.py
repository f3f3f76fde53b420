"""`mailbot check`: OK lines for a working setup, one problem line with its fix otherwise.

Real Dovecot and aiosmtpd; the CLI runs in-process on a TOML config file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mailbot.cli.main import main
from tests.support.config_files import write_config
from tests.support.pipeline_env import config_mapping
from tests.support.servers import Dovecot, SmtpServer

pytestmark = pytest.mark.servers

ENV = "MAILBOT_TEST_IMAP_PASSWORD"


def check(
    dovecot: Dovecot, sink: SmtpServer, tmp: Path, capsys, **sections: dict
) -> tuple[int, list[str]]:
    """Run `mailbot check` on the test config with some keys changed; (exit code, lines)."""
    data = config_mapping(dovecot, sink, tmp)
    for section, values in sections.items():
        data[section].update(values)
    cfg = write_config(tmp / "mailbot.toml", data)
    code = main(["check", "-c", str(cfg)])
    return code, capsys.readouterr().out.splitlines()


@pytest.fixture(autouse=True)
def password(dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch) -> None:
    """The right IMAP password in the environment, as the config names it."""
    monkeypatch.setenv(ENV, dovecot.password)


def test_good_config_is_all_ok(dovecot: Dovecot, smtp_server: SmtpServer, tmp_path, capsys):
    """Everything reachable: every line OK, the last says all is well, exit code 0."""
    code, lines = check(dovecot, smtp_server, tmp_path, capsys)
    names = [line.split(":")[0] for line in lines[:-1]]
    assert code == 0
    assert names == [
        "OK   Cấu hình",
        "OK   Mật khẩu hộp thư",
        "OK   IMAP",
        "OK   Thư mục đọc",
        "OK   SMTP",
        "OK   Cơ sở dữ liệu",
        "OK   Lần đọc thư gần nhất",
        "OK   Kho lưu thư",
    ]
    assert lines[-1] == "Tất cả đều ổn."


def test_wrong_password_is_one_problem_with_the_fix(
    dovecot: Dovecot, smtp_server: SmtpServer, tmp_path, capsys, monkeypatch
):
    """A refused IMAP login is the IMAP problem line, with where the password comes from."""
    monkeypatch.setenv(ENV, "wrong-password")
    code, lines = check(dovecot, smtp_server, tmp_path, capsys)
    [imap] = [i for i, line in enumerate(lines) if line.startswith("LỖI  IMAP:")]
    assert code == 1
    assert "AUTHENTICATIONFAILED" in lines[imap]
    assert lines[imap + 1].startswith(
        f"     Cách sửa: Kiểm tra username và mật khẩu trong biến môi trường {ENV}."
    )
    assert lines[-1] == "1 vấn đề cần sửa."


def test_unset_password_variable_is_named(
    dovecot: Dovecot, smtp_server: SmtpServer, tmp_path, capsys, monkeypatch
):
    """An empty environment variable is reported by name before any connection is tried."""
    monkeypatch.delenv(ENV)
    code, lines = check(dovecot, smtp_server, tmp_path, capsys)
    assert code == 1
    assert any(line.startswith("LỖI  Mật khẩu hộp thư:") and ENV in line for line in lines)
    assert not any(line[5:].startswith("IMAP:") for line in lines)


def test_missing_folder_is_reported(dovecot: Dovecot, smtp_server: SmtpServer, tmp_path, capsys):
    """A polled folder that does not exist: problem line naming it, with the fix."""
    code, lines = check(dovecot, smtp_server, tmp_path, capsys, mailbox={"folder": "Báo cáo"})
    [line] = [i for i, text in enumerate(lines) if text.startswith("LỖI  Thư mục đọc:")]
    assert code == 1
    assert "Báo cáo" in lines[line + 1] and "mailbox.folder" in lines[line + 1]


def test_unreachable_smtp_is_reported(dovecot: Dovecot, tmp_path, capsys):
    """A stopped SMTP server: the SMTP line says so and points at host/port/network."""
    smtp = SmtpServer()
    smtp.start()
    smtp.stop()
    code, lines = check(dovecot, smtp, tmp_path, capsys)
    [line] = [i for i, text in enumerate(lines) if text.startswith("LỖI  SMTP:")]
    assert code == 1 and "smtp.host" in lines[line + 1]


def test_refused_smtp_login_is_reported(
    dovecot: Dovecot, smtp_server_auth: SmtpServer, tmp_path, capsys, monkeypatch
):
    """SMTP AUTH refused: the SMTP line has the server's answer and the password fix."""
    monkeypatch.setenv("MAILBOT_TEST_SMTP_PASSWORD", "not-the-password")
    smtp = {"username": smtp_server_auth.username, "password_env": "MAILBOT_TEST_SMTP_PASSWORD"}
    code, lines = check(dovecot, smtp_server_auth, tmp_path, capsys, smtp=smtp)
    [line] = [i for i, text in enumerate(lines) if text.startswith("LỖI  SMTP:")]
    assert code == 1 and "refused the login" in lines[line]
    assert "mật khẩu" in lines[line + 1]


def test_broken_config_stops_at_the_config(
    dovecot: Dovecot, smtp_server: SmtpServer, tmp_path: Path, capsys
) -> None:
    """A config error is the only line (naming the key, with a hint), exit code 1."""
    code, lines = check(dovecot, smtp_server, tmp_path, capsys, mailbox={"hots": "x"})
    assert code == 1
    assert lines[0].startswith("LỖI  Cấu hình:") and "did you mean 'host'" in lines[0]
    assert lines[2:] == ["1 vấn đề cần sửa."]
