"""bot/nlg.py: one apology, said in place of every action's result that has no words for it.

Checked on every language's domain (``wording_checks.DOMAINS``); the words the
tests expect are the language's own, one row of ``WORDS`` each.

Run in the rasa env: ``.venv/rasa/bin/python -m pytest -c tests/bot/pytest.ini tests/bot``.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa.core.actions.action import ActionBotResponse
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.shared.core.events import BotUttered, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from wording_checks import CHANNELS, DOMAINS, LANGUAGES, OUTPUT_CHANNEL

from bot.nlg import APOLOGY, ApologyInPlaceGenerator, is_result_response

# What each language says where the tests look, and the slot values its actions fill in.
WORDS = {
    "en": {
        "order_not_placed": "OK, I haven't placed the order.",
        "anything_else": "Is there anything else I can help you with?",
        "preference_summary": "by SMS in the mornings",
        "preference_recorded": "Noted: we'll contact you by SMS in the mornings.",
        "identified": "identified. ",
        "products": "Your products",
        "context_products": " Your products: Lumio InkJet 200.",
        "context_alerts": "Your order SO-000002 is late",
    },
    "fr": {
        "order_not_placed": "Très bien, je n'ai pas passé la commande.",
        "anything_else": "Puis-je vous aider pour autre chose ?",
        "preference_summary": "par SMS le matin",
        "preference_recorded": "C'est noté : nous vous contacterons par SMS le matin.",
        "identified": "confirmée. ",
        "products": "Vos produits",
        "context_products": " Vos produits : Lumio InkJet 200.",
        "context_alerts": "Votre commande SO-000002 est en retard",
    },
}


def results(lang: str) -> list[str]:
    return sorted(r for r in DOMAINS[lang].responses if is_result_response(r))


def say(lang: str, response: str, **slots: object) -> str | None:
    message = ApologyInPlaceGenerator(domain=DOMAINS[lang]).generate_from_slots(
        response, dict(slots), OUTPUT_CHANNEL
    )
    return None if message is None else str(message["text"])


def has_default(lang: str, response: str) -> bool:
    return any(not variation.get("condition") for variation in DOMAINS[lang].responses[response])


def apology(lang: str) -> str:
    return str(DOMAINS[lang].responses[APOLOGY][0]["text"])


def every_result() -> list[Any]:
    return [
        pytest.param(lang, response, id=f"{lang}-{response}")
        for lang in LANGUAGES
        for response in results(lang)
    ]


def test_every_language_has_its_words():
    assert sorted(WORDS) == sorted(LANGUAGES)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_apology_is_one_response_and_no_result_response_repeats_it(lang):
    [the_apology] = DOMAINS[lang].responses[APOLOGY]
    problem = {"type": "slot", "name": "result", "value": "technical_problem"}
    for response in results(lang):
        for variation in DOMAINS[lang].responses[response]:
            assert variation.get("text") != the_apology["text"], response
            assert problem not in (variation.get("condition") or []), response


@pytest.mark.parametrize(("lang", "response"), every_result())
@pytest.mark.parametrize("channel", CHANNELS)
def test_a_technical_problem_gets_the_apology_in_place_of_the_result(lang, response, channel):
    said = say(lang, response, result="technical_problem", channel=channel, outbound_call=None)

    if has_default(lang, response):
        # Its default variation covers every other outcome, a technical problem included.
        assert said == say(lang, response, result=None, channel=channel, outbound_call=None)
    else:
        assert said == apology(lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_only_the_goodbye_has_words_of_its_own_for_a_technical_problem(lang):
    assert [r for r in results(lang) if has_default(lang, r)] == ["utter_close_interaction_result"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_any_other_outcome_and_any_other_response_are_rasas_own(lang):
    words = WORDS[lang]
    not_placed = say(lang, "utter_place_order_result", result="order_not_placed", channel="web")
    assert not_placed == words["order_not_placed"]
    assert say(lang, "utter_anything_else", result="technical_problem") == words["anything_else"]
    # A response with nothing for the slots stays silent, as Rasa's own generator leaves it.
    assert say(lang, "utter_ask_rephrase", result="technical_problem", channel="fax") is None


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_result_is_filled_from_the_slots_as_ever(lang):
    said = say(
        lang,
        "utter_record_preference_result",
        result="preference_recorded",
        preference_summary=WORDS[lang]["preference_summary"],
    )

    assert said == WORDS[lang]["preference_recorded"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_rasa_running_the_rules_result_response_says_the_apology(lang):
    """As in a conversation: the rule's utter action, run by Rasa with this generator."""
    domain = DOMAINS[lang]
    tracker = DialogueStateTracker.from_events(
        "someone",
        [SlotSet("channel", "sms"), SlotSet("result", "technical_problem")],
        slots=domain.slots,
    )
    action = ActionBotResponse("utter_place_order_result")

    events = asyncio.run(
        action.run(
            CollectingOutputChannel(), ApologyInPlaceGenerator(domain=domain), tracker, domain
        )
    )

    assert [type(e) for e in events] == [BotUttered]
    assert events[0].text == apology(lang)


@pytest.mark.parametrize(
    "result",
    [
        "account_context",
        "account_context_alerts",
        "account_context_task",
        "account_context_no_orders",
        "account_context_alerts_no_orders",
    ],
)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_greeting_of_an_identified_customer_names_products_only_when_there_are(lang, result):
    words = WORDS[lang]
    slots = {
        "result": result,
        "customer_name": "Camille Laurent",
        "context_orders": "SO-000002 (confirmed, due 26/02/2026)",
        "context_alerts": words["context_alerts"],
    }

    without = say(lang, "utter_give_account_context_result", **slots, context_products="")
    owned = say(
        lang,
        "utter_give_account_context_result",
        **slots,
        context_products=words["context_products"],
    )

    assert without is not None
    assert owned is not None
    assert words["products"] not in without
    assert "  " not in without
    assert not without.endswith(" ")
    assert words["identified"] in owned
    assert words["context_products"].strip() in owned
    assert "  " not in owned
