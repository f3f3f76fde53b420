"""Benchmark 3: the roll-up at scale: `summary` and `export` over 1,000 and 10,000 units.

Setup books every unit's report through the store API (`book_message`; synchronous writes
off, since setup is not measured), with one unit in ten having resubmitted (a superseded
row) and one message in fifty an unreadable problem. Each job then runs twice per round:
as the real command (`python -m mailbot export -c config.toml FILE`, `... summary --out
FILE.eml`: wall time and sampled peak RSS, what the targets are about), and in a child
process (benchmarks.rollup_child: the same wiring, reporting the time of each phase and its
own VmHWM).

    python -m benchmarks.rollup_scale --units 1000 10000 --rounds 3
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.common import Figure, Section, interleaved, python, run_child
from mailbot.forms import load_form
from mailbot.store import IncomingMessage, NewSubmission, Store
from tests.formgen.model import random_values

TARGETS = {1000: 2.0, 10000: 10.0}  # seconds
RSS_TARGET_MB = 500.0
START = datetime(2021, 10, 10, 1, 0, tzinfo=UTC)


def config(work: Path, units: int) -> dict:
    """A config mapping with `units` roster units and an outbox folder instead of SMTP."""
    return {
        "mailbox": {"maildir": str(work / "Maildir")},
        "smtp": {"outbox_dir": str(work / "outbox"), "from_addr": "phonggd@example.org"},
        "storage": {"database": str(work / "db.sqlite3"), "archive_dir": str(work / "archive")},
        "campaign": {
            "name": "Tuần lễ hưởng ứng học tập suốt đời năm 2021",
            "deadline": "2021-10-15",
            "district": "huyện Quỳnh Nhai",
        },
        "office": {
            "name": "Phòng Giáo dục và Đào tạo huyện Quỳnh Nhai",
            "summary_recipients": ["lanhdao@example.test"],
        },
        "units": [
            {
                "code": f"u{i:05d}",
                "name": f"Trường Tiểu học số {i}",
                "emails": [f"unit{i:05d}@example.test"],
            }
            for i in range(units)
        ],
    }


def toml_text(mapping: dict) -> str:
    """`config(...)` as TOML (tables of strings and string lists, arrays of such tables)."""
    lines: list[str] = []
    for name, value in mapping.items():
        if isinstance(value, dict):
            lines += [f"[{name}]", *(f"{k} = {json.dumps(v)}" for k, v in value.items()), ""]
        else:
            for item in value:
                lines += [f"[[{name}]]", *(f"{k} = {json.dumps(v)}" for k, v in item.items())]
    # JSON strings and arrays of strings are valid TOML basic strings and arrays.
    return "\n".join(lines) + "\n"


def populate(db: Path, units: int, seed: int = 7) -> int:
    """Book every unit's report (some twice, some problems) via the store API; rows booked."""
    form = load_form()
    rng = random.Random(seed)
    booked = 0
    with Store.open(db, tz=UTC) as store:
        store.conn.execute("PRAGMA synchronous = OFF")  # setup speed only; not measured
        # Every unit once, then every tenth unit again (its first report gets superseded).
        jobs = [*range(units), *range(0, units, 10)]
        for k, i in enumerate(jobs):
            when = START + timedelta(seconds=37 * k)
            msg = IncomingMessage(
                source_key=f"bench/{k}",
                sha256=f"{k:064x}",
                received_at=when,
                message_id_header=f"<rollup-{k}@example.test>",
                from_addr=f"unit{i:05d}@example.test",
                subject="Báo cáo Phụ lục 2",
            )
            if k % 50 == 49:
                store.book_message(
                    msg,
                    "unreadable",
                    when,
                    unit_code=f"u{i:05d}",
                    reason="Tệp không đọc được.",
                    problem_kind="unreadable",
                )
                continue
            values = random_values(rng, form, blank=rng.uniform(0.05, 0.5))
            warnings = [{"code": "R1", "message": "Tổng không khớp."}] if k % 17 == 0 else []
            sub = NewSubmission(f"u{i:05d}", when.day > 15, values, warnings, ["bao-cao.xlsx"])
            store.book_message(msg, "booked", when, submission=sub)
            booked += 1
    return booked


