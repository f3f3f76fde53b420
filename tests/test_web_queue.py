"""The console's queue and overview on a real server: the last poll, given-up mail, and mail
that may be a report."""

from __future__ import annotations

import pytest

from tests import test_web_http as http
from tests.support.office_env import OfficeEnv
from tests.support.web_env import LiveConsole

pytestmark = pytest.mark.servers

# The polled office database, its copy per test and the live console of tests/test_web_http.py.
polled, office, console = http.polled, http.office, http.console
AFTERNOON, TZ = http.AFTERNOON, http.TZ


def card(html: str, card_id: str) -> str:
    """The text of one overview card."""
    return html.split(f'id="{card_id}"')[1].split("</div>")[0]


def test_the_overview_shows_the_poll_mark_that_check_and_the_summary_read(
    console: LiveConsole, office: OfficeEnv
) -> None:
    """A poll at 17:00 moves the overview's "last poll" to the `marks` moment, 17:00."""
    office.pipe.poll()
    client = console.client()
    console.login(client)
    html = client.get("/").text
    with office.pipe.store() as store:
        mark = store.last_poll()
    assert mark == AFTERNOON
    assert AFTERNOON.astimezone(TZ).strftime("%d/%m/%Y %H:%M") in card(html, "last-poll")
