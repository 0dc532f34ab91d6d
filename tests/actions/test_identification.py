"""validate_identify_form: an e-mail, a customer number, a phone or a name finds the
candidate; the postcode (or the contact on file) is the second fact; "yes" identifies.

The security rules: the account's name is said only after a second fact
checked out; a stranger who fails learns nothing, not even that the account
exists. The trusted caller, the counted failures and the CRM down are in
test_identification_checks.py.
"""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from tests.actions.identification_fixtures import (
    CLEARED,
    CONFIRMED,
    after_email,
    validate,
)
from tests.actions.trackers import entity


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
