"""Leads: created from a contact, qualified by a scoring that is data."""

from __future__ import annotations

import datetime as dt

import pytest

from crm_backend.errors import (
    AccountNotFound,
    CampaignNotFound,
    InvalidRequest,
    InvalidStatusChange,
    LeadNotFound,
    ProductNotFound,
)
from crm_backend.models import Campaign, LeadLevel, LeadStatus
from crm_backend.services import leads
from crm_backend.services.leads import DEFAULT_SCORING, Scoring
from tests.factories import columns, demo_catalog, make_account

WITHOUT = ("created_at", "updated_at")


@pytest.fixture
def pierre(any_uow):
    demo_catalog(any_uow)
    return make_account(any_uow)


def test_create_lead_records_its_source_and_interest(any_uow, pierre):
    campaign = any_uow.campaigns.add(
        Campaign(
            name="Rentrée",
            script="laptop_offer",
            channel="phone",
            starts_on=dt.date(2025, 9, 1),
            ends_on=dt.date(2025, 9, 30),
        )
    )
    any_uow.flush()

    lead = leads.create_lead(
        any_uow,
        account_id=pierre.id,
        source_channel=" Phone ",
        product_sku="ecl-3000",
        campaign_id=campaign.id,
        answers={"budget": "planned"},
    )

    assert columns(lead, without=WITHOUT) == {
        "id": 1,
        "account_id": pierre.id,
        "source_channel": "phone",
        "campaign_id": campaign.id,
        "product_id": 1,
        "product_interest": "Éclipse 3000",
        "qualification_answers": {"budget": "planned"},
        "score": 15,
        "level": LeadLevel.COLD,
        "status": LeadStatus.NEW,
    }


def test_lead_without_product_keeps_the_interest_in_words(any_uow, pierre):
    lead = leads.create_lead(
        any_uow, account_id=pierre.id, source_channel="chat", product_interest="a light laptop"
    )

    assert (lead.product_id, lead.product_interest, lead.score, lead.level) == (
        None,
        "a light laptop",
        0,
        LeadLevel.COLD,
    )


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"account_id": 99}, AccountNotFound),
        ({"product_sku": "NOPE"}, ProductNotFound),
        ({"campaign_id": 7}, CampaignNotFound),
        ({"source_channel": " "}, InvalidRequest),
    ],
)
def test_lead_references_must_exist(any_uow, pierre, changes, error):
    with pytest.raises(error):
        leads.create_lead(any_uow, **{"account_id": pierre.id, "source_channel": "chat", **changes})
    assert any_uow.leads.count() == 0


@pytest.mark.parametrize(
    ("answers", "score", "level", "status"),
    [
        (
            {
                "budget": "approved",
                "timeframe": "This month",
                "decision_maker": "yes",
                "need": "urgent",
            },
            100,
            LeadLevel.HOT,
            LeadStatus.QUALIFIED,
        ),
        (
            {
                "budget": "planned",
                "timeframe": "this_quarter",
                "decision_maker": "shared",
                "need": "clear",
            },
            60,
            LeadLevel.WARM,
            LeadStatus.QUALIFIED,
        ),
        ({"budget": "approved", "need": "clear"}, 40, LeadLevel.WARM, LeadStatus.QUALIFIED),
        (
            {"budget": "unknown", "need": "exploring", "colour": "red"},
            10,
            LeadLevel.COLD,
            LeadStatus.QUALIFIED,
        ),
        (
            {
                "budget": "none",
                "timeframe": "this_month",
                "decision_maker": "yes",
                "need": "urgent",
            },
            75,
            LeadLevel.HOT,
            LeadStatus.DISQUALIFIED,
        ),
    ],
)
def test_default_qualification(any_uow, pierre, answers, score, level, status):
    lead = leads.create_lead(any_uow, account_id=pierre.id, source_channel="phone")

    leads.qualify_lead(any_uow, lead_id=lead.id, answers=answers)

    assert (lead.qualification_answers, lead.score, lead.level, lead.status) == (
        answers,
        score,
        level,
        status,
    )


def test_thresholds_are_inclusive():
    assert [DEFAULT_SCORING.level(s) for s in (39, 40, 69, 70)] == [
        LeadLevel.COLD,
        LeadLevel.WARM,
        LeadLevel.WARM,
        LeadLevel.HOT,
    ]


