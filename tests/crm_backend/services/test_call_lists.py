"""Call lists: targets, consent exclusions with reasons, priorities, windows."""

from __future__ import annotations

import datetime as dt

import pytest

from crm_backend.errors import (
    CampaignNotFound,
    InvalidRequest,
)
from crm_backend.models import ConsentStatus, ContactChannel, LeadLevel, LeadStatus
from crm_backend.services import accounts, call_lists, campaigns, leads
from crm_backend.services.call_lists import TargetFilter, TargetPreview
from tests.factories import columns, demo_catalog, make_account, make_product, own_product

TODAY = dt.date(2025, 11, 3)
PHONE_IN = {ContactChannel.PHONE: ConsentStatus.OPT_IN}
NINE, SEVEN_PM = dt.time(9, 0), dt.time(19, 0)


def at(days_ago):
    return dt.datetime.combine(TODAY - dt.timedelta(days=days_ago), NINE, tzinfo=dt.UTC)


def person(uow, first_name, *, postcode="69002", city="Lyon", consents=PHONE_IN, **more):
    return make_account(
        uow,
        first_name=first_name,
        last_name="Test",
        phones=[],
        emails=[],
        postcode=postcode,
        city=city,
        consents=consents,
        **more,
    )


def lead_for(uow, account, *, level, days_ago, status=LeadStatus.NEW):
    lead = leads.create_lead(
        uow, account_id=account.id, source_channel="phone", product_sku="ECL-3000", now=at(days_ago)
    )
    lead.level, lead.status = level, status
    uow.flush()
    return lead


@pytest.fixture
def scene(any_uow):
    """A Lyon campaign's people: three reachable, three not, one elsewhere."""
    demo = demo_catalog(any_uow)
    people = {
        "pierre": person(any_uow, "Pierre"),
        "anne": person(any_uow, "Anne", do_not_contact=True),
        "luc": person(any_uow, "Luc", consents={ContactChannel.PHONE: ConsentStatus.OPT_OUT}),
        "marie": person(any_uow, "Marie", consents={ContactChannel.SMS: ConsentStatus.OPT_IN}),
        "paul": person(any_uow, "Paul", postcode="69100", city="Villeurbanne"),
        "julie": person(any_uow, "Julie", postcode="69003"),
        "karim": person(any_uow, "Karim", postcode="13001", city="Marseille"),
    }
    hot = lead_for(any_uow, people["pierre"], level=LeadLevel.HOT, days_ago=5)
    lead_for(any_uow, people["pierre"], level=LeadLevel.COLD, days_ago=1)
    warm = lead_for(any_uow, people["paul"], level=LeadLevel.WARM, days_ago=60)
    lead_for(any_uow, people["anne"], level=LeadLevel.HOT, days_ago=2)
    own_product(any_uow, people["julie"], demo.printer, purchased_on=TODAY - dt.timedelta(days=400))
    own_product(any_uow, people["paul"], demo.printer, purchased_on=TODAY - dt.timedelta(days=200))
    campaign = campaigns.create_campaign(
        any_uow,
        name="Éclipse in Lyon",
        script="laptop_offer",
        channel="phone",
        starts_on=TODAY,
        ends_on=TODAY + dt.timedelta(days=25),
        product_sku="ECL-3000",
    )
    return {**people, "hot": hot, "warm": warm, "campaign": campaign, "demo": demo}


def entry(
    account,
    *,
    priority=0,
    lead=None,
    status="pending",
    reason=None,
    window=(NINE, SEVEN_PM),
    basis=(),
):
    return {
        "account_id": account.id,
        "lead_id": lead.id if lead else None,
        "priority": priority,
        "priority_basis": [list(part) for part in basis],
        "window_start": window[0],
        "window_end": window[1],
        "timezone": "Europe/Paris",
        "status": status,
        "exclusion_reason": reason,
        "attempts": 0,
        "last_attempt_at": None,
        "next_attempt_at": None,
        "claimed_by": None,
        "claimed_at": None,
        "call_sid": None,
        "answered_by": None,
        "outcome": None,
        "notes": None,
        "script": None,
    }


def test_preview_counts_the_reachable_and_names_the_excluded(any_uow, scene):
    preview = call_lists.preview_target(
        any_uow, target=TargetFilter(postcode_prefix="69"), channel="phone"
    )

    assert preview == TargetPreview(
        eligible_count=3,
        excluded=[
            (scene["anne"].id, "do-not-contact"),
            (scene["luc"].id, "opted out"),
            (scene["marie"].id, "no consent for outbound"),
        ],
    )


