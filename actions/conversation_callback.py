"""A call back, when nobody can take the conversation over now: ``callback_form``.

``action_handoff`` (:mod:`actions.handoff`) offers it when the desk is closed
or the topic is one an adviser calls back about; on "yes", ``callback_form``
asks the number to call unless one is known (the trusted caller number, or
the verified account's phone), and ``action_request_callback`` creates the
"call back" activity an adviser will work, and the bot says at which number.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from crm_backend.errors import InvalidContactData
from crm_backend.services import accounts, conversation, follow_up
from crm_backend.text import normalize_phone

from . import runtime
from .leads import prospect_account
from .messages import caller_phone, channel, language
from .wording import phone as said_phone


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

    Reads ``callback_phone`` (else the trusted caller number, else the
    verified account's phone) and ``account_id``; without a verified account
    the activity goes on the one account holding that number, or on a new
    prospect account named after it. Sets ``callback_phone`` and
    ``result: callback_created``.
    """

    def name(self) -> str:
        return "action_request_callback"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        account_id = tracker.get_slot("account_id")
        given = tracker.get_slot("callback_phone") or caller_phone(tracker)
        with runtime.unit_of_work() as uow:
            if account_id:
                owner = int(account_id)
                phone = given or accounts.get_account(uow, account_id=owner).primary_phone
            elif given:
                owner, phone = prospect_account(uow, str(given)), str(given)
            else:
                return [SlotSet("result", runtime.TECHNICAL_PROBLEM)]
            interaction = conversation.ensure_interaction(
                uow, channel=channel(tracker), conversation_id=tracker.sender_id, now=runtime.now()
            )
            follow_up.schedule_callback(
                uow,
                account_id=owner,
                reason=_reason(tracker, phone, verified=bool(account_id)),
                interaction_id=interaction.id,
                now=runtime.now(),
            )
            uow.commit()
        return [
            SlotSet("callback_phone", phone),
            SlotSet(
                "callback_phone_said",
                said_phone(str(phone), channel=channel(tracker), language=language(tracker)),
            ),
            SlotSet("result", "callback_created"),
        ]


def _reason(tracker: Tracker, phone: str | None, *, verified: bool) -> str:
    why = (
        "the bot misunderstood twice"
        if tracker.get_slot("misunderstood_twice")
        else "asked for an adviser"
    )
    unverified = "" if verified else ", identity not verified"
    return f"{why} ({channel(tracker)}); call {phone}{unverified}"
