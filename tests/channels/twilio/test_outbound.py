"""The outbound Twilio client texts only who may get them; a fake of Twilio's API records it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from channels.settings import GatewaySettings
from channels.twilio.outbound import (
    OutboundNotConfigured,
    OutboundUnavailable,
    SentSms,
    SmsRefused,
    TwilioOutbound,
)
from channels.twilio.simulator import TwilioTexter
from crm_backend.models import ConsentStatus, ContactChannel
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.channels.conftest import TranscriptRow
from tests.channels.twilio_fakes import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    RecordedRequest,
    RecordingHttpClient,
)
from tests.factories import make_account

PIERRE = "+33612345678"
COMPANY = "+33900000000"
OFFER = "Lumen: the Éclipse 3000 is 10% off this week. Reply STOP to unsubscribe."
MESSAGES_URL = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
Uows = Callable[[], SqlAlchemyUnitOfWork]


@pytest.fixture
def twilio_api() -> RecordingHttpClient:
    """Twilio's REST API, recording what it is asked."""
    return RecordingHttpClient()


@pytest.fixture
def outbound(
    twilio_settings: GatewaySettings, uow_factory: Uows, twilio_api: RecordingHttpClient
) -> TwilioOutbound:
    """The client as the settings configure it, on the fake API."""
    settings = replace(
        twilio_settings,
        twilio=replace(twilio_settings.twilio, account_sid=ACCOUNT_SID, from_number=COMPANY),
    )
    return TwilioOutbound.from_settings(settings, uow_factory, http_client=twilio_api)


def customer(uow_factory: Uows, **kwargs: object) -> None:
    with uow_factory() as uow:
        make_account(uow, **kwargs)  # type: ignore[arg-type]
        uow.commit()


def test_a_customer_who_agreed_gets_the_text(
    outbound: TwilioOutbound,
    twilio_api: RecordingHttpClient,
    uow_factory: Uows,
    transcript_rows: Callable[[], list[TranscriptRow]],
) -> None:
    customer(uow_factory, consents={ContactChannel.SMS: ConsentStatus.OPT_IN})

    sent = outbound.send_sms(to="06 12 34 56 78", body=OFFER)

    assert sent == SentSms(sid=sent.sid, to=PIERRE, status="queued")
    assert sent.sid.startswith("SM")
    assert twilio_api.requests == [
        RecordedRequest(
            method="POST",
            url=MESSAGES_URL,
            data={"To": PIERRE, "From": COMPANY, "Body": OFFER},
            auth=(ACCOUNT_SID, AUTH_TOKEN),
        )
    ]
    assert transcript_rows() == [
        (
            f"sms-{PIERRE}",
            "sms",
            "bot",
            OFFER,
            {"outbound": True, "sid": sent.sid, "marketing": True},
        )
    ]


def test_stop_then_a_new_outbound_text_is_refused_and_nothing_is_sent(
    texter: TwilioTexter,
    outbound: TwilioOutbound,
    twilio_api: RecordingHttpClient,
    uow_factory: Uows,
) -> None:
    customer(uow_factory, consents={ContactChannel.SMS: ConsentStatus.OPT_IN})
    texter.send("STOP")

    for marketing in (True, False):
        with pytest.raises(SmsRefused) as refused:
            outbound.send_sms(to=PIERRE, body=OFFER, marketing=marketing)
        assert (refused.value.number, refused.value.reason) == (PIERRE, "opted out")

    assert twilio_api.requests == []


@pytest.mark.parametrize(
    ("account", "marketing", "reason"),
    [
        ({"do_not_contact": True}, False, "do-not-contact"),
        ({"consents": {ContactChannel.SMS: ConsentStatus.OPT_OUT}}, False, "opted out"),
        ({}, True, "no consent for outbound"),
        (None, True, "no consent for outbound"),
    ],
)
def test_who_may_not_be_texted_is_refused_before_twilio_is_asked(
    outbound: TwilioOutbound,
    twilio_api: RecordingHttpClient,
    uow_factory: Uows,
    account: dict[str, object] | None,
    marketing: bool,
    reason: str,
) -> None:
    if account is not None:
        customer(uow_factory, **account)

    with pytest.raises(SmsRefused) as refused:
        outbound.send_sms(to=PIERRE, body=OFFER, marketing=marketing)

    assert refused.value.reason == reason
    assert twilio_api.requests == []


def test_a_service_message_needs_no_opt_in(
    outbound: TwilioOutbound, twilio_api: RecordingHttpClient, uow_factory: Uows
) -> None:
    customer(uow_factory)

    outbound.send_sms(to=PIERRE, body="Your order SO-000123 has shipped.", marketing=False)

    assert [r.data["Body"] for r in twilio_api.requests] == ["Your order SO-000123 has shipped."]


def test_a_number_that_is_no_number_is_refused(
    outbound: TwilioOutbound, twilio_api: RecordingHttpClient
) -> None:
    with pytest.raises(SmsRefused) as refused:
        outbound.send_sms(to="not a number", body=OFFER, marketing=False)

    assert refused.value.reason == "not a phone number"
    assert twilio_api.requests == []


def test_twilio_refusing_an_unsubscribed_number_records_the_opt_out(
    outbound: TwilioOutbound, twilio_api: RecordingHttpClient, uow_factory: Uows
) -> None:
    customer(uow_factory, consents={ContactChannel.SMS: ConsentStatus.OPT_IN})
    twilio_api.error = (400, 21610, "Attempt to send to unsubscribed recipient")

    with pytest.raises(SmsRefused):
        outbound.send_sms(to=PIERRE, body=OFFER)
    with pytest.raises(SmsRefused):
        outbound.send_sms(to=PIERRE, body=OFFER)

    assert len(twilio_api.requests) == 1  # the second was refused by the CRM
    with uow_factory() as uow:
        assert [(c.number, c.status, c.source) for c in uow.number_consents.list_by()] == [
            (PIERRE, "opt_out", "twilio")
        ]


def test_other_twilio_errors_are_named(
    outbound: TwilioOutbound, twilio_api: RecordingHttpClient, uow_factory: Uows
) -> None:
    customer(uow_factory, consents={ContactChannel.SMS: ConsentStatus.OPT_IN})
    twilio_api.error = (503, 20503, "Service unavailable")

    with pytest.raises(OutboundUnavailable) as failed:
        outbound.send_sms(to=PIERRE, body=OFFER)

    assert (failed.value.status, failed.value.code) == (503, 20503)


def test_without_twilio_credentials_outbound_is_off(
    twilio_settings: GatewaySettings, uow_factory: Uows
) -> None:
    with pytest.raises(OutboundNotConfigured):
        TwilioOutbound.from_settings(twilio_settings, uow_factory)
