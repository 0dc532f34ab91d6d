"""The harness's own parts, without the stack: percentiles, checks of replies, the table."""

from __future__ import annotations

import json
from pathlib import Path

from bench.drivers import TurnRecord
from bench.report import latency, markdown, percentile
from bench.script import Customer, Step, conversation, missing
from bench.training import EDIT, change_one_response

PIERRE = Customer(
    name="Pierre Moreau",
    email="pierre.moreau@example.fr",
    postcode="69002",
    phone="+33612345678",
    new_phone="+33698765432",
)


def test_percentiles_interpolate_between_ranks() -> None:
    values = [0.4, 0.1, 0.3, 0.2]

    assert [percentile(values, q) for q in (0, 50, 100)] == [0.1, 0.25, 0.4]


def test_latency_counts_errors_and_names_the_first_ones() -> None:
    records = [
        TurnRecord(step="greet", seconds=0.1, ok=True),
        TurnRecord(step="greet", seconds=0.3, ok=False, error="HTTP 500"),
    ]

    figures = latency(records)

    assert figures == {
        "turns": 2,
        "errors": 1,
        "p50_ms": 200.0,
        "p95_ms": 290.0,
        "p99_ms": 298.0,
        "mean_ms": 200.0,
        "max_ms": 300.0,
        "p50_ms_by_step": {"greet": 200.0},
        "error_examples": ["greet: HTTP 500"],
    }


def test_a_reply_is_wrong_without_every_expected_piece() -> None:
    step = Step("order", "…", ("1 358,00 €", "Shall I place it?"))

    assert missing(step, ["Total 1\u202f358,00 €,", "Shall I place it?"]) is None
    assert missing(step, ["Total 1 358,00 €. Shall I?"]) == "Shall I place it?"


def test_the_script_covers_every_step_of_the_inbound_contact() -> None:
    steps = conversation(PIERRE)

    assert [s.name for s in steps] == [
        "greet", "identify", "verify", "confirm", "product_info", "alternatives", "cross_sell",
        "quote_request", "quote_date", "order", "order_confirm", "new_phone", "goodbye",
    ]  # fmt: skip
    assert steps[2].expect == ("Am I speaking with Pierre Moreau?",)
    assert steps[11].text == "My new phone number is +33698765432"


def test_one_response_changes_and_nothing_else(tmp_path: Path) -> None:
    domain = tmp_path / "products.yml"
    domain.write_text(
        'intents:\n  - greet\nresponses:\n  utter_greet:\n    - text: "Hello!"\n'
        "  utter_bye:\n    - text: Bye\n"
    )

    line = change_one_response(domain)

    assert line == f'- text: "{EDIT}Hello!"'
    assert domain.read_text() == (
        f'intents:\n  - greet\nresponses:\n  utter_greet:\n    - text: "{EDIT}Hello!"\n'
        "  utter_bye:\n    - text: Bye\n"
    )


def test_the_table_shows_each_figure_against_its_target() -> None:
    result = json.loads((Path(__file__).parent / "sample_result.json").read_text())

    table = markdown(result)

    assert "| NLU held-out intent macro F1 | 0.972 | ≥ 0.95 | met |" in table
    assert "| gateway overhead over Rasa alone, at the median | 9.2 % | ≤ 25 % | met |" in table
    assert (
        "| training every language at once, cold | 231 s (en 118 s, fr 114 s) | ≤ 300 s | met |"
        in table
    )
    assert "load average 4.48 at the start, 3.31 at the end" in table


def _long(turn_1: float, turn_4: float, turn_40: float) -> dict[str, object]:
    totals = [turn_1, 30.0, 30.0, turn_4, *([35.0] * 35), turn_40]
    return {
        "turns": 40,
        "conversations": 3,
        "errors": 0,
        "error_examples": [],
        "cpu_ms_by_turn": [{"rasa": t - 10, "actions": 5.0, "gateway": 5.0} for t in totals],
        "total_ms_by_turn": totals,
        "turn_1_ms": turn_1,
        "turn_4_ms": turn_4,
        "turn_40_ms": turn_40,
        "ratio_40_to_1": round(turn_40 / turn_1, 2),
        "ratio_40_to_4": round(turn_40 / turn_4, 2),
    }


def test_the_table_shows_cpu_per_turn_of_the_load_phases_and_of_a_long_conversation() -> None:
    result = json.loads((Path(__file__).parent / "sample_result.json").read_text())
    result["long"] = _long(50.0, 45.0, 55.0)
    for phase, cpu in zip(result["load"], (40.0, 52.0, 61.0), strict=False):
        phase["cpu_ms_per_turn"] = {"rasa": cpu - 10, "actions": 5.0, "gateway": 5.0}

    table = markdown(result)

    assert "(all 52.0 ms)" in table
    assert "load phases | 40.0 to 61.0 ms | ≤ 55 ms | missed |" in table
    assert "turn 40 / turn 1 1.10, / turn 4 1.22; 0 errors" in table
    assert "| turn 40 ≤ 1.2 x turn 1 | met |" in table
    assert "turn 40 55.0 ms (rasa 45.0, actions 5.0, gateway 5.0)" in table


def test_a_long_conversation_that_costs_more_each_turn_misses_its_target() -> None:
    result = json.loads((Path(__file__).parent / "sample_result.json").read_text())
    result["long"] = _long(50.0, 45.0, 61.0)

    assert "| turn 40 ≤ 1.2 x turn 1 | missed |" in markdown(result)


def test_results_from_before_the_long_conversation_still_make_a_table() -> None:
    result = json.loads((Path(__file__).parent / "sample_result.json").read_text())

    assert "one 40-turn conversation" not in markdown(result)
