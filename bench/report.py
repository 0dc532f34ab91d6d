"""Figures from records: percentiles, the targets of issue 7, the Markdown table, the chart."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .drivers import Phase, TurnRecord

SCHEMA = 1


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100), interpolated between the closest ranks."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def latency(records: Sequence[TurnRecord]) -> dict[str, Any]:
    """Turns, errors and percentiles (ms) of the answered turns; the first errors as examples."""
    seconds = [r.seconds for r in records]
    errors = [r for r in records if not r.ok]
    by_step: dict[str, list[float]] = {}
    for record in records:
        by_step.setdefault(record.step, []).append(record.seconds)
    return {
        "turns": len(records),
        "errors": len(errors),
        "p50_ms": _ms(percentile(seconds, 50)),
        "p95_ms": _ms(percentile(seconds, 95)),
        "p99_ms": _ms(percentile(seconds, 99)),
        "mean_ms": _ms(sum(seconds) / len(seconds)) if seconds else None,
        "max_ms": _ms(max(seconds)) if seconds else None,
        "p50_ms_by_step": {step: _ms(percentile(v, 50)) for step, v in by_step.items()},
        "error_examples": sorted({f"{r.step}: {r.error}" for r in errors})[:5],
    }


def phase(
    result: Phase, load_average: list[float], cpu_seconds: dict[str, float]
) -> dict[str, Any]:
    """A load phase: throughput of correct answers over its whole time, latency, errors.

    ``cpu_seconds`` is what each process used during the phase; per turn, it
    shows where the work goes whatever else runs on the machine.
    """
    ok = sum(1 for r in result.records if r.ok)
    turns = len(result.records)
    return {
        "concurrency": result.concurrency,
        "seconds": round(result.seconds, 1),
        "conversations": result.conversations,
        "messages_per_s": round(ok / result.seconds, 1) if result.seconds else 0.0,
        "load_average": load_average,
        "cpu_ms_per_turn": {
            name: round(1000 * used / turns, 1) if turns else None
            for name, used in cpu_seconds.items()
        },
        **latency(result.records),
    }


def _total(cpu: dict[str, float | None]) -> float | None:
    values = list(cpu.values())
    return None if any(v is None for v in values) else round(sum(v or 0.0 for v in values), 1)


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _long_rows(long: dict[str, Any] | None) -> list[tuple[str, str, str, str]]:
    """Turn 1 against turn 40 of one long conversation (bench/long.py); none in older results."""
    if not long:
        return []
    by_turn = long["cpu_ms_by_turn"]

    def turn(number: int) -> str:
        if len(by_turn) < number:
            return "-"
        parts = ", ".join(f"{k} {_fmt(v)}" for k, v in by_turn[number - 1].items())
        return f"turn {number} {_fmt(long['total_ms_by_turn'][number - 1])} ms ({parts})"

    ratio = long.get("ratio_40_to_1")
    return [(
        f"CPU per turn, all processes, one {long['turns']}-turn conversation "
        f"({long['conversations']} runs, same message on turns 1, 4, … 40)",
        f"{turn(1)}; {turn(4)}; {turn(40)}; turn 40 / turn 1 {_ratio(ratio)}, "
        f"/ turn 4 {_ratio(long.get('ratio_40_to_4'))}; {long['errors']} errors",
        "turn 40 ≤ 1.2 x turn 1",
        _met(_le(ratio, 1.2)),
    )]  # fmt: skip


def _relay_rows(
    relay: dict[str, Any] | None, gather: dict[str, Any]
) -> list[tuple[str, str, str, str]]:
    """The ConversationRelay door beside the <Gather> one (bench/relay.py); none in older results.

    On the <Gather> door the first word and the whole answer come in one TwiML document.
    """
    if not relay:
        return []
    first, whole, greeting = relay["first_text"], relay["whole"], relay["greeting_first_text"]

    def figures(v: dict[str, Any]) -> str:
        return f"p50 {_fmt(v['p50_ms'])} ms, p95 {_fmt(v['p95_ms'])} ms, {v['errors']} errors"

    return [
        (
            f"ConversationRelay time to first answer text ({first['turns']} calls)",
            f"{figures(first)} (<Gather> door, the whole TwiML: p50 {_fmt(gather['p50_ms'])} ms, "
            f"p95 {_fmt(gather['p95_ms'])} ms)",
            "p95 ≤ 150 ms",
            _met(_le(first["p95_ms"], 150)),
        ),
        (
            f"ConversationRelay time to the whole answer ({whole['turns']} calls)",
            figures(whole), "(beside the first text)", "-",
        ),
        (
            f"ConversationRelay greeting, setup to first text ({greeting['turns']} calls)",
            figures(greeting), "(beside POST /twilio/voice)", "-",
        ),
    ]  # fmt: skip


def _cpu_rows(loads: list[dict[str, Any]]) -> list[tuple[str, str, str, str]]:
    """The CPU every process used per turn, at the load phase that used the most."""
    totals = [t for t in (_total(load["cpu_ms_per_turn"]) for load in loads) if t is not None]
    if not totals:
        return []
    worst = max(totals)
    return [(
        "CPU per turn, all processes (Rasa, action server, gateway), load phases",
        f"{_fmt(min(totals))} to {_fmt(worst)} ms",
        "≤ 55 ms",
        _met(_le(worst, 55)),
    )]  # fmt: skip


def _fmt(value: Any, unit: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, float):
        value = f"{value:.0f}" if abs(value) >= 100 else f"{value:.1f}"
    return f"{value}{unit}"


def _met(ok: bool | None) -> str:
    return "-" if ok is None else ("met" if ok else "missed")


def _le(value: Any, limit: float) -> bool | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return bool(value <= limit)


def rows(result: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """The table: figure, measured, target, met or not."""
    table: list[tuple[str, str, str, str]] = []
    chat = result["chat"]
    gateway, rest = chat["gateway"], chat["rasa_rest"]
    table.append((
        f"chat turn via the gateway, 1 customer ({gateway['turns']} turns)",
        f"p50 {_fmt(gateway['p50_ms'])} ms, p95 {_fmt(gateway['p95_ms'])} ms, "
        f"p99 {_fmt(gateway['p99_ms'])} ms, {gateway['errors']} errors",
        "p50 ≤ 60 ms, p95 ≤ 120 ms",
        _met(_both(_le(gateway["p50_ms"], 60), _le(gateway["p95_ms"], 120))),
    ))  # fmt: skip
    for name, other in sorted(chat.items()):
        if not name.startswith("gateway_"):
            continue
        table.append((
            f"the same in {name.removeprefix('gateway_')} via the gateway ({other['turns']} turns)",
            f"p50 {_fmt(other['p50_ms'])} ms, p95 {_fmt(other['p95_ms'])} ms, "
            f"p99 {_fmt(other['p99_ms'])} ms, {other['errors']} errors",
            "p50 ≤ 60 ms, p95 ≤ 120 ms",
            _met(_both(_le(other["p50_ms"], 60), _le(other["p95_ms"], 120))),
        ))  # fmt: skip
    table.append((
        f"same script on Rasa's REST channel alone ({rest['turns']} turns)",
        f"p50 {_fmt(rest['p50_ms'])} ms, p95 {_fmt(rest['p95_ms'])} ms, "
        f"p99 {_fmt(rest['p99_ms'])} ms, {rest['errors']} errors",
        "(baseline)",
        "-",
    ))  # fmt: skip
    overhead = chat.get("overhead_p50_percent")
    table.append((
        "gateway overhead over Rasa alone, at the median",
        _fmt(overhead, " %"), "≤ 25 %", _met(_le(overhead, 25)),
    ))  # fmt: skip
    for load in result["load"]:
        top = load["concurrency"] == max(x["concurrency"] for x in result["load"])
        table.append((
            f"load, {load['concurrency']} concurrent customers, {load['seconds']:.0f} s "
            f"(load avg {load['load_average'][0]})",
            f"{_fmt(load['messages_per_s'])} msg/s, p95 {_fmt(load['p95_ms'])} ms, "
            f"{load['errors']} errors / {load['turns']}; CPU per turn: "
            + ", ".join(f"{k} {_fmt(v)} ms" for k, v in load["cpu_ms_per_turn"].items())
            + f" (all {_fmt(_total(load['cpu_ms_per_turn']))} ms)",
            "≥ 40 msg/s, 0 errors, p95 ≤ 1.5 s" if top else "",
            _met(
                _both(
                    load["messages_per_s"] >= 40, load["errors"] == 0, _le(load["p95_ms"], 1500)
                )
            )
            if top
            else "",
        ))  # fmt: skip
    table += _cpu_rows(result["load"])
    table += _long_rows(result.get("long"))
    voice = result["voice"]
    for kind, label in (
        ("incoming", "POST /twilio/voice"),
        ("gather", "POST /twilio/voice/gather"),
    ):
        v = voice[kind]
        table.append((
            f"voice webhook, {label} ({v['turns']} calls)",
            f"p50 {_fmt(v['p50_ms'])} ms, p95 {_fmt(v['p95_ms'])} ms, {v['errors']} errors",
            "p95 ≤ 150 ms",
            _met(_le(v["p95_ms"], 150)),
        ))  # fmt: skip
    table += _relay_rows(result.get("relay"), voice["gather"])
    training = result["training"]
    if training.get("skipped"):
        table.append(("training", f"skipped: {training['skipped']}", "≤ 5 min; ≤ 60 s", "-"))
    else:
        each = ", ".join(
            f"{lang} {_fmt(s, ' s')}"
            for lang, s in (training.get("cold_by_language_s") or {}).items()
        )
        cold = _fmt(training["cold_s"], " s")
        table.append((
            "training every language at once, cold", f"{cold} ({each})" if each else cold,
            "≤ 300 s", _met(_le(training["cold_s"], 300)),
        ))  # fmt: skip
        table.append((
            "training after one response's words changed", _fmt(training["changed_s"], " s"),
            "≤ 60 s", _met(_le(training["changed_s"], 60)),
        ))  # fmt: skip
    startup = result["startup"]["seconds"]
    each = ", ".join(f"{k} {_fmt(v)} s" for k, v in result["startup"]["ready_after_s"].items())
    table.append((
        "start-up to /healthz 200", f"{_fmt(startup, ' s')} ({each})", "≤ 30 s",
        _met(_le(startup, 30)),
    ))  # fmt: skip
    mem = result["memory_mib"]
    apps = round(mem.get("gateway", 0) + mem.get("actions", 0), 1)
    table.append((
        "memory after load: Rasa", _fmt(mem.get("rasa"), " MiB"), "≤ 1 GB",
        _met(_le(mem.get("rasa"), 1000 * 1000**2 / 1024**2)),
    ))  # fmt: skip
    servers = {name: mib for name, mib in mem.items() if name.startswith("rasa")}
    if len(servers) > 1:
        each = " + ".join(f"{name} {_fmt(mib)}" for name, mib in servers.items())
        together = round(sum(servers.values()), 1)
        table.append((
            "memory after load: every language's Rasa", f"{_fmt(together)} MiB ({each})",
            "≤ 1.8 GB", _met(_le(together, 1800 * 1000**2 / 1024**2)),
        ))  # fmt: skip
    table.append((
        "memory after load: gateway + action server",
        f"{_fmt(apps)} MiB ({_fmt(mem.get('gateway'))} + {_fmt(mem.get('actions'))})",
        "≤ 300 MB", _met(_le(apps, 300 * 1000**2 / 1024**2)),
    ))  # fmt: skip
    nlu = result["nlu"]
    table.append((
        "NLU held-out intent macro F1",
        "-" if nlu.get("macro_f1") is None else f"{nlu['macro_f1']:.3f}", "≥ 0.95",
        _met(None if nlu.get("macro_f1") is None else nlu["macro_f1"] >= 0.95),
    ))  # fmt: skip
    return table


def _both(*checks: bool | None) -> bool | None:
    if any(c is None for c in checks):
        return None
    return all(checks)


def markdown(result: dict[str, Any]) -> str:
    """The table of a run, with the machine and its load under it."""
    lines = ["| figure | measured | target | |", "| --- | --- | --- | --- |"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows(result)]
    m = result["machine"]
    la = result["load_average"]
    lines += [
        "",
        f"{result['mode']} run of {result['started_at']} at commit {m['commit']}: "
        f"{m['cpus']} x {m['cpu_model']}, {m['memory_gib']} GiB; load average "
        f"{la['start'][0]} at the start, {la['end'][0]} at the end (1 min). "
        f"NLU F1 from {result['nlu']['source']}.",
    ]
    return "\n".join(lines)


def chart(result: dict[str, Any], path: Path) -> None:
    """Latency (p50, p95) and throughput against concurrency, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    loads = result["load"]
    x = [p["concurrency"] for p in loads]
    fig, latency_axis = plt.subplots(figsize=(7, 4.2), dpi=110)
    latency_axis.plot(x, [p["p50_ms"] for p in loads], "o-", label="p50 latency")
    latency_axis.plot(x, [p["p95_ms"] for p in loads], "s-", label="p95 latency")
    latency_axis.set_xlabel("concurrent customers")
    latency_axis.set_ylabel("chat turn latency via the gateway (ms)")
    latency_axis.set_xscale("log")
    latency_axis.set_xticks(x, [str(c) for c in x])
    latency_axis.grid(True, which="major", alpha=0.3)
    rate_axis = latency_axis.twinx()
    rate_axis.plot(
        x, [p["messages_per_s"] for p in loads], "^--", color="tab:green", label="messages/s"
    )
    rate_axis.set_ylabel("messages per second")
    rate_axis.set_ylim(bottom=0)
    handles = latency_axis.get_legend_handles_labels()
    more = rate_axis.get_legend_handles_labels()
    latency_axis.legend(handles[0] + more[0], handles[1] + more[1], loc="upper left")
    la = result["load_average"]["end"][0]
    latency_axis.set_title(
        f"icbot {result['mode']} bench, {result['started_at'][:16]} (load avg {la})"
    )
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
