"""Follow-up activities (callbacks, satisfaction-survey calls, e-mails) and feedback.

Feedback (praise, a suggestion, a comment) is kept on the contact's
interaction the moment it is given, anonymous or not, for the team to read
(:func:`recent_feedback`); a complaint is not feedback: a person takes it.

Due times are computed in the customer's own time zone (``Account.timezone``)
and stored in UTC: a survey call lands on a weekday at 10:00 there, a
callback within business hours.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import ActivityNotFound, InvalidRequest, InvalidStatusChange, OrderNotFound
from ..models import Account, Activity, ActivityKind, ActivityStatus, Interaction
from ..text import normalize
from ..uow import UnitOfWork
from .accounts import get_account
from .conversation import ensure_interaction, get_interaction
from .dates import is_weekend, next_working_day, now_or

SURVEY_DAYS_AFTER_DELIVERY = 7
SURVEY_TIME = dt.time(10, 0)
CALLBACK_DELAY = dt.timedelta(hours=1)
BUSINESS_HOURS = (dt.time(9, 0), dt.time(18, 0))
DEFAULT_TIMEZONE = "Europe/Paris"
PRAISE, SUGGESTION, COMMENT = "praise", "suggestion", "comment"
FEEDBACK_LIMIT = 2000  # characters of one feedback kept
# Words that make feedback a suggestion (something to improve) or praise; a suggestion wins.
_SUGGESTION_WORDS = re.compile(
    r"\b(confus\w*|complicated|hard|difficult|slow|could|should|would be|improve\w*|better if"
    r"|suggest\w*|wish|missing|lacks?|annoying|not (easy|clear|great|good)|took (me )?ages"
    r"|too (long|small|many|much)|unclear|bugg?y)\b"
)
_PRAISE_WORDS = re.compile(
    r"\b(great|good|well done|thanks?|thank you|thx|excellent|fast|quick|friendly|nice|love\w*"
    r"|happy|pleased|perfect|amazing|brilliant|praise|kind|helpful|early|super)\b"
)


def create_activity(
    uow: UnitOfWork,
    *,
    account_id: int,
    kind: ActivityKind | str,
    subject: str,
    due_at: dt.datetime | None = None,
    owner: str = "ic-team",
    order_id: int | None = None,
    interaction_id: int | None = None,
    now: dt.datetime | None = None,
) -> Activity:
    """Create an open follow-up for the account, due now unless ``due_at`` says when.

    Raises:
        AccountNotFound: no account has that id.
        OrderNotFound: no order of this account has ``order_id``.
        InteractionNotFound: no interaction has ``interaction_id``.
        InvalidRequest: an unknown kind, an empty subject or owner, or a naive ``due_at``.
    """
    account = get_account(uow, account_id=account_id)
    try:
        kind = ActivityKind(kind)
    except ValueError:
        raise InvalidRequest(f"unknown activity kind {kind!r}") from None
    if due_at is not None and due_at.utcoffset() is None:
        raise InvalidRequest("due_at must carry its time zone")
    if not subject.strip() or not owner.strip():
        raise InvalidRequest("an activity needs a subject and an owner")
    if order_id is not None:
        order = uow.orders.get(order_id)
        if order is None or order.account_id != account.id:
            raise OrderNotFound(key=order_id)
    if interaction_id is not None:
        get_interaction(uow, interaction_id=interaction_id)
    activity = Activity(
        account=account,
        kind=kind,
        subject=subject.strip(),
        due_at=(due_at or now_or(now)).astimezone(dt.UTC),
        owner=owner.strip(),
        status=ActivityStatus.OPEN,
        order_id=order_id,
        interaction_id=interaction_id,
        created_at=now_or(now),
    )
    uow.activities.add(activity)
    uow.flush()
    return activity


def schedule_satisfaction_survey(
    uow: UnitOfWork, *, account_id: int, order_id: int, now: dt.datetime | None = None
) -> Activity:
    """Plan the satisfaction-survey call for an order, once.

    It is due at 10:00 (the customer's time) seven days after the promised
    delivery date, moved to the Monday when that is a weekend, and to the
    next working day when that moment has already passed. An open survey
    call for the order is returned as it is.

    Raises:
        AccountNotFound: no account has that id.
        OrderNotFound: no order of this account has that id.
    """
    now = now_or(now)
    account = get_account(uow, account_id=account_id)
    order = uow.orders.get(order_id)
    if order is None or order.account_id != account.id:
        raise OrderNotFound(key=order_id)
    planned = uow.activities.list_by(
        order_id=order_id, kind=ActivityKind.SURVEY_CALL, status=ActivityStatus.OPEN
    )
    if planned:
        return planned[0]
    zone = _zone(account)
    day = next_working_day(
        order.promised_delivery_date + dt.timedelta(days=SURVEY_DAYS_AFTER_DELIVERY)
    )
    due = dt.datetime.combine(day, SURVEY_TIME, tzinfo=zone)
    if due <= now:
        tomorrow = now.astimezone(zone).date() + dt.timedelta(days=1)
        due = dt.datetime.combine(next_working_day(tomorrow), SURVEY_TIME, tzinfo=zone)
    return create_activity(
        uow,
        account_id=account.id,
        kind=ActivityKind.SURVEY_CALL,
        subject=f"Satisfaction survey call for order {order.number}",
        due_at=due,
        order_id=order.id,
        now=now,
    )


def schedule_callback(
    uow: UnitOfWork,
    *,
    account_id: int,
    reason: str,
    now: dt.datetime | None = None,
    interaction_id: int | None = None,
) -> Activity:
    """Plan a call back to the customer, an hour from now or at the next opening.

    Business hours are 9:00 to 18:00, Monday to Friday, in the customer's time zone.

    Raises:
        AccountNotFound: no account has that id.
        InteractionNotFound: no interaction has ``interaction_id``.
        InvalidRequest: the reason is empty.
    """
    now = now_or(now)
    account = get_account(uow, account_id=account_id)
    if not reason.strip():
        raise InvalidRequest("a callback needs a reason")
    return create_activity(
        uow,
        account_id=account.id,
        kind=ActivityKind.CALLBACK,
        subject=f"Call back: {reason.strip()}",
        due_at=_within_business_hours((now + CALLBACK_DELAY).astimezone(_zone(account))),
        interaction_id=interaction_id,
        now=now,
    )


def activities_for(
    uow: UnitOfWork, *, account_id: int, status: ActivityStatus | None = None
) -> list[Activity]:
    """The account's activities (of one status when given), soonest due first."""
    found = uow.activities.list_by(account_id=account_id)
    chosen = [a for a in found if status is None or a.status == status]
    return sorted(chosen, key=lambda a: (a.due_at, a.id))


def complete_activity(uow: UnitOfWork, *, activity_id: int) -> Activity:
    """Mark an open activity done.

    Raises:
        ActivityNotFound: no activity has that id.
        InvalidStatusChange: the activity is not open.
    """
    activity = uow.activities.get(activity_id)
    if activity is None:
        raise ActivityNotFound(key=activity_id)
    if activity.status != ActivityStatus.OPEN:
        raise InvalidStatusChange(
            entity="activity", current=str(activity.status), requested=ActivityStatus.DONE
        )
    activity.status = ActivityStatus.DONE
    uow.flush()
    return activity


def _within_business_hours(moment: dt.datetime) -> dt.datetime:
    opens, closes = BUSINESS_HOURS
    if not is_weekend(moment.date()) and opens <= moment.time() < closes:
        return moment
    day = moment.date() if moment.time() < opens else moment.date() + dt.timedelta(days=1)
    return dt.datetime.combine(next_working_day(day), opens, tzinfo=moment.tzinfo)


def _zone(account: Account) -> ZoneInfo:
    try:
        return ZoneInfo(account.timezone or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def feedback_kind(words: str) -> str:
    """Praise, a suggestion (something to improve) or a comment, from the words used."""
    text = normalize(words)
    if _SUGGESTION_WORDS.search(text):
        return SUGGESTION
    return PRAISE if _PRAISE_WORDS.search(text) else COMMENT


def record_feedback(
    uow: UnitOfWork,
    *,
    conversation_id: str,
    channel: str,
    words: str,
    account_id: int | None = None,
    now: dt.datetime | None = None,
) -> Interaction:
    """Keep feedback on the conversation's interaction now, in the customer's words.

    The interaction is the conversation's open one (started if none): its
    channel, and its account once the customer is known; without one the
    feedback stays anonymous. A second feedback in the same contact is added
    to the first; the kind is the latest one's.

    Raises:
        InvalidRequest: the words are empty.
        AccountNotFound: ``account_id`` is given and unknown.
    """
    said = " ".join(words.split())[:FEEDBACK_LIMIT]
    if not said:
        raise InvalidRequest("feedback needs some words")
    if account_id is not None:
        get_account(uow, account_id=account_id)
    interaction = ensure_interaction(
        uow, channel=channel, conversation_id=conversation_id, account_id=account_id, now=now
    )
    earlier = interaction.feedback
    if earlier != said and not (earlier or "").endswith(f" / {said}"):
        interaction.feedback = f"{earlier} / {said}" if earlier else said
    interaction.feedback_kind = feedback_kind(said)
    uow.flush()
    return interaction


def recent_feedback(uow: UnitOfWork, *, limit: int = 100) -> list[Interaction]:
    """The latest contacts that left feedback, newest first, anonymous ones included."""
    return list(uow.interactions.with_feedback(limit=limit))
