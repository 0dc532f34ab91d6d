"""A business lead (PROCESSES.md 2, inbound): a company that wants to equip its people.

"We're a 30-person firm looking to renew our laptops" is no order yet and no
complaint: it is a lead. ``business_lead_form`` collects what an adviser
needs to prepare an offer: the need (laptops, monitors...), how many, when,
the company, the contact person and how to reach them. The need, the
quantity and the timeframe are read from the first message when it says
them. ``action_create_business_lead`` opens a company account for a
prospect nobody knows (or uses the one account holding the contact, or the
identified customer's), then creates and qualifies the lead.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from crm_backend.answer_words import interval, words_to_digits
from crm_backend.errors import InvalidContactData
from crm_backend.services import conversation, leads
from crm_backend.text import normalize

from . import runtime
from .identification_new_account import opened
from .languages import words
from .leads import (
    FORM_NOTICE,
    NOT_SURE,
    PROSPECT_SLOTS,
    THIS_MONTH,
    THIS_QUARTER,
    THIS_YEAR,
    contact_slot,
    lead_owner,
    name_slot,
    timeframe,
    timeframe_words,
)
from .messages import channel, entity_values, language

logger = logging.getLogger(__name__)

# What a business may want, by the catalog's categories, and the words that say it.
_NEEDS = (
    ("laptops", r"laptops?|notebooks?|computers?|pcs?|macbooks?|desktops?|workstations?"),
    ("monitors", r"monitors?|screens?|displays?"),
    ("printers", r"printers?|toners?|ink"),
    ("phones", r"smartphones?|(?:mobile )?phones?|mobiles?"),
    ("accessories", r"keyboards?|mice|mouse|docks?|docking stations?|headsets?|bags?"),
)
_NEED_WORDS = tuple((need, re.compile(rf"\b(?:{words})\b")) for need, words in _NEEDS)
_ANY_NEED = "|".join(words for _, words in _NEEDS)
# "10 laptops", "ten office computers", "12 of them": a number a few words before a need.
_UNITS_OF_NEED = re.compile(rf"\b(\d+)\s+(?:[a-z]+\s+){{0,2}}?(?:{_ANY_NEED})\b")
# "12 ppl", "a 30-person firm", "team of 8": one each, when no count of things is said.
_PEOPLE = re.compile(
    r"\b(\d+)[\s-]*(?:people|ppl|persons?|employees|staff|colleagues|users|seats)\b"
    r"|\b(?:team|staff|office|firm|company) of (\d+)\b"
)
_COMPANY_INTRO = re.compile(
    r"^(?:(?:it'?s|we'?re|we are|this is|our company is|the company is|company name is|"
    r"our firm is|the name is|it is|called|we'?re called|for)\s+)+",
    re.I,
)
# Answers that name no company: asked again (a company may well be called "Nord").
_NOT_A_NAME = frozenset({"no", "nope", "no thanks", "no thank you", "none", "nothing", "n/a"})
BUSINESS_SCRIPT = leads.Scoring(
    points={
        "timeframe": {THIS_MONTH: 50, THIS_QUARTER: 35, THIS_YEAR: 10, NOT_SURE: 0},
        "quantity": {"ten_or_more": 30, "several": 20, "one": 5},
    }
)
INPUTS = (
    "lead_need",
    "lead_quantity",
    "lead_timeframe",
    "lead_company",
    "lead_name",
    "lead_contact",
)


def need_of(text: str) -> str | None:
    """The categories the words name ("laptops and monitors"), or None."""
    folded = normalize(text)
    found = [need for need, words in _NEED_WORDS if words.search(folded)]
    return " and ".join(found) if found else None


def quantity_of(text: str, *, alone: bool = True) -> int | None:
    """How many things the words ask for: "around 10 laptops", "ten computers", "12 ppl".

    With ``alone`` (an answer to "how many?"), a number by itself counts too ("about ten").
    """
    digits = words_to_digits(normalize(text))
    counted = _UNITS_OF_NEED.search(digits)
    if counted:
        return int(counted.group(1))
    people = _PEOPLE.search(digits)
    if people:
        return int(people.group(1) or people.group(2))
    said = interval(digits) if alone else None
    if said is not None and said[0] == said[1] and 0 < said[0] < 100_000:
        return int(said[0])
    return None


def quantity_band(quantity: int | None) -> str:
    """How the scoring sees a quantity."""
    if quantity is None:
        return NOT_SURE
    if quantity >= 10:
        return "ten_or_more"
    return "several" if quantity > 1 else "one"


# Details a prospect may give in place of the answer asked for.
_DETAILS = ("email", "phone", "postcode", "customer_number")


def _details_said(tracker: Tracker) -> bool:
    """True when the latest message gives an e-mail, a phone, a postcode or a customer number."""
    return any(entity_values(tracker.latest_message, name) for name in _DETAILS)


def _name_said(tracker: Tracker) -> dict[str, Any]:
    """``lead_name`` from a person's name in the latest message, while none is known."""
    if tracker.get_slot("lead_name"):
        return {}
    names = entity_values(tracker.latest_message, "person_name")
    found = name_slot(names[0]) if names else {}
    return {"lead_name": found["lead_name"]} if found.get("lead_name") else {}


