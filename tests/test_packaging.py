"""The wheel ships every package and the templates, so an installed mailbot renders mail."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_subpackage_is_listed_for_the_wheel() -> None:
    """A package folder missing from pyproject's list would be left out of installs."""
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "mailbot").rglob("__init__.py")
    }
    assert found | {"mailbot.templates"} == listed


def test_the_templates_folder_holds_every_template_the_code_renders() -> None:
    """Templates are looked up by name at run time: each named one exists in templates/."""
    names = {p.name for p in (ROOT / "templates").glob("*.j2")}
    for stem in ("receipt", "summary", "reminder"):
        assert {f"{stem}.txt.j2", f"{stem}.html.j2"} <= names
