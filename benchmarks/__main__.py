"""`python -m benchmarks` (`make bench`): parse, ingest and roll-up benchmarks, one after another.

    python -m benchmarks                  # full: 1,000 forms/mails, 1,000 + 10,000 units (~15 min)
    python -m benchmarks --quick          # small sizes, one round each (~1–2 min)
    python -m benchmarks --only parse rollup --markdown /tmp/figures.md

Prints each figure with its floor and ratio; --markdown also writes them as a Markdown block
(machine, date, commit, figures) to paste into benchmarks/RESULTS.md. The parse_accuracy
benchmark is separate (`python -m benchmarks.parse_accuracy`).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path

from benchmarks import ingest, parse_speed, rollup_scale
from benchmarks.common import Section, machine

FULL = {"forms": 1000, "mails": 1000, "units": [1000, 10000], "rounds": 2}
QUICK = {"forms": 60, "mails": 40, "units": [200, 1000], "rounds": 1}


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benchmarks; exit 0 when they all ran."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes, one round")
    ap.add_argument("--only", nargs="+", choices=("parse", "ingest", "rollup"), default=None)
    ap.add_argument("--forms", type=int, help="forms for the parse benchmark")
    ap.add_argument("--mails", type=int, help="mails for the ingest benchmark")
    ap.add_argument("--units", type=int, nargs="+", help="roster sizes for the roll-up")
    ap.add_argument("--rounds", type=int, help="interleaved rounds per benchmark")
    ap.add_argument("--markdown", type=Path, help="also write the figures here as Markdown")
    args = ap.parse_args(argv)
    plan = dict(QUICK if args.quick else FULL)
    for key in ("forms", "mails", "units", "rounds"):
        if getattr(args, key) is not None:
            plan[key] = getattr(args, key)
    only = set(args.only or ("parse", "ingest", "rollup"))
    # A TERM must still run the finally blocks that stop the benchmark's Dovecot.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    facts = machine()
    facts["load"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print("machine: " + ", ".join(f"{k} {v}" for k, v in facts.items()), flush=True)
    start = time.perf_counter()
    sections: list[Section] = []
    floor_per_file = None
    if "parse" in only:
        sections.append(parse_speed.run(plan["forms"], plan["rounds"]))
        if plan["forms"] == plan["mails"]:
            floor_per_file = sections[-1].values.get("floor_s_per_file")
    if "ingest" in only:
        sections.append(ingest.run(plan["mails"], plan["rounds"], floor_per_file))
    if "rollup" in only:
        sections.append(rollup_scale.run(plan["units"], plan["rounds"]))
    minutes = (time.perf_counter() - start) / 60
    facts["load after"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nall benchmarks done in {minutes:.1f} min", flush=True)
    if args.markdown:
        args.markdown.write_text(markdown(facts, sections, minutes), encoding="utf-8")
    return 0


def markdown(facts: dict[str, str], sections: list[Section], minutes: float) -> str:
    """The figures as a Markdown block for RESULTS.md."""
    lines = ["| | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in facts.items()]
    lines += [f"| run time | {minutes:.1f} min |", ""]
    for section in sections:
        lines += [f"### {section.title}", "", "```"]
        lines += [f.line().strip() for f in section.figures]
        lines += [f"- {n}" for n in section.notes]
        lines += ["```", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
