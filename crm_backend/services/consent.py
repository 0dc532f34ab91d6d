"""Consent: who may be contacted on which channel, and who not at all.

Answering a customer who contacted us needs no consent; reaching out to them
(an outbound call, a marketing SMS or e-mail) does. The rules, in order:
an account marked do-not-contact is never contacted; an opt-out on a channel
closes that channel; without an opt-in there is no consent for outbound.

A phone number has consents of its own (``NumberConsent``): an SMS "STOP"
comes from a number, which may belong to no account yet, or to several. It is
recorded on the number and on every account that holds it, and a message to
the number is refused while either says no. After the person's erasure, a
suppression (:mod:`~crm_backend.services.suppressions`) says no in their place.
"""

from __future__ import annotations

import datetime as dt

from ..errors import ContactNotAllowed, InvalidRequest
from ..models import Account, Consent, ConsentStatus, ContactChannel, NumberConsent
from ..text import normalize_phone
from ..uow import UnitOfWork
from .accounts import get_account
from .dates import now_or
from .suppressions import ALL, PHONE, suppressed

DO_NOT_CONTACT = "do-not-contact"
OPTED_OUT = "opted out"
NO_CONSENT = "no consent for outbound"


def set_consent(
    uow: UnitOfWork,
    *,
    account_id: int,
    channel: ContactChannel | str,
    status: ConsentStatus | str,
    source: str,
    now: dt.datetime | None = None,
) -> Consent:
    """Record an opt-in or opt-out on one channel; it replaces the previous one.

    Raises:
        AccountNotFound: no account has that id.
        InvalidRequest: the channel or status is not one the CRM knows.
    """
    account = get_account(uow, account_id=account_id)
    consent = _record(account, _channel(channel), _status(status), source, now_or(now))
    uow.flush()
    return consent


def set_do_not_contact(
    uow: UnitOfWork, *, account_id: int, source: str, now: dt.datetime | None = None
) -> Account:
    """Mark the account do-not-contact, and record an opt-out on every channel from ``source``.

    Raises:
        AccountNotFound: no account has that id.
    """
    account = get_account(uow, account_id=account_id)
    account.do_not_contact = True
    at = now_or(now)
    for channel in ContactChannel:
        _record(account, channel, ConsentStatus.OPT_OUT, source, at)
    uow.flush()
    return account


def contact_refusal(account: Account, *, channel: ContactChannel | str) -> str | None:
    """Why the account must not be contacted on ``channel``, or None when it may be."""
    wanted = _channel(channel)
    if account.do_not_contact:
        return DO_NOT_CONTACT
    consent = next((c for c in account.consents if c.channel == wanted), None)
    if consent is None:
        return NO_CONSENT
    if consent.status == ConsentStatus.OPT_OUT:
        return OPTED_OUT
    return None


def may_contact(account: Account, *, channel: ContactChannel | str) -> bool:
    """Whether we may reach out to the account on ``channel``."""
    return contact_refusal(account, channel=channel) is None


def ensure_may_contact(account: Account, *, channel: ContactChannel | str) -> None:
    """Check that we may reach out to the account on ``channel``.

    Raises:
        ContactNotAllowed: with the reason: do-not-contact, opted out, or no consent for outbound.
    """
    reason = contact_refusal(account, channel=channel)
    if reason is not None:
        raise ContactNotAllowed(account_id=account.id, channel=str(channel), reason=reason)


def opt_out_number(
    uow: UnitOfWork,
    *,
    phone: str,
    channel: ContactChannel | str,
    source: str,
    now: dt.datetime | None = None,
) -> list[Account]:
    """Record that a phone number wants nothing more on ``channel`` (an SMS "STOP").

    The opt-out is kept on the number, so it holds for an account created
    later with it, and on every account that has the number now.

    Returns:
        The accounts that hold the number, by id.

    Raises:
        InvalidContactData: the number does not parse.
        InvalidRequest: the channel is not one the CRM knows.
    """
    return _record_number(uow, phone, _channel(channel), ConsentStatus.OPT_OUT, source, now)


