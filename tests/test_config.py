"""Config: load then parse; every rule's error names the key and says how to fix it."""

from __future__ import annotations

import copy
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mailbot.config import Config, load_config, parse_config
from mailbot.errors import ConfigError
from mailbot.records import Unit

REPO = Path(__file__).resolve().parent.parent
BASE = Path("/srv/mailbot")
TZ = ZoneInfo("Asia/Ho_Chi_Minh")

MINIMAL = {
    "mailbox": {
        "host": "imap.example.org",
        "username": "office@example.org",
        "password_env": "MAILBOT_TEST_PASSWORD",
    },
    "smtp": {"host": "smtp.example.org", "from_addr": "office@example.org"},
    "campaign": {"name": "Tuần lễ 2021", "deadline": "2021-10-15"},
    "office": {"summary_recipients": ["office@example.org"]},
    "units": [
        {"code": "xa-a", "name": "UBND xã A", "emails": ["a@example.org"]},
        {"code": "xa-b", "name": "UBND xã B", "emails": ["B@Example.org"]},
    ],
}


def config_with(**changes: dict) -> dict:
    """MINIMAL with some sections' keys replaced (a value of None deletes the key)."""
    data = copy.deepcopy(MINIMAL)
    for section, keys in changes.items():
        table = data.setdefault(section, {})
        for key, value in keys.items():
            if value is None:
                table.pop(key, None)
            else:
                table[key] = value
    return data


def error_of(data: dict) -> str:
    """The ConfigError message parse_config raises for `data`."""
    with pytest.raises(ConfigError) as info:
        parse_config(data, BASE)
    return str(info.value)


def test_example_config_parses():
    """config.example.toml loads, with the Quỳnh Nhai units and the 2021 deadline."""
    config = load_config(REPO / "config.example.toml")
    assert isinstance(config, Config)
    assert config.mailbox.host == "imap.gmail.com"
    assert config.mailbox.secret.env == "MAILBOT_GMAIL_APP_PASSWORD"
    assert config.campaign.deadline == datetime(2021, 10, 15, 23, 59, 59, 999999, tzinfo=TZ)
    assert len([u for u in config.units if u.code.startswith("xa-")]) == 11
    assert config.storage.database == Path("/var/lib/mailbot/mailbot.sqlite3")


def test_defaults_are_applied():
    """Keys left out take their documented defaults."""
    config = parse_config(MINIMAL, BASE)
    mb = config.mailbox
    assert (mb.port, mb.security, mb.folder, mb.processed_flag) == (
        993,
        "ssl",
        "INBOX",
        "$MailbotProcessed",
    )
    assert (mb.max_message_mb, mb.batch_size, mb.timeout_seconds, mb.max_attempts) == (
        25,
        100,
        60,
        3,
    )
    assert (mb.authserv_id, mb.quarantine_unauthenticated) == ("mx.google.com", True)
    assert (config.smtp.port, config.smtp.max_receipts_per_sender_per_day) == (465, 5)
    assert config.campaign.form == "appendix2-2021"
    assert config.campaign.timezone == TZ
    assert (config.schedule.summary_at, config.schedule.reminder_at) == (time(17), time(8))
    assert (config.schedule.poll_interval_minutes, config.schedule.reminder_days) == (5, (3, 1))
    assert config.storage.database == BASE / "mailbot.sqlite3"
    assert config.storage.archive_dir == BASE / "archive"


def test_units_emails_are_lowercased_and_found_case_insensitively():
    """Unit addresses are stored lowercased and looked up regardless of case."""
    config = parse_config(MINIMAL, BASE)
    assert config.units[1] == Unit("xa-b", "UBND xã B", ("b@example.org",))
    assert config.unit_for_address(" A@EXAMPLE.org ") == config.units[0]
    assert config.unit_for_address("nobody@example.org") is None


def test_unknown_key_suggests_the_close_one():
    """A misspelt key is refused with a "did you mean" naming the right key."""
    message = error_of(config_with(mailbox={"pasword_env": "X"}))
    assert "[mailbox]" in message and "'pasword_env'" in message
    assert "did you mean 'password_env'?" in message


def test_unknown_section_suggests_the_close_one():
    """A misspelt section name is refused with a suggestion."""
    data = config_with()
    data["schedul"] = {}
    assert "did you mean 'schedule'?" in error_of(data)


def test_literal_password_is_refused():
    """A `password` key is refused, pointing to password_env."""
    message = error_of(config_with(smtp={"password": "hunter2"}))
    assert message.startswith("smtp.password:")
    assert "password_env" in message
    assert "hunter2" not in message


