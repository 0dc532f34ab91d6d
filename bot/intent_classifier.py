"""Rasa's logistic regression with two settings it does not expose: C and out_of_scope's weight.

``LogisticRegressionClassifier`` fixes sklearn's regularisation at C = 1 and
weighs every intent by the inverse of its number of examples ("balanced").
With ten times more out-of-domain examples than any other intent, balanced
weights make out_of_scope the cheapest intent to get wrong; ``C`` and
``out_of_scope_weight`` (a factor on its balanced weight) were tuned by
cross-validation on the training data (``tools/nlu_cv.py``, docs/nlu.md).
Everything else (features, ranking, persistence with skops) is Rasa's.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.training_data.training_data import TrainingData

OUT_OF_SCOPE = "out_of_scope"


def class_weights(labels: list[str], out_of_scope_weight: float) -> dict[str, float]:
    """sklearn's "balanced" weights, out_of_scope's multiplied by ``out_of_scope_weight``."""
    counts = Counter(labels)
    weights = {k: len(labels) / (len(counts) * n) for k, n in counts.items()}
    if OUT_OF_SCOPE in weights:
        weights[OUT_OF_SCOPE] *= out_of_scope_weight
    return weights


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class TunedLogisticRegressionClassifier(LogisticRegressionClassifier):
    """LogisticRegressionClassifier with ``C`` and ``out_of_scope_weight`` in its config."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Rasa's defaults, sklearn's C and no extra weight."""
        return {
            **LogisticRegressionClassifier.get_default_config(),
            "C": 1.0,
            "out_of_scope_weight": 1.0,
        }

    def train(self, training_data: TrainingData) -> Resource:
        """Set C and the class weights from the labels, then train as Rasa does."""
        labels = [
            str(e.get("intent"))
            for e in training_data.intent_examples
            if e.get("intent") and e.get("text")
        ]
        self.clf.set_params(
            C=float(self.config["C"]),
            class_weight=class_weights(labels, float(self.config["out_of_scope_weight"])),
        )
        return super().train(training_data)
