"""The report's figures, its Markdown and JSON, and the command line's refusals."""

from __future__ import annotations

import json

from converse import report
from converse.__main__ import main
from converse.crm import Change
from converse.outcomes import Check, Verdict
from converse.run import RunResult, Turn
from converse.scenario import Expectation

ORDER = Expectation(kind="order", fields={"lines": {"NOV-14": 1}})
EXTRA = Change(table="preferences", kind="added", id=7, row={"id": 7, "value": "sms"})


def run(name: str, phrasing: int, turns: int, *, met: bool, unwanted=()) -> RunResult:
    result = RunResult(scenario=name, process="order", phrasing=phrasing, goal="Buy a Nova 14.")
    result.ended = "goal met" if met else "turn limit"
    result.turns = [Turn(f"message {i}", answered="open", bot=("ok",)) for i in range(turns)]
    why = "" if met else "no such order; orders of this run: none"
    result.verdict = Verdict(checks=(Check(ORDER, met=met, why=why),), unwanted=tuple(unwanted))
    return result


RESULTS = [
    run("buy", 1, 4, met=True),
    run("buy", 2, 6, met=True),
    run("buy", 3, 14, met=False),
    run("sms", 1, 3, met=True, unwanted=[EXTRA]),
]


def test_the_summary_counts_success_turns_and_unwanted_writes():
    assert report.summary(RESULTS) == {
        "runs": 4,
        "successes": 2,
        "success_percent": 50.0,
        "goal_met": 3,
        "turns_per_task": {"mean": 5.0, "p90": 5.8},
        "turns_per_run": {"mean": 6.8, "p90": 11.6},
        "unwanted_writes": 1,
        "runs_with_unwanted_writes": 1,
    }
    assert report.by_process(RESULTS) == {"order": {"runs": 4, "successes": 2}}


def test_the_markdown_has_the_table_the_unwanted_writes_and_the_failed_transcripts():
    text = report.markdown(RESULTS, meta={"started_at": "now", "commit": "abc1234"})

    assert "| task success | 2 of 4 runs, **50.0 %** |" in text
    assert "| buy | order | #1 ✓ 4 · #2 ✓ 6 · #3 ✗ 14 |" in text
    assert "#3: turn limit; order: no such order; orders of this run: none" in text
    assert "- sms #1: preferences #7 added {'id': 7, 'value': 'sms'}" in text
    assert "<summary>buy #3: turn limit" in text
    assert "<summary>sms #1: goal met; 1 unwanted write(s)</summary>" in text
    assert "<summary>buy #1" not in text
    assert "- **customer** (open): message 0" in text


def test_the_files_are_written(tmp_path):
    json_path, md_path = report.write(RESULTS, tmp_path / "out", meta={"commit": "abc1234"})

    data = json.loads(json_path.read_text())
    assert data["summary"]["success_percent"] == 50.0
    assert data["commit"] == "abc1234"
    assert [r["success"] for r in data["runs"]] == [True, True, False, False]
    assert data["runs"][3]["unwanted"] == ["preferences #7 added {'id': 7, 'value': 'sms'}"]
    assert md_path.read_text().startswith("# Conversation simulator")


def test_the_command_refuses_an_unknown_scenario_or_phrasing_before_starting_anything(capsys):
    assert main(["--scenario", "no_such_scenario"]) == 2
    assert "no scenario named no_such_scenario" in capsys.readouterr().err
    assert main(["--phrasing", "9"]) == 2
    assert "no scenario has a phrasing 9" in capsys.readouterr().err


def test_a_broken_scenario_folder_stops_the_command(tmp_path, capsys):
    (tmp_path / "bad.yml").write_text("name: bad\n", encoding="utf-8")

    assert main(["--scenarios", str(tmp_path)]) == 2
    assert capsys.readouterr().err.startswith("converse: bad.yml: process")
