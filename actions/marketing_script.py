"""The campaign's interactive script as a form, and the lead its answers qualify (PROCESSES.md 2).

``script_form`` has one question slot, ``script_answer``, asked again for
every question of the script. Which question, in which words, with which
answers, comes from the script's YAML file, read at run time
(:mod:`crm_backend.services.scripts`): marketing rewords, reorders, branches
and rescores without retraining the bot. Its texts and the words that pick
an answer are the conversation's language's; the answer kept is the
script's reference words (English), so leads compare across languages.

- ``validate_script_form`` (:class:`ValidateScriptForm`) keeps the script's
  place: at the start it sets the first question; for each answer it picks
  the option the words mean (or keeps free text), records it in
  ``script_answers`` and moves to the question the answer leads to, setting
  ``script_question`` (its id), ``script_question_text`` and
  ``script_options`` (the answers as buttons). Words that pick none of a
  question's answers ask it again, once; a second miss moves on without an
  answer (``form_notice: skipped``). When no question follows,
  ``script_answer`` is ``complete`` and the form ends. A prospect nobody
  knows is also asked for an e-mail or phone (``lead_contact``).
- ``action_ask_script_answer`` utters ``utter_ask_script_answer`` (which
  shows ``{script_question_text}``) with the options as buttons. The doors
  say them with their digits (phone) or number them (SMS).
- ``action_create_scripted_lead`` creates the lead: campaign as source,
  answers, score and level from the script's scoring; the answers also go on
  the account.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from crm_backend.errors import AccountNotFound, CampaignNotFound, InvalidContactData
from crm_backend.interactive_scripts import Question
from crm_backend.services import conversation, marketing

from . import runtime
from .leads import contact_slot, prospect_account
from .marketing import LEAD_CREATED, contact_account, load_campaign_script, record_outcome
from .messages import caller_phone, channel, entity_values, language
from .questions import AskSlot, asked_since_last_message

logger = logging.getLogger(__name__)

FORM_NOTICE = "form_notice"
ANSWER = "script_answer"
COMPLETE = "complete"
ASKED_AGAIN = "script_asked_again"  # the question asked again once, not answered the first time
OPTION_ENTITY = "script_option"
# Everything one run of the script keeps; emptied when the lead is created or the form left.
SCRIPT_SLOTS = (
    ANSWER,
    "script_question",
    "script_question_text",
    "script_options",
    "script_answers",
    ASKED_AGAIN,
)


def option_payload(answer: str) -> str:
    """A button's payload: the answer as an entity, so a click or a digit skips the NLU."""
    return "/inform" + json.dumps({OPTION_ENTITY: answer}, ensure_ascii=False)


def question_slots(question: Question) -> dict[str, Any]:
    """The slots that make ``utter_ask_script_answer`` ask this question."""
    return {
        "script_question": question.id,
        "script_question_text": question.ask,
        "script_options": [
            {"title": option.answer, "payload": option_payload(option.answer)}
            for option in question.options
        ],
    }


def known_contact(tracker: Tracker) -> bool:
    """Whether the lead has an account without asking: verified, called, or a trusted number."""
    return contact_account(tracker) is not None or caller_phone(tracker) is not None


