"""An agent works a call list: the next entry, claimed once, then the outcome of the call."""

from __future__ import annotations

import datetime as dt

import pytest

from crm_backend.errors import EntryNotHeld, InvalidRequest
from crm_backend.models import Agent, ConsentStatus, ContactChannel, LeadLevel, LeadStatus
from crm_backend.services import agent_calls, call_lists, campaigns
from crm_backend.services import call_list_entries as entries
from crm_backend.services.call_lists import TargetFilter
from tests.factories import columns, demo_catalog, make_account

PHONE_IN = {ContactChannel.PHONE: ConsentStatus.OPT_IN}
MONDAY_10 = dt.datetime(2025, 11, 3, 9, 0, tzinfo=dt.UTC)  # 10:00 in Paris
MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def scene(any_uow):
    """A list for all agents (Ana first, then Ben) and one for Marc alone (Cleo)."""
    demo_catalog(any_uow)
    for username in ("marc", "lea"):
        any_uow.agents.add(
            Agent(username=username, display_name=username.title(), password_hash="-")
        )
    ana = make_account(any_uow, first_name="Ana", phones=["+33600000001"], consents=PHONE_IN)
    ben = make_account(any_uow, first_name="Ben", phones=["+33600000002"], consents=PHONE_IN)
    cleo = make_account(
        any_uow, first_name="Cleo", phones=["+33600000003"], postcode="75001", consents=PHONE_IN
    )
    campaign = campaigns.create_campaign(
        any_uow,
        name="Éclipse",
        script="laptop_offer",
        channel="phone",
        starts_on=dt.date(2025, 11, 3),
        ends_on=dt.date(2025, 11, 28),
        product_sku="ECL-3000",
        max_attempts=2,
        retry_delay_minutes=30,
    )
    shared = call_lists.build_call_list(
        any_uow,
        campaign_id=campaign.id,
        name="shared",
        target=TargetFilter(postcode_prefix="69"),
        assigned_to="agents",
    )
    shared.entries[0].priority = 10
    own = call_lists.build_call_list(
        any_uow,
        campaign_id=campaign.id,
        name="marc's",
        target=TargetFilter(postcode_prefix="75"),
        assigned_to="marc",
    )
    own.entries[0].priority = 5
    for call_list in (shared, own):
        call_lists.start_call_list(any_uow, call_list_id=call_list.id)
    by_account = {e.account_id: e for e in [*shared.entries, *own.entries]}
    return {
        "ana": by_account[ana.id],
        "ben": by_account[ben.id],
        "cleo": by_account[cleo.id],
        "campaign": campaign,
        "shared": shared,
    }


def test_agents_get_the_most_urgent_entry_of_their_lists_once(any_uow, scene):
    marc = agent_calls.next_entry(any_uow, username="marc", now=MONDAY_10)
    lea = agent_calls.next_entry(any_uow, username="lea", now=MONDAY_10)
    marc_again = agent_calls.next_entry(any_uow, username="marc", now=MONDAY_10 + MINUTE)
    lea_next = agent_calls.next_entry(any_uow, username="lea", now=MONDAY_10)

    # Ana is the most urgent; Lea never sees Marc's own list, so Ben is hers.
    assert (marc, lea) == (scene["ana"], scene["ben"])
    assert (marc_again, lea_next) == (scene["ana"], scene["ben"])
    assert (marc.status, marc.claimed_by, marc.claimed_at) == ("calling", "marc", MONDAY_10)


def test_marcs_own_list_comes_after_the_more_urgent_shared_one(any_uow, scene):
    first = agent_calls.next_entry(any_uow, username="marc", now=MONDAY_10)
    agent_calls.record_call(
        any_uow, entry_id=first.id, username="marc", outcome="not_interested", now=MONDAY_10
    )
    second = agent_calls.next_entry(any_uow, username="marc", now=MONDAY_10)

    assert (first, second) == (scene["ana"], scene["cleo"])
    assert agent_calls.next_entry(any_uow, username="lea", now=MONDAY_10) == scene["ben"]
    assert agent_calls.next_entry(any_uow, username="zoe", now=MONDAY_10) is None


def test_nobody_is_due_outside_calling_hours(any_uow, scene):
    evening = MONDAY_10 + dt.timedelta(hours=9)  # 19:00 in Paris

    assert agent_calls.next_entry(any_uow, username="marc", now=evening) is None


def test_a_customer_who_opted_out_since_is_taken_off_and_the_next_comes(any_uow, scene):
    scene["ana"].account.do_not_contact = True
    any_uow.flush()

    entry = agent_calls.next_entry(any_uow, username="lea", now=MONDAY_10)

    assert entry == scene["ben"]
    assert (scene["ana"].status, scene["ana"].exclusion_reason) == ("excluded", "do-not-contact")


