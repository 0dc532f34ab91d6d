"""The manager's figures: the queue now, handoffs per reason, channel and day, containment."""

from __future__ import annotations

import datetime as dt

from crm_backend.opening_hours import OpeningHours
from crm_backend.services import agents, conversation, handoff
from crm_backend.services.desk_stats import Day, desk_report
from crm_backend.settings import HandoffSettings

ALWAYS = HandoffSettings(hours=OpeningHours.parse("mon-sun 00:00-24:00"), wrap_up_codes=("done",))
# Wednesday 5 November 2025, 12:00 in Paris.
NOW = dt.datetime(2025, 11, 5, 11, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)


def contact(uow, conversation_id, *, at, channel="web"):
    conversation.start_interaction(uow, channel=channel, conversation_id=conversation_id, now=at)


def requested(uow, conversation_id, *, at, reason="requested", channel="web"):
    return handoff.request_handoff(
        uow,
        conversation_id=conversation_id,
        channel=channel,
        reason=reason,
        settings=ALWAYS,
        now=at,
    ).handoff


def test_the_figures_of_the_last_days(uow):
    anna = agents.create_agent(
        uow, username="anna", password="a long password", display_name="Anna"
    )
    monday, tuesday = NOW - 2 * 24 * HOUR, NOW - 24 * HOUR
    for n in range(4):  # Monday: four conversations, one handed to Anna
        contact(uow, f"web-mon-{n}", at=monday)
    taken = requested(uow, "web-mon-0", at=monday + MINUTE)
    handoff.take_handoff(uow, handoff_id=taken.id, agent_id=anna.id, now=monday + 5 * MINUTE)
    contact(uow, "sms-tue", at=tuesday, channel="sms")  # Tuesday: one, who gave up waiting
    gave_up = requested(uow, "sms-tue", at=tuesday + MINUTE, reason="complaint", channel="sms")
    handoff.leave_queue(uow, handoff_id=gave_up.id, now=tuesday + 2 * MINUTE)
    contact(uow, "web-wed", at=NOW - HOUR)  # today: two waiting now
    requested(uow, "web-wed", at=NOW - 10 * MINUTE, reason="misunderstood")
    requested(uow, "voice-wed", at=NOW - 4 * MINUTE, channel="voice")
    contact(uow, "web-old", at=NOW - 30 * 24 * HOUR)  # before the period: not counted

    report = desk_report(uow, days=3, timezone="Europe/Paris", now=NOW)

    assert (report.queue_length, report.longest_wait, report.average_wait_now) == (
        2,
        10 * MINUTE,
        7 * MINUTE,
    )
    assert (report.average_pickup, report.assigned_now) == (4 * MINUTE, 1)
    assert report.by_reason == {"requested": 2, "complaint": 1, "misunderstood": 1}
    assert report.by_channel == {"web": 2, "sms": 1, "voice": 1}
    assert report.days == [
        Day(day=dt.date(2025, 11, 3), conversations=4, handoffs=1, taken=1),
        Day(day=dt.date(2025, 11, 4), conversations=1, handoffs=1, taken=0),
        Day(day=dt.date(2025, 11, 5), conversations=2, handoffs=2, taken=0),
    ]
    # voice-wed's interaction was started by its handoff: seven conversations, one taken.
    assert (report.conversations, report.taken) == (7, 1)
    assert report.containment == 6 / 7
    assert [d.containment for d in report.days] == [0.75, 1.0, 1.0]


def test_an_empty_desk(uow):
    report = desk_report(uow, days=2, now=NOW)

    assert (report.queue_length, report.longest_wait, report.containment) == (
        0,
        dt.timedelta(0),
        None,
    )
    assert report.days[0].containment is None
