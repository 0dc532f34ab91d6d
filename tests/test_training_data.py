"""The NLU training data: at the scale of real traffic, said once, and never the test set.

Per language (data/<lang>/nlu/). Its unseen test set (tests/nlu/unseen/<lang>/, README
there) was written by someone who had not seen the training data; its value is gone once
one of its messages is trained on, so any overlap fails here.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from languages import languages
from tests.tools.loader import load_tool

ROOT = Path(__file__).resolve().parents[1]
TRAINING = sorted((ROOT / "data" / "en" / "nlu").glob("*.yml"))
MIN_EXAMPLES = 120
MIN_OUT_OF_SCOPE = 800


def training(language: str) -> list[Path]:
    return sorted((ROOT / "data" / language / "nlu").glob("*.yml"))


def unseen(language: str) -> Path:
    return ROOT / "tests" / "nlu" / "unseen" / language


report = load_tool("nlu_report.py", "nlu_report_tool")
folded, examples = report.folded, report.nlu_examples


def written_twice(path: Path) -> set[str]:
    """The messages a test set and the training data wrote alike on their own, as recorded."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    return {line for line in text.splitlines() if line and not line.startswith("#")}


@pytest.mark.parametrize("language", languages())
def test_every_intent_has_the_examples_of_real_traffic(language):
    counts = Counter(intent for intent, _ in examples(training(language)))
    short = {i: n for i, n in counts.items() if n < MIN_EXAMPLES}
    assert short == {}
    assert counts["out_of_scope"] >= MIN_OUT_OF_SCOPE


@pytest.mark.parametrize("language", languages())
def test_no_message_is_taught_twice_or_under_two_intents(language):
    seen: dict[str, str] = {}
    twice = []
    for intent, text in examples(training(language)):
        key = folded(text)
        if key in seen:
            twice.append((text, seen[key], intent))
        seen[key] = intent
    assert twice == []


@pytest.mark.parametrize("language", languages())
def test_the_unseen_set_is_never_trained_on(language):
    """Only the everyday messages both sides wrote on their own are in both (written_twice.txt)."""
    files = sorted(unseen(language).glob("*.yml"))
    assert files, f"tests/nlu/unseen/{language}/ holds the unseen test set"
    trained = {folded(text) for _, text in examples(training(language))}
    recorded = written_twice(unseen(language) / "written_twice.txt")
    leaked = sorted({folded(t) for _, t in examples(files) if folded(t) in trained} - recorded)
    assert leaked == []


def test_the_cross_validation_dev_slice_is_never_trained_on():
    """tests/nlu/ood_dev.yml tunes the fallback and the write guard (tools/nlu_cv.py)."""
    dev = examples([ROOT / "tests" / "nlu" / "ood_dev.yml"])
    assert len(dev) >= 100
    trained = {folded(text) for _, text in examples(TRAINING)}
    assert sorted(t for _, t in dev if folded(t) in trained) == []


@pytest.mark.parametrize("language", languages())
def test_the_development_set_is_never_trained_on(language):
    """tests/nlu/dev/[<lang>/] chooses data and settings; the unseen set alone measures them."""
    folder = ROOT / "tests" / "nlu" / "dev"
    if language != "en":
        folder = folder / language
    dev = examples(sorted(folder.glob("*.yml")))
    assert len(dev) >= 900
    trained = {folded(text) for _, text in examples(training(language))}
    recorded = written_twice(folder / "written_twice.txt")
    leaked = sorted({folded(t) for _, t in dev if folded(t) in trained} - recorded)
    assert leaked == []
