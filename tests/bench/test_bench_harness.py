"""The benchmark harness still runs: a few turns on the real stack, well-formed results.

No speed figure is checked here (the machine is shared and noisy); what is
checked is that the script still matches what the bot says (no wrong
replies), that every figure of the table is there, and that the files are
written. ``make bench`` measures for real.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from launcher.stack import DEFAULT_MODEL, REPO_ROOT

pytestmark = pytest.mark.e2e

LATENCY_KEYS = {
    "turns", "errors", "p50_ms", "p95_ms", "p99_ms", "mean_ms", "max_ms",
    "p50_ms_by_step", "error_examples",
}  # fmt: skip


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    if not DEFAULT_MODEL.exists():
        pytest.fail(f"no trained model at {DEFAULT_MODEL}: run `make model` (make test does)")
    out = tmp_path_factory.mktemp("bench")
    command = [
        sys.executable, "-m", "bench", "--turns", "13", "--concurrency", "1,2",
        "--phase-seconds", "2", "--voice-calls", "2", "--skip-training", "--no-nlu-run",
        "--out", str(out),
    ]  # fmt: skip
    done = subprocess.run(
        command, cwd=REPO_ROOT, env=dict(os.environ), capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return json.loads((out / "bench-custom.json").read_text()), out


def _latency(figures: dict[str, Any], turns: int) -> None:
    assert set(figures) == LATENCY_KEYS
    assert (figures["turns"], figures["errors"], figures["error_examples"]) == (turns, 0, [])
    assert 0 < figures["p50_ms"] <= figures["p95_ms"] <= figures["p99_ms"] <= figures["max_ms"]


def test_one_customer_replays_the_whole_script_through_both_doors(results) -> None:
    result, _ = results
    chat = result["chat"]

    _latency(chat["gateway"], 13)
    _latency(chat["rasa_rest"], 13)
    _latency(chat["gateway_fr"], 13)  # French, beside English
    assert list(chat["gateway"]["p50_ms_by_step"]) == [
        "greet", "identify", "verify", "confirm", "product_info", "alternatives", "cross_sell",
        "quote_request", "quote_date", "order", "order_confirm", "new_phone", "goodbye",
    ]  # fmt: skip
    assert math.isfinite(chat["overhead_p50_percent"])


def test_every_figure_of_the_table_is_there(results) -> None:
    result, _ = results

    assert result["schema"] == 1
    assert result["mode"] == "custom"
    assert [p["concurrency"] for p in result["load"]] == [1, 2]
    for phase in result["load"]:
        assert phase["errors"] == 0, phase["error_examples"]
        assert phase["turns"] > 0
        assert phase["messages_per_s"] > 0
        assert len(phase["load_average"]) == 3
        assert set(phase["cpu_ms_per_turn"]) == {"rasa", "rasa-fr", "actions", "gateway"}
        assert phase["cpu_ms_per_turn"]["rasa"] > 0
    _latency(result["voice"]["incoming"], 2)
    _latency(result["voice"]["gather"], 2)
    assert set(result["memory_mib"]) == {"rasa", "rasa-fr", "actions", "gateway"}
    assert all(mib > 10 for mib in result["memory_mib"].values())
    assert result["startup"]["seconds"] > 0
    assert set(result["startup"]["ready_after_s"]) >= {"actions", "rasa", "gateway"}
    assert "skipped" in result["training"]
    assert "source" in result["nlu"]
    assert {"cpus", "cpu_model", "commit"} <= set(result["machine"])


def test_the_table_and_the_chart_are_written(results) -> None:
    result, out = results
    table = (out / "bench-custom.md").read_text()

    assert table.startswith("| figure | measured | target | |")
    assert "chat turn via the gateway, 1 customer (13 turns)" in table
    assert "load, 2 concurrent customers" in table
    assert f"load average {result['load_average']['start'][0]}" in table
    assert (out / "bench-custom-concurrency.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