class ValidateScriptForm(runtime.CrmFormValidationAction):
    """Validate script_form: one answer per question, in the order the script's branches say."""

    def name(self) -> str:
        return "validate_script_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """The script's questions, then a contact for a prospect nobody knows yet."""
        return [ANSWER] if known_contact(tracker) else [ANSWER, "lead_contact"]

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Validate; when the form starts, first set the script's first question, no answers yet.

        Only the form's own slots come back from a validation, so the
        question's slots are added here rather than by an extraction.
        """
        start: list[EventType] = []
        if tracker.get_slot(runtime.REQUESTED_SLOT) is None:
            script = load_campaign_script(tracker.get_slot("script_name"), language(tracker))
            # Without a script there is nothing to ask: the form ends, the lead action says so.
            asked = question_slots(script.first()) if script else {ANSWER: COMPLETE}
            start = [SlotSet(k, v) for k, v in {"script_answers": {}, **asked}.items()]
            tracker.add_slots(start)
        validated: list[EventType] = await super().get_validation_events(
            dispatcher, tracker, domain
        )
        return [*start, *validated]

    def validate_script_answer(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The option the words pick (or the words of an open question); then the next question."""
        if value is None or value == COMPLETE:
            return {ANSWER: value}
        script = load_campaign_script(tracker.get_slot("script_name"), language(tracker))
        question = script.question(tracker.get_slot("script_question")) if script else None
        if script is None or question is None:
            # The script changed under this conversation: end with what was answered.
            return {ANSWER: COMPLETE, "script_question": None}
        chosen = entity_values(tracker.latest_message, OPTION_ENTITY)
        said = chosen[0] if chosen else str(value)
        option = question.match(said) if question.options else None
        # The lead keeps an option in the script's reference words, whatever the language.
        answer = option.recorded if option else " ".join(said.split())
        answers = dict(tracker.get_slot("script_answers") or {})
        if (question.options and option is None) or not answer:
            if tracker.get_slot(ASKED_AGAIN) != question.id:
                return {ANSWER: None, FORM_NOTICE: "not_understood", ASKED_AGAIN: question.id}
            # Asked twice and still no answer: the lead goes without it rather than loop.
            following, notice = script.after(question, None), {FORM_NOTICE: "skipped"}
        else:
            answers[question.id] = answer
            following, notice = script.after(question, option), {}
        if following is None:
            return {ANSWER: COMPLETE, "script_answers": answers, "script_question": None}
        return {ANSWER: None, "script_answers": answers, **question_slots(following), **notice}

    def validate_lead_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """An e-mail address or a phone number, as for lead_form."""
        return contact_slot(value, tracker)


class ActionAskScriptAnswer(AskSlot):
    """Ask the script's current question, with its answers as buttons."""

    slot = ANSWER

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        question = f"utter_ask_{self.slot}"
        if not asked_since_last_message(tracker, question):
            buttons = tracker.get_slot("script_options") or []
            dispatcher.utter_message(response=question, buttons=list(buttons))
        return [SlotSet(FORM_NOTICE, None)]


class ActionCreateScriptedLead(runtime.CrmAction):
    """Create the lead the script's answers qualify, with the campaign as its source.

    The lead goes on the verified account, else the account we called, else
    the one account holding the prospect's contact (or the trusted caller
    number), else a new prospect account. Sets ``product_name``,
    ``lead_level``; empties the script's slots and ``lead_contact``;
    ``result``: ``lead_qualified``.
    """

    def name(self) -> str:
        return "action_create_scripted_lead"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        reset = [SlotSet(slot, None) for slot in (*SCRIPT_SLOTS, "lead_contact")]
        script = load_campaign_script(tracker.get_slot("script_name"), language(tracker))
        answers = dict(tracker.get_slot("script_answers") or {})
        if script is None:
            return [*reset, SlotSet("result", runtime.TECHNICAL_PROBLEM)]
        campaign = tracker.get_slot("campaign_id")
        said_on = channel(tracker)
        try:
            with runtime.unit_of_work() as uow:
                owner = contact_account(tracker) or prospect_account(
                    uow, str(tracker.get_slot("lead_contact") or caller_phone(tracker) or "")
                )
                lead = marketing.create_scripted_lead(
                    uow,
                    script=script,
                    account_id=owner,
                    answers=answers,
                    source_channel=said_on,
                    campaign_id=int(campaign) if campaign else None,
                    now=runtime.now(),
                )
                interaction = conversation.ensure_interaction(
                    uow, channel=said_on, conversation_id=tracker.sender_id, now=runtime.now()
                )
                conversation.link_interaction(uow, interaction_id=interaction.id, lead_id=lead.id)
                record_outcome(uow, tracker, LEAD_CREATED, lead_id=lead.id)
                name, level = lead.product_interest, str(lead.level)
                uow.commit()
        except (AccountNotFound, CampaignNotFound, InvalidContactData) as error:
            logger.warning("no scripted lead for %s: %s", tracker.sender_id, error.message)
            return [*reset, SlotSet("result", runtime.TECHNICAL_PROBLEM)]
        return [
            SlotSet("product_name", name),
            SlotSet("lead_level", level),
            *reset,
            SlotSet("result", "lead_qualified"),
        ]
