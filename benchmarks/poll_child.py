"""One poll cycle in its own process, wired as `mailbot poll` wires it, for peak-RSS figures.

    python -m benchmarks.poll_child CONFIG.json

CONFIG.json is the config mapping (what the TOML file holds); it goes through the same
`parse_config` validation. Unlike `mailbot poll`, the outbox is drained in the same cycle
(`send_batch` raised), so one run books every message and sends every receipt. Prints one
JSON line: outcome counts and this process's own peak RSS (parse workers excluded).
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

from benchmarks.common import own_peak_mb
from mailbot.config import parse_config
from mailbot.ingest.poll import poll
from mailbot.runtime.wiring import open_archive, open_mailer, open_source, open_store, poll_settings
from mailbot.runtime.wiring import system_clock as clock


def main(argv: list[str]) -> int:
    """Run one poll from the config mapping at argv[0]; print the outcome counts."""
    path = Path(argv[0])
    cfg = parse_config(json.loads(path.read_text(encoding="utf-8")), path.parent)
    settings = replace(poll_settings(cfg), send_batch=1_000_000)
    with open_store(cfg) as store:
        report = poll(open_source(cfg), store, open_mailer(cfg), open_archive(cfg), settings, clock)
    print(json.dumps({"counts": dict(report.counts), "own_peak_mb": own_peak_mb()}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
