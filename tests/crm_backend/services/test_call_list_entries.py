"""Working call list entries: due now, claimed once, released or excluded, SMS sent, outcomes."""

from __future__ import annotations

import datetime as dt

import pytest

from crm_backend.errors import CallListEntryNotFound, InvalidRequest, LeadNotFound
from crm_backend.models import ConsentStatus, ContactChannel
from crm_backend.services import call_list_entries as entries
from crm_backend.services import call_lists, campaigns, placed_calls
from crm_backend.services.call_lists import TargetFilter
from tests.factories import columns, demo_catalog, make_account

PHONE_IN = {ContactChannel.PHONE: ConsentStatus.OPT_IN}
# Monday 3 November 2025, 10:00 in Paris (UTC+1).
MONDAY_10 = dt.datetime(2025, 11, 3, 9, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)
SID = "CA" + "0" * 32


def person(uow, first_name, phone, **more):
    return make_account(
        uow, first_name=first_name, phones=[phone], emails=[], consents=PHONE_IN, **more
    )


@pytest.fixture
def scene(any_uow):
    """An active phone list of three (Ana the most urgent), in Paris, Lyon and Martinique."""
    demo_catalog(any_uow)
    people = {
        "ana": person(any_uow, "Ana", "+33600000001"),
        "ben": person(any_uow, "Ben", "+33600000002"),
        "cleo": person(any_uow, "Cleo", "+596696000003", timezone="America/Martinique"),
    }
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
    call_list = call_lists.build_call_list(
        any_uow,
        campaign_id=campaign.id,
        name="l",
        target=TargetFilter(),
        today=dt.date(2025, 11, 3),
    )
    by_account = {e.account_id: e for e in call_list.entries}
    by_account[people["ana"].id].priority = 50
    any_uow.flush()
    call_lists.start_call_list(any_uow, call_list_id=call_list.id)
    return {
        **{name: by_account[account.id] for name, account in people.items()},
        "campaign": campaign,
        "list": call_list,
    }


def interaction_of(uow, entry):
    found = uow.interactions.list_by(call_list_entry_id=entry.id)
    return [columns(i, without=("id",)) for i in found]


def voice_interaction(entry, *, sid=SID, started=MONDAY_10, **changes):
    return {
        "conversation_id": f"voice-{sid}",
        "channel": "voice",
        "direction": "outbound",
        "account_id": entry.account_id,
        "identity_confirmed": False,
        "started_at": started,
        "ended_at": None,
        "duration_seconds": None,
        "outcome": None,
        "summary": None,
        "quote_id": None,
        "order_id": None,
        "lead_id": None,
        "campaign_id": entry.call_list.campaign_id,
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
        **changes,
    }


def placed(uow, entry, *, sid=SID, now=MONDAY_10):
    assert entries.claim(uow, entry_id=entry.id, by=entries.DIALER, now=now)
    return placed_calls.call_placed(uow, entry_id=entry.id, call_sid=sid, now=now)


@pytest.mark.parametrize(
    ("utc", "names"),
    [
        (dt.datetime(2025, 11, 3, 7, 59, tzinfo=dt.UTC), []),  # 08:59 in Paris
        (dt.datetime(2025, 11, 3, 8, 0, tzinfo=dt.UTC), ["ana", "ben"]),  # 09:00
        (dt.datetime(2025, 11, 3, 13, 0, tzinfo=dt.UTC), ["ana", "ben", "cleo"]),  # 09:00 there
        (dt.datetime(2025, 11, 3, 17, 59, tzinfo=dt.UTC), ["ana", "ben", "cleo"]),
        (dt.datetime(2025, 11, 3, 18, 0, tzinfo=dt.UTC), ["cleo"]),  # 19:00 in Paris
        (dt.datetime(2025, 11, 2, 13, 0, tzinfo=dt.UTC), []),  # before the campaign
        (dt.datetime(2025, 11, 29, 9, 0, tzinfo=dt.UTC), []),  # after it
    ],
)
def test_due_entries_are_inside_calling_hours_in_local_time(any_uow, scene, utc, names):
    due = entries.due_entries(any_uow, now=utc, channel="phone")

    assert due == [scene[name] for name in names]


def test_the_entry_window_narrows_the_calling_hours(any_uow, scene):
    scene["ana"].window_start = dt.time(17, 0)
    any_uow.flush()

    at_ten = entries.due_entries(any_uow, now=MONDAY_10)
    at_five = entries.due_entries(any_uow, now=MONDAY_10 + dt.timedelta(hours=7))

    assert at_ten == [scene["ben"]]
    assert at_five == [scene["ana"], scene["ben"], scene["cleo"]]  # noon in Martinique


def test_an_unknown_time_zone_reads_as_paris(any_uow, scene):
    scene["ben"].timezone = "Mars/Olympus"
    any_uow.flush()

    assert entries.local_time(scene["ben"], MONDAY_10).hour == 10


def test_only_active_lists_of_the_assignee_and_channel_not_waiting_for_a_retry(any_uow, scene):
    scene["ana"].next_attempt_at = MONDAY_10 + MINUTE
    any_uow.flush()

    assert entries.due_entries(any_uow, now=MONDAY_10) == [scene["ben"]]
    assert entries.due_entries(any_uow, now=MONDAY_10, channel="sms") == []
    assert entries.due_entries(any_uow, now=MONDAY_10, assignees=("agents",)) == []
    assert entries.due_entries(any_uow, now=MONDAY_10 + MINUTE, limit=1) == [scene["ana"]]
    call_lists.pause_call_list(any_uow, call_list_id=scene["list"].id)
    assert entries.due_entries(any_uow, now=MONDAY_10 + MINUTE) == []


