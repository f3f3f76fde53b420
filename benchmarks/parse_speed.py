"""Benchmark 1: parse throughput against the raw-library floor.

The floor opens each file with the library the parser reads that kind with and touches
every cell, nothing else: openpyxl `load_workbook` + every sheet's `iter_rows(values_only)`
for .xlsx; python-docx `Document` + every table cell's text for .docx (as the issue
defines it), and, because mailbot's .docx reader uses lxml rather than python-docx, the
stricter lxml floor (parse word/document.xml, read every w:tc's text) too.

    python -m benchmarks.parse_speed --n 1000 --rounds 3
"""

from __future__ import annotations

import argparse
import importlib
import io
import multiprocessing
import zipfile
from collections.abc import Callable, Sequence
from statistics import median as _median

import docx
import openpyxl
from docx.oxml.ns import qn
from docx.table import Table
from lxml import etree

from benchmarks.common import Figure, Section, interleaved
from benchmarks.corpus import Form, forms
from mailbot.forms import load_form
from mailbot.parsing import parse_bytes
from mailbot.parsing.guard import _warm, parse_many_guarded

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TARGET = 1.5


def floor_xlsx(data: bytes) -> int:
    """Open with openpyxl as the parser does and read every cell's value; cells seen."""
    wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    seen = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            seen += len(row)
    return seen


def floor_docx(data: bytes) -> int:
    """Open with python-docx and read every table cell's text.

    Every w:tbl of the body, not just `document.tables`: that misses tables nested in cells
    or wrapped in content controls (w:sdt), which the generated forms have.
    """
    document = docx.Document(io.BytesIO(data))
    body = document._body  # the parent python-docx gives the tables it builds itself
    seen = 0
    for tbl in document.element.body.iter(qn("w:tbl")):
        for row in Table(tbl, body).rows:
            for cell in row.cells:
                seen += len(cell.text) >= 0
    return seen


def floor_docx_xml(data: bytes) -> int:
    """Parse word/document.xml with lxml and read every w:tc's text: the reader's own floor."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    seen = 0
    for tc in root.iter(f"{W}tc"):
        seen += len("".join(t.text or "" for t in tc.iter(f"{W}t"))) >= 0
    return seen


def floor(form: Form) -> int:
    """The issue's floor for one file."""
    return floor_xlsx(form.data) if form.kind == "xlsx" else floor_docx(form.data)


def cold_parser() -> None:
    """Forget the label caches, so each run starts like a fresh process (fair rounds)."""
    # mailbot.parsing re-exports the function `interpret`, which hides the submodule.
    importlib.import_module("mailbot.parsing.interpret")._matchers.clear()
    _warm.clear()


def parse_all(items: Sequence[Form]) -> int:
    """parse_bytes in this process, one file after another; how many parsed ok."""
    cold_parser()
    form = load_form()
    return sum(parse_bytes(f.data, f.filename, form).ok for f in items)


def guarded_all(items: Sequence[Form], jobs: int) -> int:
    """The product's batch path: parse_many_guarded on `jobs` forked workers."""
    cold_parser()
    results = parse_many_guarded([(f.data, f.filename) for f in items], jobs=jobs)
    return sum(r.ok for r in results)


_shared: list[Form] = []


def _floor_index(i: int) -> int:
    return floor(_shared[i])


def floor_parallel(items: Sequence[Form], jobs: int) -> int:
    """The floor on `jobs` forked processes (same parallelism as the guarded parse)."""
    _shared[:] = items
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        return sum(pool.map(_floor_index, range(len(items)), chunksize=25))


def run(n: int, rounds: int, jobs: int = 2) -> Section:
    """Measure and print; returns the section (figures + notes) for RESULTS.md."""
    section = Section(f"Parse: {n} generated forms, {rounds} interleaved rounds")
    print(f"\n== {section.title}", flush=True)
    corpus = forms(n)
    xlsx = [f for f in corpus if f.kind == "xlsx"]
    docs = [f for f in corpus if f.kind == "docx"]
    size = sum(len(f.data) for f in corpus) / len(corpus) / 1024
    section.note(f"{len(xlsx)} .xlsx + {len(docs)} .docx, mean size {size:.0f} KB")
    methods: dict[str, Callable[[], object]] = {
        "parse xlsx": lambda: parse_all(xlsx),
        "floor xlsx": lambda: [floor_xlsx(f.data) for f in xlsx],
        "parse docx": lambda: parse_all(docs),
        "floor docx": lambda: [floor_docx(f.data) for f in docs],
        "floor docx lxml": lambda: [floor_docx_xml(f.data) for f in docs],
        "guarded": lambda: guarded_all(corpus, jobs),
        "floor parallel": lambda: floor_parallel(corpus, jobs),
    }
    t = interleaved(methods, rounds)
    ok = parse_all(corpus[: min(len(corpus), 200)])
    total = [a + b for a, b in zip(t["parse xlsx"], t["parse docx"], strict=True)]
    floor_total = [a + b for a, b in zip(t["floor xlsx"], t["floor docx"], strict=True)]
    figures = [
        Figure("parse_bytes, 1 core, all", total, floor=_median(floor_total), target="≤ 1.5×"),
        Figure("parse_bytes, 1 core, .xlsx", t["parse xlsx"], floor=_median(t["floor xlsx"])),
        Figure("parse_bytes, 1 core, .docx", t["parse docx"], floor=_median(t["floor docx"])),
        Figure(
            "parse_bytes .docx vs lxml floor",
            t["parse docx"],
            floor=_median(t["floor docx lxml"]),
            note="(stricter floor)",
        ),
        Figure(
            f"parse_many_guarded, {jobs} workers",
            t["guarded"],
            floor=_median(t["floor parallel"]),
            target="≤ 1.5×",
            note=f"(floor on {jobs} processes)",
        ),
    ]
    for fig in figures:
        section.add(fig)
    per_file = _median(total) / len(corpus) * 1000
    section.note(f"parse_bytes {per_file:.1f} ms/file; {ok}/{min(len(corpus), 200)} parsed ok")
    section.values["floor_s_per_file"] = _median(floor_total) / len(corpus)
    return section


def main(argv: list[str] | None = None) -> int:
    """Command line: --n files, --rounds, --jobs."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)
    run(args.n, args.rounds, args.jobs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
