"""Consent: who may be contacted on which channel, and who not at all.

Answering a customer who contacted us needs no consent; reaching out to them
(an outbound call, a marketing SMS or e-mail) does. The rules, in order:
an account marked do-not-contact is never contacted; an opt-out on a channel
closes that channel; without an opt-in there is no consent for outbound.
"""

from __future__ import annotations

import datetime as dt

from ..errors import ContactNotAllowed, InvalidRequest
from ..models import Account, Consent, ConsentStatus, ContactChannel
from ..uow import UnitOfWork
from .accounts import get_account
from .dates import now_or

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
