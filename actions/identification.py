"""Identify the account (PROCESSES.md 1.1): ``validate_identify_form``.

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

A new account is opened in :mod:`actions.identification_new_account`; the
customer's context once identified is given by
:mod:`actions.identification_context`.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from crm_backend.errors import AccountNotFound, InvalidContactData
from crm_backend.models import Account
from crm_backend.services import accounts
from crm_backend.services.identification import customer_number_key
from crm_backend.text import normalize, normalize_email, normalize_phone

from . import runtime
from .identification_wish import KeepsTheWish
from .messages import channel

MAX_ATTEMPTS = 2
VERIFIED = "verified"
FORM_NOTICE = "form_notice"

_CUSTOMER_NUMBER = re.compile(r"^c[-\s]?\d{6}$", re.IGNORECASE)
POSTCODE = re.compile(r"^\d{5}$")
_NAME = re.compile(r"^[^\W\d_]+(?:[ '\-][^\W\d_]+){0,4}$")
_PHONE_DIGITS = 8
NAME_WORDS = 2  # a full name: a first and a last name
# How people introduce their name: "I'm Anna Roux" is Anna Roux, not Mr Roux, first name "I'm Anna".
_Q = "['\u2019]?"  # an apostrophe, straight or curly, or none
_INTRODUCTION = re.compile(
    r"^(?:(?:hi|hello|yes|ok|okay|sure)[,!.]?\s+)?"
    rf"(?:i{_Q}m|i am|my name is|my name{_Q}s|my full name is|name{_Q}s|name is|"
    rf"it{_Q}s|this is|call me)\s+",
    re.IGNORECASE,
)

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
        return "email" if is_email(value) else None
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
    if POSTCODE.match(value.replace(" ", "")):
        return "postcode"
    return None


# The second fact must be of the kind asked, so it is never the fact the key already gave.
# `caller`: the postcode, asked of a caller whose trusted number picked the candidate.
FACTS_ASKED = {
    "postcode": frozenset({"postcode"}),
    "contact": frozenset({"email", "phone"}),
    "caller": frozenset({"postcode"}),
}


def is_email(value: str) -> bool:
    """Whether the CRM takes ``value`` for an e-mail address."""
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


def without_introduction(text: str) -> str:
    """The name a customer gave, without "I'm" or "my name is" before it, spaces folded."""
    return " ".join(_INTRODUCTION.sub("", " ".join(text.split()), count=1).split())


# Lower-case words inside a name ("Charles de Gaulle", "Ludwig van Beethoven").
_PARTICLES = frozenset({"de", "du", "des", "la", "le", "van", "von", "der", "den", "da", "di"})


def written_name(name: str) -> str:
    """A name said to a phone's recogniser, or typed all in lower case, as it is written.

    "anh nguyen" is "Anh Nguyen", "jean-luc de la tour" "Jean-Luc de la Tour",
    "o'brien" "O'Brien", "d'arcy" "D'Arcy"; a name with any capital stays as typed.
    """
    if name != name.lower():
        return name

    def word(part: str, first: bool) -> str:
        if not first and part in _PARTICLES:
            return part
        pieces = re.split(r"([-'\u2019])", part)
        return "".join(p[:1].upper() + p[1:] for p in pieces)

    return " ".join(word(part, i == 0) for i, part in enumerate(name.split()))


def name_parts(name: str) -> tuple[str, str]:
    """First names and last name: "Jean Pierre Moreau" -> ("Jean Pierre", "Moreau")."""
    words = name.split()
    return " ".join(words[:-1]), words[-1]


def _candidate_by_name(name: str, postcode: str) -> str | None:
    first, last = name_parts(name)
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
    if kind == "name" and len(value.split()) < NAME_WORDS:
        return value, None  # a first and a last name
    return value, kind


class ValidateIdentifyForm(KeepsTheWish):
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
            if postcode and POSTCODE.match(postcode):
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
        if not POSTCODE.match(postcode):
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
