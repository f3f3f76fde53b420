"""`mailbot serve` and `mailbot web-user add`, in-process, on a config file written from data."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mailbot.cli.main import main
from mailbot.config import load_config
from mailbot.runtime.wiring import open_store
from mailbot.store import IncomingMessage
from mailbot.web.passwords import verify_password
from tests.support.office_env import toml_dumps
from tests.test_config import MINIMAL


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    """The minimal config with its database in tmp_path."""
    data = {**MINIMAL, "storage": {"database": str(tmp_path / "db.sqlite3")}}
    path = tmp_path / "mailbot.toml"
    path.write_text(toml_dumps(data), encoding="utf-8")
    return path


def test_serve_on_a_lan_address_without_tls_exits_1_with_the_way_out(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`serve --host 0.0.0.0` is one line on stderr naming the three fixes, exit 1."""
    code = main(["serve", "-c", str(config_file), "--host", "0.0.0.0"])
    err = capsys.readouterr().err
    assert code == 1 and len(err.splitlines()) == 1
    assert "--host = '0.0.0.0'" in err and "allow_plain_http_on_lan = true" in err


def test_web_user_add_stores_a_hash_that_verifies(
    config_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The password read from standard input is stored as a scrypt hash, never as itself."""
    monkeypatch.setattr("sys.stdin", io.StringIO("một-mật-khẩu-dài\n"))
    code = main(["web-user", "add", "-c", str(config_file), "lan"])
    with open_store(load_config(config_file)) as store:
        stored = store.web_password_hash("lan")
        audit = store.audit_rows()[0]
    assert (code, capsys.readouterr().out) == (0, "Đã thêm người dùng lan.\n")
    assert stored.startswith("scrypt$") and "một-mật-khẩu-dài" not in stored  # type: ignore[union-attr]
    assert verify_password("một-mật-khẩu-dài", stored)
    assert (audit.user_name, audit.action, audit.target) == ("cli", "web_user_add", "lan")


def test_web_user_add_refuses_a_short_password(
    config_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A password under ten characters is refused in Vietnamese; nothing is stored."""
    monkeypatch.setattr("sys.stdin", io.StringIO("ngan\n"))
    code = main(["web-user", "add", "-c", str(config_file), "lan"])
    assert (code, capsys.readouterr().err) == (1, "mailbot: Mật khẩu cần ít nhất 10 ký tự.\n")


def test_not_a_report_takes_a_problem_mail_off_the_queue_and_audits(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The CLI's "Không phải báo cáo": the mail is ignored, the audit names the CLI user."""
    cfg = load_config(config_file)
    now = datetime(2021, 10, 12, 8, 0, tzinfo=UTC)
    msg = IncomingMessage("INBOX/7/1", "ab" * 32, now, from_addr="x@example.com")
    with open_store(cfg) as store:
        store.begin_attempt(msg, now, max_attempts=3)
        row = store.book_message(msg, "unassigned", now, problem_kind="unassigned").message_row_id
    code = main(["not-a-report", "-c", str(config_file), str(row), "--reason", "thư rác"])
    with open_store(cfg) as store:
        status, audit = store.message(row).status, store.audit_rows()[0]
    assert (code, status, audit.action, audit.detail["reason"]) == (
        0, "ignored", "not_a_report", "thư rác",
    )  # fmt: skip
    assert audit.user_name.startswith("cli:")
    assert capsys.readouterr().out == f"Thư #{row} đã được đánh dấu không phải báo cáo.\n"
