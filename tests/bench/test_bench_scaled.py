"""bench.scaled's page: each phase, and two servers' throughput against one's."""

from __future__ import annotations

from bench.scaled import markdown


def _phase(servers: int, rate: float, errors: int = 0, round_: int = 1) -> dict[str, object]:
    return {
        "round": round_,
        "servers": servers,
        "concurrency": 50,
        "messages_per_s": rate,
        "errors": errors,
        "turns": 1000,
        "p50_ms": 900.0,
        "p95_ms": 2000.0,
        "cpu_ms_per_turn": {"rasa-1": 30.0, "gateway": 8.0},
        "memory_mib": {"rasa-1": 640.0, "gateway": 110.0},
    }


def test_two_servers_are_compared_with_one():
    page = markdown([_phase(1, 20.0), _phase(2, 27.0)], commit="abc1234")
    assert (
        "2 servers: **1.35x** one server's throughput, the median of 1 round(s) (1.35x; "
        "target ≥ 1.3x with 0 errors: met)" in page
    )
    assert (
        "| 1 | 2 | 50 | 27.0 | 0 / 1000 | 900.0 ms | 2000.0 ms | **38.0**: rasa-1 30.0, "
        "gateway 8.0 |" in page
    )
    assert "rasa-1 640.0 MiB" in page
    assert "gateway 110.0 MiB" not in page


def test_errors_or_too_little_gain_miss_the_target():
    assert "missed" in markdown([_phase(1, 20.0), _phase(2, 25.0)], commit=None)
    assert "missed" in markdown([_phase(1, 20.0), _phase(2, 30.0, errors=3)], commit=None)


def test_the_median_of_the_rounds_is_the_result():
    """A round on a machine slowed for a minute neither makes nor breaks the result."""
    rounds = [(20.0, 27.0), (17.0, 26.0), (21.0, 24.0)]  # 1.35x, 1.53x, 1.14x
    phases = [
        _phase(servers, rate, round_=r)
        for r, pair in enumerate(rounds, start=1)
        for servers, rate in zip((1, 2), pair, strict=True)
    ]

    page = markdown(phases, commit=None)

    assert "**1.35x** one server's throughput, the median of 3 round(s)" in page
    assert "(1.35x, 1.53x, 1.14x; target ≥ 1.3x with 0 errors: met)" in page
    assert "missed" in markdown([*phases, _phase(2, 40.0, errors=1, round_=4)], commit=None)