def opt_in_number(
    uow: UnitOfWork,
    *,
    phone: str,
    channel: ContactChannel | str,
    source: str,
    now: dt.datetime | None = None,
) -> list[Account]:
    """Record that a phone number asked for messages on ``channel`` again (an SMS "START").

    It undoes an opt-out on the number and on its accounts, and counts as
    their opt-in; an account marked do-not-contact stays so.

    Returns:
        The accounts that hold the number, by id.

    Raises:
        InvalidContactData: the number does not parse.
        InvalidRequest: the channel is not one the CRM knows.
    """
    return _record_number(uow, phone, _channel(channel), ConsentStatus.OPT_IN, source, now)


def number_opted_out(uow: UnitOfWork, *, phone: str, channel: ContactChannel | str) -> bool:
    """Whether the number itself opted out of ``channel`` (its accounts aside).

    Raises:
        InvalidContactData: the number does not parse.
    """
    number, wanted = normalize_phone(phone), _channel(channel)
    own = uow.number_consents.get_by(number=number, channel=wanted)
    if own is not None and own.status == ConsentStatus.OPT_OUT:
        return True
    return suppressed(uow, kind=PHONE, value=number, channel=wanted) is not None


def number_refusal(
    uow: UnitOfWork, *, phone: str, channel: ContactChannel | str, marketing: bool = True
) -> str | None:
    """Why we must not send to this number on ``channel``, or None when we may.

    Refused: a number that opted out, or one held by an account that is
    do-not-contact or opted out on the channel, or whose refusal outlived
    the person's erasure as a suppression. A marketing message also
    needs an opt-in, from the number or from one of its accounts; a service
    message (an order shipped) does not.

    Raises:
        InvalidContactData: the number does not parse.
        InvalidRequest: the channel is not one the CRM knows.
    """
    number, wanted = normalize_phone(phone), _channel(channel)
    kept = suppressed(uow, kind=PHONE, value=number, channel=wanted)
    if kept is not None:
        return DO_NOT_CONTACT if kept == ALL else OPTED_OUT
    own = uow.number_consents.get_by(number=number, channel=wanted)
    if own is not None and own.status == ConsentStatus.OPT_OUT:
        return OPTED_OUT
    holders = uow.accounts.find_by_phone(number)
    reasons = [contact_refusal(account, channel=wanted) for account in holders]
    for reason in (DO_NOT_CONTACT, OPTED_OUT):
        if reason in reasons:
            return reason
    if not marketing or own is not None or None in reasons:
        return None
    return NO_CONSENT


def _record_number(
    uow: UnitOfWork,
    phone: str,
    channel: ContactChannel,
    status: ConsentStatus,
    source: str,
    now: dt.datetime | None,
) -> list[Account]:
    number, at = normalize_phone(phone), now_or(now)
    own = uow.number_consents.get_by(number=number, channel=channel)
    if own is None:
        uow.number_consents.add(
            NumberConsent(
                number=number, channel=channel, status=status, source=source, updated_at=at
            )
        )
    else:
        own.status, own.source, own.updated_at = status, source, at
    holders = sorted(uow.accounts.find_by_phone(number), key=lambda a: a.id)
    for account in holders:
        _record(account, channel, status, source, at)
    uow.flush()
    return holders


def _record(
    account: Account,
    channel: ContactChannel,
    status: ConsentStatus,
    source: str,
    at: dt.datetime,
) -> Consent:
    consent = next((c for c in account.consents if c.channel == channel), None)
    if consent is None:
        consent = Consent(channel=channel, status=status, source=source, updated_at=at)
        account.consents.append(consent)
    else:
        consent.status, consent.source, consent.updated_at = status, source, at
    return consent


def _channel(value: ContactChannel | str) -> ContactChannel:
    try:
        return ContactChannel(value)
    except ValueError:
        raise InvalidRequest(f"unknown contact channel {value!r}") from None


def _status(value: ConsentStatus | str) -> ConsentStatus:
    try:
        return ConsentStatus(value)
    except ValueError:
        raise InvalidRequest(f"unknown consent status {value!r}") from None
