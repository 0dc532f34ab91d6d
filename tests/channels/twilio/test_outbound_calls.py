"""The gateway's side of the dialer's calls: the status callback, machines, the bot's metadata,
and the voice door for a call our dialer placed (a machine hangs up, a person meets the bot)."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from channels.settings import GatewaySettings
from channels.twilio.outbound_calls import machine_answer, outbound_metadata, status_url, voice_url
from channels.twilio.security import SignedRequest
from channels.twilio.simulator import CallStep, SignedPoster, TwilioPhone
from crm_backend.errors import CallListEntryNotFound
from crm_backend.models import CallList
from crm_backend.services import call_list_entries, placed_calls
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.channels.dialer_fakes import CALLABLE, COMPANY, FakeClock, eclipse_owners_in_lyon
from tests.channels.twilio_fakes import (
    ACCOUNT_SID,
    PUBLIC_URL,
    ScriptedRasa,
    twiml,
)

Uows = Callable[[], SqlAlchemyUnitOfWork]
ANA = CALLABLE["Ana"]
SID = "CA" + "a" * 32
TEN = dt.datetime(2025, 11, 3, 9, 0, tzinfo=dt.UTC)  # 10:00 in Lyon
YES_NOT_NOW = [{"title": "Yes", "payload": "/affirm"}, {"title": "Not now", "payload": "/deny"}]


def calling(uow_factory: Uows, **campaign: object) -> CallList:
    """The Lyon list with Ana's entry claimed by the dialer and her call placed as ``SID``."""
    _, call_list = eclipse_owners_in_lyon(uow_factory, **campaign)  # type: ignore[arg-type]
    with uow_factory() as uow:
        entry_id = call_list.entries[0].id
        assert call_list_entries.claim(uow, entry_id=entry_id, by="dialer", now=TEN)
        placed_calls.call_placed(uow, entry_id=entry_id, call_sid=SID, now=TEN)
        uow.commit()
    return call_list


def call_form(status: str, **more: str) -> dict[str, str]:
    return {
        "AccountSid": ACCOUNT_SID,
        "CallSid": SID,
        "CallStatus": status,
        "Direction": "outbound-api",
        "From": COMPANY,
        "To": ANA,
        **more,
    }


def test_the_urls_carry_the_entry() -> None:
    assert voice_url(PUBLIC_URL, 42) == f"{PUBLIC_URL}/twilio/voice?call_list_entry=42"
    assert status_url(PUBLIC_URL, 42) == f"{PUBLIC_URL}/twilio/outbound/status?call_list_entry=42"


def test_the_final_status_frees_the_entry_and_closes_the_interaction(
    uow_factory: Uows, signed_poster: SignedPoster, twilio_gateway: TestClient
) -> None:
    call_list = calling(uow_factory)
    entry_id = call_list.entries[0].id
    twilio_gateway.app.state.clock = FakeClock(TEN + dt.timedelta(minutes=3))

    ringing = signed_poster.post(status_url(PUBLIC_URL, entry_id), call_form("ringing"))
    ended = signed_poster.post(
        status_url(PUBLIC_URL, entry_id),
        call_form("no-answer", CallDuration="0"),
    )

    assert (ringing.status_code, ended.status_code) == (200, 200)
    assert twiml(ended).tag == "Response"
    with uow_factory() as uow:
        entry = call_list_entries.get_entry(uow, entry_id=entry_id)
        assert (entry.status, entry.outcome, entry.next_attempt_at) == (
            "pending",
            "no_answer",
            TEN + dt.timedelta(minutes=33),
        )
        (interaction,) = uow.interactions.list_by(call_list_entry_id=entry_id)
        assert (interaction.outcome, interaction.duration_seconds, interaction.ended_at) == (
            "no_answer",
            0,
            TEN + dt.timedelta(minutes=3),
        )


