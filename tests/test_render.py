"""The template environment: folder, autoescaping, strict undefined names, NFC, filters."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import jinja2
import pytest

from mailbot.messages.render import TEMPLATES_DIR, environment, render
from mailbot.records import Unit
from tests.support.outputs import CAMPAIGN

HOSTILE = Unit("x", "Trường <script>alert(1)</script> & Co")


def reminder_context(unit: Unit) -> dict:
    """The context compose passes to the reminder templates."""
    return {
        "unit": unit,
        "campaign": CAMPAIGN,
        "deadline": "15/10/2021 17:00",
        "days_left": 2,
        "days_left_text": "còn 2 ngày nữa là đến hạn",
    }


def test_templates_folder_is_repository_top_level():
    """Templates are read from the repository's top-level templates/ folder."""
    assert Path(__file__).resolve().parent.parent / "templates" == TEMPLATES_DIR
    assert (TEMPLATES_DIR / "receipt.html.j2").is_file()


def test_html_templates_escape_values():
    """Values rendered into an .html template are escaped."""
    html = render("reminder.html.j2", **reminder_context(HOSTILE))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html
    assert "<script>" not in html


def test_text_templates_do_not_escape():
    """Plain-text templates keep values as written."""
    text = render("reminder.txt.j2", **reminder_context(HOSTILE))
    assert "Kính gửi: Trường <script>alert(1)</script> & Co," in text


def test_missing_variable_is_an_error():
    """A name missing from the context raises instead of rendering blank."""
    with pytest.raises(jinja2.UndefinedError):
        render("reminder.txt.j2", unit=HOSTILE)


def test_output_is_nfc():
    """Decomposed input comes out composed."""
    unit = Unit("x", unicodedata.normalize("NFD", "UBND xã Chiềng Bằng"))
    text = render("reminder.txt.j2", **reminder_context(unit))
    assert unicodedata.is_normalized("NFC", text)
    assert "Kính gửi: UBND xã Chiềng Bằng," in text


def test_num_filter_groups_with_dots_and_blanks_none():
    """The num filter writes 1.234.567 and shows a dash for None."""
    template = environment().from_string("{{ a | num }} {{ b | num }}")
    assert template.render(a=1234567, b=None) == "1.234.567 —"
