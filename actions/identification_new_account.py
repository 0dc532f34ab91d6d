"""Open an account with a new customer (PROCESSES.md 1.1): ``new_account_form``.

``validate_new_account_form`` takes a full name, an e-mail address and a
postcode, read as the identification (:mod:`actions.identification`) reads
them; ``action_create_account`` opens the account, and the customer counts as
verified from then on, as after an identification.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from crm_backend.errors import InvalidContactData
from crm_backend.models import Account
from crm_backend.services import accounts, conversation
from crm_backend.uow import UnitOfWork

from . import runtime
from .identification import (
    FORM_NOTICE,
    NAME_WORDS,
    POSTCODE,
    is_email,
    key_kind,
    name_parts,
    without_introduction,
    written_name,
)
from .identification_wish import KeepsTheWish
from .messages import caller_phone, channel, intent_of, language
from .wording import reference

# Words no name is made of, for a message the NLU found out of scope: a request ("tell me
# a joke", "what is this") is no name, while a name it never saw ("kwame mensah") is one.
_NOT_NAME_WORDS = frozenset(
    {
        "a", "an", "the", "is", "are", "am", "be", "do", "does", "did", "can", "could", "would",
        "will", "what", "how", "why", "who", "where", "when", "which", "you", "your", "me", "my",
        "i", "we", "our", "it", "this", "that", "to", "of", "for", "in", "on", "at", "and", "or",
        "with", "tell", "give", "show", "want", "need", "help", "please", "thanks", "hello", "hi",
        "hey", "yes", "no", "not",
    }
)  # fmt: skip


def _not_a_name(name: str) -> bool:
    return any(word in _NOT_NAME_WORDS for word in name.lower().replace("-", " ").split())


class ValidateNewAccountForm(KeepsTheWish):
    """Validate new_account_form: a full name, an e-mail address, a postcode."""

    def name(self) -> str:
        return "validate_new_account_form"

    def validate_new_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A first and a last name."""
        if value is None:
            return {"new_name": None}
        name = without_introduction(str(value or ""))
        unknown = intent_of(tracker.latest_message) == "out_of_scope"
        if (
            key_kind(name) != "name"
            or len(name.split()) < NAME_WORDS
            or (unknown and _not_a_name(name))
        ):
            return {"new_name": None, FORM_NOTICE: "not_understood"}
        return {"new_name": written_name(name)}

    def validate_new_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """An e-mail address, kept as written (the CRM lower-cases it)."""
        if value is None:
            return {"new_email": None}
        email = str(value or "").strip()
        if not is_email(email):
            return {"new_email": None, FORM_NOTICE: "invalid_email"}
        return {"new_email": email}

    def validate_new_postcode(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Five digits."""
        if value is None:
            return {"new_postcode": None}
        postcode = str(value or "").replace(" ", "")
        if not POSTCODE.match(postcode):
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
        first, last = name_parts(str(name))
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
                interaction = conversation.ensure_interaction(
                    uow,
                    channel=channel(tracker),
                    conversation_id=tracker.sender_id,
                    now=runtime.now(),
                )
                created = opened(uow, tracker, account, interaction_id=interaction.id)
                uow.commit()
        except InvalidContactData:
            return [*reset, SlotSet("result", "account_not_created")]
        return [*created, *reset, SlotSet("result", "account_created")]


def opened(
    uow: UnitOfWork, tracker: Tracker, account: Account, *, interaction_id: int
) -> list[EventType]:
    """The customer is the one of the account just opened for them in this conversation.

    Only an account opened now, with what the customer gave: an account found
    by an e-mail or phone said is never taken as theirs without the questions
    of identify_form.
    """
    conversation.confirm_identity(uow, interaction_id=interaction_id, account_id=account.id)
    return [
        SlotSet("account_id", str(account.id)),
        SlotSet("customer_name", account.name),
        SlotSet("customer_number", account.customer_number),
        SlotSet(
            "customer_number_said",
            reference(
                account.customer_number, channel=channel(tracker), language=language(tracker)
            ),
        ),
        SlotSet("identity_status", "verified"),
    ]
