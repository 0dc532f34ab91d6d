"""Marketing contacts (PROCESSES.md 2): an outbound call's start, the offer, objections, the end.

- :func:`outbound_call`: what ``action_session_start`` knows of a call
  the dialer placed (docs/outbound.md gives the metadata): who we called, for
  which campaign and script. The outbound rules (greeting, "is this a good
  time?") branch on ``outbound_call``.
- ``action_present_offer``: the campaign's offer, in the words of its script;
  inbound, the running campaign the prospect asks about.
- ``action_handle_objection``: the script's answer to price, timing, "I
  already have one", found by the words the customer used.
- ``action_book_campaign_callback``: "not a good time" books a call back.
- ``action_record_not_interested``: a no to the offer, recorded at once.
  "Don't call me again" is in :mod:`actions.marketing_consent`.

The questions of the script and the lead they qualify are in :mod:`actions.marketing_script`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from crm_backend.errors import (
    AccountNotFound,
    CallListEntryNotFound,
    CampaignNotFound,
    InvalidScript,
    ScriptNotFound,
)
from crm_backend.interactive_scripts import Script
from crm_backend.models import Campaign
from crm_backend.redact import mask
from crm_backend.services import (
    accounts,
    call_list_entries,
    campaigns,
    conversation,
    follow_up,
    marketing,
    script_variants,
    scripts,
)
from crm_backend.uow import UnitOfWork

from . import runtime
from .messages import channel, entity_values, intent_of, language, ran

logger = logging.getLogger(__name__)

RESULT = "result"
OUTBOUND = "outbound"
# What a conversation's outcome is called on its call list entry (docs/outbound.md).
LEAD_CREATED, NOT_INTERESTED, CALLBACK_BOOKED, DO_NOT_CONTACT = (
    "lead_created",
    "not_interested",
    "callback_booked",
    "do_not_contact",
)
# An objection said with one of these intents, in words the script does not list.
OBJECTION_OF_INTENT = {"give_quote_feedback": "price", "not_buying_now": "timing"}


def _number(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- the start of an outbound call -------------------------------------------------------


@dataclass(frozen=True)
class OutboundCall:
    """A call our dialer placed: the entry worked, whom we called, for which campaign."""

    entry_id: int | None
    account_id: int
    account_name: str
    campaign_id: int
    campaign_name: str
    script: str

    def interaction(self) -> dict[str, Any]:
        """How the call's interaction record is opened, if the dialer has not opened it yet."""
        return {
            "direction": OUTBOUND,
            "account_id": self.account_id,
            "campaign_id": self.campaign_id,
        }

    def slots(self) -> list[EventType]:
        """What the session starts with; ``account_id`` stays unset (nobody verified yet)."""
        return [
            SlotSet("outbound_call", True),
            SlotSet("call_list_entry_id", None if self.entry_id is None else str(self.entry_id)),
            SlotSet("called_account_id", str(self.account_id)),
            SlotSet("called_name", self.account_name),
            SlotSet("campaign_id", str(self.campaign_id)),
            SlotSet("campaign_name", self.campaign_name),
            SlotSet("script_name", self.script),
        ]


def outbound_call(uow: UnitOfWork, metadata: dict[str, Any]) -> OutboundCall | None:
    """The outbound call the session's metadata describes, or None when it is no such call.

    The gateway passes this metadata only for a call our dialer placed (a
    signed Twilio request for a call list entry, docs/outbound.md): the
    entry, the account called, the campaign and its script.
    """
    if str(metadata.get("direction") or "").lower() != OUTBOUND:
        return None
    account_id = _number(metadata.get("account_id"))
    campaign_id = _number(metadata.get("campaign_id"))
    if account_id is None or campaign_id is None:
        # The keys only: the metadata carries the number called.
        logger.warning("outbound metadata without account or campaign: keys %s", sorted(metadata))
        return None
    try:
        called = accounts.get_account(uow, account_id=account_id)
        campaign = campaigns.get_campaign(uow, campaign_id=campaign_id)
    except (AccountNotFound, CampaignNotFound) as error:
        logger.warning("outbound call for an unknown record: %s", error.message)
        return None
    return OutboundCall(
        entry_id=_number(metadata.get("call_list_entry_id")),
        account_id=called.id,
        account_name=called.name,
        campaign_id=campaign.id,
        campaign_name=campaign.name,
        script=str(metadata.get("script") or campaign.script),
    )


