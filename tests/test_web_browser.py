"""The console in a real browser: Playwright drives Debian's chromium against a live server.

Playwright cannot download its own browser build here, so Debian's /usr/bin/chromium is
launched through `executable_path`, headless, with a fresh profile per test.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailbot.parsing import parse_bytes
from tests.support.office_env import OfficeEnv, expected_totals, variant
from tests.support.pipeline_env import file_bytes
from tests.support.web_env import (
    ADMIN_PASSWORD,
    LiveConsole,
    console,
    office,
    output_dir,
    polled,
)

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
__all__ = ["console", "office", "polled"]  # fixtures from tests/support/web_env.py
pytestmark = [
    pytest.mark.servers,
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed"),
]


@pytest.fixture(scope="module")
def browser_engine() -> Iterator[object]:
    """Playwright's driver, once per module."""
    with playwright.sync_playwright() as engine:
        yield engine


@pytest.fixture
def page(browser_engine, console: LiveConsole):
    """A logged-in page of a fresh headless chromium profile, on the overview."""
    profile = tempfile.mkdtemp(prefix="mailbot-chromium-")
    context = browser_engine.chromium.launch_persistent_context(
        profile,
        executable_path=CHROMIUM,
        headless=True,
        args=FLAGS,
        accept_downloads=True,
        viewport={"width": 1280, "height": 900},
        base_url=console.base_url,
    )
    try:
        tab = context.new_page()
        tab.goto("/")
        assert "/login" in tab.url  # not logged in yet: the overview sends us to the form
        tab.fill("input[name=username]", "admin")
        tab.fill("input[name=password]", ADMIN_PASSWORD)
        tab.click("button[type=submit]")
        tab.wait_for_url(f"{console.base_url}/")
        yield tab
    finally:
        context.close()
        shutil.rmtree(profile, ignore_errors=True)


def overview_units(page) -> list[dict]:
    """The overview's unit table as the browser shows it."""
    rows = []
    for row in page.locator("#units tr[data-unit]").all():
        rows.append(
            {
                "unit_code": row.get_attribute("data-unit"),
                "submitted": row.locator("[data-field=submitted]").get_attribute("data-value")
                == "true",
                "late": row.locator("[data-field=late]").get_attribute("data-value") == "true",
                "warnings": int(row.locator("[data-field=warnings]").inner_text()),
                "confidence": row.locator("[data-field=confidence]").inner_text() or None,
            }
        )
    return rows


def total_cell(page, code: str, column: str) -> str:
    """The text of one cell of the overview's district totals."""
    return page.locator(f'td[data-code="{code}"][data-slot="{column}"]').first.inner_text()


def test_overview_numbers_equal_status_json(page, office: OfficeEnv) -> None:
    """After login the overview's counts and unit rows are those of `mailbot status --json`."""
    _, out, _ = office.run("status", "--json")
    status = json.loads(out)
    reported = sum(r["submitted"] for r in status)
    page.screenshot(path=str(output_dir() / "web-overview.png"), full_page=True)
    keys = ("unit_code", "submitted", "late", "warnings", "confidence")
    assert overview_units(page) == [{k: r[k] for k in keys} for r in status]
    assert page.inner_text("#reported b") == f"{reported}/{len(status)}"
    assert page.inner_text("#missing b") == str(len(status) - reported)
    assert page.inner_text("#late b") == str(sum(r["late"] for r in status))


def test_a_units_original_file_downloads_with_equal_bytes(page) -> None:
    """The file link on a unit's page downloads exactly the bytes the unit sent."""
    page.click("text=UBND xã Chiềng Khay")
    with page.expect_download() as info:
        page.click("a.file")
    download = info.value
    assert download.suggested_filename == "office-ck.xlsx"
    assert Path(download.path()).read_bytes() == file_bytes(variant("office-ck"))


def test_a_correction_changes_overview_and_workbook_and_is_audited(page, office: OfficeEnv) -> None:
    """Correcting code 1's count moves the district total and the workbook; the audit has it."""
    ck = variant("office-ck").values
    old_total = expected_totals()["1"]["count"]
    new_value = (ck["1"]["count"] or 0) + 1000
    page.click("text=UBND xã Chiềng Khay")
    page.select_option("#correct select[name=field]", "1:count")
    page.fill("#correct input[name=value]", f"{new_value:,}".replace(",", "."))
    page.fill("#correct input[name=reason]", "Đơn vị gọi điện báo nhầm số lớp")
    page.click("#correct button[type=submit]")
    page.wait_for_selector(".flash")
    page.screenshot(path=str(output_dir() / "web-unit-corrected.png"), full_page=True)
    assert page.locator(".corrections td").filter(has_text="Đơn vị gọi điện").count() == 1
    page.click("text=Tổng quan")
    shown = total_cell(page, "1", "quantity")
    page.click("text=Tải về")
    with page.expect_download() as info:
        page.click("#workbook")
    workbook = parse_bytes(Path(info.value.path()).read_bytes(), "tong-hop.xlsx")
    expected = expected_totals()
    expected["1"]["count"] = old_total - (ck["1"]["count"] or 0) + new_value
    with office.pipe.store() as store:
        audit = store.audit_rows()
    assert shown == f"{expected['1']['count']:,}".replace(",", ".")
    assert (workbook.ok, workbook.values) == (True, expected)
    assert [(a.action, a.target, a.detail["new"]) for a in audit if a.action == "correct"] == [
        ("correct", "xa-chieng-khay", new_value)
    ]


def test_the_problems_queue_shows_the_stray_mail_with_its_actions(page) -> None:
    """The unassigned report is listed with "Xử lý lại", "Gán cho đơn vị", "Không phải báo cáo"."""
    page.click("text=Thư cần xử lý")
    row = page.locator("#queue tr[data-message]")
    buttons = row.locator("button").all_inner_texts()
    page.screenshot(path=str(output_dir() / "web-problems.png"), full_page=True)
    assert row.count() == 1
    assert "Chưa xác định được đơn vị" in row.inner_text()
    assert buttons == ["Xử lý lại", "Gán cho đơn vị", "Không phải báo cáo"]
