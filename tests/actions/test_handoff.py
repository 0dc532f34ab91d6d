"""action_handoff: the reason, the queue's answer as slots, the desk closed, a topic not taken;
and action_place_order leaving an order above the bot's limit to a person."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from rasa_sdk.events import SlotSet

from actions import runtime
from actions.conversation_clarify import ActionClarify
from actions.handoff import ActionHandoff, wait_in_words
from actions.orders import ActionPlaceOrder
from crm_backend.models import HandoffStatus
from crm_backend.opening_hours import OpeningHours
from crm_backend.services import handoff
from crm_backend.settings import CrmSettings
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.actions.trackers import CALL_START, SENDER, tracker, user_event
from tests.factories import columns

RESET = [SlotSet("order_needs_adviser", None), SlotSet("misunderstood_twice", None)]


@pytest.fixture
def settings(monkeypatch: pytest.MonkeyPatch) -> dict[str, CrmSettings]:
    """The actions' CRM settings, replaceable by a test (``settings["now"] = ...``)."""
    current = {"now": CrmSettings.from_env({})}
    monkeypatch.setattr(runtime, "settings", lambda: current["now"])
    return current


def queued(crm):
    with SqlAlchemyUnitOfWork(crm) as uow:
        return [
            columns(h, without=("id", "requested_at", "updated_at", "interaction_id"))
            for h in uow.handoffs.list_by(conversation_id=SENDER)
        ]


async def test_a_verified_customer_asking_for_a_person_is_queued(
    crm, dispatcher, pierre, settings
) -> None:
    asked = tracker(
        intent="request_human",
        text="I want to talk to a person",
        slots={"account_id": str(pierre.id), "channel": "web", "customer_name": pierre.name},
    )

    events = await ActionHandoff().run(dispatcher, asked, {})

    [row] = queued(crm)
    with SqlAlchemyUnitOfWork(crm) as uow:
        handoff_id = uow.handoffs.list_by(conversation_id=SENDER)[0].id
    assert events == [
        *RESET,
        SlotSet("handoff_id", str(handoff_id)),
        SlotSet("handoff_position", "1"),
        SlotSet("handoff_wait", "about 1 minute"),
        SlotSet("result", "handoff_queued"),
    ]
    assert row == {
        "conversation_id": SENDER,
        "channel": "web",
        "reply_to": None,
        "account_id": pierre.id,
        "reason": "requested",
        "detail": "I want to talk to a person",
        "slots": {"account_id": str(pierre.id), "channel": "web", "customer_name": pierre.name},
        "priority": 1,
        "status": HandoffStatus.WAITING,
        "assigned_agent_id": None,
        "assigned_at": None,
        "ended_at": None,
        "wrap_up_code": None,
        "summary": None,
    }
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    ("intent", "slots", "reason"),
    [
        ("complain", {}, "complaint"),
        ("cancel_order", {}, "cancellation"),
        ("nlu_fallback", {"misunderstood_twice": True}, "misunderstood"),
        ("affirm", {"order_needs_adviser": True}, "large_order"),
        ("request_human", {"misunderstood_twice": True}, "requested"),
    ],
)
async def test_the_reason_is_what_just_happened(crm, dispatcher, settings, intent, slots, reason):
    await ActionHandoff().run(dispatcher, tracker(intent=intent, slots=slots), {})

    assert [row["reason"] for row in queued(crm)] == [reason]


async def test_an_sms_customer_is_answered_at_the_trusted_number(crm, dispatcher, settings):
    asked = tracker(
        intent="request_human",
        slots={
            "channel": "sms",
            "session_started_metadata": {"channel": "sms", "caller_phone": "+33612345678"},
        },
    )

    await ActionHandoff().run(dispatcher, asked, {})

    assert [(row["channel"], row["reply_to"]) for row in queued(crm)] == [("sms", "+33612345678")]


async def test_the_wait_comes_from_the_queue(crm, dispatcher, settings):
    with SqlAlchemyUnitOfWork(crm) as uow:
        for n in range(2):  # two ahead, nobody on duty: one agent counted, six minutes each
            handoff.request_handoff(
                uow,
                conversation_id=f"web-ahead-{n}",
                channel="web",
                reason="requested",
                settings=settings["now"].handoff,
                now=CALL_START,
            )
        uow.commit()

    events = await ActionHandoff().run(dispatcher, tracker(intent="request_human"), {})

    assert SlotSet("handoff_position", "3") in events
    assert SlotSet("handoff_wait", "about 12 minutes") in events


