"""The language of each conversation: chosen at its first message, changed when the customer asks.

At each customer message (:meth:`ConversationLanguages.choose`):

1. a request for a language in the message ("in English please", "en français"):
   :mod:`languages.switch`;
2. else the conversation's language, as the CRM keeps it
   (``crm_backend.services.conversation_language``); while it was only the default
   (the first messages said too little), the identifier tries again;
3. at the first message: the preferred language of the account whose phone the
   door trusts (``caller_phone``: a signed Twilio request, the integration token),
   the language of the company number called or texted (``company_number``,
   ``ICBOT_NUMBER_LANGUAGES``), the page's language (``language``, from the web chat
   page: a known code or nothing), the identifier on the message
   (:mod:`languages.identify`), else English.

After the turn (:meth:`ConversationLanguages.after_turn`): once Rasa names the
identified account (the dialogue state, :mod:`.dialogue`), its preferred language,
when it has one and the customer did not ask for another, holds from the next turn.

Only languages with a Rasa server are chosen (``spoken``). Every message goes to
Rasa with the chosen language in its metadata (``language``), under the same
conversation id whatever the language: the servers share the tracker store, so the
identified customer and the products chosen carry over a switch.

A CRM that is down loses nothing but the memory: the turn's language is still
chosen (from the message and the hints) and the failure is logged.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from crm_backend.errors import CrmError, CrmUnavailable
from crm_backend.redact import mask
from crm_backend.services import conversation_language as records
from crm_backend.uow import UnitOfWork
from languages import DEFAULT
from languages.identify import identify
from languages.switch import requested_language

from ..deps import UowFactory, in_thread
from .dialogue import DialogueState

log = logging.getLogger(__name__)

# The metadata keys a door may pass to the turn about the language (never sent to Rasa as such).
PAGE_LANGUAGE = "language"
COMPANY_NUMBER = "company_number"
CALLER_PHONE = "caller_phone"
# A browser's language tag: "fr", "fr-FR", "en-GB"; only its first part counts.
_LANGUAGE_TAG = re.compile(r"([a-zA-Z]{2})(?:[-_][A-Za-z0-9]{1,8}){0,3}")


def known_language(value: object, spoken: Sequence[str]) -> str | None:
    """``value`` as a language icbot speaks ("fr-FR" is "fr"); None for anything else."""
    if not isinstance(value, str) or len(value) > 35:
        return None
    match = _LANGUAGE_TAG.fullmatch(value.strip())
    if match is None:
        return None
    code = match.group(1).lower()
    return code if code in spoken else None


def number_language(number: object, numbers: Mapping[str, str]) -> str | None:
    """The language of the company number (the longest key of ``numbers`` it starts with)."""
    if not isinstance(number, str) or not number.startswith("+"):
        return None
    matches = [key for key in numbers if number.startswith(key)]
    return numbers[max(matches, key=len)] if matches else None


def _among(language: str | None, spoken: Sequence[str]) -> str | None:
    return language if language is not None and language in spoken else None


@dataclass(frozen=True)
class Choice:
    """A conversation's language for one turn, what chose it, and what the CRM knew before."""

    language: str
    chosen_by: str
    account_checked: bool = False
    changed: bool = True  # to be written to the CRM