def test_username_needs_a_password_source():
    """A username without password_env or password_file names password_env."""
    message = error_of(config_with(mailbox={"password_env": None}))
    assert message.startswith("mailbox.password_env is required")


def test_both_password_sources_are_refused():
    """password_env and password_file together are refused."""
    message = error_of(config_with(mailbox={"password_file": "secret.txt"}))
    assert "mailbox.password_env and mailbox.password_file are both set" in message


def test_password_env_must_be_a_variable_name():
    """A password pasted into password_env is refused without echoing it."""
    message = error_of(config_with(mailbox={"password_env": "abcd efgh ijkl"}))
    assert message.startswith("mailbox.password_env must be the NAME")
    assert "abcd" not in message


def test_secret_is_read_lazily_and_kept_out_of_repr(monkeypatch):
    """The password comes from the environment on demand and never appears in a repr."""
    config = parse_config(MINIMAL, BASE)
    monkeypatch.setenv("MAILBOT_TEST_PASSWORD", "s3cret-value")
    assert config.mailbox.password() == "s3cret-value"
    assert "s3cret-value" not in repr(config)
    assert "MAILBOT_TEST_PASSWORD" not in repr(config)


def test_missing_password_env_variable_names_the_variable(monkeypatch):
    """Asking for a password whose variable is unset raises naming the variable."""
    monkeypatch.delenv("MAILBOT_TEST_PASSWORD", raising=False)
    config = parse_config(MINIMAL, BASE)
    with pytest.raises(ConfigError, match="MAILBOT_TEST_PASSWORD is not set"):
        config.mailbox.password()


def test_password_file_is_read_relative_to_base_dir(tmp_path):
    """password_file resolves against the config folder and drops the trailing newline."""
    (tmp_path / "imap.secret").write_text("from-file\n", encoding="utf-8")
    data = config_with(mailbox={"password_env": None, "password_file": "imap.secret"})
    assert parse_config(data, tmp_path).mailbox.password() == "from-file"


def test_report_template_is_a_path_relative_to_base_dir():
    """[office] report_template names the office's own Word template, beside the config."""
    data = config_with(office={"report_template": "mau-bao-cao.docx"})
    assert parse_config(data, BASE).office.report_template == BASE / "mau-bao-cao.docx"
    assert parse_config(MINIMAL, BASE).office.report_template is None


def test_plaintext_refused_for_remote_host():
    """security = "none" towards a non-loopback host is refused."""
    message = error_of(config_with(smtp={"security": "none"}))
    assert message.startswith("smtp.security")
    assert "loopback" in message


@pytest.mark.parametrize("host", ["127.0.0.1", "127.3.2.1", "::1", "localhost"])
def test_plaintext_allowed_for_loopback(host):
    """security = "none" is accepted for loopback hosts, with the plain default port."""
    config = parse_config(config_with(mailbox={"security": "none", "host": host}), BASE)
    assert (config.mailbox.security, config.mailbox.port) == ("none", 143)


def test_bad_security_value_names_the_choices():
    """An unknown security mode lists the allowed ones."""
    assert "ssl, starttls, none" in error_of(config_with(mailbox={"security": "tls"}))


@pytest.mark.parametrize("port", [0, 70000, "993", True])
def test_bad_port_is_refused(port):
    """A port outside 1–65535 or not a number is refused naming mailbox.port."""
    assert error_of(config_with(mailbox={"port": port})).startswith("mailbox.port")


def test_host_required_without_maildir():
    """An IMAP mailbox without host is refused naming mailbox.host."""
    assert error_of(config_with(mailbox={"host": None})).startswith("mailbox.host is required")


def test_maildir_replaces_imap():
    """With maildir set, no host or credentials are needed."""
    data = config_with(mailbox={"host": None, "username": None, "password_env": None})
    data["mailbox"]["maildir"] = "demo/Maildir"
    data["smtp"] = {"outbox_dir": "demo/outbox", "from_addr": "office@example.org"}
    config = parse_config(data, BASE)
    assert config.mailbox.maildir == BASE / "demo" / "Maildir"
    assert config.smtp.outbox_dir == BASE / "demo" / "outbox"
    assert config.mailbox.password() == ""


def test_maildir_and_host_together_are_refused():
    """Setting both maildir and host is ambiguous and refused."""
    data = config_with(mailbox={"maildir": "demo/Maildir"})
    assert "mailbox.maildir and mailbox.host are both set" in error_of(data)


def test_bad_email_names_the_key():
    """A malformed address names the key it is in."""
    message = error_of(config_with(smtp={"from_addr": "office.example.org"}))
    assert message.startswith("smtp.from_addr")


