"""Consent: opt-ins, opt-outs and do-not-contact decide who may be reached."""

from __future__ import annotations

import datetime as dt

import pytest

from crm_backend.errors import ContactNotAllowed, InvalidRequest
from crm_backend.models import ConsentStatus, ContactChannel
from crm_backend.services import consent
from tests.factories import columns, make_account

NOW = dt.datetime(2025, 11, 3, 10, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2025, 11, 4, 15, 0, tzinfo=dt.UTC)
IN, OUT = ConsentStatus.OPT_IN, ConsentStatus.OPT_OUT


def consents_of(account):
    return sorted(
        (columns(c, without=("id", "account_id")) for c in account.consents),
        key=lambda c: c["channel"],
    )


def test_consent_is_one_row_per_channel_the_latest_wins(any_uow):
    pierre = make_account(any_uow)

    consent.set_consent(
        any_uow, account_id=pierre.id, channel="sms", status="opt_in", source="web", now=NOW
    )
    consent.set_consent(
        any_uow, account_id=pierre.id, channel="sms", status=OUT, source="sms", now=LATER
    )

    assert consents_of(pierre) == [
        {"channel": "sms", "status": OUT, "source": "sms", "updated_at": LATER}
    ]


def test_do_not_contact_opts_out_everywhere(any_uow):
    pierre = make_account(any_uow, consents={ContactChannel.PHONE: IN})

    consent.set_do_not_contact(any_uow, account_id=pierre.id, source="agent", now=NOW)

    assert pierre.do_not_contact is True
    assert consents_of(pierre) == [
        {"channel": "email", "status": OUT, "source": "agent", "updated_at": NOW},
        {"channel": "phone", "status": OUT, "source": "agent", "updated_at": NOW},
        {"channel": "sms", "status": OUT, "source": "agent", "updated_at": NOW},
    ]


@pytest.mark.parametrize(("channel", "status"), [("fax", "opt_in"), ("sms", "maybe")])
def test_unknown_channel_or_status_is_refused(any_uow, channel, status):
    pierre = make_account(any_uow)

    with pytest.raises(InvalidRequest):
        consent.set_consent(
            any_uow, account_id=pierre.id, channel=channel, status=status, source="x"
        )
    assert pierre.consents == []


@pytest.mark.parametrize(
    ("consents", "do_not_contact", "channel", "reason"),
    [
        ({ContactChannel.PHONE: IN}, False, "phone", None),
        ({ContactChannel.PHONE: IN}, False, "sms", "no consent for outbound"),
        ({ContactChannel.PHONE: OUT}, False, "phone", "opted out"),
        ({ContactChannel.PHONE: IN}, True, "phone", "do-not-contact"),
        ({}, False, ContactChannel.EMAIL, "no consent for outbound"),
    ],
)
def test_who_may_be_contacted(any_uow, consents, do_not_contact, channel, reason):
    account = make_account(any_uow, consents=consents, do_not_contact=do_not_contact)

    assert consent.may_contact(account, channel=channel) is (reason is None)
    if reason is None:
        consent.ensure_may_contact(account, channel=channel)
    else:
        with pytest.raises(ContactNotAllowed) as raised:
            consent.ensure_may_contact(account, channel=channel)
        assert (raised.value.account_id, raised.value.channel, raised.value.reason) == (
            account.id,
            str(channel),
            reason,
        )
