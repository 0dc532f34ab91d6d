"""The identification cue: a customer number makes ``inform`` of a message that asks no task."""

from __future__ import annotations

import pytest
import yaml
from rasa.shared.nlu.training_data.message import Message
from sample_catalog import REPO_ROOT

from bot.identification_cue import IdentificationCue

CUE = IdentificationCue(
    {
        "entities": {
            "customer_number": ["out_of_scope", "create_account", "greet"],
            "email": ["out_of_scope", "greet"],
        }
    }
)


def classified(intent: str, *entities: str) -> Message:
    ranking = [{"name": intent, "confidence": 0.6}, {"name": "inform", "confidence": 0.2}]
    found = [{"entity": e, "start": 0, "end": 1, "value": "x"} for e in entities]
    return Message(
        data={"text": "x", "intent": ranking[0], "intent_ranking": ranking, "entities": found}
    )


@pytest.mark.parametrize(
    ("intent", "entity"),
    [("out_of_scope", "customer_number"), ("create_account", "customer_number"),
     ("greet", "email")],
)  # fmt: skip
def test_a_number_or_address_with_no_task_is_identification(intent: str, entity: str) -> None:
    (message,) = CUE.process([classified(intent, "postcode", entity)])
    assert message.get("intent") == {"name": "inform", "confidence": 1.0}
    # What the classifier thought stays in the ranking, inform once.
    assert [r["name"] for r in message.get("intent_ranking")] == ["inform", intent]


@pytest.mark.parametrize(
    ("intent", "entities"),
    [
        ("order_status", ("customer_number",)),  # a task: its rule identifies first
        ("create_account", ("email",)),  # a new customer's address
        ("out_of_scope", ("phone", "postcode")),  # no cue entity
        ("greet", ()),
    ],
)
def test_a_task_or_no_cue_keeps_its_intent(intent: str, entities: tuple[str, ...]) -> None:
    (message,) = CUE.process([classified(intent, *entities)])
    assert message.get("intent")["name"] == intent


def test_the_configured_cue_overrides_no_task_intent() -> None:
    """config.yml's cue never takes a message away from an intent that asks for something."""
    config = yaml.safe_load((REPO_ROOT / "config.yml").read_text(encoding="utf-8"))
    (cue,) = [
        c for c in config["pipeline"] if c["name"] == "bot.identification_cue.IdentificationCue"
    ]
    names = [c["name"] for c in config["pipeline"]]
    assert names[-1] == "bot.identification_cue.IdentificationCue", "after every classifier"
    no_task = {"greet", "thank", "help", "out_of_scope", "nlu_fallback", "create_account"}
    for entity, intents in cue["entities"].items():
        assert set(intents) <= no_task, entity
    assert "create_account" not in cue["entities"].get("email", []), "new customers give one"
