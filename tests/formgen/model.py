"""What one generated report is: its unit header, its values, its quirks, and what a correct
parser must return for it.

Owns the Variant record, the unit list and the value generator; builds no files.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field

from mailbot.forms import Form, load_form

Values = dict[str, dict[str, int | str | None]]

# Quirks a variant may carry; the builders read them, the catalogue combines them.
QUIRKS = (
    # layout of the table inside the file
    "second_sheet",  # xlsx: the table is on a later sheet, not the first
    "offset",  # xlsx: table starts at an arbitrary row and column
    "merged_header",  # "Số lượng" merged over its two sub-columns (both kinds)
    "merged_title",  # xlsx: title and header lines in merged cells
    "single_header",  # one header row, no "Số lượng" band
    "column_numbers",  # a "(1) (2) … (6)" row under the header
    "repeated_header",  # the header row pasted again in the middle of the table
    "blank_rows",  # empty rows between table rows
    "clean_template",  # retyped form: no shifted row, no split label, no typos of the plan
    # how rows were edited
    "deleted_rows",  # some rows removed (their values are blank)
    "renumbered_stt",  # STT rewritten (1.1, 1.2 … / continuous after deletions)
    "no_stt",  # STT column left empty
    "reordered_rows",  # some rows moved
    "abbreviations",  # CBCCVC, BDTX, TTHTCD, THCS in labels
    "typos",  # small spelling slips in labels
    "multiline_labels",  # long labels broken over lines inside the cell (Alt+Enter / paragraphs)
    "label_bullets",  # detail labels start with "- " as in a bulleted list
    # how values were typed
    "text_numbers",  # numbers typed as text in various ways
    "zero_words",  # zeros as "-", "không", "0 lớp"
    "money_words",  # amounts as "15 triệu", "15tr", "1,2 tỷ", "15000000đ"
    "combined_cell",  # "2/45" in the count column of a lớp/người row
    "other_column",  # a single-measure value typed under the other quantity column
    "notes",  # remarks in Ghi chú (some with digits)
    "number_formats",  # xlsx: number formats ("00", "#,##0") on numeric cells
    "blank_template_sheet",  # xlsx: the office's unfilled form left as the first sheet
    "formula_cached",  # xlsx: row 1 = SUM of sub-rows, with cached values (Excel-saved)
    "formula_uncached",  # xlsx: the same formulas with no cached value (program-written)
    "inconsistent",  # row 1 total disagrees with its sub-rows (expects a warning)
    # text encodings
    "nfd",  # decomposed Unicode everywhere
    "tcvn3",  # legacy .VnTime text (labels, header, text values)
    # docx structure
    "split_tables",  # table split into several Word tables by page breaks
    "narrative",  # Appendix 1 report paragraphs before the table
    "docx_merges",  # gridSpan/vMerge in header, STT of row 1 and the row-11 text
    "sdt_cells",  # content controls around some cells
    "sdt_rows",  # content controls around some rows
    "sdt_table",  # a content control around the whole table
    "nested_table",  # the form inside a one-cell layout table
    "tracked_changes",  # w:del old value + w:ins new value in some cells
    "header_table",  # docx: the two-column header block laid out as a borderless table
)

XLSX_ONLY = {
    "blank_template_sheet",
    "second_sheet",
    "offset",
    "merged_title",
    "number_formats",
    "formula_cached",
    "formula_uncached",
}
DOCX_ONLY = {
    "split_tables",
    "narrative",
    "docx_merges",
    "sdt_cells",
    "sdt_rows",
    "sdt_table",
    "nested_table",
    "tracked_changes",
    "header_table",
}


@dataclass(frozen=True)
class Unit:
    """A reporting unit: the line above it in the header, its name as written, its place."""

    parent: str
    name: str
    place: str


COMMUNES = (
    "Mường Giàng",
    "Chiềng Bằng",
    "Chiềng Khay",
    "Chiềng Khoang",
    "Chiềng Ơn",
    "Mường Chiên",
    "Mường Giôn",
    "Mường Sại",
    "Nậm Ét",
    "Pá Ma Pha Khinh",
    "Cà Nàng",
)
SCHOOLS = (
    ("Trường Mầm non Mường Giàng", "Mường Giàng"),
    ("Trường Tiểu học Chiềng Bằng", "Chiềng Bằng"),
    ("Trường THCS Mường Giàng", "Mường Giàng"),
    ("Trường PTDTBT THCS Nậm Ét", "Nậm Ét"),
    ("Trường TH&THCS Chiềng Khoang", "Chiềng Khoang"),
    ("Trường Tiểu học Mường Sại", "Mường Sại"),
    ("Trường Mầm non Cà Nàng", "Cà Nàng"),
)
DISTRICT = "UBND HUYỆN QUỲNH NHAI"
OFFICE = "PHÒNG GD&ĐT QUỲNH NHAI"


def all_units() -> list[Unit]:
    """Every example unit: the communes' People's Committees and some schools."""
    units = [Unit(DISTRICT, f"UBND XÃ {c.upper()}", c) for c in COMMUNES]
    units += [Unit(OFFICE, name, place) for name, place in SCHOOLS]
    return units


# How the unit is written at the top of the document.
HEADER_STYLES = ("two_column", "single", "don_vi", "none")


@dataclass
class Variant:
    """One generated report: everything needed to build the file and to know the answer.

    `values` is the truth the clerk meant to report (every code, every slot, None = blank);
    `params` holds quirk details (which rows are deleted, where the table starts, …).
    `negative` names a file that must be refused (then the other fields are ignored).
    """

    name: str
    kind: str
    unit: Unit
    header_style: str
    values: Values
    quirks: frozenset[str]
    seed: int
    params: dict = field(default_factory=dict)
    negative: str | None = None

    @property
    def filename(self) -> str:
        """The attachment name, as a clerk would save it."""
        return f"{self.name}.{self.kind}"

    def has(self, quirk: str) -> bool:
        """True when the variant carries this quirk."""
        return quirk in self.quirks


@dataclass(frozen=True)
class Expected:
    """What a correct parser returns for a variant."""

    ok: bool
    values: Values
    unit_name: str | None
    warning_codes: tuple[str, ...]


def header_unit_text(unit: Unit, style: str) -> str | None:
    """The unit name exactly as the header writes it (None when the header names no unit)."""
    if style in ("two_column", "single"):
        return unit.name.upper()
    if style == "don_vi":
        return unit.name
    return None


def expected(variant: Variant, form: Form | None = None) -> Expected:
    """The exact parse a correct parser gives for this variant."""
    form = form or load_form()
    if variant.negative:
        return Expected(False, {}, None, ())
    values = {code: dict(slots) for code, slots in variant.values.items()}
    for code in variant.params.get("deleted", ()):
        values[code] = {slot: None for slot in values[code]}
    name = header_unit_text(variant.unit, variant.header_style)
    if name is not None:
        name = unicodedata.normalize("NFC", name)
    return Expected(True, values, name, broken_rules(values, form))


def broken_rules(values: Values, form: Form) -> tuple[str, ...]:
    """Codes whose total disagrees with the sum of its reported detail rows."""
    codes = []
    for rule in form.rules:
        tcode, tslot = rule.target.rsplit(".", 1)
        target = values[tcode][tslot]
        parts = [values[c][s] for c, s in (ref.rsplit(".", 1) for ref in rule.sum_of)]
        reported = [p for p in parts if isinstance(p, int)]
        if isinstance(target, int) and reported and target != sum(reported):
            codes.append(tcode)
    return tuple(dict.fromkeys(codes))


# Plausible ranges per code and slot (Quỳnh Nhai communes and schools are small).
_RANGES = {
    "count": (1, 8),
    "people": (8, 180),
    "2": (1, 40),
    "3": (5, 1500),
    "4.1": (1, 60),
    "4.2": (20, 2500),
    "7.1": (1, 12),
    "8": (1, 6),
    "9.1": (1, 8),
    "9.2": (1, 25),
}
MONEY = (500_000, 2_500_000, 3_000_000, 5_000_000, 15_000_000, 15_500_000, 42_000_000)
OTHER_TEXTS = (
    "Tổ chức 02 buổi ngoại khóa về chuyển đổi số cho học sinh",
    "Phát thanh trên loa truyền thanh xã 05 buổi",
    "Phối hợp Hội Khuyến học xã tuyên truyền tại các bản",
)
TOTALS = {"1": ("count", "people"), "5": ("count",), "6": ("count",)}


def detail_codes(total: str, form: Form) -> list[str]:
    """The detail codes summed into a total (1 → 1.1…1.13)."""
    return [i.code for i in form.indicators if i.code.startswith(total + ".")]


def random_values(
    rng: random.Random, form: Form, blank: float = 0.25, zero: float = 0.08
) -> Values:
    """Values for every code: blanks, zeros and plausible numbers; totals agree with details."""
    values: Values = {}
    for ind in form.indicators:
        values[ind.code] = {
            slot: _one_value(rng, ind.code, slot, blank, zero) for slot in ind.slots
        }
    fix_totals(values, form)
    return values


def _one_value(rng: random.Random, code: str, slot: str, blank: float, zero: float):
    roll = rng.random()
    if roll < blank:
        return None
    if slot == "text":
        return rng.choice(OTHER_TEXTS)
    if roll < blank + zero:
        return 0
    if slot == "amount":
        return rng.choice(MONEY)
    lo, hi = _RANGES.get(code, _RANGES[slot])
    return rng.randint(lo, hi)


def fix_totals(values: Values, form: Form, blank_as_zero: bool = False) -> None:
    """Set each total to the sum of its reported details (None when none is reported)."""
    for total, slots in TOTALS.items():
        for slot in slots:
            parts = [values[c][slot] for c in detail_codes(total, form)]
            reported = [p for p in parts if isinstance(p, int)]
            if reported or blank_as_zero:
                values[total][slot] = sum(reported)
            else:
                values[total][slot] = None
