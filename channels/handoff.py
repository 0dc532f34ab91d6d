"""Handoffs as the gateway lives them: the bot silent while a person owns the conversation.

The bot decides to hand off (``action_handoff`` queues the conversation in
the CRM) and says so in a response whose custom payload carries
``{"handoff": {...}}``. From then on, until an agent hands the conversation
back or closes it, or the customer leaves the queue:

- :func:`announced_handoff` spots that payload in the bot's answer;
  :func:`silence_the_bot` pauses the conversation in Rasa (its HTTP API), so
  nothing, not even a reminder, makes the bot speak in it.
- :func:`while_handed_off`: the doors (through ``take_turn``) send no
  customer message to Rasa; the message is in the transcript and the desk
  sees it. While the conversation still waits for an agent, a message the
  NLU reads as ``cancel`` ("never mind", the web page's "Back to the
  assistant") takes it out of the queue and the bot speaks again.
- :class:`AgentDesk`: what the desk does for an agent. Its answers, notices
  and the bot's words after the hand-back are "pushed" transcript entries:
  the web chat page fetches them from its event feed
  (:func:`conversation_events`), an SMS conversation gets them by the
  outbound client.

The CRM (the ``handoffs`` table) is the truth every gateway process shares:
whether a conversation is handed off is read there on every turn, never
kept in memory.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from anyio import to_thread
from sqlalchemy.exc import InterfaceError, OperationalError

from crm_backend.errors import CrmError, CrmUnavailable, HandoffNotWaiting
from crm_backend.models import Handoff, HandoffStatus, TranscriptEntry
from crm_backend.services import handoffs
from crm_backend.settings import HandoffSettings

from . import transcripts
from .live import LiveUpdates
from .outbound import OutboundError, TwilioOutbound
from .rasa_client import BotMessage, RasaClient, RasaUnavailable
from .transcripts import UowFactory

log = logging.getLogger(__name__)
T = TypeVar("T")

HANDOFF = "handoff"
# "never mind" while waiting: the NLU's cancel intent, or the web page's button payload.
CANCEL_INTENT = "cancel"
CANCEL_PAYLOAD = "/cancel"
CANCEL_CONFIDENCE = 0.7
# What the bot says when it has the conversation again (responses in domain.yml).
HANDED_BACK = "utter_anything_else"
WAIT_CANCELLED = "utter_cancelled"
# Said by the gateway while the bot is paused, so not in the domain.
JOINED = "{agent} from our team has joined the conversation."
CLOSED = "{agent} has closed this conversation. Thank you for contacting us."


class DeskError(Exception):
    """What the desk could not do; the message is for the agent."""


@dataclass(frozen=True)
class HandoffState:
    """Where a conversation's handoff stands, for the doors and the web page."""

    id: int
    status: str
    agent: str | None


@dataclass(frozen=True)
class PushedEvent:
    """A message the customer gets outside the bot's answers (an agent's, the bot's after it)."""

    id: int
    role: str
    text: str
    at: str
    author: str | None
    buttons: list[dict[str, Any]]


def announced_handoff(messages: Sequence[BotMessage]) -> dict[str, Any] | None:
    """The bot's custom ``handoff`` payload in its answer, if it handed off."""
    for message in messages:
        payload = message.custom.get(HANDOFF)
        if isinstance(payload, dict):
            return payload
    return None


def shown(messages: Sequence[BotMessage]) -> list[BotMessage]:
    """The messages a customer sees: not the ones that only carry a custom payload."""
    return [m for m in messages if m.text.strip() or m.buttons]


async def active_handoff(uow_factory: UowFactory, conversation_id: str) -> HandoffState | None:
    """The conversation's waiting or assigned handoff, if any.

    Raises:
        CrmUnavailable: the database cannot be reached.
    """

    def read() -> HandoffState | None:
        with uow_factory() as uow:
            found = handoffs.active_handoff_for(uow, conversation_id=conversation_id)
            return _state(found) if found is not None else None

    return await _crm(read)


async def silence_the_bot(rasa: RasaClient, conversation_id: str) -> None:
    """Pause the conversation in Rasa; a failure is logged (the CRM still routes to the desk)."""
    try:
        await rasa.pause(conversation_id)
    except RasaUnavailable:
        log.exception("conversation %s handed off but not paused in Rasa", conversation_id)