def test_the_status_callback_must_be_signed_for_its_entry(
    uow_factory: Uows, signed_poster: SignedPoster, twilio_gateway: TestClient
) -> None:
    call_list = calling(uow_factory)
    entry_id = call_list.entries[0].id

    unsigned = twilio_gateway.post(
        f"/twilio/outbound/status?call_list_entry={entry_id}", data=call_form("completed")
    )
    signed_for_another = signed_poster.post(
        status_url(PUBLIC_URL, entry_id + 1), call_form("completed")
    )
    unknown = signed_poster.post(status_url(PUBLIC_URL, 999), call_form("completed"))

    assert (unsigned.status_code, unknown.status_code) == (403, 404)
    assert signed_for_another.status_code == 200  # another entry: not Ana's call, nothing moves
    with uow_factory() as uow:
        assert call_list_entries.get_entry(uow, entry_id=entry_id).status == "calling"


@pytest.mark.parametrize(
    ("message", "answered_by", "said"),
    [
        (
            "Hello from Lumen, we will call again.",
            "machine_end_beep",
            ["Hello from Lumen, we will call again."],
        ),
        ("", "machine_start", []),
        ("", "fax", []),
    ],
)
async def test_a_machine_gets_the_message_or_nothing_and_the_call_ends(
    uow_factory: Uows,
    twilio_settings: GatewaySettings,
    message: str,
    answered_by: str,
    said: list[str],
) -> None:
    call_list = calling(uow_factory, message=message)
    entry_id = call_list.entries[0].id
    call = SignedRequest(url="", params=call_form("in-progress", AnsweredBy=answered_by))

    answer = await machine_answer(twilio_settings, uow_factory, entry_id=entry_id, call=call)

    assert answer is not None
    assert "<Hangup />" in str(answer)
    assert [s.text for s in ET.fromstring(str(answer)).iter("Say")] == said  # noqa: S314
    with uow_factory() as uow:
        assert call_list_entries.get_entry(uow, entry_id=entry_id).answered_by == answered_by


@pytest.mark.parametrize("answered_by", ["human", "unknown", ""])
async def test_a_person_gets_the_bot(
    uow_factory: Uows, twilio_settings: GatewaySettings, answered_by: str
) -> None:
    call_list = calling(uow_factory, message="Hello.")
    call = SignedRequest(url="", params=call_form("in-progress", AnsweredBy=answered_by))

    answer = await machine_answer(
        twilio_settings, uow_factory, entry_id=call_list.entries[0].id, call=call
    )

    assert answer is None


async def test_the_bot_learns_who_it_calls_and_for_which_campaign(uow_factory: Uows) -> None:
    call_list = calling(uow_factory)
    entry = call_list.entries[0]
    call = SignedRequest(url="", params=call_form("in-progress", AnsweredBy="human"))

    metadata = await outbound_metadata(uow_factory, entry_id=entry.id, call=call)

    assert metadata == {
        "channel": "voice",
        "caller_phone": ANA,
        "direction": "outbound",
        "campaign_id": call_list.campaign_id,
        "call_list_entry_id": entry.id,
        "account_id": entry.account_id,
        "script": "laptop_offer",
    }
    with pytest.raises(CallListEntryNotFound):
        await outbound_metadata(uow_factory, entry_id=999, call=call)


@pytest.mark.parametrize("to", ["+1000000", "2", "\u00fb\x00", ""])
async def test_a_call_to_a_number_that_is_none_talks_to_the_number_on_file(
    uow_factory: Uows, to: str
) -> None:
    # Found by make fuzz: a signed call whose To is no phone number gave 500.
    call_list = calling(uow_factory)
    call = SignedRequest(url="", params=call_form("in-progress", AnsweredBy="human", To=to))

    metadata = await outbound_metadata(uow_factory, entry_id=call_list.entries[0].id, call=call)

    assert metadata["caller_phone"] == ANA


def test_a_signed_call_with_no_number_at_all_ends_politely(
    uow_factory: Uows, signed_poster: SignedPoster
) -> None:
    call_list = calling(uow_factory)
    with uow_factory() as uow:
        entry = call_list_entries.get_entry(uow, entry_id=call_list.entries[0].id)
        for phone in entry.account.phones:
            uow.session.delete(phone)
        uow.commit()

    answer = signed_poster.post(
        voice_url(PUBLIC_URL, entry.id), call_form("in-progress", AnsweredBy="human", To="2")
    )

    assert answer.status_code == 200
    assert "<Hangup />" in answer.text
    assert "made by mistake" in answer.text


