"""Template rendering: one jinja2 environment over the repository's top-level templates/ folder.

Owns the environment (HTML autoescaped, undefined names are errors) and the filters the
templates use. Reads template files only; builds no messages (see compose) and sends nothing.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

import jinja2

from mailbot.rollup import vn_datetime, vn_number


def _templates_dir() -> Path:
    """The repository's templates/ in a checkout, else the installed `mailbot.templates`."""
    package = Path(__file__).resolve().parents[1]
    checkout = package.parent / "templates"
    if checkout.is_dir():
        return checkout
    return package / "templates"


TEMPLATES_DIR = _templates_dir()
BLANK = "—"


def _html_template(name: str | None) -> bool:
    return name is not None and name.endswith((".html.j2", ".html"))


def _num(value: int | None, blank: str = BLANK) -> str:
    return vn_number(value, blank)


@cache
def environment(folder: Path = TEMPLATES_DIR) -> jinja2.Environment:
    """The shared environment: autoescape for .html templates, StrictUndefined, our filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=_html_template,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["num"] = _num
    env.filters["vn_datetime"] = vn_datetime
    return env


def render(name: str, **context: object) -> str:
    """Render the template `name` with `context`; the result is NFC-normalised."""
    text = environment().get_template(name).render(**context)
    return unicodedata.normalize("NFC", text)
