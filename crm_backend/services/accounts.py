"""Accounts: find and identify customers, create them, keep their data up to date.

The first step of every inbound contact (PROCESSES.md 1.1) and its
follow-up (1.5): find the account from what the bot knows, check a second
fact before trusting the caller, create the account when there is none, and
record new phone numbers, e-mails, addresses, preferences and script answers.

The second fact is compared in :mod:`.identification`; failed checks lock the
account's verification for a while (:mod:`.verification_lock`). Customer
numbers are drawn at random, so one known number says nothing about the
others.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import uuid
from collections.abc import Iterable, Sequence

from ..errors import AccountNotFound, InvalidContactData, InvalidRequest
from ..models import (
    Account,
    AccountKind,
    Email,
    Phone,
    Preference,
    RegisteredProduct,
    ScriptAnswer,
)
from ..text import normalize, normalize_email, normalize_phone
from ..uow import UnitOfWork
from . import products
from .dates import add_months, now_or
from .identification import customer_number_key, verify_identity
from .verification_lock import record_failed_verification, verification_locked

# New customer numbers: C- and six digits, drawn at random among those not taken.
CUSTOMER_NUMBER_LOWEST = 100_000
CUSTOMER_NUMBER_COUNT = 900_000
# How many accounts a last-name-only search looks at before filtering exactly.
_NAME_SEARCH_LIMIT = 200
_POSTCODE = re.compile(r"^[A-Z0-9][A-Z0-9 -]{1,9}$")


def find_accounts(
    uow: UnitOfWork,
    *,
    phone: str | None = None,
    email: str | None = None,
    customer_number: str | None = None,
    last_name: str | None = None,
    postcode: str | None = None,
    q: str | None = None,
) -> list[Account]:
    """Accounts matching every criterion given, by id.

    Phones and e-mails are normalised first, so "06 12 34 56 78" finds
    "+33612345678". Last name and postcode match whole values, accent- and
    case-insensitively. A phone or e-mail that cannot be one matches nothing;
    no criterion at all matches nothing.
    """
    candidates: list[Sequence[Account]] = []
    try:
        if phone:
            candidates.append(uow.accounts.find_by_phone(normalize_phone(phone)))
        if email:
            candidates.append(uow.accounts.find_by_email(normalize_email(email)))
    except InvalidContactData:
        return []
    if customer_number:
        found = uow.accounts.get_by(customer_number=customer_number_key(customer_number))
        candidates.append([found] if found else [])
    if last_name or postcode:
        candidates.append(_find_by_name_and_postcode(uow, last_name=last_name, postcode=postcode))
    if q and q.strip():
        candidates.append(uow.accounts.search(q))
    if not candidates:
        return []
    ids = set.intersection(*({a.id for a in found} for found in candidates))
    return sorted((a for a in candidates[0] if a.id in ids), key=lambda a: a.id)


def _find_by_name_and_postcode(
    uow: UnitOfWork, *, last_name: str | None, postcode: str | None
) -> list[Account]:
    if postcode:
        try:
            found: Iterable[Account] = uow.accounts.list_by(postcode=_postcode(postcode))
        except InvalidContactData:
            return []
    else:
        found = uow.accounts.search(last_name or "", limit=_NAME_SEARCH_LIMIT)
    if last_name:
        key = normalize(last_name)
        found = [a for a in found if key in (normalize(a.last_name or ""), a.search_name)]
    return list(found)


def get_account(uow: UnitOfWork, *, account_id: int) -> Account:
    """The account with that id.

    Raises:
        AccountNotFound: there is none.
    """
    account = uow.accounts.get(account_id)
    if account is None:
        raise AccountNotFound(key=account_id)
    return account


def get_account_by_number(uow: UnitOfWork, *, customer_number: str) -> Account:
    """The account with that customer number ("c-100001" finds "C-100001").

    Raises:
        AccountNotFound: there is none.
    """
    account = uow.accounts.get_by(customer_number=customer_number_key(customer_number))
    if account is None:
        raise AccountNotFound(key=customer_number)
    return account


def create_account(
    uow: UnitOfWork,
    *,
    first_name: str,
    last_name: str,
    email: str | None = None,
    phone: str | None = None,
    street: str | None = None,
    postcode: str | None = None,
    city: str | None = None,
    kind: AccountKind = AccountKind.PERSON,
    company_name: str | None = None,
) -> Account:
    """Create an account with a random unused customer number (``C-`` and six digits).

    Sequential numbers would let anyone who knows one guess the others. Two
    transactions that draw the same number at once (one chance in ~10^6) meet
    the column's unique constraint: the later one fails with ``Conflict``.

    Raises:
        InvalidContactData: a name is missing, or the phone, e-mail or postcode does not parse.
    """
    first, last = _required("first_name", first_name), _required("last_name", last_name)
    kind = AccountKind(kind)
    if kind is AccountKind.COMPANY:
        name = _required("company_name", company_name or "")
    else:
        name = f"{first} {last}"
    account = Account(
        # A unique placeholder until the id is known.
        customer_number=f"new-{uuid.uuid4().hex[:16]}",
        kind=kind,
        name=name,
        search_name=normalize(name),
        first_name=first,
        last_name=last,
        street=_optional(street),
        postcode=_postcode(postcode) if postcode and postcode.strip() else None,
        city=_optional(city),
    )
    if phone:
        account.phones.append(Phone(number=normalize_phone(phone), is_primary=True))
    if email:
        account.emails.append(Email(address=normalize_email(email), is_primary=True))
    uow.accounts.add(account)
    uow.flush()
    account.customer_number = _free_customer_number(uow)
    uow.flush()
    return account


def _draw_customer_number() -> int:
    return CUSTOMER_NUMBER_LOWEST + secrets.randbelow(CUSTOMER_NUMBER_COUNT)


def _free_customer_number(uow: UnitOfWork) -> str:
    while True:
        number = f"C-{_draw_customer_number()}"
        if uow.accounts.get_by(customer_number=number) is None:
            return number


def check_identity(
    uow: UnitOfWork,
    *,
    account_id: int,
    answer: str | None,
    channel: str,
    now: dt.datetime | None = None,
) -> Account | None:
    """The account, when ``answer`` is its second fact and its verification is not locked.

    A wrong answer (None: not the kind of fact asked) is counted on the
    account. While it is locked every answer fails, the right one too, and
    the caller cannot tell a lock from a wrong answer.

    Raises:
        AccountNotFound: no account has that id.
    """
    account = get_account(uow, account_id=account_id)
    locked = verification_locked(uow, account_id=account_id, now=now)
    matched = answer is not None and verify_identity(account, answer=answer)
    if not matched:
        record_failed_verification(uow, account_id=account_id, channel=channel, now=now)
    return account if matched and not locked else None


def update_phone(
    uow: UnitOfWork, *, account_id: int, phone: str, make_primary: bool = True
) -> Account:
    """Add a phone number to the account (or find it there), primary by default.

    Raises:
        AccountNotFound: no account has that id.
        InvalidContactData: the number does not parse.
    """
    account = get_account(uow, account_id=account_id)
    number = normalize_phone(phone)
    entry = next((p for p in account.phones if p.number == number), None)
    if entry is None:
        entry = Phone(number=number, is_primary=False)
        account.phones.append(entry)
    if make_primary or len(account.phones) == 1:
        for other in account.phones:
            other.is_primary = other is entry
    uow.flush()
    return account


def update_email(
    uow: UnitOfWork, *, account_id: int, email: str, make_primary: bool = True
) -> Account:
    """Add an e-mail address to the account (or find it there), primary by default.

    Raises:
        AccountNotFound: no account has that id.
        InvalidContactData: the address does not parse.
    """
    account = get_account(uow, account_id=account_id)
    address = normalize_email(email)
    entry = next((e for e in account.emails if e.address == address), None)
    if entry is None:
        entry = Email(address=address, is_primary=False)
        account.emails.append(entry)
    if make_primary or len(account.emails) == 1:
        for other in account.emails:
            other.is_primary = other is entry
    uow.flush()
    return account


def update_address(
    uow: UnitOfWork,
    *,
    account_id: int,
    street: str | None = None,
    postcode: str | None = None,
    city: str | None = None,
) -> Account:
    """Change the parts of the postal address that are given; keep the others.

    Raises:
        AccountNotFound: no account has that id.
        InvalidContactData: the postcode does not parse.
    """
    account = get_account(uow, account_id=account_id)
    if postcode is not None:
        account.postcode = _postcode(postcode)
    if street is not None:
        account.street = _optional(street)
    if city is not None:
        account.city = _optional(city)
    uow.flush()
    return account


def record_preference(
    uow: UnitOfWork, *, account_id: int, key: str, value: str, source: str
) -> Preference:
    """Record how the customer likes to be served; a new value replaces the old one.

    Raises:
        AccountNotFound: no account has that id.
        InvalidRequest: the key or the value is empty.
    """
    account = get_account(uow, account_id=account_id)
    key, value = _nonempty("preference key", key).lower(), _nonempty("preference value", value)
    preference = next((p for p in account.preferences if p.key == key), None)
    if preference is None:
        preference = Preference(key=key, value=value, source=source)
        account.preferences.append(preference)
    else:
        preference.value, preference.source = value, source
    uow.flush()
    return preference


def record_script_answer(
    uow: UnitOfWork,
    *,
    account_id: int,
    script: str,
    question: str,
    answer: str,
    now: dt.datetime | None = None,
) -> ScriptAnswer:
    """Keep an answer given during an interactive script on the customer's record.

    Raises:
        AccountNotFound: no account has that id.
        InvalidRequest: the script, question or answer is empty.
    """
    account = get_account(uow, account_id=account_id)
    recorded = ScriptAnswer(
        script=_nonempty("script", script),
        question=_nonempty("question", question),
        answer=_nonempty("answer", answer),
        recorded_at=now_or(now),
    )
    account.script_answers.append(recorded)
    uow.flush()
    return recorded


def register_product(
    uow: UnitOfWork,
    *,
    account_id: int,
    sku: str,
    purchased_on: dt.date,
    serial_number: str | None = None,
    warranty_months: int = 24,
) -> RegisteredProduct:
    """Add a product the customer owns to their installed base.

    The warranty runs ``warranty_months`` from the purchase; zero months means none.

    Raises:
        AccountNotFound: no account has that id.
        ProductNotFound: no product has that SKU.
        InvalidRequest: the warranty is negative.
    """
    if warranty_months < 0:
        raise InvalidRequest(f"warranty_months must not be negative, not {warranty_months}")
    account = get_account(uow, account_id=account_id)
    product = products.get_product(uow, sku=sku)
    owned = RegisteredProduct(
        product=product,
        serial_number=_optional(serial_number or ""),
        purchased_on=purchased_on,
        warranty_until=add_months(purchased_on, warranty_months) if warranty_months else None,
    )
    account.registered_products.append(owned)
    uow.flush()
    return owned


def owned_products(account: Account) -> list[RegisteredProduct]:
    """What the customer owns, most recent purchase first."""
    return sorted(account.registered_products, key=lambda r: (r.purchased_on, r.id), reverse=True)


def _postcode(raw: str) -> str:
    # "75 011" is 75011; "sw1a 1aa" keeps its inner space as SW1A 1AA.
    postcode = " ".join(raw.split()).upper()
    digits = re.sub(r"[\s-]", "", postcode)
    if digits.isdigit():
        postcode = digits
    if not _POSTCODE.match(postcode):
        raise InvalidContactData(field="postcode", value=raw)
    return postcode


def _required(field: str, value: str) -> str:
    cleaned = " ".join(value.split())
    if not cleaned:
        raise InvalidContactData(field=field, value=value)
    return cleaned


def _optional(value: str | None) -> str | None:
    cleaned = " ".join((value or "").split())
    return cleaned or None


def _nonempty(what: str, value: str) -> str:
    cleaned = value.strip()
    if not cleaned:
        raise InvalidRequest(f"{what} must not be empty")
    return cleaned
