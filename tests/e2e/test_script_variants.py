"""An A/B test of a campaign's script on the real stack: set on the campaign's page in Chromium,
heard by the people called through the phone door, counted over 200 contacts on the page, and
ended by keeping the variant that converts better.

The 200 contacts are simulated at the CRM's door, with the calls the dialer and the bot make
(claim, call placed, the script's lead or an outcome, call ended): ringing 200 people through
Rasa would take the CI's half hour. Two of them are real calls through the phone door, one per
variant, to show that each person hears the script they were given.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from channels.twilio.simulator import SignedPoster
from crm_backend.models import CallListEntry, Campaign, ConsentStatus, ContactChannel
from crm_backend.services import (
    call_list_entries,
    call_lists,
    campaigns,
    marketing,
    placed_calls,
    script_variants,
    scripts,
)
from crm_backend.services.call_lists import TargetFilter
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.factories import make_account

from .conftest import TWILIO_AUTH_TOKEN, LiveStack
from .test_campaign_pages import MANAGER, a_manager
from .test_handoff_desk import PASSWORD, screenshots_on_failure
from .test_marketing_calls import AnsweredCall, Called

A, B = "laptop_upgrade", "laptop_upgrade_direct"
OFFERS = {A: "trade up to the new Éclipse 3000", B: "from 899 euros"}
SHARE_B = 30
# What the simulated people do: a person answers 7 times in 10; of those reached,
# variant A turns 2 in 10 into a qualified lead, variant B 4 in 10.
REACHED, CONVERTS = 0.7, {A: 0.2, B: 0.4}
NAMES = ("Heard variants", "Trade-up A/B")
GOOD_ANSWERS = {
    "laptop_age": "More than four years",
    "main_use": "Work and travel",
    "timeframe": "This month",
    "budget": "Over 1500 euros",
}


@pytest.fixture
def poster(live_stack: LiveStack) -> Iterator[SignedPoster]:
    with httpx.Client(timeout=30) as client:
        yield SignedPoster(client, public_url=live_stack.url, auth_token=TWILIO_AUTH_TOKEN)


@pytest.fixture(autouse=True)
def campaigns_ended(live_stack: LiveStack) -> Iterator[None]:
    """End this module's campaigns afterwards: later tests ask about the running offer."""
    yield
    with SqlAlchemyUnitOfWork(live_stack.sessions) as uow:
        for campaign in uow.campaigns.list_by():
            if campaign.name in NAMES and campaign.status in ("active", "paused"):
                campaigns.end_campaign(uow, campaign_id=campaign.id)
        uow.commit()


def people(live: LiveStack, *, count: int, postcode: str) -> None:
    with SqlAlchemyUnitOfWork(live.sessions) as uow:
        for n in range(count):
            make_account(
                uow,
                first_name=f"Ab{n}",
                last_name=f"Tester{postcode}",
                phones=[f"+3369{postcode[:2]}{n:05d}"],
                emails=[],
                postcode=postcode,
                consents={ContactChannel.PHONE: ConsentStatus.OPT_IN},
            )
        uow.commit()


def a_campaign(live: LiveStack, name: str) -> int:
    with SqlAlchemyUnitOfWork(live.sessions) as uow:
        campaign = campaigns.create_campaign(
            uow,
            name=name,
            script=A,
            channel="phone",
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2036, 12, 31),
            product_sku="ECL-3000",
        )
        uow.commit()
        return campaign.id


def build_list(live: LiveStack, campaign_id: int, postcode: str) -> list[int]:
    with SqlAlchemyUnitOfWork(live.sessions) as uow:
        built = call_lists.build_call_list(
            uow,
            campaign_id=campaign_id,
            name="A/B list",
            target=TargetFilter(postcode_prefix=postcode),
        )
        call_lists.start_call_list(uow, call_list_id=built.id)
        uow.commit()
        return [e.id for e in built.entries]


def logged_in(browser: Browser, live: LiveStack, path: str) -> Page:
    a_manager(live)
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{live.url}/desk/login?next={path}")
    page.get_by_label("User name").fill(MANAGER)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live.url}{path}")
    return page


def test_each_person_hears_the_variant_of_the_script_they_were_given(
    live_stack: LiveStack, poster: SignedPoster
) -> None:
    people(live_stack, count=2, postcode="98010")
    campaign_id = a_campaign(live_stack, NAMES[0])
    with SqlAlchemyUnitOfWork(live_stack.sessions) as uow:
        script_variants.set_variant(uow, campaign_id=campaign_id, script_b=B, share_b=50)
        uow.commit()
    entry_ids = build_list(live_stack, campaign_id, "98010")  # starting it starts the campaign
    with SqlAlchemyUnitOfWork(live_stack.sessions) as uow:
        entries = [uow.call_list_entries.get(i) for i in entry_ids]
        called = {
            script_variants.script_for(e): Called(
                e.id, e.account_id, e.account.name, e.account.primary_phone or "", campaign_id
            )
            for e in entries
            if e is not None
        }
    assert set(called) == {A, B}

    heard = {}
    for script, person in called.items():
        call = AnsweredCall(poster, person)
        call.dial()
        call.press("1")  # yes, a good time
        heard[script] = call.heard

    assert OFFERS[A] in heard[A]
    assert OFFERS[B] not in heard[A]
    assert OFFERS[B] in heard[B]
    assert OFFERS[A] not in heard[B]


