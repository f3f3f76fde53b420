"""Appendix 1, the narrative report: paragraphs in → the plan's sections out.

Owns heading recognition (numbering removed and never trusted, wording matched like a row
label by `labels.LabelMatcher`), the section split, the I.4 money amounts and their
cross-check against Appendix 2 rows 10.1/10.2. Pure functions over strings and dicts; the
readers (`docx`, the mail body) hand the paragraphs in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from mailbot.forms import Form, FormLine
from mailbot.forms.narrative import NarrativeForm, load_narrative_form
from mailbot.parsing.labels import LabelMatcher, within_one_edit
from mailbot.parsing.normalize import fix_legacy, fold, nfc
from mailbot.parsing.values import read_number

__all__ = [
    "Narrative",
    "Section",
    "cross_check",
    "narrative_note",
    "read_amounts",
    "split_narrative",
]

# A numbered heading needs this score; an unnumbered one (a bold line) needs more. Most of a
# heading line's own words must belong to the heading too: "Tổ chức lễ phát động ngày 1/10
# với 120 người" is content that merely starts like the I.2 heading.
NUMBERED_SCORE = 0.55
UNNUMBERED_SCORE = 0.72
# An unnumbered line is a heading only when every word of it is a heading word (typos
# allowed): "Các hoạt động trong Tuần lễ đã triển khai tốt" is a sentence, not I.3.
NUMBERED_COVER = 0.6
UNNUMBERED_COVER = 1.0
# A heading line is short; anything longer is content even when it starts like one.
HEADING_WORDS = 24
# A mail body or a document is a narrative only when this many sections have text.
MIN_SECTIONS = 2
LETTERHEAD_LINES = 12
# Numbering: "I.", "II-", "1.", "1)", "2.1.", "a)", "Phần I:", "Mục 2."; bullets are content.
_ROMAN = re.compile(r"[IVXivx]{1,4}")
_NUMBER = re.compile(
    r"^\s*(?:(?:phần|phan|mục|muc)\s+)?"
    r"(?P<num>[IVXivx]{1,4}|\d{1,2}(?:\.\d{1,2})*|[a-dđA-DĐ])"
    r"\s*(?:[.)\-–:/]\s*|\s+(?=[^\W\d_]))"
)


@dataclass
class Section:
    """One section of a unit's narrative: its code, the heading as written, its paragraphs."""

    code: str
    heading: str
    paragraphs: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The section's paragraphs, one per line."""
        return "\n".join(self.paragraphs)