async def test_outside_opening_hours_the_hours_are_said_and_nobody_queued(
    crm, dispatcher, settings
):
    closed = OpeningHours.parse("sat-sun 10:00-12:00")
    settings["now"] = dataclasses.replace(
        settings["now"], handoff=dataclasses.replace(settings["now"].handoff, hours=closed)
    )

    events = await ActionHandoff().run(dispatcher, tracker(intent="request_human"), {})

    assert events == [
        *RESET,
        SlotSet("desk_hours", "Saturday to Sunday, 10:00 to 12:00"),
        SlotSet("result", "desk_closed"),
    ]
    assert queued(crm) == []


async def test_a_topic_the_desk_does_not_take_gets_the_offer_of_a_call_back(
    crm, dispatcher, settings
):
    no_topics = dataclasses.replace(settings["now"].handoff, topics=frozenset())
    settings["now"] = dataclasses.replace(settings["now"], handoff=no_topics)

    events = await ActionHandoff().run(dispatcher, tracker(intent="complain"), {})

    assert events[-1] == SlotSet("result", "callback_offered")
    assert queued(crm) == []


async def test_past_its_handoffs_a_client_is_offered_a_call_back_not_queued(
    crm, dispatcher, settings
):
    spent = tracker(
        intent="request_human",
        text="I want a person",
        slots={"channel": "web"},
        metadata={"channel": "web", "handoff_allowed": False},
    )

    events = await ActionHandoff().run(dispatcher, spent, {})

    assert events == [*RESET, SlotSet("result", "callback_offered")]
    assert queued(crm) == []


async def test_only_the_flag_of_the_latest_message_counts(crm, dispatcher, settings):
    # The session began when the budget was spent; this message comes with budget again.
    asked = tracker(
        intent="request_human",
        slots={
            "channel": "web",
            "session_started_metadata": {"channel": "web", "handoff_allowed": False},
        },
        metadata={"channel": "web"},
    )

    events = await ActionHandoff().run(dispatcher, asked, {})

    assert events[-1] == SlotSet("result", "handoff_queued")
    assert len(queued(crm)) == 1


async def test_the_crm_down_is_a_technical_problem(down, dispatcher, settings):
    events = await ActionHandoff().run(dispatcher, tracker(intent="request_human"), {})

    assert events == [*RESET, SlotSet("result", "technical_problem")]


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0, "under a minute"),
        (30, "about 1 minute"),
        (60, "about 1 minute"),
        (361, "about 7 minutes"),
        (59 * 60 + 1, "about 60 minutes"),
        (3600, "an hour or more"),
    ],
)
def test_the_wait_in_words(seconds, words):
    assert wait_in_words(dt.timedelta(seconds=seconds)) == words


async def test_an_order_above_the_limit_is_not_placed_but_handed_to_a_person(
    crm, dispatcher, pierre, settings
):
    limited = dataclasses.replace(settings["now"].handoff, order_limit=Decimal("1000"))
    settings["now"] = dataclasses.replace(settings["now"], handoff=limited)
    confirmed = tracker(
        intent="affirm",
        slots={
            "account_id": str(pierre.id),
            "identity_status": "verified",
            "channel": "web",
            "order_lines": [{"sku": "ECL-3000", "quantity": 1}],
            "order_confirmed": True,
        },
    )

    before = orders_of(crm, pierre.id)

    events = await ActionPlaceOrder().run(dispatcher, confirmed, {})

    assert events == [
        SlotSet("order_lines", None),
        SlotSet("order_confirmed", None),
        SlotSet("order_quote_number", None),
        SlotSet("order_total", "1 299,00 €"),
        SlotSet("order_limit", "1 000,00 €"),
        SlotSet("order_needs_adviser", True),
        SlotSet("result", "order_needs_adviser"),
    ]
    assert orders_of(crm, pierre.id) == before


def orders_of(crm, account_id):
    with SqlAlchemyUnitOfWork(crm) as uow:
        return [o.number for o in uow.orders.list_by(account_id=account_id)]


async def test_after_a_person_the_misunderstandings_are_counted_afresh(dispatcher):
    events = [
        user_event("blah", intent="nlu_fallback"),
        {"event": "action", "name": "action_clarify"},
        {"event": "action", "name": "action_handoff"},
        {"event": "action", "name": "utter_handoff_result"},
        {"event": "pause"},
        {"event": "resume"},
        {"event": "action", "name": "utter_anything_else"},
        {"event": "action", "name": "action_listen"},
        user_event("blah again", intent="nlu_fallback"),
    ]
    confused = tracker(intent="nlu_fallback", text="blah again", events=events)

    clarified = await ActionClarify().run(dispatcher, confused, {})

    assert clarified[-1] == SlotSet("misunderstood_twice", False)
