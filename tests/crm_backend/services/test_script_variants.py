"""A/B tests of a campaign's script: the split, the variant each entry gets, the figures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from crm_backend.errors import InvalidRequest, ScriptNotFound
from crm_backend.models import ConsentStatus, ContactChannel, LeadStatus
from crm_backend.services import (
    call_list_entries,
    call_lists,
    campaigns,
    leads,
    script_variants,
)
from crm_backend.services.call_lists import TargetFilter
from crm_backend.services.script_variants import Interval, wilson
from tests.factories import demo_catalog, make_account

SCRIPTS = Path(__file__).resolve().parents[3] / "data" / "scripts"
A, B = "laptop_upgrade", "laptop_upgrade_direct"
TODAY = dt.date(2026, 3, 2)
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def a_campaign(uow, *, people: int, postcode: str = "59800"):
    demo_catalog(uow)
    for n in range(people):
        make_account(
            uow,
            first_name=f"P{n}",
            last_name="Test",
            phones=[f"+336980{n:05d}"],
            emails=[],
            postcode=postcode,
            consents={ContactChannel.PHONE: ConsentStatus.OPT_IN},
        )
    return campaigns.create_campaign(
        uow,
        name="Trade-up",
        script=A,
        channel="phone",
        starts_on=TODAY,
        ends_on=TODAY + dt.timedelta(days=30),
        product_sku="ECL-3000",
    )


def a_list(uow, campaign, postcode: str = "59800"):
    return call_lists.build_call_list(
        uow,
        campaign_id=campaign.id,
        name="North",
        target=TargetFilter(postcode_prefix=postcode),
        today=TODAY,
    )


def test_the_set_share_of_a_list_gets_variant_b_and_the_rest_the_campaigns_script(any_uow):
    campaign = a_campaign(any_uow, people=200)
    script_variants.set_variant(
        any_uow, campaign_id=campaign.id, script_b=B, share_b=30, scripts_dir=SCRIPTS
    )

    built = a_list(any_uow, campaign)

    scripts = [e.script for e in built.entries]
    assert (scripts.count(A), scripts.count(B)) == (140, 60)
    assert {script_variants.script_for(e) for e in built.entries} == {A, B}


def test_setting_the_test_on_a_draft_splits_the_lists_it_already_has(any_uow):
    campaign = a_campaign(any_uow, people=40)
    built = a_list(any_uow, campaign)
    assert {e.script for e in built.entries} == {None}

    script_variants.set_variant(any_uow, campaign_id=campaign.id, script_b=B, share_b=50)
    assert sorted(e.script or "" for e in built.entries).count(B) == 20

    script_variants.set_variant(any_uow, campaign_id=campaign.id, script_b=None)
    assert {script_variants.script_for(e) for e in built.entries} == {A}
    assert script_variants.report(any_uow, campaign_id=campaign.id) is None


@pytest.mark.parametrize(
    ("script_b", "share", "refusal"),
    [
        (A, 50, "another script than the campaign's own"),
        (B, 0, "1 to 99 %"),
        (B, 100, "1 to 99 %"),
    ],
)
def test_a_variant_that_is_no_test_is_refused(any_uow, script_b, share, refusal):
    campaign = a_campaign(any_uow, people=1)

    with pytest.raises(InvalidRequest, match=refusal):
        script_variants.set_variant(
            any_uow, campaign_id=campaign.id, script_b=script_b, share_b=share
        )


def test_a_variant_must_be_a_script_that_exists(any_uow):
    campaign = a_campaign(any_uow, people=1)

    with pytest.raises(ScriptNotFound):
        script_variants.set_variant(
            any_uow, campaign_id=campaign.id, script_b="no_such", scripts_dir=SCRIPTS
        )


def test_the_split_stays_once_the_campaign_has_started(any_uow):
    campaign = a_campaign(any_uow, people=1)
    script_variants.set_variant(any_uow, campaign_id=campaign.id, script_b=B)
    campaigns.activate_campaign(any_uow, campaign_id=campaign.id, today=TODAY)

    with pytest.raises(InvalidRequest, match="draft"):
        script_variants.set_variant(any_uow, campaign_id=campaign.id, script_b=None)


def test_the_script_under_test_cannot_be_swapped_under_it(any_uow):
    campaign = a_campaign(any_uow, people=1)
    script_variants.set_variant(any_uow, campaign_id=campaign.id, script_b=B)
    fields = campaigns.fields_of(campaign)

    with pytest.raises(InvalidRequest, match="A/B test"):
        campaigns.update_campaign(
            any_uow,
            campaign_id=campaign.id,
            fields=campaigns.CampaignFields(**{**fields.__dict__, "script": B}),
        )


def contact(uow, entry, *, outcome: str, qualified: bool | None = None, campaign_id: int):
    """One call as the dialer and the bot record it: claimed, placed, an outcome, ended."""
    call_list_entries.claim(uow, entry_id=entry.id, by="dialer", now=NOW)
    uow.call_list_entries.get(entry.id).attempts += 1
    lead_id = None
    if qualified is not None:
        lead = leads.create_lead(
            uow, account_id=entry.account_id, source_channel="voice", campaign_id=campaign_id
        )
        lead.status = LeadStatus.QUALIFIED if qualified else LeadStatus.DISQUALIFIED
        lead_id = lead.id
    call_list_entries.record_outcome(uow, entry_id=entry.id, outcome=outcome, lead_id=lead_id)


def test_the_report_counts_each_variant_from_its_entries(any_uow):
    campaign = a_campaign(any_uow, people=20)
    script_variants.set_variant(any_uow, campaign_id=campaign.id, script_b=B, share_b=50)
    built = a_list(any_uow, campaign)
    by_script = {
        s: [e for e in built.entries if e.script == s] for s in (A, B)
    }  # 10 each, in a random order
    plan = {
        # A: 6 tried, 4 reached, 2 leads of which 1 qualified
        A: ["no_answer", "busy", "not_interested", "not_interested", "lead+", "lead-"],
        # B: 8 tried, 7 reached, 4 leads, all qualified
        B: ["machine", "answered", "callback_booked", "not_interested", *["lead+"] * 4],
    }
    for script, outcomes in plan.items():
        for entry, outcome in zip(by_script[script], outcomes, strict=False):
            if outcome.startswith("lead"):
                contact(
                    any_uow,
                    entry,
                    outcome="lead_created",
                    qualified=outcome == "lead+",
                    campaign_id=campaign.id,
                )
            else:
                contact(any_uow, entry, outcome=outcome, campaign_id=campaign.id)

    report = script_variants.report(any_uow, campaign_id=campaign.id)

    assert report is not None
    assert [
        (v.label, v.script, v.assigned, v.contacts, v.reached, v.leads, v.qualified)
        for v in report.variants
    ] == [("A", A, 10, 6, 4, 2, 1), ("B", B, 10, 8, 7, 4, 4)]
    assert [v.conversion for v in report.variants] == [1 / 4, 4 / 7]
    assert report.observed_share_b == 8 / 14
    assert report.running
    assert report.kept is None
    assert report.verdict.startswith("No clear difference yet")


def test_wilson_and_newcombe_give_the_published_intervals():
    # Newcombe (1998), Statistics in Medicine 17:873, example: 56/70 against 48/80.
    def rounded(interval: Interval) -> tuple[float, float]:
        return round(interval.low, 4), round(interval.high, 4)

    # The Wilson intervals by hand: centre (p + z²/2n) / (1 + z²/n), half-width
    # z √(p(1-p)/n + z²/4n²) / (1 + z²/n); for 56/70: 0.7844 ± 0.0926.
    assert rounded(wilson(56, 70)) == (0.6918, 0.877)
    assert rounded(wilson(0, 10)) == (0.0, 0.2775)
    b = script_variants.VariantResult("B", B, 70, 70, 70, 56, 56, 56 / 70, wilson(56, 70))
    a = script_variants.VariantResult("A", A, 80, 80, 80, 48, 48, 48 / 80, wilson(48, 80))
    difference = script_variants._newcombe(b, a)
    assert difference is not None
    assert rounded(difference) == (0.0524, 0.3339)


def test_keeping_a_variant_ends_the_test_and_moves_the_untried_to_it(any_uow):
    campaign = a_campaign(any_uow, people=10)
    script_variants.set_variant(any_uow, campaign_id=campaign.id, script_b=B, share_b=50)
    built = a_list(any_uow, campaign)
    campaigns.activate_campaign(any_uow, campaign_id=campaign.id, today=TODAY)
    tried_a = next(e for e in built.entries if e.script == A)
    contact(any_uow, tried_a, outcome="not_interested", campaign_id=campaign.id)

    script_variants.keep_variant(any_uow, campaign_id=campaign.id, script=B, now=NOW)

    assert campaign.script == B
    assert tried_a.script == A
    assert {script_variants.script_for(e) for e in built.entries if e is not tried_a} == {B}
    report = script_variants.report(any_uow, campaign_id=campaign.id)
    assert report is not None
    assert (report.running, report.kept) == (False, B)
    assert [(v.script, v.contacts) for v in report.variants] == [(A, 1), (B, 0)]
    with pytest.raises(InvalidRequest, match="no script test is running"):
        script_variants.keep_variant(any_uow, campaign_id=campaign.id, script=A)
    # A list built after the test: everyone gets the kept script.
    later = call_lists.build_call_list(
        any_uow,
        campaign_id=campaign.id,
        name="Later",
        target=TargetFilter(postcode_prefix="59800"),
        today=TODAY,
    )
    assert {script_variants.script_for(e) for e in later.entries} == {B}


def test_only_a_variant_of_the_test_can_be_kept(any_uow):
    campaign = a_campaign(any_uow, people=1)
    script_variants.set_variant(any_uow, campaign_id=campaign.id, script_b=B)
    campaigns.activate_campaign(any_uow, campaign_id=campaign.id, today=TODAY)

    with pytest.raises(InvalidRequest, match="one of the two variants"):
        script_variants.keep_variant(any_uow, campaign_id=campaign.id, script="other")
