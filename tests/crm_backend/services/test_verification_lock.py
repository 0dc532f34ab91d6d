"""Failed verifications: counted per account, whichever conversation made them; five lock it."""

from __future__ import annotations

import datetime as dt

from crm_backend.services import verification_lock
from tests.factories import make_account

NOW = dt.datetime(2025, 11, 3, 9, 30, tzinfo=dt.UTC)


def failures_of(uow, account_id):
    return [(f.account_id, f.channel, f.at) for f in uow.accounts.verification_failures(account_id)]


def test_a_failed_verification_is_recorded_on_the_account(any_uow):
    pierre = make_account(any_uow)
    anne = make_account(any_uow, first_name="Anne", phones=[], emails=[])

    verification_lock.record_failed_verification(
        any_uow, account_id=pierre.id, channel="sms", now=NOW
    )

    assert failures_of(any_uow, pierre.id) == [(pierre.id, "sms", NOW)]
    assert failures_of(any_uow, anne.id) == []


def test_five_failures_in_an_hour_lock_the_verification_for_the_hour(any_uow):
    pierre = make_account(any_uow)
    minutes = [0, 10, 20, 30, 40]
    for minute in minutes[:4]:
        verification_lock.record_failed_verification(
            any_uow, account_id=pierre.id, channel="web", now=NOW + dt.timedelta(minutes=minute)
        )
    fifth = NOW + dt.timedelta(minutes=40)
    assert not verification_lock.verification_locked(any_uow, account_id=pierre.id, now=fifth)

    verification_lock.record_failed_verification(
        any_uow, account_id=pierre.id, channel="web", now=fifth
    )

    # Locked until the first of the five is an hour old: then only four are in the hour.
    until = NOW + dt.timedelta(hours=1)
    assert (
        verification_lock.verification_locked_until(any_uow, account_id=pierre.id, now=fifth)
        == until
    )
    assert [
        verification_lock.verification_locked(any_uow, account_id=pierre.id, now=at)
        for at in (fifth, until - dt.timedelta(seconds=1), until)
    ] == [True, True, False]


def test_failures_on_another_account_or_older_than_an_hour_do_not_lock(any_uow):
    pierre = make_account(any_uow)
    anne = make_account(any_uow, first_name="Anne", phones=[], emails=[])
    for minute in range(4):
        verification_lock.record_failed_verification(
            any_uow, account_id=pierre.id, channel="voice", now=NOW + dt.timedelta(minutes=minute)
        )
    verification_lock.record_failed_verification(
        any_uow, account_id=pierre.id, channel="voice", now=NOW - dt.timedelta(minutes=61)
    )
    verification_lock.record_failed_verification(
        any_uow, account_id=anne.id, channel="voice", now=NOW
    )

    later = NOW + dt.timedelta(minutes=5)
    assert (
        verification_lock.verification_locked_until(any_uow, account_id=pierre.id, now=later)
        is None
    )
    assert not verification_lock.verification_locked(any_uow, account_id=anne.id, now=later)
