"""A person's rights over their data: erasure, export, and retention.

Erasure removes or anonymizes the person everywhere the CRM keeps them:

- the account stays as an anonymous shell (orders and quotes must stay for
  accounting and point at it): no name, address, customer number, phones,
  e-mails, contacts, preferences, consents, products, complaints or script
  answers, and marked do-not-contact;
- quotes lose the customer's feedback, orders their status notes and
  idempotency keys (which may hold a conversation id), the ERP outbox the
  customer number; leads their answers, activities their subjects,
  interactions and handoffs their summaries, words, slots and numbers, call
  list entries their notes; handoff notes, failed verifications and the
  number's own consents go;
- every conversation of the person (their interactions' and handoffs' ids,
  ``sms-<E.164>``, ids and transcripts that hold their number or address,
  and any the caller adds, such as Rasa's tracker ids) loses its transcript
  and received messages, and its id is replaced where rows stay.

A do-not-contact or opt-out survives as a salted hash
(:mod:`~crm_backend.services.suppressions`). Rasa's tracker store is not the
CRM's database: the command line (:mod:`crm_backend.cli.privacy`) erases the
conversations this module names there too. Export and the erased person's
shape follow :mod:`crm_backend.services.personal_export`.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

import phonenumbers

from ..errors import InvalidRequest
from ..models import Account, ConsentStatus, ContactChannel, Handoff, Interaction
from ..text import normalize_email, normalize_phone
from ..uow import UnitOfWork
from .accounts import get_account_by_number
from .suppressions import ALL, EMAIL, PHONE, suppress

ERASED_NAME = "Erased customer"
ERASED = "(erased)"


@dataclass(frozen=True)
class Person:
    """Whom to erase: their accounts, and the numbers and addresses that reach them."""

    accounts: tuple[Account, ...]
    phones: tuple[str, ...]
    emails: tuple[str, ...]

    @property
    def needles(self) -> tuple[str, ...]:
        """The forms their identifiers take in free text and conversation ids."""
        return tuple(form for phone in self.phones for form in phone_forms(phone)) + self.emails


@dataclass
class Erasure:
    """What an erasure did."""

    accounts: int = 0
    conversation_ids: list[str] = field(default_factory=list)
    suppressions: int = 0
    rows_deleted: int = 0


def phone_forms(e164: str) -> tuple[str, ...]:
    """The ways a number is written: +33612345678, 612345678, 06 12 34 56 78, 06.12.34.56.78."""
    parsed = phonenumbers.parse(e164)
    national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    significant = phonenumbers.national_significant_number(parsed)
    return tuple(dict.fromkeys((e164, significant, national, national.replace(" ", "."))))


def find_person(
    uow: UnitOfWork,
    *,
    customer_number: str | None = None,
    phone: str | None = None,
    email: str | None = None,
) -> Person:
    """The person behind one customer number, phone number or e-mail address.

    A customer number brings the account with every number and address on
    it. A bare number or address is that identifier alone: the accounts that
    hold it may be someone else's too (a household's landline), so they lose
    it but are not erased.

    Raises:
        AccountNotFound: no account has that customer number.
        InvalidContactData: the number or address does not parse.
        InvalidRequest: not exactly one of the three was given.
    """
    if sum(v is not None for v in (customer_number, phone, email)) != 1:
        raise InvalidRequest("give exactly one of a customer number, a phone number, an e-mail")
    if customer_number is not None:
        account = get_account_by_number(uow, customer_number=customer_number)
        phones = [p.number for p in account.phones]
        phones += [c.phone for c in account.contacts if c.phone]
        emails = [e.address for e in account.emails]
        emails += [c.email.lower() for c in account.contacts if c.email]
        return Person((account,), _unique(phones), _unique(emails))
    if phone is not None:
        return Person((), (normalize_phone(phone),), ())
    return Person((), (), (normalize_email(email or ""),))


def erase_person(
    uow: UnitOfWork, *, person: Person, conversation_ids: Iterable[str] = ()
) -> Erasure:
    """Remove or anonymize the person everywhere in the CRM (see the module's docstring).

    Returns:
        What was done, with every conversation id of the person: the caller
        erases them from Rasa's tracker store too.
    """
    erasure = Erasure()
    erasure.suppressions = _keep_refusals(uow, person)
    conversations = set(conversation_ids) | uow.personal_data.conversations_mentioning(
        person.needles
    )
    conversations |= {f"sms-{phone}" for phone in person.phones}
    for account in person.accounts:
        rows: list[Interaction | Handoff] = [*uow.interactions.list_by(account_id=account.id)]
        rows += uow.handoffs.list_by(account_id=account.id)
        conversations |= {row.conversation_id for row in rows if row.conversation_id}
    erasure.conversation_ids = sorted(conversations)
    erasure.rows_deleted += uow.personal_data.delete_conversations(erasure.conversation_ids)
    pseudonyms: dict[str, str] = {}
    for conversation_id in erasure.conversation_ids:
        for interaction in uow.interactions.list_by(conversation_id=conversation_id):
            _forget_interaction(interaction, pseudonyms)
        for handoff in uow.handoffs.list_by(conversation_id=conversation_id):
            erasure.rows_deleted += _forget_handoff(uow, handoff, pseudonyms)
    for activity in uow.personal_data.activities_mentioning(person.needles):
        activity.subject = ERASED
    for phone in person.phones:
        for consent in uow.number_consents.list_by(number=phone):
            uow.personal_data.remove(consent)
            erasure.rows_deleted += 1
    for account in person.accounts:
        erasure.rows_deleted += _erase_account(uow, account, pseudonyms)
        erasure.accounts += 1
    for phone in person.phones:
        for holder in uow.accounts.find_by_phone(phone):
            holder.phones[:] = [p for p in holder.phones if p.number != phone]
    for address in person.emails:
        for holder in uow.accounts.find_by_email(address):
            holder.emails[:] = [e for e in holder.emails if e.address != address]
    uow.flush()
    return erasure


def purge_before(uow: UnitOfWork, *, cutoff: dt.datetime) -> dict[str, int]:
    """Delete conversation data older than ``cutoff`` (the retention period); counts by kind."""
    return uow.personal_data.purge_before(cutoff)


def _keep_refusals(uow: UnitOfWork, person: Person) -> int:
    """Turn the person's do-not-contact and opt-outs into suppressions; how many."""
    wanted: set[tuple[str, str, str]] = set()
    for account in person.accounts:
        if account.do_not_contact:
            wanted |= {(PHONE, p, ALL) for p in person.phones}
            wanted |= {(EMAIL, e, ALL) for e in person.emails}
        for consent in account.consents:
            if consent.status != ConsentStatus.OPT_OUT:
                continue
            kind, values = (
                (EMAIL, person.emails)
                if consent.channel == ContactChannel.EMAIL
                else (PHONE, person.phones)
            )
            wanted |= {(kind, v, str(consent.channel)) for v in values}
    for phone in person.phones:
        for own in uow.number_consents.list_by(number=phone):
            if own.status == ConsentStatus.OPT_OUT:
                wanted.add((PHONE, phone, str(own.channel)))
    for kind, value, channel in sorted(wanted):
        suppress(uow, kind=kind, value=value, channel=channel)
    return len(wanted)


def _pseudonym(conversation_id: str, pseudonyms: dict[str, str]) -> str:
    """One random id per erased conversation id, so its interaction and handoff still match."""
    if conversation_id in pseudonyms.values():
        return conversation_id  # reached twice: by its conversation and by its account
    if conversation_id not in pseudonyms:
        pseudonyms[conversation_id] = f"erased-{secrets.token_hex(8)}"
    return pseudonyms[conversation_id]


def _forget_interaction(interaction: Interaction, pseudonyms: dict[str, str]) -> None:
    if interaction.conversation_id is not None:
        interaction.conversation_id = _pseudonym(interaction.conversation_id, pseudonyms)
    interaction.summary = None
    interaction.wrap_up_summary = None
    interaction.feedback = None
    interaction.satisfaction_comment = None


def _forget_handoff(uow: UnitOfWork, handoff: Handoff, pseudonyms: dict[str, str]) -> int:
    if handoff.conversation_id in pseudonyms.values():
        return 0  # reached twice: by its conversation and by its account
    handoff.conversation_id = _pseudonym(handoff.conversation_id, pseudonyms)
    handoff.slots = {}
    handoff.detail = ""
    handoff.reply_to = None
    handoff.summary = None
    notes = list(handoff.notes)
    for note in notes:
        uow.personal_data.remove(note)
    return len(notes)


def _erase_account(uow: UnitOfWork, account: Account, pseudonyms: dict[str, str]) -> int:
    """Anonymize the account and what hangs on it; how many rows were deleted."""
    deleted = uow.personal_data.delete_verification_failures(account.id)
    old_number = account.customer_number
    account.customer_number = f"X-{secrets.token_hex(8)}"
    for record in uow.personal_data.outbox_mentioning(old_number):
        payload = dict(record.payload)
        payload["customer_number"] = account.customer_number
        payload.pop("note", None)
        record.payload = payload
    for collection in (
        account.phones,
        account.emails,
        account.contacts,
        account.preferences,
        account.consents,
        account.registered_products,
        account.complaints,
        account.script_answers,
    ):
        deleted += len(collection)
        collection.clear()  # delete-orphan: the rows go at the flush
    account.name = ERASED_NAME
    account.search_name = ERASED_NAME.lower()
    account.first_name = account.last_name = None
    account.street = account.postcode = account.city = None
    account.do_not_contact = True
    for quote in uow.quotes.list_by(account_id=account.id):
        quote.feedback = None
    for order in uow.orders.list_by(account_id=account.id):
        order.idempotency_key = None
        for change in order.history:
            change.note = None
    for lead in uow.leads.list_by(account_id=account.id):
        lead.qualification_answers = {}
        lead.product_interest = ""
    for activity in uow.activities.list_by(account_id=account.id):
        activity.subject = ERASED
    for interaction in uow.interactions.list_by(account_id=account.id):
        _forget_interaction(interaction, pseudonyms)
    for handoff in uow.handoffs.list_by(account_id=account.id):
        deleted += _forget_handoff(uow, handoff, pseudonyms)
    for entry in uow.call_list_entries.list_by(account_id=account.id):
        entry.notes = None
    return deleted


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))
