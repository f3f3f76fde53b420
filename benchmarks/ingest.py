"""Benchmark 2: end-to-end ingest from a real Dovecot to a real SMTP server.

Loads N report mails (one generated form each, one roster unit per sender) into a throwaway
Dovecot, then runs one poll in a child process (benchmarks.poll_child: the `mailbot poll`
wiring, outbox drained in the same cycle) that books them all and sends every receipt to an
aiosmtpd recorder. Floor: one imapclient session fetching the same messages' bytes in
batches of 100, plus the parse floor of their forms (benchmarks.parse_speed). A second
mailbox adds mails with ~18 MB (downloaded) and ~25 MB (over the size limit) attachments
to check that peak RSS stays flat. Needs root and dovecot (as the test suite's servers do).

    python -m benchmarks.ingest --n 1000 --rounds 2
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from statistics import median as _median

from benchmarks.common import Figure, Section, interleaved, python, run_child
from benchmarks.corpus import Form, forms
from benchmarks.parse_speed import floor
from tests.support.mailshapes import report_email
from tests.support.servers import Dovecot, SmtpServer, dovecot_unavailable_reason, start_dovecot

OFFICE = "phonggd@example.org"
PASSWORD_ENV = "MAILBOT_BENCH_IMAP_PASSWORD"
FETCH_BATCH = 100
BIG_FOLDER = "Big"
RATE_TARGET = 20.0  # messages per second
RSS_TARGET_MB = 200.0


def unit_addr(i: int) -> str:
    """The roster address of bench unit i."""
    return f"unit{i:05d}@example.test"


def report_mails(corpus: Sequence[Form]) -> list[bytes]:
    """One report mail per form, each from its own roster unit."""
    return [
        report_email(
            unit_addr(i),
            OFFICE,
            attachments=[(f.filename, f.data)],
            message_id=f"<bench-{i}@example.test>",
        )
        for i, f in enumerate(corpus)
    ]


BIG_MB = (18, 25, 25)


def big_mails(start: int, corpus: Sequence[Form], sizes: Sequence[int] = BIG_MB) -> list[bytes]:
    """Mails with a scanned copy of `sizes` MB: 18 MB fits the 25 MB limit once encoded, 25 not."""
    rng = random.Random(25)
    mails = []
    for j, mb in enumerate(sizes):
        i, form = start + j, corpus[j % len(corpus)]
        scan = b"%PDF-1.4\n" + rng.randbytes(mb * 1024 * 1024) + b"\n%%EOF\n"
        mails.append(
            report_email(
                unit_addr(i),
                OFFICE,
                attachments=[(form.filename, form.data), (f"ban-ky-{i}.pdf", scan)],
                message_id=f"<bench-big-{i}@example.test>",
            )
        )
    return mails


def config(dovecot: Dovecot, smtp: SmtpServer, work: Path, units: int, folder: str) -> dict:
    """The config mapping for the bench servers and a roster of `units` units."""
    return {
        "mailbox": {
            "host": dovecot.host,
            "port": dovecot.port,
            "security": "none",
            "username": dovecot.user,
            "password_env": PASSWORD_ENV,
            "folder": folder,
            "timeout_seconds": 60,
        },
        "smtp": {
            "host": smtp.host,
            "port": smtp.port,
            "security": "none",
            "from_addr": OFFICE,
            "from_name": "Phòng GD&ĐT Quỳnh Nhai",
            "max_receipts_per_sender_per_day": 5,
            # The Gmail-safe pace (20/min, 400/day) would make this a benchmark of the quota:
            # 1,000 receipts take 50 min and three days. Local SMTP: the highest allowed.
            "per_minute": 10_000,
            "daily_cap": 100_000,
        },
        "storage": {"database": str(work / "db.sqlite3"), "archive_dir": str(work / "archive")},
        "campaign": {
            "name": "Tuần lễ hưởng ứng học tập suốt đời năm 2021",
            "deadline": "2099-12-31",
            "district": "huyện Quỳnh Nhai",
        },
        "office": {
            "name": "Phòng Giáo dục và Đào tạo huyện Quỳnh Nhai",
            "summary_recipients": ["lanhdao@example.test"],
        },
        "units": [
            {"code": f"u{i:05d}", "name": f"Trường Tiểu học số {i}", "emails": [unit_addr(i)]}
            for i in range(units)
        ],
    }


def fetch_floor(dovecot: Dovecot, folder: str) -> int:
    """One imapclient session fetching every message's bytes in batches; bytes fetched."""
    total = 0
    with dovecot.client() as client:
        client.select_folder(folder, readonly=True)
        uids = sorted(client.search("ALL"))
        for k in range(0, len(uids), FETCH_BATCH):
            data = client.fetch(uids[k : k + FETCH_BATCH], [b"BODY.PEEK[]"])
            total += sum(len(v[b"BODY[]"]) for v in data.values())
    return total