def record_outcome(
    uow: UnitOfWork, tracker: Tracker, outcome: str, *, lead_id: int | None = None
) -> None:
    """Note what came of an outbound call on its call list entry (no entry: nothing to do)."""
    entry = _number(tracker.get_slot("call_list_entry_id"))
    if entry is None:
        return
    try:
        call_list_entries.record_outcome(
            uow, entry_id=entry, outcome=outcome, lead_id=lead_id, now=runtime.now()
        )
    except CallListEntryNotFound:
        # The manager deleted the list during the call: the account's record still has it.
        logger.warning("call list entry %s is gone; outcome %s not kept on it", entry, outcome)


def contact_account(tracker: Tracker) -> int | None:
    """The account the conversation is about: the verified one, else the one we called."""
    return _number(tracker.get_slot("account_id")) or _number(tracker.get_slot("called_account_id"))


def load_campaign_script(name: Any, language: str) -> Script | None:
    """The script of that name in that language, or None (logged) when it is missing or wrong.

    Its offer, answers and questions are in that language's words, and so are
    the words an answer or objection is recognised by.
    """
    if not name:
        return None
    try:
        found = scripts.load_script(directory=runtime.settings().scripts_dir, name=str(name))
        return found.in_language(language)
    except (ScriptNotFound, InvalidScript) as error:
        logger.error("script %r unusable: %s", name, error.message)
        return None


def contact_outcome(tracker: Tracker) -> str | None:
    """How a marketing contact ended when it made no lead, order or quote; else None.

    A lead, an order or a quote says more, so they win (see
    :func:`actions.conversation.outcome`).
    """
    if ran(tracker, "action_record_do_not_contact"):
        return DO_NOT_CONTACT
    if ran(tracker, "action_create_scripted_lead") or ran(tracker, "action_create_lead"):
        return None
    for action, ending in (
        ("action_record_not_interested", NOT_INTERESTED),
        ("action_book_campaign_callback", CALLBACK_BOOKED),
    ):
        if ran(tracker, action):
            return ending
    return None


def marketing_notes(tracker: Tracker) -> list[str]:
    """What the interaction's summary says of the offer, for the agent who reads it."""
    campaign = tracker.get_slot("campaign_name")
    notes = []
    if campaign and ran(tracker, "action_present_offer"):
        notes.append(f"offer presented: {campaign}")
    if ran(tracker, "action_book_campaign_callback"):
        notes.append("not a good time: call back booked")
    if ran(tracker, "action_record_not_interested") and campaign:
        notes.append("not interested")
    if ran(tracker, "action_record_do_not_contact"):
        notes.append("asked not to be contacted again: do-not-contact")
    return notes


# --- the offer -----------------------------------------------------------------------------


class ActionPresentOffer(runtime.CrmAction):
    """Present the campaign's offer in its script's words, and ask to go on with the questions.

    Outbound, the campaign is the call's and the script its entry's (the
    variant of an A/B test); inbound, the running campaign of the product
    named (or in focus), else the latest running one. Sets
    ``offer_found`` (always), ``campaign_id``, ``campaign_name``,
    ``script_name``, ``offer_text``, ``product_name``, ``focus_product``;
    ``result``: ``offer`` / ``no_offer`` (none runs, or its script is unusable).
    """

    def name(self) -> str:
        return "action_present_offer"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        named = entity_values(tracker.latest_message, "product")
        sku = named[0] if named else tracker.get_slot("focus_product")
        with runtime.unit_of_work() as uow:
            campaign = self._campaign(uow, tracker, sku)
            offer = _offer_slots(campaign) if campaign is not None else None
            if offer is not None:
                offer["script_name"] = _entry_script(uow, tracker) or offer["script_name"]
        script = load_campaign_script(offer["script_name"], language(tracker)) if offer else None
        if offer is None or script is None:
            return [SlotSet("offer_found", False), SlotSet(RESULT, "no_offer")]
        slots = {**offer, "offer_text": script.offer}
        return [
            SlotSet("offer_found", True),
            *(SlotSet(k, v) for k, v in slots.items()),
            SlotSet(RESULT, "offer"),
        ]

    @staticmethod
    def _campaign(uow: UnitOfWork, tracker: Tracker, sku: Any) -> Campaign | None:
        chosen = _number(tracker.get_slot("campaign_id"))
        if chosen is not None:
            try:
                return campaigns.get_campaign(uow, campaign_id=chosen)
            except CampaignNotFound:
                logger.warning("campaign %s of %s is gone", chosen, mask(tracker.sender_id))
        return marketing.current_offer(
            uow, product_sku=str(sku) if sku else None, today=runtime.today()
        )


