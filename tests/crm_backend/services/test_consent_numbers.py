"""Consent of a phone number: an SMS STOP silences the number and every account that holds it."""

from __future__ import annotations

import datetime as dt

import pytest

from crm_backend.errors import InvalidContactData
from crm_backend.models import ConsentStatus, ContactChannel, NumberConsent
from crm_backend.services import consent
from tests.factories import columns, make_account

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 3, 3, 18, 0, tzinfo=dt.UTC)
IN, OUT = ConsentStatus.OPT_IN, ConsentStatus.OPT_OUT


def number_rows(uow):
    return [columns(c, without=("id",)) for c in uow.number_consents.list_by()]


def sms_consent(account):
    return [(c.channel, c.status, c.source) for c in account.consents]


def test_stop_is_kept_on_the_number_and_on_every_account_holding_it(any_uow):
    pierre = make_account(any_uow, consents={ContactChannel.SMS: IN})
    partner = make_account(any_uow, first_name="Claire", emails=())
    stranger = make_account(any_uow, first_name="Luc", phones=("+33611111111",), emails=())

    holders = consent.opt_out_number(
        any_uow, phone="06 12 34 56 78", channel="sms", source="sms", now=NOW
    )

    assert [a.id for a in holders] == [pierre.id, partner.id]
    assert number_rows(any_uow) == [
        {
            "number": "+33612345678",
            "channel": "sms",
            "status": OUT,
            "source": "sms",
            "updated_at": NOW,
        }
    ]
    assert sms_consent(pierre) == [("sms", OUT, "sms")]
    assert sms_consent(partner) == [("sms", OUT, "sms")]
    assert sms_consent(stranger) == []


def test_start_undoes_stop_and_counts_as_an_opt_in(any_uow):
    pierre = make_account(any_uow)
    consent.opt_out_number(any_uow, phone="+33612345678", channel="sms", source="sms", now=NOW)

    consent.opt_in_number(any_uow, phone="+33612345678", channel="sms", source="sms", now=LATER)

    assert [(r["status"], r["updated_at"]) for r in number_rows(any_uow)] == [(IN, LATER)]
    assert sms_consent(pierre) == [("sms", IN, "sms")]
    assert consent.number_refusal(any_uow, phone="+33612345678", channel="sms") is None


def test_a_stop_from_a_number_no_account_holds_is_kept_for_later(any_uow):
    consent.opt_out_number(any_uow, phone="+33699999999", channel="sms", source="sms", now=NOW)
    make_account(any_uow, phones=("+33699999999",), consents={ContactChannel.SMS: IN})

    assert consent.number_opted_out(any_uow, phone="06 99 99 99 99", channel="sms") is True
    assert consent.number_refusal(any_uow, phone="+33699999999", channel="sms") == "opted out"


@pytest.mark.parametrize(
    ("account", "number", "marketing", "reason"),
    [
        ({"consents": {ContactChannel.SMS: IN}}, None, True, None),
        ({"consents": {ContactChannel.SMS: OUT}}, None, False, "opted out"),
        (
            {"consents": {ContactChannel.SMS: IN}, "do_not_contact": True},
            None,
            True,
            "do-not-contact",
        ),
        ({}, None, True, "no consent for outbound"),
        ({}, None, False, None),
        (None, None, True, "no consent for outbound"),
        (None, None, False, None),
        (None, IN, True, None),
        ({"consents": {ContactChannel.SMS: IN}}, OUT, False, "opted out"),
    ],
)
def test_who_may_get_a_text(any_uow, account, number, marketing, reason):
    if account is not None:
        make_account(any_uow, **account)
    if number is not None:
        any_uow.number_consents.add(
            NumberConsent(
                number="+33612345678", channel="sms", status=number, source="t", updated_at=NOW
            )
        )
        any_uow.flush()

    refusal = consent.number_refusal(
        any_uow, phone="+33612345678", channel="sms", marketing=marketing
    )

    assert refusal == reason


def test_an_opt_out_on_another_channel_does_not_close_sms(any_uow):
    make_account(any_uow, consents={ContactChannel.SMS: IN, ContactChannel.PHONE: OUT})

    assert consent.number_refusal(any_uow, phone="+33612345678", channel="sms") is None
    assert consent.number_refusal(any_uow, phone="+33612345678", channel="phone") == "opted out"


def test_a_number_that_is_no_number_is_refused_by_name(any_uow):
    with pytest.raises(InvalidContactData):
        consent.opt_out_number(any_uow, phone="anonymous", channel="sms", source="sms")
    assert number_rows(any_uow) == []