class Bench:
    """The servers and a fresh work folder per poll."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.chmod(0o755)  # Dovecot's processes must traverse every parent of its root
        (root / "dovecot").mkdir()
        self.dovecot = start_dovecot(root / "dovecot")
        self.smtp = SmtpServer()
        self.smtp.start()
        self.env = {**os.environ, PASSWORD_ENV: self.dovecot.password}
        self.runs = 0

    def close(self) -> None:
        """Stop both servers."""
        self.smtp.stop()
        self.dovecot.stop()

    def load(self, folder: str, mails: Sequence[bytes]) -> float:
        """Append the mails to `folder` over one connection; seconds taken."""
        start = time.perf_counter()
        self.dovecot.append_many(folder, mails)
        return time.perf_counter() - start

    def poll(self, folder: str, units: int) -> dict:
        """One poll in a child on a fresh database; counts, seconds and peak RSS."""
        with self.dovecot.client() as client:  # the same state for every run: no mark yet
            client.select_folder(folder)
            uids = client.search("ALL")
            if uids:
                client.remove_flags(uids, [b"$MailbotProcessed"])
        self.runs += 1
        work = self.root / f"run-{self.runs}"
        work.mkdir()
        cfg_path = work / "config.json"
        cfg = config(self.dovecot, self.smtp, work, units, folder)
        cfg_path.write_text(json.dumps(cfg, ensure_ascii=False), encoding="utf-8")
        sent_before = len(self.smtp.messages)
        # CPU of the poll and every process it forked and reaped (helper, parse workers):
        # unlike wall time it hardly moves with the machine's other load.
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        child = run_child([python(), "-m", "benchmarks.poll_child", str(cfg_path)], self.env)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        shutil.rmtree(work, ignore_errors=True)  # the archive would fill /tmp over rounds
        if child.returncode != 0:
            raise RuntimeError(f"poll failed ({child.returncode}): {child.stderr[-2000:]}")
        out = json.loads(child.stdout.strip().splitlines()[-1])
        return {
            "counts": out["counts"],
            "own_peak_mb": out["own_peak_mb"],
            "seconds": child.seconds,
            "cpu_seconds": cpu,
            "tree_peak_mb": child.tree_peak_mb,
            "received": len(self.smtp.messages) - sent_before,
        }


def run(
    n: int,
    rounds: int,
    parse_floor_s_per_file: float | None = None,
    big_mb: Sequence[int] = BIG_MB,
) -> Section:
    """Measure and print; returns the section for RESULTS.md."""
    section = Section(f"Ingest: {n} report mails, Dovecot → poll → SMTP, {rounds} rounds")
    print(f"\n== {section.title}", flush=True)
    reason = dovecot_unavailable_reason()
    if reason:
        section.note(f"skipped: {reason}")
        return section
    corpus = forms(n)
    root = Path(tempfile.mkdtemp(prefix="mailbot-bench-ingest-", dir="/tmp"))
    bench = Bench(root)
    try:
        _measure(bench, corpus, rounds, parse_floor_s_per_file, section)
        _big(bench, corpus, big_mb, section)
    finally:
        bench.close()
        shutil.rmtree(root, ignore_errors=True)
    return section


def _measure(
    bench: Bench,
    corpus: Sequence[Form],
    rounds: int,
    parse_floor: float | None,
    section: Section,
) -> None:
    n = len(corpus)
    mails = report_mails(corpus)
    size = sum(map(len, mails)) / n / 1024
    loaded = bench.load("INBOX", mails)
    section.note(f"{n} mails (mean {size:.0f} KB) appended in {loaded:.1f} s")
    if parse_floor is None:
        start = time.perf_counter()
        for f in corpus:
            floor(f)
        parse_floor = (time.perf_counter() - start) / n
    polls: list[dict] = []
    times = interleaved(
        {
            "poll": lambda: polls.append(bench.poll("INBOX", n)),
            "fetch floor": lambda: fetch_floor(bench.dovecot, "INBOX"),
        },
        rounds,
    )
    floor_s = _median(times["fetch floor"]) + parse_floor * n
    seconds = [p["seconds"] for p in polls]
    for p in polls:
        booked, sent = p["counts"].get("booked", 0), p["received"]
        if booked != n or sent != n:
            section.note(f"WARNING: a poll booked {booked} and sent {sent} of {n}: {p['counts']}")
    section.add(Figure("poll wall time (child process)", seconds, floor=floor_s, target="≤ 2×"))
    section.add(Figure("rate", [n / s for s in seconds], unit="msg/s", target="≥ 20 msg/s"))
    section.add(
        Figure(
            "CPU per mail, poll + helper + parse workers",
            [p["cpu_seconds"] / n * 1000 for p in polls],
            unit="ms",
            note="(user+sys; on 2 free cores the wall time is at least half of it)",
        )
    )
    section.add(
        Figure(
            "peak RSS, poll process",
            [p["own_peak_mb"] for p in polls],
            unit="MB",
            target="≤ 200 MB",
            note="(VmHWM; parse workers are forks of it)",
        )
    )
    section.add(
        Figure(
            "peak RSS, poll + parse workers summed",
            [p["tree_peak_mb"] for p in polls],
            unit="MB",
            note="(sampled every 20 ms; shared pages counted twice)",
        )
    )
    section.note(
        f"floor = fetch {_median(times['fetch floor']):.2f} s (one session, batches of "
        f"{FETCH_BATCH}) + parse floor {parse_floor * n:.2f} s ({parse_floor * 1000:.1f} ms/file)"
    )


def _big(bench: Bench, corpus: Sequence[Form], sizes: Sequence[int], section: Section) -> None:
    """The size-limit path: up to 100 ordinary mails plus mails with big scanned copies."""
    small = min(100, len(corpus))
    mails = report_mails(corpus[:small]) + big_mails(small, corpus, sizes)
    bench.load(BIG_FOLDER, mails)
    del mails
    result = bench.poll(BIG_FOLDER, small + len(sizes))
    counts = result["counts"]
    section.add(
        Figure(
            f"peak RSS with {'/'.join(map(str, sizes))} MB mails (+{small})",
            [result["own_peak_mb"]],
            unit="MB",
            target="≤ 200 MB",
            note=f"(summed with workers {result['tree_peak_mb']:.0f} MB)",
        )
    )
    section.note(
        f"big-mail poll: {result['seconds']:.1f} s, outcomes {counts}, "
        f"{result['received']} receipts sent"
    )


def main(argv: list[str] | None = None) -> int:
    """Command line: --n mails, --rounds."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args(argv)
    run(args.n, args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
