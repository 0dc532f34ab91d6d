"""A campaign's life: draft → active ⇄ paused → ended, edits, and only real scripts and products."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from crm_backend.errors import InvalidRequest, InvalidScript, InvalidStatusChange, ScriptNotFound
from crm_backend.models import ConsentStatus, ContactChannel
from crm_backend.services import call_list_entries, call_lists, campaigns
from crm_backend.services.call_lists import TargetFilter
from crm_backend.services.campaigns import CampaignFields
from tests.factories import demo_catalog, make_account, make_product

SCRIPTS = Path(__file__).resolve().parents[3] / "data" / "scripts"
TODAY = dt.date(2025, 11, 3)
MONDAY_10 = dt.datetime(2025, 11, 3, 9, 0, tzinfo=dt.UTC)
NOVEMBER = {"starts_on": TODAY, "ends_on": dt.date(2025, 11, 28)}


def new(uow, **changes):
    given = {
        "name": "Éclipse",
        "script": "laptop_upgrade",
        "channel": "phone",
        "product_sku": "ECL-3000",
        "scripts_dir": SCRIPTS,
        **NOVEMBER,
        **changes,
    }
    return campaigns.create_campaign(uow, **given)


def test_a_campaign_goes_draft_active_paused_active_ended(any_uow):
    demo_catalog(any_uow)
    campaign = new(any_uow)
    seen = [(campaign.status, campaigns.actions_of(campaign))]

    for change in (
        lambda: campaigns.activate_campaign(
            any_uow, campaign_id=campaign.id, scripts_dir=SCRIPTS, today=TODAY
        ),
        lambda: campaigns.pause_campaign(any_uow, campaign_id=campaign.id),
        lambda: campaigns.resume_campaign(any_uow, campaign_id=campaign.id),
        lambda: campaigns.end_campaign(any_uow, campaign_id=campaign.id),
    ):
        changed = change()
        seen.append((changed.status, campaigns.actions_of(changed)))

    assert seen == [
        ("draft", ["activate"]),
        ("active", ["pause", "end"]),
        ("paused", ["resume", "end"]),
        ("active", ["pause", "end"]),
        ("ended", []),
    ]
    for refused in (
        campaigns.pause_campaign,
        campaigns.resume_campaign,
        campaigns.end_campaign,
    ):
        with pytest.raises(InvalidStatusChange):
            refused(any_uow, campaign_id=campaign.id)
    with pytest.raises(InvalidStatusChange, match="campaign cannot go from ended to active"):
        campaigns.activate_campaign(any_uow, campaign_id=campaign.id, today=TODAY)


def test_a_draft_cannot_be_ended_nor_an_active_one_resumed(any_uow):
    demo_catalog(any_uow)
    campaign = new(any_uow)

    with pytest.raises(InvalidStatusChange, match="from draft to ended"):
        campaigns.end_campaign(any_uow, campaign_id=campaign.id)
    campaigns.activate_campaign(any_uow, campaign_id=campaign.id, today=TODAY)
    with pytest.raises(InvalidStatusChange, match="from active to active"):
        campaigns.resume_campaign(any_uow, campaign_id=campaign.id)


def test_a_script_that_does_not_exist_or_fails_the_stories_check_is_refused(any_uow, tmp_path):
    demo_catalog(any_uow)
    (tmp_path / "stops.yml").write_text(
        (SCRIPTS / "laptop_upgrade.yml")
        .read_text(encoding="utf-8")
        .replace("script: laptop_upgrade", "script: stops")
        .replace("fr: Moins de deux ans", "fr: Stop maintenant"),
        encoding="utf-8",
    )

    with pytest.raises(ScriptNotFound):
        new(any_uow, script="no_such_script")
    with pytest.raises(InvalidScript, match="unsubscribes an SMS customer"):
        new(any_uow, script="stops", scripts_dir=tmp_path)
    assert any_uow.campaigns.count() == 0


def test_only_a_product_on_sale_may_be_offered(any_uow):
    demo_catalog(any_uow)
    make_product(any_uow, sku="ECL-1000", name="Éclipse 1000", active=False)

    with pytest.raises(InvalidRequest, match="ECL-1000 is no longer sold"):
        new(any_uow, product_sku="ECL-1000")


def test_an_sms_campaign_needs_its_text_and_a_past_one_cannot_start(any_uow):
    demo_catalog(any_uow)
    sms = new(any_uow, channel="sms")
    old = new(any_uow, starts_on=dt.date(2025, 10, 1), ends_on=dt.date(2025, 10, 31))

    with pytest.raises(InvalidRequest, match="needs its text"):
        campaigns.activate_campaign(any_uow, campaign_id=sms.id, today=TODAY)
    with pytest.raises(InvalidRequest, match="ended on 2025-10-31"):
        campaigns.activate_campaign(any_uow, campaign_id=old.id, today=TODAY)
    assert (sms.status, old.status) == ("draft", "draft")


def test_a_started_campaign_keeps_its_script_channel_product_and_first_day(any_uow):
    demo_catalog(any_uow)
    campaign = new(any_uow)
    campaigns.activate_campaign(any_uow, campaign_id=campaign.id, today=TODAY)
    fields = campaigns.fields_of(campaign)

    with pytest.raises(InvalidRequest, match=r"\(channel changed\)"):
        campaigns.update_campaign(
            any_uow,
            campaign_id=campaign.id,
            fields=CampaignFields(**{**vars(fields), "channel": "sms"}),
        )
    later = dt.date(2025, 12, 15)
    campaigns.update_campaign(
        any_uow,
        campaign_id=campaign.id,
        fields=CampaignFields(**{**vars(fields), "name": "Éclipse, longer", "ends_on": later}),
    )

    assert (campaign.name, campaign.ends_on, campaign.channel) == (
        "Éclipse, longer",
        later,
        "phone",
    )
    campaigns.end_campaign(any_uow, campaign_id=campaign.id)
    with pytest.raises(InvalidStatusChange):
        campaigns.update_campaign(any_uow, campaign_id=campaign.id, fields=fields)


def test_only_an_active_campaigns_lists_are_worked(any_uow):
    demo_catalog(any_uow)
    make_account(
        any_uow,
        first_name="Ana",
        phones=["+33600000001"],
        consents={ContactChannel.PHONE: ConsentStatus.OPT_IN},
    )
    campaign = new(any_uow)
    built = call_lists.build_call_list(
        any_uow, campaign_id=campaign.id, name="l", target=TargetFilter(), today=TODAY
    )
    call_lists.start_call_list(any_uow, call_list_id=built.id)

    def due():
        return len(call_list_entries.due_entries(any_uow, now=MONDAY_10))

    working = due()
    campaigns.pause_campaign(any_uow, campaign_id=campaign.id)
    paused = due()
    call_lists.pause_call_list(any_uow, call_list_id=built.id)
    with pytest.raises(InvalidRequest, match="resume it first"):
        call_lists.start_call_list(any_uow, call_list_id=built.id)
    campaigns.resume_campaign(any_uow, campaign_id=campaign.id)
    call_lists.start_call_list(any_uow, call_list_id=built.id)
    resumed = due()
    campaigns.end_campaign(any_uow, campaign_id=campaign.id)

    assert (working, paused, resumed, due()) == (1, 0, 1, 0)
    assert built.status == "paused"
