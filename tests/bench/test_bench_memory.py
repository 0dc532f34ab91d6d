"""bench.memory's verdict: growth from the warm checkpoint to the last, errors counted."""

from __future__ import annotations

import pytest

from bench.memory import MemoryRun, Sample, report


def _run(*rss: float, errors: int = 0) -> MemoryRun:
    run = MemoryRun(conversations=300, messages=("hello",), concurrency=2, warm_up=100)
    run.samples = [Sample(n * 100, n * 10.0, mib, 0.1 * n) for n, mib in enumerate(rss)]
    run.errors = errors
    return run


def test_growth_is_measured_from_the_warm_checkpoint_not_the_cold_start():
    # 600 MiB cold, 700 once warm, 735 at the end: +5 %, not +22.5 %.
    assert _run(600, 700, 720, 735).growth() == pytest.approx(0.05)


def test_the_page_says_met_or_missed():
    assert "**+5.0%** (target ±10%: met)" in report(_run(600, 700, 720, 735))
    assert "**+20.0%** (target ±10%: missed)" in report(_run(600, 700, 800, 840))
    assert "0 errors" in report(_run(600, 700))
