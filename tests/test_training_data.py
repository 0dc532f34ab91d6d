"""The NLU training data: at the scale of real traffic, said once, and never the test set.

The unseen test set (tests/nlu/unseen/, README there) was written by someone
who had not seen data/en/nlu/; its value is gone once one of its messages is
trained on, so any overlap fails here.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from tests.tools.loader import load_tool

ROOT = Path(__file__).resolve().parents[1]
TRAINING = sorted((ROOT / "data" / "en" / "nlu").glob("*.yml"))
UNSEEN = sorted((ROOT / "tests" / "nlu" / "unseen").glob("*.yml"))
MIN_EXAMPLES = 120
MIN_OUT_OF_SCOPE = 800
# Everyday messages both sides wrote, word for word, on their own (README there).
WRITTEN_TWICE = ROOT / "tests" / "nlu" / "unseen" / "written_twice.txt"

report = load_tool("nlu_report.py", "nlu_report_tool")
folded, examples = report.folded, report.nlu_examples


def test_every_intent_has_the_examples_of_real_traffic():
    counts = Counter(intent for intent, _ in examples(TRAINING))
    short = {i: n for i, n in counts.items() if n < MIN_EXAMPLES}
    assert short == {}
    assert counts["out_of_scope"] >= MIN_OUT_OF_SCOPE


def test_no_message_is_taught_twice_or_under_two_intents():
    seen: dict[str, str] = {}
    twice = []
    for intent, text in examples(TRAINING):
        key = folded(text)
        if key in seen:
            twice.append((text, seen[key], intent))
        seen[key] = intent
    assert twice == []


def test_the_unseen_set_is_never_trained_on():
    """Only the messages both sides wrote on their own, on 2026-12-05, are in both."""
    assert UNSEEN, "tests/nlu/unseen/ holds the unseen test set"
    trained = {folded(text) for _, text in examples(TRAINING)}
    recorded = {
        line
        for line in WRITTEN_TWICE.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    }
    leaked = sorted({folded(t) for _, t in examples(UNSEEN) if folded(t) in trained} - recorded)
    assert leaked == []


def test_the_cross_validation_dev_slice_is_never_trained_on():
    """tests/nlu/ood_dev.yml tunes the fallback and the write guard (tools/nlu_cv.py)."""
    dev = examples([ROOT / "tests" / "nlu" / "ood_dev.yml"])
    assert len(dev) >= 100
    trained = {folded(text) for _, text in examples(TRAINING)}
    assert sorted(t for _, t in dev if folded(t) in trained) == []


def test_the_development_set_is_never_trained_on():
    """tests/nlu/dev/ chooses data and settings; the unseen set alone measures them."""
    dev = examples(sorted((ROOT / "tests" / "nlu" / "dev").glob("*.yml")))
    assert len(dev) >= 900
    trained = {folded(text) for _, text in examples(TRAINING)}
    recorded = {
        line
        for line in (ROOT / "tests" / "nlu" / "dev" / "written_twice.txt")
        .read_text(encoding="utf-8")
        .splitlines()
        if line and not line.startswith("#")
    }
    leaked = sorted({folded(t) for _, t in dev if folded(t) in trained} - recorded)
    assert leaked == []
