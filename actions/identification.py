"""Identify the account (PROCESSES.md 1.1), or open one with the customer.

The identification never tells a stranger anything. The customer gives a key
(e-mail, phone, customer number, or a name with its postcode); whether or not
it matches an account, the bot then asks one more fact: the postcode after an
e-mail, phone or customer number, the e-mail or phone on file after a name.
Only when that fact checks out does the bot say the account's name ("Am I
speaking with Pierre Moreau?"), and only on "yes" is ``account_id`` set.
A trusted caller number (see :mod:`actions.session`) skips the key and the
fact: the caller only confirms the name. Two failed checks end the
identification for the conversation (``action_give_account_context`` then
sets ``identity_status: failed``).
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from crm_backend.errors import InvalidContactData
from crm_backend.models import Account
from crm_backend.services import accounts, interactions
from crm_backend.text import normalize, normalize_email, normalize_phone

from . import runtime
from .session import DEFAULT_CHANNEL

MAX_ATTEMPTS = 2
FORM_NOTICE = "form_notice"
REQUESTED_SLOT = "requested_slot"

_CUSTOMER_NUMBER = re.compile(r"^c[-\s]?\d{6}$", re.IGNORECASE)
_POSTCODE = re.compile(r"^\d{5}$")
_NAME = re.compile(r"^[^\W\d_]+(?:[ '\-][^\W\d_]+){0,4}$")
_PHONE_DIGITS = 8
_NAME_WORDS = 2  # a new account needs a first and a last name

# Every slot of an identification attempt: cleared when it fails or the person says "not me".
ATTEMPT_SLOTS = (
    "identity_key",
    "lookup_postcode",
    "verification_answer",
    "identity_confirmed",
    "verification_kind",
    "identified_by",
    "account_candidate_id",
    "candidate_name",
)


def key_kind(text: str) -> str | None:
    """What an identity key is: ``email``, ``phone``, ``customer_number``, ``name`` or None."""
    value = text.strip()
    if "@" in value:
        return "email" if _is_email(value) else None
    if _CUSTOMER_NUMBER.match(value):
        return "customer_number"
    if sum(c.isdigit() for c in value) >= _PHONE_DIGITS:
        return "phone" if _is_phone(value) else None
    if _NAME.match(value):
        return "name"
    return None


def fact_kind(text: str) -> str | None:
    """What a verification answer is: ``email``, ``phone``, ``postcode`` or None."""
    value = text.strip()
    kind = key_kind(value)
    if kind in ("email", "phone"):
        return kind
    if _POSTCODE.match(value.replace(" ", "")):
        return "postcode"
    return None


# The second fact must be of the kind asked, so it is never the fact the key already gave.
FACTS_ASKED = {"postcode": frozenset({"postcode"}), "contact": frozenset({"email", "phone"})}


def _is_email(value: str) -> bool:
    try:
        normalize_email(value)
    except InvalidContactData:
        return False
    return True


def _is_phone(value: str) -> bool:
    try:
        normalize_phone(value)
    except InvalidContactData:
        return False
    return True


def _one(found: list[Account]) -> str | None:
    # Two accounts behind one key cannot be told apart by a second fact: treat as unknown.
    return str(found[0].id) if len(found) == 1 else None


def _name_parts(name: str) -> tuple[str, str]:
    words = name.split()
    return " ".join(words[:-1]), words[-1]


def _candidate_by_name(name: str, postcode: str) -> str | None:
    first, last = _name_parts(name)
    with runtime.unit_of_work() as uow:
        found = accounts.find_accounts(uow, last_name=last, postcode=postcode)
        if first:
            found = [a for a in found if normalize(a.name) == normalize(name)]
        return _one(found)


def _candidate_by_key(kind: str, key: str) -> str | None:
    criteria = {kind: key}
    with runtime.unit_of_work() as uow:
        return _one(accounts.find_accounts(uow, **criteria))


def _postcode_in(tracker: Tracker) -> str | None:
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == "postcode" and entity.get("value"):
            return str(entity["value"])
    return None


def _attempts(tracker: Tracker) -> int:
    return int(tracker.get_slot("identify_attempts") or 0)


class ValidateIdentifyForm(runtime.CrmFormValidationAction):
    """Validate identify_form: key, (postcode for a name), the second fact, the confirmation."""

    def name(self) -> str:
        return "validate_identify_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Only the confirmation for a trusted caller; the postcode lookup only for a name."""
        if tracker.get_slot("identified_by") == "caller_phone" and tracker.get_slot(
            "account_candidate_id"
        ):
            return ["identity_confirmed"]
        if tracker.get_slot("verification_kind") == "contact":
            return list(domain_slots)
        return [s for s in domain_slots if s != "lookup_postcode"]

    async def next_requested_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> EventType | None:
        """None (the form ends) once the attempts are used up; else the first missing slot."""
        if _attempts(tracker) >= MAX_ATTEMPTS:
            return SlotSet(REQUESTED_SLOT, None)
        missing = [
            slot
            for slot in await self.required_slots(
                self.domain_slots(domain), dispatcher, tracker, domain
            )
            if tracker.get_slot(slot) is None
        ]
        return SlotSet(REQUESTED_SLOT, missing[0] if missing else None)

    def validate_identity_key(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Find the account the key points to; ask the same next question whether found or not."""
        if value is None:
            return {"identity_key": None}
        key = str(value or "").strip()
        kind = key_kind(key)
        if kind is None:
            return {"identity_key": None, FORM_NOTICE: "not_understood"}
        if kind == "name":
            slots: dict[str, Any] = {
                "identity_key": key,
                "identified_by": "name",
                "verification_kind": "contact",
                "account_candidate_id": None,
            }
            postcode = _postcode_in(tracker)
            if postcode and _POSTCODE.match(postcode):
                # "Pierre Moreau, 69002": the postcode came with the name.
                slots["lookup_postcode"] = postcode
                slots["account_candidate_id"] = _candidate_by_name(key, postcode)
            return slots
        return {
            "identity_key": key,
            "identified_by": kind,
            "verification_kind": "postcode",
            "account_candidate_id": _candidate_by_key(kind, key),
        }

    def validate_lookup_postcode(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Look the name up in that postcode."""
        if value is None:
            return {"lookup_postcode": None}
        postcode = str(value or "").replace(" ", "")
        if not _POSTCODE.match(postcode):
            return {"lookup_postcode": None, FORM_NOTICE: "invalid_postcode"}
        name = str(tracker.get_slot("identity_key") or "")
        return {
            "lookup_postcode": postcode,
            "account_candidate_id": _candidate_by_name(name, postcode),
        }

    def validate_verification_answer(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Check the second fact; only then is the account's name known to the conversation."""
        if value is None:
            return {"verification_answer": None}
        answer = str(value or "").strip()
        asked = FACTS_ASKED.get(str(tracker.get_slot("verification_kind")), frozenset())
        candidate_id = tracker.get_slot("account_candidate_id")
        name = None
        if candidate_id and fact_kind(answer) in asked:
            with runtime.unit_of_work() as uow:
                account = accounts.get_account(uow, account_id=int(candidate_id))
                if accounts.verify_identity(account, answer=answer):
                    name = account.name
        if name is None:
            return self._failed_attempt(tracker)
        return {"verification_answer": answer, "candidate_name": name}

    def validate_identity_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """On "yes" the candidate becomes the conversation's account; on "no" start again."""
        if value is None:
            return {"identity_confirmed": None}
        candidate_id = tracker.get_slot("account_candidate_id")
        if value is True and candidate_id:
            return {
                "identity_confirmed": True,
                "account_id": str(candidate_id),
                "customer_name": tracker.get_slot("candidate_name"),
            }
        cleared: dict[str, Any] = dict.fromkeys(ATTEMPT_SLOTS)
        return {**cleared, "caller_known": False, FORM_NOTICE: "not_you"}

    def _failed_attempt(self, tracker: Tracker) -> dict[str, Any]:
        attempts = _attempts(tracker) + 1
        cleared: dict[str, Any] = dict.fromkeys(ATTEMPT_SLOTS)
        return {**cleared, "identify_attempts": float(attempts), FORM_NOTICE: "verification_failed"}


class ValidateNewAccountForm(runtime.CrmFormValidationAction):
    """Validate new_account_form: a full name, an e-mail address, a postcode."""

    def name(self) -> str:
        return "validate_new_account_form"

    def validate_new_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A first and a last name."""
        if value is None:
            return {"new_name": None}
        name = " ".join(str(value or "").split())
        if key_kind(name) != "name" or len(name.split()) < _NAME_WORDS:
            return {"new_name": None, FORM_NOTICE: "not_understood"}
        return {"new_name": name}

    def validate_new_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """An e-mail address, kept as written (the CRM lower-cases it)."""
        if value is None:
            return {"new_email": None}
        email = str(value or "").strip()
        if not _is_email(email):
            return {"new_email": None, FORM_NOTICE: "invalid_email"}
        return {"new_email": email}

    def validate_new_postcode(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Five digits."""
        if value is None:
            return {"new_postcode": None}
        postcode = str(value or "").replace(" ", "")
        if not _POSTCODE.match(postcode):
            return {"new_postcode": None, FORM_NOTICE: "invalid_postcode"}
        return {"new_postcode": postcode}


class ActionCreateAccount(runtime.CrmAction):
    """Open an account with the new customer's name, e-mail and postcode; they are verified."""

    def name(self) -> str:
        return "action_create_account"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        name, email, postcode = (
            tracker.get_slot("new_name"),
            tracker.get_slot("new_email"),
            tracker.get_slot("new_postcode"),
        )
        if not (name and email and postcode):
            return [SlotSet("result", "account_not_created")]
        first, last = _name_parts(str(name))
        try:
            with runtime.unit_of_work() as uow:
                account = accounts.create_account(
                    uow, first_name=first, last_name=last, email=email, postcode=postcode
                )
                interaction = interactions.ensure_interaction(
                    uow,
                    channel=str(tracker.get_slot("channel") or DEFAULT_CHANNEL),
                    conversation_id=tracker.sender_id,
                    now=runtime.now(),
                )
                interactions.confirm_identity(
                    uow, interaction_id=interaction.id, account_id=account.id
                )
                created = [
                    SlotSet("account_id", str(account.id)),
                    SlotSet("customer_name", account.name),
                    SlotSet("customer_number", account.customer_number),
                ]
                uow.commit()
        except InvalidContactData:
            return [SlotSet("result", "account_not_created")]
        return [
            *created,
            SlotSet("identity_status", "verified"),
            SlotSet("result", "account_created"),
        ]