def test_summary_recipients_required():
    """An office without summary recipients is refused."""
    message = error_of(config_with(office={"summary_recipients": []}))
    assert message.startswith("office.summary_recipients is required")


def test_unknown_form_lists_available():
    """An unknown form id lists the forms that exist."""
    message = error_of(config_with(campaign={"form": "appendix9"}))
    assert message.startswith("campaign.form") and "appendix2-2021" in message


def test_unknown_timezone_is_refused():
    """A timezone that ZoneInfo does not know is refused naming campaign.timezone."""
    message = error_of(config_with(campaign={"timezone": "Asia/Hanoi_City"}))
    assert message.startswith("campaign.timezone")


def test_deadline_date_means_end_of_day():
    """A date deadline is the last instant of that day in the campaign zone."""
    config = parse_config(config_with(campaign={"deadline": "2021-10-15"}), BASE)
    assert config.campaign.is_late(datetime(2021, 10, 15, 23, 59, tzinfo=TZ)) is False
    assert config.campaign.is_late(datetime(2021, 10, 16, 0, 0, tzinfo=TZ)) is True


def test_deadline_local_datetime_is_campaign_time():
    """A TOML local datetime deadline is read in the campaign time zone."""
    data = config_with(campaign={"deadline": datetime(2021, 10, 15, 17, 0)})
    config = parse_config(data, BASE)
    assert config.campaign.deadline == datetime(2021, 10, 15, 17, 0, tzinfo=TZ)


def test_missing_deadline_is_refused():
    """A campaign without deadline is refused naming campaign.deadline."""
    message = error_of(config_with(campaign={"deadline": None}))
    assert message.startswith("campaign.deadline is required")


@pytest.mark.parametrize("value", ["5pm", "24:00", "17h", 17])
def test_bad_time_of_day_is_refused(value):
    """summary_at must be HH:MM."""
    data = config_with(schedule={"summary_at": value})
    assert error_of(data).startswith("schedule.summary_at must be a time of day")


def test_reminder_days_sorted_and_validated():
    """reminder_days are deduplicated and sorted; negative days are refused."""
    config = parse_config(config_with(schedule={"reminder_days": [1, 3, 1, 0]}), BASE)
    assert config.schedule.reminder_days == (3, 1, 0)
    assert error_of(config_with(schedule={"reminder_days": [-1]})).startswith(
        "schedule.reminder_days"
    )


def test_duplicate_unit_code_is_refused():
    """Two units with one code are refused naming the second one."""
    data = config_with()
    data["units"][1]["code"] = "xa-a"
    assert error_of(data).startswith("units[1].code: code 'xa-a' is used by two units")


def test_email_in_two_units_is_refused():
    """An address listed for two units is refused naming both."""
    data = config_with()
    data["units"][1]["emails"] = ["b@example.org", "A@example.org"]
    message = error_of(data)
    assert message.startswith("units[1].emails: a@example.org is listed for both")
    assert "'xa-a'" in message and "'xa-b'" in message


def test_units_required():
    """A config without [[units]] is refused."""
    data = config_with()
    del data["units"]
    assert error_of(data).startswith("[[units]] is required")


def test_wrong_type_names_the_key():
    """A string where a number belongs names the key."""
    message = error_of(config_with(mailbox={"batch_size": "100"}))
    assert message.startswith("mailbox.batch_size must be a whole number")


def test_missing_file_says_to_copy_the_example(tmp_path):
    """load_config on a missing path points to config.example.toml."""
    with pytest.raises(ConfigError, match=r"config\.example\.toml"):
        load_config(tmp_path / "nope.toml")


def test_invalid_toml_is_a_config_error(tmp_path):
    """A TOML syntax error becomes a ConfigError naming the file."""
    path = tmp_path / "bad.toml"
    path.write_text("[mailbox\nhost = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.toml is not valid TOML"):
        load_config(path)


@pytest.mark.parametrize(
    ("office_name", "from_name", "expected"),
    [
        ("Phòng GD&ĐT Quỳnh Nhai", "Hệ thống", "Phòng GD&ĐT Quỳnh Nhai"),
        (None, "Phòng GD&ĐT huyện Quỳnh Nhai", "Phòng GD&ĐT huyện Quỳnh Nhai"),
        (None, None, "Phòng Giáo dục và Đào tạo"),
    ],
)
def test_the_office_always_has_a_name_to_start_receipts_with(
    office_name: str | None, from_name: str | None, expected: str
) -> None:
    """[office] name, else smtp.from_name, else the generic name: never a blank."""
    data = config_with(office={"name": office_name}, smtp={"from_name": from_name})
    assert parse_config(data, BASE).office.name == expected
