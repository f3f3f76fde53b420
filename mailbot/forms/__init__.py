"""Form definitions as data: load and validate a form file from this folder.

Owns the `Form` record and nothing else; it reads only its own package data.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from mailbot.errors import FormError

FORMS_DIR = Path(__file__).parent
SLOTS = ("count", "people", "amount", "text")
COLUMN_KEYS = ("stt", "label", "unit", "quantity", "count", "people", "note")


@dataclass(frozen=True)
class FormLine:
    """One printed row of the form: a code's line, or a heading with no values."""

    index: int
    code: str | None
    stt: str | None
    label: str
    aliases: tuple[str, ...]
    unit: str
    slots: tuple[str, ...]

    @property
    def heading(self) -> bool:
        """True for a heading row that carries no values."""
        return self.code is None


@dataclass(frozen=True)
class Indicator:
    """One code of the form with every value slot it has, over all its lines."""

    code: str
    label: str
    unit: str
    slots: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    """A consistency rule: `target` should equal the sum of `sum_of` (code.slot refs)."""

    target: str
    sum_of: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class CampaignWords:
    """How the campaign's mail names itself: words, shared words, Appendix 1 headings."""

    words: tuple[str, ...] = ()
    weak_words: tuple[str, ...] = ()
    appendix1_headings: tuple[str, ...] = ()
    appendix1_min: int = 2


@dataclass(frozen=True)
class Form:
    """A whole form definition, as loaded from its TOML file."""

    id: str
    title: str
    subtitle: str
    title_markers: tuple[str, ...]
    columns: dict[str, tuple[str, ...]]
    slot_names: dict[str, str]
    abbreviations: dict[str, str]
    lines: tuple[FormLine, ...]
    rules: tuple[Rule, ...]
    indicators: tuple[Indicator, ...] = field(default=())
    campaign: CampaignWords = field(default=CampaignWords())
    # (code, slot) → (min, max) plausible for one unit; a zero is always plausible.
    expect: dict[tuple[str, str], tuple[float | None, float | None]] = field(default_factory=dict)

    def bounds(self, code: str, slot: str) -> tuple[float | None, float | None]:
        """The (min, max) a positive figure in this slot is expected within (None: open)."""
        return self.expect.get((code, slot), (None, None))

    def indicator(self, code: str) -> Indicator:
        """The indicator with this code (KeyError when the form has none)."""
        for ind in self.indicators:
            if ind.code == code:
                return ind
        raise KeyError(code)

    def empty_values(self) -> dict[str, dict[str, int | str | None]]:
        """Every code with each of its slots set to None, in form order."""
        return {ind.code: {slot: None for slot in ind.slots} for ind in self.indicators}


DEFAULT_FORM = "appendix2-2021"


def available_forms() -> list[str]:
    """Ids of the forms shipped in this folder."""
    return sorted(p.stem for p in FORMS_DIR.glob("*.toml"))


@cache
def load_form(form_id: str = DEFAULT_FORM) -> Form:
    """Load and validate the form with this id from the package's forms folder."""
    path = FORMS_DIR / f"{form_id}.toml"
    if not path.is_file():
        raise FormError(f"unknown form {form_id!r}; available: {', '.join(available_forms())}")
    with path.open("rb") as fh:
        try:
            data = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise FormError(f"{path.name}: {exc}") from exc
    return parse_form(data, source=path.name)


