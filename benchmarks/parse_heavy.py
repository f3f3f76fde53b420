"""Benchmark: workbooks and documents carrying more than the form, read within 2 s and 150 MB.

Builds, in a temporary folder, the form beside what clerks put next to it: a 200 000-row
learner list (inline strings, then shared strings, ≈55 MB of sheet XML), 15 MB of pasted
photos in a workbook and in a Word report, and an .xls with a 65 000-row list sheet. Each file
is parsed by `parse_guarded` (the daemon's path: a forked worker under the memory ceiling)
in a fresh process, measuring that process tree's CPU time and peak RSS, and the values are
compared with the form's truth. It also times the candidates weighed for the big sheets
(openpyxl full load, openpyxl read_only reading the first rows, the streamed head cut kept).

    python -m benchmarks.parse_heavy [--rows 200000] [--candidates]
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S, TARGET_MB = 2.0, 150.0
# The parse runs in a fresh interpreter, which reports its own and its worker's usage.
CHILD = """
import json, resource, sys
from mailbot.parsing.guard import parse_guarded
data = open(sys.argv[1], "rb").read()
r = parse_guarded(data, sys.argv[1].rsplit("/", 1)[-1], timeout_s=10, memory_mb=150)
me, kids = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
print(json.dumps({"ok": r.ok, "values": r.values, "errors": r.errors,
                  "cpu": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
                  "peak_mb": max(me.ru_maxrss, kids.ru_maxrss) / 1024}))
"""


def build_files(folder: Path, rows: int) -> tuple[dict[str, Path], dict]:
    """The heavy files and the values their form holds."""
    from tests.formgen.catalogue import build, make_variant
    from tests.support.heavy_files import (
        docx_with_pictures,
        learner_rows,
        photo_sheet,
        shared_string_count,
        with_extra_sheet,
        xls_with_list,
    )

    xlsx_variant = make_variant("heavy", "xlsx", (), seed=3)
    docx_variant = make_variant("heavy", "docx", (), seed=3)
    assert xlsx_variant.values == docx_variant.values
    form = build(xlsx_variant)
    files: dict[str, bytes] = {}
    sheet, _ = learner_rows(rows)
    files["learners-inline.xlsx"] = with_extra_sheet(form, "Danh sách học viên", sheet)
    sheet, strings = learner_rows(rows, first_string=shared_string_count(form))
    files["learners-shared.xlsx"] = with_extra_sheet(
        form, "Danh sách học viên", sheet, strings=strings
    )
    sheet, pictures = photo_sheet(3_000_000, pictures=5)
    files["photos.xlsx"] = with_extra_sheet(form, "Ảnh", sheet, pictures=pictures)
    files["photos.docx"] = docx_with_pictures(build(docx_variant), pictures)
    files["learners.xls"] = xls_with_list(form, min(rows, 65_000))
    paths = {}
    for name, data in files.items():
        paths[name] = folder / name
        paths[name].write_bytes(data)
    return paths, xlsx_variant.values


def measure(path: Path) -> tuple[dict, float, float, float]:
    """(result, wall s, CPU s of the process tree, peak RSS MB) of one guarded parse."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, text=True
    )
    out, _ = proc.communicate()
    wall = time.perf_counter() - start
    result = json.loads(out)
    return result, wall, result["cpu"], result["peak_mb"]


def candidates(path: Path, head_rows: int = 300) -> list[tuple[str, float]]:
    """Seconds each candidate way of reading the big workbook takes (in this process)."""
    import openpyxl

    from mailbot.parsing.safety import open_checked_zip
    from mailbot.parsing.xlsx import _sheet_parts
    from mailbot.parsing.xlsx_slim import slim_package

    data = path.read_bytes()
    out = []
    t = time.perf_counter()
    openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    out.append(("openpyxl load_workbook (every cell)", time.perf_counter() - t))
    t = time.perf_counter()
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    for ws in wb.worksheets:
        for _ in ws.iter_rows(max_row=head_rows, values_only=True):
            pass
    out.append((f"openpyxl read_only, first {head_rows} rows", time.perf_counter() - t))
    t = time.perf_counter()
    zf = open_checked_zip(data)
    slim = slim_package(zf, _sheet_parts(zf))
    openpyxl.load_workbook(io.BytesIO(slim or data), data_only=True)
    out.append((f"streamed head cut ({head_rows} rows) + openpyxl", time.perf_counter() - t))
    return out


def main(argv: list[str] | None = None) -> int:
    """Build, measure and print; exit 1 when a file misses the form or a bound.

    Building and the candidates run in their own processes, so this process stays small:
    Linux carries a process's peak RSS across fork and exec into the measured children.
    """
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=200_000, help="learner rows of the big sheets")
    ap.add_argument("--candidates", action="store_true", help="also time the candidates")
    ap.add_argument("--build", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--time-candidates", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.build:
        _, truth = build_files(args.build, args.rows)
        (args.build / "truth.json").write_text(json.dumps(truth))
        return 0
    if args.time_candidates:
        for what, seconds in candidates(args.time_candidates):
            print(f"  {what:45} {seconds:6.2f}")
        return 0
    failed = False
    me = [sys.executable, "-m", "benchmarks.parse_heavy", "--rows", str(args.rows)]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        subprocess.run([*me, "--build", tmp], check=True)
        truth = json.loads((folder / "truth.json").read_text())
        print(f"{'file':24} {'size MB':>8} {'wall s':>7} {'CPU s':>6} {'peak MB':>8}  read")
        for path in sorted(folder.iterdir()):
            if path.name == "truth.json":
                continue
            result, wall, cpu, peak = measure(path)
            right = result["ok"] and result["values"] == truth
            over = cpu > TARGET_S or peak > TARGET_MB
            failed |= over or not right
            size = path.stat().st_size / 1e6
            verdict = "exact" if right else f"WRONG {result['errors']}"
            print(
                f"{path.name:24} {size:8.1f} {wall:7.2f} {cpu:6.2f} {peak:8.1f}  "
                f"{verdict}{'  OVER' if over else ''}"
            )
        if args.candidates:
            print("\ncandidates on learners-shared.xlsx (seconds, own process):")
            subprocess.run([*me, "--time-candidates", str(folder / "learners-shared.xlsx")])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
