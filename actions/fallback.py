"""Conversation repair: "did you mean ...?", leaving a form cleanly, a call back by an adviser.

A message the bot does not understand gets a "did you mean?" with buttons
for the likeliest intents; the second in a row gets the offer of an adviser
instead. Until agents can take conversations over, accepting it creates a
"call back" activity for the customer's account (or for a prospect account
named after the number given) and the bot says so.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from crm_backend.errors import InvalidContactData
from crm_backend.services import accounts, activities, interactions
from crm_backend.text import normalize_phone

from . import runtime
from .leads import prospect_account
from .session import DEFAULT_CHANNEL, session_metadata

SUGGESTIONS = 3
# Offered when the likely intents are fewer than three.
DEFAULT_SUGGESTIONS = ("help", "request_human", "ask_product_info")
NOT_SUGGESTED = frozenset({"nlu_fallback", "out_of_scope", "affirm", "deny"})
# Slots an identification attempt fills besides the form's own.
IDENTIFICATION_SLOTS = ("verification_kind", "identified_by", "account_candidate_id")
CALLER_SLOTS = ("candidate_name",)


def misunderstood_before(tracker: Tracker) -> bool:
    """Whether the customer's message before the latest one was not understood either."""
    seen_latest = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_latest:
                return False  # back at the message before: it was understood
            seen_latest = True
        elif (
            seen_latest and event.get("event") == "action" and event.get("name") == "action_clarify"
        ):
            return True
    return False


def likely_intents(tracker: Tracker, labels: dict[str, str]) -> list[str]:
    """The three likeliest intents that have a label, filled up with the defaults."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    ranked = [
        str(r.get("name"))
        for r in sorted(ranking, key=lambda r: -float(r.get("confidence") or 0))
        if r.get("name") in labels and r.get("name") not in NOT_SUGGESTED
    ]
    chosen = list(dict.fromkeys([*ranked, *(d for d in DEFAULT_SUGGESTIONS if d in labels)]))
    return chosen[:SUGGESTIONS]


class ActionClarify(Action):  # type: ignore[misc]  # rasa_sdk ships no types
    """Ask to rephrase with the likeliest intents, or note the second misunderstanding in a row.

    Sets ``suggestion_<n>`` (an intent) and ``suggestion_<n>_title`` (its
    label from ``intent_labels``) for n = 1..3, and ``misunderstood_twice``.
    """

    def name(self) -> str:
        return "action_clarify"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        labels = tracker.get_slot("intent_labels") or {}
        events: list[EventType] = []
        for n, intent in enumerate(likely_intents(tracker, labels), start=1):
            events += [
                SlotSet(f"suggestion_{n}", intent),
                SlotSet(f"suggestion_{n}_title", labels[intent]),
            ]
        return [*events, SlotSet("misunderstood_twice", misunderstood_before(tracker))]


def form_left(tracker: Tracker) -> str | None:
    """The form that was active when the customer spoke last, if any."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_user = True
        elif seen_user and event.get("event") == "active_loop":
            name = event.get("name")
            return str(name) if name else None
    return None


class ActionCancelForm(Action):  # type: ignore[misc]  # rasa_sdk ships no types
    """After a form was left ("cancel", "no", an adviser asked for): forget what it collected.

    Empties the left form's slots, ``requested_slot``, ``form_notice`` and
    ``pending_task``; for the identification also its attempt (a trusted
    caller's candidate stays; the count of failed checks stays too, so
    leaving is no way around the limit).
    """

    def name(self) -> str:
        return "action_cancel_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        form = form_left(tracker)
        slots: list[str] = []
        if form is not None:
            slots += list(domain.get("forms", {}).get(form, {}).get("required_slots", []))
        if form == "identify_form":
            slots += list(IDENTIFICATION_SLOTS)
            if tracker.get_slot("identified_by") != "caller_phone":
                slots += list(CALLER_SLOTS)
            else:
                slots = [s for s in slots if s not in ("identified_by", "account_candidate_id")]
        slots += ["requested_slot", "form_notice", "pending_task"]
        return [SlotSet(slot, None) for slot in dict.fromkeys(slots)]


def caller_phone(tracker: Tracker) -> str | None:
    """The trusted caller number of the conversation, if the gateway gave one."""
    phone = session_metadata(tracker).get("caller_phone")
    return str(phone) if phone else None


def _phone_on_file(account_id: Any) -> str | None:
    if not account_id:
        return None
    with runtime.unit_of_work() as uow:
        return accounts.get_account(uow, account_id=int(account_id)).primary_phone


class ValidateCallbackForm(runtime.CrmFormValidationAction):
    """Validate callback_form: the number to call, asked only when none is known."""

    def name(self) -> str:
        return "validate_callback_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Nothing to ask when the caller's number or the verified account's phone is known."""
        # Validators run in a worker thread (runtime.CrmFormValidationAction): blocking is fine.
        if tracker.get_slot("callback_phone") is None and (
            caller_phone(tracker) or _phone_on_file(tracker.get_slot("account_id"))
        ):
            return []
        return list(domain_slots)

    def validate_callback_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A phone number, kept in E.164 form."""
        if value is None:
            return {"callback_phone": None}
        try:
            return {"callback_phone": normalize_phone(str(value))}
        except InvalidContactData:
            return {"callback_phone": None, "form_notice": "invalid_phone"}


class ActionRequestCallback(runtime.CrmAction):
    """Create the "call back" activity an adviser will work, and say at which number.

    Reads ``callback_phone`` (else the caller's number, else the verified
    account's phone) and ``account_id``. Sets ``callback_phone`` and
    ``result: callback_created``.
    """

    def name(self) -> str:
        return "action_request_callback"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        account_id = tracker.get_slot("account_id")
        channel = str(tracker.get_slot("channel") or DEFAULT_CHANNEL)
        given = tracker.get_slot("callback_phone") or caller_phone(tracker)
        with runtime.unit_of_work() as uow:
            if account_id:
                owner = int(account_id)
                phone = given or accounts.get_account(uow, account_id=owner).primary_phone
            elif given:
                owner, phone = prospect_account(uow, str(given)), given
            else:
                return [SlotSet("result", runtime.TECHNICAL_PROBLEM)]
            interaction = interactions.ensure_interaction(
                uow, channel=channel, conversation_id=tracker.sender_id, now=runtime.now()
            )
            verified = "" if account_id else ", identity not verified"
            activities.schedule_callback(
                uow,
                account_id=owner,
                reason=f"asked for an adviser by {channel}; call {phone}{verified}",
                interaction_id=interaction.id,
                now=runtime.now(),
            )
            uow.commit()
        return [SlotSet("callback_phone", phone), SlotSet("result", "callback_created")]
