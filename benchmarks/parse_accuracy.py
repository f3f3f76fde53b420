"""Parse accuracy on random generated reports: how well `parse_bytes` reads what clerks send.

Builds N seeded random variants (tests.formgen: random quirks, random values with blanks),
parses each, and reports slot accuracy, unit-name accuracy, ok rate, crashes, parse time and
the main failure causes. Reads and writes no files unless --json is given.

    python -m benchmarks.parse_accuracy --n 300 --seed 1
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

from mailbot.forms import load_form
from mailbot.parsing import UNREADABLE, parse_bytes
from tests.formgen import build, expected, negative, random_variant
from tests.formgen.catalogue import NEGATIVES
from tests.formgen.compare import format_diffs, same_unit, slot_count, slot_diffs


@dataclass
class Outcome:
    """One parsed random variant and how it compared."""

    name: str
    kind: str
    quirks: tuple[str, ...]
    header_style: str
    ok: bool
    crashed: bool
    slots: int
    wrong: list[tuple[str, object, object]]
    unit_ok: bool
    unit_want: str | None
    unit_got: str | None
    seconds: float
    errors: list[str] = field(default_factory=list)


def run_one(seed: int, form) -> Outcome:
    """Build, parse and compare one random variant."""
    variant = random_variant(seed, form)
    want = expected(variant, form)
    data = build(variant, form)
    start = time.perf_counter()
    try:
        result = parse_bytes(data, variant.filename, form)
        crashed = result.errors == [UNREADABLE]
    except Exception as exc:  # parse_bytes must never raise; count it and go on
        result, crashed = None, True
        print(f"{variant.name}: parse_bytes raised {exc!r}", file=sys.stderr)
    seconds = time.perf_counter() - start
    got_values = result.values if result and result.ok else {}
    diffs = slot_diffs(want.values, got_values)
    got_unit = result.unit_name if result else None
    return Outcome(
        variant.name, variant.kind, tuple(sorted(variant.quirks)), variant.header_style,
        bool(result and result.ok), crashed, slot_count(want.values), diffs,
        same_unit(want.unit_name, got_unit), want.unit_name, got_unit, seconds,
        list(result.errors) if result else ["raised"],
    )  # fmt: skip


def negatives_refused(form) -> tuple[int, int]:
    """How many of the negative files (no table, class list, empty, corrupt) are refused."""
    cases = [negative(what, kind) for what in NEGATIVES for kind in ("xlsx", "docx")]
    cases = [c for c in cases if not (c.negative == "no_table" and c.kind == "xlsx")]
    refused = sum(not parse_bytes(build(c), c.filename, form).ok for c in cases)
    return refused, len(cases)


def summarise(outcomes: list[Outcome], show: int) -> dict:
    """Headline figures plus failure causes, as a JSON-able dict."""
    slots = sum(o.slots for o in outcomes)
    wrong = sum(len(o.wrong) for o in outcomes)
    ok = [o for o in outcomes if o.ok]
    ok_slots = sum(o.slots for o in ok)
    ok_wrong = sum(len(o.wrong) for o in ok)
    times = sorted(o.seconds for o in outcomes)
    by_quirk: dict[str, list[int]] = {}
    for o in outcomes:
        for q in o.quirks or ("(none)",):
            tally = by_quirk.setdefault(q, [0, 0, 0])
            tally[0] += o.slots
            tally[1] += len(o.wrong)
            tally[2] += 1
    refs = Counter(ref for o in outcomes for ref, _, _ in o.wrong)
    return {
        "files": len(outcomes),
        "slot_accuracy": 1 - wrong / slots,
        "slot_accuracy_ok_files": 1 - ok_wrong / ok_slots if ok_slots else None,
        "files_exact": sum(not o.wrong for o in outcomes) / len(outcomes),
        "unit_accuracy": sum(o.unit_ok for o in outcomes) / len(outcomes),
        "ok_rate": len(ok) / len(outcomes),
        "crashes": sum(o.crashed for o in outcomes),
        "median_seconds": statistics.median(times),
        "p95_seconds": times[int(0.95 * (len(times) - 1))],
        "quirk_error_rate": {
            q: {"files": n, "slot_error_rate": bad / total}
            for q, (total, bad, n) in sorted(by_quirk.items(), key=lambda kv: -kv[1][1] / kv[1][0])
        },
        "worst_slots": refs.most_common(12),
        "samples": [
            {"file": o.name + "." + o.kind, "quirks": o.quirks, "ok": o.ok, "errors": o.errors,
             "diffs": format_diffs(o.wrong[:8])}
            for o in [o for o in outcomes if o.wrong][:show]
        ],
        "unit_failures": [
            {"file": o.name + "." + o.kind, "header": o.header_style, "quirks": o.quirks,
             "expected": o.unit_want, "got": o.unit_got}
            for o in [o for o in outcomes if not o.unit_ok][:show]
        ],
    }  # fmt: skip


def report(summary: dict, refused: tuple[int, int]) -> str:
    """The summary as a short plain-text report."""
    s = summary
    lines = [
        f"files: {s['files']}   ok rate: {s['ok_rate']:.1%}   crashes: {s['crashes']}",
        f"slot accuracy: {s['slot_accuracy']:.2%} (ok files only: "
        f"{(s['slot_accuracy_ok_files'] or 0):.2%})   files exactly right: {s['files_exact']:.1%}",
        f"unit-name accuracy: {s['unit_accuracy']:.1%}",
        f"negatives refused: {refused[0]}/{refused[1]}",
        f"parse time per file: median {s['median_seconds'] * 1000:.0f} ms, "
        f"p95 {s['p95_seconds'] * 1000:.0f} ms",
        "",
        "slot error rate by quirk (files with the quirk):",
    ]
    for q, row in list(s["quirk_error_rate"].items())[:12]:
        lines.append(f"  {q:18} {row['slot_error_rate']:7.2%}  ({row['files']} files)")
    lines += ["", "slots most often wrong: " + ", ".join(f"{r}×{n}" for r, n in s["worst_slots"])]
    for sample in s["samples"]:
        lines += ["", f"{sample['file']} {list(sample['quirks'])} ok={sample['ok']}"]
        lines.append(sample["diffs"] if sample["ok"] else f"  errors: {sample['errors']}")
    for u in s["unit_failures"]:
        lines.append(
            f"unit: {u['file']} [{u['header']}] {list(u['quirks'])}: "
            f"expected {u['expected']!r}, got {u['got']!r}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the report (exit 0 whatever the accuracy)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.parse_accuracy")
    parser.add_argument("--n", type=int, default=300, help="number of random reports")
    parser.add_argument("--seed", type=int, default=1, help="seed of the random series")
    parser.add_argument("--show", type=int, default=6, help="sample failures to print")
    parser.add_argument("--json", help="also write the full summary to this file")
    args = parser.parse_args(argv)
    form = load_form()
    outcomes = [run_one(args.seed * 1_000_003 + i, form) for i in range(args.n)]
    summary = summarise(outcomes, args.show)
    refused = negatives_refused(form)
    print(report(summary, refused))
    if args.json:
        summary["negatives_refused"] = list(refused)
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(summary, fh, ensure_ascii=False, indent=2, default=str)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
