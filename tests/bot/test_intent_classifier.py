"""The tuned logistic regression: Rasa's, with C and out_of_scope's weight from the config."""

from __future__ import annotations

import pytest

from bot.intent_classifier import TunedLogisticRegressionClassifier, class_weights


def test_weights_are_balanced_with_out_of_scope_scaled() -> None:
    labels = ["out_of_scope"] * 6 + ["greet"] * 2 + ["deny"] * 4
    weights = class_weights(labels, 2.0)
    assert weights["greet"] == pytest.approx(12 / (3 * 2))
    assert weights["deny"] == pytest.approx(12 / (3 * 4))
    assert weights["out_of_scope"] == pytest.approx(2 * 12 / (3 * 6))


def test_without_out_of_scope_the_weights_are_sklearns_balanced() -> None:
    assert class_weights(["a", "b", "b"], 5.0) == pytest.approx({"a": 1.5, "b": 0.75})


def test_its_defaults_are_rasas_with_c_and_no_extra_weight() -> None:
    config = TunedLogisticRegressionClassifier.get_default_config()
    assert config["C"] == 1.0
    assert config["out_of_scope_weight"] == 1.0
    assert config["solver"] == "lbfgs"
