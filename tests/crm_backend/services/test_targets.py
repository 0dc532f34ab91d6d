"""Targets in words, converted customers skipped, and when an entry is tried again."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from crm_backend.models import ConsentStatus, ContactChannel, Interaction
from crm_backend.services import call_list_entries, call_lists, campaigns, leads, placed_calls
from crm_backend.services.call_lists import TargetFilter, TargetPreview
from crm_backend.services.targets import CONVERTED_BY_LEAD, CONVERTED_BY_ORDER, describe_target
from tests.factories import demo_catalog, make_account, make_order

TODAY = dt.date(2025, 11, 3)
MONDAY_10 = dt.datetime(2025, 11, 3, 9, 0, tzinfo=dt.UTC)  # 10:00 in Paris
PARIS = ZoneInfo("Europe/Paris")
SID = "CA" + "1" * 32


@pytest.mark.parametrize(
    ("criteria", "sentence"),
    [
        ({}, "Every customer."),
        (
            {"consent": "phone", "exclude_do_not_contact": True, "owns_sku": "ECL-1000"},
            "Customers who own the product ECL-1000, agreed to be contacted by phone "
            "and have not asked us never to contact them.",
        ),
        (
            {"owns_product": "eclipse", "owns_category": "laptop", "city": "Lyon"},
            "Customers who own a laptop named “eclipse” and live in Lyon.",
        ),
        (
            {"bought_from": "2025-01-01", "bought_to": "2025-06-30", "lead_level": "hot"},
            "Customers who bought something between 2025-01-01 and 2025-06-30 and have a hot lead.",
        ),
        (
            {"postcode_prefix": "69", "lead_level": "warm", "lead_status": "qualified"},
            "Customers who have a postcode starting with 69 and have a warm, qualified lead.",
        ),
        ({"preferred_channel": "sms"}, "Customers who prefer to be contacted by sms."),
    ],
)
def test_a_target_reads_as_a_sentence(criteria, sentence):
    assert describe_target(criteria) == sentence


def people(uow):
    phone_in = {ContactChannel.PHONE: ConsentStatus.OPT_IN}
    return {
        name: make_account(uow, first_name=name, phones=[phone], emails=[], consents=phone_in)
        for name, phone in (
            ("Ana", "+33600000001"),
            ("Ben", "+33600000002"),
            ("Cleo", "+33600000003"),
        )
    }


def phone_campaign(uow, **more):
    return campaigns.create_campaign(
        uow,
        name="Éclipse",
        script="laptop_upgrade",
        channel="phone",
        starts_on=TODAY,
        ends_on=dt.date(2025, 11, 28),
        product_sku="ECL-3000",
        **more,
    )


def test_the_next_list_of_a_campaign_skips_whom_it_converted(any_uow):
    demo_catalog(any_uow)
    who = people(any_uow)
    campaign = phone_campaign(any_uow)
    other = phone_campaign(any_uow)
    # Ana became a hot lead of this campaign; Ben ordered in one of its calls; Cleo's lead
    # is another campaign's.
    lead = leads.create_lead(
        any_uow, account_id=who["Ana"].id, source_channel="phone", campaign_id=campaign.id
    )
    lead.level = "hot"
    order = make_order(any_uow, who["Ben"], number="SO-000001", promised=TODAY)
    any_uow.interactions.add(
        Interaction(
            channel="voice",
            direction="outbound",
            account_id=who["Ben"].id,
            campaign_id=campaign.id,
            order_id=order.id,
        )
    )
    leads.create_lead(
        any_uow, account_id=who["Cleo"].id, source_channel="phone", campaign_id=other.id
    )
    any_uow.flush()

    preview = call_lists.preview_target(
        any_uow, target=TargetFilter(), channel="phone", campaign_id=campaign.id
    )
    second = call_lists.build_call_list(
        any_uow, campaign_id=campaign.id, name="second", target=TargetFilter(), today=TODAY
    )

    assert preview == TargetPreview(
        eligible_count=1,
        excluded=[(who["Ana"].id, CONVERTED_BY_LEAD), (who["Ben"].id, CONVERTED_BY_ORDER)],
    )
    assert [(e.account_id, e.status, e.priority, e.exclusion_reason) for e in second.entries] == [
        (who["Cleo"].id, "pending", 130, None),
        (who["Ana"].id, "excluded", 0, CONVERTED_BY_LEAD),
        (who["Ben"].id, "excluded", 0, CONVERTED_BY_ORDER),
    ]
    assert call_lists.excluded_by_reason(any_uow, call_list_id=second.id) == {
        CONVERTED_BY_LEAD: 1,
        CONVERTED_BY_ORDER: 1,
    }


def started(uow, **campaign_settings):
    demo_catalog(uow)
    who = people(uow)
    campaign = phone_campaign(uow, **campaign_settings)
    built = call_lists.build_call_list(
        uow,
        campaign_id=campaign.id,
        name="l",
        target=TargetFilter(),
        window=(dt.time(9, 0), dt.time(12, 0)),
        today=TODAY,
    )
    call_lists.start_call_list(uow, call_list_id=built.id)
    entry = next(e for e in built.entries if e.account_id == who["Ana"].id)
    return campaign, built, entry


def no_answer(uow, entry, now):
    assert call_list_entries.claim(uow, entry_id=entry.id, by="dialer", now=now)
    placed_calls.call_placed(uow, entry_id=entry.id, call_sid=SID, now=now)
    return placed_calls.call_ended(
        uow, entry_id=entry.id, call_sid=SID, status="no-answer", now=now + dt.timedelta(seconds=30)
    )


def test_a_no_answer_says_when_it_is_tried_again(any_uow):
    campaign, _, entry = started(any_uow, max_attempts=2, retry_delay_minutes=90)

    before = call_list_entries.next_try(entry, MONDAY_10)
    after = no_answer(any_uow, entry, MONDAY_10)
    retry = call_list_entries.next_try(after, MONDAY_10)
    late = call_list_entries.next_try(after, MONDAY_10.replace(hour=10, minute=50))  # 11:50 Paris
    campaigns.pause_campaign(any_uow, campaign_id=campaign.id)
    paused = call_list_entries.next_try(after, MONDAY_10)

    assert before == call_list_entries.NextTry(at=dt.datetime(2025, 11, 3, 10, 0, tzinfo=PARIS))
    assert (after.status, after.outcome) == ("pending", "no_answer")
    assert retry == call_list_entries.NextTry(at=dt.datetime(2025, 11, 3, 11, 30, 30, tzinfo=PARIS))
    # Asked after the delay is over, inside the window: now.
    assert late == call_list_entries.NextTry(at=dt.datetime(2025, 11, 3, 11, 50, tzinfo=PARIS))
    assert paused == call_list_entries.NextTry(
        at=dt.datetime(2025, 11, 3, 11, 30, 30, tzinfo=PARIS),
        note="once the campaign is active (it is paused)",
    )


def test_a_no_answer_after_the_window_is_tried_the_next_morning(any_uow):
    _, _, entry = started(any_uow, max_attempts=2, retry_delay_minutes=120)

    after = no_answer(any_uow, entry, MONDAY_10.replace(hour=10))  # 11:00 Paris, +2 h: 13:00

    assert call_list_entries.next_try(after, MONDAY_10) == call_list_entries.NextTry(
        at=dt.datetime(2025, 11, 4, 9, 0, tzinfo=PARIS)
    )


def test_a_no_answer_with_no_attempt_left_says_so(any_uow):
    _, _, entry = started(any_uow, max_attempts=1)

    after = no_answer(any_uow, entry, MONDAY_10)

    assert after.status == "done"
    assert call_list_entries.next_try(after, MONDAY_10) == call_list_entries.NextTry(
        at=None, note="no try left (1 of 1 attempts made)"
    )