class ConversationLanguages:
    """Each conversation's language: chosen, kept in the CRM, asked for by the Rasa client."""

    def __init__(
        self,
        uow_factory: UowFactory,
        *,
        spoken: Callable[[], Sequence[str]] = lambda: (DEFAULT,),
        numbers: Mapping[str, str] | None = None,
    ) -> None:
        """``spoken``: the languages with a Rasa server; ``numbers``: each company number's."""
        self.uow_factory = uow_factory
        self.spoken = spoken
        self.numbers = dict(numbers or {})

    async def language_of(self, conversation_id: str) -> str:
        """The conversation's language: the one the CRM keeps, else English.

        What the other doors use to speak to a conversation in its language (the web
        page, SMS and voice wording), and what the Rasa client routes by.
        """

        def read() -> str | None:
            with self.uow_factory() as uow:
                row = records.conversation_language(uow, conversation_id=conversation_id)
                return row.language if row is not None else None

        try:
            language = await in_thread(read)
        except CrmUnavailable:
            log.exception("language of %s unknown: English", mask(conversation_id))
            return DEFAULT
        return _among(language, self.spoken()) or DEFAULT

    async def choose(self, conversation_id: str, text: str, metadata: Mapping[str, Any]) -> Choice:
        """The language of this turn (module docstring), written to the CRM when it changed."""
        spoken = self.spoken()
        asked = _among(requested_language(text), spoken)

        def decide_and_write() -> Choice:
            with self.uow_factory() as uow:
                row = records.conversation_language(uow, conversation_id=conversation_id)
                current = (
                    None
                    if row is None
                    else Choice(row.language, row.chosen_by, row.account_checked, changed=False)
                )
                choice = self._decide(uow, text, metadata, asked, current, spoken)
                if choice.changed:
                    records.set_conversation_language(
                        uow,
                        conversation_id=conversation_id,
                        language=choice.language,
                        chosen_by=choice.chosen_by,
                        allowed=spoken,
                    )
                    uow.commit()
                return choice

        try:
            return await in_thread(decide_and_write)
        except CrmError:
            log.exception("language of %s not kept: chosen for this turn", mask(conversation_id))
            return self._decide(None, text, metadata, asked, None, spoken)

    def _decide(
        self,
        uow: UnitOfWork | None,
        text: str,
        metadata: Mapping[str, Any],
        asked: str | None,
        current: Choice | None,
        spoken: Sequence[str],
    ) -> Choice:
        checked = current.account_checked if current is not None else False
        if asked is not None:
            unchanged = current is not None and (current.language, current.chosen_by) == (
                asked,
                "switch",
            )
            return Choice(asked, "switch", checked, changed=not unchanged)
        if current is not None and current.language in spoken:
            if current.chosen_by == "default":
                found = _among(identify(text), spoken)
                if found is not None and found != current.language:
                    return Choice(found, "identifier", checked)
            return current
        return self._first(uow, text, metadata, spoken)

    def _first(
        self, uow: UnitOfWork | None, text: str, metadata: Mapping[str, Any], spoken: Sequence[str]
    ) -> Choice:
        phone = metadata.get(CALLER_PHONE)
        if uow is not None and isinstance(phone, str) and phone:
            preferred = _among(records.preferred_language_of_phone(uow, phone=phone), spoken)
            if preferred is not None:
                return Choice(preferred, "account")
        by_number = _among(number_language(metadata.get(COMPANY_NUMBER), self.numbers), spoken)
        if by_number is not None:
            return Choice(by_number, "number")
        page = known_language(metadata.get(PAGE_LANGUAGE), spoken)
        if page is not None:
            return Choice(page, "page")
        found = _among(identify(text), spoken)
        if found is not None:
            return Choice(found, "identifier")
        return Choice(DEFAULT if DEFAULT in spoken else spoken[0], "default")

    async def after_turn(
        self, conversation_id: str, choice: Choice, dialogue: DialogueState | None
    ) -> None:
        """Once Rasa names the identified account, its preferred language holds from now on.

        Looked at once per conversation; a language the customer asked for stays.
        """
        if choice.account_checked or dialogue is None or dialogue.account_id is None:
            return
        account_id = dialogue.account_id
        spoken = self.spoken()

        def apply() -> None:
            with self.uow_factory() as uow:
                preferred = _among(records.preferred_language(uow, account_id=account_id), spoken)
                language, chosen_by = choice.language, choice.chosen_by
                if preferred is not None and preferred != language and chosen_by != "switch":
                    language, chosen_by = preferred, "account"
                    log.info("%s: the account prefers %s", mask(conversation_id), language)
                records.set_conversation_language(
                    uow,
                    conversation_id=conversation_id,
                    language=language,
                    chosen_by=chosen_by,
                    allowed=spoken,
                    account_checked=True,
                )
                uow.commit()

        try:
            await in_thread(apply)
        except CrmError:
            log.exception("preferred language of %s not applied", mask(conversation_id))


def rasa_metadata(metadata: Mapping[str, Any], language: str) -> dict[str, Any]:
    """What goes to Rasa: the door's metadata without its hints, and the chosen language."""
    sent = {k: v for k, v in metadata.items() if k not in (PAGE_LANGUAGE, COMPANY_NUMBER)}
    sent["language"] = language
    return sent
