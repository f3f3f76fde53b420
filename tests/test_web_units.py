"""The console's pure parts: password hashes, the login limiter, typed values, the bind rule."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailbot.config import parse_config
from mailbot.config.model import WebConfig
from mailbot.config.web import check_bind
from mailbot.errors import ConfigError
from mailbot.web.passwords import hash_password, password_problem, verify_password
from mailbot.web.ratelimit import SWEEP_AT, WINDOW_S, LoginLimiter
from mailbot.web.views import read_value
from tests.test_config import MINIMAL


def test_a_password_verifies_against_its_own_hash_only() -> None:
    """The right password matches; another, an empty hash or a foreign scheme do not."""
    stored = hash_password("đúng-mật-khẩu")
    assert verify_password("đúng-mật-khẩu", stored)
    assert not verify_password("sai-mật-khẩu", stored)
    assert not verify_password("đúng-mật-khẩu", None)
    assert not verify_password("x", "md5$abc")


def test_two_hashes_of_one_password_differ() -> None:
    """Each hash has its own salt."""
    assert hash_password("một-mật-khẩu") != hash_password("một-mật-khẩu")


def test_a_short_password_is_refused_in_vietnamese() -> None:
    """Fewer than ten characters is not enough."""
    assert password_problem("ngan") == "Mật khẩu cần ít nhất 10 ký tự."
    assert password_problem("đủ-dài-rồi-đấy") is None


def test_the_limiter_blocks_after_five_failures_until_the_window_passes() -> None:
    """Five failures in 15 minutes block the key; the oldest leaving the window frees it."""
    limiter = LoginLimiter()
    for t in range(5):
        limiter.failed(("user:lan",), now=100.0 + t)
    assert limiter.wait_seconds(("user:lan",), 105.0) == pytest.approx(900.0 - 5.0)
    assert limiter.wait_seconds(("user:minh",), 105.0) == 0
    assert limiter.wait_seconds(("user:lan",), 100.0 + 900.0) == 0


def test_a_good_login_forgets_the_failures() -> None:
    """Failures before a success do not count toward a block afterwards."""
    limiter = LoginLimiter()
    for t in range(4):
        limiter.failed(("user:lan",), now=float(t))
    limiter.succeeded(("user:lan",))
    limiter.failed(("user:lan",), now=5.0)
    assert limiter.wait_seconds(("user:lan",), 6.0) == 0


@given(st.integers(min_value=0, max_value=10**12))
@settings(max_examples=200)
def test_a_number_typed_with_dots_between_thousands_reads_back(n: int) -> None:
    """ "1.234.567", "1 234 567" and "1234567" are all the number."""
    dotted = f"{n:,}".replace(",", ".")
    assert read_value(dotted, "count") == read_value(dotted.replace(".", " "), "people") == n
    assert read_value(str(n), "amount") == n


def test_an_empty_value_clears_the_slot_and_text_stays_text() -> None:
    """A blank is "no figure"; the text slot keeps its words."""
    assert read_value("  ", "count") is None
    assert read_value(" Tọa đàm  khuyến học ", "text") == "Tọa đàm khuyến học"


def test_a_word_in_a_number_slot_is_refused_with_the_reason() -> None:
    """ "12 lớp" is not a whole number for the office's correction form."""
    with pytest.raises(ValueError, match="không phải số nguyên"):
        read_value("12 lớp", "count")


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost"])
def test_loopback_is_served_without_tls(host: str) -> None:
    """The default and any loopback address need nothing more."""
    check_bind(WebConfig(), host)


def test_a_lan_address_without_tls_is_refused() -> None:
    """0.0.0.0 in plain HTTP is refused with the three ways out."""
    with pytest.raises(ConfigError, match="allow_plain_http_on_lan"):
        check_bind(WebConfig(), "0.0.0.0")


def test_a_lan_address_is_allowed_with_tls_or_the_explicit_flag() -> None:
    """TLS files, or the office's explicit choice, open the LAN."""
    check_bind(WebConfig(tls_cert_file=Path("c.pem"), tls_key_file=Path("k.pem")), "192.0.2.5")
    check_bind(WebConfig(allow_plain_http_on_lan=True), "192.0.2.5")


def test_the_config_file_refuses_a_lan_host_without_tls(tmp_path: Path) -> None:
    """[web] host = "0.0.0.0" alone is a ConfigError naming web.host."""
    data = {**MINIMAL, "web": {"host": "0.0.0.0"}}
    with pytest.raises(ConfigError, match=r"web\.host"):
        parse_config(data, tmp_path)


def test_a_literal_password_in_web_is_refused(tmp_path: Path) -> None:
    """The bootstrap password comes from password_env or password_file only."""
    with pytest.raises(ConfigError, match=r"web\.password"):
        parse_config({**MINIMAL, "web": {"password": "abc"}}, tmp_path)


def test_the_limiter_forgets_keys_whose_failures_left_the_window() -> None:
    """Many one-off user names do not pile up: stale keys are swept once there are many."""
    limiter = LoginLimiter()
    for i in range(SWEEP_AT):
        limiter.failed((f"user:{i}",), now=0.0)
    limiter.failed(("user:new",), now=WINDOW_S + 1)
    assert list(limiter._failures) == ["user:new"]


def test_every_page_template_the_console_renders_exists() -> None:
    """Page names in mailbot/web are looked up at run time: each is in templates/web/."""
    root = Path(__file__).resolve().parent.parent
    code = "".join(p.read_text(encoding="utf-8") for p in (root / "mailbot" / "web").glob("*.py"))
    named = set(re.findall(r'"(\w+\.html\.j2)"', code))
    shipped = {p.name for p in (root / "templates" / "web").glob("*.j2")}
    assert named and named <= shipped