def test_build_call_list_by_priority_with_the_excluded_last(any_uow, scene):
    call_list = call_lists.build_call_list(
        any_uow,
        campaign_id=scene["campaign"].id,
        name=" Lyon, first wave ",
        target=TargetFilter(postcode_prefix="69"),
        today=TODAY,
    )

    assert columns(call_list, without=("created_at",)) == {
        "id": 1,
        "name": "Lyon, first wave",
        "campaign_id": scene["campaign"].id,
        "assigned_to": "bot",
        "criteria": {"postcode_prefix": "69"},
        "status": "draft",
    }
    assert [columns(e, without=("id", "call_list_id")) for e in call_list.entries] == [
        entry(
            scene["pierre"],
            priority=330,
            lead=scene["hot"],
            basis=[("hot lead", 300), ("last purchase or interest 5 days ago", 30)],
        ),
        entry(
            scene["paul"],
            priority=220,
            lead=scene["warm"],
            basis=[("warm lead", 200), ("last purchase or interest 60 days ago", 20)],
        ),
        entry(
            scene["julie"],
            priority=0,
            basis=[("no lead", 0), ("last purchase or interest 400 days ago", 0)],
        ),
        entry(
            scene["anne"],
            status="excluded",
            reason="do-not-contact",
            lead=_lead_of(any_uow, scene["anne"]),
        ),
        entry(scene["luc"], status="excluded", reason="opted out"),
        entry(scene["marie"], status="excluded", reason="no consent for outbound"),
    ]


def _lead_of(uow, account):
    return leads.leads_for(uow, account_id=account.id)[0]


def test_call_list_is_read_back_in_the_same_order(uow_factory):
    with uow_factory() as uow:
        demo_catalog(uow)
        reachable = [person(uow, name) for name in ("A", "B", "C")]
        lead_for(uow, reachable[2], level=LeadLevel.WARM, days_ago=3)
        person(uow, "D", consents={})
        campaign = campaigns.create_campaign(
            uow, name="c", script="s", channel="phone", starts_on=TODAY, ends_on=TODAY
        )
        built = call_lists.build_call_list(
            uow, campaign_id=campaign.id, name="l", target=TargetFilter(), today=TODAY
        )
        expected = [(e.account_id, e.priority, e.status) for e in built.entries]
        uow.commit()
    with uow_factory() as uow:
        read = call_lists.get_call_list(uow, call_list_id=built.id)
        assert [(e.account_id, e.priority, e.status) for e in read.entries] == expected
        assert expected[0][:2] == (3, 230)


@pytest.mark.parametrize(
    ("target", "names"),
    [
        (TargetFilter(), ["pierre", "paul", "julie", "karim"]),
        (TargetFilter(owns_sku="prn-200"), ["paul", "julie"]),
        (TargetFilter(bought_from=dt.date(2025, 1, 1)), ["paul"]),
        (TargetFilter(bought_to=dt.date(2025, 1, 1)), ["julie"]),
        (TargetFilter(owns_sku="ECL-3000"), []),
        (TargetFilter(city="LYON"), ["pierre", "julie"]),
        (TargetFilter(city="villeurbanne"), ["paul"]),
        (TargetFilter(postcode_prefix="13"), ["karim"]),
        (TargetFilter(lead_level=LeadLevel.HOT), ["pierre"]),
        (TargetFilter(lead_level=LeadLevel.COLD, postcode_prefix="69"), ["pierre"]),
        (TargetFilter(lead_status=LeadStatus.QUALIFIED), []),
        (TargetFilter(lead_level=LeadLevel.WARM, owns_sku="PRN-200"), ["paul"]),
    ],
)
def test_target_filters(any_uow, scene, target, names):
    call_list = call_lists.build_call_list(
        any_uow, campaign_id=scene["campaign"].id, name="t", target=target, today=TODAY
    )

    pending = {e.account_id for e in call_list.entries if e.status == "pending"}
    assert pending == {scene[n].id for n in names}


def test_preferred_channel_filter(any_uow, scene):
    accounts.record_preference(
        any_uow, account_id=scene["julie"].id, key="preferred_channel", value="Phone", source="chat"
    )

    preview = call_lists.preview_target(
        any_uow, target=TargetFilter(preferred_channel="phone"), channel="phone"
    )

    assert preview == TargetPreview(eligible_count=1, excluded=[])


