"""Identify the account (PROCESSES.md 1.1), or open one with the customer.

The identification never tells a stranger anything. The customer gives a key
(e-mail, phone, customer number, or a name with its postcode); whether or not
it matches an account, the bot then asks one more fact: the postcode after an
e-mail, phone or customer number, the e-mail or phone on file after a name.
Only when that fact checks out does the bot say the account's name ("Am I
speaking with Pierre Moreau?"), and only on "yes" is ``account_id`` set.
A trusted caller number (see :mod:`actions.conversation`) only stands for the
key: it picks the candidate, the postcode still confirms it, since a number
can be spoofed or recycled. Two failed checks end the identification for the
conversation (``action_give_account_context`` then sets ``identity_status:
failed``). Every failed check against a candidate is also counted on its
account in the CRM, which refuses any answer after five in an hour; the
customer hears the same words either way.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from crm_backend.errors import AccountNotFound, InvalidContactData
from crm_backend.models import Account
from crm_backend.services import accounts, interactions
from crm_backend.services.identity import customer_number_key
from crm_backend.text import normalize, normalize_email, normalize_phone

from . import runtime
from .messages import caller_phone, channel
from .wording import reference

MAX_ATTEMPTS = 2
VERIFIED = "verified"
FORM_NOTICE = "form_notice"

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
# `caller`: the postcode, asked of a caller whose trusted number picked the candidate.
FACTS_ASKED = {
    "postcode": frozenset({"postcode"}),
    "contact": frozenset({"email", "phone"}),
    "caller": frozenset({"postcode"}),
}


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


def _trusted_caller(tracker: Tracker) -> bool:
    # Set only by action_session_start, from a caller number the gateway trusted.
    return tracker.get_slot("identified_by") == "caller_phone" and bool(
        tracker.get_slot("account_candidate_id")
    )


def _checked_name(tracker: Tracker, account_id: int, answer: str | None) -> str | None:
    """The account's name if ``answer`` checks out (None: not a fact of the kind asked)."""
    try:
        with runtime.unit_of_work() as uow:
            account = accounts.check_identity(
                uow,
                account_id=account_id,
                answer=answer,
                channel=channel(tracker),
                now=runtime.now(),
            )
            name = account.name if account is not None else None
            uow.commit()  # the failure is counted whatever the conversation does next
    except AccountNotFound:
        return None  # erased since the key picked it: like a key of no account
    return name


def normalized_key(text: str) -> tuple[str, str | None]:
    """The key in the CRM's form (E.164, lower-case e-mail, C-100001) and its kind."""
    value = " ".join(text.split())
    kind = key_kind(value)
    if kind == "email":
        return normalize_email(value), kind
    if kind == "phone":
        return normalize_phone(value), kind
    if kind == "customer_number":
        return customer_number_key(value), kind
    if kind == "name" and len(value.split()) < _NAME_WORDS:
        return value, None  # a first and a last name
    return value, kind


class ValidateIdentifyForm(runtime.CrmFormValidationAction):
    """Validate identify_form: key, (postcode for a name), the second fact, the confirmation."""

    def name(self) -> str:
        return "validate_identify_form"

    start_afresh = False  # the key may come before the form, or from a trusted caller number

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """The second fact and the confirmation for a trusted caller; the postcode only for a
        name; none at the end of the attempts (the form ends, the context action reports the
        failure)."""
        if _attempts(tracker) >= MAX_ATTEMPTS:
            return []
        if _trusted_caller(tracker):
            return ["verification_answer", "identity_confirmed"]
        if tracker.get_slot("identified_by") == "name":
            return list(domain_slots)
        return [s for s in domain_slots if s != "lookup_postcode"]

    def validate_identity_key(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Find the account the key points to; ask the same next question whether found or not."""
        if value is None:
            return {"identity_key": None}
        if _trusted_caller(tracker):
            return {"identity_key": value}  # the caller number set at the session's start
        key, kind = normalized_key(str(value))
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
        """Check the second fact; only then is the account's name known to the conversation.

        The fact itself is not kept: the slot says ``verified``. A key that
        matched no account fails here like a wrong answer, and counts nothing.
        """
        if value is None:
            return {"verification_answer": None}
        answer = str(value).strip()
        asked = FACTS_ASKED.get(str(tracker.get_slot("verification_kind")), frozenset())
        candidate_id = tracker.get_slot("account_candidate_id")
        name = None
        if candidate_id:
            name = _checked_name(
                tracker, int(candidate_id), answer if fact_kind(answer) in asked else None
            )
        if name is None:
            return self._failed_attempt(tracker)
        return {"verification_answer": VERIFIED, "candidate_name": name}

    def validate_identity_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """On "yes" the candidate becomes the conversation's account; on "no" start again."""
        if value is None:
            return {"identity_confirmed": None}
        candidate_id = tracker.get_slot("account_candidate_id")
        checked = tracker.get_slot("verification_answer") == VERIFIED
        if value is True and candidate_id and checked:
            with runtime.unit_of_work() as uow:
                account = accounts.get_account(uow, account_id=int(candidate_id))
                number = account.customer_number
            return {
                "identity_confirmed": True,
                "account_id": str(candidate_id),
                "customer_name": tracker.get_slot("candidate_name"),
                "customer_number": number,
            }
        # "No": not counted as a failed check; a trusted caller goes the normal way now.
        return {**dict.fromkeys(ATTEMPT_SLOTS), FORM_NOTICE: "not_you"}

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
    """Open an account with the new customer's name, e-mail, postcode (and trusted number).

    The customer is verified from then on. An e-mail already on another
    account is not refused (that would reveal the account): the new account
    is opened and flagged, on its record, as a possible duplicate for an agent.
    Sets ``account_id``, ``customer_name``, ``customer_number``,
    ``identity_status``, ``result`` (``account_created`` or
    ``account_not_created``); empties the form's slots for its next run.
    """

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
        reset = [SlotSet(slot, None) for slot in ("new_name", "new_email", "new_postcode")]
        if not (name and email and postcode):
            return [*reset, SlotSet("result", "account_not_created")]
        first, last = _name_parts(str(name))
        try:
            with runtime.unit_of_work() as uow:
                others = accounts.find_accounts(uow, email=str(email))
                account = accounts.create_account(
                    uow,
                    first_name=first,
                    last_name=last,
                    email=str(email),
                    phone=caller_phone(tracker),
                    postcode=str(postcode),
                )
                if others:
                    accounts.record_script_answer(
                        uow,
                        account_id=account.id,
                        script="new account",
                        question="possible duplicate of",
                        answer=", ".join(a.customer_number for a in others),
                        now=runtime.now(),
                    )
                interaction = interactions.ensure_interaction(
                    uow,
                    channel=channel(tracker),
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
                    SlotSet(
                        "customer_number_said",
                        reference(account.customer_number, channel=channel(tracker)),
                    ),
                ]
                uow.commit()
        except InvalidContactData:
            return [*reset, SlotSet("result", "account_not_created")]
        return [
            *created,
            SlotSet("identity_status", "verified"),
            *reset,
            SlotSet("result", "account_created"),
        ]
