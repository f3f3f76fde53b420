"""The summary email's HTML in a real browser: headless Chromium draws it and shows the totals."""

from __future__ import annotations

import shutil
import struct
import subprocess

import pytest

from mailbot.messages.compose import compose_summary
from tests.support.outputs import sample_rollup

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed"),
]


@pytest.fixture(scope="module")
def summary_page(tmp_path_factory):
    """The sample summary's HTML body written to a file."""
    msg = compose_summary(
        sample_rollup(),
        b"xlsx",
        to_addrs=["vanphong@pgd.example.org"],
        from_addr="baocao@pgd.example.org",
        from_name="Phòng GD&ĐT Quỳnh Nhai",
        message_id="<summary.1@pgd.example.org>",
    )
    page = tmp_path_factory.mktemp("summary") / "summary.html"
    page.write_text(msg.get_body(("html",)).get_content(), encoding="utf-8")
    return page


def chromium(page, tmp_path, *args: str) -> subprocess.CompletedProcess:
    """Run headless Chromium with its own profile on `page`."""
    cmd = [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args, page.as_uri()]
    return subprocess.run(cmd, capture_output=True, timeout=120, check=True)


def test_screenshot_is_a_png_of_the_window(summary_page, tmp_path):
    """Chromium renders the summary into a non-empty 1200×2000 PNG."""
    png = tmp_path / "summary.png"
    chromium(summary_page, tmp_path, f"--screenshot={png}", "--window-size=1200,2000")
    data = png.read_bytes()
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk follows the signature
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert (width, height) == (1200, 2000)
    assert len(data) > 20_000  # a blank page compresses to a few kB; ours has text and tables


def test_dom_shows_totals_and_progress(summary_page, tmp_path):
    """The page as Chromium parsed it holds the progress and the district totals."""
    dom = chromium(summary_page, tmp_path, "--dump-dom").stdout.decode("utf-8")
    for text in ("Tiến độ: 2/3 đơn vị đã nộp (67%)", "16.500.000", "1.385", "2.000.000"):
        assert text in dom
    assert "Tọa đàm khuyến học" in dom