def test_window_must_lie_within_the_calling_hours(any_uow, scene):
    narrow = call_lists.build_call_list(
        any_uow,
        campaign_id=scene["campaign"].id,
        name="evening",
        target=TargetFilter(city="Lyon"),
        window=(dt.time(17, 0), dt.time(19, 0)),
        today=TODAY,
    )

    assert [(e.window_start, e.window_end) for e in narrow.entries] == [
        (dt.time(17, 0), dt.time(19, 0))
    ] * 5
    with pytest.raises(InvalidRequest):
        call_lists.build_call_list(
            any_uow,
            campaign_id=scene["campaign"].id,
            name="late",
            target=TargetFilter(),
            window=(dt.time(18, 0), dt.time(21, 0)),
        )


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"campaign_id": 9}, CampaignNotFound),
        ({"name": " "}, InvalidRequest),
        ({"assigned_to": ""}, InvalidRequest),
        ({"assigned_to": "nobody"}, InvalidRequest),
    ],
)
def test_build_call_list_refuses_bad_values(any_uow, scene, changes, error):
    given = {"campaign_id": scene["campaign"].id, "name": "l", "target": TargetFilter(), **changes}

    with pytest.raises(error):
        call_lists.build_call_list(any_uow, **given)
    assert any_uow.call_lists.count() == 0


def test_owners_of_an_eclipse_laptop_in_lyon(any_uow):
    """The acceptance example: the exact entries, and who is left out and why."""
    demo = demo_catalog(any_uow)
    old = make_product(any_uow, sku="ECL-1000", name="Éclipse 1000", active=False)
    long_ago = TODAY - dt.timedelta(days=4 * 365)
    owners = {
        "pierre": (person(any_uow, "Pierre"), demo.laptop, TODAY - dt.timedelta(days=20)),
        "sophie": (person(any_uow, "Sophie", postcode="69006"), old, long_ago),
        "hugo": (person(any_uow, "Hugo", city="LYON"), old, long_ago),
        "anne": (person(any_uow, "Anne", do_not_contact=True), demo.laptop, long_ago),
        "luc": (
            person(any_uow, "Luc", consents={ContactChannel.PHONE: ConsentStatus.OPT_OUT}),
            old,
            long_ago,
        ),
        "marie": (
            person(any_uow, "Marie", consents={ContactChannel.SMS: ConsentStatus.OPT_IN}),
            demo.laptop,
            long_ago,
        ),
        # Not owners of an Éclipse laptop in Lyon:
        "bernard": (person(any_uow, "Bernard"), demo.bag, long_ago),
        "julie": (person(any_uow, "Julie"), demo.cheaper, long_ago),
        "karim": (person(any_uow, "Karim", postcode="13001", city="Marseille"), old, long_ago),
        "paul": (person(any_uow, "Paul", postcode="69100", city="Villeurbanne"), old, long_ago),
    }
    for account, product, bought in owners.values():
        own_product(any_uow, account, product, purchased_on=bought)
    people = {name: account for name, (account, _, _) in owners.items()}
    warm = lead_for(any_uow, people["hugo"], level=LeadLevel.WARM, days_ago=100)
    campaign = campaigns.create_campaign(
        any_uow,
        name="Trade up to the Éclipse 3000",
        script="laptop_offer",
        channel="phone",
        starts_on=TODAY,
        ends_on=TODAY + dt.timedelta(days=25),
        product_sku="ECL-3000",
    )
    target = TargetFilter(owns_product="eclipse", owns_category="laptop", city="Lyon")

    preview = call_lists.preview_target(any_uow, target=target, channel="phone")
    call_list = call_lists.build_call_list(
        any_uow, campaign_id=campaign.id, name="Éclipse owners, Lyon", target=target, today=TODAY
    )

    assert preview == TargetPreview(
        eligible_count=3,
        excluded=[
            (people["anne"].id, "do-not-contact"),
            (people["luc"].id, "opted out"),
            (people["marie"].id, "no consent for outbound"),
        ],
    )
    assert call_list.criteria == {
        "owns_product": "eclipse",
        "owns_category": "laptop",
        "city": "Lyon",
    }
    assert [columns(e, without=("id", "call_list_id")) for e in call_list.entries] == [
        entry(
            people["hugo"],
            priority=210,
            lead=warm,
            basis=[("warm lead", 200), ("last purchase or interest 100 days ago", 10)],
        ),
        entry(
            people["pierre"],
            priority=30,
            basis=[("no lead", 0), ("last purchase or interest 20 days ago", 30)],
        ),
        entry(
            people["sophie"],
            priority=0,
            basis=[("no lead", 0), (f"last purchase or interest {4 * 365} days ago", 0)],
        ),
        entry(people["anne"], status="excluded", reason="do-not-contact"),
        entry(people["luc"], status="excluded", reason="opted out"),
        entry(people["marie"], status="excluded", reason="no consent for outbound"),
    ]
