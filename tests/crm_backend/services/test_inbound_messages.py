"""Received messages are claimed once: a retry gets the stored answer, a dead claim is retaken."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest

from crm_backend.errors import InvalidRequest
from crm_backend.services.inbound_messages import (
    Claim,
    ClaimState,
    answer_message,
    claim_message,
    message_state,
    release_message,
)
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.factories import columns

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
STALE = dt.timedelta(seconds=30)
Uows = Callable[[], SqlAlchemyUnitOfWork]


def claim(uow_factory: Uows, sid: str = "SM1", *, now: dt.datetime = NOW) -> Claim:
    with uow_factory() as uow:
        result = claim_message(
            uow,
            message_id=sid,
            channel="sms",
            conversation_id="sms-+33612345678",
            stale_after=STALE,
            now=now,
        )
        uow.commit()
    return result


def answer(uow_factory: Uows, reply: list[str], sid: str = "SM1") -> None:
    with uow_factory() as uow:
        answer_message(uow, message_id=sid, reply=reply, now=NOW + dt.timedelta(seconds=2))
        uow.commit()


def test_the_first_claim_wins_and_is_stored_pending(uow_factory: Uows) -> None:
    assert claim(uow_factory) == Claim(ClaimState.CLAIMED)

    with uow_factory() as uow:
        rows = [columns(m, without=("id",)) for m in uow.inbound_messages.list_by()]
    assert rows == [
        {
            "message_id": "SM1",
            "channel": "sms",
            "conversation_id": "sms-+33612345678",
            "status": "pending",
            "reply": [],
            "claimed_at": NOW,
            "answered_at": None,
        }
    ]


def test_a_retry_while_handled_is_in_progress_and_after_gets_the_answer(
    uow_factory: Uows,
) -> None:
    claim(uow_factory)

    assert claim(uow_factory, now=NOW + dt.timedelta(seconds=5)) == Claim(ClaimState.IN_PROGRESS)
    answer(uow_factory, ["Hello!", "1. Yes\n2. No"])
    assert claim(uow_factory, now=NOW + dt.timedelta(seconds=9)) == Claim(
        ClaimState.ANSWERED, ["Hello!", "1. Yes\n2. No"]
    )
    with uow_factory() as uow:
        assert message_state(uow, message_id="SM1") == Claim(
            ClaimState.ANSWERED, ["Hello!", "1. Yes\n2. No"]
        )
        assert message_state(uow, message_id="SM2") is None


def test_a_claim_whose_handler_died_is_taken_over_once(uow_factory: Uows) -> None:
    claim(uow_factory)
    later = NOW + STALE + dt.timedelta(seconds=1)

    assert claim(uow_factory, now=later) == Claim(ClaimState.CLAIMED)
    assert claim(uow_factory, now=later) == Claim(ClaimState.IN_PROGRESS)


def test_a_released_claim_can_be_claimed_again(uow_factory: Uows) -> None:
    claim(uow_factory)
    with uow_factory() as uow:
        release_message(uow, message_id="SM1")
        uow.commit()

    assert claim(uow_factory) == Claim(ClaimState.CLAIMED)


def test_an_answer_needs_a_claim_and_an_id(uow_factory: Uows) -> None:
    with uow_factory() as uow, pytest.raises(InvalidRequest):
        answer_message(uow, message_id="SM404", reply=["x"])
    with uow_factory() as uow, pytest.raises(InvalidRequest):
        claim_message(uow, message_id=" ", channel="sms", conversation_id="c", stale_after=STALE)


def test_two_processes_claiming_at_once_get_one_claim(uow_factory: Uows) -> None:
    results: list[Claim] = []
    start = threading.Barrier(8)

    def race() -> None:
        start.wait()
        results.append(claim(uow_factory, "SM-race"))

    threads = [threading.Thread(target=race) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(r.state.value for r in results) == ["claimed"] + ["in_progress"] * 7
