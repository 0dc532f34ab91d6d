"""action_session_start: channel, interaction record, a trusted caller's candidate account."""

from __future__ import annotations

from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet

from actions.session import ActionSessionStart
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.actions.trackers import CALL_START, SENDER, tracker
from tests.factories import columns


def start_tracker(metadata):
    return tracker(slots={"session_started_metadata": metadata}, events=[])


def interactions_of(crm):
    with SqlAlchemyUnitOfWork(crm) as uow:
        return [
            columns(i, without=("id",)) for i in uow.interactions.list_by(conversation_id=SENDER)
        ]


def new_interaction(channel):
    return {
        "conversation_id": SENDER,
        "channel": channel,
        "direction": "inbound",
        "account_id": None,
        "identity_confirmed": False,
        "started_at": CALL_START,
        "ended_at": None,
        "outcome": None,
        "summary": None,
        "quote_id": None,
        "order_id": None,
        "lead_id": None,
        "campaign_id": None,
    }


async def test_a_web_chat_starts_with_its_channel_and_an_interaction(crm, dispatcher):
    events = await ActionSessionStart().run(dispatcher, start_tracker({"channel": "web"}), {})
    assert events == [SessionStarted(), SlotSet("channel", "web"), ActionExecuted("action_listen")]
    assert dispatcher.messages == []
    assert interactions_of(crm) == [new_interaction("web")]


async def test_a_trusted_caller_number_makes_the_account_the_candidate(crm, pierre, dispatcher):
    metadata = {"channel": "voice", "caller_phone": "+33612345678"}
    events = await ActionSessionStart().run(dispatcher, start_tracker(metadata), {})
    assert events == [
        SessionStarted(),
        SlotSet("channel", "voice"),
        SlotSet("caller_known", True),
        SlotSet("account_candidate_id", str(pierre.id)),
        SlotSet("candidate_name", "Pierre Moreau"),
        SlotSet("identified_by", "caller_phone"),
        ActionExecuted("action_listen"),
    ]
    # Known, not confirmed: the interaction learns the account only on confirmation.
    assert interactions_of(crm) == [new_interaction("voice")]


async def test_an_unknown_caller_number_identifies_nobody(crm, dispatcher):
    metadata = {"channel": "sms", "caller_phone": "+33699999999"}
    events = await ActionSessionStart().run(dispatcher, start_tracker(metadata), {})
    assert events == [SessionStarted(), SlotSet("channel", "sms"), ActionExecuted("action_listen")]


async def test_a_phone_in_untrusted_metadata_is_not_a_caller_number(crm, dispatcher):
    # The gateway passes a number only as caller_phone, and only when it trusts it.
    metadata = {"channel": "web", "phone": "+33612345678"}
    events = await ActionSessionStart().run(dispatcher, start_tracker(metadata), {})
    assert events == [SessionStarted(), SlotSet("channel", "web"), ActionExecuted("action_listen")]


async def test_the_latest_message_metadata_is_used_when_the_session_has_none(crm, dispatcher):
    start = tracker(metadata={"channel": "sms"}, events=[])
    events = await ActionSessionStart().run(dispatcher, start, {})
    assert events == [SessionStarted(), SlotSet("channel", "sms"), ActionExecuted("action_listen")]


async def test_an_unknown_channel_reads_as_web(crm, dispatcher):
    events = await ActionSessionStart().run(dispatcher, start_tracker({"channel": "fax"}), {})
    assert events == [SessionStarted(), SlotSet("channel", "web"), ActionExecuted("action_listen")]


async def test_a_retried_session_start_keeps_one_interaction(crm, dispatcher):
    for _ in range(2):
        await ActionSessionStart().run(dispatcher, start_tracker({"channel": "web"}), {})
    assert interactions_of(crm) == [new_interaction("web")]


async def test_the_session_starts_even_when_the_crm_is_down(down, dispatcher):
    metadata = {"channel": "voice", "caller_phone": "+33612345678"}
    events = await ActionSessionStart().run(dispatcher, start_tracker(metadata), {})
    assert events == [
        SessionStarted(),
        SlotSet("channel", "voice"),
        ActionExecuted("action_listen"),
    ]
    assert dispatcher.messages == []
