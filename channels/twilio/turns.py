"""What the phone and SMS doors share: the caller's metadata, digits, a turn within budget.

- A Twilio door is trusted: its request is signed, so the caller's number
  (``From``) goes to the bot as ``caller_phone`` and identifies the account.
- Keypad digits and SMS digit replies answer the choices the bot offered
  last. Those are read back from the conversation's transcript (the doors
  run in several processes: nothing is kept in memory between requests).
  ``0`` always asks for a person.
- A turn runs within the reply budget (``ICBOT_REPLY_BUDGET``), so Twilio
  gets its answer well within its 15 seconds even when Rasa hangs.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import anyio
from anyio import to_thread

from crm_backend.errors import CrmError, CrmUnavailable, InvalidContactData
from crm_backend.redact import mask
from crm_backend.services import products
from crm_backend.text import normalize_phone

from ..conversations import transcripts
from ..conversations.dialogue import DialogueState
from ..conversations.language import COMPANY_NUMBER
from ..conversations.rasa_client import BotMessage, Button, RasaClient
from ..conversations.transcripts import buttons_of
from ..conversations.turn import take_turn
from ..deps import UowFactory

log = logging.getLogger(__name__)

REQUEST_HUMAN = "/request_human"
HUMAN_DIGIT = "0"
# How far back the transcript is read for the bot's last answer.
_LAST_ANSWER_ENTRIES = 20
_CATALOG_TTL = 300.0


@dataclass(frozen=True)
class Reply:
    """The bot's answer to one message; ``failed`` when it had none to give in time.

    ``handed_off``: a person has the conversation (the bot handed it off in this
    turn, or the message went to the agent, who answers later: no messages).
    """

    messages: list[BotMessage]
    failed: bool = False
    handed_off: bool = False
    dialogue: DialogueState | None = None  # when the door asked for it


def caller_metadata(channel: str, caller: str, *, company_number: str = "") -> dict[str, Any]:
    """The metadata of a signed Twilio request: the channel, and the caller's number if it is one.

    Withheld or non-phone callers (``anonymous``, ``client:…``) send no number.
    ``company_number``: our number the customer called or texted (``To`` of an
    inbound request), whose language (``ICBOT_NUMBER_LANGUAGES``) the conversation
    starts in (:mod:`channels.conversations.language`).
    """
    metadata: dict[str, Any] = {"channel": channel}
    with contextlib.suppress(InvalidContactData):
        metadata["caller_phone"] = normalize_phone(caller)
    with contextlib.suppress(InvalidContactData):
        metadata[COMPANY_NUMBER] = normalize_phone(company_number)
    return metadata


def answer_for_digits(digits: str, offered: Sequence[Button]) -> str:
    """What keypad or SMS digits say: ``0`` a person, ``N`` the N-th choice, else the digits."""
    digits = digits.strip()
    if digits == HUMAN_DIGIT:
        return REQUEST_HUMAN
    if digits.isdigit() and 1 <= int(digits) <= len(offered):
        return offered[int(digits) - 1].payload
    return digits


async def last_answer(uow_factory: UowFactory, conversation_id: str) -> list[BotMessage]:
    """The bot's messages since the customer's latest one, from the transcript; [] if unknown."""

    def read() -> list[BotMessage]:
        with uow_factory() as uow:
            entries = uow.transcripts.latest_for(conversation_id, limit=_LAST_ANSWER_ENTRIES)
            answer = []
            for entry in entries:  # newest first
                if entry.role != "bot":
                    break
                answer.append(BotMessage(text=entry.text, buttons=buttons_of(entry.payload)))
            return answer[::-1]

    try:
        return await to_thread.run_sync(read)
    except CrmUnavailable:
        log.exception("transcript of %s unreadable: digits stay digits", mask(conversation_id))
        return []


async def bounded_turn(
    *,
    rasa: RasaClient,
    uow_factory: UowFactory,
    conversation_id: str,
    channel: str,
    text: str,
    metadata: dict[str, Any],
    budget: float,
    dialogue_state: bool = False,
) -> Reply:
    """One turn through :func:`take_turn`, given up after ``budget`` seconds.

    The answer failed when the bot is down, answered nothing (Rasa goes on
    without a crashed action's messages), or took longer than the budget.
    """
    try:
        with anyio.fail_after(budget):
            turn = await take_turn(
                rasa=rasa,
                uow_factory=uow_factory,
                conversation_id=conversation_id,
                channel=channel,
                text=text,
                metadata=metadata,
                dialogue_state=dialogue_state,
            )
    except TimeoutError:
        log.error("the bot took longer than %.1f s for %s", budget, mask(conversation_id))
        why = "(no answer in time)"
    else:
        if turn.degraded:
            return Reply(messages=turn.messages, failed=True)
        if turn.handed_off:
            return Reply(messages=turn.messages, handed_off=True)
        if any(m.text.strip() for m in turn.messages):
            return Reply(messages=turn.messages, dialogue=turn.dialogue)
        log.error("the bot answered nothing for %s", mask(conversation_id))
        why = "(the bot answered nothing)"
    # For the agent who reads the transcript later: why the customer got the apology.
    await transcripts.record(
        uow_factory,
        conversation_id=conversation_id,
        channel=channel,
        role="system",
        texts=[(why, {})],
    )
    return Reply(messages=[], failed=True)


class ProductNames:
    """The catalog's product names and aliases, for speech hints; read again every 5 minutes."""

    def __init__(self, uow_factory: UowFactory, *, ttl: float = _CATALOG_TTL) -> None:
        self._uow_factory = uow_factory
        self._ttl = ttl
        self._names: list[str] = []
        self._read_at = float("-inf")

    async def get(self) -> list[str]:
        """The names, from the CRM when the copy is older than the TTL; [] if the CRM is down."""
        if time.monotonic() - self._read_at < self._ttl:
            return self._names

        def read() -> list[str]:
            with self._uow_factory() as uow:
                entries = products.catalog_lookup(uow)
            names = [str(e["name"]) for e in entries]
            names += [str(a) for e in entries for a in e["aliases"]]
            return list(dict.fromkeys(names))

        try:
            self._names = await to_thread.run_sync(read)
        except CrmError:
            log.exception("catalog unreadable: speech hints without product names")
        self._read_at = time.monotonic()
        return self._names
