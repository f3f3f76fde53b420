"""Score parse results against the second-round expectations: slots, unit names, refusals, time.

Owns: the comparison rules and the report printed by `python -m tests.redteam2.score [OUTDIR]`.
Imports the parser only inside `run()`.
"""

from __future__ import annotations

import re
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from tests.redteam2 import all_cases, build, prepare, soffice
from tests.redteam2.common import Case


def fold_name(name: str | None) -> str | None:
    """Unit names compare case-, space- and normalisation-insensitively, edges trimmed."""
    if name is None:
        return None
    text = unicodedata.normalize("NFC", name).casefold()
    return re.sub(r"\s+", " ", text).strip(" .,:;-")


def same_value(want: object, got: object) -> bool:
    """Exact equality by type; text compares with whitespace collapsed and NFC."""
    if isinstance(want, str) and isinstance(got, str):
        norm = [re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip() for s in (want, got)]
        return norm[0] == norm[1]
    return type(want) is type(got) and want == got


@dataclass
class Outcome:
    """How the parser did on one case."""

    case: Case
    ok: bool
    errors: list
    unit_got: str | None
    seconds: float
    slot_total: int = 0
    slot_right: int = 0
    diffs: list[tuple[str, object, object]] = field(default_factory=list)
    unit_right: bool | None = None
    refusal_right: bool | None = None
    crashed: str | None = None

    def passed(self) -> bool:
        """Every slot right, unit right, refusal right."""
        if self.crashed:
            return False
        if self.case.values is None:
            return bool(self.refusal_right)
        return self.ok and not self.diffs and self.unit_right is not False


def judge(case: Case, result: dict, seconds: float) -> Outcome:
    """Compare one parse result (to_dict shape) with the case's expectations."""
    o = Outcome(case, bool(result.get("ok")), result.get("errors") or [], None, seconds)
    o.unit_got = result.get("unit_name")
    if case.values is None:
        o.refusal_right = (not o.ok) and bool(o.errors)
        return o
    got = result.get("values") or {}
    for code, slots in case.values.items():
        for slot, want in slots.items():
            o.slot_total += 1
            have = (got.get(code) or {}).get(slot)
            if (want is None and have is None) or (want is not None and same_value(want, have)):
                o.slot_right += 1
            else:
                o.diffs.append((f"{code}.{slot}", want, have))
    if case.unit:
        o.unit_right = fold_name(o.unit_got) in {fold_name(u) for u in case.unit}
    else:
        o.unit_right = o.unit_got is None
    return o


def run(cases: list[Case] | None = None, outdir: Path | None = None) -> list[Outcome]:
    """Build, optionally write out, parse and judge every case."""
    from mailbot.parsing import parse_bytes

    cases = all_cases() if cases is None else cases
    if soffice.available():
        prepare(cases)
    out = []
    for case in cases:
        if case.convert and not soffice.available():
            continue
        data = build(case)
        if outdir is not None:
            outdir.mkdir(parents=True, exist_ok=True)
            (outdir / case.name).write_bytes(data)
        start = time.perf_counter()
        try:
            result = parse_bytes(data, case.name).to_dict()
        except Exception as exc:  # a crash is a finding, not the end of the run
            o = Outcome(case, False, [], None, time.perf_counter() - start)
            o.crashed = f"{type(exc).__name__}: {exc}"
            out.append(o)
            continue
        out.append(judge(case, result, time.perf_counter() - start))
    return out


def summary(outcomes: list[Outcome]) -> str:
    """The figures and the failure list, most common patterns first."""
    pos = [o for o in outcomes if o.case.values is not None]
    neg = [o for o in outcomes if o.case.values is None]
    total = sum(o.slot_total for o in pos)
    right = sum(o.slot_right for o in pos)
    units = [o for o in pos if o.unit_right is not None]
    lines = [
        f"files: {len(outcomes)} ({len(pos)} with a table, {len(neg)} to refuse)",
        f"slots: {right}/{total} = {right / max(total, 1):.2%}",
        f"unit names: {sum(bool(o.unit_right) for o in units)}/{len(units)}",
        f"refusals: {sum(bool(o.refusal_right) for o in neg)}/{len(neg)}",
        f"crashes: {sum(bool(o.crashed) for o in outcomes)}",
        f"slowest: {max(outcomes, key=lambda o: o.seconds).case.name} "
        f"{max(o.seconds for o in outcomes):.2f}s; total {sum(o.seconds for o in outcomes):.1f}s",
        "",
    ]
    for o in sorted(outcomes, key=lambda o: -o.case.commonness):
        if o.passed():
            continue
        lines.append(f"[{o.case.commonness}] {o.case.name} — {o.case.pattern}")
        if o.crashed:
            lines.append(f"    CRASH {o.crashed}")
        lines.append(f"    ok={o.ok} unit={o.unit_got!r} errors={o.errors}"[:400])
        if o.unit_right is False:
            lines.append(f"    unit: want {o.case.unit[0]!r}")
        for key, want, got in o.diffs:
            lines.append(f"    {key}: want {want!r}, got {got!r}")
    return "\n".join(lines)


def main() -> None:
    """Print the figures; with OUTDIR, also write every file there."""
    outdir = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    print(summary(run(outdir=outdir)))


if __name__ == "__main__":
    main()
