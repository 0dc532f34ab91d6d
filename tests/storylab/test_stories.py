"""make stories: story files played by Rasa, read back into a report of passes and failures."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from storylab.report import html_report, markdown
from storylab.stories import (
    Divergence,
    Report,
    StoryResult,
    StoryRunError,
    divergence,
    played_stories,
    run_by_language,
    run_stories,
    story_files,
    story_language,
    written_stories,
)

STORIES = textwrap.dedent(
    """\
    version: "3.1"
    stories:
    - story: greeting works
      steps:
      - user: |
          hello
        intent: greet
      - action: utter_greet
    - story: deliberately wrong
      steps:
      - user: |
          hello
        intent: greet
      - action: utter_greet
      - user: |
          thanks a [lot](quantity)
        intent: thank
      - action: utter_help
      - user: |
          bye
        intent: goodbye
      - action: action_close_interaction
    """
)
# What Rasa 3.6 writes for these stories (rasa test core --e2e --successes).
FAILED = """\
version: "3.1"
stories:
- story: deliberately wrong ({path})
  steps:
  - intent: greet
  - action: utter_greet
  - intent: thank
  - action: utter_help  # predicted: utter_you_are_welcome
  - action: action_listen  # predicted: action_clarify
  - intent: goodbye
  - action: action_close_interaction
  - action: action_listen  # predicted: utter_close_interaction_result
"""
SUCCEEDED = """\
version: "3.1"
stories:
- story: greeting works ({path})
  steps:
  - intent: greet
  - action: utter_greet