def test_later_answers_add_to_earlier_ones(any_uow, pierre):
    lead = leads.create_lead(
        any_uow, account_id=pierre.id, source_channel="phone", answers={"budget": "approved"}
    )

    leads.qualify_lead(
        any_uow, lead_id=lead.id, answers={"need": "urgent", "timeframe": "this_month"}
    )

    assert (lead.qualification_answers, lead.score, lead.level) == (
        {"budget": "approved", "need": "urgent", "timeframe": "this_month"},
        75,
        LeadLevel.HOT,
    )


def test_a_script_brings_its_own_scoring(any_uow, pierre):
    printers = Scoring(
        points={"pages_per_month": {"over_1000": 50, "under_1000": 10}, "colour": {"yes": 30}},
        knockouts={"has_contract": frozenset({"yes"})},
        warm_from=30,
        hot_from=80,
    )
    lead = leads.create_lead(any_uow, account_id=pierre.id, source_channel="sms")

    leads.qualify_lead(
        any_uow,
        lead_id=lead.id,
        answers={"pages_per_month": "Over 1000", "colour": "yes"},
        scoring=printers,
    )

    assert (lead.score, lead.level, lead.status) == (80, LeadLevel.HOT, LeadStatus.QUALIFIED)


def test_qualified_answers_are_saved(uow_factory):
    with uow_factory() as uow:
        demo_catalog(uow)
        lead = leads.create_lead(uow, account_id=make_account(uow).id, source_channel="phone")
        uow.commit()
    with uow_factory() as uow:
        leads.qualify_lead(uow, lead_id=lead.id, answers={"budget": "approved", "need": "urgent"})
        uow.commit()
    with uow_factory() as uow:
        saved = leads.get_lead(uow, lead_id=lead.id)
        assert (saved.qualification_answers, saved.score, saved.status) == (
            {"budget": "approved", "need": "urgent"},
            50,
            LeadStatus.QUALIFIED,
        )


def test_leads_of_an_account_newest_first(any_uow, pierre):
    first = leads.create_lead(any_uow, account_id=pierre.id, source_channel="phone")
    second = leads.create_lead(any_uow, account_id=pierre.id, source_channel="chat")
    other = make_account(any_uow, first_name="Anne", phones=[], emails=[])
    leads.create_lead(any_uow, account_id=other.id, source_channel="chat")

    assert leads.leads_for(any_uow, account_id=pierre.id) == [second, first]


@pytest.mark.parametrize(
    ("path", "target", "allowed"),
    [
        ([], LeadStatus.QUALIFIED, True),
        ([], LeadStatus.CONVERTED, True),
        ([LeadStatus.QUALIFIED], LeadStatus.CONVERTED, True),
        ([LeadStatus.DISQUALIFIED], LeadStatus.QUALIFIED, True),
        ([LeadStatus.DISQUALIFIED], LeadStatus.CONVERTED, False),
        ([LeadStatus.CONVERTED], LeadStatus.QUALIFIED, False),
        ([], LeadStatus.NEW, False),
        ([], "won", False),
    ],
)
def test_lead_life_cycle(any_uow, pierre, path, target, allowed):
    lead = leads.create_lead(any_uow, account_id=pierre.id, source_channel="phone")
    for status in path:
        leads.change_lead_status(any_uow, lead_id=lead.id, status=status)
    before = lead.status

    if allowed:
        leads.change_lead_status(any_uow, lead_id=lead.id, status=target)
        assert lead.status == target
    else:
        with pytest.raises(InvalidStatusChange):
            leads.change_lead_status(any_uow, lead_id=lead.id, status=target)
        assert lead.status == before


def test_converted_lead_is_not_requalified(any_uow, pierre):
    lead = leads.create_lead(any_uow, account_id=pierre.id, source_channel="phone")
    leads.change_lead_status(any_uow, lead_id=lead.id, status=LeadStatus.CONVERTED)

    with pytest.raises(InvalidStatusChange):
        leads.qualify_lead(any_uow, lead_id=lead.id, answers={"budget": "approved"})
    assert lead.qualification_answers == {}


def test_unknown_lead(any_uow):
    with pytest.raises(LeadNotFound):
        leads.qualify_lead(any_uow, lead_id=5, answers={})
