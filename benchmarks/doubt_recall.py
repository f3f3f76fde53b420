"""Does a doubt follow a misreading? Each fix of issue 11 is switched off in turn and the
third red-team corpus is read again: every form it then reads wrong must carry a doubt.

The corpora are read right today, so "wrong slots in forms not marked doubtful" there is
zero trivially; this checks the doubts against the misreadings the parser really made
before (sub-columns, merged labels, figures in the label cell, one table per group, dates
Excel made, a narrative table lending its columns). It patches the parser's own functions in
this process only, never the files.

    python -m benchmarks.doubt_recall [OUTDIR]
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from mailbot.parsing import parse_path


def _modules():
    import mailbot.parsing.interpret  # noqa: F401  (the package re-exports a function by this name)
    import mailbot.parsing.table as table
    import mailbot.parsing.xls as xls
    import mailbot.parsing.xlsx as xlsx

    return sys.modules["mailbot.parsing.interpret"], table, xlsx, xls


@contextmanager
def _patched(obj: object, name: str, value: object) -> Iterator[None]:
    old = getattr(obj, name)
    setattr(obj, name, value)
    try:
        yield
    finally:
        setattr(obj, name, old)


def _no_join(best, found):
    """Choose the best table as before, but keep noting what other tables hold."""
    if best is None:
        return None
    taken = {j for j in best.lines if j is not None}
    best.left_out = sorted(
        {
            j
            for other in found
            for r, j in zip(other.rows, other.lines, strict=True)
            if j is not None and j not in taken and r.has_values()
        }
    )
    return best


def ablations() -> list[tuple[str, Callable[[], object]]]:
    """(name, context manager switching one fix off)."""
    interp, table, xlsx, xls = _modules()

    def plain(value, _fmt):
        return value.strftime("%d/%m/%Y")

    @contextmanager
    def no_dates() -> Iterator[None]:
        with _patched(xlsx, "date_text", plain), _patched(xls, "date_text", plain):
            yield

    return [
        ("none (as shipped)", nullcontext),
        ("sub-columns", lambda: _patched(interp, "collapse_subcolumns", lambda d: d)),
        ("merged two-line labels", lambda: _patched(table, "split_merged_labels", lambda r, m: r)),
        ("figures in the label cell", lambda: _patched(table, "figures_from_labels", lambda r: r)),
        ("one table per group", lambda: _patched(table, "_with_other_parts", _no_join)),
        ("dates Excel made", no_dates),
        (
            "narrative table lends columns",
            lambda: _patched(table, "_same_layout", lambda a, b: a.label == b.label),
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    """Build the small files of tests/redteam3 and print, per fix off, wrong vs doubtful."""
    from tests.redteam3 import build, score

    argv = sys.argv[1:] if argv is None else argv
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(argv[0]) if argv else Path(tmp)
        manifest = build.build(str(out), big=False)
        forms = [e for e in manifest if e["kind"] != "non-form"]
        print(f"{'fix switched off':32} {'forms wrong':>11} {'of them not doubtful':>21}")
        failed = False
        for name, switch in ablations():
            wrong = missed = 0
            with switch():
                for entry in forms:
                    result = parse_path(out / entry["file"]).to_dict()
                    if result["ok"] and score.slot_diffs(entry, result):
                        wrong += 1
                        if not result["doubts"]:
                            missed += 1
                            print(f"    not doubtful: {entry['file']}", file=sys.stderr)
            failed |= missed > 0
            print(f"{name:32} {wrong:11} {missed:21}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
