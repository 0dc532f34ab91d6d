"""Accounts kept up to date (PROCESSES.md 1.5): contacts, address, preferences, answers."""

from __future__ import annotations

import pytest

from crm_backend.errors import InvalidContactData, InvalidRequest
from crm_backend.models import Phone
from crm_backend.services import accounts
from tests.crm_backend.services.test_accounts import NOW, emails_of, phones_of
from tests.factories import columns, make_account


def test_new_phone_becomes_primary(any_uow):
    pierre = make_account(any_uow)

    accounts.update_phone(any_uow, account_id=pierre.id, phone="07 11 22 33 44")

    assert phones_of(pierre) == [("+33612345678", False), ("+33711223344", True)]


def test_known_phone_is_not_added_twice(any_uow):
    pierre = make_account(any_uow, phones=["+33612345678", "+33711223344"])

    accounts.update_phone(any_uow, account_id=pierre.id, phone="+33 7 11 22 33 44")

    assert phones_of(pierre) == [("+33612345678", False), ("+33711223344", True)]
    assert len([o for o in _all_phones(any_uow) if o.account_id == pierre.id]) == 2


def _all_phones(uow):
    if hasattr(uow, "store"):
        return uow.store.of(Phone)
    return uow.session.query(Phone).all()


def test_secondary_phone_keeps_the_primary(any_uow):
    pierre = make_account(any_uow)

    accounts.update_phone(any_uow, account_id=pierre.id, phone="0711223344", make_primary=False)

    assert phones_of(pierre) == [("+33612345678", True), ("+33711223344", False)]


def test_first_phone_is_primary_even_when_not_asked(any_uow):
    anne = make_account(any_uow, first_name="Anne", phones=[], emails=[])

    accounts.update_phone(any_uow, account_id=anne.id, phone="0711223344", make_primary=False)

    assert phones_of(anne) == [("+33711223344", True)]


def test_update_phone_refuses_a_bad_number(any_uow):
    pierre = make_account(any_uow)

    with pytest.raises(InvalidContactData):
        accounts.update_phone(any_uow, account_id=pierre.id, phone="call me maybe")
    assert phones_of(pierre) == [("+33612345678", True)]


def test_new_email_becomes_primary(any_uow):
    pierre = make_account(any_uow)

    accounts.update_email(any_uow, account_id=pierre.id, email="P.Moreau@Work.example")

    assert emails_of(pierre) == [
        ("pierre.moreau@example.fr", False),
        ("p.moreau@work.example", True),
    ]


def test_update_address_changes_only_what_is_given(any_uow):
    pierre = make_account(any_uow)

    accounts.update_address(
        any_uow, account_id=pierre.id, street="2 quai Saint-Antoine", postcode="69 002"
    )

    assert (pierre.street, pierre.postcode, pierre.city) == (
        "2 quai Saint-Antoine",
        "69002",
        "Lyon",
    )


def test_preference_is_recorded_once_per_key(any_uow):
    pierre = make_account(any_uow)

    accounts.record_preference(
        any_uow, account_id=pierre.id, key="Preferred_Channel", value="sms", source="chat"
    )
    latest = accounts.record_preference(
        any_uow, account_id=pierre.id, key="preferred_channel", value="email", source="phone"
    )

    assert [columns(p, without=("recorded_at",)) for p in pierre.preferences] == [
        {
            "id": latest.id,
            "account_id": pierre.id,
            "key": "preferred_channel",
            "value": "email",
            "source": "phone",
        }
    ]


def test_empty_preference_is_refused(any_uow):
    pierre = make_account(any_uow)

    with pytest.raises(InvalidRequest):
        accounts.record_preference(any_uow, account_id=pierre.id, key="x", value=" ", source="chat")


def test_script_answer_is_kept_on_the_record(any_uow):
    pierre = make_account(any_uow)

    answer = accounts.record_script_answer(
        any_uow,
        account_id=pierre.id,
        script="laptop_needs",
        question="usage",
        answer="video editing",
        now=NOW,
    )

    assert [columns(a) for a in pierre.script_answers] == [
        {
            "id": answer.id,
            "account_id": pierre.id,
            "script": "laptop_needs",
            "question": "usage",
            "answer": "video editing",
            "recorded_at": NOW,
        }
    ]
