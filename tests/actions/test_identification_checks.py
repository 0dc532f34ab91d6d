"""validate_identify_form, its checks: a trusted caller number only picks the
candidate; failed checks are counted on the account and a locked account fails
like a wrong answer; "not me" starts again; the CRM down ends the form politely.
"""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from actions.identification import ValidateIdentifyForm, written_name
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.actions.identification_fixtures import (
    CLEARED,
    CONFIRMED,
    FORM,
    after_email,
    validate,
)
from tests.actions.trackers import CALL_START, form_tracker, slot_event, tracker, user_event


def caller_slots(account_id):
    # What action_session_start sets for a trusted caller number: no name, nothing verified.
    return {
        "caller_known": True,
        "identity_key": "+33612345678",
        "identified_by": "caller_phone",
        "verification_kind": "caller",
        "account_candidate_id": account_id,
    }


async def test_a_trusted_caller_is_asked_the_postcode_before_any_name(
    crm, pierre, dispatcher, domain
):
    form = ValidateIdentifyForm()
    caller = form_tracker(FORM, requested_slot=None, slots=caller_slots(str(pierre.id)))
    required = await form.required_slots(form.domain_slots(domain), dispatcher, caller, domain)
    assert required == ["verification_answer", "identity_confirmed"]
    events = await form.run(dispatcher, caller, domain)
    assert events == [SlotSet("requested_slot", "verification_answer")]
    assert dispatcher.messages == []


async def test_a_trusted_callers_number_passes_when_the_form_starts(
    crm, pierre, dispatcher, domain
):
    # Rasa hands the validator what the session start filled as "pre-filled" slots.
    events = [
        user_event("hello", intent="greet"),
        {"event": "action", "name": FORM},
        slot_event("identity_key", "+33612345678"),
    ]
    starting = tracker(
        slots=caller_slots(str(pierre.id)), intent="greet", events=events, active_loop=FORM
    )
    result = await ValidateIdentifyForm().run(dispatcher, starting, domain)
    # The number only picked the candidate: the postcode comes next, then the name.
    assert result == [SlotSet("requested_slot", "verification_answer")]


async def test_a_trusted_caller_with_the_right_postcode_hears_the_name(
    crm, pierre, dispatcher, domain
):
    events = await validate(
        dispatcher,
        domain,
        requested_slot="verification_answer",
        slots=caller_slots(str(pierre.id)),
        filled={"verification_answer": "69 002"},
    )
    assert events == [
        SlotSet("verification_answer", "verified"),
        SlotSet("candidate_name", "Pierre Moreau"),
        SlotSet("requested_slot", "identity_confirmed"),
    ]


async def test_a_spoofed_caller_number_with_a_wrong_postcode_learns_nothing(
    crm, pierre, dispatcher, domain
):
    events = await validate(
        dispatcher,
        domain,
        requested_slot="verification_answer",
        slots=caller_slots(str(pierre.id)),
        filled={"verification_answer": "75001"},
    )
    # The normal way from now on, as after any failed check.
    assert events == [
        SlotSet("verification_answer", None),
        *CLEARED[:2],
        *CLEARED[3:],
        SlotSet("identify_attempts", 1.0),
        SlotSet("form_notice", "verification_failed"),
        SlotSet("requested_slot", "identity_key"),
    ]
    assert failures_of(crm, pierre.id) == [(pierre.id, "web", CALL_START)]


async def test_a_trusted_caller_who_confirms_is_identified(crm, pierre, dispatcher, domain):
    slots = {
        **caller_slots(str(pierre.id)),
        "verification_answer": "verified",
        "candidate_name": "Pierre Moreau",
    }
    events = await validate(
        dispatcher,
        domain,
        requested_slot="identity_confirmed",
        slots=slots,
        filled={"identity_confirmed": True},
        intent="affirm",
    )
    assert events == CONFIRMED(pierre)


async def test_a_candidate_the_postcode_never_confirmed_is_not_identified_by_yes(
    crm, pierre, dispatcher, domain
):
    # "yes" without the second fact (a forged tracker, a skipped question) identifies nobody.
    events = await validate(
        dispatcher,
        domain,
        requested_slot="identity_confirmed",
        slots=caller_slots(str(pierre.id)),
        filled={"identity_confirmed": True},
        intent="affirm",
    )
    assert SlotSet("account_id", str(pierre.id)) not in events


