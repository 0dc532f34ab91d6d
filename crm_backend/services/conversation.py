"""A conversation's record, the Interaction: one per contact, from its start to its outcome.

A conversation on any door (chat, SMS, phone) has at most one open
interaction; it learns the account once the customer's identity is
confirmed, and collects the quote, order and lead the contact produced.
"""

from __future__ import annotations

import datetime as dt

from ..errors import (
    InteractionNotFound,
    InvalidRequest,
    InvalidStatusChange,
    LeadNotFound,
    OrderNotFound,
    QuoteNotFound,
)
from ..models import Interaction
from ..uow import UnitOfWork
from .accounts import get_account
from .dates import now_or

DIRECTIONS = frozenset({"inbound", "outbound"})
# How a call ended (the phone network's final statuses) → the outcome of an
# interaction the conversation left open.
CALL_END_OUTCOMES = {
    "completed": "call_ended",
    "busy": "busy",
    "no-answer": "no_answer",
    "failed": "call_failed",
    "canceled": "call_canceled",
}


def start_interaction(
    uow: UnitOfWork,
    *,
    channel: str,
    conversation_id: str,
    direction: str = "inbound",
    account_id: int | None = None,
    campaign_id: int | None = None,
    now: dt.datetime | None = None,
    stir_verstat: str | None = None,
) -> Interaction:
    """Open a new interaction for a conversation.

    An account given here is known but not confirmed: only
    :func:`confirm_identity` confirms it. ``stir_verstat`` is Twilio's
    STIR/SHAKEN verdict on a call's caller number, kept for the record.

    Raises:
        AccountNotFound: no account has ``account_id``.
        InvalidRequest: an empty channel or conversation, or an unknown direction.
    """
    channel, conversation_id = channel.strip().lower(), conversation_id.strip()
    if not channel or not conversation_id:
        raise InvalidRequest("an interaction needs a channel and a conversation id")
    if direction not in DIRECTIONS:
        raise InvalidRequest(f"direction is inbound or outbound, not {direction!r}")
    account = get_account(uow, account_id=account_id) if account_id is not None else None
    interaction = Interaction(
        channel=channel,
        conversation_id=conversation_id,
        direction=direction,
        account=account,
        identity_confirmed=False,
        campaign_id=campaign_id,
        started_at=now_or(now),
        stir_verstat=stir_verstat,
    )
    uow.interactions.add(interaction)
    uow.flush()
    return interaction


def get_interaction(uow: UnitOfWork, *, interaction_id: int) -> Interaction:
    """The interaction with that id.

    Raises:
        InteractionNotFound: there is none.
    """
    interaction = uow.interactions.get(interaction_id)
    if interaction is None:
        raise InteractionNotFound(key=interaction_id)
    return interaction


def open_interaction_for(uow: UnitOfWork, *, conversation_id: str) -> Interaction | None:
    """The conversation's latest interaction that has not ended, or None."""
    found = uow.interactions.list_by(conversation_id=conversation_id.strip())
    return next((i for i in found if i.ended_at is None), None)


def ensure_interaction(
    uow: UnitOfWork,
    *,
    channel: str,
    conversation_id: str,
    direction: str = "inbound",
    account_id: int | None = None,
    campaign_id: int | None = None,
    now: dt.datetime | None = None,
    stir_verstat: str | None = None,
) -> Interaction:
    """The conversation's open interaction, started now if there is none.

    A ``stir_verstat`` given is recorded on an open interaction that has none
    yet (the dialer opens an outbound call's interaction before it is answered).
    """
    current = open_interaction_for(uow, conversation_id=conversation_id)
    if current is not None:
        if stir_verstat and current.stir_verstat is None:
            current.stir_verstat = stir_verstat
            uow.flush()
        return current
    return start_interaction(
        uow,
        channel=channel,
        conversation_id=conversation_id,
        direction=direction,
        account_id=account_id,
        campaign_id=campaign_id,
        now=now,
        stir_verstat=stir_verstat,
    )


def confirm_identity(uow: UnitOfWork, *, interaction_id: int, account_id: int) -> Interaction:
    """Record that the person in this contact confirmed they are the account's customer.

    Raises:
        InteractionNotFound: no interaction has that id.
        AccountNotFound: no account has that id.
        InvalidStatusChange: the interaction has ended.
    """
    interaction = _open(uow, interaction_id, change="confirmed")
    interaction.account = get_account(uow, account_id=account_id)
    interaction.identity_confirmed = True
    uow.flush()
    return interaction


