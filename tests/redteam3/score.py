"""Scores the parser on the third red-team corpus, through its command line only.

    python -m tests.redteam3.score OUTDIR [--no-big] [--jobs N]

Builds the corpus into OUTDIR, runs `mailbot parse --json` on it (small files in batches, each
big file alone in its own process so its wall time and peak memory can be measured), prints
the report and writes it to OUTDIR/report.json.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

from . import spec
from .build import build

BATCH = 12
TIMEOUT_S = 30
BIG_CPU_S = 2.0
BIG_PEAK_MB = 150.0


def mailbot_exe() -> list[str]:
    here = os.path.dirname(sys.executable)
    exe = os.path.join(here, "mailbot")
    if os.path.exists(exe):
        return [exe]
    found = shutil.which("mailbot")
    if found:
        return [found]
    return [sys.executable, "-m", "mailbot"]


def _parse_lines(out: str) -> dict[str, dict]:
    res = {}
    for line in out.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        obj = json.loads(line)
        res[os.path.basename(obj.get("file", ""))] = obj
    return res


def parse_batch(paths: list[str]) -> dict[str, dict]:
    """One CLI run over several files; results by file name."""
    p = subprocess.run(
        [*mailbot_exe(), "parse", "--json", *paths],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S * len(paths) + 60,
    )
    res = _parse_lines(p.stdout)
    for path in paths:
        name = os.path.basename(path)
        if name not in res:
            res[name] = {"file": name, "ok": False, "errors": [f"no output: {p.stderr[-300:]}"]}
    return res


def parse_files(paths: list[str], jobs: int = 2) -> dict[str, dict]:
    batches = [paths[i : i + BATCH] for i in range(0, len(paths), BATCH)]
    out: dict[str, dict] = {}
    with ThreadPoolExecutor(max_workers=jobs) as ex:
        for res in ex.map(parse_batch, batches):
            out.update(res)
    return out


_LAUNCHER = """
import os, subprocess, sys, time
t0 = time.monotonic()
p = subprocess.Popen(sys.argv[2:], stdout=open(sys.argv[1], "wb"))
_pid, _st, ru = os.wait4(p.pid, 0)
print(time.monotonic() - t0, ru.ru_utime + ru.ru_stime, ru.ru_maxrss)
"""


def measure_one(path: str) -> tuple[dict, float, float, float]:
    """Parses one file in its own process: (result, wall seconds, CPU seconds, peak RSS in MB),
    CPU and RSS of the CLI process and the processes it waited for. CPU time is what the
    bound is checked on: wall time on a shared, loaded machine measures the neighbours.

    The child is started from a small process (GNU time, else a tiny Python launcher): a child
    forked from this big builder process would carry the builder's RSS into ru_maxrss."""
    cmd = [*mailbot_exe(), "parse", "--json", path]
    with tempfile.TemporaryDirectory(prefix="rt3-time-") as tmp:
        out_file = os.path.join(tmp, "out.json")
        if os.path.exists("/usr/bin/time"):
            stats = os.path.join(tmp, "time.txt")
            with open(out_file, "wb") as fh:
                subprocess.run(
                    ["/usr/bin/time", "-f", "%e %U %S %M", "-o", stats, *cmd],
                    stdout=fh,
                    stderr=subprocess.DEVNULL,
                    timeout=TIMEOUT_S + 60,
                )
            with open(stats) as fh:
                wall_s, user_s, sys_s, kb = fh.read().split()[-4:]
                cpu_s = float(user_s) + float(sys_s)
        else:
            p = subprocess.run(
                [sys.executable, "-c", _LAUNCHER, out_file, *cmd],
                capture_output=True,
                text=True,
                timeout=TIMEOUT_S + 60,
            )
            wall_s, cpu_s, kb = p.stdout.split()[-3:]
        with open(out_file, encoding="utf-8", errors="replace") as fh:
            out = fh.read()
    res = _parse_lines(out).get(os.path.basename(path))
    if res is None:
        res = {"file": os.path.basename(path), "ok": False, "errors": ["no output"]}
    return res, float(wall_s), float(cpu_s), int(kb) / 1024.0


# --- comparison -----------------------------------------------------------------------------


def expected_view(entry: dict) -> dict:
    """What the parse must say for this corpus file (the comparable part)."""
    if entry["kind"] == "non-form":
        return {"ok": False}
    return {
        "ok": True,
        "unit_name": spec.norm_name(entry["unit_name"]),
        "values": entry["values"],
    }


