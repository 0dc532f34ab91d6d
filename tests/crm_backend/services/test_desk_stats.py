"""The manager's figures on a real SQLite database: containment, abandonment, timing, reasons."""

from __future__ import annotations

import datetime as dt

import pytest

from crm_backend.services.desk_stats import (
    Day,
    Durations,
    ReasonRow,
    definitions,
    desk_report,
)
from tests.factories import make_agent, make_contact, make_handoff, make_line

# Wednesday 5 November 2025, 12:00 in Paris; the period of three days starts on Monday.
NOW = dt.datetime(2025, 11, 5, 11, 0, tzinfo=dt.UTC)
MONDAY, TUESDAY = NOW - dt.timedelta(days=2), NOW - dt.timedelta(days=1)
MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def desk(uow):
    """Three days of a desk: taken, handed back, abandoned both ways, waiting, contained."""
    anna, ben = make_agent(uow, "anna"), make_agent(uow, "ben")
    # Monday: four conversations; two handed to agents, two the bot finished alone.
    mon = [make_contact(uow, f"web-mon-{n}", started_at=MONDAY) for n in range(4)]
    make_handoff(
        uow,
        mon[0],
        requested_at=MONDAY + MINUTE,
        agent=anna,
        taken_at=MONDAY + 5 * MINUTE,
        ended_at=MONDAY + 17 * MINUTE,
    )
    make_line(uow, mon[0], role="customer", at=MONDAY + 6 * MINUTE)  # not the agent's
    make_line(uow, mon[0], role="agent", at=MONDAY + 7 * MINUTE)  # first response: 6 min
    make_line(uow, mon[0], role="agent", at=MONDAY + 9 * MINUTE)
    make_handoff(
        uow,
        mon[1],
        requested_at=MONDAY + 2 * MINUTE,
        reason="complaint",
        agent=ben,
        taken_at=MONDAY + 4 * MINUTE,
        ended_at=MONDAY + 10 * MINUTE,
        status="returned",
    )
    make_line(uow, mon[1], role="agent", at=MONDAY + 5 * MINUTE)  # first response: 3 min
    # Tuesday: one left the queue after 2 minutes, one hung up after 6 while waiting.
    sms = make_contact(uow, "sms-tue", started_at=TUESDAY, channel="sms")
    make_handoff(
        uow,
        sms,
        requested_at=TUESDAY + MINUTE,
        reason="complaint",
        ended_at=TUESDAY + 3 * MINUTE,
    )
    call = make_contact(
        uow, "voice-tue", started_at=TUESDAY, ended_at=TUESDAY + 8 * MINUTE, channel="voice"
    )
    make_handoff(uow, call, requested_at=TUESDAY + 2 * MINUTE, reason="complaint")
    # Today: two waiting, one with Ben and not answered yet, one the bot finishes alone.
    wed = [make_contact(uow, f"web-wed-{n}", started_at=NOW - 60 * MINUTE) for n in range(4)]
    make_handoff(uow, wed[0], requested_at=NOW - 10 * MINUTE, reason="misunderstood")
    make_handoff(uow, wed[1], requested_at=NOW - 4 * MINUTE, reason="large_order")
    make_handoff(uow, wed[3], requested_at=NOW - 14 * MINUTE, agent=ben, taken_at=NOW - 12 * MINUTE)
    # Not the period's: an outbound call today, a conversation a month ago and its handoff.
    make_contact(uow, "voice-out", started_at=NOW - 5 * MINUTE, direction="outbound")
    old = make_contact(uow, "web-old", started_at=NOW - dt.timedelta(days=30))
    make_handoff(
        uow,
        old,
        requested_at=old.started_at + MINUTE,
        agent=anna,
        taken_at=old.started_at + 2 * MINUTE,
        ended_at=old.started_at + 3 * MINUTE,
    )
    make_line(uow, old, role="agent", at=old.started_at + 2 * MINUTE)
    return uow


def test_a_conversation_that_asked_for_a_person_is_not_contained(desk):
    report = desk_report(desk, days=3, timezone="Europe/Paris", now=NOW)

    # Ten inbound conversations; seven asked for a person (taken, abandoned or waiting).
    assert (report.conversations, report.asked, report.contained) == (10, 7, 3)
    assert report.containment == 3 / 10
    assert (report.handoffs, report.taken, report.abandoned, report.still_waiting) == (7, 3, 2, 2)


def test_the_issue_14_desk_is_not_100_percent_contained(uow):
    # 325 conversations, 15 asked for a person, 14 of them still waiting: 310 contained.
    anna = make_agent(uow)
    for n in range(325):
        contact = make_contact(uow, f"web-{n}", started_at=NOW - 2 * dt.timedelta(hours=1))
        if n < 14:
            make_handoff(uow, contact, requested_at=NOW - dt.timedelta(hours=1))
        elif n == 14:
            taken = NOW - 50 * MINUTE
            make_handoff(uow, contact, requested_at=taken - MINUTE, agent=anna, taken_at=taken)

    report = desk_report(uow, days=1, now=NOW)

    assert (report.conversations, report.contained, report.handoffs, report.taken) == (
        325,
        310,
        15,
        1,
    )
    assert round(report.containment * 100) == 95


