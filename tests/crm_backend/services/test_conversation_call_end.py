"""A call's end: its duration on the interaction, which ends if the bot left it open."""

from __future__ import annotations

import datetime as dt

import pytest

from crm_backend.errors import InvalidRequest
from crm_backend.services import conversation
from tests.factories import columns

START = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
HUNG_UP = START + dt.timedelta(minutes=4)
CALL = "voice-CA0123456789abcdef0123456789abcdef"


def record(interaction):
    """The interaction's columns, without ids and links."""
    return columns(
        interaction,
        without=(
            "id",
            "account_id",
            "quote_id",
            "order_id",
            "lead_id",
            "campaign_id",
            "call_list_entry_id",
        ),
    )


def test_an_interaction_the_bot_closed_keeps_its_outcome_and_gets_the_duration(any_uow):
    opened = conversation.start_interaction(
        any_uow, channel="voice", conversation_id=CALL, now=START
    )
    conversation.end_interaction(
        any_uow, interaction_id=opened.id, outcome="order_placed", ended_at=HUNG_UP
    )

    ended = conversation.end_call(
        any_uow,
        conversation_id=CALL,
        status="completed",
        duration_seconds=247,
        now=HUNG_UP + dt.timedelta(seconds=3),
    )

    assert ended is opened
    assert (ended.outcome, ended.ended_at, ended.duration_seconds) == (
        "order_placed",
        HUNG_UP,
        247,
    )


def test_an_open_interaction_ends_with_the_call(any_uow):
    opened = conversation.start_interaction(
        any_uow, channel="voice", conversation_id=CALL, now=START
    )

    conversation.end_call(
        any_uow, conversation_id=CALL, status="completed", duration_seconds=240, now=HUNG_UP
    )

    assert (opened.outcome, opened.ended_at, opened.duration_seconds) == (
        "call_ended",
        HUNG_UP,
        240,
    )


@pytest.mark.parametrize(
    ("status", "outcome"),
    [("no-answer", "no_answer"), ("busy", "busy"), ("failed", "call_failed")],
)
def test_a_call_that_never_reached_the_bot_is_on_record(any_uow, status, outcome):
    ended = conversation.end_call(
        any_uow,
        conversation_id=CALL,
        status=status,
        duration_seconds=0,
        direction="outbound",
        now=HUNG_UP,
    )

    assert record(ended) == {
        "conversation_id": CALL,
        "channel": "voice",
        "direction": "outbound",
        "identity_confirmed": False,
        "started_at": HUNG_UP,
        "ended_at": HUNG_UP,
        "duration_seconds": 0,
        "outcome": outcome,
        "summary": None,
        "wrap_up_code": None,
        "wrap_up_summary": None,
        "stir_verstat": None,
        "feedback": None,
        "feedback_kind": None,
        "satisfaction_asked_at": None,
        "satisfaction_score": None,
        "satisfaction_comment": None,
        "satisfaction_answered_at": None,
    }


def test_the_same_end_twice_changes_nothing(any_uow):
    conversation.start_interaction(any_uow, channel="voice", conversation_id=CALL, now=START)
    first = conversation.end_call(
        any_uow, conversation_id=CALL, status="completed", duration_seconds=240, now=HUNG_UP
    )
    before = record(first)

    again = conversation.end_call(
        any_uow,
        conversation_id=CALL,
        status="completed",
        duration_seconds=240,
        now=HUNG_UP + dt.timedelta(seconds=30),
    )

    assert record(again) == before


@pytest.mark.parametrize(("status", "seconds"), [("ringing", 0), ("completed", -1)])
def test_an_unknown_status_or_a_negative_duration_is_refused(any_uow, status, seconds):
    with pytest.raises(InvalidRequest):
        conversation.end_call(
            any_uow, conversation_id=CALL, status=status, duration_seconds=seconds
        )
    assert any_uow.interactions.list_by() == []
