"""validate_identify_form.

The security rules: the account's name is said only after a second fact
checked out, a trusted caller number included (it only picks the candidate);
a stranger who fails learns nothing, not even that the account exists, nor
that it is locked after five failures; account_id is set only on "yes".
"""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from actions.identification import ValidateIdentifyForm
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.actions.trackers import CALL_START, entity, form_tracker, slot_event, tracker, user_event

FORM = "identify_form"


def CONFIRMED(pierre):
    return [
        SlotSet("identity_confirmed", True),
        SlotSet("account_id", str(pierre.id)),
        SlotSet("customer_name", "Pierre Moreau"),
        SlotSet("customer_number", "C-100001"),
        SlotSet("requested_slot", None),
    ]


CLEARED = [
    SlotSet("identity_key", None),
    SlotSet("lookup_postcode", None),
    SlotSet("verification_answer", None),
    SlotSet("identity_confirmed", None),
    SlotSet("verification_kind", None),
    SlotSet("identified_by", None),
    SlotSet("account_candidate_id", None),
    SlotSet("candidate_name", None),
]


async def validate(dispatcher, domain, **kwargs):
    return await ValidateIdentifyForm().run(dispatcher, form_tracker(FORM, **kwargs), domain)


def after_email(account_id, email="pierre.moreau@example.fr"):
    return {
        "identity_key": email,
        "identified_by": "email",
        "verification_kind": "postcode",
        "account_candidate_id": account_id,
    }


# --- Pierre by e-mail, postcode, confirmation ---------------------------------------


async def test_an_email_finds_the_candidate_and_asks_the_postcode(crm, pierre, dispatcher, domain):
    events = await validate(
        dispatcher,
        domain,
        requested_slot=None,
        filled={"identity_key": "pierre.moreau@example.fr"},
        entities=[entity("email", "pierre.moreau@example.fr")],
    )
    assert events == [
        SlotSet("identity_key", "pierre.moreau@example.fr"),
        SlotSet("identified_by", "email"),
        SlotSet("verification_kind", "postcode"),
        SlotSet("account_candidate_id", str(pierre.id)),
        SlotSet("requested_slot", "verification_answer"),
    ]
    assert dispatcher.messages == []


async def test_the_right_postcode_reveals_the_name_to_confirm(crm, pierre, dispatcher, domain):
    events = await validate(
        dispatcher,
        domain,
        requested_slot="verification_answer",
        slots=after_email(str(pierre.id)),
        filled={"verification_answer": "69002"},
    )
    # The fact itself is not kept in the conversation.
    assert events == [
        SlotSet("verification_answer", "verified"),
        SlotSet("candidate_name", "Pierre Moreau"),
        SlotSet("requested_slot", "identity_confirmed"),
    ]


