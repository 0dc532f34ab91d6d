"""Failed identity checks lock an account's verification for a while.

Failed checks are counted on the account, not in the conversation: a new
conversation costs an attacker nothing. After
:data:`VERIFICATION_LOCK_FAILURES` failures within
:data:`VERIFICATION_LOCK_WINDOW` the account cannot be verified until the
oldest of them leaves the window. :func:`.accounts.check_identity` counts
the failures and reads the lock.
"""

from __future__ import annotations

import datetime as dt

from ..models import VerificationFailure
from ..uow import UnitOfWork
from .dates import now_or

VERIFICATION_LOCK_FAILURES = 5
VERIFICATION_LOCK_WINDOW = dt.timedelta(hours=1)


def record_failed_verification(
    uow: UnitOfWork, *, account_id: int, channel: str, now: dt.datetime | None = None
) -> VerificationFailure:
    """Count a failed identity check against the account, whatever conversation made it."""
    failure = VerificationFailure(account_id=account_id, channel=channel, at=now_or(now))
    uow.accounts.add_verification_failure(failure)
    uow.flush()
    return failure


def verification_locked_until(
    uow: UnitOfWork, *, account_id: int, now: dt.datetime | None = None
) -> dt.datetime | None:
    """When the account can be verified again, or None when it can be now.

    Locked while :data:`VERIFICATION_LOCK_FAILURES` failures or more fall in
    the last :data:`VERIFICATION_LOCK_WINDOW`: until the oldest of the latest
    ones is that old.
    """
    at = now_or(now)
    recent = uow.accounts.verification_failures(account_id, since=at - VERIFICATION_LOCK_WINDOW)
    if len(recent) < VERIFICATION_LOCK_FAILURES:
        return None
    return recent[VERIFICATION_LOCK_FAILURES - 1].at + VERIFICATION_LOCK_WINDOW


def verification_locked(
    uow: UnitOfWork, *, account_id: int, now: dt.datetime | None = None
) -> bool:
    """Whether too many recent failed checks forbid verifying the account now."""
    return verification_locked_until(uow, account_id=account_id, now=now) is not None