def test_abandoned_is_leaving_the_queue_or_the_contact_ending_before_an_agent_took_it(desk):
    report = desk_report(desk, days=3, timezone="Europe/Paris", now=NOW)

    assert report.abandonment == 2 / 7
    # The call that hung up while waiting is still in the agents' queue: the queue now is theirs.
    assert (report.queue_length, report.longest_wait, report.assigned_now) == (
        3,
        dt.timedelta(days=1) - 2 * MINUTE,
        1,
    )


def test_the_waits_the_first_responses_and_the_handling_times(desk):
    report = desk_report(desk, days=3, timezone="Europe/Paris", now=NOW)

    # Taken after 4, 2 and 2 minutes; answered after 6 and 3 (the third not yet);
    # finished after 12 and 6 minutes of an agent's time (the third not yet).
    assert sorted(report.queue_waits) == [2 * MINUTE, 2 * MINUTE, 4 * MINUTE]
    assert report.queue_wait == Durations(count=3, median=2 * MINUTE, p90=4 * MINUTE)
    assert report.first_response == Durations(count=2, median=4.5 * MINUTE, p90=6 * MINUTE)
    assert report.handling == Durations(count=2, median=9 * MINUTE, p90=12 * MINUTE)


def test_the_handoffs_per_reason(desk):
    report = desk_report(desk, days=3, timezone="Europe/Paris", now=NOW)

    rows = [(r.reason, r.handoffs, round(r.share, 3), r.abandoned) for r in report.by_reason]
    assert rows == [
        ("complaint", 3, round(3 / 7, 3), 2),
        ("requested", 2, round(2 / 7, 3), 0),
        ("misunderstood", 1, round(1 / 7, 3), 0),
        ("large_order", 1, round(1 / 7, 3), 0),
        ("cancellation", 0, 0.0, 0),
    ]
    # Complaints waited 2 (taken), 2 (left) and 6 minutes (hung up); still waiting: until now.
    waits = {r.reason: r.median_wait for r in report.by_reason}
    assert waits == {
        "complaint": 2 * MINUTE,
        "requested": 3 * MINUTE,
        "misunderstood": 10 * MINUTE,
        "large_order": 4 * MINUTE,
        "cancellation": None,
    }
    assert report.by_channel == {"web": 5, "sms": 1, "voice": 1}


def test_the_days_of_the_period(desk):
    report = desk_report(desk, days=3, timezone="Europe/Paris", now=NOW)

    assert report.first_day == dt.date(2025, 11, 3)
    assert report.days == [
        Day(dt.date(2025, 11, 3), conversations=4, asked=2, handoffs=2, taken=2, abandoned=0),
        Day(dt.date(2025, 11, 4), conversations=2, asked=2, handoffs=2, taken=0, abandoned=2),
        Day(dt.date(2025, 11, 5), conversations=4, asked=3, handoffs=3, taken=1, abandoned=0),
    ]
    assert [d.containment for d in report.days] == [0.5, 0.0, 0.25]


def test_a_handoff_without_its_interaction_belongs_to_the_contact_open_then(uow):
    # Handoffs recorded before they named their interaction: matched by conversation and time.
    yesterday = NOW - dt.timedelta(days=1)
    make_contact(uow, "web-1", started_at=yesterday, ended_at=yesterday + 10 * MINUTE)
    today = make_contact(uow, "web-1", started_at=NOW - 20 * MINUTE)
    handoff = make_handoff(uow, today, requested_at=NOW - 10 * MINUTE)
    handoff.interaction_id = None
    uow.flush()

    report = desk_report(uow, days=2, now=NOW)

    assert [(d.conversations, d.asked) for d in report.days] == [(1, 0), (1, 1)]


def test_an_empty_desk(uow):
    report = desk_report(uow, days=2, now=NOW)

    assert (report.queue_length, report.longest_wait, report.containment) == (
        0,
        dt.timedelta(0),
        None,
    )
    assert (report.abandonment, report.first_response.median, report.days[0].containment) == (
        None,
        None,
        None,
    )
    assert [r.handoffs for r in report.by_reason] == [0] * 5


@pytest.mark.parametrize("days", [0, -1, 91])
def test_a_period_out_of_range_is_refused(uow, days):
    with pytest.raises(ValueError, match="1 to 90 days"):
        desk_report(uow, days=days, now=NOW)


def test_durations_in_a_few_numbers():
    minutes = [dt.timedelta(minutes=m) for m in (5, 1, 3, 2, 4, 10, 6, 7, 8, 9)]

    assert Durations.of(minutes) == Durations(count=10, median=5.5 * MINUTE, p90=9 * MINUTE)
    assert Durations.of(minutes[:3]) == Durations(count=3, median=3 * MINUTE, p90=5 * MINUTE)
    assert Durations.of([]) == Durations(count=0, median=None, p90=None)


def test_each_definition_is_written_once_in_a_docstring():
    named = dict(definitions())

    assert list(named) == [
        "Contained",
        "Abandoned",
        "Wait for an agent",
        "First response",
        "Handling time",
        "Median wait",
    ]
    assert named["Contained"].startswith("The share of the period's conversations the bot")
    assert "went back to the bot" in named["Abandoned"]
    assert all(text and "\n" not in text for text in named.values())
    assert ReasonRow.median_wait.__doc__ is not None