async def test_yes_makes_the_candidate_the_account(crm, pierre, dispatcher, domain):
    slots = {
        **after_email(str(pierre.id)),
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


@pytest.mark.parametrize(
    ("kind", "key", "kept"),
    [
        ("customer_number", "C-100001", "C-100001"),
        ("customer_number", "c100001", "C-100001"),
        ("phone", "06 12 34 56 78", "+33612345678"),
    ],
)
async def test_a_customer_number_or_phone_also_asks_the_postcode(
    crm, pierre, dispatcher, domain, kind, key, kept
):
    events = await validate(
        dispatcher, domain, requested_slot="identity_key", filled={"identity_key": key}
    )
    assert events == [
        SlotSet("identity_key", kept),
        SlotSet("identified_by", kind),
        SlotSet("verification_kind", "postcode"),
        SlotSet("account_candidate_id", str(pierre.id)),
        SlotSet("requested_slot", "verification_answer"),
    ]


# --- strangers learn nothing ---------------------------------------------------------


async def test_an_unknown_email_gets_the_same_next_question(crm, dispatcher, domain):
    events = await validate(
        dispatcher,
        domain,
        requested_slot="identity_key",
        filled={"identity_key": "nobody@example.org"},
    )
    assert events == [
        SlotSet("identity_key", "nobody@example.org"),
        SlotSet("identified_by", "email"),
        SlotSet("verification_kind", "postcode"),
        SlotSet("account_candidate_id", None),
        SlotSet("requested_slot", "verification_answer"),
    ]


@pytest.mark.parametrize(
    "answer",
    [
        "75001",  # a wrong postcode
        "pierre.moreau@example.fr",  # the key again is not a second fact
        "+33612345678",  # a fact, but not the one asked for
        "C-100001",
        "I don't know",
    ],
)
async def test_a_stranger_who_fails_the_check_learns_nothing(
    crm, pierre, dispatcher, domain, answer
):
    events = await validate(
        dispatcher,
        domain,
        requested_slot="verification_answer",
        slots=after_email(str(pierre.id)),
        filled={"verification_answer": answer},
    )
    assert events == [
        SlotSet("verification_answer", None),
        *CLEARED[:2],
        *CLEARED[3:],
        SlotSet("identify_attempts", 1.0),
        SlotSet("form_notice", "verification_failed"),
        SlotSet("requested_slot", "identity_key"),
    ]
    assert dispatcher.messages == []


async def test_an_unknown_key_fails_at_the_check_like_a_known_one(crm, dispatcher, domain):
    events = await validate(
        dispatcher,
        domain,
        requested_slot="verification_answer",
        slots=after_email(None, "nobody@example.org"),
        filled={"verification_answer": "69002"},
    )
    assert events == [
        SlotSet("verification_answer", None),
        *CLEARED[:2],
        *CLEARED[3:],
        SlotSet("identify_attempts", 1.0),
        SlotSet("form_notice", "verification_failed"),
        SlotSet("requested_slot", "identity_key"),
    ]


async def test_the_second_failure_ends_the_identification(crm, dispatcher, domain):
    events = await validate(
        dispatcher,
        domain,
        requested_slot="verification_answer",
        slots={**after_email(None, "+33612345678"), "identify_attempts": 1.0},
        filled={"verification_answer": "13001"},
    )
    assert events[-3:] == [
        SlotSet("identify_attempts", 2.0),
        SlotSet("form_notice", "verification_failed"),
        SlotSet("requested_slot", None),
    ]
    assert "candidate_name" not in {e["name"] for e in events if e["value"] is not None}


@pytest.mark.parametrize("said", ["blah 42", "Moreau"])  # a name has two words at least
async def test_something_that_is_no_key_is_asked_again(crm, dispatcher, domain, said):
    events = await validate(
        dispatcher, domain, requested_slot="identity_key", filled={"identity_key": said}
    )
    assert events == [
        SlotSet("identity_key", None),
        SlotSet("form_notice", "not_understood"),
        SlotSet("requested_slot", "identity_key"),
    ]


# --- name and postcode -----------------------------------------------------------------


async def test_a_name_asks_the_postcode_without_looking_anything_up(crm, dispatcher, domain):
    events = await validate(
        dispatcher, domain, requested_slot=None, filled={"identity_key": "Pierre Moreau"}
    )
    assert events == [
        SlotSet("identity_key", "Pierre Moreau"),
        SlotSet("identified_by", "name"),
        SlotSet("verification_kind", "contact"),
        SlotSet("account_candidate_id", None),
    ]  # all four slots are asked: Rasa asks the next one, lookup_postcode


async def test_a_name_with_its_postcode_asks_the_contact_on_file(crm, pierre, dispatcher, domain):
    events = await validate(
        dispatcher,
        domain,
        requested_slot=None,
        filled={"identity_key": "Pierre Moreau"},
        entities=[entity("person_name", "Pierre Moreau"), entity("postcode", "69002")],
    )
    assert events == [
        SlotSet("identity_key", "Pierre Moreau"),
        SlotSet("identified_by", "name"),
        SlotSet("verification_kind", "contact"),
        SlotSet("account_candidate_id", str(pierre.id)),
        SlotSet("lookup_postcode", "69002"),
    ]


NAMED = {"identity_key": "Pierre Moreau", "identified_by": "name", "verification_kind": "contact"}


async def test_the_postcode_of_a_name_finds_the_candidate(crm, pierre, dispatcher, domain):
    events = await validate(
        dispatcher,
        domain,
        requested_slot="lookup_postcode",
        slots=NAMED,
        filled={"lookup_postcode": "69002"},
    )
    assert events == [
        SlotSet("lookup_postcode", "69002"),
        SlotSet("account_candidate_id", str(pierre.id)),
    ]


async def test_a_postcode_that_is_none_is_asked_again(crm, dispatcher, domain):
    events = await validate(
        dispatcher,
        domain,
        requested_slot="lookup_postcode",
        slots=NAMED,
        filled={"lookup_postcode": "Lyon"},
    )
    assert events == [SlotSet("lookup_postcode", None), SlotSet("form_notice", "invalid_postcode")]


@pytest.mark.parametrize("answer", ["pierre.moreau@example.fr", "06 12 34 56 78"])
async def test_after_a_name_the_email_or_phone_on_file_checks_out(
    crm, pierre, dispatcher, domain, answer
):
    slots = {**NAMED, "lookup_postcode": "69002", "account_candidate_id": str(pierre.id)}
    events = await validate(
        dispatcher,
        domain,
        requested_slot="verification_answer",
        slots=slots,
        filled={"verification_answer": answer},
    )
    assert events == [
        SlotSet("verification_answer", "verified"),
        SlotSet("candidate_name", "Pierre Moreau"),
    ]


async def test_after_a_name_the_postcode_again_is_no_second_fact(crm, pierre, dispatcher, domain):
    slots = {**NAMED, "lookup_postcode": "69002", "account_candidate_id": str(pierre.id)}
    events = await validate(
        dispatcher,
        domain,
        requested_slot="verification_answer",
        slots=slots,
        filled={"verification_answer": "69002"},
    )
    assert SlotSet("form_notice", "verification_failed") in events
    assert SlotSet("candidate_name", "Pierre Moreau") not in events


# --- a trusted caller number picks the candidate, the postcode confirms it --------------


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
