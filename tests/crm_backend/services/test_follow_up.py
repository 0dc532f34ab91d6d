"""Follow-up activities: survey calls after delivery, callbacks within business hours."""

from __future__ import annotations

import datetime as dt

import pytest

from crm_backend.errors import (
    ActivityNotFound,
    InteractionNotFound,
    InvalidRequest,
    InvalidStatusChange,
    OrderNotFound,
)
from crm_backend.models import ActivityKind, ActivityStatus
from crm_backend.services import follow_up
from tests.factories import columns, make_account, make_order

UTC = dt.UTC
NOW = dt.datetime(2025, 11, 3, 10, 15, tzinfo=UTC)  # Monday, 11:15 in Paris


def utc(month, day, hour, minute=0):
    return dt.datetime(2025, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def pierre(any_uow):
    return make_account(any_uow)


def test_survey_call_a_week_after_the_promised_delivery(any_uow, pierre):
    order = make_order(any_uow, pierre, number="SO-000012", promised=dt.date(2025, 11, 5))

    survey = follow_up.schedule_satisfaction_survey(
        any_uow, account_id=pierre.id, order_id=order.id, now=NOW
    )

    assert columns(survey) == {
        "id": 1,
        "account_id": pierre.id,
        "kind": ActivityKind.SURVEY_CALL,
        "subject": "Satisfaction survey call for order SO-000012",
        "due_at": utc(11, 12, 9),  # Wednesday 10:00 in Paris
        "owner": "ic-team",
        "status": ActivityStatus.OPEN,
        "order_id": order.id,
        "interaction_id": None,
        "created_at": NOW,
    }


@pytest.mark.parametrize(
    ("promised", "timezone", "due"),
    [
        (dt.date(2025, 11, 8), "Europe/Paris", utc(11, 17, 9)),  # a Saturday: the Monday after
        (dt.date(2025, 11, 9), "Europe/Paris", utc(11, 17, 9)),  # a Sunday: the Monday after
        (dt.date(2025, 11, 5), "America/Montreal", utc(11, 12, 15)),  # 10:00 in Montreal
        (dt.date(2025, 10, 1), "Europe/Paris", utc(11, 4, 9)),  # long past: next working day
        (dt.date(2025, 10, 31), "Nowhere/Atlantis", utc(11, 7, 9)),  # unknown zone: Paris
    ],
)
def test_survey_call_lands_on_a_weekday_morning(any_uow, promised, timezone, due):
    account = make_account(any_uow, timezone=timezone)
    order = make_order(any_uow, account, number="SO-000001", promised=promised)

    survey = follow_up.schedule_satisfaction_survey(
        any_uow, account_id=account.id, order_id=order.id, now=NOW
    )

    assert survey.due_at == due


def test_survey_call_is_planned_once_per_order(any_uow, pierre):
    order = make_order(any_uow, pierre, number="SO-000001", promised=dt.date(2025, 11, 5))

    first = follow_up.schedule_satisfaction_survey(
        any_uow, account_id=pierre.id, order_id=order.id, now=NOW
    )
    again = follow_up.schedule_satisfaction_survey(
        any_uow, account_id=pierre.id, order_id=order.id, now=NOW
    )

    assert again is first
    assert any_uow.activities.count() == 1


def test_survey_for_someone_elses_order(any_uow, pierre):
    anne = make_account(any_uow, first_name="Anne", phones=[], emails=[])
    order = make_order(any_uow, anne, number="SO-000001", promised=dt.date(2025, 11, 5))

    with pytest.raises(OrderNotFound):
        follow_up.schedule_satisfaction_survey(any_uow, account_id=pierre.id, order_id=order.id)
    with pytest.raises(OrderNotFound):
        follow_up.schedule_satisfaction_survey(any_uow, account_id=pierre.id, order_id=99)
    assert any_uow.activities.count() == 0


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (NOW, utc(11, 3, 11, 15)),  # Monday 11:15 in Paris: an hour later
        (utc(11, 3, 16, 30), utc(11, 4, 8)),  # 17:30: tomorrow at opening
        (utc(11, 7, 16, 30), utc(11, 10, 8)),  # Friday 17:30: Monday at opening
        (utc(11, 8, 10), utc(11, 10, 8)),  # Saturday: Monday at opening
        (utc(11, 4, 5), utc(11, 4, 8)),  # Tuesday 6:00: at opening
        (utc(11, 4, 7, 30), utc(11, 4, 8, 30)),  # Tuesday 8:30: an hour later, 9:30
    ],
)
def test_callback_within_business_hours(any_uow, pierre, now, due):
    callback = follow_up.schedule_callback(
        any_uow, account_id=pierre.id, reason=" wants a quote for 10 laptops ", now=now
    )

    assert (callback.kind, callback.subject, callback.due_at, callback.created_at) == (
        ActivityKind.CALLBACK,
        "Call back: wants a quote for 10 laptops",
        due,
        now,
    )


