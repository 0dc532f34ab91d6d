"""The outbound Twilio client texts and calls only who may get them, and reads back what it
placed; a fake of Twilio's API records it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

import pytest

from channels.settings import GatewaySettings
from channels.twilio.outbound import (
    CallRefused,
    OutboundNotConfigured,
    OutboundUnavailable,
    PlacedCall,
    SentSms,
    SmsRefused,
    TwilioOutbound,
)
from channels.twilio.simulator import TwilioTexter
from crm_backend.models import ConsentStatus, ContactChannel
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.channels.conftest import TranscriptRow
from tests.channels.dialer_fakes import CALLABLE, FakeClock, eclipse_owners_in_lyon
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
ANA = CALLABLE["Ana"]
TEN = dt.datetime(2025, 11, 3, 9, 0, tzinfo=dt.UTC)  # 10:00 in Lyon
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


# --- what the dialer asks of it -------------------------------------------------------------


def dialer_client(uow_factory: Uows, twilio_api: RecordingHttpClient) -> TwilioOutbound:
    """The client as the dialer makes it, on ``twilio_api``."""
    return TwilioOutbound(
        account_sid=ACCOUNT_SID,
        auth_token=AUTH_TOKEN,
        from_number=COMPANY,
        uow_factory=uow_factory,
        http_client=twilio_api,
    )


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        (CALLABLE["Ana"], "no consent for outbound"),  # nobody on record: no opt-in
        ("not a number", "not a phone number"),
    ],
)
def test_the_outbound_client_calls_no_number_without_consent(
    uow_factory: Uows, number: str, reason: str
) -> None:
    twilio_api = RecordingHttpClient()

    with pytest.raises(CallRefused) as refused:
        dialer_client(uow_factory, twilio_api).place_call(
            to=number, url="https://x.test/v", status_callback="https://x.test/s"
        )

    assert refused.value.reason == reason
    assert twilio_api.requests == []


def test_the_outbound_client_reads_its_calls_back_from_twilio(uow_factory: Uows) -> None:
    eclipse_owners_in_lyon(uow_factory)
    clock = FakeClock(TEN)
    twilio_api = RecordingHttpClient(clock=clock)
    client = dialer_client(uow_factory, twilio_api)

    placed = client.place_call(
        to="06 10 00 00 01", url="https://x.test/v", status_callback="https://x.test/s"
    )
    twilio_api.calls[placed.sid].update(status="completed", duration="42", answered_by="human")

    assert placed == PlacedCall(sid=placed.sid, to=ANA, status="queued", created_at=TEN)
    assert client.fetch_call(placed.sid) == PlacedCall(
        sid=placed.sid,
        to=ANA,
        status="completed",
        created_at=TEN,
        answered_by="human",
        duration_seconds=42,
    )
    assert [c.sid for c in client.calls_since(to=ANA, since=TEN)] == [placed.sid]
    assert client.calls_since(to=ANA, since=TEN + dt.timedelta(seconds=1)) == []


def test_the_outbound_client_reads_its_texts_back_from_twilio(uow_factory: Uows) -> None:
    eclipse_owners_in_lyon(uow_factory, channel="sms", message="Lumen: -10%.")
    twilio_api = RecordingHttpClient(clock=FakeClock(TEN))
    client = dialer_client(uow_factory, twilio_api)

    sent = client.send_sms(to=ANA, body="Lumen: -10%.")

    assert client.texts_since(to=ANA, since=TEN) == [sent]
    assert client.texts_since(to=ANA, since=TEN + dt.timedelta(seconds=1)) == []
