"""A placed call: confirmed once, ended by Twilio's final status, its voicemail, late callbacks."""

from __future__ import annotations

import pytest

from crm_backend.errors import InvalidRequest
from crm_backend.services import call_list_entries as entries
from crm_backend.services import leads, placed_calls
from tests.crm_backend.services import test_call_list_entries as entry_tests
from tests.crm_backend.services.test_call_list_entries import (
    MINUTE,
    MONDAY_10,
    SID,
    interaction_of,
    placed,
    voice_interaction,
)

# The scene of the entries' tests: an active phone list of three.
scene = entry_tests.scene


def test_a_placed_call_counts_an_attempt_and_opens_the_interaction_once(any_uow, scene):
    ana = placed(any_uow, scene["ana"])
    again = placed_calls.call_placed(any_uow, entry_id=ana.id, call_sid=SID, now=MONDAY_10 + MINUTE)

    assert (again.status, again.call_sid, again.attempts, again.last_attempt_at) == (
        "calling",
        SID,
        1,
        MONDAY_10,
    )
    assert interaction_of(any_uow, ana) == [voice_interaction(ana)]


def end(uow, entry, status, *, answered_by="", duration=0, sid=SID, after=MINUTE):
    return placed_calls.call_ended(
        uow,
        entry_id=entry.id,
        call_sid=sid,
        status=status,
        duration_seconds=duration,
        answered_by=answered_by,
        now=MONDAY_10 + after,
    )


@pytest.mark.parametrize(
    ("status", "answered_by", "message", "expected"),
    [
        ("completed", "human", "", ("done", "answered", None)),
        ("completed", "", "", ("done", "answered", None)),
        ("completed", "unknown", "", ("done", "answered", None)),
        ("completed", "machine_end_beep", "Hello from Lumen.", ("done", "voicemail_left", None)),
        ("completed", "machine_start", "", ("pending", "machine", MONDAY_10 + 31 * MINUTE)),
        ("completed", "fax", "", ("pending", "machine", MONDAY_10 + 31 * MINUTE)),
        ("no-answer", "", "", ("pending", "no_answer", MONDAY_10 + 31 * MINUTE)),
        ("busy", "", "", ("pending", "busy", MONDAY_10 + 31 * MINUTE)),
        ("failed", "", "", ("done", "call_failed", None)),
        ("canceled", "", "", ("done", "call_canceled", None)),
    ],
)
def test_how_a_call_ended_decides_what_comes_next(
    any_uow, scene, status, answered_by, message, expected
):
    scene["campaign"].message = message
    ana = placed(any_uow, scene["ana"])

    ended = end(any_uow, ana, status, answered_by=answered_by, duration=42)

    assert (ended.status, ended.outcome, ended.next_attempt_at) == expected
    assert (ended.claimed_by, ended.attempts, ended.answered_by) == (None, 1, answered_by or None)
    assert interaction_of(any_uow, ended) == [
        voice_interaction(
            ended, ended_at=MONDAY_10 + MINUTE, duration_seconds=42, outcome=expected[1]
        )
    ]


def test_no_answer_is_retried_up_to_the_maximum(any_uow, scene):
    ana = placed(any_uow, scene["ana"])
    end(any_uow, ana, "no-answer")
    retry_at = MONDAY_10 + 31 * MINUTE
    assert entries.due_entries(any_uow, now=retry_at - MINUTE) == [scene["ben"]]
    assert entries.due_entries(any_uow, now=retry_at) == [ana, scene["ben"]]

    second = placed(any_uow, ana, sid="CA2", now=retry_at)
    last = end(any_uow, second, "busy", sid="CA2", after=32 * MINUTE)

    assert (last.status, last.outcome, last.attempts, last.next_attempt_at) == (
        "done",
        "busy",
        2,
        None,
    )
    assert [i["outcome"] for i in interaction_of(any_uow, last)] == ["busy", "no_answer"]


def test_the_conversation_outcome_survives_the_end_of_the_call(any_uow, scene):
    ana = placed(any_uow, scene["ana"])
    lead = leads.create_lead(any_uow, account_id=ana.account_id, source_channel="voice")

    entries.record_outcome(any_uow, entry_id=ana.id, outcome="Lead_Created ", lead_id=lead.id)
    ended = end(any_uow, ana, "completed", answered_by="human", duration=300)

    assert (ended.status, ended.outcome, ended.lead_id) == ("done", "lead_created", lead.id)
    assert interaction_of(any_uow, ended)[0]["outcome"] == "lead_created"


