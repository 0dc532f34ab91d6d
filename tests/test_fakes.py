"""The fake unit of work behaves like the database where the services rely on it."""

from __future__ import annotations

import pytest

from crm_backend.errors import Conflict
from crm_backend.models import Account, Phone
from crm_backend.text import normalize
from tests.fakes import FakeUnitOfWork


def account(number: str, *phones: str) -> Account:
    return Account(
        customer_number=number,
        name="Pierre Moreau",
        search_name=normalize("Pierre Moreau"),
        phones=[Phone(number=p) for p in phones],
    )


def test_flush_gives_ids_defaults_and_foreign_keys():
    uow = FakeUnitOfWork()
    pierre = uow.accounts.add(account("C-1", "+33612345678", "+33711223344"))

    uow.flush()

    assert (pierre.id, pierre.kind, pierre.country, pierre.do_not_contact) == (
        1,
        "person",
        "FR",
        False,
    )
    assert [(p.id, p.account_id, p.is_primary, p.kind) for p in pierre.phones] == [
        (1, 1, False, "mobile"),
        (2, 1, False, "mobile"),
    ]
    assert uow.accounts.find_by_phone("+33711223344") == [pierre]


def test_a_foreign_key_alone_finds_its_object():
    uow = FakeUnitOfWork()
    pierre = uow.accounts.add(account("C-1"))
    uow.flush()
    phone = Phone(number="+33612345678", account_id=pierre.id)
    uow.add(phone)

    uow.flush()

    assert (phone.account, pierre.phones) == (pierre, [phone])


def test_a_duplicate_unique_value_is_a_conflict():
    uow = FakeUnitOfWork()
    uow.accounts.add(account("C-1"))
    uow.accounts.add(account("C-1"))

    with pytest.raises(Conflict):
        uow.flush()


def test_rollback_forgets_what_was_not_committed():
    with FakeUnitOfWork() as uow:
        uow.accounts.add(account("C-1"))
        uow.commit()
        uow.accounts.add(account("C-2"))
        uow.rollback()

        assert ([a.customer_number for a in uow.accounts.list_by()], uow.committed) == (
            ["C-1"],
            True,
        )
