"""The manager's satisfaction figures: CSAT and mean per day, channel, bot only or handed off."""

from __future__ import annotations

import datetime as dt

from crm_backend.opening_hours import OpeningHours
from crm_backend.services import agents, conversation, handoff, satisfaction
from crm_backend.services.satisfaction_stats import Scores, satisfaction_report
from crm_backend.settings import HandoffSettings

ALWAYS = HandoffSettings(hours=OpeningHours.parse("mon-sun 00:00-24:00"), wrap_up_codes=("done",))
# Wednesday 5 November 2025, 12:00 in Paris.
NOW = dt.datetime(2025, 11, 5, 11, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
MINUTE = dt.timedelta(minutes=1)


def rated(uow, cid, *, at, score=None, channel="web", direction="inbound"):
    """A contact that was asked, and answered ``score`` (None: asked, no answer)."""
    interaction = conversation.start_interaction(
        uow, channel=channel, conversation_id=cid, direction=direction, now=at
    )
    satisfaction.mark_asked(uow, interaction_id=interaction.id, now=at + MINUTE)
    if score is not None:
        satisfaction.record_rating(
            uow, interaction_id=interaction.id, score=score, now=at + 2 * MINUTE
        )
    return interaction


def test_csat_and_mean_per_day_channel_and_path(uow):
    anna = agents.create_agent(
        uow, username="anna", password="a long password", display_name="Anna"
    )
    monday, tuesday = NOW - 2 * DAY, NOW - DAY
    rated(uow, "web-1", at=monday, score=5)
    rated(uow, "web-2", at=monday, score=4)
    rated(uow, "web-3", at=monday, score=2)
    rated(uow, "sms-1", at=tuesday, score=1, channel="sms")
    rated(uow, "voice-1", at=tuesday, score=5, channel="voice")
    rated(uow, "voice-2", at=tuesday, channel="voice")  # asked, hung up: no answer
    conversation.start_interaction(
        uow, channel="web", conversation_id="web-4", now=NOW
    )  # not asked
    rated(uow, "voice-out", at=NOW, score=1, channel="voice", direction="outbound")  # not ours
    rated(uow, "web-old", at=NOW - 30 * DAY, score=1)  # before the period
    # sms-1 was taken over by an agent; web-3 asked for one who never took it.
    for cid, channel, taken in (("sms-1", "sms", True), ("web-3", "web", False)):
        decision = handoff.request_handoff(
            uow, conversation_id=cid, channel=channel, reason="requested", settings=ALWAYS
        )
        if taken:
            handoff.take_handoff(uow, handoff_id=decision.handoff.id, agent_id=anna.id)

    report = satisfaction_report(uow, days=3, timezone="Europe/Paris", now=NOW)

    assert report.overall == Scores(asked=6, answered=5, satisfied=3, total=17)
    assert (report.overall.csat, report.overall.mean) == (0.6, 3.4)
    assert report.days == [
        (dt.date(2025, 11, 3), Scores(asked=3, answered=3, satisfied=2, total=11)),
        (dt.date(2025, 11, 4), Scores(asked=3, answered=2, satisfied=1, total=6)),
        (dt.date(2025, 11, 5), Scores()),
    ]
    assert report.channels == {
        "web": Scores(asked=3, answered=3, satisfied=2, total=11),
        "sms": Scores(asked=1, answered=1, satisfied=0, total=1),
        "voice": Scores(asked=2, answered=1, satisfied=1, total=5),
    }
    assert report.paths == {
        "bot only": Scores(asked=5, answered=4, satisfied=3, total=16),
        "handed off": Scores(asked=1, answered=1, satisfied=0, total=1),
    }


def test_no_answers_no_figures(uow):
    report = satisfaction_report(uow, days=2, timezone="Europe/Paris", now=NOW)

    assert report.overall == Scores()
    assert (report.overall.csat, report.overall.mean) == (None, None)
    assert list(report.channels) == ["web", "sms", "voice"]