def _entry_script(uow: UnitOfWork, tracker: Tracker) -> str | None:
    """The script of the call list entry this call works (its A/B variant), if any."""
    entry_id = _number(tracker.get_slot("call_list_entry_id"))
    if entry_id is None:
        return None
    try:
        return script_variants.script_for(call_list_entries.get_entry(uow, entry_id=entry_id))
    except CallListEntryNotFound:
        return None


def _offer_slots(campaign: Campaign) -> dict[str, Any]:
    product = campaign.product
    return {
        "campaign_id": str(campaign.id),
        "campaign_name": campaign.name,
        "script_name": campaign.script,
        "product_name": product.name if product else campaign.name,
        "focus_product": product.sku if product else None,
    }


class ActionHandleObjection(Action):  # type: ignore[misc]  # rasa_sdk ships no types
    """Answer an objection to the offer with the script's words for it.

    The objection is the one whose words the customer used, else the one the
    intent means (a price remark, "not now"). Sets ``objection_answer`` and
    ``result``: ``objection`` / ``objection_unknown`` (the script has no answer
    to it: the domain's general words).
    """

    def name(self) -> str:
        return "action_handle_objection"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        script = await runtime.run_blocking(
            load_campaign_script, tracker.get_slot("script_name"), language(tracker)
        )
        said = str(tracker.latest_message.get("text") or "")
        objection = script.objection(said) if script else None
        kind = OBJECTION_OF_INTENT.get(intent_of(tracker.latest_message) or "")
        if objection is None and script is not None and kind:
            objection = script.objection_of_kind(kind)
        if objection is None:
            return [SlotSet("objection_answer", None), SlotSet(RESULT, "objection_unknown")]
        return [SlotSet("objection_answer", objection.answer), SlotSet(RESULT, "objection")]


# --- how the contact ends ------------------------------------------------------------------


class ActionBookCampaignCallback(runtime.CrmAction):
    """ "Not a good time": a call back for the campaign, and the outcome on the entry.

    Sets ``result``: ``callback_booked`` (``technical_problem`` without an account).
    """

    def name(self) -> str:
        return "action_book_campaign_callback"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        account_id = contact_account(tracker)
        if account_id is None:
            return [SlotSet(RESULT, runtime.TECHNICAL_PROBLEM)]
        campaign = tracker.get_slot("campaign_name") or "the offer"
        with runtime.unit_of_work() as uow:
            interaction = conversation.ensure_interaction(
                uow, channel=channel(tracker), conversation_id=tracker.sender_id, now=runtime.now()
            )
            follow_up.schedule_callback(
                uow,
                account_id=account_id,
                reason=f"{campaign}: not a good time for the call ({channel(tracker)})",
                interaction_id=interaction.id,
                now=runtime.now(),
            )
            record_outcome(uow, tracker, CALLBACK_BOOKED)
            uow.commit()
        return [SlotSet(RESULT, "callback_booked")]


class ActionRecordNotInterested(runtime.CrmAction):
    """A no to the offer: on the call list entry, and on the customer's record for later.

    Sets ``result``: ``not_interested_recorded`` when an offer was on the
    table, else ``noted`` (a plain "not interested" in an inbound chat).
    """

    def name(self) -> str:
        return "action_record_not_interested"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        script = tracker.get_slot("script_name")
        if not (tracker.get_slot("campaign_id") and script):
            return [SlotSet(RESULT, "noted")]
        account_id = contact_account(tracker)
        with runtime.unit_of_work() as uow:
            if account_id is not None:
                accounts.record_script_answer(
                    uow,
                    account_id=account_id,
                    script=str(script),
                    question="interest",
                    answer="not interested",
                    now=runtime.now(),
                )
            record_outcome(uow, tracker, NOT_INTERESTED)
            uow.commit()
        return [SlotSet(RESULT, "not_interested_recorded")]
