"""Don't contact me (PROCESSES.md 2): the whole account, or only the channels named.

"Don't call me again", "remove me from your lists": the account is
do-not-contact at once, so no list calls it again. "Stop texting me, e-mail
is fine", "no more sms": only the channels named are opted out, and the
others stay as they were. Said before anyone is identified, the request is
carried out once the customer is (``pending_task: stop_contact``), from the
words of that request.
"""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from crm_backend.models import ConsentStatus, ContactChannel
from crm_backend.services import consent

from . import runtime
from .follow_up import opted_out_words
from .marketing import DO_NOT_CONTACT, RESULT, contact_account, record_outcome
from .messages import caller_phone, channel, language, message_with
from .parsing import channels_said

# "Take me off your list", "leave me alone": everything, whatever channel is named beside.
_EVERYTHING = re.compile(
    r"\b(off (ur|your|the|all your) lists?|leave me alone|(any|every|all) (channels?|ways?)"
    r"|at all|(do not|don'?t|never) (contact|bother) me|all (communications?|contacts?))\b",
    re.IGNORECASE,
)


def channels_to_stop(text: str, language: str = "en") -> list[ContactChannel]:
    """The channels the words ask to stop; empty when they name none (stop everything).

    A clause that keeps a channel ("e-mail is fine") does not stop it; when
    every channel named is one kept ("e-mail only from now on"), the others
    are the ones to stop.
    """
    if _EVERYTHING.search(text):
        return []
    stopped, kept = channels_said(text, language=language)
    if not stopped and kept:
        return [c for c in ContactChannel if c not in kept]
    return [ContactChannel(c) for c in stopped]


class ActionRecordDoNotContact(runtime.CrmAction):
    """ "Don't call me again": do-not-contact, or an opt-out of the channels named.

    The account is the verified one or the one we called; without either, a
    trusted caller number is opted out of calls and texts (those named, else
    both). Sets ``opted_out_channels`` and ``result``:
    ``do_not_contact_recorded``, ``channel_opt_out_recorded`` or
    ``do_not_contact_unknown`` (nobody to mark: the customer must say who
    they are first).
    """

    def name(self) -> str:
        return "action_record_do_not_contact"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        account_id = contact_account(tracker)
        number = caller_phone(tracker)
        request = str(message_with(tracker, "stop_contact").get("text") or "")
        asked = channels_to_stop(request, language(tracker))
        if tracker.get_slot("outbound_call"):
            # Said to our marketing call, "don't call me again" means off every list.
            asked = []
        if account_id is None:
            # A number can be opted out of calls and texts, not of e-mails.
            by_number: list[ContactChannel] = [c for c in asked if c != ContactChannel.EMAIL]
            if number is None or (asked and not by_number):
                return [SlotSet(RESULT, "do_not_contact_unknown")]
            asked = by_number
        source = f"asked in conversation {tracker.sender_id} ({channel(tracker)})"
        with runtime.unit_of_work() as uow:
            if account_id is None:
                for opted_out in asked or [ContactChannel.PHONE, ContactChannel.SMS]:
                    consent.opt_out_number(
                        uow, phone=str(number), channel=opted_out, source=source, now=runtime.now()
                    )
            elif not asked:
                consent.set_do_not_contact(
                    uow, account_id=account_id, source=source, now=runtime.now()
                )
            else:
                for opted_out in asked:
                    consent.set_consent(
                        uow,
                        account_id=account_id,
                        channel=opted_out,
                        status=ConsentStatus.OPT_OUT,
                        source=source,
                        now=runtime.now(),
                    )
            record_outcome(uow, tracker, DO_NOT_CONTACT)
            uow.commit()
        if not asked:
            return [SlotSet(RESULT, "do_not_contact_recorded")]
        named = opted_out_words(asked, language(tracker))
        return [SlotSet("opted_out_channels", named), SlotSet(RESULT, "channel_opt_out_recorded")]