class ValidateBusinessLeadForm(runtime.CrmFormValidationAction):
    """Validate business_lead_form: need, quantity, timeframe, company, person, contact."""

    def name(self) -> str:
        return "validate_business_lead_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """An identified customer's account has the company, the person and the contact."""
        if tracker.get_slot("account_id"):
            return [slot for slot in domain_slots if slot not in PROSPECT_SLOTS]
        return list(domain_slots)

    def _first_message(self, tracker: Tracker) -> str | None:
        """The words that started the form, while it starts; None once it asks."""
        if tracker.get_slot(runtime.REQUESTED_SLOT) is not None:
            return None
        return str(tracker.latest_message.get("text") or "")

    def extract_lead_need(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """What the first message says the business wants."""
        said = self._first_message(tracker)
        need = need_of(said) if said and tracker.get_slot("lead_need") is None else None
        return {"lead_need": need} if need else {}

    def extract_lead_quantity(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """How many the first message says."""
        said = self._first_message(tracker)
        count = (
            quantity_of(said, alone=False)
            if said and tracker.get_slot("lead_quantity") is None
            else None
        )
        return {"lead_quantity": str(count)} if count else {}

    def extract_lead_timeframe(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """When the first message says they will buy ("next quarter"), if it says so."""
        said = self._first_message(tracker)
        if not said or tracker.get_slot("lead_timeframe") is not None:
            return {}
        # Words only: a first message's numbers ("10 laptops") are no dates.
        return {"lead_timeframe": said} if timeframe_words(said) not in (None, NOT_SURE) else {}

    def validate_lead_need(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A category of the catalog when the words name one, else the words as said."""
        words = " ".join(str(value or "").split())
        return {"lead_need": need_of(words) or words or None}

    def validate_lead_quantity(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A number when the words give one ("about ten"), else the words ("not sure yet")."""
        words = " ".join(str(value or "").split())
        count = quantity_of(words)
        return {"lead_quantity": str(count) if count else words or None}

    def validate_lead_timeframe(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Any words (the lead's qualification reads them), but other details said instead.

        A caller who answers "when?" with who she is ("I'm Sarah Collins and the e-mail's
        sarah@...") has said no time: her name is kept, and the question asked again.
        """
        said = " ".join(str(value or "").split())
        if _details_said(tracker) and timeframe(said, today=runtime.today()) is None:
            return {"lead_timeframe": None, **_name_said(tracker)}
        return {"lead_timeframe": said or None}

    def validate_lead_company(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The company's name, without "we're" or "it's" before it; no postcode or address."""
        name = _COMPANY_INTRO.sub("", " ".join(str(value or "").split())).strip(" .!")
        if len(name) < 2 or "@" in name or normalize(name) in _NOT_A_NAME:
            return {"lead_company": None, FORM_NOTICE: "not_understood"}
        if _details_said(tracker):
            # "postcode is 75011", "sarah@studio.fr": details, not a name; a name said is kept.
            return {"lead_company": None, FORM_NOTICE: "not_understood", **_name_said(tracker)}
        return {"lead_company": name[:200]}

    def validate_lead_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The contact person's first and last name."""
        return name_slot(value)

    def validate_lead_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """An e-mail address or a phone number."""
        return contact_slot(value, tracker)


class ActionCreateBusinessLead(runtime.CrmAction):
    """Create the business lead, on a new company account for a prospect nobody knows.

    Reads ``account_id`` (or ``lead_contact``, ``lead_name``,
    ``lead_company``), ``lead_need``, ``lead_quantity``, ``lead_timeframe``.
    Sets ``lead_interest`` ("10 laptops") and ``result``: ``lead_created``
    (a prospect: the answer names its company) or ``customer_lead_created``;
    empties the form's slots but the company.
    """

    def name(self) -> str:
        return "action_create_business_lead"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        slot = {name: str(tracker.get_slot(name) or "") for name in INPUTS}
        count = quantity_of(slot["lead_quantity"])
        need = slot["lead_need"] or "equipment"
        interest = f"{count} {need}" if count else need
        answers = {
            "need": need,
            "quantity": quantity_band(count),
            "quantity_words": slot["lead_quantity"],
            "timeframe": timeframe(slot["lead_timeframe"], today=runtime.today()) or NOT_SURE,
            "timeframe_words": slot["lead_timeframe"],
        }
        said_on, account_id = channel(tracker), tracker.get_slot("account_id")
        reset = [SlotSet(name, None) for name in INPUTS if name != "lead_company"]
        try:
            with runtime.unit_of_work() as uow:
                account, theirs = lead_owner(
                    uow,
                    account_id,
                    slot["lead_contact"],
                    slot["lead_name"] or None,
                    slot["lead_company"] or None,
                )
                lead = leads.create_lead(
                    uow,
                    account_id=account.id,
                    source_channel=said_on,
                    product_interest=interest,
                    now=runtime.now(),
                )
                leads.qualify_lead(uow, lead_id=lead.id, answers=answers, scoring=BUSINESS_SCRIPT)
                interaction = conversation.ensure_interaction(
                    uow, channel=said_on, conversation_id=tracker.sender_id, now=runtime.now()
                )
                conversation.link_interaction(uow, interaction_id=interaction.id, lead_id=lead.id)
                # The company's account opened now is the caller's for the rest of it: a quote
                # asked for next needs no identification (an account found by the contact does).
                identified = (
                    opened(uow, tracker, account, interaction_id=interaction.id) if theirs else []
                )
                uow.commit()
        except InvalidContactData as error:
            # The form validated the contact; a value that still fails is ours to look into.
            logger.warning("no business lead for %s: %s", tracker.sender_id, error.message)
            return [*reset, SlotSet("result", runtime.TECHNICAL_PROBLEM)]
        result = "customer_lead_created" if account_id else "lead_created"
        # The CRM keeps the need as the agents read it; the customer hears it in their language.
        need_said = words(language(tracker)).lead_needs.get(need, need)
        said = f"{count} {need_said}" if count else need_said
        return [SlotSet("lead_interest", said), *reset, *identified, SlotSet("result", result)]
