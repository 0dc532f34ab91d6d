"""Campaigns: an offer, its script, channel, dates and calling hours."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from crm_backend.errors import CampaignNotFound, InvalidRequest, ProductNotFound
from crm_backend.models import ContactChannel
from crm_backend.services import campaigns
from tests.factories import columns, demo_catalog

NOVEMBER: dict[str, Any] = {"starts_on": dt.date(2025, 11, 3), "ends_on": dt.date(2025, 11, 28)}


def test_create_campaign_writes_a_draft(any_uow):
    demo = demo_catalog(any_uow)

    campaign = campaigns.create_campaign(
        any_uow,
        name=" Éclipse autumn offer ",
        script="laptop_offer",
        channel="phone",
        product_sku="ecl-3000",
        offer="The bag for free with every Éclipse 3000",
        calling_hours=(dt.time(10, 0), dt.time(18, 30)),
        max_attempts=4,
        retry_delay_minutes=90,
        message=" Hello from Lumen: we'll call you back about the Éclipse 3000. ",
        **NOVEMBER,
    )

    assert columns(campaign, without=("created_at",)) == {
        "id": 1,
        "name": "Éclipse autumn offer",
        "product_id": demo.laptop.id,
        "offer": "The bag for free with every Éclipse 3000",
        "script": "laptop_offer",
        "channel": ContactChannel.PHONE,
        "starts_on": dt.date(2025, 11, 3),
        "ends_on": dt.date(2025, 11, 28),
        "calling_hours_start": dt.time(10, 0),
        "calling_hours_end": dt.time(18, 30),
        "max_attempts": 4,
        "retry_delay_minutes": 90,
        "message": "Hello from Lumen: we'll call you back about the Éclipse 3000.",
        "status": "draft",
        "script_a": None,
        "script_b": None,
        "script_b_share": 50,
        "script_test_ended_at": None,
    }


def test_retry_rules_and_message_default_to_three_calls_an_hour_apart_and_silence(any_uow):
    campaign = campaigns.create_campaign(any_uow, name="A", script="s", channel="phone", **NOVEMBER)

    assert (campaign.max_attempts, campaign.retry_delay_minutes, campaign.message) == (3, 60, "")


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"name": " "}, InvalidRequest),
        ({"script": ""}, InvalidRequest),
        ({"channel": "fax"}, InvalidRequest),
        ({"ends_on": dt.date(2025, 11, 2)}, InvalidRequest),
        ({"calling_hours": (dt.time(19, 0), dt.time(9, 0))}, InvalidRequest),
        ({"product_sku": "NOPE"}, ProductNotFound),
        ({"max_attempts": 0}, InvalidRequest),
        ({"max_attempts": 11}, InvalidRequest),
        ({"retry_delay_minutes": 0}, InvalidRequest),
        ({"retry_delay_minutes": 7 * 24 * 60 + 1}, InvalidRequest),
        ({"message": "x" * 501}, InvalidRequest),
    ],
)
def test_create_campaign_refuses_bad_values(any_uow, changes, error):
    given = {"name": "Offer", "script": "laptop_offer", "channel": "sms", **NOVEMBER, **changes}

    with pytest.raises(error):
        campaigns.create_campaign(any_uow, **given)
    assert any_uow.campaigns.count() == 0


def test_get_and_list_campaigns(any_uow):
    first = campaigns.create_campaign(any_uow, name="A", script="s", channel="sms", **NOVEMBER)
    second = campaigns.create_campaign(any_uow, name="B", script="s", channel="email", **NOVEMBER)

    assert campaigns.get_campaign(any_uow, campaign_id=first.id) is first
    assert campaigns.list_campaigns(any_uow) == [second, first]
    with pytest.raises(CampaignNotFound):
        campaigns.get_campaign(any_uow, campaign_id=3)
