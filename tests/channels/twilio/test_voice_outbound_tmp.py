"""The phone door for a call our dialer placed: a machine hangs up, a person meets the bot."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from channels.twilio.simulator import CallStep, SignedPoster, TwilioPhone
from crm_backend.models import CallList
from crm_backend.services import call_list_entries
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.channels.dialer_fakes import CALLABLE, COMPANY, eclipse_owners_in_lyon
from tests.channels.twilio_fakes import ScriptedRasa, twiml

Uows = Callable[[], SqlAlchemyUnitOfWork]
ANA = CALLABLE["Ana"]
TEN = dt.datetime(2025, 11, 3, 9, 0, tzinfo=dt.UTC)
YES_NO = [{"title": "Yes", "payload": "/affirm"}, {"title": "Not now", "payload": "/deny"}]


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
    scripted_rasa.answers["/greet"] = [{"text": "Is this a good time?", "buttons": YES_NO}]
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
            "metadata": {"channel": "voice", "caller_phone": ANA},
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