@dataclass
class Narrative:
    """The sections found in one narrative, in the plan's order, and the I.4 amounts."""

    sections: list[Section]
    state_amount: int | None = None
    other_amount: int | None = None
    # The lines before the first heading (letterhead, title): not content, but they name
    # the unit when its address is unknown.
    letterhead: list[str] = field(default_factory=list)

    def codes(self) -> list[str]:
        """Codes of the sections found, in the plan's order."""
        return [s.code for s in self.sections]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape stored and shown by `status --json` and `parse --json`."""
        return {
            "sections": [
                {"code": s.code, "heading": s.heading, "text": s.text} for s in self.sections
            ],
            "amounts": {"state": self.state_amount, "other": self.other_amount},
            "letterhead": list(self.letterhead),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Narrative:
        """Inverse of `to_dict`."""
        sections = [
            Section(s["code"], s.get("heading", ""), [p for p in s["text"].split("\n") if p])
            for s in data.get("sections", [])
        ]
        amounts = data.get("amounts") or {}
        head = list(data.get("letterhead", []))
        return cls(sections, amounts.get("state"), amounts.get("other"), head)


@dataclass(frozen=True)
class _Heading:
    code: str
    written: str
    rest: str  # text after the heading on the same line ("1. Công tác chỉ đạo: UBND xã…")


@cache
def _matcher(nform: NarrativeForm) -> tuple[LabelMatcher, tuple[str, ...]]:
    """A label matcher whose 'lines' are the parts and sections; their codes in line order."""
    heads = (*nform.parts, *nform.sections)
    lines = tuple(
        FormLine(i, h.code, None, h.label, h.aliases, "", ("text",)) for i, h in enumerate(heads)
    )
    form = Form(
        id="appendix1",
        title="",
        subtitle="",
        title_markers=(),
        columns={},
        slot_names={},
        abbreviations=nform.abbreviations,
        lines=lines,
        rules=(),
    )
    return LabelMatcher(form), tuple(h.code for h in heads)


def split_narrative(paragraphs: list[str], nform: NarrativeForm | None = None) -> Narrative | None:
    """The plan's sections in these paragraphs, or None when fewer than two have text.

    Text before the first heading (letterhead, title, "Kính gửi") and from the signature
    block or the Appendix 2 table on is not content. A section written twice is joined.
    """
    nform = nform or load_narrative_form()
    order = [s.code for s in nform.sections]
    found: dict[str, Section] = {}
    current: Section | None = None
    letterhead: list[str] = []
    for raw in paragraphs:
        text = fix_legacy(nfc(raw)).strip()
        if not text:
            continue
        if found and _ends(text, nform):
            break
        heading = _heading(text, nform)
        if heading is None:
            if current is not None:
                current.paragraphs.append(text)
            elif not found and len(letterhead) < LETTERHEAD_LINES:
                letterhead.append(text)
            continue
        if heading.code not in order:  # a part heading ("II. ĐÁNH GIÁ CHUNG"): no content
            current = None
            continue
        current = found.setdefault(heading.code, Section(heading.code, heading.written))
        if heading.rest:
            current.paragraphs.append(heading.rest)
    # Headings alone (the plan's own outline, a blank Appendix 1) are not a unit's report.
    if sum(1 for section in found.values() if section.paragraphs) < MIN_SECTIONS:
        return None
    sections = [found[c] for c in order if c in found]
    state, other = read_amounts(found["I.4"].paragraphs, nform) if "I.4" in found else (None, None)
    return Narrative(sections, state, other, letterhead)


def _ends(text: str, nform: NarrativeForm) -> bool:
    """True for the first line of the signature block or of the Appendix 2 table."""
    folded = fold(text)
    if len(folded.split()) > 12:
        return False
    return any(
        folded == key or folded.startswith(key + " ")
        for key in (fold(m) for m in nform.end_markers)
        if key
    )


def _heading(text: str, nform: NarrativeForm) -> _Heading | None:
    """The part or section this line heads, or None when it is content."""
    if _bullet(text):
        return None
    matcher, codes = _matcher(nform)
    m = _NUMBER.match(text)
    numbered = m is not None
    roman = m is not None and _ROMAN.fullmatch(m.group("num")) is not None
    body = text[m.end() :] if m is not None else text
    head, _, rest = body.partition(":")
    # The words before a colon first: "1. Công tác chỉ đạo: Ban hành kế hoạch." is I.1 + text.
    candidates = [(head, rest.strip())] if rest.strip() else []
    candidates.append((body, ""))
    for words, after in candidates:
        if not words.strip() or len(fold(words).split()) > HEADING_WORDS:
            continue
        scores = matcher.scores(words)
        best = max(range(len(scores)), key=lambda j: scores[j])
        # Numbers are never trusted, only weighed: "3. Kết quả" under I.3 is an item unless
        # its words alone would make it a heading; "1. Kết quả đạt được" heads II.1.
        weighed = numbered and _agrees(m.group("num") if m else "", codes[best])
        need = NUMBERED_SCORE if weighed else UNNUMBERED_SCORE
        cover = NUMBERED_COVER if weighed else UNNUMBERED_COVER
        if scores[best] < need or _cover(matcher, words, matcher.lines[best]) < cover:
            continue
        if numbered and not roman and "." not in codes[best]:
            continue  # "3. Kết quả: …" is an item, never a part ("I.", "II." are parts)
        written = text[: len(text) - len(after)].rstrip(" :") if after else text
        return _Heading(codes[best], written.strip(), after)
    return None


def _agrees(number: str, code: str) -> bool:
    """True when a heading's number fits the section's place ("3"/"c"/"I.3" for I.3)."""
    place = code.rsplit(".", 1)[-1]
    letters = "abcd"
    number = number.lower().rstrip(".")
    if number in letters:
        return place == str(letters.index(number) + 1)
    return number == place or number.endswith("." + place) or number == code.lower()


def _cover(matcher: LabelMatcher, words: str, line: FormLine) -> float:
    """The share of a line's words found in the heading's label or one of its aliases."""
    own = matcher.key(words)
    if not own:
        return 0.0
    best = 0.0
    for text in (line.label, *line.aliases):
        theirs = set(matcher.key(text))
        hits = sum(
            w in theirs or (len(w) >= 4 and any(within_one_edit(w, t) for t in theirs)) for w in own
        )
        best = max(best, hits / len(own))
    return best


def _bullet(text: str) -> bool:
    return text.lstrip()[:1] in "-+•*–·●○■□►✓"


def read_amounts(paragraphs: list[str], nform: NarrativeForm) -> tuple[int | None, int | None]:
    """The I.4 sums by source: (state budget, other sources) in đồng, None where not said.

    Each clause ("Ngân sách nhà nước: 15.000.000 đồng; vận động: 5 triệu") names its source
    by the longest source word it holds; the first sum of each source is kept.
    """
    state: int | None = None
    other: int | None = None
    for paragraph in paragraphs:
        for clause in re.split(r"[;\n]", paragraph):
            source = _source(clause, nform)
            if source is None:
                continue
            amount = _amount(clause)
            if amount is None:
                continue
            if source == "state" and state is None:
                state = amount
            elif source == "other" and other is None:
                other = amount
    return state, other


def _source(clause: str, nform: NarrativeForm) -> str | None:
    folded = f" {fold(clause)} "

    def longest(words: tuple[str, ...]) -> int:
        return max((len(k) for k in map(fold, words) if k and f" {k} " in folded), default=0)

    state, other = longest(nform.money_state), longest(nform.money_other)
    if not state and not other:
        return None
    return "state" if state >= other else "other"


def _amount(clause: str) -> int | None:
    """The one sum of money in a clause (after its colon when it has one), else None."""
    _, colon, after = clause.partition(":")
    reading = read_number(after if colon and after.strip() else clause)
    if reading.problem or len(reading.numbers) != 1:
        return None
    return reading.numbers[0]


# The sections a unit writes (II.4 is the Appendix 2 table itself).
APPENDIX1_SECTIONS = ("I.1", "I.2", "I.3", "I.4", "II.1", "II.2", "II.3")


def narrative_note(narrative: dict[str, Any] | None) -> str:
    """One Vietnamese line on a file's Appendix 1: the sections read and those not found."""
    if not narrative:
        return ""
    found = [s["code"] for s in narrative.get("sections", []) if s.get("text")]
    note = f"Phụ lục 1 (báo cáo): đã đọc các mục {', '.join(found) or 'không có nội dung'}"
    missing = [c for c in APPENDIX1_SECTIONS if c not in found]
    return note + (f"; chưa thấy nội dung mục {', '.join(missing)}." if missing else ".")


def cross_check(narrative: dict[str, Any] | None, values: dict[str, Any] | None) -> list[str]:
    """Warnings (Vietnamese) where the I.4 sums differ from Appendix 2 rows 10.1/10.2."""
    if not narrative or not values:
        return []
    amounts = narrative.get("amounts") or {}
    out = []
    for key, code, name in (
        ("state", "10.1", "ngân sách nhà nước"),
        ("other", "10.2", "nguồn hỗ trợ, huy động khác"),
    ):
        told = amounts.get(key)
        table = (values.get(code) or {}).get("amount")
        if told is not None and table is not None and told != table:
            out.append(
                f"Kinh phí {name} trong báo cáo (Phụ lục 1) là {_money(told)}, "
                f"khác Phụ lục 2 dòng {code} ({_money(table)})."
            )
    return out


def _money(value: int) -> str:
    return f"{value:,}".replace(",", ".") + " đồng"
