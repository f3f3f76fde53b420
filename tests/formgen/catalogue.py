"""The variant catalogue: named variants covering every quirk, random variants for the
benchmark, and the negative files that must be refused.

Owns the choice of quirks and their parameters; building bytes is `build()`'s job.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
import zlib

from openpyxl import Workbook

from mailbot.forms import Form, load_form

from .build_docx import build_docx, narrative_only
from .build_xlsx import CLASS_LIST, build_xlsx
from .layout import frame
from .model import (
    DOCX_ONLY,
    HEADER_STYLES,
    QUIRKS,
    XLSX_ONLY,
    Variant,
    all_units,
    detail_codes,
    fix_totals,
    random_values,
)
from .text import COUNT_STYLES, MONEY_STYLES

NOTES = ("Tổ chức trực tuyến", "Có 3 lớp học qua Zalo", "Số liệu đến ngày 07/10/2021", "Ước tính")
DELETABLE = ("1.4", "1.6", "1.12", "3", "5.6", "8", "10.2", "11", "4.1")
SWAPS = (("1.2", "1.3"), ("5.3", "5.4"), ("9.1", "9.2"), ("6.1", "6.2"), ("4.1", "4.2"))
SINGLE_MEASURE = ("2", "3", "4.2", "7.1", "8", "9.1", "9.2", "10.1")
PAIRED = ("1.5", "1.7", "1.9", "5.3", "6.2", "6.1")
NEGATIVES = ("no_table", "class_list", "empty_workbook", "corrupt")


def make_variant(
    name: str,
    kind: str,
    quirks: tuple[str, ...] = (),
    seed: int | None = None,
    unit_index: int | None = None,
    header_style: str = "two_column",
    form: Form | None = None,
    **overrides,
) -> Variant:
    """A variant with parameters filled in for each quirk (overrides win), values consistent."""
    form = form or load_form()
    unknown = set(quirks) - set(QUIRKS)
    assert not unknown, f"unknown quirks {unknown}"
    seed = zlib.crc32(name.encode()) if seed is None else seed
    rng = random.Random(seed)
    units = all_units()
    unit = units[unit_index if unit_index is not None else rng.randrange(len(units))]
    zero = 0.2 if "zero_words" in quirks else 0.08
    values = random_values(rng, form, blank=overrides.pop("blank", 0.25), zero=zero)
    params = _params(rng, set(quirks), kind)
    params.update(overrides)
    _shape_values(rng, values, params, set(quirks), form)
    return Variant(name, kind, unit, header_style, values, frozenset(quirks), seed, params)


def _params(rng: random.Random, q: set[str], kind: str) -> dict:
    p: dict = {}
    if "second_sheet" in q:
        p["sheet_index"] = rng.choice((1, 2))
    if "offset" in q:
        p["start_row"], p["start_col"] = rng.randint(2, 9), rng.randint(2, 5)
    if "repeated_header" in q:
        p["repeat_before"] = rng.choice(("5", "6", "8"))
    if "blank_rows" in q:
        p["blank_after"] = rng.sample(("1.5", "2", "4.2", "5.6", "7.1", "9.2", "1.13"), 2)
    if "deleted_rows" in q:
        p["deleted"] = rng.sample(DELETABLE, 2)
    if "renumbered_stt" in q:
        p["stt"] = rng.choice(("dotted", "letters", "continuous"))
    if "reordered_rows" in q:
        gone = set(p.get("deleted", ()))
        p["swaps"] = rng.sample([s for s in SWAPS if not gone & set(s)], 2)
    if "text_numbers" in q:
        p["count_styles"] = tuple(s for s in COUNT_STYLES if s != "native" or kind == "xlsx")
    if "zero_words" in q:
        p["zero_styles"] = ("dash", "khong", "suffix", "text")
    if "money_words" in q:
        p["money_styles"] = tuple(s for s in MONEY_STYLES if s != "native")
    if "combined_cell" in q:
        pool = PAIRED[3:] if q & {"formula_cached", "formula_uncached"} else PAIRED
        p["combined"] = rng.sample(pool, 2)
    if "other_column" in q:
        p["other_column"] = rng.sample(SINGLE_MEASURE, 2)
    if "notes" in q:
        codes = rng.sample(("1.9", "2", "5.5", "7.1", "9.2", "10.1", "1.3"), 3)
        p["notes"] = dict(zip(codes, rng.sample(NOTES, 3), strict=True))
    if "tracked_changes" in q:
        p["tracked"] = rng.sample(("1.1", "2", "4.2", "6.1", "9.2", "1.5"), 3)
    if "sdt_cells" in q:
        p["sdt_cells"] = rng.sample(("1.1", "1.2", "2", "3", "5.1", "6.2", "10.1"), 4)
    if "sdt_rows" in q:
        p["sdt_rows"] = rng.sample(("1.3", "1.8", "4.1", "5.2", "9.1", "10.2"), 3)
    if "split_tables" in q:
        p["split_before"] = rng.sample(("2", "6", "9"), rng.randint(1, 2))
        p["split_cont"] = rng.random() < 0.6
        p["split_header"] = rng.random() < 0.5
    return p


def _shape_values(rng: random.Random, values, params: dict, q: set[str], form: Form) -> None:
    """Make the values show what the quirks exercise, then make totals consistent."""
    need = [*params.get("combined", ()), *params.get("other_column", ())]
    need += [*params.get("tracked", ()), *params.get("sdt_cells", ())]
    if "money_words" in q:
        need += ["10.1", "10.2"]
    for code in need:
        for slot, v in values[code].items():
            if slot == "amount" and not v:
                values[code][slot] = rng.choice((15_000_000, 2_500_000, 1_200_000_000))
            elif slot in ("count", "people") and not v:
                values[code][slot] = rng.randint(2, 30)
    for code, slots in params.pop("set_values", {}).items():
        values[code].update(slots)
    for code in params.get("deleted", ()):
        values[code] = {slot: None for slot in values[code]}
    formulas = bool(q & {"formula_cached", "formula_uncached"})
    fix_totals(values, form, blank_as_zero=formulas)
    if "inconsistent" in q:
        first = detail_codes("1", form)[0]
        values[first]["count"] = values[first]["count"] or 2
        fix_totals(values, form)
        values["1"]["count"] = int(values["1"]["count"] or 0) + rng.randint(1, 3)


def catalogue(form: Form | None = None) -> list[Variant]:
    """Every named variant of the test corpus (positives first, then negatives)."""
    form = form or load_form()
    X, D = "xlsx", "docx"
    rows: list[tuple[str, str, tuple[str, ...], dict]] = [
        ("xlsx-plain-plan-template", X, (), {"unit_index": 0}),
        ("xlsx-clean-template", X, ("clean_template",), {}),
        ("xlsx-second-sheet", X, ("second_sheet",), {"sheet_index": 2}),
        ("xlsx-offset-merged", X, ("offset", "merged_header", "merged_title"), {}),
        ("xlsx-text-numbers", X, ("text_numbers",), {"blank": 0.1}),
        ("xlsx-zero-words", X, ("zero_words",), {}),
        (
            "xlsx-money-words",
            X,
            ("money_words",),
            {
                "money_by_code": {"10.1": "trieu", "10.2": "tr"},
                "set_values": {"10.1": {"amount": 2_500_000}, "10.2": {"amount": 15_000_000}},
            },
        ),
        ("xlsx-combined-cell", X, ("combined_cell", "text_numbers"), {}),
        ("xlsx-other-column", X, ("other_column",), {}),
        ("xlsx-notes", X, ("notes",), {}),
        ("xlsx-blank-and-repeated-header", X, ("blank_rows", "repeated_header"), {}),
        ("xlsx-deleted-rows", X, ("deleted_rows",), {}),
        (
            "xlsx-deleted-renumbered",
            X,
            ("deleted_rows", "renumbered_stt"),
            {"deleted": ["3", "1.6"], "stt": "continuous"},
        ),
        ("xlsx-reordered-no-stt", X, ("reordered_rows", "no_stt"), {}),
        ("xlsx-nfd", X, ("nfd",), {}),
        ("xlsx-abbreviations-typos", X, ("abbreviations", "typos"), {}),
        ("xlsx-formula-cached", X, ("formula_cached", "number_formats"), {}),
        ("xlsx-formula-uncached", X, ("formula_uncached",), {}),
        ("xlsx-inconsistent-total", X, ("inconsistent",), {}),
        ("xlsx-tcvn3", X, ("tcvn3",), {"unit_index": 0}),
        (
            "xlsx-single-header-column-numbers",
            X,
            ("single_header", "column_numbers"),
            {"header_style": "single", "unit_index": 14},
        ),
        (
            "xlsx-don-vi-letters",
            X,
            ("renumbered_stt",),
            {"header_style": "don_vi", "stt": "letters", "unit_index": 12},
        ),
        ("xlsx-no-unit-header", X, (), {"header_style": "none"}),
        (
            "xlsx-kitchen-sink",
            X,
            (
                "second_sheet",
                "offset",
                "merged_header",
                "text_numbers",
                "zero_words",
                "money_words",
                "blank_rows",
                "notes",
                "typos",
                "abbreviations",
                "number_formats",
            ),
            {},
        ),
        ("xlsx-blank-template-first", X, ("blank_template_sheet",), {}),
        (
            "xlsx-blank-template-deleted-rows",
            X,
            ("blank_template_sheet", "deleted_rows"),
            {"deleted": ["1.6", "5.6"]},
        ),
        (
            "xlsx-multiline-bullets",
            X,
            ("multiline_labels", "label_bullets", "merged_header"),
            {},
        ),
        ("docx-plain-plan-template", D, (), {"unit_index": 0}),
        ("docx-multiline-bullets", D, ("multiline_labels", "label_bullets", "docx_merges"), {}),
        ("docx-header-table", D, ("header_table",), {}),
        ("docx-merges", D, ("docx_merges", "merged_header"), {}),
        (
            "docx-split-label-continued",
            D,
            ("split_tables",),
            {"split_before": ["2"], "split_cont": True, "split_header": False},
        ),
        (
            "docx-split-repeated-header",
            D,
            ("split_tables",),
            {"split_before": ["6", "9"], "split_cont": False, "split_header": True},
        ),
        (
            "docx-split-headerless-then-repeated-header",
            D,
            ("split_tables", "repeated_header"),
            {
                "split_before": ["2"],
                "split_cont": False,
                "split_header": False,
                "repeat_before": "6",
            },
        ),
        ("docx-narrative", D, ("narrative", "header_table"), {}),
        ("docx-sdt-cells-rows", D, ("sdt_cells", "sdt_rows"), {}),
        ("docx-sdt-table", D, ("sdt_table",), {}),
        ("docx-nested-table", D, ("nested_table",), {}),
        ("docx-tracked-changes", D, ("tracked_changes",), {}),
        ("docx-tcvn3", D, ("tcvn3", "header_table"), {"unit_index": 3}),
        ("docx-nfd-merges", D, ("nfd", "docx_merges"), {}),
        (
            "docx-text-values",
            D,
            ("text_numbers", "zero_words", "combined_cell", "money_words"),
            {
                "money_by_code": {"10.1": "ty", "10.2": "dong"},
                "set_values": {"10.1": {"amount": 1_200_000_000}, "10.2": {"amount": 15_000_000}},
            },
        ),
        ("docx-other-column-notes", D, ("other_column", "notes"), {}),
        (
            "docx-deleted-reordered-dotted",
            D,
            ("deleted_rows", "reordered_rows", "renumbered_stt"),
            {"stt": "dotted"},
        ),
        ("docx-inconsistent-total", D, ("inconsistent",), {"header_style": "single"}),
        (
            "docx-don-vi-blank-rows",
            D,
            ("blank_rows", "repeated_header"),
            {"header_style": "don_vi", "unit_index": 12},
        ),
        (
            "docx-kitchen-sink",
            D,
            (
                "narrative",
                "split_tables",
                "docx_merges",
                "sdt_rows",
                "tracked_changes",
                "abbreviations",
                "typos",
                "blank_rows",
                "text_numbers",
                "header_table",
            ),
            {"split_cont": True},
        ),
    ]
    out = []
    for name, kind, quirks, extra in rows:
        extra = dict(extra)
        style = extra.pop("header_style", "two_column")
        unit_index = extra.pop("unit_index", None)
        out.append(
            make_variant(
                name, kind, quirks, unit_index=unit_index, header_style=style, form=form, **extra
            )
        )
    out += [
        negative(n, k)
        for n, k in (
            ("no_table", D),
            ("class_list", X),
            ("empty_workbook", X),
            ("corrupt", X),
            ("corrupt", D),
        )
    ]
    return out


def negative(what: str, kind: str) -> Variant:
    """A file that holds no Appendix 2 table."""
    unit = all_units()[0]
    name = (
        f"neg-{what.replace('_', '-')}-{kind}"
        if what == "corrupt"
        else f"neg-{what.replace('_', '-')}"
    )
    return Variant(name, kind, unit, "two_column", {}, frozenset(), 0, {}, negative=what)


def random_variant(seed: int, form: Form | None = None) -> Variant:
    """A random report: random kind, unit, header style, values and 0–6 compatible quirks."""
    form = form or load_form()
    rng = random.Random(seed)
    kind = rng.choice(("xlsx", "docx"))
    banned = DOCX_ONLY if kind == "xlsx" else XLSX_ONLY
    pool = [q for q in QUIRKS if q not in banned and q != "inconsistent"]
    quirks = set(rng.sample(pool, rng.randint(0, 6)))
    if {"nfd", "tcvn3"} <= quirks:
        quirks.discard(rng.choice(("nfd", "tcvn3")))
    if {"formula_cached", "formula_uncached"} <= quirks:
        quirks.discard("formula_uncached")
    if {"no_stt", "renumbered_stt"} <= quirks:
        quirks.discard("no_stt")
    style = rng.choices(HEADER_STYLES, weights=(6, 2, 2, 1))[0]
    return make_variant(
        f"random-{seed}",
        kind,
        tuple(sorted(quirks)),
        seed=seed,
        header_style=style,
        form=form,
        blank=rng.uniform(0.05, 0.6),
    )


def build(variant: Variant, form: Form | None = None) -> bytes:
    """The file bytes of any variant, positive or negative."""
    if variant.negative:
        return _negative_bytes(variant)
    if variant.kind == "xlsx":
        return _stable(build_xlsx(variant, form))
    return _stable(build_docx(variant, form))


STAMP = "2021-10-12T08:00:00Z"


def _stable(data: bytes) -> bytes:
    """The same package with fixed timestamps, so a variant always builds the same bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                text = re.sub(
                    r"(<dcterms:(created|modified)[^>]*>)[^<]*", rf"\g<1>{STAMP}", body.decode()
                )
                body = text.encode()
            dst.writestr(zipfile.ZipInfo(item.filename, (2021, 10, 12, 8, 0, 0)), body)
    return out.getvalue()


def _negative_bytes(variant: Variant) -> bytes:
    if variant.negative == "corrupt":
        whole = build(make_variant("corrupt-source", variant.kind))
        return whole[: len(whole) // 3]
    if variant.negative == "no_table":
        source = make_variant("no-table-source", "docx", ("narrative",), unit_index=0)
        return narrative_only(source, frame(source))
    wb = Workbook()
    if variant.negative == "class_list":
        ws = wb.active
        ws.title = "Danh sách lớp 6A"
        ws.append(["TRƯỜNG PTDTBT THCS NẬM ÉT"])
        ws.append(["DANH SÁCH HỌC SINH LỚP 6A NĂM HỌC 2021-2022"])
        for row in CLASS_LIST:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
