"""The handoff queue: most urgent first, and a wait from the queue, the agents and their past."""

from __future__ import annotations

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
    for n, (waited, handled) in enumerate([(2, 10), (4, 20), (3, 30)]):
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
