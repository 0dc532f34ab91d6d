"""Marketing contacts: the running offer, and the lead a script's answers qualify."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from crm_backend.errors import CampaignNotFound
from crm_backend.models import Campaign, LeadLevel, LeadStatus
from crm_backend.script_reader import parse_script
from crm_backend.services import marketing
from tests.factories import columns, demo_catalog, make_account

NOW = dt.datetime(2026, 3, 10, 10, 30, tzinfo=dt.UTC)
TODAY = NOW.date()
SCRIPT = parse_script(
    textwrap.dedent(
        """\
        script: upgrade
        offer: {en: Trade up., fr: Changez pour mieux.}
        questions:
          - id: age
            ask: {en: How old is it, fr: De quand date-t-il}
            field: laptop_age
            options:
              - answer: {en: Old, fr: Ancien}
                points: 30
              - answer: {en: New, fr: Neuf}
                points: 0
          - id: when
            ask: {en: When, fr: Quand}
            field: timeframe
            options:
              - answer: {en: This month, fr: Ce mois-ci}
                points: 45
              - answer: {en: Never, fr: Jamais}
                disqualifies: true
          - id: note
            ask: {en: Anything else, fr: Autre chose}
        scoring:
          warm_from: 40
          hot_from: 70
        """
    ),
    name="upgrade",
)


def campaign(uow, *, name, sku=None, status="active", starts=-5, ends=20):
    found = uow.campaigns.add(
        Campaign(
            name=name,
            script="upgrade",
            channel="phone",
            product=uow.products.get_by(sku=sku) if sku else None,
            starts_on=TODAY + dt.timedelta(days=starts),
            ends_on=TODAY + dt.timedelta(days=ends),
            status=status,
        )
    )
    uow.flush()
    return found


@pytest.fixture
def pierre(any_uow):
    demo_catalog(any_uow)
    return make_account(any_uow)


def test_the_offer_asked_about_is_the_running_campaign_of_that_product(any_uow, pierre):
    campaign(any_uow, name="old", sku="ECL-3000", starts=-30, ends=-1)
    campaign(any_uow, name="draft", sku="ECL-3000", status="draft")
    laptop = campaign(any_uow, name="laptop", sku="ECL-3000", starts=-10)
    newest = campaign(any_uow, name="newest", starts=-2)

    assert marketing.current_offer(any_uow, product_sku="ECL-3000", today=TODAY) is laptop
    assert marketing.current_offer(any_uow, product_sku="BAG-ECL", today=TODAY) is newest
    assert marketing.current_offer(any_uow, today=TODAY) is newest
    assert marketing.current_offer(any_uow, today=TODAY + dt.timedelta(days=60)) is None


def test_a_scripted_lead_has_the_campaign_answers_score_and_level(any_uow, pierre):
    offer = campaign(any_uow, name="laptop", sku="ECL-3000")

    lead = marketing.create_scripted_lead(
        any_uow,
        script=SCRIPT,
        account_id=pierre.id,
        answers={"when": "This month", "age": "Old", "note": "call after 6"},
        source_channel="voice",
        campaign_id=offer.id,
        now=NOW,
    )

    assert columns(lead, without=("id", "created_at", "updated_at")) == {
        "account_id": pierre.id,
        "source_channel": "voice",
        "campaign_id": offer.id,
        "product_id": any_uow.products.get_by(sku="ECL-3000").id,
        "product_interest": "Éclipse 3000",
        "qualification_answers": {
            "laptop_age": "Old",
            "timeframe": "This month",
            "note": "call after 6",
        },
        "score": 75,
        "level": LeadLevel.HOT,
        "status": LeadStatus.QUALIFIED,
    }
    assert [(a.script, a.question, a.answer, a.recorded_at) for a in pierre.script_answers] == [
        ("upgrade", "age", "Old", NOW),
        ("upgrade", "when", "This month", NOW),
        ("upgrade", "note", "call after 6", NOW),
    ]


def test_a_knock_out_answer_disqualifies_the_lead(any_uow, pierre):
    lead = marketing.create_scripted_lead(
        any_uow,
        script=SCRIPT,
        account_id=pierre.id,
        answers={"age": "New", "when": "Never"},
        source_channel="web",
        now=NOW,
    )

    assert (lead.score, lead.level, lead.status) == (0, LeadLevel.COLD, LeadStatus.DISQUALIFIED)
    assert (lead.campaign_id, lead.product_interest) == (None, "upgrade")


def test_an_unknown_campaign_is_named(any_uow, pierre):
    with pytest.raises(CampaignNotFound):
        marketing.create_scripted_lead(
            any_uow,
            script=SCRIPT,
            account_id=pierre.id,
            answers={"age": "Old"},
            source_channel="web",
            campaign_id=999,
        )
