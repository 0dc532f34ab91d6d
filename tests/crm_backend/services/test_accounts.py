"""Accounts: finding, creating and identifying customers, and the products they own."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from crm_backend.errors import AccountNotFound, InvalidContactData, ProductNotFound
from crm_backend.models import AccountKind
from crm_backend.services import accounts
from tests.crm_backend.services.test_verification_lock import failures_of
from tests.factories import columns, demo_catalog, make_account

NOW = dt.datetime(2025, 11, 3, 9, 30, tzinfo=dt.UTC)
TIMESTAMPS = ("created_at", "updated_at")


def phones_of(account):
    return [(p.number, p.is_primary) for p in account.phones]


def emails_of(account):
    return [(e.address, e.is_primary) for e in account.emails]


@pytest.mark.parametrize("phone", ["+33612345678", "06 12 34 56 78", "+33 (0)6 12-34-56-78"])
def test_find_by_phone_in_any_format(any_uow, phone):
    pierre = make_account(any_uow)
    make_account(any_uow, first_name="Anne", last_name="Roux", phones=["+33698765432"], emails=[])

    assert accounts.find_accounts(any_uow, phone=phone) == [pierre]


def test_find_by_email_ignores_case_and_spaces(any_uow):
    pierre = make_account(any_uow)

    assert accounts.find_accounts(any_uow, email=" Pierre.Moreau@EXAMPLE.fr ") == [pierre]


@pytest.mark.parametrize(
    "criteria",
    [
        {"email": "nobody@example.com"},
        {"email": "not an address"},
        {"phone": "anonymous"},
        {"phone": "+33699999999"},
        {"customer_number": "C-999999"},
        {},
    ],
)
def test_find_matches_nothing(any_uow, criteria):
    make_account(any_uow)

    assert accounts.find_accounts(any_uow, **criteria) == []


@pytest.mark.parametrize("number", ["C-100001", "c-100001", "c100001", " 100001 "])
def test_find_by_customer_number(any_uow, number):
    pierre = make_account(any_uow, customer_number="C-100001")
    make_account(any_uow, customer_number="C-100002", phones=[], emails=[])

    assert accounts.find_accounts(any_uow, customer_number=number) == [pierre]


def test_find_by_last_name_and_postcode_without_accents_or_case(any_uow):
    helene = make_account(
        any_uow, first_name="Hélène", last_name="Lefèvre", postcode="75011", phones=[], emails=[]
    )
    make_account(any_uow, first_name="Marc", last_name="Lefèvre", postcode="69002", phones=[])
    make_account(any_uow, first_name="Anne", last_name="Roux", postcode="75011", phones=[])

    assert accounts.find_accounts(any_uow, last_name="LEFEVRE", postcode="75 011") == [helene]
    assert accounts.find_accounts(any_uow, last_name="lefèvre", postcode="75012") == []
    assert accounts.find_accounts(any_uow, last_name="Lefevr", postcode="75011") == []


def test_every_criterion_must_hold(any_uow):
    pierre = make_account(any_uow)

    assert accounts.find_accounts(any_uow, phone="0612345678", last_name="Moreau") == [pierre]
    assert accounts.find_accounts(any_uow, phone="0612345678", last_name="Roux") == []


def test_find_by_free_text(any_uow):
    pierre = make_account(any_uow)
    anne = make_account(any_uow, first_name="Anne", last_name="Moréau", phones=[], emails=[])
    make_account(any_uow, first_name="Luc", last_name="Girard", phones=[], emails=[])

    assert accounts.find_accounts(any_uow, q="MOREAU") == [pierre, anne]


def test_get_account_names_the_missing_key(any_uow):
    with pytest.raises(AccountNotFound) as raised:
        accounts.get_account(any_uow, account_id=42)

    assert raised.value.key == 42
    assert raised.value.message == "account 42 not found"


def test_get_account_by_number(any_uow):
    pierre = make_account(any_uow, customer_number="C-100001")

    assert accounts.get_account_by_number(any_uow, customer_number="c100001") is pierre
    with pytest.raises(AccountNotFound):
        accounts.get_account_by_number(any_uow, customer_number="C-100002")


def test_create_account_writes_the_whole_record(any_uow, monkeypatch):
    monkeypatch.setattr(accounts, "_draw_customer_number", lambda: 482913)
    account = accounts.create_account(
        any_uow,
        first_name=" Pierre ",
        last_name="Moreau",
        email="Pierre.Moreau@Example.fr",
        phone="06 12 34 56 78",
        street="14 rue de la République",
        postcode="69 002",
        city="Lyon",
    )

    assert columns(account, without=TIMESTAMPS) == {
        "id": 1,
        "customer_number": "C-482913",
        "kind": AccountKind.PERSON,
        "name": "Pierre Moreau",
        "search_name": "pierre moreau",
        "first_name": "Pierre",
        "last_name": "Moreau",
        "street": "14 rue de la République",
        "postcode": "69002",
        "city": "Lyon",
        "country": "FR",
        "timezone": "Europe/Paris",
        "do_not_contact": False,
        "preferred_language": None,
    }
    assert phones_of(account) == [("+33612345678", True)]
    assert emails_of(account) == [("pierre.moreau@example.fr", True)]


def test_create_company_account_is_named_after_the_company(any_uow):
    account = accounts.create_account(
        any_uow,
        first_name="Nadia",
        last_name="Girard",
        kind=AccountKind.COMPANY,
        company_name="Atelier Girard SARL",
    )

    assert (account.kind, account.name, account.search_name) == (
        AccountKind.COMPANY,
        "Atelier Girard SARL",
        "atelier girard sarl",
    )


@pytest.mark.parametrize(
    ("fields", "bad_field"),
    [
        ({"phone": "12"}, "phone"),
        ({"email": "pierre@"}, "email"),
        ({"postcode": "#42"}, "postcode"),
        ({"last_name": "  "}, "last_name"),
        ({"kind": AccountKind.COMPANY}, "company_name"),
    ],
)
def test_create_account_refuses_bad_contact_data_and_writes_nothing(any_uow, fields, bad_field):
    given = {"first_name": "Pierre", "last_name": "Moreau", **fields}

    with pytest.raises(InvalidContactData) as raised:
        accounts.create_account(any_uow, **given)

    assert raised.value.field == bad_field
    assert any_uow.accounts.count() == 0


def test_register_product_with_warranty(any_uow):
    catalog = demo_catalog(any_uow)
    pierre = make_account(any_uow)

    owned = accounts.register_product(
        any_uow,
        account_id=pierre.id,
        sku="ecl-3000",
        purchased_on=dt.date(2024, 1, 31),
        serial_number="ECL3K-0042",
        warranty_months=25,
    )

    assert columns(owned) == {
        "id": 1,
        "account_id": pierre.id,
        "product_id": catalog.laptop.id,
        "serial_number": "ECL3K-0042",
        "purchased_on": dt.date(2024, 1, 31),
        "warranty_until": dt.date(2026, 2, 28),
    }


def test_owned_products_newest_first(any_uow):
    catalog = demo_catalog(any_uow)
    pierre = make_account(any_uow)
    accounts.register_product(
        any_uow, account_id=pierre.id, sku="PRN-200", purchased_on=dt.date(2023, 5, 2)
    )
    accounts.register_product(
        any_uow,
        account_id=pierre.id,
        sku="ECL-3000",
        purchased_on=dt.date(2025, 6, 1),
        warranty_months=0,
    )

    assert [(r.product, r.warranty_until) for r in accounts.owned_products(pierre)] == [
        (catalog.laptop, None),
        (catalog.printer, dt.date(2025, 5, 2)),
    ]


def test_register_unknown_product(any_uow):
    pierre = make_account(any_uow)

    with pytest.raises(ProductNotFound):
        accounts.register_product(
            any_uow, account_id=pierre.id, sku="NOPE", purchased_on=dt.date(2025, 1, 1)
        )


def test_created_account_is_found_after_commit(uow_factory):
    with uow_factory() as uow:
        account = accounts.create_account(
            uow, first_name="Anne", last_name="Roux", phone="0698765432"
        )
        accounts.update_phone(uow, account_id=account.id, phone="0711223344")
        uow.commit()

    with uow_factory() as uow:
        found = accounts.find_accounts(uow, phone="+33711223344")
        assert [(a.customer_number, phones_of(a)) for a in found] == [
            (account.customer_number, [("+33698765432", False), ("+33711223344", True)])
        ]


def test_accounts_created_at_once_get_different_numbers(uow_factory):
    barrier = threading.Barrier(4)

    def create(i: int) -> str:
        with uow_factory() as uow:
            barrier.wait(timeout=10)
            account = accounts.create_account(uow, first_name=f"N{i}", last_name="Dupont")
            uow.commit()
            return account.customer_number

    with ThreadPoolExecutor(max_workers=4) as pool:
        numbers = [f.result() for f in [pool.submit(create, i) for i in range(4)]]

    assert len(set(numbers)) == 4


def test_new_customer_numbers_are_drawn_at_random_and_skip_taken_ones(any_uow, monkeypatch):
    make_account(any_uow, customer_number="C-482913", phones=[], emails=[])
    draws = iter([482913, 100002, 731055])
    monkeypatch.setattr(accounts, "_draw_customer_number", lambda: next(draws))

    first = accounts.create_account(any_uow, first_name="Anne", last_name="Roux")
    second = accounts.create_account(any_uow, first_name="Luc", last_name="Girard")

    assert (first.customer_number, second.customer_number) == ("C-100002", "C-731055")


def test_new_customer_numbers_are_not_sequential(any_uow):
    numbers = [
        accounts.create_account(any_uow, first_name="Anne", last_name=f"Roux{i}").customer_number
        for i in range(3)
    ]

    digits = [int(n.removeprefix("C-")) for n in numbers]
    assert all(
        len(n) == 8 and 100_000 <= d <= 999_999 for n, d in zip(numbers, digits, strict=True)
    )
    assert len(set(numbers)) == 3
    # With numbers drawn from 900,000, three in a row by chance is one in ~10^11.
    assert digits != list(range(digits[0], digits[0] + 3))


def test_check_identity_counts_wrong_answers_and_refuses_any_while_locked(any_uow):
    pierre = make_account(any_uow)

    def check(answer):
        return accounts.check_identity(
            any_uow, account_id=pierre.id, answer=answer, channel="voice", now=NOW
        )

    assert [check(a) for a in ("69002", None, "75001", "75002", "75003", "75004")] == [
        pierre,
        None,
        None,
        None,
        None,
        None,
    ]
    assert check("69002") is None  # locked: the right answer fails too, and is not counted
    assert len(failures_of(any_uow, pierre.id)) == 5