def test_an_entry_is_claimed_once(any_uow, scene):
    scene["ana"].outcome = "no_answer"
    any_uow.flush()

    first = entries.claim(any_uow, entry_id=scene["ana"].id, by="dialer", now=MONDAY_10)
    second = entries.claim(any_uow, entry_id=scene["ana"].id, by="marc", now=MONDAY_10)

    assert (first, second) == (True, False)
    ana = entries.get_entry(any_uow, entry_id=scene["ana"].id)
    assert (ana.status, ana.claimed_by, ana.claimed_at, ana.call_sid, ana.outcome) == (
        "calling",
        "dialer",
        MONDAY_10,
        None,
        None,
    )
    assert entries.held_by(any_uow, by="dialer") == [ana]
    assert entries.due_entries(any_uow, now=MONDAY_10) == [scene["ben"]]


def test_do_not_contact_marks_the_account_at_once(any_uow, scene):
    ana = placed(any_uow, scene["ana"])

    entries.record_outcome(any_uow, entry_id=ana.id, outcome="do_not_contact", now=MONDAY_10)

    assert ana.account.do_not_contact
    assert entries.refusal(any_uow, entry=ana) == "do-not-contact"


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"outcome": " "}, InvalidRequest),
        ({"outcome": "x" * 51}, InvalidRequest),
        ({"outcome": "lead_created", "lead_id": 99}, LeadNotFound),
        ({"outcome": "lead_created", "entry_id": 99}, CallListEntryNotFound),
    ],
)
def test_record_outcome_refuses_bad_values(any_uow, scene, kwargs, error):
    with pytest.raises(error):
        entries.record_outcome(any_uow, **{"entry_id": scene["ana"].id, **kwargs})


def test_excluded_at_dial_time_released_and_failed(any_uow, scene):
    for name in ("ana", "ben", "cleo"):
        entries.claim(any_uow, entry_id=scene[name].id, by="dialer", now=MONDAY_10)

    assert entries.exclude(any_uow, entry_id=scene["ana"].id, by="dialer", reason="opted out")
    assert entries.release(any_uow, entry_id=scene["ben"].id, by="dialer")
    assert not entries.release(any_uow, entry_id=scene["ben"].id, by="dialer")
    failed = entries.contact_failed(
        any_uow, entry_id=scene["cleo"].id, by="dialer", reason="invalid number", now=MONDAY_10
    )

    ana, ben = (entries.get_entry(any_uow, entry_id=scene[n].id) for n in ("ana", "ben"))
    assert (ana.status, ana.exclusion_reason, ana.priority) == ("excluded", "opted out", 0)
    assert (ben.status, ben.claimed_by, ben.claimed_at, ben.attempts) == ("pending", None, None, 0)
    assert (failed.status, failed.outcome, failed.notes, failed.attempts) == (
        "done",
        "call_failed",
        "invalid number",
        1,
    )
    assert [
        (i["channel"], i["outcome"], i["summary"]) for i in interaction_of(any_uow, failed)
    ] == [("voice", "call_failed", "invalid number")]


def test_an_sms_sent_is_done_with_its_interaction(any_uow, scene):
    scene["campaign"].channel = "sms"
    entries.claim(any_uow, entry_id=scene["ana"].id, by="dialer", now=MONDAY_10)

    sent = entries.sms_sent(
        any_uow,
        entry_id=scene["ana"].id,
        by="dialer",
        message_sid="SM1",
        text="Lumen: 10% off.",
        now=MONDAY_10,
    )

    assert (sent.status, sent.outcome, sent.call_sid, sent.attempts) == (
        "done",
        "sms_sent",
        "SM1",
        1,
    )
    assert interaction_of(any_uow, sent) == [
        voice_interaction(
            sent,
            conversation_id="sms-+33600000001",
            channel="sms",
            ended_at=MONDAY_10,
            outcome="sms_sent",
            summary="Lumen: 10% off.",
        )
    ]


def test_refusal_reads_consent_again_and_needs_a_phone(any_uow, scene):
    silent = make_account(
        any_uow, first_name="Dora", phones=[], emails=[], postcode="75001", consents=PHONE_IN
    )
    other = call_lists.build_call_list(
        any_uow,
        campaign_id=scene["campaign"].id,
        name="Paris",
        target=TargetFilter(postcode_prefix="75"),
    )
    scene["ben"].account.consents[0].status = ConsentStatus.OPT_OUT
    any_uow.flush()

    assert entries.refusal(any_uow, entry=scene["ana"]) is None
    assert entries.refusal(any_uow, entry=scene["ben"]) == "opted out"
    assert [(e.account_id, entries.refusal(any_uow, entry=e)) for e in other.entries] == [
        (silent.id, "no phone number")
    ]


def test_stale_claims_and_calls_are_found_for_their_dialer(any_uow, scene):
    entries.claim(any_uow, entry_id=scene["ana"].id, by="dialer", now=MONDAY_10)
    placed(any_uow, scene["ben"], sid="CA-ben", now=MONDAY_10 + MINUTE)

    later = MONDAY_10 + 2 * MINUTE
    assert entries.unconfirmed_claims(any_uow, by="dialer", claimed_before=MONDAY_10) == []
    assert entries.unconfirmed_claims(any_uow, by="dialer", claimed_before=later) == [scene["ana"]]
    assert entries.unfinished_calls(any_uow, by="dialer", placed_before=later) == [scene["ben"]]
    assert entries.unfinished_calls(any_uow, by="marc", placed_before=later) == []