def simulate(live: LiveStack, entry_ids: list[int], campaign_id: int) -> dict[str, list[int]]:
    """Work every entry as the dialer and the bot would; per script, [contacts, reached, leads]."""
    chance = random.Random(20261206)
    directory = Path(live.stack.env["ICBOT_SCRIPTS_DIR"])
    loaded = {s: scripts.load_script(directory=directory, name=s) for s in (A, B)}
    tally = {A: [0, 0, 0], B: [0, 0, 0]}
    now = dt.datetime.now(dt.UTC)
    with SqlAlchemyUnitOfWork(live.sessions) as uow:
        for n, entry_id in enumerate(entry_ids):
            entry = uow.call_list_entries.get(entry_id)
            assert isinstance(entry, CallListEntry)
            if entry.status != "pending":
                continue  # excluded
            script = script_variants.script_for(entry)
            call_sid = f"CA{n:032d}"
            assert call_list_entries.claim(uow, entry_id=entry_id, by="dialer", now=now)
            placed_calls.call_placed(uow, entry_id=entry_id, call_sid=call_sid, now=now)
            tally[script][0] += 1
            if chance.random() >= REACHED:
                placed_calls.call_ended(
                    uow, entry_id=entry_id, call_sid=call_sid, status="no-answer", now=now
                )
                continue
            tally[script][1] += 1
            if chance.random() < CONVERTS[script]:
                answers = {q.id: GOOD_ANSWERS[q.id] for q in loaded[script].questions}
                lead = marketing.create_scripted_lead(
                    uow,
                    script=loaded[script],
                    account_id=entry.account_id,
                    answers=answers,
                    source_channel="voice",
                    campaign_id=campaign_id,
                    now=now,
                )
                call_list_entries.record_outcome(
                    uow, entry_id=entry_id, outcome="lead_created", lead_id=lead.id, now=now
                )
                tally[script][2] += 1
            else:
                call_list_entries.record_outcome(
                    uow, entry_id=entry_id, outcome="not_interested", now=now
                )
            placed_calls.call_ended(
                uow,
                entry_id=entry_id,
                call_sid=call_sid,
                status="completed",
                duration_seconds=90,
                answered_by="human",
                now=now,
            )
        uow.commit()
    return tally


def test_an_ab_test_over_200_contacts_shows_each_variants_figures_and_keeps_the_better(
    live_stack: LiveStack, browser: Browser
) -> None:
    people(live_stack, count=200, postcode="98020")
    campaign_id = a_campaign(live_stack, NAMES[1])
    path = f"/desk/campaigns/{campaign_id}"
    page = logged_in(browser, live_stack, path)
    try:
        with screenshots_on_failure("script-variants", {"manager": page}):
            # The test is set on the draft's page, from the scripts that pass the check.
            variant = page.get_by_label(re.compile("^Variant B of the script"))
            expect(variant.locator("option")).to_have_text([re.compile("^no test"), B])
            variant.select_option(B)
            page.get_by_label(re.compile("^Share of the contacts")).fill(str(SHARE_B))
            page.get_by_role("button", name="Save the test").click()
            expect(page).to_have_url(re.compile(r"\?notice=variant-set$"))

            entry_ids = build_list(live_stack, campaign_id, "98020")  # starts the campaign
            tally = simulate(live_stack, entry_ids, campaign_id)

            page.goto(f"{live_stack.url}{path}")
            expect(page.locator("#campaign-status")).to_have_text("active")
            expect(page.locator("#variant-form")).to_have_count(0)  # the split stays
            rows = page.locator("#variant-results tbody tr")
            expect(rows).to_have_count(2)
            shown = {}
            for row in rows.all():
                cells = row.locator("td").all_inner_texts()
                shown[cells[0]] = (int(cells[1]), int(cells[2]), int(cells[4]), cells[5])
            for script, (contacts, reached, qualified) in tally.items():
                conversion = f"{qualified / reached * 100:.1f} %"
                assert shown[script] == (contacts, reached, qualified, conversion), script
            contacts_b = tally[B][0] / (tally[A][0] + tally[B][0]) * 100
            assert tally[A][0] + tally[B][0] == 200
            assert abs(contacts_b - SHARE_B) <= 5
            expect(page.locator("#variant-split")).to_contain_text(
                f"B {contacts_b:.1f} % (set: {SHARE_B} %)"
            )
            expect(page.locator("#variant-verdict")).to_contain_text(
                re.compile("converts better|No clear difference")
            )

            page.get_by_role("button", name=f"Keep B ({B}) and end the test").click()
            expect(page).to_have_url(re.compile(r"\?notice=variant-kept$"))
            expect(page.locator("#variant-kept")).to_have_text(B)
            expect(page.locator("#variant-keep")).to_have_count(0)
    finally:
        page.context.close()
    with SqlAlchemyUnitOfWork(live_stack.sessions) as uow:
        campaign = uow.campaigns.get(campaign_id)
        assert isinstance(campaign, Campaign)
        assert (campaign.script, campaign.script_a, campaign.script_b) == (B, A, B)
