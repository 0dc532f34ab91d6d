"""The ConversationRelay rows of the bench's table, without the stack."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.drivers import TurnRecord
from bench.report import latency, rows

SAMPLE = Path(__file__).with_name("sample_result.json")


def _relay(first: list[float], whole: list[float]) -> dict[str, Any]:
    def records(step: str, seconds: list[float]) -> list[TurnRecord]:
        return [TurnRecord(step=step, seconds=s, ok=True) for s in seconds]

    return {
        "greeting_first_text": latency(records("greeting", [0.05, 0.07])),
        "first_text": latency(records("first_text", first)),
        "whole": latency(records("whole", whole)),
    }


def test_the_relay_rows_stand_beside_the_gather_door() -> None:
    result = json.loads(SAMPLE.read_text())
    result["relay"] = _relay([0.04, 0.06, 0.2], [0.05, 0.07, 0.21])

    relay_rows = [row for row in rows(result) if row[0].startswith("ConversationRelay")]

    gather = result["voice"]["gather"]
    assert relay_rows == [
        (
            "ConversationRelay time to first answer text (3 calls)",
            "p50 60.0 ms, p95 186 ms, 0 errors (<Gather> door, the whole TwiML: "
            f"p50 {_ms(gather['p50_ms'])} ms, p95 {_ms(gather['p95_ms'])} ms)",
            "p95 ≤ 150 ms",
            "missed",
        ),
        (
            "ConversationRelay time to the whole answer (3 calls)",
            "p50 70.0 ms, p95 196 ms, 0 errors",
            "(beside the first text)",
            "-",
        ),
        (
            "ConversationRelay greeting, setup to first text (2 calls)",
            "p50 60.0 ms, p95 69.0 ms, 0 errors",
            "(beside POST /twilio/voice)",
            "-",
        ),
    ]


def test_a_result_from_before_the_relay_door_has_no_relay_rows() -> None:
    result = json.loads(SAMPLE.read_text())

    assert not [row for row in rows(result) if row[0].startswith("ConversationRelay")]


def _ms(value: float) -> str:
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}"
