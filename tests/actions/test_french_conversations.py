"""A conversation in French (metadata ``language: fr``): the actions fill the slots in French.

The English forms of the same actions are in each action's own tests; these
check that the language reaches every helper an action calls.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from rasa_sdk.events import FollowupAction, SlotSet

from actions import runtime
from actions.follow_up import ActionRecordPreference, opted_out_words
from actions.handoff import ActionHandoff, wait_in_words
from actions.identification_context import ActionGiveAccountContext
from actions.identification_wish import ActionReadDetails
from actions.leads_business import ActionCreateBusinessLead
from actions.marketing_consent import ActionRecordDoNotContact
from actions.orders import ActionOrderStatus
from actions.products import ActionProductInfo
from actions.quotes import ActionQuoteStatus
from crm_backend.opening_hours import OpeningHours
from crm_backend.services import accounts, leads, orders, quotes
from crm_backend.settings import CrmSettings
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.actions.trackers import CALL_DAY, entity, tracker, user_event

FRENCH = {"language": "fr"}
X = "\N{MULTIPLICATION SIGN}"


def said_in_french(**kwargs):
    return tracker(metadata=FRENCH, **kwargs)


async def test_the_greeting_names_the_products_in_french(crm, pierre, dispatcher):
    verified = said_in_french(slots={"account_id": str(pierre.id), "channel": "web"})
    events = await ActionGiveAccountContext().run(dispatcher, verified, {})
    assert SlotSet("context_products", " Vos produits : Lumio InkJet 200.") in events


async def test_a_late_order_heard_in_french(crm, seeded_account, dispatcher):
    laurent = seeded_account("C-100002")
    verified = said_in_french(slots={"account_id": str(laurent.id), "channel": "voice"})
    events = await ActionGiveAccountContext().run(dispatcher, verified, {})
    with SqlAlchemyUnitOfWork(crm) as uow:
        [late] = uow.orders.list_by(account_id=laurent.id)
        number = late.number
    assert number.startswith("SO-00000")
    said = f"S O, zéro zéro zéro, zéro zéro {_digit(number[-1])}"
    assert events[3] == SlotSet(
        "context_orders",
        f"commande {said}, confirmée, livraison prévue le jeudi vingt-six février",
    )
    # The alert in French words, its codes heard in French.
    assert events[5] == SlotSet(
        "context_alerts",
        f"Votre commande {said} est en retard : elle était promise pour le 26 février",
    )


async def test_an_order_status_in_french(crm, seeded_account, dispatcher):
    laurent = seeded_account("C-100002")
    with SqlAlchemyUnitOfWork(crm) as uow:
        [late] = orders.orders_for(uow, account_id=laurent.id)
        number = late.number
    asked = said_in_french(
        slots={"account_id": str(laurent.id), "channel": "voice"},
        intent="order_status",
        entities=[entity("order_number", number)],
    )
    events = await ActionOrderStatus().run(dispatcher, asked, {})
    assert events[2:] == [
        SlotSet("order_summary", "un Nova 14 et un Wireless Mouse"),
        SlotSet("order_state", "confirmée et en préparation"),
        SlotSet("delivery_date", "jeudi vingt-six février"),
        SlotSet("result", "order_status"),
    ]


@pytest.mark.parametrize(
    ("channel", "details", "price"),
    [
        ("sms", "Intel Core i7, 16 Go de RAM, 512 Go SSD", "1 299 €"),
        (
            "voice",
            "Intel Core i7, seize gigaoctets de RAM",
            "mille deux cent quatre-vingt-dix-neuf",
        ),
    ],
)
async def test_a_product_described_in_french(crm, dispatcher, channel, details, price):
    asked = said_in_french(
        slots={"channel": channel},
        intent="ask_product_info",
        entities=[entity("product", "ECL-3000")],
    )
    events = {e["name"]: e["value"] for e in await ActionProductInfo().run(dispatcher, asked, {})}
    assert events["product_details"].startswith(details)
    assert events["product_price"].startswith(price)
    expected = "04/03" if channel == "sms" else "mercredi quatre mars"
    assert events["delivery_date"] == expected


async def test_a_quote_status_in_french(crm, seeded_account, dispatcher):
    petit = seeded_account("C-100005")  # a quote that expires in two days
    asked = said_in_french(slots={"account_id": str(petit.id)}, intent="ask_quote_status")
    events = await ActionQuoteStatus().run(dispatcher, asked, {})
    with SqlAlchemyUnitOfWork(crm) as uow:
        [quote] = quotes.quotes_for(uow, account_id=petit.id, today=CALL_DAY)
        number = quote.number
    assert events == [
        SlotSet("quote_number", number),
        SlotSet("quote_number_said", number),
        SlotSet("quote_summary", f"1 {X} Éclipse 3000, 1 {X} Éclipse Laptop Bag"),
        SlotSet("quote_total", "1 358,00 €"),
        SlotSet("quote_discount", "aucune"),
        SlotSet("delivery_date", "07/03/2026"),
        SlotSet("quote_valid_until", "04/03/2026"),
        SlotSet("quote_state", "ouvert"),
        SlotSet("result", "quote_status"),
    ]


@pytest.mark.parametrize(
    ("wait", "said"),
    [
        (dt.timedelta(0), "moins d'une minute"),
        (dt.timedelta(seconds=50), "environ 1 minute"),
        (dt.timedelta(minutes=5, seconds=10), "environ 6 minutes"),
        (dt.timedelta(hours=1), "une heure ou plus"),
    ],
)
def test_the_wait_in_french_words(wait, said):
    assert wait_in_words(wait, language="fr") == said


async def test_the_desk_hours_in_french(crm, dispatcher, monkeypatch):
    closed = OpeningHours.parse("sat-sun 10:00-12:00")
    settings = CrmSettings.from_env({})
    settings = dataclasses.replace(
        settings, handoff=dataclasses.replace(settings.handoff, hours=closed)
    )
    monkeypatch.setattr(runtime, "settings", lambda: settings)
    asked = said_in_french(intent="request_human")
    events = await ActionHandoff().run(dispatcher, asked, {})
    assert SlotSet("desk_hours", "du samedi au dimanche, de 10h00 à 12h00") in events


async def test_without_a_question_in_the_domain_the_french_fallback(dispatcher):
    # The button titles and write questions are each language's domain's (data/<lang>/domain/);
    # the actions only fall back on their own words when a question is missing.
    given = said_in_french(
        intent="inform",
        entities=[entity("product", "ECL-3000")],
        slots={"identity_status": "verified", "write_questions": {}},
    )
    assert await ActionReadDetails().run(dispatcher, given, {}) == [
        SlotSet("suggestion_1", "place_order"),
        SlotSet("write_question", "passer une commande"),
        FollowupAction("utter_confirm_write"),
    ]


async def test_a_preference_confirmed_in_french(crm, pierre, dispatcher):
    # The customer's words are English here: French understanding is the French model's.
    asked = said_in_french(
        slots={"account_id": str(pierre.id)},
        intent="set_preference",
        text="stop the texts please, e-mail is what I read",
    )
    events = await ActionRecordPreference().run(dispatcher, asked, {})
    assert events == [
        SlotSet("preference_summary", "par e-mail, pas par SMS"),
        SlotSet("result", "preference_recorded"),
    ]


async def test_too_many_texts_and_mails_opts_out_of_those_in_french(crm, pierre, dispatcher):
    # Said before the identification, carried out after it (a stranger's first words).
    asked = said_in_french(
        slots={"account_id": str(pierre.id)},
        intent="affirm",
        text="oui",
        events=[
            user_event(
                "bjr, je recois bcp trop de sms et de mails pub de votre part",
                intent="stop_contact",
            ),
            user_event("oui", intent="affirm"),
        ],
    )
    events = await ActionRecordDoNotContact().run(dispatcher, asked, {})
    # Not "d'appels": the words were French, and named texts and e-mails.
    assert events == [
        SlotSet("opted_out_channels", "de SMS et d'e-mails"),
        SlotSet("result", "channel_opt_out_recorded"),
    ]


async def test_no_more_texts_is_no_preference_for_texts(crm, pierre, dispatcher):
    asked = said_in_french(
        slots={"account_id": str(pierre.id)},
        intent="set_preference",
        text="je veux plus aucun sms ni mail marketing svp",
        entities=[entity("channel_pref", "sms")],
    )
    events = await ActionRecordPreference().run(dispatcher, asked, {})
    assert events == [
        SlotSet("opted_out_channels", "de SMS et d'e-mails"),
        SlotSet("result", "channel_opt_out_recorded"),
    ]
    with SqlAlchemyUnitOfWork(crm) as uow:
        kept = accounts.get_account(uow, account_id=pierre.id).preferences
        assert not [p for p in kept if p.value == "sms"]


def test_the_channels_opted_out_in_french():
    assert opted_out_words(["sms", "email"], "fr") == "de SMS et d'e-mails"
    assert opted_out_words(["phone"], "fr") == "d'appels"  # never "de appels"
    assert opted_out_words(["sms", "email"], "en") == "text messages and e-mails"


async def test_a_business_lead_confirmed_in_french_kept_in_english(crm, dispatcher):
    prospect = said_in_french(
        slots={
            "lead_need": "laptops",
            "lead_quantity": "12",
            "lead_timeframe": "within the next two months",
            "lead_company": "Atelier Nord",
            "lead_name": "Inès Garnier",
            "lead_contact": "ines@atelier-nord.example",
        }
    )
    events = await ActionCreateBusinessLead().run(dispatcher, prospect, {})
    assert events[0] == SlotSet("lead_interest", "12 ordinateurs portables")
    # The agents read the CRM in English: the lead keeps the need as stored.
    with SqlAlchemyUnitOfWork(crm) as uow:
        [account] = accounts.find_accounts(uow, email="ines@atelier-nord.example")
        [lead] = leads.leads_for(uow, account_id=account.id)
        assert lead.product_interest == "12 laptops"


def _digit(figure: str) -> str:
    return ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf")[
        int(figure)
    ]