def run(sizes: list[int], rounds: int) -> Section:
    """Measure and print each size; returns the section for RESULTS.md."""
    section = Section(f"Roll-up at scale: summary and export, {rounds} interleaved rounds")
    print(f"\n== {section.title}", flush=True)
    for units in sizes:
        root = Path(tempfile.mkdtemp(prefix="mailbot-bench-rollup-"))
        try:
            _one_size(root, units, rounds, section)
        finally:
            shutil.rmtree(root, ignore_errors=True)
    return section


def _one_size(root: Path, units: int, rounds: int, section: Section) -> None:
    start = time.perf_counter()
    booked = populate(root / "db.sqlite3", units)
    cfg_path = root / "config.json"
    mapping = config(root, units)
    cfg_path.write_text(json.dumps(mapping, ensure_ascii=False), encoding="utf-8")
    toml_path = root / "config.toml"
    toml_path.write_text(toml_text(mapping), encoding="utf-8")
    took = time.perf_counter() - start
    section.note(f"{units} units: {booked} submissions booked in {took:.1f} s")
    runs: dict[str, list] = {"summary": [], "export": []}
    commands: dict[str, list] = {"summary": [], "export": []}

    def job(name: str) -> None:
        out = root / f"{name}.out"
        argv = [python(), "-m", "benchmarks.rollup_child", str(cfg_path), name, str(out)]
        child = run_child(argv)
        if child.returncode != 0:
            raise RuntimeError(f"{name} failed: {child.stderr[-2000:]}")
        phases = json.loads(child.stdout.strip().splitlines()[-1])
        runs[name].append((child, phases, out.stat().st_size))

    def command(name: str) -> None:
        out = root / ("command.xlsx" if name == "export" else "command.eml")
        tail = [str(out)] if name == "export" else ["--out", str(out)]
        child = run_child([python(), "-m", "mailbot", name, "-c", str(toml_path), *tail])
        if child.returncode != 0:
            raise RuntimeError(f"mailbot {name} failed: {child.stderr[-2000:]}")
        commands[name].append(child)

    methods = {f"mailbot {n}": (lambda n=n: command(n)) for n in commands}
    methods |= {f"{n} (child)": (lambda n=n: job(n)) for n in runs}
    interleaved(methods, rounds)
    limit = TARGETS.get(units)
    for name, done in commands.items():
        section.add(
            Figure(
                f"mailbot {name} (command), {units} units",
                [c.seconds for c in done],
                target=f"≤ {limit:g} s" if limit else "",
            )
        )
        section.add(
            Figure(
                f"mailbot {name} (command), {units} units, peak RSS",
                [c.tree_peak_mb for c in done],
                unit="MB",
                target=f"≤ {RSS_TARGET_MB:g} MB" if units >= 10000 else "",
                note="(sampled every 20 ms)",
            )
        )
    for name, finished in runs.items():
        phases = finished[-1][1]
        section.add(
            Figure(
                f"{name}, {units} units",
                [c.seconds for c, _, _ in finished],
                note=(
                    f"(child; config {phases['config']:.2f} s, job {phases[name]:.2f} s, "
                    f"output {finished[-1][2] / 1024:.0f} KB)"
                ),
            )
        )
        section.add(
            Figure(
                f"{name}, {units} units, peak RSS",
                [phases["peak_mb"] for _, phases, _ in finished],
                unit="MB",
                note="(child, VmHWM)",
            )
        )


def main(argv: list[str] | None = None) -> int:
    """Command line: --units sizes, --rounds."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    run(args.units, args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
