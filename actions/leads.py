"""Leads (PROCESSES.md 2, inbound): a prospect not buying now, with a first qualification.

The lead records the product of interest and when the prospect might buy
(the "timeframe" question of the CRM's qualification script). A verified
customer's lead goes on their account; a prospect gives an e-mail or phone,
and the lead goes on the one account holding it, or on a new prospect
account named after it for an agent to complete.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from crm_backend.errors import InvalidContactData, ProductNotFound
from crm_backend.models import Account, AccountKind
from crm_backend.services import accounts, conversation, leads, products
from crm_backend.uow import UnitOfWork

from . import runtime
from .identification import NAME_WORDS, key_kind, name_parts, without_introduction, written_name
from .identification_new_account import opened
from .messages import caller_phone, channel, entity_values
from .parsing import parse_date

logger = logging.getLogger(__name__)

FORM_NOTICE = "form_notice"
PROSPECT = "Prospect"
# What only a prospect nobody knows is asked; an identified customer's account has it.
PROSPECT_SLOTS = ("lead_contact", "lead_name", "lead_company")
# What a lead's forms collect beside the product, emptied once the lead is created.
LEAD_FORM_INPUTS = ("lead_timeframe", "lead_contact", "lead_name")
# "By e-mail", "e-mail is best", "call me", "text me": how to reach, without the address.
_CONTACT_HOW = re.compile(
    r"(?P<email>\be-?mail\b|\bmail\b)|\b(phone|call|ring|text|sms|mobile)\b", re.I
)
# When the prospect might buy, in the words of the CRM's qualification script.
THIS_MONTH, THIS_QUARTER, THIS_YEAR, NOT_SURE = (
    "this_month",
    "this_quarter",
    "this_year",
    "not_sure",
)
_TIMEFRAMES = (
    (
        re.compile(r"\b(this|next|within a|in a) (week|month)\b|\bsoon\b|\bweeks?\b", re.I),
        THIS_MONTH,
    ),
    (re.compile(r"\b(few|couple of|two|three|2|3) months\b|\bquarter\b", re.I), THIS_QUARTER),
    (re.compile(r"\b(this|next) year\b|\b(six|6|several) months\b|\blater\b", re.I), THIS_YEAR),
    (re.compile(r"\b(not sure|don'?t know|no idea|maybe|someday|one day)\b", re.I), NOT_SURE),
)
MONTH, QUARTER = dt.timedelta(days=31), dt.timedelta(days=92)
# The bot's lead script asks one question; its answer alone makes the first qualification:
# within a month hot, within months warm, later or unsure cold.
BOT_SCRIPT = leads.Scoring(
    points={"timeframe": {THIS_MONTH: 70, THIS_QUARTER: 40, THIS_YEAR: 10, NOT_SURE: 0}}
)


def timeframe_words(text: str) -> str | None:
    """When the words say the prospect might buy ("next quarter"), dates left aside."""
    return next((answer for pattern, answer in _TIMEFRAMES if pattern.search(text)), None)


def timeframe(text: str, *, today: dt.date) -> str | None:
    """When the prospect might buy (this_month ... not_sure); None when the text does not say."""
    said = timeframe_words(text)
    if said is not None:
        return said
    day = parse_date(text, today=today)
    if day is None:
        return None
    if day - today <= MONTH:
        return THIS_MONTH
    return THIS_QUARTER if day - today <= QUARTER else THIS_YEAR


class ValidateLeadForm(runtime.CrmFormValidationAction):
    """Validate lead_form: the product, when they might buy, how to reach a prospect."""

    def name(self) -> str:
        return "validate_lead_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """No contact to ask of a verified customer: the account has it.

        A prospect's name is asked only when no account holds the contact given.
        """
        if tracker.get_slot("account_id"):
            return [slot for slot in domain_slots if slot not in PROSPECT_SLOTS]
        contact = tracker.get_slot("lead_contact")
        if contact is None or known_account(str(contact)) is not None:
            return [slot for slot in domain_slots if slot != "lead_name"]
        return list(domain_slots)

    def extract_lead_product(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """When the form starts: the product named, else the one in focus."""
        starting = tracker.get_slot(runtime.REQUESTED_SLOT) is None
        if not starting or tracker.get_slot("lead_product") is not None:
            return {}
        named = entity_values(tracker.latest_message, "product")
        product = named[0] if named else tracker.get_slot("focus_product")
        return {"lead_product": product} if product else {}

    def validate_lead_product(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A product the catalog sells."""
        if value is None:
            return {"lead_product": None}
        with runtime.unit_of_work() as uow:
            try:
                product = products.get_product(uow, sku=str(value))
            except ProductNotFound:
                return {"lead_product": None, FORM_NOTICE: "unknown_product"}
            if not product.active:
                return {"lead_product": None, FORM_NOTICE: "unknown_product"}
            return {"lead_product": product.sku, "product_name": product.name}

    def validate_lead_timeframe(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Any words: the lead's qualification reads them (see :func:`timeframe`)."""
        words = " ".join(str(value or "").split())
        return {"lead_timeframe": words or None}

    def validate_lead_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """An e-mail address or a phone number."""
        return contact_slot(value, tracker)

    def validate_lead_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A first and a last name."""
        return name_slot(value)


def _said_before(tracker: Tracker, entity: str) -> str | None:
    """The latest e-mail or phone the customer wrote in this conversation, if any."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            found = entity_values(event.get("parse_data") or {}, entity)
            if found:
                return found[-1]
    return None


def contact_slot(value: Any, tracker: Tracker | None = None) -> dict[str, Any]:
    """``lead_contact`` validated: an e-mail address or a phone number, else asked again.

    "By e-mail" (or "call me") says how, not where: the address or number
    the customer gave earlier in the conversation, else (a phone) the number
    the call or text came from, else the question asks for it.
    """
    if value is None:
        return {"lead_contact": None}
    text = str(value).strip()
    if key_kind(text) in ("email", "phone"):
        return {"lead_contact": text}
    how = _CONTACT_HOW.search(text)
    if how is None or tracker is None:
        return {"lead_contact": None, FORM_NOTICE: "not_understood"}
    if how.group("email"):
        known = _said_before(tracker, "email")
        return (
            {"lead_contact": known} if known else {"lead_contact": None, FORM_NOTICE: "ask_email"}
        )
    known = _said_before(tracker, "phone") or caller_phone(tracker)
    return {"lead_contact": known} if known else {"lead_contact": None, FORM_NOTICE: "ask_phone"}


def name_slot(value: Any) -> dict[str, Any]:
    """``lead_name`` validated: a first and a last name ("I'm Anna Roux" is Anna Roux)."""
    if value is None:
        return {"lead_name": None}
    name = without_introduction(str(value))
    if key_kind(name) != "name" or len(name.split()) < NAME_WORDS:
        return {"lead_name": None, FORM_NOTICE: "not_understood"}
    return {"lead_name": written_name(name)}


def known_account(contact: str) -> int | None:
    """The one account holding this e-mail or phone, else None."""
    kind = key_kind(contact)
    if kind not in ("email", "phone"):
        return None
    email, phone = (contact, None) if kind == "email" else (None, contact)
    with runtime.unit_of_work() as uow:
        found = accounts.find_accounts(uow, email=email, phone=phone)
        return found[0].id if len(found) == 1 else None


def prospect_account(
    uow: UnitOfWork, contact: str, name: str | None = None, company: str | None = None
) -> int:
    """The one account holding this e-mail or phone, else a new one (:func:`prospect`)."""
    return prospect(uow, contact, name, company)[0].id


def prospect(
    uow: UnitOfWork, contact: str, name: str | None = None, company: str | None = None
) -> tuple[Account, bool]:
    """The one account holding this e-mail or phone, else a new account with it; and if theirs.

    The new account is named after the person (a company's, with ``company``);
    without a name, the contact names the prospect until an agent knows better.
    The account is the prospect's own (the second value) when it was opened now
    and named after them: what they said made it, so it identifies them for the
    rest of the conversation. One found by the contact never does.

    Raises:
        InvalidContactData: the contact is neither an e-mail nor a phone number.
    """
    kind = key_kind(contact)
    if kind not in ("email", "phone"):
        raise InvalidContactData(field="contact", value=contact)
    email, phone = (contact, None) if kind == "email" else (None, contact)
    found = accounts.find_accounts(uow, email=email, phone=phone)
    if len(found) == 1:
        return found[0], False
    first, last = (
        name_parts(name) if name and len(name.split()) >= NAME_WORDS else (PROSPECT, contact)
    )
    created = accounts.create_account(
        uow,
        first_name=first,
        last_name=last,
        email=email,
        phone=phone,
        kind=AccountKind.COMPANY if company else AccountKind.PERSON,
        company_name=company,
    )
    return created, first != PROSPECT


def lead_owner(
    uow: UnitOfWork,
    account_id: Any,
    contact: str,
    name: str | None = None,
    company: str | None = None,
) -> tuple[Account, bool]:
    """The account a lead goes on: the customer's, else a prospect's (:func:`prospect`)."""
    if account_id:
        return accounts.get_account(uow, account_id=int(account_id)), False
    return prospect(uow, contact, name, company)


class ActionCreateLead(runtime.CrmAction):
    """Create the lead with its product interest and qualify it on the timeframe given.

    Reads ``account_id`` (or ``lead_contact``), ``lead_product``,
    ``lead_timeframe``. Sets ``product_name`` and ``result: lead_created``;
    empties the form's slots for its next run.
    """

    def name(self) -> str:
        return "action_create_lead"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        sku = tracker.get_slot("lead_product")
        contact = tracker.get_slot("lead_contact")
        account_id = tracker.get_slot("account_id")
        words = str(tracker.get_slot("lead_timeframe") or "")
        answers = {
            "timeframe": timeframe(words, today=runtime.today()) or NOT_SURE,
            "timeframe_words": words,
        }
        said_on = channel(tracker)
        reset = [SlotSet(slot, None) for slot in ("lead_product", *LEAD_FORM_INPUTS)]
        name = tracker.get_slot("lead_name")
        try:
            with runtime.unit_of_work() as uow:
                account, theirs = lead_owner(
                    uow, account_id, str(contact or ""), str(name) if name else None
                )
                lead = leads.create_lead(
                    uow,
                    account_id=account.id,
                    source_channel=said_on,
                    product_sku=str(sku) if sku else None,
                    now=runtime.now(),
                )
                leads.qualify_lead(uow, lead_id=lead.id, answers=answers, scoring=BOT_SCRIPT)
                interaction = conversation.ensure_interaction(
                    uow, channel=said_on, conversation_id=tracker.sender_id, now=runtime.now()
                )
                conversation.link_interaction(uow, interaction_id=interaction.id, lead_id=lead.id)
                # The account opened now in the prospect's name is theirs for the rest of it.
                identified = (
                    opened(uow, tracker, account, interaction_id=interaction.id) if theirs else []
                )
                name = lead.product.name if lead.product else lead.product_interest
                uow.commit()
        except (InvalidContactData, ProductNotFound) as error:
            # The form validated both; a value that still fails is ours to look into.
            logger.warning("no lead for %s: %s", tracker.sender_id, error.message)
            return [*reset, SlotSet("result", runtime.TECHNICAL_PROBLEM)]
        return [
            SlotSet("product_name", name),
            *reset,
            *identified,
            SlotSet("result", "lead_created"),
        ]
