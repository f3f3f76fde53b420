"""The type-checking rules of `make check`: strict on the pure core, no unexplained ignores."""

from __future__ import annotations

import io
import re
import tokenize
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORE = ["mailbot.parsing.*", "mailbot.mail.*", "mailbot.forms.*", "mailbot.store.*"]
# The flags of `mypy --strict` that can be set per module (the other two are global options).
STRICT_FLAGS = {
    "disallow_any_generics": True,
    "disallow_subclassing_any": True,
    "disallow_untyped_calls": True,
    "disallow_untyped_defs": True,
    "disallow_incomplete_defs": True,
    "check_untyped_defs": True,
    "disallow_untyped_decorators": True,
    "warn_return_any": True,
    "implicit_reexport": False,
    "strict_equality": True,
    "extra_checks": True,
}
# Path prefixes exempt from the explained-ignore rule; empty now that parsing is checked too.
NOT_YET_CHECKED: tuple[str, ...] = ()
EXPLAINED = re.compile(r"# type: ignore\[[a-z-]+(, ?[a-z-]+)*\]  # \S")


def _mypy() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]


def test_no_mypy_override_sets_strict() -> None:
    """`strict = true` in an override silently makes every module strict, not just that one."""
    assert [o["module"] for o in _mypy()["overrides"] if "strict" in o] == []


def test_the_pure_core_gets_every_per_module_strict_flag() -> None:
    """parsing, mail, forms and store are checked with all of --strict's per-module flags."""
    core = next(o for o in _mypy()["overrides"] if o["module"] == CORE)
    assert {k: v for k, v in core.items() if k != "module"} == STRICT_FLAGS


def test_unused_ignores_are_reported() -> None:
    """An ignore that mypy no longer needs fails make check instead of hiding future errors."""
    assert _mypy()["warn_unused_ignores"] is True


def _ignores(path: Path) -> list[tuple[int, str]]:
    """(line, comment) of every comment in `path` that holds a type: ignore (not strings)."""
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    return [
        (tok.start[0], tok.string)
        for tok in tokens
        if tok.type == tokenize.COMMENT and "type: ignore" in tok.string
    ]


def test_every_type_ignore_names_its_error_code_and_says_why() -> None:
    """Each `# type: ignore[code]` is followed by a short reason comment on its line."""
    bare = [
        f"{path.relative_to(ROOT)}:{line}: {text}"
        for path in sorted((ROOT / "mailbot").rglob("*.py"))
        if not str(path.relative_to(ROOT)).startswith(NOT_YET_CHECKED)
        for line, text in _ignores(path)
        if not EXPLAINED.search(text)
    ]
    assert bare == []
