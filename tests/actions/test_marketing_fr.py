"""A French conversation (metadata ``language: fr``) hears the script in French and is understood.

The offer, the answers to objections, the questions and their buttons come
from the script's French texts; the customer's French words (with or without
accents) pick the objection or the answer; the lead keeps the reference
(English) answer, so it scores and compares like any other.
"""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from actions.marketing import ActionHandleObjection, ActionPresentOffer
from actions.marketing_script import ValidateScriptForm
from tests.actions.marketing_fixtures import pending_entry
from tests.actions.trackers import entity, form_tracker, tracker

FRENCH = {"language": "fr"}
OFFER = (
    "En tant que propriétaire d'un Éclipse, vous pouvez passer au nouvel Éclipse 3000 "
    "ce mois-ci, et nous vous offrons la sacoche Éclipse."
)
PRICE = (
    "Je comprends. Votre ancien ordinateur est repris sur le prix, la sacoche est offerte, "
    "et vous pouvez payer en trois fois sans frais."
)
TIMING = (
    "Pas de souci. L'offre court jusqu'à la fin du mois, et quelques réponses maintenant "
    "nous permettront de vous en reparler au bon moment."
)
ALREADY_OWNS = (
    "Tant mieux. La plupart des clients qui changent nous disent que l'Éclipse 3000 est deux "
    "fois plus rapide et que sa batterie tient toute une journée de travail."
)
AGE_OPTIONS = ["Moins de deux ans", "De deux à quatre ans", "Plus de quatre ans"]
USE_OPTIONS = ["Le travail et les déplacements", "Les études", "La maison et les loisirs"]


def buttons(answers):
    return [{"title": a, "payload": f'/inform{{"script_option": "{a}"}}'} for a in answers]


@pytest.fixture
def called(crm):
    return pending_entry(crm)


async def validate(dispatcher, domain, **kwargs):
    said = form_tracker("script_form", metadata=FRENCH, **kwargs)
    return await ValidateScriptForm().run(dispatcher, said, domain)


async def test_a_french_customer_hears_the_french_offer(crm, called, dispatcher):
    events = await ActionPresentOffer().run(
        dispatcher, tracker(slots=called.slots(), metadata=FRENCH), {}
    )

    assert events[-2:] == [SlotSet("offer_text", OFFER), SlotSet("result", "offer")]


@pytest.mark.parametrize(
    ("intent", "text", "answer"),
    [
        ("give_quote_feedback", "c'est beaucoup trop cher", PRICE),
        ("raise_objection", "je n'ai pas les moyens", PRICE),
        ("not_buying_now", "ce n'est pas le moment", TIMING),
        ("raise_objection", "j'en ai deja un qui marche encore tres bien", ALREADY_OWNS),
        ("not_buying_now", "peut-être au printemps", TIMING),  # no word: the intent's kind
    ],
)
async def test_a_french_objection_gets_the_french_answer(called, dispatcher, intent, text, answer):
    said = tracker(slots=called.slots(), intent=intent, text=text, metadata=FRENCH)

    events = await ActionHandleObjection().run(dispatcher, said, {})

    assert events == [SlotSet("objection_answer", answer), SlotSet("result", "objection")]


async def test_the_french_script_starts_at_its_first_question(called, dispatcher, domain):
    events = await validate(
        dispatcher, domain, requested_slot=None, intent="affirm", text="oui", slots=called.slots()
    )

    assert events == [
        SlotSet("script_answers", {}),
        SlotSet("script_question", "laptop_age"),
        SlotSet(
            "script_question_text",
            "De quand date l'ordinateur portable que vous utilisez aujourd'hui ?",
        ),
        SlotSet("script_options", buttons(AGE_OPTIONS)),
        SlotSet("requested_slot", "script_answer"),
    ]


@pytest.mark.parametrize(
    ("text", "entities"),
    [
        ("il a à peu près trois ans", None),
        ("il a a peu pres trois ans", None),
        (
            '/inform{"script_option": "De deux à quatre ans"}',
            [entity("script_option", AGE_OPTIONS[1])],
        ),
    ],
)
async def test_a_french_answer_picks_its_option_and_the_lead_keeps_the_reference_words(
    called, dispatcher, domain, text, entities
):
    events = await validate(
        dispatcher,
        domain,
        requested_slot="script_answer",
        text=text,
        entities=entities,
        filled={"script_answer": text},
        slots=called.slots(script_question="laptop_age", script_answers={}),
    )

    assert events == [
        SlotSet("script_answer", None),
        SlotSet("script_answers", {"laptop_age": "Two to four years"}),
        SlotSet("script_question", "main_use"),
        SlotSet("script_question_text", "Vous vous en servez surtout pour quoi ?"),
        SlotSet("script_options", buttons(USE_OPTIONS)),
        SlotSet("requested_slot", "script_answer"),
    ]
