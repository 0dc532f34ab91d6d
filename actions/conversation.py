"""The conversation itself: its start, leaving a form, the end.

- ``action_session_start``: the channel, the interaction record (with
  Twilio's STIR/SHAKEN verdict on a call), and a trusted caller number's
  account as the candidate that the postcode must still confirm. The gateway
  passes ``{"channel": ..., "caller_phone": ..., "stir_verstat": ...}`` as
  metadata, the number only when it trusts it (integration token or signed
  Twilio webhook).
- ``action_cancel_form``: what a form collected is forgotten when it is left.
- ``action_close_interaction``: the interaction record ends with its outcome,
  and says whether the satisfaction question follows (``satisfaction_due``).

"Did you mean ...?" is in :mod:`actions.conversation_clarify`; the call
back when nobody can take the conversation over is in
:mod:`actions.conversation_callback`; the satisfaction question is in
:mod:`actions.conversation_satisfaction`; the form questions (``action_ask_<slot>``)
are in :mod:`actions.questions`.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from crm_backend.models import Interaction
from crm_backend.services import accounts, conversation
from crm_backend.text import normalize_phone
from crm_backend.uow import UnitOfWork

from . import runtime
from .conversation_satisfaction import survey_due
from .marketing import contact_outcome, marketing_notes, outbound_call
from .marketing_script import SCRIPT_SLOTS
from .messages import (
    caller_phone,
    channel,
    channel_of,
    ran,
    said_with,
    session_metadata,
)

# The fact asked of a caller whose trusted number picked the candidate (FACTS_ASKED).
CALLER_CHECK = "caller"
# Interaction.stir_verstat holds 60 characters; Twilio's values are shorter.
STIR_VERSTAT_LENGTH = 60
SESSION_EXPIRED = "session_expired"
SATISFACTION_DUE = "satisfaction_due"
# What the forms collect (docs/dialogue.md, action_cancel_form).
FORM_INPUTS = (
    "quote_lines",
    "requested_date",
    "order_lines",
    "order_confirmed",
    "order_quote_number",
    "lead_product",
    "lead_timeframe",
    "lead_contact",
    "lead_name",
    "lead_company",
    "lead_need",
    "lead_quantity",
    "contact_field",
    "contact_value",
    "contact_confirmed",
    "contact_value_said",
    "new_name",
    "new_email",
    "new_postcode",
    "form_notice",
    *SCRIPT_SLOTS,
)
IDENTIFICATION_INPUTS = (
    "identity_key",
    "lookup_postcode",
    "verification_answer",
    "identity_confirmed",
    "identified_by",
    "verification_kind",
    "account_candidate_id",
    "candidate_name",
)


# --- the start -----------------------------------------------------------------------------


class ActionSessionStart(runtime.CrmAction):
    """Start a session: channel, interaction record, and the trusted caller's candidate account.

    Sets ``channel``; with a trusted caller number of exactly one account,
    ``caller_known``, ``identity_key`` (the number), ``identified_by:
    caller_phone``, ``verification_kind: caller`` and ``account_candidate_id``:
    the identification then asks the postcode, and only on a match "Am I
    speaking with ...?". Caller ID picks, never confirms: a number can be
    spoofed or recycled, so no name is said before the second factor. No
    match sets nothing. Twilio's ``StirVerstat`` goes on the interaction. For a call
    our dialer placed (outbound metadata, docs/outbound.md), the call's slots
    instead (:class:`actions.marketing.OutboundCall`). No slot carries over
    from an earlier session (the domain says so): a shared device must not
    keep somebody else's account.
    """

    def name(self) -> str:
        return "action_session_start"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        metadata = session_metadata(tracker)
        opened = channel_of(metadata)
        number = caller_phone(tracker)
        with runtime.unit_of_work() as uow:
            if _earlier_session(tracker):
                _close_expired(uow, tracker.sender_id)
            called = outbound_call(uow, metadata)
            conversation.ensure_interaction(
                uow,
                channel=opened,
                conversation_id=tracker.sender_id,
                now=runtime.now(),
                stir_verstat=_stir_verstat(metadata),
                **(called.interaction() if called else {}),
            )
            # An outbound call reached the number we dialled: the caller is not "known" by it.
            found = accounts.find_accounts(uow, phone=number) if number and not called else []
            # One account per number, or nobody: a shared number cannot say who calls.
            caller = str(found[0].id) if len(found) == 1 else None
            uow.commit()
        events = [SessionStarted(), SlotSet("channel", opened)]
        if called is not None:
            events += called.slots()
        if caller is not None and number is not None:
            events += [
                SlotSet("caller_known", True),
                SlotSet("identity_key", normalize_phone(number)),
                SlotSet("identified_by", "caller_phone"),
                SlotSet("verification_kind", CALLER_CHECK),
                SlotSet("account_candidate_id", caller),
            ]
        return [*events, ActionExecuted("action_listen")]

    def unavailable_events(self, tracker: Tracker, events: list[EventType]) -> list[EventType]:
        # The conversation starts anyway; the steps that need the CRM will say it is down.
        opened = channel_of(session_metadata(tracker))
        return [SessionStarted(), SlotSet("channel", opened), ActionExecuted("action_listen")]


def _stir_verstat(metadata: dict[str, Any]) -> str | None:
    # Set by the voice door from a signed Twilio request only; kept as a label, never trusted.
    value = metadata.get("stir_verstat")
    return str(value)[:STIR_VERSTAT_LENGTH] if isinstance(value, str) and value else None


def _earlier_session(tracker: Tracker) -> bool:
    # Rasa starts a new session of the same conversation after an idle hour.
    return any(event.get("event") == "session_started" for event in tracker.events)


def _close_expired(uow: UnitOfWork, conversation_id: str) -> None:
    """End the interaction an expired session left open: the new session is a new contact."""
    left_open = conversation.open_interaction_for(uow, conversation_id=conversation_id)
    if left_open is not None:
        conversation.end_interaction(
            uow,
            interaction_id=left_open.id,
            outcome=SESSION_EXPIRED,
            summary=f"{outcome(left_open)}; the customer left without saying goodbye",
            ended_at=max(runtime.now(), left_open.started_at),
        )


# --- leaving a form -----------------------------------------------------------------------


class ActionCancelForm(Action):  # type: ignore[misc]  # rasa_sdk ships no types
    """After a form was left ("cancel", "no", an adviser, a second misunderstanding): forget it.

    Empties what the forms collect and ``form_notice``; unless the customer
    is verified, the identification's attempt too. Never
    ``identify_attempts``: leaving is no way around the limit of checks.
    """

    def name(self) -> str:
        return "action_cancel_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        slots = list(FORM_INPUTS)
        if tracker.get_slot("identity_status") != "verified":
            slots += IDENTIFICATION_INPUTS
        return [SlotSet(slot, None) for slot in slots]


# --- the end ------------------------------------------------------------------------------


class ActionCloseInteraction(runtime.CrmAction):
    """End the conversation's interaction with its outcome and a summary.

    Sets ``result`` (``goodbye_after_order`` when an order was placed, else
    ``goodbye``) and ``satisfaction_due``: whether the satisfaction question
    is asked now (never twice: a second goodbye finds the interaction ended).
    """

    def name(self) -> str:
        return "action_close_interaction"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        with runtime.unit_of_work() as uow:
            interaction = conversation.open_interaction_for(uow, conversation_id=tracker.sender_id)
            if interaction is None and uow.interactions.list_by(conversation_id=tracker.sender_id):
                # Ended already (a second goodbye): nothing more to record or ask.
                return [SlotSet("result", "goodbye"), SlotSet(SATISFACTION_DUE, False)]
            if interaction is None:
                interaction = conversation.start_interaction(
                    uow,
                    channel=channel(tracker),
                    conversation_id=tracker.sender_id,
                    now=runtime.now(),
                )
            ordered = interaction.order_id is not None
            conversation.end_interaction(
                uow,
                interaction_id=interaction.id,
                outcome=contact_outcome(tracker) or outcome(interaction),
                summary=summary(uow, interaction, tracker),
                ended_at=max(runtime.now(), interaction.started_at),
            )
            due = survey_due(uow, interaction, tracker)
            uow.commit()
        return [
            SlotSet("result", "goodbye_after_order" if ordered else "goodbye"),
            SlotSet(SATISFACTION_DUE, due),
        ]

    def unavailable_events(self, tracker: Tracker, events: list[EventType]) -> list[EventType]:
        # Nothing recorded: no question whose answer could not be kept either.
        return [*events, SlotSet(SATISFACTION_DUE, False)]


def outcome(interaction: Interaction) -> str:
    """What the contact produced, most valuable first."""
    if interaction.order_id is not None:
        return "order_placed"
    if interaction.quote_id is not None:
        return "quote_created"
    if interaction.lead_id is not None:
        return "lead_created"
    return "identified" if interaction.identity_confirmed else "information"


def summary(uow: UnitOfWork, interaction: Interaction, tracker: Tracker) -> str:
    """One line for the agent who reads the record later."""
    parts = []
    if interaction.identity_confirmed and interaction.account is not None:
        parts.append(f"identified as {interaction.account.customer_number}")
    if interaction.quote_id is not None:
        quote = uow.quotes.get(interaction.quote_id)
        parts.append(f"quote {quote.number if quote else interaction.quote_id}")
    if interaction.order_id is not None:
        order = uow.orders.get(interaction.order_id)
        parts.append(f"order {order.number if order else interaction.order_id}")
    if interaction.lead_id is not None:
        parts.append(f"lead {interaction.lead_id}")
    if ran(tracker, "action_update_contact"):
        parts.append(f"{tracker.get_slot('updated_field') or 'contact'} updated")
    if ran(tracker, "action_request_callback"):
        parts.append("call back requested")
    parts += marketing_notes(tracker)
    feedback = said_with(tracker, "give_feedback") if ran(tracker, "action_record_feedback") else ""
    if feedback:
        parts.append(f'feedback: "{feedback}"')
    return "; ".join(parts) or "no request"