async def while_handed_off(
    *,
    rasa: RasaClient,
    uow_factory: UowFactory,
    state: HandoffState,
    conversation_id: str,
    text: str,
    live: LiveUpdates | None = None,
) -> tuple[list[BotMessage], bool]:
    """A customer message while a person owns the conversation: (the bot's messages, handed off).

    The message is already in the transcript. While it waits, a "never mind"
    takes the conversation out of the queue and the bot speaks again;
    otherwise the bot stays silent and the desk sees the message.
    """
    if state.status == HandoffStatus.WAITING and await _wants_the_bot(rasa, text):

        def leave() -> bool:
            with uow_factory() as uow:
                try:
                    handoffs.leave_queue(uow, handoff_id=state.id)
                except HandoffNotWaiting:
                    return False  # an agent took it meanwhile: the message is theirs
                uow.commit()
                return True

        if await _crm(leave):
            if live is not None:
                live.notify()
            return await _bot_again(rasa, conversation_id, WAIT_CANCELLED), False
    if live is not None:
        live.notify()
    return [], True


async def _wants_the_bot(rasa: RasaClient, text: str) -> bool:
    if text.strip().lower() == CANCEL_PAYLOAD:
        return True
    try:
        intent, confidence = await rasa.parse(text)
    except RasaUnavailable:
        log.warning("no NLU to read a message during a handoff: it goes to the agent")
        return False
    return intent == CANCEL_INTENT and confidence >= CANCEL_CONFIDENCE


async def _bot_again(rasa: RasaClient, conversation_id: str, action: str) -> list[BotMessage]:
    """Resume the conversation in Rasa and have the bot say ``action``."""
    try:
        await rasa.resume(conversation_id)
        return shown(await rasa.say(conversation_id, action))
    except RasaUnavailable:
        log.exception("the bot could not take %s back", conversation_id)
        return []


def conversation_events(
    uow_factory: UowFactory, conversation_id: str, *, after: int | None
) -> tuple[list[PushedEvent], int, HandoffState | None]:
    """The pushed messages after ``after``, the cursor to ask from next, and the handoff.

    Without ``after`` only the cursor and the state come back: a page that
    starts listening gets what happens from then on.
    """
    with uow_factory() as uow:
        latest = uow.transcripts.latest_for(conversation_id, limit=1)
        cursor = latest[0].id if latest else 0
        entries: Sequence[TranscriptEntry] = []
        if after is not None:
            entries = [
                e
                for e in uow.transcripts.for_conversation(conversation_id)
                if e.id > after and (e.payload or {}).get("pushed")
            ]
        found = handoffs.active_handoff_for(uow, conversation_id=conversation_id)
        return (
            [
                PushedEvent(
                    id=e.id,
                    role=e.role,
                    text=e.text,
                    at=e.at.isoformat(),
                    author=(e.payload or {}).get("agent"),
                    buttons=list((e.payload or {}).get("buttons") or []),
                )
                for e in entries
            ],
            cursor,
            _state(found) if found is not None else None,
        )


async def _crm(function: Callable[[], T]) -> T:
    """Run CRM work in a worker thread; a database that cannot be reached is ``CrmUnavailable``."""
    try:
        return await to_thread.run_sync(function)
    except (OperationalError, InterfaceError) as exc:
        raise CrmUnavailable("the database cannot be reached") from exc


def _state(handoff: Handoff) -> HandoffState:
    agent = handoff.agent.display_name if handoff.agent is not None else None
    return HandoffState(id=handoff.id, status=str(handoff.status), agent=agent)


@dataclass(frozen=True)
class Target:
    """Where a handoff's messages go, read inside a unit of work (no model leaves it)."""

    conversation_id: str
    channel: str
    reply_to: str | None
    agent: str

    @classmethod
    def of(cls, handoff: Handoff) -> Target:
        """The handoff's conversation, channel, number and agent's name."""
        return cls(
            conversation_id=handoff.conversation_id,
            channel=handoff.channel,
            reply_to=handoff.reply_to,
            agent=handoff.agent.display_name if handoff.agent is not None else "An adviser",
        )


