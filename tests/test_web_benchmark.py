"""A tiny run of the console benchmark, so it never rots: it runs and reports; no timing."""

from __future__ import annotations

import pytest

from benchmarks import web_overview

pytestmark = pytest.mark.servers  # a uvicorn server on a loopback port


def test_overview_benchmark_reports_both_figures_for_a_small_roster() -> None:
    """20 units, 2 requests: both figures are there with their samples and the page size."""
    section = web_overview.run(units=20, requests=2, warmup=1)
    assert [(f.name, len(f.samples)) for f in section.figures] == [
        ("GET /, data changed before each request", 2),
        ("GET /, data unchanged", 2),
    ]
    assert section.notes[0].startswith("page size ")
