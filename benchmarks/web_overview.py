"""Benchmark: the console's overview page for 1,000 units, over HTTP on loopback.

Setup books every unit's report through the store API (benchmarks.rollup_scale.populate:
one unit in ten resubmitted, one message in fifty a problem) and corrects one value of one
unit in twenty. The console then runs in uvicorn on a free 127.0.0.1 port, a client logs in
through the form, and `GET /` is timed end to end (session check, roll-up, template,
transfer): a few warm-up requests, then `--requests` timed ones, twice: "changed", with a
new correction stored before each request (the roll-up is rebuilt every time), and
"unchanged" (the page reuses the roll-up it built last). Target: median ≤ 300 ms.

    python -m benchmarks.web_overview --units 1000 --requests 30
"""

from __future__ import annotations

import argparse
import re
import shutil
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import uvicorn

from benchmarks.common import Figure, Section, machine
from benchmarks.rollup_scale import config, populate, toml_text
from mailbot.config import load_config
from mailbot.runtime.wiring import open_store
from mailbot.web.app import create_app
from mailbot.web.passwords import hash_password

TARGET_S = 0.300
PASSWORD = "mật-khẩu-đo-hiệu-năng"
NOW = datetime(2021, 10, 16, 3, 0, tzinfo=UTC)


def run(units: int = 1000, requests: int = 30, warmup: int = 3) -> Section:
    """Measure the overview's response time for `units` roster units; the section."""
    section = Section(
        f"Console overview, {units} units, {requests} requests after {warmup} warm-up"
    )
    print(f"\n== {section.title}", flush=True)
    root = Path(tempfile.mkdtemp(prefix="mailbot-bench-web-"))
    try:
        populate(root / "db.sqlite3", units)
        (root / "config.toml").write_text(toml_text(config(root, units)), encoding="utf-8")
        cfg = load_config(root / "config.toml")
        with open_store(cfg) as store:
            store.set_web_user("bench", hash_password(PASSWORD), NOW)
            for sub in store.latest_submissions()[::20]:
                store.correct_value(sub.id, "2", "count", 7, "đo hiệu năng", "bench", NOW)
        app = create_app(cfg, root / "config.toml")
        with open_store(cfg) as store:
            first = store.latest_submissions()[0].id
            counter = iter(range(10**6))

            def change() -> None:
                store.correct_value(first, "2", "people", next(counter), "đo", "bench", NOW)

            changed, size = _measure(app, requests, warmup, before=change)
        unchanged, _ = _measure(app, requests, warmup)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    target = f"≤ {TARGET_S * 1000:.0f} ms"
    section.add(Figure("GET /, data changed before each request", changed, target=target))
    section.add(Figure("GET /, data unchanged", unchanged, target=target))
    section.note(
        f"page size {size / 1024:.0f} KiB; p90 changed {_p90(changed) * 1000:.0f} ms, "
        f"unchanged {_p90(unchanged) * 1000:.0f} ms"
    )
    return section


def _measure(app, requests: int, warmup: int, before=lambda: None) -> tuple[list[float], int]:
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    samples: list[float] = []
    size = 0
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            form = client.get("/login").text
            token = re.search(r'name="csrf" value="([^"]+)"', form)
            assert token is not None
            data = {"username": "bench", "password": PASSWORD, "csrf": token.group(1)}
            client.post("/login", data=data)
            for i in range(warmup + requests):
                before()
                start = time.perf_counter()
                response = client.get("/")
                elapsed = time.perf_counter() - start
                assert response.status_code == 200, response.status_code
                size = len(response.content)
                if i >= warmup:
                    samples.append(elapsed)
    finally:
        server.should_exit = True
        thread.join(10)
    return samples, size


def _p90(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    """`python -m benchmarks.web_overview`: print the figure."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=1000)
    ap.add_argument("--requests", type=int, default=30)
    args = ap.parse_args(argv)
    print("machine: " + ", ".join(f"{k} {v}" for k, v in machine().items()), flush=True)
    section = run(args.units, args.requests)
    for figure in section.figures:
        print(f"{figure.name}: median {figure.median * 1000:.0f} ms", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
