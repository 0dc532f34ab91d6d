"""Contact follow-up (PROCESSES.md 1.5): contact data, preferences, feedback.

Everything here but the feedback needs a verified customer (the rules see to
it); the actions read ``account_id`` and nothing else to know whose record
they change. A contact change, which would make a takeover last, checks more:
the customer passed the second factor in this very conversation
(``identity_status: verified``, and the CRM's interaction for this
conversation confirmed on that account). No slot carries over to a new
session, and an expired session's interaction is closed, so an earlier
verification never counts. The interaction's end is in :mod:`actions.conversation`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from crm_backend.errors import InvalidContactData
from crm_backend.models import ConsentStatus
from crm_backend.services import accounts, consent, conversation, follow_up
from crm_backend.text import normalize_email, normalize_phone
from crm_backend.uow import UnitOfWork

from . import runtime
from .identification import key_kind
from .languages import EN, words
from .messages import channel, entity_values, language, message_with, said_with
from .parsing import channels_said
from .wording import VOICE, contact_value

FORM_NOTICE = "form_notice"
FIELDS = frozenset({"phone", "email", "address"})
# "8 place Bellecour, 69002 Lyon": street, postcode, city.
_ADDRESS = re.compile(r"^\s*(?P<street>.*?)[\s,]*\b(?P<postcode>\d{5})\b[\s,]*(?P<city>.*?)\s*$")
# How a preference names a channel, in English (each language's: ``words(...).channel_words``).
CHANNEL_WORDS = EN.channel_words
# How a confirmation names the channels opted out, in English.
OPTED_OUT_WORDS = EN.opted_out_words
PREFERRED_CHANNEL = "preferred_channel"
CONTACT_TIME = "contact_time"


def opted_out_words(channels: Sequence[str], language: str) -> str:
    """ "text messages and e-mails": the channels opted out, as a confirmation names them."""
    said = words(language)
    return said.and_.join(said.opted_out_words[c] for c in channels)


def parse_address(text: str) -> dict[str, str] | None:
    """Street, postcode and city of "8 place Bellecour, 69002 Lyon"; None without a postcode."""
    found = _ADDRESS.match(text)
    if found is None:
        return None
    return {k: v.strip(" ,") for k, v in found.groupdict().items()}


def _as_field(field: str, value: str) -> str | None:
    """The value in the form the CRM keeps, or None when it is not one of that field."""
    try:
        if field == "phone":
            return normalize_phone(value)
        if field == "email":
            return normalize_email(value)
    except InvalidContactData:
        return None
    address = parse_address(value)
    if address is None or not address["street"]:
        return None
    return f"{address['street']}, {address['postcode']} {address['city']}".strip()


def _field_of(value: str) -> str:
    kind = key_kind(value)
    if kind in ("email", "phone"):
        return str(kind)
    return "address"


NOTICES = {"phone": "invalid_phone", "email": "invalid_email", "address": "invalid_postcode"}


# On the phone, the value heard is read back (contact_value_said) and saved only on a yes.
CONFIRMED = "contact_confirmed"
SAID = "contact_value_said"


class ValidateContactForm(runtime.CrmFormValidationAction):
    """Validate contact_form: which detail (phone, e-mail, address), its new value and,
    on the phone, the caller's yes to the value read back."""

    def name(self) -> str:
        return "validate_contact_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """A recogniser mishears digits and letters: on the phone the value is confirmed."""
        if channel(tracker) == VOICE:
            return list(domain_slots)
        return [slot for slot in domain_slots if slot != CONFIRMED]

    def extract_contact_field(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The field of the value given: a phone or an e-mail said without naming the field."""
        if tracker.get_slot("contact_field") is not None:
            return {}
        for field in ("phone", "email"):
            if entity_values(tracker.latest_message, field):
                return {"contact_field": field}
        return {}

    def validate_contact_field(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Phone, e-mail or address."""
        field = str(value or "").strip().lower()
        return {"contact_field": field if field in FIELDS else None}

    def validate_contact_value(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A value of the field (which it gives when the customer did not say it)."""
        if value is None:
            return {"contact_value": None}
        text = str(value).strip()
        given = tracker.get_slot("contact_field")
        field = given if given in FIELDS else _field_of(text)
        kept = _as_field(field, text)
        slots: dict[str, Any] = {} if given in FIELDS else {"contact_field": field}
        if kept is None:
            return {**slots, "contact_value": None, FORM_NOTICE: NOTICES[field]}
        if channel(tracker) != VOICE:
            return {**slots, "contact_value": kept}
        said = contact_value(field, kept, channel=VOICE, language=language(tracker))
        # A new value is confirmed anew, whatever was said of the one before.
        return {**slots, "contact_value": kept, SAID: said, CONFIRMED: None}

    def validate_contact_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Yes keeps the value read back; no asks for it again, unless it came with this no
        ("no, it's 06 55 50 00 12"), which is then read back in its turn."""
        if value is True:
            return {CONFIRMED: True}
        field = str(tracker.get_slot("contact_field") or "")
        corrected = field in ("phone", "email") and entity_values(tracker.latest_message, field)
        return {CONFIRMED: None} if corrected else {CONFIRMED: None, "contact_value": None}


class ActionUpdateContact(runtime.CrmAction):
    """Save the new phone (made primary), e-mail (made primary) or postal address.

    Reads ``account_id``, ``identity_status``, ``contact_field``,
    ``contact_value``. Sets ``updated_field``, ``updated_value`` and ``result``
    (``contact_updated``, ``contact_invalid``, or ``contact_unverified``
    without the second factor in this conversation); empties the form's
    slots for its next run.
    """

    def name(self) -> str:
        return "action_update_contact"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        account_id = tracker.get_slot("account_id")
        field = tracker.get_slot("contact_field")
        value = str(tracker.get_slot("contact_value") or "")
        reset = [
            SlotSet("contact_field", None),
            SlotSet("contact_value", None),
            SlotSet(CONFIRMED, None),
            SlotSet(SAID, None),
        ]
        if not account_id or tracker.get_slot("identity_status") != "verified":
            return [*reset, SlotSet("result", "contact_unverified")]
        if field not in FIELDS or not value:
            return [*reset, SlotSet("result", "contact_invalid")]
        try:
            with runtime.unit_of_work() as uow:
                if not _verified_here(uow, tracker.sender_id, int(account_id)):
                    return [*reset, SlotSet("result", "contact_unverified")]
                _update(uow, int(account_id), str(field), value)
                uow.commit()
        except InvalidContactData:
            return [*reset, SlotSet("result", "contact_invalid")]
        return [
            SlotSet("updated_field", field),
            SlotSet(
                "updated_value",
                contact_value(
                    str(field), value, channel=channel(tracker), language=language(tracker)
                ),
            ),
            *reset,
            SlotSet("result", "contact_updated"),
        ]


def _verified_here(uow: UnitOfWork, conversation_id: str, account_id: int) -> bool:
    """Whether this conversation's open interaction confirmed the customer as that account."""
    current = conversation.open_interaction_for(uow, conversation_id=conversation_id)
    return current is not None and current.identity_confirmed and current.account_id == account_id


def _update(uow: UnitOfWork, account_id: int, field: str, value: str) -> None:
    if field == "phone":
        accounts.update_phone(uow, account_id=account_id, phone=value)
    elif field == "email":
        accounts.update_email(uow, account_id=account_id, email=value)
    else:
        address = parse_address(value)
        if address is None:
            raise InvalidContactData(field="address", value=value)
        accounts.update_address(uow, account_id=account_id, **address)


class ActionRecordPreference(runtime.CrmAction):
    """Record how the customer likes to be contacted: the channel, the time of day.

    Reads the ``channel_pref`` and ``contact_time`` entities of the request.
    Sets ``preference_summary`` and ``result`` (``preference_recorded`` or
    ``preference_unclear``).
    """

    def name(self) -> str:
        return "action_record_preference"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        request = message_with(tracker, "set_preference")
        said = {
            str(e.get("entity")): str(e.get("value"))
            for e in request.get("entities") or []
            if e.get("value")
        }
        # "No more texts, e-mail is fine": an opt-out of texts, and e-mail preferred;
        # "e-mail, not the phone" is only a preference.
        stopped, kept = channels_said(
            str(request.get("text") or ""), refused_only=True, language=language(tracker)
        )
        pref = said.get("channel_pref", "").lower()
        # "no more texts": a channel named to refuse it is no preference for it.
        pref = "" if pref in stopped else pref
        preferred = pref or (kept[0] if len(kept) == 1 else "")
        preferences = {
            PREFERRED_CHANNEL: preferred if preferred in CHANNEL_WORDS else "",
            CONTACT_TIME: said.get("contact_time", "").strip(),
        }
        given = {key: value for key, value in preferences.items() if value}
        stopped = [c for c in stopped if c != given.get(PREFERRED_CHANNEL)]
        account_id = tracker.get_slot("account_id")
        if not (given or stopped) or not account_id:
            return [SlotSet("result", "preference_unclear")]
        source = f"bot:{channel(tracker)}"
        with runtime.unit_of_work() as uow:
            for key, value in given.items():
                accounts.record_preference(
                    uow, account_id=int(account_id), key=key, value=value, source=source
                )
            for closed in stopped:
                consent.set_consent(
                    uow,
                    account_id=int(account_id),
                    channel=closed,
                    status=ConsentStatus.OPT_OUT,
                    source=f"asked in conversation {tracker.sender_id} ({channel(tracker)})",
                    now=runtime.now(),
                )
            uow.commit()
        table = words(language(tracker))
        if not given:
            opted_out = SlotSet("opted_out_channels", opted_out_words(stopped, table.code))
            return [opted_out, SlotSet("result", "channel_opt_out_recorded")]
        named = table.channel_words
        parts = [named.get(given.get(PREFERRED_CHANNEL, ""), ""), given.get(CONTACT_TIME)]
        parts += [table.not_channel.format(named[closed]) for closed in stopped]
        summary = ", ".join(w for w in parts if w)
        return [SlotSet("preference_summary", summary), SlotSet("result", "preference_recorded")]


class ActionRecordFeedback(runtime.CrmAction):
    """Keep the customer's feedback now: on the interaction always, on their record when known.

    The interaction (channel, account once identified, else anonymous) holds
    the words and their kind (praise, suggestion, comment) for the team
    (``GET /feedback`` of the CRM API); a known customer's record keeps them
    too. Sets ``result: feedback_recorded``, or ``feedback_unclear`` when
    there are no words to keep.
    """

    def name(self) -> str:
        return "action_record_feedback"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        feedback = said_with(tracker, "give_feedback")
        if not feedback:
            return [SlotSet("result", "feedback_unclear")]
        account_id = tracker.get_slot("account_id")
        owner = int(account_id) if account_id else None
        with runtime.unit_of_work() as uow:
            follow_up.record_feedback(
                uow,
                conversation_id=tracker.sender_id,
                channel=channel(tracker),
                words=feedback,
                account_id=owner,
                now=runtime.now(),
            )
            if owner is not None:
                accounts.record_script_answer(
                    uow,
                    account_id=owner,
                    script="contact",
                    question="feedback",
                    answer=feedback,
                    now=runtime.now(),
                )
            uow.commit()
        return [SlotSet("result", "feedback_recorded")]
