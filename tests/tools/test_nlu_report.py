"""tools/nlu_report.py: the figures on the unseen set, and its bars."""

from __future__ import annotations

import json

import pytest

from tests.tools.loader import load_tool

nlu_report = load_tool("nlu_report.py", "nlu_report_tool")
WRITING = frozenset({"stop_contact", "place_order"})


def record(file, text, intent, predicted, confidence=0.9):
    return {"file": f"tests/nlu/unseen/{file}.yml", "text": text, "intent": intent,
            "predicted": predicted, "confidence": confidence, "ranking": []}  # fmt: skip


RECORDS = [
    record("everyday", "hiya", "greet", "greet"),
    record("everyday", "ta", "thank", "nlu_fallback", 0.4),
    record("paraphrases", "bin my order", "cancel_order", "cancel_order"),
    record("out_of_domain", "add milk to the shopping list", "out_of_scope", "stop_contact"),
    record("out_of_domain", "order a pizza", "out_of_scope", "out_of_scope"),
    record("out_of_domain", "set an alarm", "out_of_scope", "nlu_fallback", 0.3),
    record("out_of_domain", "what's the weather", "out_of_scope", "out_of_scope"),
]


@pytest.fixture
def predictions(tmp_path):
    path = tmp_path / "unseen.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in RECORDS) + "\n", encoding="utf-8")
    return path


def test_a_clarifying_question_is_not_a_right_answer(predictions):
    report = nlu_report.figures(nlu_report.read_predictions(predictions), WRITING)
    assert report["groups"]["everyday"] == {"examples": 2, "accuracy": 0.5}
    assert report["intents"]["thank"]["accuracy"] == 0.0


def test_out_of_domain_shares_name_the_writing_intents(predictions):
    ood = nlu_report.figures(nlu_report.read_predictions(predictions), WRITING)["out_of_domain"]
    assert ood["examples"] == 4
    assert (ood["out_of_scope"], ood["clarified"], ood["writing"]) == (0.5, 0.25, 0.25)
    assert ood["writing_by_intent"] == {"stop_contact": 1}


def test_the_confusions_come_with_examples(predictions):
    confusions = nlu_report.figures(nlu_report.read_predictions(predictions), WRITING)["confusions"]
    assert {"intent": "out_of_scope", "predicted": "stop_contact", "count": 1,
            "examples": ["add milk to the shopping list"]} in confusions  # fmt: skip
    assert all(c["intent"] != c["predicted"] for c in confusions)


def test_a_missed_bar_fails_and_says_which(predictions, tmp_path, capsys):
    out = tmp_path / "report"
    assert nlu_report.main([str(predictions), "--out", str(out), "--max-ood-writing", "0.01"]) == 1
    assert "out of domain reaching a writing intent: 25.0%" in capsys.readouterr().err
    assert json.loads(out.with_suffix(".json").read_text())["examples"] == len(RECORDS)
    assert "| out_of_scope | stop_contact | 1 |" in out.with_suffix(".md").read_text()


def test_without_bars_it_only_reports(predictions, tmp_path):
    assert nlu_report.main([str(predictions), "--out", str(tmp_path / "r")]) == 0


def test_met_bars_pass(predictions, tmp_path):
    args = [str(predictions), "--out", str(tmp_path / "r"), "--min-paraphrases", "0.9"]
    assert nlu_report.main(args) == 0


def test_the_writing_intents_are_the_write_guards_in_config_yml():
    writing = nlu_report.writing_intents()
    assert {"place_order", "stop_contact", "create_account"} <= writing
    assert not writing & {"greet", "out_of_scope", "ask_product_info", "order_status"}


def test_a_config_without_the_guard_is_refused(tmp_path):
    config = tmp_path / "config.yml"
    config.write_text("pipeline:\n  - name: FallbackClassifier\n", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"expected one bot\.write_guard\.WriteGuard"):
        nlu_report.writing_intents(config)
