"""The write guard: a weak guess at a writing intent becomes nlu_fallback, nothing else does."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from rasa.shared.nlu.training_data.message import Message
from sample_catalog import REPO_ROOT

from bot.write_guard import (
    WriteGuard,
    compile_cues,
    compile_third_parties,
    lacks_cue,
    names_third_party,
)
from languages import DEFAULT, config, languages

GUARD = WriteGuard(
    {"intents": ["stop_contact", "place_order"], "threshold": 0.8, "ambiguity_threshold": 0.3}
)


def classified(intent: str, confidence: float, second: float) -> Message:
    ranking = [
        {"name": intent, "confidence": confidence},
        {"name": "out_of_scope", "confidence": second},
    ]
    return Message(data={"text": "x", "intent": ranking[0], "intent_ranking": ranking})


@pytest.mark.parametrize(
    ("confidence", "second"),
    [(0.7, 0.1), (0.79, 0.0), (0.85, 0.6), (0.6, 0.59)],
)
def test_a_weak_or_close_writing_intent_is_held_back(confidence: float, second: float) -> None:
    (message,) = GUARD.process([classified("stop_contact", confidence, second)])
    assert message.get("intent") == {"name": "nlu_fallback", "confidence": 0.8}
    # The ranking is kept: action_clarify names the likeliest write.
    assert [r["name"] for r in message.get("intent_ranking")] == [
        "nlu_fallback",
        "stop_contact",
        "out_of_scope",
    ]


def test_a_confident_clear_writing_intent_passes() -> None:
    (message,) = GUARD.process([classified("place_order", 0.93, 0.04)])
    assert message.get("intent") == {"name": "place_order", "confidence": 0.93}


def test_other_intents_are_not_its_business() -> None:
    (message,) = GUARD.process([classified("order_status", 0.56, 0.4)])
    assert message.get("intent")["name"] == "order_status"


def test_the_fallback_classifiers_verdict_stands() -> None:
    (message,) = GUARD.process([classified("nlu_fallback", 0.55, 0.5)])
    assert message.get("intent") == {"name": "nlu_fallback", "confidence": 0.55}


def guard_config(language: str = DEFAULT) -> dict[str, Any]:
    """The guard's options as a language's model is trained with them."""
    (guard,) = [
        c for c in config(language)["pipeline"] if c["name"] == "bot.write_guard.WriteGuard"
    ]
    return guard


def training_examples(language: str, intents: Any) -> list[tuple[str, str]]:
    """(intent, text) of the language's training examples of ``intents``."""
    found = []
    for path in sorted((REPO_ROOT / "data" / language / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            if block.get("intent") in intents:
                lines = block["examples"].splitlines()
                found += [(block["intent"], line.strip()[2:]) for line in lines if line.strip()]
    return found


def test_it_runs_after_the_fallback_classifier_in_config_yml() -> None:
    names = [c["name"] for c in config(DEFAULT)["pipeline"]]
    assert names.index("bot.write_guard.WriteGuard") == names.index("FallbackClassifier") + 1


@pytest.mark.parametrize("language", languages())
def test_the_domain_has_a_question_for_every_guarded_intent(language: str) -> None:
    path = REPO_ROOT / "data" / language / "domain" / "conversation.yml"
    questions = yaml.safe_load(path.read_text("utf-8"))["slots"]["write_questions"]["initial_value"]
    assert set(questions) == set(guard_config(language)["intents"])


CUED = WriteGuard(
    {
        "intents": ["stop_contact"],
        "threshold": 0.7,
        "ambiguity_threshold": 0.3,
        "cues": {"stop_contact": "call|contact|list|mail"},
    }
)


def said(text: str, intent: str, confidence: float) -> Message:
    ranking = [{"name": intent, "confidence": confidence}, {"name": "cancel", "confidence": 0.01}]
    return Message(data={"text": text, "intent": ranking[0], "intent_ranking": ranking})


@pytest.mark.parametrize("text", ["stop the music now", "halt the timer", "STOP IT"])
def test_a_writing_intent_without_a_word_of_its_domain_is_held_back(text: str) -> None:
    (message,) = CUED.process([said(text, "stop_contact", 0.97)])
    assert message.get("intent")["name"] == "nlu_fallback"


@pytest.mark.parametrize("text", ["no more CALLS", "take me off your mailing list"])
def test_a_confident_writing_intent_with_its_cue_passes(text: str) -> None:
    (message,) = CUED.process([said(text, "stop_contact", 0.97)])
    assert message.get("intent") == {"name": "stop_contact", "confidence": 0.97}


def test_cues_concern_only_the_writing_intents_they_name() -> None:
    (message,) = CUED.process([said("stop the music", "cancel", 0.97)])
    assert message.get("intent")["name"] == "cancel"


@pytest.mark.parametrize("language", languages())
def test_every_training_example_of_a_cued_intent_has_its_cue(language: str) -> None:
    """A cue that misses the training data would hold back what the bot was taught."""
    cues = compile_cues(guard_config(language)["cues"])
    assert set(cues) <= set(guard_config(language)["intents"])
    missing = [t for intent, t in training_examples(language, cues) if lacks_cue(cues, intent, t)]
    assert missing == []


THIRD_PARTIES = WriteGuard(
    {
        "intents": ["cancel_order", "update_contact", "create_account"],
        "threshold": 0.7,
        "ambiguity_threshold": 0.3,
        "third_parties": ["netflix", "canal+", "edf", "gmail", "uber eats", "déménageur"],
    }
)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("cancel my Netflix subscription", "cancel_order"),
        ("résilie mon abonnement CANAL+ stp", "cancel_order"),
        ("je change d'adresse chez Edf", "update_contact"),
        ("annule ma commande uber   eats", "cancel_order"),
        ("un compte pour le demenageur", "create_account"),
    ],
)
def test_a_writing_intent_that_names_another_company_is_held_back(text: str, intent: str) -> None:
    (message,) = THIRD_PARTIES.process([said(text, intent, 0.97)])
    assert message.get("intent")["name"] == "nlu_fallback"


@pytest.mark.parametrize(
    "text",
    [
        "my new e-mail is jo.smith@gmail.com",
        "cancel the order I placed, my mail is jo@netflix.com",
        "cancel SO-000123, I found it on https://www.netflix.com/fr",
        "cancel my order, the one for the Netflixer stand",
        "je voudrais supprimer ma commande",
    ],
)
def test_addresses_and_words_that_merely_contain_a_name_name_no_one(text: str) -> None:
    (message,) = THIRD_PARTIES.process([said(text, "cancel_order", 0.97)])
    assert message.get("intent") == {"name": "cancel_order", "confidence": 0.97}


def test_other_companies_concern_only_the_writing_intents() -> None:
    (message,) = THIRD_PARTIES.process([said("is Netflix any good?", "out_of_scope", 0.97)])
    assert message.get("intent")["name"] == "out_of_scope"


@pytest.mark.parametrize("language", languages())
def test_no_training_example_of_a_writing_intent_names_another_company(language: str) -> None:
    """A name on the list in the training data would hold back what the bot was taught."""
    pattern = compile_third_parties(guard_config(language).get("third_parties"))
    writing = guard_config(language)["intents"]
    found = [t for _, t in training_examples(language, writing) if names_third_party(pattern, t)]
    assert found == []
