"""make stories on the really trained bot: one story passes, one deliberately wrong story fails,
and the report names the turn where the bot did something else."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from launcher.stack import DEFAULT_MODEL, REPO_ROOT

STORIES = textwrap.dedent(
    """\
    version: "3.1"
    stories:
    - story: an outbound call, not a good time
      steps:
      - slot_was_set:
        - outbound_call: true
      - intent: greet
      - action: utter_outbound_greeting
      - user: |
          no thanks
        intent: deny
      - action: action_book_campaign_callback
      - action: utter_book_campaign_callback_result
      - action: action_close_interaction
      - slot_was_set:
        - satisfaction_due: false
      - action: utter_close_interaction_result
    - story: deliberately wrong, the offer expected after a no
      steps:
      - slot_was_set:
        - outbound_call: true
      - intent: greet
      - action: utter_outbound_greeting
      - user: |
          no thanks
        intent: deny
      - action: action_present_offer
    """
)


def test_one_pass_and_one_failure_naming_the_diverging_turn(tmp_path: Path) -> None:
    if not DEFAULT_MODEL.exists():
        pytest.fail(f"no trained model at {DEFAULT_MODEL}: run `make model` (make test does)")
    stories = tmp_path / "test_new_campaign.yml"
    stories.write_text(STORIES, encoding="utf-8")
    out = tmp_path / "report"

    done = subprocess.run(
        [sys.executable, "-m", "storylab", "stories", str(stories), "--out", str(out)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )

    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 passed, 1 failed" in done.stdout
    report = (out / "report.md").read_text(encoding="utf-8")
    assert f"| an outbound call, not a good time | {stories}:3 | passed |" in report
    assert (
        f"| deliberately wrong, the offer expected after a no | {stories}:18 "
        "| **failed** at turn 2 |" in report
    )
    assert '- At turn 2, after the customer said "no thanks" (`deny`):' in report
    assert "- Expected: `action_present_offer`." in report
    assert "- What happened: the bot did `action_book_campaign_callback`." in report
    assert "- Story line 27." in report
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "failed at turn 2" in page
