"""Confidence on every corpus: is each wrong form marked doubtful, and how few right ones are?

For each form with a known answer (tests/formgen random variants, tests/redteam and
tests/redteam2; tests/redteam3's own scorer prints the same two figures) it parses the file,
compares every slot and
counts: forms read entirely right and how many of them were marked doubtful (target ≤ 5%),
forms with a wrong slot and how many of those were NOT marked doubtful (target 0), and the
wrong slots in forms not marked doubtful (target 0). Refused files are left out.

    python -m benchmarks.doubt_rate --n 300 --seed 1 [--corpus formgen,redteam,redteam2] [-v]
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from mailbot.forms import load_form
from mailbot.parsing import parse_bytes


@dataclass
class Judged:
    """One form's reading: wrong slots (key, want, got) and the doubts raised."""

    corpus: str
    name: str
    wrong: list[tuple[str, object, object]]
    doubts: list[str] = field(default_factory=list)


def _formgen(n: int, seed: int) -> Iterator[tuple[str, bytes, Callable[[dict], list]]]:
    from tests.formgen import build, expected, random_variant
    from tests.formgen.compare import slot_diffs

    form = load_form()
    for s in range(seed, seed + n):
        variant = random_variant(s, form)
        want = expected(variant, form).values
        yield variant.filename, build(variant, form), lambda got, w=want: slot_diffs(w, got)


def _redteam_round(module: str) -> Iterator[tuple[str, bytes, Callable[[dict], list]]]:
    package = importlib.import_module(module)
    score = importlib.import_module(f"{module}.score")
    if module == "tests.redteam":
        package.prepare()
        cases = package.all_cases()
    else:
        cases = package.all_cases()
        if package.soffice.available():
            package.prepare(cases)
    for case in cases:
        if case.values is None or (getattr(case, "convert", False) and not _soffice(package)):
            continue
        data = case.build() if hasattr(case, "build") else package.build(case)

        def judge(got: dict, case=case) -> list:
            outcome = score.judge(case, {"ok": True, "values": got, "errors": []}, 0.0)
            return list(outcome.diffs)

        yield case.name, data, judge


def _soffice(package) -> bool:
    return package.soffice.available()


def collect(corpora: list[str], n: int, seed: int) -> list[Judged]:
    """Parse and judge every form of the chosen corpora."""
    form = load_form()
    out = []
    for corpus in corpora:
        if corpus == "formgen":
            items = _formgen(n, seed)
        else:
            if importlib.util.find_spec(f"tests.{corpus}") is None:
                print(f"{corpus}: not in this checkout, skipped", file=sys.stderr)
                continue
            items = _redteam_round(f"tests.{corpus}")
        for name, data, judge in items:
            result = parse_bytes(data, name, form)
            if not result.ok:
                continue
            out.append(Judged(corpus, name, judge(result.values), list(result.doubts)))
    return out


def report(judged: list[Judged], verbose: bool) -> str:
    """The figures per corpus and overall; with verbose, the forms that miss a target."""
    lines = []
    for corpus in [*dict.fromkeys(j.corpus for j in judged), "all"]:
        js = [j for j in judged if corpus in ("all", j.corpus)]
        right = [j for j in js if not j.wrong]
        wrong = [j for j in js if j.wrong]
        flagged_right = [j for j in right if j.doubts]
        missed = [j for j in wrong if not j.doubts]
        rate = len(flagged_right) / max(len(right), 1)
        lines.append(
            f"{corpus:9} forms {len(js):4}  right {len(right):4}  "
            f"right but doubtful {len(flagged_right):3} ({rate:.1%})  "
            f"wrong {len(wrong):3}  wrong not doubtful {len(missed):3} "
            f"({sum(len(j.wrong) for j in missed)} slots)"
        )
        if verbose and corpus != "all":
            for j in flagged_right:
                lines.append(f"    right, doubtful: {j.name}: {j.doubts}")
            for j in missed:
                lines.append(f"    WRONG, not doubtful: {j.name}: {j.wrong[:4]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the doubt figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--corpus", default="formgen,redteam,redteam2")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    print(report(collect(args.corpus.split(","), args.n, args.seed), args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