def load_form_file(path: str | Path) -> Form:
    """Load and validate a form file from anywhere (next year's form, added by the office)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FormError(f"{path}: cannot read the form file ({exc})") from exc
    return _form_from_text(text, str(path), path.stat().st_mtime_ns)


@cache
def _form_from_text(text: str, source: str, _version: int) -> Form:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FormError(f"{source}: {exc}") from exc
    return parse_form(data, source=source)


def parse_form(data: dict[str, Any], source: str = "<form>") -> Form:
    """Build a validated Form from the mapping of a form file."""

    def need(mapping: dict[str, Any], key: str, where: str) -> Any:  # TOML values are untyped
        if key not in mapping:
            raise FormError(f"{source}: {where} needs `{key}`")
        return mapping[key]

    columns = need(data, "columns", "the file")
    for key in COLUMN_KEYS:
        if not need(columns, key, "[columns]"):
            raise FormError(f"{source}: [columns] {key} lists no header text")
    lines: list[FormLine] = []
    for i, raw in enumerate(need(data, "lines", "the file")):
        where = f"[[lines]] #{i + 1}"
        heading = bool(raw.get("heading", False))
        code = None if heading else str(need(raw, "code", where))
        slots = tuple(raw.get("slots", ()))
        bad = [s for s in slots if s not in SLOTS]
        if bad:
            raise FormError(f"{source}: {where} has unknown slots {bad}; use {SLOTS}")
        if not heading and not slots:
            raise FormError(f"{source}: {where} (code {code}) has no slots")
        lines.append(
            FormLine(
                index=i,
                code=code,
                stt=raw.get("stt"),
                label=str(need(raw, "label", where)),
                aliases=tuple(raw.get("aliases", ())),
                unit=str(raw.get("unit", "")),
                slots=slots,
            )
        )
    indicators = _indicators(lines)
    refs = {f"{ind.code}.{slot}" for ind in indicators for slot in ind.slots}
    rules = []
    for i, raw in enumerate(data.get("rules", ())):
        rule = Rule(str(raw["target"]), tuple(raw["sum_of"]), str(raw["message"]))
        unknown = [r for r in (rule.target, *rule.sum_of) if r not in refs]
        if unknown:
            raise FormError(f"{source}: [[rules]] #{i + 1} names unknown slots {unknown}")
        rules.append(rule)
    return Form(
        id=str(need(data, "id", "the file")),
        title=str(data.get("title", "")),
        subtitle=str(data.get("subtitle", "")),
        title_markers=tuple(data.get("title_markers", ())),
        columns={k: tuple(v) for k, v in columns.items()},
        slot_names=dict(data.get("slot_names", {})),
        abbreviations={k.lower(): v for k, v in data.get("abbreviations", {}).items()},
        lines=tuple(lines),
        rules=tuple(rules),
        indicators=indicators,
        campaign=_campaign_words(data.get("campaign", {}), source),
        expect=_expectations(data.get("expect", {}), indicators, source),
    )


def _campaign_words(raw: dict[str, Any], source: str) -> CampaignWords:
    """The [campaign] table of a form file (every key optional)."""

    def texts(key: str) -> tuple[str, ...]:
        value = raw.get(key, ())
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise FormError(f"{source}: [campaign] {key} must be a list of non-empty strings")
        return tuple(value)

    least = raw.get("appendix1_min", 2)
    if not isinstance(least, int) or least < 1:
        raise FormError(f"{source}: [campaign] appendix1_min must be a whole number ≥ 1")
    return CampaignWords(texts("words"), texts("weak_words"), texts("appendix1_headings"), least)


def _expectations(
    raw: dict[str, Any], indicators: tuple[Indicator, ...], source: str
) -> dict[tuple[str, str], tuple[float | None, float | None]]:
    """Per (code, slot) bounds from [expect] (per slot) and [expect.codes] (per code)."""
    known = {ind.code: ind for ind in indicators}
    per_code = raw.get("codes", {})
    for code in per_code:
        if code not in known:
            raise FormError(f"{source}: [expect.codes] names unknown code {code!r}")
    out: dict[tuple[str, str], tuple[float | None, float | None]] = {}
    for ind in indicators:
        for slot in ind.slots:
            bound = {**raw.get(slot, {}), **per_code.get(ind.code, {}).get(slot, {})}
            if bound:
                out[(ind.code, slot)] = (bound.get("min"), bound.get("max"))
    return out


def _indicators(lines: list[FormLine]) -> tuple[Indicator, ...]:
    by_code: dict[str, Indicator] = {}
    for line in lines:
        if line.code is None:
            continue
        seen = by_code.get(line.code)
        if seen is None:
            by_code[line.code] = Indicator(line.code, line.label, line.unit, line.slots)
        else:
            slots = seen.slots + tuple(s for s in line.slots if s not in seen.slots)
            unit = (
                f"{seen.unit} / {line.unit}" if line.unit and line.unit != seen.unit else seen.unit
            )
            by_code[line.code] = Indicator(seen.code, seen.label, unit, slots)
    return tuple(by_code.values())
