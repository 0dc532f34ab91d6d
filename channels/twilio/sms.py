"""The SMS door: Twilio Programmable Messaging webhooks, answered with TwiML ``<Message>``.

Point the Twilio number's "A message comes in" webhook at ``POST /twilio/sms``.
The conversation is ``sms-<From>``: a customer's texts are one conversation,
and Rasa starts a new session after an idle hour.

Before the bot, the door handles the carriers' keywords, a message that is
only the keyword (``Stop``, ``stop.``, ``Arrêt !`` too), in every language
(:mod:`channels.twilio.sms_words`), answered in the conversation's:

- STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, ARRÊT, ARRET: an SMS opt-out,
  recorded on the number and its accounts (the outbound client then refuses to text it);
- START, UNSTOP (and YES from a number that opted out): the opt-out is undone;
- HELP, INFO, AIDE: who we are and how to stop.

A number that opted out gets no answer at all until it opts in again.

Twilio retries a webhook that was not answered in time. Each ``MessageSid``
is claimed in the CRM before the bot runs and its answer stored after, so a
retry, on any gateway process, gets the same answer and the bot runs once; a
retry that arrives while the first request is still running waits for its answer
(:mod:`channels.twilio.replays`). The reply budget (``ICBOT_REPLY_BUDGET``)
covers the claim, that wait and the bot's turn: past it, the customer gets an
apology. Logs name a text by its ``MessageSid``, never by the sender's number.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Annotated

import anyio
from anyio import to_thread
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from twilio.twiml.messaging_response import MessagingResponse

from crm_backend.errors import CrmUnavailable, InvalidContactData
from crm_backend.services import consent

from ..conversation_language import conversation_language
from ..conversations import transcripts
from ..deps import gateway_settings, rasa_client, uow_factory
from .phone_text import offered_buttons, sms_body
from .replays import Replies
from .security import SignedRequest, signed_request
from .sms_words import OPT_IN_WHEN_OPTED_OUT, Keyword, keyword, keyword_of, words
from .turns import answer_for_digits, bounded_turn, caller_metadata, last_answer

log = logging.getLogger(__name__)

router = APIRouter(prefix="/twilio/sms", tags=["twilio"])
Signed = Annotated[SignedRequest, Depends(signed_request)]

CHANNEL = "sms"


@dataclass(frozen=True)
class InboundText:
    """One text Twilio posted: its ``MessageSid``, the sender's number, the words, and our
    number it was sent to (``To``: its language is the conversation's first)."""

    sid: str
    sender: str
    body: str
    recipient: str = ""

    @property
    def conversation_id(self) -> str:
        """The sender's conversation: all their texts are one."""
        return f"sms-{self.sender}"


def messaging(texts: list[str]) -> Response:
    """The TwiML answer: one ``<Message>`` per text, none for silence."""
    response = MessagingResponse()
    for text in texts:
        response.message(text)
    return Response(content=str(response), media_type="application/xml")


class SmsDoor:
    """What one SMS request needs from the app: settings, bot and CRM."""

    def __init__(self, request: Request) -> None:
        self.settings = gateway_settings(request)
        self.rasa = rasa_client(request)
        self.uows = uow_factory(request)
        self.replies = Replies(self.uows, channel=CHANNEL, budget=self.budget)

    @property
    def budget(self) -> float:
        """Seconds the whole answer may take, the claim and the bot's turn included."""
        return self.settings.twilio.reply_budget

    async def reply_once(self, text: InboundText) -> list[str]:
        """The texts for the message, however often it comes: all within the budget.

        The claim and the wait for another request's answer count against
        the budget, and the bot gets what is left of it: past it, the apology.
        """
        deadline = anyio.current_time() + self.budget
        language = await conversation_language(self.rasa, text.conversation_id)
        return await self.replies.once(
            text.sid,
            text.conversation_id,
            lambda: self.answer(text, deadline=deadline, language=language),
            late=[words(language).apology],
        )

    async def answer(
        self, text: InboundText, *, deadline: float, language: str = "en"
    ) -> list[str]:
        """The texts to send back: a keyword's answer, nothing after an opt-out, or the bot's.

        The door's own texts are in ``language``, the conversation's. The bot's
        turn ends at ``deadline`` (``anyio.current_time()``'s clock).
        """
        conversation_id, body = text.conversation_id, text.body
        asked = keyword(body)
        said_words = words(language)
        company = self.settings.twilio.company_name
        opted_out = await self._opted_out(text)
        if asked is Keyword.OPT_OUT:
            await self._consent(text, opt_in=False)
            return await self._keyword(conversation_id, body, said_words.opted_out_text(company))
        if asked is Keyword.OPT_IN or (opted_out and keyword_of(body) in OPT_IN_WHEN_OPTED_OUT):
            await self._consent(text, opt_in=True)
            return await self._keyword(conversation_id, body, said_words.opted_in_text(company))
        if asked is Keyword.HELP:
            return await self._keyword(conversation_id, body, said_words.help_text(company))
        if opted_out:
            log.info("no answer to message %s: the number opted out of SMS", text.sid)
            await transcripts.record(
                self.uows,
                conversation_id=conversation_id,
                channel=CHANNEL,
                role="customer",
                texts=[(body, {})],
            )
            return []
        said = body
        if body.strip().isdigit():
            offered = offered_buttons(await last_answer(self.uows, conversation_id))
            said = answer_for_digits(body, offered)
        reply = await bounded_turn(
            rasa=self.rasa,
            uow_factory=self.uows,
            conversation_id=conversation_id,
            channel=CHANNEL,
            text=said,
            metadata=caller_metadata(CHANNEL, text.sender, company_number=text.recipient),
            budget=max(0.0, deadline - anyio.current_time()),
        )
        if reply.failed:
            return [said_words.apology]
        if not reply.messages:  # with an agent, who answers by the outbound client
            return []
        return [sms_body(reply.messages, language=language)]

    async def _keyword(self, conversation_id: str, body: str, answer: str) -> list[str]:
        for role, text in (("customer", body), ("system", answer)):
            await transcripts.record(
                self.uows,
                conversation_id=conversation_id,
                channel=CHANNEL,
                role=role,
                texts=[(text, {})],
            )
        return [answer]

    async def _opted_out(self, text: InboundText) -> bool:
        def read() -> bool:
            with self.uows() as uow:
                return consent.number_opted_out(uow, phone=text.sender, channel=CHANNEL)

        try:
            return await to_thread.run_sync(read)
        except InvalidContactData:
            return False
        except CrmUnavailable:
            log.exception("SMS consent of the sender of message %s unreadable", text.sid)
            return False

    async def _consent(self, text: InboundText, *, opt_in: bool) -> None:
        record = consent.opt_in_number if opt_in else consent.opt_out_number

        def write() -> None:
            with self.uows() as uow:
                record(uow, phone=text.sender, channel=CHANNEL, source="sms keyword")
                uow.commit()

        try:
            await to_thread.run_sync(write)
        except InvalidContactData:
            log.warning(
                "SMS keyword in message %s, not from a phone number: not recorded", text.sid
            )


@router.post("", summary="Twilio: a text message comes in", response_class=Response)
async def incoming_sms(message: Signed, door: Annotated[SmsDoor, Depends()]) -> Response:
    """Answer the text once, however often Twilio sends it."""
    sid, sender = message.get("MessageSid"), message.get("From")
    if not sid or not sender:
        raise HTTPException(status_code=400, detail="MessageSid and From are required")
    text = InboundText(
        sid=sid, sender=sender, body=message.params.get("Body", ""), recipient=message.get("To")
    )
    return messaging(await door.reply_once(text))