def result_view(entry: dict, res: dict) -> dict:
    if entry["kind"] == "non-form" or not res.get("ok"):
        return {"ok": bool(res.get("ok"))}
    vals = res.get("values") or {}
    return {
        "ok": True,
        "unit_name": spec.norm_name(res.get("unit_name")),
        "values": {
            code: {slot: (vals.get(code) or {}).get(slot) for slot in slots}
            for code, slots in spec.SLOTS.items()
        },
    }


def slot_diffs(entry: dict, res: dict) -> list[str]:
    """Every wrong slot as 'code.slot: expected X, got Y'."""
    if entry["kind"] == "non-form":
        return []
    vals = res.get("values") or {} if res.get("ok") else {}
    out = []
    for code, slots in spec.SLOTS.items():
        for slot in slots:
            want = entry["values"][code][slot]
            got = (vals.get(code) or {}).get(slot) if res.get("ok") else "<refused>"
            if isinstance(want, str) and isinstance(got, str):
                same = spec.norm_name(want) == spec.norm_name(got)
            else:
                same = (want == got and type(want) is type(got)) or (
                    isinstance(want, int) and isinstance(got, (int, float)) and want == got
                )
            if not same:
                out.append(f"{code}.{slot}: expected {want!r}, got {got!r}")
    return out


def describe(entry: dict, res: dict) -> str:
    """One line: what is wrong with this file's parse ('' when right)."""
    if entry["kind"] == "non-form":
        return "" if not res.get("ok") else "accepted a non-form"
    if not res.get("ok"):
        return "refused: " + "; ".join(str(e) for e in res.get("errors") or [])[:200]
    d = slot_diffs(entry, res)
    parts = []
    if d:
        parts.append(f"{len(d)} wrong slot(s): " + "; ".join(d[:6]) + (" …" if len(d) > 6 else ""))
    if spec.norm_name(entry["unit_name"]) != spec.norm_name(res.get("unit_name")):
        parts.append(f"unit_name {entry['unit_name']!r} read as {res.get('unit_name')!r}")
    return " | ".join(parts)


N_SLOTS = sum(len(s) for s in spec.SLOTS.values())


def score(manifest: list[dict], results: dict[str, dict], timings: dict) -> dict:
    forms = [e for e in manifest if e["kind"] == "form"]
    nonforms = [e for e in manifest if e["kind"] == "non-form"]
    per_class: dict[str, dict] = {}
    right_slots = 0
    files = []
    doubtful_seen = False
    wrong_not_doubtful = 0
    all_right_doubtful = 0
    all_right = 0
    unit_right = 0
    refused = 0
    for e in manifest:
        res = results[e["file"]]
        cls = per_class.setdefault(
            e["class"], {"files": 0, "right_files": 0, "slots": 0, "right_slots": 0}
        )
        cls["files"] += 1
        problem = describe(e, res)
        entry = {"file": e["file"], "class": e["class"], "ok": res.get("ok"), "problem": problem}
        if "doubtful" in res:
            doubtful_seen = True
            entry["doubtful"] = res["doubtful"]
        if e["kind"] == "form":
            wrong = len(slot_diffs(e, res))
            right_slots += N_SLOTS - wrong
            cls["slots"] += N_SLOTS
            cls["right_slots"] += N_SLOTS - wrong
            entry["wrong_slots"] = wrong
            if not res.get("ok"):
                refused += 1
            if spec.norm_name(e["unit_name"]) == spec.norm_name(res.get("unit_name")):
                unit_right += 1
            if wrong == 0 and res.get("ok"):
                all_right += 1
                if res.get("doubtful") is True:
                    all_right_doubtful += 1
            if res.get("ok") and res.get("doubtful") is not True:
                wrong_not_doubtful += wrong
        if not problem:
            cls["right_files"] += 1
        if e["file"] in timings:
            entry["wall_s"], entry["cpu_s"], entry["peak_mb"] = timings[e["file"]]
        files.append(entry)
    accepted_nonforms = sum(1 for e in nonforms if results[e["file"]].get("ok"))
    report = {
        "files": len(manifest),
        "forms": len(forms),
        "non_forms": len(nonforms),
        "slot_accuracy": right_slots / (N_SLOTS * len(forms)) if forms else None,
        "slots_right": right_slots,
        "slots_total": N_SLOTS * len(forms),
        "forms_entirely_right": all_right,
        "forms_wrongly_refused": refused,
        "non_forms_wrongly_accepted": accepted_nonforms,
        "unit_names_right": unit_right,
        "per_class": per_class,
        "doubtful_field_present": doubtful_seen,
        "big_files": {
            f: {"wall_s": round(w, 3), "cpu_s": round(c, 3), "peak_mb": round(m, 1)}
            for f, (w, c, m) in timings.items()
        },
        "detail": files,
    }
    if doubtful_seen:
        report["wrong_slots_in_forms_not_doubtful"] = wrong_not_doubtful
        report["pct_entirely_right_marked_doubtful"] = (
            100.0 * all_right_doubtful / all_right if all_right else None
        )
    return report


