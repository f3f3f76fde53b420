"""Records shared by the readers (file → Document) and the interpreter (Document → ParseResult).

Pure data; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Cell:
    """One cell as the reader saw it.

    `text` is what a person sees (NFC, stripped); `value` is the number when the source
    stored a number (an Excel numeric cell, a cached or evaluated formula result), else None;
    `formula` is the formula text when the cell held one (kept only for diagnostics).
    """

    text: str = ""
    value: int | float | None = None
    formula: str | None = None

    @property
    def blank(self) -> bool:
        """True when the cell holds neither text nor a number."""
        return self.value is None and not self.text.strip()


@dataclass
class Grid:
    """A rectangle of cells: one worksheet, or one Word table (merged cells counted once)."""

    name: str
    rows: list[list[Cell]]


@dataclass
class Document:
    """What a reader extracted from one file, in document order.

    `grids`: every sheet or table, in order (a Word table split by page breaks arrives as
    several consecutive grids). `text`: free paragraphs in order (Word body text, header/title
    lines); for workbooks the header block lives inside the grid instead. `notes`: reader-level
    warnings in Vietnamese (e.g. a formula whose value could not be computed).
    """

    name: str
    kind: str
    grids: list[Grid] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)
    doubts: list[str] = field(default_factory=list)  # a figure the reader may have lost


@dataclass(frozen=True)
class Finding:
    """A warning about one code (or the whole file when code is None), in Vietnamese."""

    code: str | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape used in parse output and stored submissions."""
        return {"code": self.code, "message": self.message}


Values = dict[str, dict[str, int | str | None]]


@dataclass
class ParseResult:
    """One parsed file, in exactly the shape of `appendix2-form.md`."""

    file: str
    ok: bool
    form: str | None
    unit_name: str | None = None
    values: Values = field(default_factory=dict)
    warnings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    doubts: list[str] = field(default_factory=list)  # Vietnamese reasons the reading may be wrong

    @property
    def doubtful(self) -> bool:
        """True when a number read may be wrong: the submission must be confirmed by the unit."""
        return bool(self.doubts)

    # Appendix 1 sections found in the same file (`parsing.narrative.Narrative.to_dict`).
    narrative: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON object printed by `mailbot parse --json`."""
        out = {
            "file": self.file,
            "ok": self.ok,
            "form": self.form,
            "unit_name": self.unit_name,
            "values": self.values,
            "warnings": [w.to_dict() for w in self.warnings],
            "doubtful": self.doubtful,
            "doubts": list(self.doubts),
            "errors": list(self.errors),
        }
        if self.narrative is not None:  # only files holding a narrative: the shape stays
            out["narrative"] = self.narrative
        return out


@dataclass
class Row:
    """One data row, its cells placed by role after any realignment."""

    label: str
    unit: str = ""
    stt: str = ""
    count: Cell = field(default_factory=Cell)
    people: Cell = field(default_factory=Cell)
    note: Cell = field(default_factory=Cell)
    extra: list[Cell] = field(default_factory=list)
    where: str = ""
    shifted: bool = False
    one_column: bool = False  # a single quantity column ("Kết quả"): no people column

    def has_values(self) -> bool:
        """True when any value or note cell holds something."""
        return any(not c.blank for c in (self.count, self.people, self.note, *self.extra))
