"""validate_lead_form and action_create_lead: a prospect's interest, qualified once."""

from __future__ import annotations

import datetime as dt

import pytest
from rasa_sdk.events import SlotSet

from actions.leads import ActionCreateLead, ValidateLeadForm, timeframe
from crm_backend.models import LeadLevel, LeadStatus
from crm_backend.services import accounts, leads
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.actions.trackers import (
    CALL_DAY,
    SENDER,
    entity,
    form_tracker,
    slot_event,
    tracker,
    user_event,
)

HOT, WARM, COLD = LeadLevel.HOT, LeadLevel.WARM, LeadLevel.COLD
QUALIFIED = LeadStatus.QUALIFIED
FORM_EMPTIED = [
    SlotSet("lead_product", None),
    SlotSet("lead_timeframe", None),
    SlotSet("lead_contact", None),
    SlotSet("lead_name", None),
]


def answers(said_as, words):
    return {"timeframe": said_as, "timeframe_words": words}


async def validate(dispatcher, domain, **kwargs):
    """The slots validated (the form's next question, ``requested_slot``, left out)."""
    events = await ValidateLeadForm().run(dispatcher, form_tracker("lead_form", **kwargs), domain)
    return [e for e in events if e.get("name") != "requested_slot"]


@pytest.mark.parametrize(
    ("said", "answer"),
    [
        ("within a month", "this_month"),
        ("next week", "this_month"),
        ("in the next few months", "this_quarter"),
        ("in about three months", "this_quarter"),
        ("maybe next year", "this_year"),
        ("later this year", "this_year"),
        ("not sure yet", "not_sure"),
        ("15 December", "this_year"),
        ("blue", None),
    ],
)
def test_when_a_prospect_might_buy(said, answer):
    assert timeframe(said, today=CALL_DAY) == answer


async def test_the_product_in_focus_is_the_interest(crm, dispatcher, domain):
    events = await validate(
        dispatcher,
        domain,
        requested_slot=None,
        intent="not_buying_now",
        text="not right now, maybe later",
        slots={"focus_product": "ZEN-PRO"},
    )
    assert events == [
        SlotSet("lead_product", "ZEN-PRO"),
        SlotSet("product_name", "Zenith Pro 15"),
    ]


async def test_an_unknown_product_is_asked_again(crm, dispatcher, domain):
    events = await validate(
        dispatcher,
        domain,
        requested_slot="lead_product",
        entities=[entity("product", "ECL-1000")],
        filled={"lead_product": "ECL-1000"},
    )
    assert events == [SlotSet("lead_product", None), SlotSet("form_notice", "unknown_product")]


async def test_the_timeframe_and_contact_of_a_prospect(crm, dispatcher, domain):
    events = await validate(
        dispatcher,
        domain,
        requested_slot="lead_timeframe",
        slots={"lead_product": "ZEN-PRO"},
        filled={"lead_timeframe": "in the next few months"},
    )
    assert events == [SlotSet("lead_timeframe", "in the next few months")]
    contact = await validate(
        dispatcher,
        domain,
        requested_slot="lead_contact",
        slots={"lead_product": "ZEN-PRO", "lead_timeframe": "this_quarter"},
        filled={"lead_contact": "not telling"},
    )
    assert contact == [SlotSet("lead_contact", None), SlotSet("form_notice", "not_understood")]


async def test_a_verified_customer_is_not_asked_how_to_be_reached(crm, pierre, dispatcher, domain):
    form = ValidateLeadForm()
    known = form_tracker("lead_form", requested_slot=None, slots={"account_id": str(pierre.id)})
    required = await form.required_slots(form.domain_slots(domain), dispatcher, known, domain)
    assert required == ["lead_product", "lead_timeframe"]


def leads_of(crm, account_id):
    with SqlAlchemyUnitOfWork(crm) as uow:
        found = leads.leads_for(uow, account_id=account_id)
        [interaction] = uow.interactions.list_by(conversation_id=SENDER)
        return [
            (
                lead.product.sku,
                lead.source_channel,
                lead.qualification_answers,
                lead.level,
                lead.status,
                interaction.lead_id == lead.id,
            )
            for lead in found
            if lead.created_at.date() == CALL_DAY
        ]


async def test_a_prospects_lead_goes_on_a_new_prospect_account(crm, dispatcher):
    prospect = tracker(
        slots={
            "lead_product": "ZEN-PRO",
            "lead_timeframe": "in the next few months",
            "lead_contact": "julie.roux@example.com",
            "channel": "web",
        }
    )
    events = await ActionCreateLead().run(dispatcher, prospect, {})
    assert events == [
        SlotSet("product_name", "Zenith Pro 15"),
        *FORM_EMPTIED,
        SlotSet("result", "lead_created"),
    ]
    with SqlAlchemyUnitOfWork(crm) as uow:
        [account] = accounts.find_accounts(uow, email="julie.roux@example.com")
        assert (account.first_name, account.last_name) == ("Prospect", "julie.roux@example.com")
        account_id = account.id
    assert leads_of(crm, account_id) == [
        ("ZEN-PRO", "web", answers("this_quarter", "in the next few months"), WARM, QUALIFIED, True)
    ]


async def test_a_customers_lead_goes_on_the_account(crm, pierre, dispatcher):
    customer = tracker(
        slots={
            "account_id": str(pierre.id),
            "lead_product": "MON-27QHD",
            "lead_timeframe": "within a month",
            "channel": "voice",
        }
    )
    await ActionCreateLead().run(dispatcher, customer, {})
    assert leads_of(crm, pierre.id) == [
        ("MON-27QHD", "voice", answers("this_month", "within a month"), HOT, QUALIFIED, True)
    ]


