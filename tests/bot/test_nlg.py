"""bot/nlg.py: one apology, said in place of every action's result that has no words for it.

Run in the rasa env: ``.venv/rasa/bin/python -m pytest -c tests/bot/pytest.ini tests/bot``.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from rasa.core.actions.action import ActionBotResponse
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from bot.nlg import APOLOGY, ApologyInPlaceGenerator, is_result_response
from languages import DEFAULT, domain_paths

REPO_ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.load(domain_paths(DEFAULT))
RESULTS = sorted(r for r in DOMAIN.responses if is_result_response(r))
CHANNELS = ("web", "sms", "voice")
OUTPUT_CHANNEL = "gateway"


def say(response: str, **slots: object) -> str | None:
    message = ApologyInPlaceGenerator(domain=DOMAIN).generate_from_slots(
        response, dict(slots), OUTPUT_CHANNEL
    )
    return None if message is None else str(message["text"])


def has_default(response: str) -> bool:
    return any(not variation.get("condition") for variation in DOMAIN.responses[response])


def test_the_apology_is_one_response_and_no_result_response_repeats_it():
    [apology] = DOMAIN.responses[APOLOGY]
    problem = {"type": "slot", "name": "result", "value": "technical_problem"}
    for response in RESULTS:
        for variation in DOMAIN.responses[response]:
            assert variation.get("text") != apology["text"], response
            assert problem not in (variation.get("condition") or []), response


@pytest.mark.parametrize("response", RESULTS)
@pytest.mark.parametrize("channel", CHANNELS)
def test_a_technical_problem_gets_the_apology_in_place_of_the_result(response, channel):
    said = say(response, result="technical_problem", channel=channel, outbound_call=None)

    if has_default(response):
        # Its default variation covers every other outcome, a technical problem included.
        assert said == say(response, result=None, channel=channel, outbound_call=None)
    else:
        assert said == DOMAIN.responses[APOLOGY][0]["text"]


def test_only_the_goodbye_has_words_of_its_own_for_a_technical_problem():
    assert [r for r in RESULTS if has_default(r)] == ["utter_close_interaction_result"]


def test_any_other_outcome_and_any_other_response_are_rasas_own():
    assert say("utter_place_order_result", result="order_not_placed", channel="web") == (
        "OK, I haven't placed the order."
    )
    assert say("utter_anything_else", result="technical_problem") == (
        "Is there anything else I can help you with?"
    )
    # A response with nothing for the slots stays silent, as Rasa's own generator leaves it.
    assert say("utter_ask_rephrase", result="technical_problem", channel="fax") is None


def test_a_result_is_filled_from_the_slots_as_ever():
    said = say(
        "utter_record_preference_result",
        result="preference_recorded",
        preference_summary="by SMS in the mornings",
    )

    assert said == "Noted: we'll contact you by SMS in the mornings."


def test_rasa_running_the_rules_result_response_says_the_apology():
    """As in a conversation: the rule's utter action, run by Rasa with this generator."""
    tracker = DialogueStateTracker.from_events(
        "someone",
        [SlotSet("channel", "sms"), SlotSet("result", "technical_problem")],
        slots=DOMAIN.slots,
    )
    action = ActionBotResponse("utter_place_order_result")

    events = asyncio.run(
        action.run(
            CollectingOutputChannel(), ApologyInPlaceGenerator(domain=DOMAIN), tracker, DOMAIN
        )
    )

    assert [type(e) for e in events] == [BotUttered]
    assert events[0].text == DOMAIN.responses[APOLOGY][0]["text"]


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
def test_the_greeting_of_an_identified_customer_names_products_only_when_there_are(result):
    slots = {
        "result": result,
        "customer_name": "Camille Laurent",
        "context_orders": "SO-000002 (confirmed, due 26/02/2026)",
        "context_alerts": "Your order SO-000002 is late",
    }

    without = say("utter_give_account_context_result", **slots, context_products="")
    owned = say(
        "utter_give_account_context_result",
        **slots,
        context_products=" Your products: Lumio InkJet 200.",
    )

    assert without is not None
    assert owned is not None
    assert "Your products" not in without
    assert "  " not in without
    assert not without.endswith(" ")
    assert "identified. " in owned
    assert "Your products: Lumio InkJet 200." in owned
    assert "  " not in owned
