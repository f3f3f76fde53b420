"""Which roster unit a mail belongs to: by sender address, document header name, file name.

Owns the reading of Vietnamese unit names into a comparable key: the kind of unit (UBND,
mầm non, tiểu học, THCS, GDNN-GDTX...), its qualifiers (xã/huyện, PTDTBT/PTDTNT) and its
place ("Mường Giàng"). Two names match only when their kinds are equal, so "Trường Mầm non
Mường Giàng", "Trường THCS Mường Giàng" and "UBND xã Mường Giàng" never stand for each other.
Every function answers None rather than guess between several units. Pure; uses the
shared `fold` of mailbot.parsing.normalize and mailbot.records.Unit; no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from mailbot.parsing.normalize import expand_abbreviations, fold
from mailbot.records import Unit

__all__ = [
    "UNIT_ABBREVIATIONS",
    "UnitKey",
    "unit_for_address",
    "unit_for_filename",
    "unit_for_name",
    "unit_key",
]

# Abbreviations clerks use in unit names and file names (keys and values are folded).
UNIT_ABBREVIATIONS: dict[str, str] = {
    "ubnd": "uy ban nhan dan",
    "mn": "mam non",
    "mg": "mau giao",
    "th": "tieu hoc",
    "thcs": "trung hoc co so",
    "thpt": "trung hoc pho thong",
    "ptdtbt": "pho thong dan toc ban tru",
    "ptdtnt": "pho thong dan toc noi tru",
    "gdnn": "giao duc nghe nghiep",
    "gdtx": "giao duc thuong xuyen",
    "tthtcd": "trung tam hoc tap cong dong",
    "htcd": "hoc tap cong dong",
    "ttgdnn": "trung tam giao duc nghe nghiep",
}

# Phrases naming the kind of a unit: these must be equal for two names to match.
_CORE = {
    "uy ban nhan dan": "ubnd",
    "mam non": "mn",
    "mau giao": "mg",
    "tieu hoc": "th",
    "trung hoc co so": "thcs",
    "trung hoc pho thong": "thpt",
    "giao duc nghe nghiep": "gdnn",
    "giao duc thuong xuyen": "gdtx",
    "hoc tap cong dong": "htcd",
}
# Qualifiers a name may leave out ("UBND Chiềng Khay" for "UBND xã Chiềng Khay"), but that
# must not contradict (PTDTBT is not PTDTNT).
_QUALIFIER = {
    "pho thong dan toc ban tru": "ptdtbt",
    "pho thong dan toc noi tru": "ptdtnt",
    "xa": "xa",
    "thi tran": "thi-tran",
    "huyen": "huyen",
}
# Words that only say "a school", "a centre", "and": never part of the key.
_FILLER = {"truong", "trung tam", "va", "lien cap", "cap", "tt"}
_PHRASES = sorted(
    [(tuple(p.split()), "core", v) for p, v in _CORE.items()]
    + [(tuple(p.split()), "qualifier", v) for p, v in _QUALIFIER.items()]
    + [(tuple(p.split()), "filler", "") for p in _FILLER],
    key=lambda item: -len(item[0]),
)


@dataclass(frozen=True)
class UnitKey:
    """A unit name read as kind (core), qualifiers and place words, all folded."""

    core: frozenset[str]
    qualifiers: frozenset[str]
    place: tuple[str, ...]


def unit_key(name: str, abbreviations: Mapping[str, str] = UNIT_ABBREVIATIONS) -> UnitKey:
    """The comparable key of a unit name (diacritics, case and abbreviations ignored)."""
    tokens = expand_abbreviations(fold(name), dict(abbreviations)).split()
    core: set[str] = set()
    qualifiers: set[str] = set()
    place: list[str] = []
    i = 0
    while i < len(tokens):
        for phrase, role, label in _PHRASES:
            if tuple(tokens[i : i + len(phrase)]) == phrase:
                if role == "core":
                    core.add(label)
                elif role == "qualifier":
                    qualifiers.add(label)
                i += len(phrase)
                break
        else:
            place.append(tokens[i])
            i += 1
    return UnitKey(frozenset(core), frozenset(qualifiers), tuple(place))


def unit_for_address(addr: str, units: Iterable[Unit], *, strip_tags: bool = False) -> Unit | None:
    """The one unit listing this address (case-insensitive), or None when none or several.

    The local part is kept exactly; with `strip_tags` a "+tag" in it is ignored
    ("thcs.mg+baocao@example.org" → "thcs.mg@example.org").
    """
    key = _address_key(addr, strip_tags)
    if not key:
        return None
    found = [u for u in units if key in {_address_key(e, strip_tags) for e in u.emails}]
    return found[0] if len(found) == 1 else None


def _address_key(addr: str, strip_tags: bool) -> str:
    addr = (addr or "").strip().strip("<>").lower()
    if strip_tags and "@" in addr:
        local, domain = addr.rsplit("@", 1)
        addr = f"{local.split('+', 1)[0]}@{domain}"
    return addr


def unit_for_name(
    name: str, units: Sequence[Unit], abbreviations: Mapping[str, str] = UNIT_ABBREVIATIONS
) -> Unit | None:
    """The unit a document header names ("UBND XÃ CHIỀNG KHAY"), or None if none or ambiguous.

    The kind must be equal; the header may add words after the place ("... huyện Quỳnh
    Nhai") and may leave out a qualifier (xã, PTDTBT). An exact match beats such a loose one.
    A multi-line header is tried line by line ("UBND HUYỆN QUỲNH NHAI / TRƯỜNG THCS ...").
    """
    lines = [line for line in (name or "").splitlines() if line.strip()]
    if len(lines) > 1:
        found = {u for line in lines if (u := unit_for_name(line, units, abbreviations))}
        return found.pop() if len(found) == 1 else None
    key = unit_key(name or "", abbreviations)
    if not key.place:
        return None
    ranked: list[tuple[tuple[bool, bool], Unit]] = []
    for unit in units:
        other = unit_key(unit.name, abbreviations)
        if other.core != key.core or not _qualifiers_agree(key, other):
            continue
        if other.place == key.place:
            ranked.append(((other.qualifiers == key.qualifiers, True), unit))
        elif _contains(key.place, other.place):
            ranked.append(((other.qualifiers == key.qualifiers, False), unit))
    return _best(ranked)


def _qualifiers_agree(a: UnitKey, b: UnitKey) -> bool:
    return a.qualifiers <= b.qualifiers or b.qualifiers <= a.qualifiers


def _contains(words: Sequence[str], part: Sequence[str]) -> bool:
    """True when `part` occurs in `words` as consecutive words."""
    n = len(part)
    return n > 0 and any(tuple(words[i : i + n]) == tuple(part) for i in range(len(words) - n + 1))


def _best(ranked: Sequence[tuple[tuple[bool, ...], Unit]]) -> Unit | None:
    if not ranked:
        return None
    top = max(rank for rank, _ in ranked)
    winners = {unit for rank, unit in ranked if rank == top}
    return winners.pop() if len(winners) == 1 else None


def _split_camel(text: str) -> str:
    """ "TuanLeHTSD_MuongGiang" → "Tuan Le HTSD_Muong Giang": words run together in names."""
    out: list[str] = []
    for i, ch in enumerate(text):
        prev = text[i - 1] if i else ""
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if ch.isupper() and (prev.islower() or (prev.isupper() and nxt.islower())):
            out.append(" ")
        out.append(ch)
    return "".join(out)


_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")


def unit_for_filename(
    filename: str, units: Sequence[Unit], abbreviations: Mapping[str, str] = UNIT_ABBREVIATIONS
) -> Unit | None:
    """A weak hint from a file name ("BC_TuanLeHTSD_MN_MuongGiang.xlsx"); None unless unique.

    A unit matches when its place appears in the name (as words, or run together) and the
    kinds named in the file equal the unit's; "xa" alone stands for the commune's UBND.
    A file naming no kind matches only when a single unit has that place.
    """
    stem = _split_camel(_EXTENSION.sub("", filename or ""))
    key = unit_key(stem, abbreviations)
    words = key.place
    joined = set(words)
    core = set(key.core)
    if not core and "xa" in key.qualifiers:
        core = {"ubnd"}
    matches: list[tuple[Unit, UnitKey]] = []
    for unit in units:
        other = unit_key(unit.name, abbreviations)
        if core and other.core != core:
            continue
        if not _qualifiers_agree(key, other) and core:
            continue
        if _contains(words, other.place) or "".join(other.place) in joined:
            matches.append((unit, other))
    # A unit whose place is part of another match's place ("Chiềng" in "Chiềng Khay") yields.
    longest = [
        unit
        for unit, k in matches
        if not any(len(o.place) > len(k.place) and _contains(o.place, k.place) for _, o in matches)
    ]
    return longest[0] if len(set(longest)) == 1 else None
