"""validate_lead_form and action_create_lead: a prospect's interest, qualified once."""

from __future__ import annotations

import datetime as dt

import pytest
from rasa_sdk.events import SlotSet

from actions.leads import ActionCreateLead, ValidateLeadForm, timeframe
from crm_backend.models import LeadLevel, LeadStatus
from crm_backend.services import accounts, leads
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.actions.trackers import CALL_DAY, SENDER, entity, form_tracker, tracker

HOT, WARM, COLD = LeadLevel.HOT, LeadLevel.WARM, LeadLevel.COLD
QUALIFIED = LeadStatus.QUALIFIED
FORM_EMPTIED = [
    SlotSet("lead_product", None),
    SlotSet("lead_timeframe", None),
    SlotSet("lead_contact", None),
]


def answers(said_as, words):
    return {"timeframe": said_as, "timeframe_words": words}


async def validate(dispatcher, domain, **kwargs):
    return await ValidateLeadForm().run(dispatcher, form_tracker("lead_form", **kwargs), domain)


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
    await ActionCreateLead().run(dispatcher, prospect, {})
    assert leads_of(crm, pierre.id) == [
        ("NOV-14", "web", answers("not_sure", "not sure"), COLD, QUALIFIED, True)
    ]


async def test_no_lead_when_the_crm_is_down(down, dispatcher):
    prospect = tracker(slots={"lead_product": "NOV-14", "lead_contact": "0611223344"})
    events = await ActionCreateLead().run(dispatcher, prospect, {})
    assert events == [SlotSet("result", "technical_problem")]


def test_dates_count_from_today():
    assert timeframe("in two weeks", today=dt.date(2026, 3, 2)) == "this_month"
