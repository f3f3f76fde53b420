"""Score parse results against red-team expectations: slots, unit names, refusals, time.

Owns: comparison rules (what counts as the same value or unit name) and the report printed by
`python -m tests.redteam.score [OUTDIR]`. Imports the parser only in `run()`/`main()`.
"""

from __future__ import annotations

import re
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.redteam.common import Case


@dataclass
class Outcome:
    """How one case went."""

    case: Case
    ok: bool | None = None
    seconds: float = 0.0
    slot_total: int = 0
    slot_right: int = 0
    diffs: list[tuple[str, Any, Any]] = field(default_factory=list)  # (code.slot, want, got)
    ambiguous: list[tuple[str, Any, Any, str]] = field(default_factory=list)
    unit_right: bool | None = None
    unit_got: str | None = None
    refusal_right: bool | None = None
    errors: list[str] = field(default_factory=list)
    crash: str | None = None

    def passed(self) -> bool:
        """Everything this case demands holds."""
        if self.crash:
            return False
        if self.case.values is None:
            return bool(self.refusal_right)
        return self.ok is True and not self.diffs and self.unit_right is not False


def fold_name(text: str | None) -> str:
    """Unit names compare case-, space- and normalisation-insensitively, edges trimmed."""
    text = unicodedata.normalize("NFC", text or "").casefold()
    text = re.sub(r"\s+", " ", text).strip(" .,:;-–")
    return text


def same_value(want: Any, got: Any) -> bool:
    """Exact equality; text compares with whitespace collapsed and NFC."""
    if isinstance(want, str) or isinstance(got, str):
        if not isinstance(want, str) or not isinstance(got, str):
            return False
        squash = lambda s: re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip()  # noqa: E731
        return squash(want) == squash(got)
    return want == got and type(want) is type(got)  # 12.0 for 12 is wrong: the shape is int


def judge(case: Case, result: dict, seconds: float) -> Outcome:
    """Compare one parse result (to_dict shape) with the case's expectations."""
    out = Outcome(case, ok=result.get("ok"), seconds=seconds, errors=list(result.get("errors", [])))
    if case.values is None:
        out.refusal_right = result.get("ok") is False and bool(result.get("errors"))
        return out
    got_values = result.get("values") or {}
    for code, slots in case.values.items():
        for slot, want in slots.items():
            key = f"{code}.{slot}"
            got = (got_values.get(code) or {}).get(slot)
            if key in case.ambiguous:
                out.ambiguous.append((key, want, got, case.ambiguous[key]))
                continue
            out.slot_total += 1
            if same_value(want, got):
                out.slot_right += 1
            else:
                out.diffs.append((key, want, got))
    out.unit_got = result.get("unit_name")
    if case.unit:
        out.unit_right = fold_name(out.unit_got) in {fold_name(u) for u in case.unit}
    else:
        out.unit_right = out.unit_got is None
    return out


def run(cases: tuple[Case, ...], outdir: Path | None = None) -> list[Outcome]:
    """Build, optionally write out, parse and judge every case."""
    from mailbot.parsing import parse_bytes

    outcomes = []
    for case in cases:
        data = case.build()
        if outdir:
            (outdir / case.name).write_bytes(data)
        start = time.perf_counter()
        try:
            result = parse_bytes(data, case.name).to_dict()
        except Exception as exc:  # a crash is itself a finding
            outcome = Outcome(case, crash=f"{type(exc).__name__}: {exc}")
            outcomes.append(outcome)
            continue
        outcomes.append(judge(case, result, time.perf_counter() - start))
    return outcomes


def summary(outcomes: list[Outcome]) -> str:
    """The figures and the failure list, most common patterns first."""
    pos = [o for o in outcomes if o.case.values is not None]
    neg = [o for o in outcomes if o.case.values is None]
    total = sum(o.slot_total for o in pos)
    right = sum(o.slot_right for o in pos)
    units = [o for o in pos if o.unit_right is not None]
    lines = [
        f"files: {len(outcomes)} ({len(pos)} forms, {len(neg)} to refuse)",
        f"slots exactly right: {right}/{total} = {100 * right / max(total, 1):.2f}%",
        f"files with every slot right: {sum(not o.diffs and o.ok for o in pos)}/{len(pos)}",
        f"unit name right: {sum(bool(o.unit_right) for o in units)}/{len(units)}",
        f"refused with a reason: {sum(bool(o.refusal_right) for o in neg)}/{len(neg)}",
        f"crashes: {sum(o.crash is not None for o in outcomes)}",
        f"parse time: total {sum(o.seconds for o in outcomes):.2f}s, "
        f"max {max((o.seconds for o in outcomes), default=0):.2f}s",
        "",
    ]
    for o in sorted(outcomes, key=lambda o: -o.case.commonness):
        if o.passed() and not o.ambiguous:
            continue
        mark = "FAIL" if not o.passed() else "note"
        lines.append(f"[{mark}] ({o.case.commonness}) {o.case.name} — {o.case.pattern}")
        if o.crash:
            lines.append(f"    crash: {o.crash}")
        if o.case.values is None and not o.refusal_right:
            lines.append(f"    expected refusal; got ok={o.ok} errors={o.errors}")
        elif o.case.values is not None and o.ok is not True:
            lines.append(f"    expected ok; got ok={o.ok} errors={o.errors}")
        if o.unit_right is False:
            lines.append(f"    unit_name: want one of {o.case.unit}, got {o.unit_got!r}")
        for key, want, got in o.diffs[:12]:
            lines.append(f"    {key}: want {want!r}, got {got!r}")
        if len(o.diffs) > 12:
            lines.append(f"    … {len(o.diffs) - 12} more slots wrong")
        for key, want, got, why in o.ambiguous:
            lines.append(f"    (ambiguous) {key}: chose {want!r}, got {got!r} — {why}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Print the figures; with OUTDIR, also write every file there for manual checking."""
    from tests.redteam import all_cases, prepare

    outdir = Path(argv[0]) if argv else None
    if outdir:
        outdir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    prepare()
    print(f"built LibreOffice files in {time.perf_counter() - t0:.1f}s")
    print(summary(run(all_cases(), outdir)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