def test_no_answer_is_tried_again_after_the_delay(any_uow, scene):
    entry = agent_calls.next_entry(any_uow, username="lea", now=MONDAY_10)

    after = agent_calls.record_call(
        any_uow,
        entry_id=entry.id,
        username="lea",
        outcome="no_answer",
        notes=" rang 10 times ",
        now=MONDAY_10 + 2 * MINUTE,
    )

    assert (after.status, after.outcome, after.attempts, after.next_attempt_at) == (
        "pending",
        "no_answer",
        1,
        MONDAY_10 + 32 * MINUTE,
    )
    assert [columns(i, without=("id",)) for i in any_uow.interactions.list_by()] == [
        {
            "conversation_id": f"call-list-entry-{entry.id}-1",
            "channel": "phone",
            "direction": "outbound",
            "account_id": entry.account_id,
            "identity_confirmed": False,
            "started_at": MONDAY_10,
            "ended_at": MONDAY_10 + 2 * MINUTE,
            "duration_seconds": None,
            "outcome": "no_answer",
            "summary": "rang 10 times",
            "quote_id": None,
            "order_id": None,
            "lead_id": None,
            "campaign_id": scene["campaign"].id,
            "call_list_entry_id": entry.id,
            "wrap_up_code": None,
            "wrap_up_summary": None,
            "stir_verstat": None,
            "feedback": None,
            "feedback_kind": None,
            "satisfaction_asked_at": None,
            "satisfaction_score": None,
            "satisfaction_comment": None,
            "satisfaction_answered_at": None,
        }
    ]
    assert (
        agent_calls.next_entry(any_uow, username="lea", now=MONDAY_10 + 3 * MINUTE)
        == (scene["ben"])
    )


def test_the_last_attempt_without_answer_is_done(any_uow, scene):
    ana = scene["ana"]
    ana.attempts = 1
    any_uow.flush()
    agent_calls.next_entry(any_uow, username="lea", now=MONDAY_10)

    after = agent_calls.record_call(
        any_uow, entry_id=ana.id, username="lea", outcome="busy", now=MONDAY_10
    )

    assert (after.status, after.attempts, after.next_attempt_at) == ("done", 2, None)


def test_an_interested_customer_gets_a_lead_for_the_campaigns_product(any_uow, scene):
    entry = agent_calls.next_entry(any_uow, username="lea", now=MONDAY_10)

    after = agent_calls.record_call(
        any_uow, entry_id=entry.id, username="lea", outcome="lead_created", now=MONDAY_10
    )

    lead = any_uow.leads.get(after.lead_id)
    assert (lead.account_id, lead.campaign_id, lead.product.sku, lead.source_channel) == (
        entry.account_id,
        scene["campaign"].id,
        "ECL-3000",
        "phone",
    )
    assert (lead.level, lead.status) == (LeadLevel.COLD, LeadStatus.NEW)
    assert (after.status, after.outcome) == ("done", "lead_created")
    assert any_uow.interactions.list_by()[0].lead_id == lead.id


def test_do_not_call_again_marks_the_account(any_uow, scene):
    entry = agent_calls.next_entry(any_uow, username="lea", now=MONDAY_10)

    agent_calls.record_call(
        any_uow, entry_id=entry.id, username="lea", outcome="do_not_contact", now=MONDAY_10
    )

    assert entry.account.do_not_contact
    assert entries.refusal(any_uow, entry=entry) == "do-not-contact"


def test_only_the_agent_holding_the_entry_records_it(any_uow, scene):
    entry = agent_calls.next_entry(any_uow, username="lea", now=MONDAY_10)

    with pytest.raises(EntryNotHeld):
        agent_calls.record_call(
            any_uow, entry_id=entry.id, username="marc", outcome="no_answer", now=MONDAY_10
        )
    with pytest.raises(InvalidRequest):
        agent_calls.record_call(
            any_uow, entry_id=entry.id, username="lea", outcome="sold", now=MONDAY_10
        )
    with pytest.raises(EntryNotHeld):
        agent_calls.give_back(any_uow, entry_id=entry.id, username="marc")
    assert (entry.status, entry.claimed_by, entry.attempts) == ("calling", "lea", 0)


def test_an_entry_given_back_is_pending_again(any_uow, scene):
    entry = agent_calls.next_entry(any_uow, username="lea", now=MONDAY_10)

    back = agent_calls.give_back(any_uow, entry_id=entry.id, username="lea")

    assert (back.status, back.claimed_by, back.attempts) == ("pending", None, 0)
    assert agent_calls.next_entry(any_uow, username="marc", now=MONDAY_10) == entry


def test_the_shared_list_is_done_when_both_entries_are(any_uow, scene):
    for _ in range(2):
        entry = agent_calls.next_entry(any_uow, username="lea", now=MONDAY_10)
        agent_calls.record_call(
            any_uow, entry_id=entry.id, username="lea", outcome="wrong_number", now=MONDAY_10
        )

    assert scene["shared"].status == "done"


def test_an_agent_named_after_the_dialer_gets_none_of_its_entries(any_uow, scene):
    # Made before such names were refused (crm_backend.services.agents.RESERVED_NAMES).
    any_uow.agents.add(Agent(username="dialer", display_name="Dialer", password_hash="-"))
    assert entries.claim(any_uow, entry_id=scene["ana"].id, by=entries.DIALER, now=MONDAY_10)

    with pytest.raises(InvalidRequest) as refused:
        agent_calls.next_entry(any_uow, username="dialer", now=MONDAY_10)

    assert str(refused.value) == "user name 'dialer' is reserved: it cannot work a call list"
    held = entries.get_entry(any_uow, entry_id=scene["ana"].id)
    assert (held.status, held.claimed_by) == ("calling", "dialer")