# --- failed checks counted on the account, whatever the conversation -------------------


def failures_of(crm, account_id):
    with SqlAlchemyUnitOfWork(crm) as uow:
        return [
            (f.account_id, f.channel, f.at) for f in uow.accounts.verification_failures(account_id)
        ]


FAILED_CHECK = [
    SlotSet("verification_answer", None),
    *CLEARED[:2],
    *CLEARED[3:],
    SlotSet("identify_attempts", 1.0),
    SlotSet("form_notice", "verification_failed"),
    SlotSet("requested_slot", "identity_key"),
]


async def check(dispatcher, domain, slots, answer, channel="web"):
    return await validate(
        dispatcher,
        domain,
        requested_slot="verification_answer",
        slots={**slots, "channel": channel},
        filled={"verification_answer": answer},
    )


async def test_a_failed_check_on_a_candidate_is_counted_on_its_account(
    crm, pierre, dispatcher, domain
):
    events = await check(dispatcher, domain, after_email(str(pierre.id)), "75001", "sms")
    assert events == FAILED_CHECK
    assert failures_of(crm, pierre.id) == [(pierre.id, "sms", CALL_START)]


async def test_after_five_failures_even_the_right_postcode_fails_the_same_way(
    crm, pierre, dispatcher, domain
):
    for _ in range(5):
        assert await check(dispatcher, domain, after_email(str(pierre.id)), "75001") == FAILED_CHECK
    # A fresh conversation, the right postcode: the same words as for any failure.
    events = await check(dispatcher, domain, after_email(str(pierre.id)), "69002")
    assert events == FAILED_CHECK
    assert dispatcher.messages == []
    assert len(failures_of(crm, pierre.id)) == 5  # the right answer is refused, not counted


async def test_four_failures_leave_the_right_postcode_working(crm, pierre, dispatcher, domain):
    for _ in range(4):
        await check(dispatcher, domain, after_email(str(pierre.id)), "75001")
    events = await check(dispatcher, domain, after_email(str(pierre.id)), "69002")
    assert events[:2] == [
        SlotSet("verification_answer", "verified"),
        SlotSet("candidate_name", "Pierre Moreau"),
    ]


async def test_a_failed_check_on_a_key_of_no_account_counts_nothing_and_looks_the_same(
    crm, pierre, dispatcher, domain
):
    events = await check(dispatcher, domain, after_email(None, "nobody@example.org"), "69002")
    assert events == FAILED_CHECK
    assert failures_of(crm, pierre.id) == []


async def test_not_the_caller_we_thought_starts_again_with_a_key(crm, pierre, dispatcher, domain):
    events = await validate(
        dispatcher,
        domain,
        requested_slot="identity_confirmed",
        slots={**caller_slots(str(pierre.id)), "verification_answer": "verified"},
        filled={"identity_confirmed": False},
        intent="deny",
    )
    # The normal way from now on; "no" is no failed check.
    assert events == [
        SlotSet("identity_confirmed", None),
        *CLEARED[:3],
        *CLEARED[4:],
        SlotSet("form_notice", "not_you"),
        SlotSet("requested_slot", "identity_key"),
    ]


async def test_the_crm_down_during_identification_ends_the_form_politely(down, dispatcher, domain):
    events = await validate(
        dispatcher,
        domain,
        requested_slot="identity_key",
        filled={"identity_key": "pierre.moreau@example.fr"},
    )
    assert events == [
        SlotSet("result", "technical_problem"),
        {"event": "active_loop", "timestamp": None, "name": None},
        SlotSet("requested_slot", None),
    ]


@pytest.mark.parametrize(
    ("said", "written"),
    [
        ("anh nguyen", "Anh Nguyen"),
        ("jean-luc de la tour", "Jean-Luc de la Tour"),
        ("siobhan o'brien", "Siobhan O'Brien"),
        ("de gaulle charles", "De Gaulle Charles"),  # a first word is capitalised
        ("Marie-Claire dupont", "Marie-Claire dupont"),  # typed with capitals: as typed
        ("McAllister Fiona", "McAllister Fiona"),
    ],
)
def test_a_name_in_lower_case_is_written_with_capitals(said: str, written: str) -> None:
    assert written_name(said) == written
