"""bot/parse.py: labelled examples in, what the bot acts on out."""

from __future__ import annotations

from pathlib import Path

from bot.parse import labelled_examples, prediction


def test_every_example_comes_with_its_file_and_label(tmp_path: Path) -> None:
    path = tmp_path / "everyday.yml"
    path.write_text(
        'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hiya\n    - morning!\n'
        "- intent: thank\n  examples: |\n    - ta\n",
        encoding="utf-8",
    )
    assert list(labelled_examples([path])) == [
        (path.as_posix(), "hiya", "greet"),
        (path.as_posix(), "morning!", "greet"),
        (path.as_posix(), "ta", "thank"),
    ]


def test_the_fallback_is_what_the_bot_acts_on() -> None:
    parsed = {
        "intent": {"name": "nlu_fallback", "confidence": 0.55},
        "intent_ranking": [
            {"name": "nlu_fallback", "confidence": 0.55},
            {"name": "stop_contact", "confidence": 0.41234},
            {"name": "out_of_scope", "confidence": 0.3},
            {"name": "greet", "confidence": 0.1},
        ],
    }
    assert prediction(parsed) == {
        "predicted": "nlu_fallback",
        "confidence": 0.55,
        "ranking": [["nlu_fallback", 0.55], ["stop_contact", 0.4123], ["out_of_scope", 0.3]],
    }


def test_an_empty_parse_is_no_intent() -> None:
    assert prediction({}) == {"predicted": None, "confidence": 0.0, "ranking": []}