def link_interaction(
    uow: UnitOfWork,
    *,
    interaction_id: int,
    quote_id: int | None = None,
    order_id: int | None = None,
    lead_id: int | None = None,
) -> Interaction:
    """Link the quote, order or lead the contact produced; links not given stay as they are.

    Raises:
        InteractionNotFound, QuoteNotFound, OrderNotFound, LeadNotFound: a reference is unknown.
    """
    interaction = get_interaction(uow, interaction_id=interaction_id)
    if quote_id is not None:
        if uow.quotes.get(quote_id) is None:
            raise QuoteNotFound(key=quote_id)
        interaction.quote_id = quote_id
    if order_id is not None:
        if uow.orders.get(order_id) is None:
            raise OrderNotFound(key=order_id)
        interaction.order_id = order_id
    if lead_id is not None:
        if uow.leads.get(lead_id) is None:
            raise LeadNotFound(key=lead_id)
        interaction.lead_id = lead_id
    uow.flush()
    return interaction


def end_interaction(
    uow: UnitOfWork,
    *,
    interaction_id: int,
    outcome: str,
    summary: str | None = None,
    ended_at: dt.datetime | None = None,
) -> Interaction:
    """Close the interaction with its outcome ("order_placed", "no_answer", ...) and a summary.

    Raises:
        InteractionNotFound: no interaction has that id.
        InvalidStatusChange: it has ended already.
        InvalidRequest: an empty outcome, or an end before the start.
    """
    interaction = _open(uow, interaction_id, change="ended")
    if not outcome.strip():
        raise InvalidRequest("an interaction ends with an outcome")
    ended_at = now_or(ended_at)
    if ended_at < interaction.started_at:
        raise InvalidRequest("an interaction cannot end before it started")
    interaction.outcome = outcome.strip()
    interaction.summary = summary.strip() if summary and summary.strip() else None
    interaction.ended_at = ended_at
    uow.flush()
    return interaction


def end_call(
    uow: UnitOfWork,
    *,
    conversation_id: str,
    status: str,
    duration_seconds: int,
    channel: str = "voice",
    direction: str = "inbound",
    now: dt.datetime | None = None,
) -> Interaction:
    """Record how a call ended on the conversation's latest interaction.

    The interaction gets the call's duration. One the bot closed (the caller
    said goodbye) keeps its outcome; one still open ends now, its outcome the
    call's ``status`` (see :data:`CALL_END_OUTCOMES`). A call that never
    reached the bot (busy, no answer, the bot down) gets an interaction of
    its own, so every call is on record. Recording the same end twice changes nothing.

    Args:
        status: ``completed``, ``busy``, ``no-answer``, ``failed`` or ``canceled``.
        duration_seconds: how long the call lasted (0 when never answered).

    Raises:
        InvalidRequest: an unknown status, a negative duration, an empty conversation id.
    """
    outcome = CALL_END_OUTCOMES.get(status.strip().lower())
    if outcome is None:
        raise InvalidRequest(f"a call ends {', '.join(CALL_END_OUTCOMES)}, not {status!r}")
    if duration_seconds < 0:
        raise InvalidRequest(f"a call cannot last {duration_seconds} seconds")
    ended_at = now_or(now)
    found = uow.interactions.list_by(conversation_id=conversation_id.strip(), limit=1)
    if found:
        interaction = found[0]
    else:
        interaction = start_interaction(
            uow,
            channel=channel,
            conversation_id=conversation_id,
            direction=direction,
            now=ended_at - dt.timedelta(seconds=duration_seconds),
        )
    interaction.duration_seconds = duration_seconds
    if interaction.ended_at is None:
        interaction.outcome = outcome
        interaction.ended_at = max(ended_at, interaction.started_at)
    uow.flush()
    return interaction


def interactions_for(uow: UnitOfWork, *, account_id: int) -> list[Interaction]:
    """The account's interactions, newest first."""
    return list(uow.interactions.list_by(account_id=account_id))


def _open(uow: UnitOfWork, interaction_id: int, *, change: str) -> Interaction:
    interaction = get_interaction(uow, interaction_id=interaction_id)
    if interaction.ended_at is not None:
        raise InvalidStatusChange(entity="interaction", current="ended", requested=change)
    return interaction
