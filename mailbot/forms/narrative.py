"""Appendix 1 (the narrative report) as data: its sections, part headings and word lists.

Owns the `NarrativeForm` record, read from the `[narrative]` table of a form file in this
folder. Reads only its own package data; knows nothing about documents or matching.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from mailbot.errors import FormError
from mailbot.forms import DEFAULT_FORM, FORMS_DIR


@dataclass(frozen=True)
class Heading:
    """One heading of the plan's Appendix 1: a part ("I") or a section ("I.1")."""

    code: str
    label: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnitGroup:
    """A group of the roster's order in the report ("Mầm non"), found by words of the name."""

    group: str
    words: tuple[str, ...]


@dataclass(frozen=True, eq=False)  # hashed by identity: matchers are cached per loaded form
class NarrativeForm:
    """The sections of Appendix 1 and the words that read it."""

    sections: tuple[Heading, ...]
    parts: tuple[Heading, ...]
    end_markers: tuple[str, ...]
    money_state: tuple[str, ...]
    money_other: tuple[str, ...]
    unit_order: tuple[UnitGroup, ...]
    abbreviations: dict[str, str]
    # Lead sentences of the district report per section code, with {code.slot} fields.
    leads: dict[str, str] = field(default_factory=dict)

    def section(self, code: str) -> Heading:
        """The section with this code (KeyError when there is none)."""
        for heading in self.sections:
            if heading.code == code:
                return heading
        raise KeyError(code)


@cache
def load_narrative_form(form_id: str = DEFAULT_FORM) -> NarrativeForm:
    """The `[narrative]` table of the form file with this id, validated."""
    path = FORMS_DIR / f"{form_id}.toml"
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise FormError(f"{path.name}: {exc}") from exc
    return parse_narrative_form(data, source=path.name)


def parse_narrative_form(data: dict[str, Any], source: str = "<form>") -> NarrativeForm:
    """Build a validated NarrativeForm from the mapping of a form file."""
    raw = data.get("narrative")
    if not isinstance(raw, dict) or not raw.get("sections"):
        raise FormError(f"{source}: no [narrative] table with [[narrative.sections]]")

    def heading(item: dict[str, Any], where: str) -> Heading:
        if not item.get("code") or not item.get("label"):
            raise FormError(f"{source}: {where} needs `code` and `label`")
        return Heading(str(item["code"]), str(item["label"]), tuple(item.get("aliases", ())))

    sections = tuple(heading(s, "[[narrative.sections]]") for s in raw["sections"])
    codes = [s.code for s in sections]
    if len(set(codes)) != len(codes):
        raise FormError(f"{source}: [[narrative.sections]] repeats a code: {codes}")
    return NarrativeForm(
        sections=sections,
        parts=tuple(heading(p, "[narrative] parts") for p in raw.get("parts", ())),
        end_markers=tuple(raw.get("end_markers", ())),
        money_state=tuple(raw.get("money_state", ())),
        money_other=tuple(raw.get("money_other", ())),
        unit_order=tuple(
            UnitGroup(str(g["group"]), tuple(g.get("words", ()))) for g in raw.get("unit_order", ())
        ),
        abbreviations={k.lower(): v for k, v in data.get("abbreviations", {}).items()},
        leads={str(k): str(v) for k, v in raw.get("leads", {}).items()},
    )
