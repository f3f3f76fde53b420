"""Tiny-N runs of the benchmarks, so they never rot: each runs and reports; no timing asserted."""

from __future__ import annotations

import pytest

from benchmarks import ingest, parse_speed, rollup_scale
from benchmarks.__main__ import markdown
from benchmarks.common import Figure, Section, machine
from tests.support.servers import dovecot_unavailable_reason


def named(section: Section) -> dict[str, Figure]:
    """The section's figures by name."""
    return {f.name: f for f in section.figures}


def test_parse_benchmark_reports_parse_time_against_its_floor() -> None:
    """A 4-form parse run reports every figure with a positive floor and ratio."""
    section = parse_speed.run(4, rounds=1, jobs=2)
    figures = named(section)
    assert "parse_bytes, 1 core, all" in figures
    assert "parse_many_guarded, 2 workers" in figures
    assert all(f.floor and f.ratio and f.ratio > 0 for f in figures.values())


def test_floors_touch_every_cell_of_a_generated_form() -> None:
    """Both floors read a generated .xlsx and .docx down to their table cells."""
    from benchmarks.corpus import forms

    corpus = forms(12)
    by_kind = {f.kind: f for f in corpus}
    assert parse_speed.floor_xlsx(by_kind["xlsx"].data) > 100
    assert parse_speed.floor_docx(by_kind["docx"].data) > 100
    assert parse_speed.floor_docx_xml(by_kind["docx"].data) > 100


@pytest.mark.skipif(dovecot_unavailable_reason() is not None, reason="needs the test Dovecot")
@pytest.mark.servers
def test_ingest_benchmark_books_every_mail_and_reports_rate_and_memory() -> None:
    """A 3-mail ingest run books and answers all three and reports rate, floor and RSS."""
    section = ingest.run(3, rounds=1, big_mb=(1, 26))
    figures = named(section)
    assert not [n for n in section.notes if n.startswith("WARNING")]
    assert figures["poll wall time (child process)"].ratio
    assert figures["rate"].median > 0
    assert figures["peak RSS, poll process"].median > 10
    assert any(n.startswith("big-mail poll") and "'unreadable': 1" in n for n in section.notes)


def test_rollup_benchmark_reports_summary_and_export_time_and_memory() -> None:
    """A 20-unit roll-up run reports time and peak RSS of both jobs, as commands and children."""
    section = rollup_scale.run([20], rounds=1)
    figures = named(section)
    for job in ("summary", "export"):
        for name in (f"{job}, 20 units", f"mailbot {job} (command), 20 units"):
            assert figures[name].median > 0
            assert figures[f"{name}, peak RSS"].median > 10


def test_markdown_block_names_the_machine_and_each_figure() -> None:
    """The Markdown for RESULTS.md holds the machine facts and every figure line."""
    section = Section("Demo")
    section.figures.append(Figure("x", [1.0, 3.0], floor=1.0))
    text = markdown(machine(), [section], 0.1)
    assert "| nproc |" in text and "| commit |" in text
    assert "x" in text and "ratio 2.00×" in text
