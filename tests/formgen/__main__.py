"""CLI: write the corpus (every catalogue variant + expected.json) or the demo samples.

python -m tests.formgen OUTDIR
python -m tests.formgen --samples mailbot/samples/reports
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .catalogue import build, catalogue, make_variant
from .model import Variant, expected

# Demo samples: different units, both kinds, realistic but mostly tidy, one broken total.
SAMPLES = (
    ("bao-cao-ubnd-xa-muong-giang", "xlsx", ("merged_header", "merged_title"), 0, "two_column", {}),
    ("bao-cao-truong-th-chieng-bang", "docx", ("header_table", "docx_merges"), 12, "don_vi", {}),
    ("bao-cao-ptdtbt-thcs-nam-et", "docx", ("narrative", "header_table"), 14, "single", {}),
    ("bao-cao-ubnd-xa-chieng-khay", "xlsx", ("text_numbers", "notes", "money_words"), 2,
     "two_column", {}),
    ("bao-cao-mn-ca-nang", "xlsx", ("formula_cached", "number_formats", "merged_header"), 17,
     "two_column", {}),
    ("bao-cao-ubnd-xa-muong-sai", "docx", ("inconsistent", "header_table"), 7, "two_column", {}),
)  # fmt: skip


def samples() -> list[Variant]:
    """The demo sample reports (few blanks, so the roll-up has numbers to show)."""
    return [
        make_variant(name, kind, quirks, unit_index=unit, header_style=style, blank=0.1, **extra)
        for name, kind, quirks, unit, style, extra in SAMPLES
    ]


def write(variants: list[Variant], outdir: Path, with_expected: bool) -> None:
    """Write each variant's file (and expected.json) into outdir."""
    outdir.mkdir(parents=True, exist_ok=True)
    answers = {}
    for v in variants:
        (outdir / v.filename).write_bytes(build(v))
        want = expected(v)
        answers[v.filename] = {
            "ok": want.ok,
            "unit_name": want.unit_name,
            "values": want.values,
            "warning_codes": list(want.warning_codes),
            "quirks": sorted(v.quirks) + ([f"negative:{v.negative}"] if v.negative else []),
        }
    if with_expected:
        text = json.dumps(answers, ensure_ascii=False, indent=1)
        (outdir / "expected.json").write_text(text + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m tests.formgen`."""
    parser = argparse.ArgumentParser(prog="python -m tests.formgen")
    parser.add_argument("outdir", nargs="?", help="write every catalogue variant here")
    parser.add_argument("--samples", metavar="DIR", help="write the demo sample reports here")
    args = parser.parse_args(argv)
    if not args.outdir and not args.samples:
        parser.error("give OUTDIR or --samples DIR")
    if args.outdir:
        variants = catalogue()
        write(variants, Path(args.outdir), with_expected=True)
        print(f"{len(variants)} files + expected.json in {args.outdir}")
    if args.samples:
        write(samples(), Path(args.samples), with_expected=False)
        print(f"{len(SAMPLES)} sample reports in {args.samples}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
