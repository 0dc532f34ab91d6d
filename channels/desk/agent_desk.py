"""What the desk does for an agent: take a conversation, answer, note, hand back, close.

The agent's answers, the gateway's notices ("Anna has joined") and the bot's
words after the hand-back are "pushed" transcript entries: the web chat page
fetches them from its event feed (:func:`channels.conversations.handoff.conversation_events`),
an SMS conversation gets them by the outbound Twilio client, and a phone call
was put through to the agents' line.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from crm_backend.errors import CrmError
from crm_backend.models import Handoff
from crm_backend.redact import mask
from crm_backend.services import handoff, satisfaction
from crm_backend.settings import HandoffSettings

from ..conversations import transcripts
from ..conversations.handoff import shown, silence_the_bot
from ..conversations.live import LiveUpdates
from ..conversations.rasa_client import BotMessage, RasaClient, RasaUnavailable
from ..deps import UowFactory, in_thread
from ..twilio.outbound import OutboundError, TwilioOutbound

log = logging.getLogger(__name__)

# What the bot says when it has the conversation again (a response in domain/conversation.yml).
HANDED_BACK = "utter_anything_else"
# Said by the gateway while the bot is paused, so not in the domain.
JOINED = "{agent} from our team has joined the conversation."
CLOSED = "{agent} has closed this conversation. Thank you for contacting us."
# The bot's satisfaction question, asked after an agent closed a chat or SMS conversation.
SURVEY = "satisfaction_form"


class DeskError(Exception):
    """What the desk could not do; the message is for the agent."""


class PhoneCall(DeskError):
    """The conversation is a phone call: the agent answers the customer on the phone."""


class BotUnreachable(DeskError):
    """Rasa could not be reached to take the conversation back: nothing changed."""


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
                taken = handoff.take_handoff(uow, handoff_id=handoff_id, agent_id=agent_id)
                uow.commit()
                return Target.of(taken)

        target = await in_thread(take)
        return await self._push(
            target, "system", [BotMessage(text=JOINED.format(agent=target.agent))]
        )

    async def reply(self, *, handoff_id: int, agent_id: int, text: str) -> list[str]:
        """Send the agent's answer on the customer's channel; the warnings for the agent.

        Raises:
            NotYourHandoff, InvalidRequest, CrmError: see ``handoff.add_agent_message``.
            PhoneCall: the conversation is a phone call (the agent talks on the phone).
        """

        def write() -> tuple[Target, str]:
            with self.uows() as uow:
                owned, _agent = handoff.owned_handoff(uow, handoff_id=handoff_id, agent_id=agent_id)
                if owned.channel == "voice":
                    raise PhoneCall("This is a phone call: answer the customer on the phone.")
                entry = handoff.add_agent_message(
                    uow, handoff_id=handoff_id, agent_id=agent_id, text=text
                )
                uow.commit()
                return Target.of(owned), entry.text

        target, sent = await in_thread(write)
        self.live.notify()
        return await self._deliver(target, [sent])

    async def note(self, *, handoff_id: int, agent_id: int, text: str) -> None:
        """Add an internal note (never shown to the customer).

        Raises:
            NotYourHandoff, InvalidRequest, CrmError: see ``handoff.add_note``.
        """

        def write() -> None:
            with self.uows() as uow:
                handoff.add_note(uow, handoff_id=handoff_id, agent_id=agent_id, text=text)
                uow.commit()

        await in_thread(write)
        self.live.notify()

    async def finish(
        self, *, handoff_id: int, agent_id: int, hand_back: bool, wrap_up_code: str, summary: str
    ) -> list[str]:
        """Hand the conversation back to the bot (which asks "anything else?") or close it.

        The bot is resumed first: if Rasa cannot be reached, nothing changes and
        the agent can try again. Returns warnings for the agent.

        Raises:
            BotUnreachable: Rasa could not be reached.
            NotYourHandoff, InvalidRequest, CrmError: see ``handoff.hand_back``.
        """

        def check() -> Target:
            with self.uows() as uow:
                owned, _agent = handoff.owned_handoff(uow, handoff_id=handoff_id, agent_id=agent_id)
                return Target.of(owned)

        target = await in_thread(check)
        try:
            await self.rasa.resume(target.conversation_id)
        except RasaUnavailable as exc:
            raise BotUnreachable("The bot cannot be reached right now; please try again.") from exc

        def finish() -> None:
            with self.uows() as uow:
                service = handoff.hand_back if hand_back else handoff.close_handoff
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
            await in_thread(finish)
        except CrmError:
            await silence_the_bot(self.rasa, target.conversation_id)  # still the agent's
            raise
        if not hand_back:
            closed = BotMessage(text=CLOSED.format(agent=target.agent))
            warnings = await self._push(target, "system", [closed])
            return warnings + await self._survey(handoff_id, target)
        try:
            messages = shown(await self.rasa.say(target.conversation_id, HANDED_BACK))
        except RasaUnavailable:
            log.exception("handed back, but the bot did not speak in %s", target.conversation_id)
            return ["The bot has the conversation again but could not greet the customer."]
        return await self._push(target, "bot", messages)

    async def _survey(self, handoff_id: int, target: Target) -> list[str]:
        """After a close, the bot asks the satisfaction question when it is due (chat, SMS).

        The conversation is closed whatever happens here: a CRM or bot that
        fails only means the customer is not asked.
        """

        def due() -> bool:
            with self.uows() as uow:
                asked = satisfaction.ask_after_agent(uow, handoff_id=handoff_id)
                uow.commit()
                return asked

        try:
            if not await in_thread(due):
                return []
            messages = shown(await self.rasa.say(target.conversation_id, SURVEY))
        except (CrmError, RasaUnavailable):
            log.exception("no satisfaction question after closing %s", mask(target.conversation_id))
            return []
        return await self._push(target, "bot", messages)

    async def _push(self, target: Target, role: str, messages: list[BotMessage]) -> list[str]:
        """Write pushed entries into the transcript and deliver them; warnings for the agent."""
        await in_thread(
            partial(
                transcripts.write,
                self.uows,
                conversation_id=target.conversation_id,
                channel=target.channel,
                role=role,
                texts=[(m.text, {"pushed": True, **transcripts.bot_payload(m)}) for m in messages],
            )
        )
        self.live.notify()
        return await self._deliver(target, [m.text for m in messages])

    async def _deliver(self, target: Target, texts: list[str]) -> list[str]:
        """Send pushed texts by SMS on an SMS conversation; the web page fetches them itself.

        The number is the handoff's ``reply_to``, which only a signed Twilio
        request or the integration token can set; never one read from the
        conversation id, which a client may choose.
        """
        if target.channel != "sms" or not texts:
            return []
        if not target.reply_to:
            log.warning("SMS handoff of %s has no recorded number", target.conversation_id)
            return ["The SMS could not be sent: no number was recorded for this conversation."]
        number = target.reply_to

        def send() -> None:
            client = self._outbound()
            for text in texts:
                client.send_sms(to=number, body=text, marketing=False)

        try:
            await in_thread(send)
        except OutboundError as exc:
            log.exception("SMS to %s not sent", number)
            return [f"The SMS could not be sent: {exc}"]
        except CrmError as exc:
            log.exception("SMS to %s not sent", number)
            return [f"The SMS could not be sent: {exc.message}"]
        return []