@pytest.mark.parametrize("door", [voice_url, status_url])
def test_an_entry_id_past_64_bits_is_refused_not_looked_up(
    signed_poster: SignedPoster, door: Callable[[str, int], str]
) -> None:
    # Found by make fuzz: a signed request naming such an entry overflowed SQLite (500).
    answer = signed_poster.post(door(PUBLIC_URL, 2**63), call_form("in-progress"))

    assert answer.status_code == 422
    assert answer.json()["detail"][0]["type"] == "less_than_equal"


# --- the voice door for a call the dialer placed ---------------------------------------


class AnsweredCall(TwilioPhone):
    """The dialer's call to a customer, as Twilio reports it once answered."""

    def __init__(self, poster: SignedPoster, *, entry_id: int, answered_by: str) -> None:
        super().__init__(poster, caller=COMPANY, to=ANA)
        self.entry_id, self.answered_by = entry_id, answered_by

    def _fields(self, status: str) -> dict[str, str]:
        return {
            **super()._fields(status),
            "Direction": "outbound-api",
            "AnsweredBy": self.answered_by,
        }

    def dial(self) -> CallStep:
        return self._post(
            f"/twilio/voice?call_list_entry={self.entry_id}", self._fields("in-progress")
        )


def anas_entry(uow_factory: Uows, **campaign: object) -> tuple[CallList, int]:
    _, call_list = eclipse_owners_in_lyon(uow_factory, **campaign)  # type: ignore[arg-type]
    entry = call_list.entries[0]
    with uow_factory() as uow:
        assert call_list_entries.claim(uow, entry_id=entry.id, by="dialer", now=TEN)
        uow.commit()
    return call_list, entry.id


def test_a_person_who_answers_meets_the_bot_with_the_calls_metadata(
    signed_poster: SignedPoster, scripted_rasa: ScriptedRasa, uow_factory: Uows
) -> None:
    call_list, entry_id = anas_entry(uow_factory)
    scripted_rasa.answers["/greet"] = [{"text": "Is this a good time?", "buttons": YES_NOT_NOW}]
    scripted_rasa.default = [{"text": "Thank you. Goodbye!"}]
    call = AnsweredCall(signed_poster, entry_id=entry_id, answered_by="human")

    call.dial()
    call.press("2")

    with uow_factory() as uow:
        account_id = uow.call_list_entries.get(entry_id).account_id
    assert scripted_rasa.received == [
        {
            "sender": f"voice-{call.call_sid}",
            "message": "/greet",
            "metadata": {
                "language": "en",
                "channel": "voice",
                "caller_phone": ANA,
                "direction": "outbound",
                "campaign_id": call_list.campaign_id,
                "call_list_entry_id": entry_id,
                "account_id": account_id,
                "script": "laptop_offer",
            },
        },
        {
            # Later turns name the customer (To), not our number (From).
            "sender": f"voice-{call.call_sid}",
            "message": "/deny",
            "metadata": {"language": "en", "channel": "voice", "caller_phone": ANA},
        },
    ]


def test_a_machine_never_meets_the_bot(
    signed_poster: SignedPoster, scripted_rasa: ScriptedRasa, uow_factory: Uows
) -> None:
    _, entry_id = anas_entry(uow_factory, message="Hello from Lumen, we'll call again.")
    call = AnsweredCall(signed_poster, entry_id=entry_id, answered_by="machine_end_beep")

    call.dial()

    root = twiml(call.responses[-1])
    assert [(child.tag, child.text) for child in root] == [
        ("Say", "Hello from Lumen, we'll call again."),
        ("Hangup", None),
    ]
    assert scripted_rasa.received == []


def test_a_call_for_an_entry_that_is_gone_ends_politely(
    signed_poster: SignedPoster, scripted_rasa: ScriptedRasa
) -> None:
    call = AnsweredCall(signed_poster, entry_id=999, answered_by="human")

    call.dial()

    root = twiml(call.responses[-1])
    assert [(child.tag, child.text) for child in root] == [
        ("Say", "Sorry, this call was made by mistake. Goodbye."),
        ("Hangup", None),
    ]
    assert scripted_rasa.received == []