def test_an_interaction_the_bot_closed_keeps_its_outcome(any_uow, scene):
    ana = placed(any_uow, scene["ana"])
    interaction = any_uow.interactions.list_by(call_list_entry_id=ana.id)[0]
    interaction.outcome, interaction.ended_at = "not_interested", MONDAY_10 + MINUTE
    any_uow.flush()

    end(any_uow, ana, "completed", duration=70, after=2 * MINUTE)

    assert interaction_of(any_uow, ana) == [
        voice_interaction(
            ana, ended_at=MONDAY_10 + MINUTE, duration_seconds=70, outcome="not_interested"
        )
    ]


def test_a_callback_for_an_unconfirmed_claim_adopts_the_call(any_uow, scene):
    entries.claim(any_uow, entry_id=scene["ana"].id, by="dialer", now=MONDAY_10)

    ended = end(any_uow, scene["ana"], "no-answer")

    assert (ended.status, ended.call_sid, ended.attempts, ended.outcome) == (
        "pending",
        SID,
        1,
        "no_answer",
    )
    assert interaction_of(any_uow, ended) == [
        voice_interaction(
            ended,
            started=MONDAY_10 + MINUTE,
            ended_at=MONDAY_10 + MINUTE,
            duration_seconds=0,
            outcome="no_answer",
        )
    ]


def test_a_repeated_or_stale_callback_changes_nothing_more(any_uow, scene):
    ana = placed(any_uow, scene["ana"])
    end(any_uow, ana, "no-answer")
    retry = placed(any_uow, ana, sid="CA2", now=MONDAY_10 + 40 * MINUTE)

    stale = end(any_uow, retry, "no-answer", after=41 * MINUTE)

    assert (stale.status, stale.call_sid, stale.attempts) == ("calling", "CA2", 2)
    assert [i["outcome"] for i in interaction_of(any_uow, ana)] == [None, "no_answer"]


def test_an_earlier_calls_callback_during_a_new_claim_leaves_the_claim(any_uow, scene):
    ana = placed(any_uow, scene["ana"])
    end(any_uow, ana, "no-answer")
    assert entries.claim(any_uow, entry_id=ana.id, by=entries.DIALER, now=MONDAY_10 + 40 * MINUTE)

    # Twilio posts the first call's status again (or late) while the new call is being placed.
    placed_calls.answering_machine(
        any_uow, entry_id=ana.id, call_sid=SID, answered_by="machine_start"
    )
    late = end(any_uow, ana, "no-answer", after=41 * MINUTE)

    assert (late.status, late.claimed_by, late.call_sid, late.attempts, late.answered_by) == (
        "calling",
        "dialer",
        None,
        1,
        None,
    )
    assert [i["outcome"] for i in interaction_of(any_uow, ana)] == ["no_answer"]


def test_a_status_that_is_not_final_is_refused(any_uow, scene):
    ana = placed(any_uow, scene["ana"])

    with pytest.raises(InvalidRequest):
        end(any_uow, ana, "ringing")
    with pytest.raises(InvalidRequest):
        end(any_uow, ana, "completed", duration=-1)


def test_an_answering_machine_gets_the_campaigns_message(any_uow, scene):
    scene["campaign"].message = "Hello from Lumen."
    ana = placed(any_uow, scene["ana"])

    person_ = placed_calls.answering_machine(
        any_uow, entry_id=ana.id, call_sid=SID, answered_by="human"
    )
    machine = placed_calls.answering_machine(
        any_uow, entry_id=ana.id, call_sid=SID, answered_by="machine_end_beep"
    )
    ended = end(any_uow, ana, "completed")

    assert (person_, machine) == (None, "Hello from Lumen.")
    assert (ended.answered_by, ended.outcome) == ("machine_end_beep", "voicemail_left")


def test_the_list_is_done_when_its_last_entry_is(any_uow, scene):
    for name in ("ana", "ben", "cleo"):
        entry = placed(any_uow, scene[name], sid=f"CA-{name}")
        end(any_uow, entry, "completed", sid=f"CA-{name}")

    assert scene["list"].status == "done"


def test_a_callback_about_another_entrys_call_touches_nothing(any_uow, scene):
    ana = placed(any_uow, scene["ana"])

    ben = end(any_uow, scene["ben"], "completed", duration=30)

    assert (ben.status, ben.call_sid, ben.attempts) == ("pending", None, 0)
    assert interaction_of(any_uow, ana) == [voice_interaction(ana)]
    assert interaction_of(any_uow, ben) == []