async def test_a_prospect_with_a_customers_phone_is_not_a_new_account(crm, pierre, dispatcher):
    prospect = tracker(
        slots={"lead_product": "NOV-14", "lead_timeframe": "not sure", "lead_contact": "0612345678"}
    )
    events = await ActionCreateLead().run(dispatcher, prospect, {})
    assert leads_of(crm, pierre.id) == [
        ("NOV-14", "web", answers("not_sure", "not sure"), COLD, QUALIFIED, True)
    ]
    assert not [e for e in events if e["name"] in ("account_id", "identity_status")]


async def test_a_named_prospects_new_account_identifies_them(crm, dispatcher):
    prospect = tracker(
        slots={
            "lead_product": "ZEN-PRO",
            "lead_timeframe": "not sure",
            "lead_contact": "julie.roux@example.com",
            "lead_name": "Julie Roux",
        }
    )
    events = await ActionCreateLead().run(dispatcher, prospect, {})
    with SqlAlchemyUnitOfWork(crm) as uow:
        [account] = accounts.find_accounts(uow, email="julie.roux@example.com")
        assert account.name == "Julie Roux"
        account_id, number = account.id, account.customer_number
    assert SlotSet("account_id", str(account_id)) in events
    assert SlotSet("customer_name", "Julie Roux") in events
    assert SlotSet("customer_number", number) in events
    assert SlotSet("identity_status", "verified") in events
    assert events[-1] == SlotSet("result", "lead_created")


async def test_no_lead_when_the_crm_is_down(down, dispatcher):
    prospect = tracker(slots={"lead_product": "NOV-14", "lead_contact": "0611223344"})
    events = await ActionCreateLead().run(dispatcher, prospect, {})
    assert events == [SlotSet("result", "technical_problem")]


def test_dates_count_from_today():
    assert timeframe("in two weeks", today=dt.date(2026, 3, 2)) == "this_month"


# --- how to reach a prospect, and whom ---------------------------------------------------


async def test_by_email_asks_for_the_address_when_none_was_given(crm, dispatcher, domain):
    events = await validate(
        dispatcher,
        domain,
        requested_slot="lead_contact",
        slots={"lead_product": "ZEN-PRO", "lead_timeframe": "later"},
        filled={"lead_contact": "mail is fine i guess"},
    )
    assert events == [SlotSet("lead_contact", None), SlotSet("form_notice", "ask_email")]


async def test_call_me_asks_for_the_number(crm, dispatcher, domain):
    events = await validate(
        dispatcher,
        domain,
        requested_slot="lead_contact",
        slots={"lead_product": "ZEN-PRO", "lead_timeframe": "later"},
        filled={"lead_contact": "just ring me"},
    )
    assert events == [SlotSet("lead_contact", None), SlotSet("form_notice", "ask_phone")]


async def test_by_email_takes_the_address_said_earlier_in_the_conversation(crm, dispatcher, domain):
    earlier = user_event(
        "morning, marc.olivier@example.org here, tell me about the nova",
        intent="ask_product_info",
        entities=[entity("email", "marc.olivier@example.org")],
    )
    asked = tracker(
        text="email works",
        intent="inform",
        events=[
            earlier,
            user_event("email works", intent="inform"),
            slot_event("lead_contact", "email works"),
        ],
        active_loop="lead_form",
        requested_slot="lead_contact",
        slots={"lead_product": "NOV-14", "lead_timeframe": "soon", "lead_contact": "email works"},
    )
    events = await ValidateLeadForm().run(dispatcher, asked, domain)
    assert SlotSet("lead_contact", "marc.olivier@example.org") in events


async def test_a_prospect_nobody_knows_is_asked_a_name(crm, pierre, dispatcher, domain):
    form = ValidateLeadForm()
    slots = form.domain_slots(domain)
    stranger = form_tracker(
        "lead_form", requested_slot=None, slots={"lead_contact": "nadia.k@example.net"}
    )
    known = form_tracker(
        "lead_form", requested_slot=None, slots={"lead_contact": "pierre.moreau@example.fr"}
    )
    assert "lead_name" in await form.required_slots(slots, dispatcher, stranger, domain)
    assert "lead_name" not in await form.required_slots(slots, dispatcher, known, domain)


@pytest.mark.parametrize(
    ("said", "kept"),
    [("I'm Nadia Kaci", "Nadia Kaci"), ("nadia kaci", "Nadia Kaci"), ("Nadia", None)],
)
async def test_a_prospects_name_is_a_first_and_last_name(crm, dispatcher, domain, said, kept):
    events = await validate(
        dispatcher,
        domain,
        requested_slot="lead_name",
        slots={"lead_product": "ZEN-PRO", "lead_timeframe": "later", "lead_contact": "n@k.net"},
        filled={"lead_name": said},
    )
    assert events[0] == SlotSet("lead_name", kept)


async def test_a_named_prospect_gets_an_account_in_their_name(crm, dispatcher):
    prospect = tracker(
        slots={
            "lead_product": "ZEN-PRO",
            "lead_timeframe": "after the summer",
            "lead_contact": "nadia.kaci@example.net",
            "lead_name": "Nadia Kaci",
        }
    )
    await ActionCreateLead().run(dispatcher, prospect, {})
    with SqlAlchemyUnitOfWork(crm) as uow:
        [account] = accounts.find_accounts(uow, email="nadia.kaci@example.net")
        assert (account.first_name, account.last_name) == ("Nadia", "Kaci")
        assert [lead.product.sku for lead in leads.leads_for(uow, account_id=account.id)] == [
            "ZEN-PRO"
        ]
