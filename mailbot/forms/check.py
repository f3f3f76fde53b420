"""Checking a form file the office wrote: every problem, with its line and how to fix it.

`load_form_file` stops at the first problem; `check_form_text` reads the whole file and
lists each one (TOML syntax, missing keys, unknown slots, a code split over lines with
different units, rules naming slots the form lacks, the [campaign] words), then runs the
loader itself so nothing it refuses passes here. Pure: text in, problems out.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import Any

from mailbot.errors import FormError
from mailbot.forms import COLUMN_KEYS, SLOTS, Form, parse_form

_TABLE = re.compile(r"^[ \t]*\[\[[ \t]*(lines|rules)[ \t]*\]\]", re.MULTILINE)
_SECTION = re.compile(r"^[ \t]*\[[ \t]*([A-Za-z_]+)[ \t]*\][ \t]*(#.*)?$", re.MULTILINE)
_AT_LINE = re.compile(r"\(at line (\d+), column \d+\)")


@dataclass(frozen=True)
class FormProblem:
    """One problem of a form file: where (1-based line, 0 when unknown), what, and the fix."""

    line: int
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"dòng {self.line}" if self.line else "tệp"
        return f"{where}: {self.message}. Cách sửa: {self.fix}"


def check_form_text(text: str, source: str = "<form>") -> tuple[Form | None, list[FormProblem]]:
    """The form a file defines (None when it has problems) and every problem found."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        at = _AT_LINE.search(str(exc))
        return None, [
            FormProblem(
                int(at.group(1)) if at else 0,
                f"cú pháp TOML sai ({exc})",
                'xem lại dấu ngoặc, dấu "=" và dấu nháy của chuỗi ở dòng này',
            )
        ]
    where = _Places(text)
    problems = [*_top(data, where), *_lines(data, where), *_rules(data, where)]
    if problems:
        return None, problems
    try:
        return parse_form(data, source=source), []
    except FormError as exc:  # anything the loader refuses that the checks above missed
        return None, [FormProblem(0, str(exc), "sửa theo thông báo")]


class _Places:
    """Line numbers of the file's tables and keys, for pointing at a problem."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tables: dict[str, list[int]] = {"lines": [], "rules": []}
        for m in _TABLE.finditer(text):
            self.tables[m.group(1)].append(self._line(m.start()))
        self.sections = {m.group(1): self._line(m.start()) for m in _SECTION.finditer(text)}

    def _line(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1

    def entry(self, table: str, index: int, key: str | None = None) -> int:
        """The line of `key` in the index-th [[table]] (of its header when the key is absent)."""
        starts = self.tables[table]
        if index >= len(starts):
            return 0
        start = starts[index]
        if key is None:
            return start
        lines = self.text.splitlines()
        end = starts[index + 1] if index + 1 < len(starts) else len(lines) + 1
        for n in range(start, end - 1):
            if re.match(rf"\s*{re.escape(key)}\s*=", lines[n]):
                return n + 1
        return start

    def section(self, name: str) -> int:
        """The line of a [name] table's header (0 when it has none)."""
        return self.sections.get(name, 0)


def _top(data: dict[str, Any], where: _Places) -> list[FormProblem]:
    problems = []
    if not isinstance(data.get("id"), str) or not data.get("id", "").strip():
        problems.append(
            FormProblem(1, "thiếu mã biểu `id`", 'thêm ở đầu tệp, ví dụ id = "appendix2-2022"')
        )
    columns = data.get("columns")
    if not isinstance(columns, dict):
        problems.append(
            FormProblem(0, "thiếu bảng [columns]", "chép bảng [columns] từ biểu năm trước")
        )
    else:
        for key in COLUMN_KEYS:
            if not columns.get(key):
                problems.append(
                    FormProblem(
                        where.section("columns"),
                        f"[columns] thiếu `{key}`",
                        f'thêm {key} = ["tiêu đề cột như trên biểu"]',
                    )
                )
    campaign = data.get("campaign", {})
    for key in ("words", "weak_words", "appendix1_headings"):
        value = campaign.get(key, []) if isinstance(campaign, dict) else None
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            problems.append(
                FormProblem(
                    where.section("campaign"),
                    f"[campaign] {key} phải là danh sách chuỗi",
                    f'viết {key} = ["…", "…"]',
                )
            )
    if not isinstance(data.get("lines"), list) or not data["lines"]:
        problems.append(
            FormProblem(0, "không có dòng [[lines]] nào", "mỗi dòng in của biểu là một [[lines]]")
        )
    return problems


def _lines(data: dict[str, Any], where: _Places) -> list[FormProblem]:
    problems: list[FormProblem] = []
    for i, raw in enumerate(data.get("lines") or ()):
        at = where.entry("lines", i)
        name = f"[[lines]] thứ {i + 1}"
        if not str(raw.get("label", "")).strip():
            problems.append(
                FormProblem(at, f"{name} thiếu `label`", 'thêm label = "tên dòng như trên biểu"')
            )
        if raw.get("heading"):
            continue
        code = raw.get("code")
        if not isinstance(code, str) or not code.strip():
            problems.append(
                FormProblem(
                    at,
                    f"{name} thiếu mã `code`",
                    'thêm code = "…" (mã trong appendix2-form.md), hoặc heading = true',
                )
            )
            continue
        slots = raw.get("slots", [])
        bad = [s for s in slots if s not in SLOTS]
        if bad or not slots:
            problems.append(
                FormProblem(
                    where.entry("lines", i, "slots"),
                    f"{name} (mã {code}): ô số liệu {bad or '[]'} không hợp lệ",
                    f'dùng một hoặc nhiều trong {list(SLOTS)}, ví dụ slots = ["count", "people"]',
                )
            )
        twice = sorted(set(slots) & set(_slots_of(data, code, i)))
        if twice:
            problems.append(
                FormProblem(
                    where.entry("lines", i, "slots"),
                    f"{name}: mã {code} đã có ô {twice} ở một dòng phía trên",
                    "đổi mã của dòng này, hoặc bỏ ô trùng khỏi slots",
                )
            )
    return problems


def _slots_of(data: dict[str, Any], code: str, before: int) -> list[str]:
    """The slots `code` already has on lines before index `before`."""
    lines = data.get("lines") or ()
    return [s for raw in lines[:before] if raw.get("code") == code for s in raw.get("slots", ())]


def _rules(data: dict[str, Any], where: _Places) -> list[FormProblem]:
    refs = {
        f"{raw.get('code')}.{slot}"
        for raw in data.get("lines") or ()
        if not raw.get("heading")
        for slot in raw.get("slots", ())
    }
    problems = []
    for i, raw in enumerate(data.get("rules") or ()):
        name = f"[[rules]] thứ {i + 1}"
        missing = [k for k in ("target", "sum_of", "message") if k not in raw]
        if missing:
            problems.append(
                FormProblem(
                    where.entry("rules", i),
                    f"{name} thiếu {missing}",
                    'mỗi quy tắc cần target = "mã.ô", sum_of = ["mã.ô", …] và message = "…"',
                )
            )
            continue
        unknown = [r for r in (raw["target"], *raw["sum_of"]) if r not in refs]
        if unknown:
            problems.append(
                FormProblem(
                    where.entry("rules", i, "sum_of" if raw["target"] in refs else "target"),
                    f"{name} nêu ô không có trong biểu: {unknown}",
                    'viết đúng mã.ô của một dòng [[lines]], ví dụ "1.count" hoặc "1.people"',
                )
            )
    return problems