def print_report(r: dict) -> None:
    p = print
    p(f"files: {r['files']} ({r['forms']} forms, {r['non_forms']} non-forms)")
    p(f"slot accuracy: {r['slot_accuracy']:.4f} ({r['slots_right']}/{r['slots_total']})")
    p(f"forms entirely right: {r['forms_entirely_right']}/{r['forms']}")
    p(f"readable forms wrongly refused: {r['forms_wrongly_refused']}")
    p(f"non-forms wrongly accepted: {r['non_forms_wrongly_accepted']}/{r['non_forms']}")
    p(f"unit names right: {r['unit_names_right']}/{r['forms']}")
    if r["doubtful_field_present"]:
        p(f"wrong slots in forms NOT marked doubtful: {r['wrong_slots_in_forms_not_doubtful']}")
        pct = r["pct_entirely_right_marked_doubtful"]
        p(f"entirely-right forms marked doubtful: {pct if pct is None else round(pct, 1)}%")
    else:
        p("parse JSON has no 'doubtful' field")
    p("\nper class:                 files right  slot accuracy")
    for cls, c in sorted(r["per_class"].items()):
        acc = f"{c['right_slots'] / c['slots']:.4f}" if c["slots"] else "   -  "
        p(f"  {cls:<22} {c['right_files']:>3}/{c['files']:<3}     {acc}")
    if r["big_files"]:
        p(
            f"\nbig files (one process each; bound {BIG_CPU_S} s CPU, {BIG_PEAK_MB:.0f} MB peak"
            " RSS):                          wall      CPU     peak"
        )
        for f, t in r["big_files"].items():
            flag = "" if t["cpu_s"] <= BIG_CPU_S and t["peak_mb"] <= BIG_PEAK_MB else "  OVER"
            p(f"  {f:<52} {t['wall_s']:>6.2f} s {t['cpu_s']:>6.2f} s {t['peak_mb']:>6.1f} MB{flag}")
    bad = [d for d in r["detail"] if d["problem"]]
    p(f"\nfiles not entirely right ({len(bad)}):")
    for d in bad:
        p(f"  [{d['class']}] {d['file']}: {d['problem']}")


def run(outdir: str, big: bool = True, jobs: int = 2) -> dict:
    manifest = build(outdir, big=big)
    small = [os.path.join(outdir, e["file"]) for e in manifest if not e["big"]]
    results = parse_files(small, jobs=jobs)
    timings = {}
    for e in manifest:
        if e["big"]:
            res, wall, cpu, peak = measure_one(os.path.join(outdir, e["file"]))
            results[e["file"]] = res
            timings[e["file"]] = (wall, cpu, peak)
    # a small file alone, for the CLI's own start-up cost
    base = next(e for e in manifest if e["file"].startswith("excel-co-ban"))
    _r, wall, cpu, peak = measure_one(os.path.join(outdir, base["file"]))
    timings[base["file"] + " (baseline, small)"] = (wall, cpu, peak)
    report = score(manifest, results, {k: v for k, v in timings.items()})
    report["results"] = results
    with open(os.path.join(outdir, "report.json"), "w", encoding="utf-8") as fh:
        json.dump(report, fh, ensure_ascii=False, indent=1)
    return report


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = [a for a in argv if not a.startswith("--")]
    if not args:
        print(__doc__)
        return 2
    jobs = 2
    if "--jobs" in argv:
        jobs = int(argv[argv.index("--jobs") + 1])
        args = [a for a in args if a != str(jobs)]
    r = run(args[0], big="--no-big" not in argv, jobs=jobs)
    print_report(r)
    print(f"\nreport: {os.path.join(args[0], 'report.json')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