class AgentDesk:
    """What the desk does for an agent: take, answer, note, hand back, close.

    Args:
        outbound: makes the SMS client when a message must go out by SMS
            (raises ``OutboundNotConfigured`` without Twilio settings).
    """

    def __init__(
        self,
        *,
        rasa: RasaClient,
        uow_factory: UowFactory,
        settings: HandoffSettings,
        live: LiveUpdates,
        outbound: Callable[[], TwilioOutbound],
    ) -> None:
        self.rasa = rasa
        self.uows = uow_factory
        self.settings = settings
        self.live = live
        self._outbound = outbound

    async def take(self, *, handoff_id: int, agent_id: int) -> list[str]:
        """Assign the conversation to the agent and tell the customer; the warnings for the agent.

        Raises:
            HandoffNotWaiting: another agent was faster, or the customer left the queue.
            CrmError: the handoff or agent is unknown, or the CRM is down.
        """

        def take() -> Target:
            with self.uows() as uow:
                handoff = handoffs.take_handoff(uow, handoff_id=handoff_id, agent_id=agent_id)
                uow.commit()
                return Target.of(handoff)

        target = await _crm(take)
        return await self._push(target, "system", [JOINED.format(agent=target.agent)])

    async def reply(self, *, handoff_id: int, agent_id: int, text: str) -> list[str]:
        """Send the agent's answer on the customer's channel; the warnings for the agent.

        Raises:
            NotYourHandoff, InvalidRequest, CrmError: see ``handoffs.add_agent_message``.
            DeskError: the conversation is a phone call (the agent talks on the phone).
        """

        def write() -> tuple[Target, str]:
            with self.uows() as uow:
                handoff, _agent = handoffs.owned_handoff(
                    uow, handoff_id=handoff_id, agent_id=agent_id
                )
                if handoff.channel == "voice":
                    raise DeskError("This is a phone call: answer the customer on the phone.")
                entry = handoffs.add_agent_message(
                    uow, handoff_id=handoff_id, agent_id=agent_id, text=text
                )
                uow.commit()
                return Target.of(handoff), entry.text

        target, sent = await _crm(write)
        self.live.notify()
        return await self._deliver(target, [sent])

    async def note(self, *, handoff_id: int, agent_id: int, text: str) -> None:
        """Add an internal note (never shown to the customer).

        Raises:
            NotYourHandoff, InvalidRequest, CrmError: see ``handoffs.add_note``.
        """

        def write() -> None:
            with self.uows() as uow:
                handoffs.add_note(uow, handoff_id=handoff_id, agent_id=agent_id, text=text)
                uow.commit()

        await _crm(write)
        self.live.notify()

    async def finish(
        self, *, handoff_id: int, agent_id: int, hand_back: bool, wrap_up_code: str, summary: str
    ) -> list[str]:
        """Hand the conversation back to the bot (which asks "anything else?") or close it.

        The bot is resumed first: if Rasa cannot be reached, nothing changes and
        the agent can try again. Returns warnings for the agent.

        Raises:
            DeskError: Rasa could not be reached.
            NotYourHandoff, InvalidRequest, CrmError: see ``handoffs.hand_back``.
        """

        def check() -> Target:
            with self.uows() as uow:
                handoff, _agent = handoffs.owned_handoff(
                    uow, handoff_id=handoff_id, agent_id=agent_id
                )
                return Target.of(handoff)

        target = await _crm(check)
        try:
            await self.rasa.resume(target.conversation_id)
        except RasaUnavailable as exc:
            raise DeskError("The bot cannot be reached right now; please try again.") from exc

        def finish() -> None:
            with self.uows() as uow:
                service = handoffs.hand_back if hand_back else handoffs.close_handoff
                service(
                    uow,
                    handoff_id=handoff_id,
                    agent_id=agent_id,
                    wrap_up_code=wrap_up_code,
                    summary=summary,
                    settings=self.settings,
                )
                uow.commit()

        try:
            await _crm(finish)
        except CrmError:
            await silence_the_bot(self.rasa, target.conversation_id)  # still the agent's
            raise
        if not hand_back:
            return await self._push(target, "system", [CLOSED.format(agent=target.agent)])
        try:
            messages = shown(await self.rasa.say(target.conversation_id, HANDED_BACK))
        except RasaUnavailable:
            log.exception("handed back, but the bot did not speak in %s", target.conversation_id)
            return ["The bot has the conversation again but could not greet the customer."]
        return await self._push(
            target,
            "bot",
            [m.text for m in messages],
            buttons=[[b.__dict__ for b in m.buttons] for m in messages],
        )

    async def _push(
        self,
        target: Target,
        role: str,
        texts: list[str],
        *,
        buttons: list[list[dict[str, str]]] | None = None,
    ) -> list[str]:
        """Write pushed entries into the transcript and deliver them; warnings for the agent."""
        payloads: list[dict[str, Any]] = [
            {"pushed": True, **({"buttons": b} if b else {})}
            for b in (buttons or [[] for _ in texts])
        ]
        await _crm(
            lambda: transcripts.record(
                self.uows,
                conversation_id=target.conversation_id,
                channel=target.channel,
                role=role,
                texts=list(zip(texts, payloads, strict=True)),
            )
        )
        self.live.notify()
        return await self._deliver(target, texts)

    async def _deliver(self, target: Target, texts: list[str]) -> list[str]:
        """Send pushed texts by SMS on an SMS conversation; the web page fetches them itself."""
        if target.channel != "sms" or not texts:
            return []
        number = target.reply_to or target.conversation_id.removeprefix("sms-")

        def send() -> None:
            client = self._outbound()
            for text in texts:
                client.send_sms(to=number, body=text, marketing=False)

        try:
            await _crm(send)
        except OutboundError as exc:
            log.exception("SMS to %s not sent", number)
            return [f"The SMS could not be sent: {exc}"]
        except CrmError as exc:
            log.exception("SMS to %s not sent", number)
            return [f"The SMS could not be sent: {exc.message}"]
        return []