"""
FAKE_RASA = """\
import pathlib, sys
args = sys.argv[1:]
staging = pathlib.Path(args[args.index("--stories") + 1])
out = pathlib.Path(args[args.index("--out") + 1])
[staged] = sorted(staging.glob("test_*.yml"))
(out / "failed_test_stories.yml").write_text({failed!r}.format(path=staged))
(out / "successful_test_stories.yml").write_text({succeeded!r}.format(path=staged))
(out / "args.txt").write_text(" ".join(args))
"""


@pytest.fixture
def story_file(tmp_path: Path) -> Path:
    path = tmp_path / "my_stories.yml"
    path.write_text(STORIES, encoding="utf-8")
    return path


@pytest.fixture
def fake_rasa(tmp_path: Path) -> Path:
    script = tmp_path / "fake_rasa.py"
    script.write_text(FAKE_RASA.format(failed=FAILED, succeeded=SUCCEEDED), encoding="utf-8")
    rasa = tmp_path / "rasa"
    rasa.write_text(f'#!/bin/sh\nexec {sys.executable} {script} "$@"\n', encoding="utf-8")
    rasa.chmod(0o755)
    return rasa


def test_one_story_passes_and_one_fails_at_the_turn_where_the_bot_did_something_else(
    story_file, fake_rasa, tmp_path
):
    model = tmp_path / "model.tar.gz"
    model.write_bytes(b"model")
    out = tmp_path / "report"

    report = run_stories([story_file], model=model, out=out, rasa=fake_rasa)

    assert [(s.name, s.passed, s.line) for s in report.stories] == [
        ("greeting works", True, 3),
        ("deliberately wrong", False, 9),
    ]
    assert report.failed[0].divergence == Divergence(
        turn=2,
        said="thanks a lot",
        intent="thank",
        expected="utter_help",
        actual="utter_you_are_welcome",
        line=18,
    )
    args = (out / "rasa" / "args.txt").read_text(encoding="utf-8").split()
    assert args[:4] == ["test", "core", "--model", str(model)]
    assert {"--e2e", "--successes", "--no-plot"} <= set(args)


def test_a_folder_holds_its_stories_and_its_languages_own(tmp_path):
    for name in ("test_b.yml", "test_a.yml", "fr/test_c.yml", "de/test_d.yml"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(STORIES, encoding="utf-8")

    found = story_files([tmp_path])

    assert found == [tmp_path / "test_a.yml", tmp_path / "test_b.yml", tmp_path / "fr/test_c.yml"]
    assert [story_language(path) for path in found] == ["en", "en", "fr"]
    assert story_language(tmp_path / "de" / "test_d.yml") == "en"  # no language of ours


def test_each_story_file_is_played_against_its_languages_model(story_file, fake_rasa, tmp_path):
    french = tmp_path / "fr" / "test_prix.yml"
    french.parent.mkdir()
    french.write_text(STORIES, encoding="utf-8")
    models = tmp_path / "models"
    models.mkdir()
    for language in ("en", "fr"):
        (models / f"icbot-{language}.tar.gz").write_bytes(b"model")
    out = tmp_path / "report"

    report = run_by_language([french, story_file], models=models, out=out, rasa=fake_rasa)

    assert [(s.path, s.passed) for s in report.stories] == [
        (french, True),
        (french, False),
        (story_file, True),
        (story_file, False),
    ]
    assert report.models == [models / "icbot-fr.tar.gz", models / "icbot-en.tar.gz"]
    for language in ("en", "fr"):
        args = (out / language / "rasa" / "args.txt").read_text(encoding="utf-8").split()
        assert args[:4] == ["test", "core", "--model", str(models / f"icbot-{language}.tar.gz")]
    assert f"model `{models / 'icbot-fr.tar.gz'}`, `{models / 'icbot-en.tar.gz'}`" in (
        markdown(report)
    )


def test_a_language_without_its_model_is_named(story_file, fake_rasa, tmp_path):
    french = tmp_path / "fr" / "test_prix.yml"
    french.parent.mkdir()
    french.write_text(STORIES, encoding="utf-8")

    with pytest.raises(StoryRunError, match=r"icbot-fr\.tar\.gz"):
        run_by_language([french], models=tmp_path, out=tmp_path / "r", rasa=fake_rasa)


def test_the_report_says_it_in_words_in_markdown_and_html(story_file, fake_rasa, tmp_path):
    model = tmp_path / "model.tar.gz"
    model.write_bytes(b"model")
    report = run_stories([story_file], model=model, out=tmp_path / "r", rasa=fake_rasa)
    report.wording = {
        "utter_help": "I can help with...",
        "utter_you_are_welcome": "You're welcome!",
    }

    text = markdown(report)

    assert "2 stories: 1 passed, 1 failed" in text
    assert f"| greeting works | {story_file}:3 | passed |" in text
    assert f"| deliberately wrong | {story_file}:9 | **failed** at turn 2 |" in text
    assert '- At turn 2, after the customer said "thanks a lot" (`thank`):' in text
    assert '- Expected: `utter_help` ("I can help with...").' in text
    assert '- What happened: the bot did `utter_you_are_welcome` ("You\'re welcome!").' in text
    assert "- Story line 18." in text
    page = html_report(report)
    assert '<tr class="fail"><td>deliberately wrong</td>' in page
    assert (
        "What happened: the bot did utter_you_are_welcome (&quot;You&#x27;re welcome!&quot;)."
        in page
    )


def test_a_misunderstood_turn_names_what_the_bot_understood(story_file, tmp_path):
    failed = tmp_path / "failed.yml"
    failed.write_text(
        f"- story: greeting works ({story_file})\n  steps:\n"
        "  - intent: greet  # predicted: goodbye: hello\n  - action: utter_greet\n",
        encoding="utf-8",
    )
    played = played_stories(failed)[("greeting works", str(story_file))]

    found = divergence(played, written_stories(story_file)["greeting works"][1])

    assert found == Divergence(1, "hello", "greet", "greet", "goodbye", 5, understood=False)


def test_a_bot_that_goes_on_instead_of_waiting(story_file, tmp_path):
    failed = tmp_path / "failed.yml"
    failed.write_text(
        f"- story: greeting works ({story_file})\n  steps:\n  - intent: greet\n"
        "  - action: utter_greet\n  - action: action_listen  # predicted: utter_help\n",
        encoding="utf-8",
    )
    played = played_stories(failed)[("greeting works", str(story_file))]

    found = divergence(played, written_stories(story_file)["greeting works"][1])

    assert found == Divergence(1, "hello", "greet", "wait for the customer", "utter_help", 9)


def test_without_a_model_nothing_runs(story_file, fake_rasa, tmp_path):
    with pytest.raises(StoryRunError, match="make model"):
        run_stories([story_file], model=tmp_path / "none.tar.gz", out=tmp_path, rasa=fake_rasa)


def test_words_understood_with_other_details_than_the_story_marks(tmp_path):
    stories = tmp_path / "test_dates.yml"
    stories.write_text(
        "stories:\n- story: when\n  steps:\n  - user: |\n      this month\n    intent: inform\n",
        encoding="utf-8",
    )
    failed = tmp_path / "failed.yml"
    failed.write_text(
        f"- story: when ({stories})\n  steps:\n"
        "  - intent: inform  # predicted: inform: [this month](date)\n",
        encoding="utf-8",
    )
    played = played_stories(failed)[("when", str(stories))]
    found = divergence(played, written_stories(stories)["when"][1])
    report = Report(model=tmp_path / "m", files=[stories])
    report.stories.append(StoryResult("when", stories, 2, passed=False, divergence=found))

    assert found == Divergence(
        1,
        "this month",
        "inform",
        "inform",
        "inform",
        4,
        False,
        marked="",
        found='date "this month"',
    )
    assert [line for line in markdown(report).splitlines() if line.startswith("- ")] == [
        '- At turn 1, the customer said "this month" (`inform`, understood).',
        "- Expected details in these words: none.",
        '- What happened: the bot found date "this month".',
        "- Story line 4 (mark the details in the words, e.g. [this month](date)).",
    ]
