"""The handoff queue: most urgent first, and a wait from the queue, the agents and their past."""

from __future__ import annotations

import dataclasses
import datetime as dt

from crm_backend.services import agents, handoff, handoff_queue
from tests.crm_backend.services.test_handoff import NOW, SETTINGS, agent, ask


def test_the_queue_is_most_urgent_first(uow):
    ask(uow, "web-requested", now=NOW)
    ask(uow, "web-confused", reason="misunderstood", now=NOW + dt.timedelta(minutes=1))
    ask(uow, "web-complaint", reason="complaint", now=NOW + dt.timedelta(minutes=2))
    ask(uow, "web-big-order", reason="large_order", now=NOW + dt.timedelta(minutes=3))

    assert [h.conversation_id for h in handoff_queue.waiting(uow)] == [
        "web-big-order",
        "web-complaint",
        "web-requested",
        "web-confused",
    ]


def test_the_wait_grows_with_the_queue_and_shrinks_with_agents_on_duty(uow):
    # Nobody logged in counts as one agent, who will be free in one handling time.
    positions = [ask(uow, f"web-{n}").position for n in range(3)]
    alone = [
        handoff_queue.estimate_wait(uow, position=p, settings=SETTINGS, now=NOW) for p in positions
    ]
    for name in ("anna", "ben", "carla"):
        agents.open_session(uow, agent_id=agent(uow, name).id, now=NOW)
    staffed = [
        handoff_queue.estimate_wait(uow, position=p, settings=SETTINGS, now=NOW) for p in positions
    ]

    assert positions == [1, 2, 3]
    minutes = dt.timedelta(minutes=1)
    assert alone == [1 * minutes, 6 * minutes, 12 * minutes]
    assert staffed == [1 * minutes] * 3


def test_the_wait_learns_from_the_desk_history(uow):
    anna = agent(uow)
    later = NOW + dt.timedelta(hours=2)
    agents.open_session(uow, agent_id=anna.id, now=later)
    for n, (waited, handled) in enumerate([(2, 10), (4, 20), (3, 30), (5, 25), (1, 15)]):
        requested = ask(uow, f"web-old-{n}", now=NOW).handoff
        taken_at = requested.requested_at + dt.timedelta(minutes=waited)
        handoff.take_handoff(uow, handoff_id=requested.id, agent_id=anna.id, now=taken_at)
        handoff.hand_back(
            uow,
            handoff_id=requested.id,
            agent_id=anna.id,
            wrap_up_code="resolved",
            summary="",
            settings=SETTINGS,
            now=taken_at + dt.timedelta(minutes=handled),
        )

    first, second = (
        handoff_queue.estimate_wait(uow, position=p, settings=SETTINGS, now=later) for p in (1, 2)
    )

    assert (first, second) == (dt.timedelta(minutes=3), dt.timedelta(minutes=20))


def finish(uow, agent_id, conversation_id, *, requested, waited, handled):
    """A conversation asked for at ``requested``, taken and handed back by the agent."""
    asked = ask(uow, conversation_id, now=requested).handoff
    taken_at = requested + waited
    handoff.take_handoff(uow, handoff_id=asked.id, agent_id=agent_id, now=taken_at)
    handoff.hand_back(
        uow,
        handoff_id=asked.id,
        agent_id=agent_id,
        wrap_up_code="resolved",
        summary="",
        settings=SETTINGS,
        now=taken_at + handled,
    )


def estimates(uow, positions, *, now, settings=SETTINGS):
    return [
        handoff_queue.estimate_wait(uow, position=p, settings=settings, now=now) for p in positions
    ]


def test_one_quick_conversation_does_not_swing_the_wait(uow):
    # Issue 14: "about 84 minutes", then "about 11" for the same place, after one
    # conversation an agent finished in under a minute replaced the configured time.
    anna = agent(uow)
    later = NOW + dt.timedelta(hours=1)
    agents.open_session(uow, agent_id=anna.id, now=later)
    for n in range(4):
        ask(uow, f"web-waiting-{n}", now=NOW)
    before = estimates(uow, [1, 2, 3, 4], now=later)
    finish(
        uow,
        anna.id,
        "web-quick",
        requested=NOW,
        waited=dt.timedelta(seconds=20),
        handled=dt.timedelta(seconds=47),
    )
    after = estimates(uow, [1, 2, 3, 4], now=later)

    minutes = dt.timedelta(minutes=1)
    assert before == after == [1 * minutes, 6 * minutes, 12 * minutes, 18 * minutes]


def test_the_wait_has_a_floor_and_a_cap(uow):
    for n in range(100):
        ask(uow, f"web-{n}", now=NOW)
    hurried = dataclasses.replace(SETTINGS, handle_minutes=0)

    # Nobody on duty counts as one agent; one handling time per place, at least a minute.
    assert estimates(uow, [1, 3, 100], now=NOW, settings=hurried) == [
        dt.timedelta(minutes=1),
        dt.timedelta(minutes=2),
        handoff_queue.WAIT_CAP,
    ]
    assert estimates(uow, [100], now=NOW) == [handoff_queue.WAIT_CAP]


def test_a_handling_time_is_capped(uow):
    anna = agent(uow)
    for n in range(5):  # five conversations left open all night
        finish(
            uow,
            anna.id,
            f"web-night-{n}",
            requested=NOW,
            waited=dt.timedelta(minutes=1),
            handled=dt.timedelta(hours=9),
        )

    assert handoff_queue.handling_time(uow, settings=SETTINGS) == handoff_queue.HANDLE_CAP


def test_an_agent_holding_a_conversation_counts_even_when_not_seen_lately(uow):
    anna, ben = agent(uow, "anna"), agent(uow, "ben")
    later = NOW + dt.timedelta(hours=1)
    agents.open_session(uow, agent_id=anna.id, now=later)
    agents.open_session(uow, agent_id=ben.id, now=NOW)  # busy on a call since
    for name, who in (("web-anna", anna), ("web-ben", ben)):
        held = ask(uow, name, now=NOW).handoff
        handoff.take_handoff(uow, handoff_id=held.id, agent_id=who.id, now=NOW)
    ask(uow, "web-next", now=later)
    ask(uow, "web-after", now=later)

    # Two agents, both busy: each frees up within one handling time.
    assert estimates(uow, [1, 2, 3], now=later) == [
        dt.timedelta(minutes=6),
        dt.timedelta(minutes=6),
        dt.timedelta(minutes=12),
    ]
