"""The figures of a simulation, ``report.json`` and ``report.md``, and the summary it prints."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.report import percentile

from .run import RunResult

SCHEMA = 1


def _figure(values: Sequence[float], q: float | None = None) -> float | None:
    if not values:
        return None
    value = sum(values) / len(values) if q is None else percentile(values, q)
    return None if math.isnan(value) else round(value, 1)


def summary(results: Sequence[RunResult]) -> dict[str, Any]:
    """Success, turns per task and unwanted writes over every run."""
    won = [r for r in results if r.success]
    turns_won = [float(len(r.turns)) for r in won]
    turns_all = [float(len(r.turns)) for r in results]
    return {
        "runs": len(results),
        "successes": len(won),
        "success_percent": round(100 * len(won) / len(results), 1) if results else 0.0,
        "goal_met": sum(1 for r in results if r.verdict is not None and r.verdict.goal_met),
        "turns_per_task": {"mean": _figure(turns_won), "p90": _figure(turns_won, 90)},
        "turns_per_run": {"mean": _figure(turns_all), "p90": _figure(turns_all, 90)},
        "unwanted_writes": sum(len(r.verdict.unwanted) for r in results if r.verdict is not None),
        "runs_with_unwanted_writes": sum(
            1 for r in results if r.verdict is not None and r.verdict.unwanted
        ),
    }


def by_process(results: Sequence[RunResult]) -> dict[str, dict[str, int]]:
    """Runs and successes per process of PROCESSES.md."""
    table: dict[str, dict[str, int]] = {}
    for result in results:
        row = table.setdefault(result.process, {"runs": 0, "successes": 0})
        row["runs"] += 1
        row["successes"] += int(result.success)
    return dict(sorted(table.items()))


def as_json(result: RunResult) -> dict[str, Any]:
    """One run, for report.json."""
    verdict = result.verdict
    return {
        "scenario": result.scenario,
        "process": result.process,
        "phrasing": result.phrasing,
        "success": result.success,
        "goal_met": bool(verdict and verdict.goal_met),
        "ended": result.ended,
        "turns": len(result.turns),
        "seconds": round(result.seconds, 2),
        "checks": [
            {"expect": c.expectation.describe(), "met": c.met, "why": c.why}
            for c in (verdict.checks if verdict else ())
        ],
        "unwanted": [c.describe() for c in (verdict.unwanted if verdict else ())],
        "transcript": [
            {
                "customer": t.customer,
                "answered": t.answered,
                "bot": list(t.bot),
                "buttons": list(t.buttons),
            }
            for t in result.turns
        ],
    }


def document(results: Sequence[RunResult], *, meta: dict[str, Any]) -> dict[str, Any]:
    """Everything report.json holds."""
    return {
        "schema": SCHEMA,
        **meta,
        "summary": summary(results),
        "by_process": by_process(results),
        "runs": [as_json(r) for r in results],
    }


def _mark(result: RunResult) -> str:
    return f"{'✓' if result.success else '✗'} {len(result.turns)}"


def transcript(result: RunResult) -> list[str]:
    """The conversation as Markdown lines."""
    lines = []
    for turn in result.turns:
        lines.append(f"- **customer** ({turn.answered}): {turn.customer}")
        for text in turn.bot:
            lines.append(f"  - bot: {' / '.join(text.splitlines())}")
        if turn.buttons:
            lines.append(f"  - buttons: {' | '.join(turn.buttons)}")
        if turn.handed_off:
            lines.append("  - *(handed off)*")
    return lines


def markdown(results: Sequence[RunResult], *, meta: dict[str, Any]) -> str:
    """report.md: the summary, the table per scenario, the unwanted writes, failed transcripts."""
    figures = summary(results)
    task, run = figures["turns_per_task"], figures["turns_per_run"]
    out = [
        "# Conversation simulator (make converse)",
        "",
        f"{meta.get('started_at', '')}, commit {meta.get('commit') or '?'}, "
        f"model {meta.get('model', '?')}.",
        "",
        "| figure | value |",
        "| --- | --- |",
        f"| task success | {figures['successes']} of {figures['runs']} runs, "
        f"**{figures['success_percent']} %** |",
        f"| goal met in the CRM (unwanted writes or not) | {figures['goal_met']} |",
        f"| turns per successful task | mean {task['mean']}, p90 {task['p90']} |",
        f"| turns per run (all) | mean {run['mean']}, p90 {run['p90']} |",
        f"| unwanted writes | {figures['unwanted_writes']} "
        f"in {figures['runs_with_unwanted_writes']} runs |",
        "",
        "## Per process",
        "",
        "| process | success |",
        "| --- | --- |",
    ]
    out += [
        f"| {p} | {row['successes']} / {row['runs']} |" for p, row in by_process(results).items()
    ]
    out += [
        "",
        "## Per scenario (✓/✗ and turns, per phrasing)",
        "",
        "| scenario | process | runs | why not |",
    ]
    out += ["| --- | --- | --- | --- |"]
    scenarios: dict[str, list[RunResult]] = {}
    for result in results:
        scenarios.setdefault(result.scenario, []).append(result)
    for name, runs in scenarios.items():
        marks = " · ".join(f"#{r.phrasing} {_mark(r)}" for r in runs)
        whys = "; ".join(f"#{r.phrasing}: {_why(r)}" for r in runs if not r.success)
        out.append(f"| {name} | {runs[0].process} | {marks} | {whys} |")
    unwanted = [(r, c) for r in results if r.verdict is not None for c in r.verdict.unwanted]
    out += ["", "## Unwanted writes", ""]
    out += [f"- {r.label}: {c.describe()}" for r, c in unwanted] or ["None."]
    failed = [r for r in results if not r.success]
    out += ["", "## Transcripts of the failed runs", ""]
    for result in failed:
        out += [
            "<details>",
            f"<summary>{result.label}: {_why(result)}</summary>",
            "",
            f"Goal: {result.goal}",
            "",
            *transcript(result),
            "",
            "</details>",
            "",
        ]
    if not failed:
        out.append("None.")
    return "\n".join(out) + "\n"


def _why(result: RunResult) -> str:
    verdict = result.verdict
    if verdict is None:
        return result.ended
    reasons = [f"{c.expectation.kind}: {c.why}" for c in verdict.checks if not c.met]
    if verdict.unwanted:
        reasons.append(f"{len(verdict.unwanted)} unwanted write(s)")
    return f"{result.ended}; " + "; ".join(reasons) if reasons else result.ended


def write(results: Sequence[RunResult], out: Path, *, meta: dict[str, Any]) -> tuple[Path, Path]:
    """Write report.json and report.md into ``out``; their paths."""
    out.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out / "report.json", out / "report.md"
    json_path.write_text(
        json.dumps(document(results, meta=meta), indent=2, ensure_ascii=False) + "\n"
    )
    md_path.write_text(markdown(results, meta=meta), encoding="utf-8")
    return json_path, md_path


def printed(results: Sequence[RunResult]) -> str:
    """The summary printed at the end."""
    figures = summary(results)
    task = figures["turns_per_task"]
    lines = [
        f"task success: {figures['successes']}/{figures['runs']} = {figures['success_percent']} %",
        f"turns per successful task: mean {task['mean']}, p90 {task['p90']}",
        f"unwanted writes: {figures['unwanted_writes']} "
        f"in {figures['runs_with_unwanted_writes']} runs",
    ]
    lines += [f"  {p}: {row['successes']}/{row['runs']}" for p, row in by_process(results).items()]
    return "\n".join(lines)


def now() -> str:
    """The moment, for the report."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