def test_callback_needs_a_reason_and_a_known_interaction(any_uow, pierre):
    with pytest.raises(InvalidRequest):
        follow_up.schedule_callback(any_uow, account_id=pierre.id, reason=" ", now=NOW)
    with pytest.raises(InteractionNotFound):
        follow_up.schedule_callback(
            any_uow, account_id=pierre.id, reason="x", now=NOW, interaction_id=3
        )
    assert any_uow.activities.count() == 0


@pytest.mark.parametrize(
    "changes",
    [
        {"kind": "visit"},
        {"subject": " "},
        {"owner": ""},
        {"due_at": dt.datetime(2025, 11, 4, 9, 0)},  # no time zone
    ],
)
def test_create_activity_refuses_bad_values(any_uow, pierre, changes):
    given = {"account_id": pierre.id, "kind": "email", "subject": "Send the brochure", **changes}

    with pytest.raises(InvalidRequest):
        follow_up.create_activity(any_uow, **given)
    assert any_uow.activities.count() == 0


def test_activities_soonest_first_and_completed_once(any_uow, pierre):
    later = follow_up.create_activity(
        any_uow, account_id=pierre.id, kind="email", subject="Brochure", due_at=utc(11, 6, 9)
    )
    sooner = follow_up.create_activity(
        any_uow, account_id=pierre.id, kind="callback", subject="Call", due_at=utc(11, 4, 9)
    )
    other = make_account(any_uow, first_name="Anne", phones=[], emails=[])
    follow_up.create_activity(any_uow, account_id=other.id, kind="email", subject="x", now=NOW)

    follow_up.complete_activity(any_uow, activity_id=sooner.id)

    assert follow_up.activities_for(any_uow, account_id=pierre.id) == [sooner, later]
    assert follow_up.activities_for(any_uow, account_id=pierre.id, status=ActivityStatus.OPEN) == [
        later
    ]
    assert sooner.status == ActivityStatus.DONE
    with pytest.raises(InvalidStatusChange):
        follow_up.complete_activity(any_uow, activity_id=sooner.id)
    with pytest.raises(ActivityNotFound):
        follow_up.complete_activity(any_uow, activity_id=99)


# --- feedback ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "kind"),
    [
        ("your courier was lovely and the parcel came a day early, well done", "praise"),
        ("the order form on your site is hard to find, you should move it", "suggestion"),
        ("paying on the website took ages", "suggestion"),
        ("I bought the monitor for my son", "comment"),
    ],
)
def test_feedback_is_praise_a_suggestion_or_a_comment(words, kind):
    assert follow_up.feedback_kind(words) == kind


def test_anonymous_feedback_is_kept_on_the_interaction_at_once(any_uow):
    kept = follow_up.record_feedback(
        any_uow,
        conversation_id="web-abc",
        channel="sms",
        words="  the  parcel came early, thanks ",
        now=NOW,
    )

    assert (kept.channel, kept.account_id, kept.ended_at) == ("sms", None, None)
    assert (kept.feedback, kept.feedback_kind) == ("the parcel came early, thanks", "praise")
    assert follow_up.recent_feedback(any_uow) == [kept]


def test_a_known_customers_feedback_names_the_account_and_adds_up(any_uow, pierre):
    for words in ("the app is slow", "the app is slow", "but the staff are great"):
        kept = follow_up.record_feedback(
            any_uow, conversation_id="web-xyz", channel="web", words=words, account_id=pierre.id
        )

    assert kept.account_id == pierre.id
    assert kept.feedback == "the app is slow / but the staff are great"
    assert kept.feedback_kind == "praise"


def test_feedback_needs_words(any_uow):
    with pytest.raises(InvalidRequest):
        follow_up.record_feedback(any_uow, conversation_id="web-1", channel="web", words="  ")
