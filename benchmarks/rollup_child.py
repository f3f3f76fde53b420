"""`summary` or `export` in its own process, as the CLI runs them, for time and peak-RSS figures.

    python -m benchmarks.rollup_child CONFIG.json summary|export OUT

Loads the config mapping (same `parse_config` as the TOML file), opens the store and runs
`mailbot.office.jobs.summary_mail` (the summary email with its workbook, serialised to OUT) or
`mailbot.office.jobs.export_workbook` (the workbook written to OUT). Prints one JSON line with
the time of each phase and the process's peak RSS (VmHWM).
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime
from email.policy import SMTP
from pathlib import Path

from benchmarks.common import own_peak_mb
from mailbot.config import parse_config
from mailbot.office import jobs as office
from mailbot.runtime.wiring import open_store

NOW = datetime(2021, 10, 16, 10, 0, tzinfo=UTC)


def main(argv: list[str]) -> int:
    """Run one office job from the config mapping at argv[0]; print phase timings."""
    path, job, out = Path(argv[0]), argv[1], Path(argv[2])
    phases: dict[str, float] = {}
    start = time.perf_counter()
    cfg = parse_config(json.loads(path.read_text(encoding="utf-8")), path.parent)
    phases["config"] = time.perf_counter() - start
    with open_store(cfg) as store:
        begin = time.perf_counter()
        if job == "summary":
            msg, rollup = office.summary_mail(cfg, store, NOW)
            out.write_bytes(msg.as_bytes(policy=SMTP))
        else:
            rollup = office.export_workbook(cfg, store, out, NOW)
        phases[job] = time.perf_counter() - begin
    phases["submitted"] = rollup.submitted_count
    phases["peak_mb"] = own_peak_mb()
    print(json.dumps(phases), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
