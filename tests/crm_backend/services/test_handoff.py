"""Handoffs: asking, taking a conversation (once), leaving the queue, notes, wrap-up."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from crm_backend.errors import (
    HandoffNotFound,
    HandoffNotWaiting,
    InvalidRequest,
    NotYourHandoff,
)
from crm_backend.models import HandoffNote, HandoffStatus, TranscriptEntry
from crm_backend.opening_hours import OpeningHours
from crm_backend.services import agents, conversation, handoff, handoff_queue
from crm_backend.services.handoff import Outcome
from crm_backend.settings import HandoffSettings
from tests.factories import columns, make_account

# Monday 3 November 2025, 10:00 in Paris.
NOW = dt.datetime(2025, 11, 3, 9, 0, tzinfo=dt.UTC)
SETTINGS = HandoffSettings(
    hours=OpeningHours.parse("mon-fri 09:00-18:00", timezone="Europe/Paris"),
    topics=frozenset({"complaint", "cancellation"}),
    wrap_up_codes=("resolved", "no_action"),
    handle_minutes=6,
)


def ask(uow, conversation_id="web-1", *, reason="requested", now=NOW, **changes):
    return handoff.request_handoff(
        uow,
        conversation_id=conversation_id,
        channel=changes.pop("channel", "web"),
        reason=reason,
        settings=changes.pop("settings", SETTINGS),
        now=now,
        **changes,
    )


def agent(uow, username="anna", role="agent"):
    return agents.create_agent(
        uow,
        username=username,
        password="a long password",
        display_name=username.title(),
        role=role,
    )


def test_a_request_queues_the_conversation_with_what_the_bot_knew(uow):
    account = make_account(uow)

    decision = ask(
        uow,
        account_id=account.id,
        detail="I want to talk to a person",
        slots={"customer_name": "Pierre Moreau"},
        reply_to="+33612345678",
    )

    requested = decision.handoff
    interaction = conversation.open_interaction_for(uow, conversation_id="web-1")
    assert decision == handoff.HandoffDecision(
        outcome=Outcome.QUEUED,
        handoff=requested,
        position=1,
        wait=dt.timedelta(minutes=1),
        hours="Monday to Friday, 9:00 to 18:00",
    )
    assert columns(requested, without=["id"]) == {
        "conversation_id": "web-1",
        "channel": "web",
        "reply_to": "+33612345678",
        "account_id": account.id,
        "interaction_id": interaction.id,
        "reason": "requested",
        "detail": "I want to talk to a person",
        "slots": {"customer_name": "Pierre Moreau"},
        "priority": 1,
        "status": HandoffStatus.WAITING,
        "requested_at": NOW,
        "assigned_agent_id": None,
        "assigned_at": None,
        "ended_at": None,
        "wrap_up_code": None,
        "summary": None,
        "updated_at": NOW,
    }


def test_asking_twice_keeps_one_place_in_the_queue(uow):
    first = ask(uow).handoff

    again = ask(uow, now=NOW + dt.timedelta(minutes=2))

    assert again.handoff is first
    assert [h.id for h in handoff_queue.waiting(uow)] == [first.id]


def test_outside_opening_hours_nobody_is_queued(uow):
    saturday = dt.datetime(2025, 11, 8, 11, 0, tzinfo=dt.UTC)
    evening = dt.datetime(2025, 11, 3, 17, 30, tzinfo=dt.UTC)  # 18:30 in Paris

    decisions = [ask(uow, now=saturday), ask(uow, now=evening)]

    assert [d.outcome for d in decisions] == [Outcome.DESK_CLOSED] * 2
    assert decisions[0].hours == "Monday to Friday, 9:00 to 18:00"
    assert handoff_queue.waiting(uow) == []


def test_a_topic_is_handed_off_only_when_configured(uow):
    only_complaints = dataclasses.replace(SETTINGS, topics=frozenset({"complaint"}))

    complaint = ask(uow, "web-1", reason="complaint", settings=only_complaints)
    cancellation = ask(uow, "web-2", reason="cancellation", settings=only_complaints)

    assert (complaint.outcome, cancellation.outcome) == (Outcome.QUEUED, Outcome.NOT_FOR_TOPIC)
    assert [h.conversation_id for h in handoff_queue.waiting(uow)] == ["web-1"]


def test_an_unknown_reason_is_refused(uow):
    with pytest.raises(InvalidRequest):
        ask(uow, reason="boredom")


def test_taking_a_conversation_assigns_it(uow):
    anna = agent(uow)
    requested = ask(uow).handoff
    later = NOW + dt.timedelta(minutes=3)

    taken = handoff.take_handoff(uow, handoff_id=requested.id, agent_id=anna.id, now=later)

    assert (taken.status, taken.assigned_agent_id, taken.assigned_at) == (
        HandoffStatus.ASSIGNED,
        anna.id,
        later,
    )
    assert handoff_queue.waiting(uow) == []
    assert handoff.active_handoff_for(uow, conversation_id="web-1") is taken


def test_a_taken_conversation_cannot_be_taken_again(uow):
    anna, ben = agent(uow, "anna"), agent(uow, "ben")
    requested = ask(uow).handoff
    handoff.take_handoff(uow, handoff_id=requested.id, agent_id=anna.id, now=NOW)

    with pytest.raises(HandoffNotWaiting) as refused:
        handoff.take_handoff(uow, handoff_id=requested.id, agent_id=ben.id, now=NOW)

    assert (refused.value.handoff_id, refused.value.status) == (requested.id, "assigned")
    assert handoff.get_handoff(uow, handoff_id=requested.id).assigned_agent_id == anna.id


def test_an_unknown_handoff_is_not_found(uow):
    anna = agent(uow)

    with pytest.raises(HandoffNotFound):
        handoff.take_handoff(uow, handoff_id=999, agent_id=anna.id)


@pytest.mark.parametrize("agents_at_once", [2, 5])
def test_agents_taking_the_same_conversation_at_once_exactly_one_gets_it(
    uow_factory, agents_at_once
):
    with uow_factory() as uow:
        ids = [agent(uow, f"agent{n}").id for n in range(agents_at_once)]
        handoff_id = ask(uow).handoff.id
        uow.commit()
    everybody_looked = threading.Barrier(agents_at_once)

    def take(agent_id):
        with uow_factory() as uow:
            real_get = uow.agents.get

            def get_then_wait(id_):
                found = real_get(id_)
                # Every agent has read the handoff's state before anybody writes.
                everybody_looked.wait(timeout=30)
                return found

            uow.agents.get = get_then_wait
            try:
                handoff.take_handoff(uow, handoff_id=handoff_id, agent_id=agent_id, now=NOW)
                uow.commit()
            except HandoffNotWaiting:
                return None
            return agent_id

    with ThreadPoolExecutor(max_workers=agents_at_once) as pool:
        winners = [w for w in pool.map(take, ids, timeout=60) if w is not None]

    assert len(winners) == 1
    with uow_factory() as uow:
        final = handoff.get_handoff(uow, handoff_id=handoff_id)
        assert (final.status, final.assigned_agent_id) == (HandoffStatus.ASSIGNED, winners[0])


def test_the_customer_leaves_the_queue_unless_an_agent_was_faster(uow):
    anna = agent(uow)
    left = ask(uow, "web-1").handoff
    taken = ask(uow, "web-2").handoff
    handoff.take_handoff(uow, handoff_id=taken.id, agent_id=anna.id, now=NOW)

    cancelled = handoff.leave_queue(uow, handoff_id=left.id, now=NOW)
    with pytest.raises(HandoffNotWaiting):
        handoff.leave_queue(uow, handoff_id=taken.id, now=NOW)

    assert (cancelled.status, cancelled.ended_at) == (HandoffStatus.CANCELLED, NOW)
    assert handoff.active_handoff_for(uow, conversation_id="web-1") is None
    assert handoff.get_handoff(uow, handoff_id=taken.id).status == HandoffStatus.ASSIGNED


def test_an_agent_answers_in_the_transcript_and_notes_privately(uow):
    anna = agent(uow)
    requested = ask(uow).handoff
    handoff.take_handoff(uow, handoff_id=requested.id, agent_id=anna.id, now=NOW)

    entry = handoff.add_agent_message(
        uow, handoff_id=requested.id, agent_id=anna.id, text=" Hello, I'm Anna. ", now=NOW
    )
    note = handoff.add_note(
        uow, handoff_id=requested.id, agent_id=anna.id, text="Wants a discount", now=NOW
    )

    assert columns(entry, without=["id"]) == {
        "conversation_id": "web-1",
        "channel": "web",
        "role": "agent",
        "text": "Hello, I'm Anna.",
        "payload": {"pushed": True, "agent": "Anna", "handoff_id": requested.id},
        "at": NOW,
    }
    assert columns(note, without=["id"]) == {
        "handoff_id": requested.id,
        "interaction_id": requested.interaction_id,
        "agent_id": anna.id,
        "text": "Wants a discount",
        "created_at": NOW,
    }
    assert [n.text for n in handoff.get_handoff(uow, handoff_id=requested.id).notes] == [
        "Wants a discount"
    ]


def test_only_the_assigned_agent_or_a_manager_works_on_a_conversation(uow):
    anna, ben, boss = agent(uow, "anna"), agent(uow, "ben"), agent(uow, "boss", role="manager")
    requested = ask(uow).handoff

    with pytest.raises(NotYourHandoff):  # nobody took it yet
        handoff.add_agent_message(uow, handoff_id=requested.id, agent_id=anna.id, text="Hi")
    handoff.take_handoff(uow, handoff_id=requested.id, agent_id=anna.id, now=NOW)
    with pytest.raises(NotYourHandoff):
        handoff.add_note(uow, handoff_id=requested.id, agent_id=ben.id, text="mine now")
    handoff.add_note(uow, handoff_id=requested.id, agent_id=boss.id, text="checked", now=NOW)

    assert uow.transcripts.list_by() == []
    assert [n.text for n in uow.handoff_notes.list_by()] == ["checked"]


@pytest.mark.parametrize("text", ["", "   ", "x" * 2001])
def test_an_empty_or_overlong_message_is_refused(uow, text):
    anna = agent(uow)
    requested = ask(uow).handoff
    handoff.take_handoff(uow, handoff_id=requested.id, agent_id=anna.id, now=NOW)

    with pytest.raises(InvalidRequest):
        handoff.add_agent_message(uow, handoff_id=requested.id, agent_id=anna.id, text=text)
    with pytest.raises(InvalidRequest):
        handoff.add_note(uow, handoff_id=requested.id, agent_id=anna.id, text=text)


def test_handing_back_saves_the_wrap_up_on_the_interaction_which_goes_on(uow):
    anna = agent(uow)
    requested = ask(uow).handoff
    handoff.take_handoff(uow, handoff_id=requested.id, agent_id=anna.id, now=NOW)
    done = NOW + dt.timedelta(minutes=8)

    returned = handoff.hand_back(
        uow,
        handoff_id=requested.id,
        agent_id=anna.id,
        wrap_up_code="Resolved",
        summary=" Explained the warranty. ",
        settings=SETTINGS,
        now=done,
    )

    interaction = conversation.get_interaction(uow, interaction_id=requested.interaction_id)
    assert (returned.status, returned.wrap_up_code, returned.summary, returned.ended_at) == (
        HandoffStatus.RETURNED,
        "resolved",
        "Explained the warranty.",
        done,
    )
    assert (interaction.wrap_up_code, interaction.wrap_up_summary, interaction.ended_at) == (
        "resolved",
        "Explained the warranty.",
        None,
    )
    assert handoff.active_handoff_for(uow, conversation_id="web-1") is None


def test_closing_ends_the_interaction_as_handled_by_an_agent(uow):
    anna = agent(uow)
    requested = ask(uow).handoff
    handoff.take_handoff(uow, handoff_id=requested.id, agent_id=anna.id, now=NOW)
    done = NOW + dt.timedelta(minutes=8)

    handoff.close_handoff(
        uow,
        handoff_id=requested.id,
        agent_id=anna.id,
        wrap_up_code="no_action",
        summary="",
        settings=SETTINGS,
        now=done,
    )

    interaction = conversation.get_interaction(uow, interaction_id=requested.interaction_id)
    assert (
        interaction.outcome,
        interaction.summary,
        interaction.ended_at,
        interaction.wrap_up_code,
    ) == ("handled_by_agent", "handled by an agent: no_action", done, "no_action")
    assert handoff.get_handoff(uow, handoff_id=requested.id).status == HandoffStatus.CLOSED


def test_a_wrap_up_code_must_be_on_the_list_and_the_handoff_still_assigned(uow):
    anna = agent(uow)
    requested = ask(uow).handoff
    handoff.take_handoff(uow, handoff_id=requested.id, agent_id=anna.id, now=NOW)
    finish = {"handoff_id": requested.id, "agent_id": anna.id, "summary": "", "settings": SETTINGS}

    with pytest.raises(InvalidRequest):
        handoff.hand_back(uow, wrap_up_code="made_up", **finish)
    handoff.close_handoff(uow, wrap_up_code="resolved", **finish)
    with pytest.raises(NotYourHandoff):
        handoff.hand_back(uow, wrap_up_code="resolved", **finish)


def test_nothing_is_written_to_notes_or_transcripts_by_a_refused_request(uow):
    ask(uow, settings=dataclasses.replace(SETTINGS, topics=frozenset()), reason="complaint")

    assert (uow.handoffs.count(), uow.transcripts.count()) == (0, 0)
    assert uow.session.query(HandoffNote).count() == 0
    assert uow.session.query(TranscriptEntry).count() == 0
