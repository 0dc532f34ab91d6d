"""The SMS door: Twilio Programmable Messaging webhooks, answered with TwiML ``<Message>``.

Point the Twilio number's "A message comes in" webhook at ``POST /twilio/sms``.
The conversation is ``sms-<From>``: a customer's texts are one conversation,
and Rasa starts a new session after an idle hour.

Before the bot, the door handles the carriers' keywords, a message that is
only the keyword (``Stop``, ``stop.`` too):

- STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT: an SMS opt-out, recorded on
  the number and its accounts (the outbound client then refuses to text it);
- START, UNSTOP (and YES from a number that opted out): the opt-out is undone;
- HELP, INFO: who we are and how to stop.

A number that opted out gets no answer at all until it opts in again.

Twilio retries a webhook that was not answered in time. Each ``MessageSid``
is claimed in the CRM before the bot runs and its answer stored after, so a
retry, on any gateway process, gets the same answer and the bot runs once; a
retry that arrives while the first request is still running waits for its answer.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated

import anyio
from anyio import to_thread
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from twilio.twiml.messaging_response import MessagingResponse

from crm_backend.errors import CrmUnavailable, InvalidContactData
from crm_backend.services import consent, inbound_messages
from crm_backend.services.inbound_messages import Claim, ClaimState

from .phone_text import offered_buttons, sms_body
from .rasa_client import RasaClient
from .settings import GatewaySettings
from .transcripts import UowFactory
from .twilio_security import SignedRequest, signed_request
from .twilio_turns import answer_for_digits, bounded_turn, caller_metadata, last_answer, note

log = logging.getLogger(__name__)

router = APIRouter(prefix="/twilio/sms", tags=["twilio"])
Signed = Annotated[SignedRequest, Depends(signed_request)]

CHANNEL = "sms"
OPT_OUT_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
OPT_IN_WORDS = frozenset({"START", "UNSTOP"})
# Twilio also opts a number back in on YES; for everyone else "yes" is an answer to the bot.
OPT_IN_WHEN_OPTED_OUT = frozenset({"YES"})
HELP_WORDS = frozenset({"HELP", "INFO"})
# How often a retry looks whether the first request has answered.
POLL_INTERVAL = 0.2

APOLOGY = (
    "Sorry, I can't answer right now because of a technical problem. "
    "Please text us again a little later."
)


def opted_out_text(company: str) -> str:
    """The confirmation of an opt-out, the last text the number gets."""
    return f"You're unsubscribed from {company} texts and won't get any more. Reply START to undo."


def opted_in_text(company: str) -> str:
    """The confirmation that texts may come again."""
    return f"You're subscribed to {company} texts again. Reply HELP for help, STOP to unsubscribe."


def help_text(company: str) -> str:
    """Who we are and how to stop."""
    return (
        f"{company}: our assistant answers about products, quotes and orders by text. "
        "Reply STOP to unsubscribe, START to subscribe again. Msg & data rates may apply."
    )


def messaging(texts: list[str]) -> Response:
    """The TwiML answer: one ``<Message>`` per text, none for silence."""
    response = MessagingResponse()
    for text in texts:
        response.message(text)
    return Response(content=str(response), media_type="application/xml")


class SmsDoor:
    """What one SMS request needs from the app: settings, bot and CRM."""

    def __init__(self, request: Request) -> None:
        self.settings: GatewaySettings = request.app.state.settings
        self.rasa: RasaClient = request.app.state.rasa
        self.uows: UowFactory = request.app.state.uow_factory

    @property
    def budget(self) -> float:
        """Seconds the bot may take."""
        return self.settings.twilio.reply_budget

    async def claim(self, sid: str, conversation_id: str) -> Claim | None:
        """Claim the message; None when the CRM is down (the message is handled unguarded)."""

        def claim() -> Claim:
            with self.uows() as uow:
                result = inbound_messages.claim_message(
                    uow,
                    message_id=sid,
                    channel=CHANNEL,
                    conversation_id=conversation_id,
                    # A claim this old belongs to a request that died: Twilio gave up long ago.
                    stale_after=dt.timedelta(seconds=3 * self.budget + 15),
                )
                uow.commit()
                return result

        try:
            return await to_thread.run_sync(claim)
        except CrmUnavailable:
            log.exception("message %s not claimed: a retry may run the bot again", sid)
            return None

    async def wait_for_answer(self, sid: str) -> list[str]:
        """The answer of a message another request is handling; [] if it does not come in time."""

        def state() -> Claim | None:
            with self.uows() as uow:
                return inbound_messages.message_state(uow, message_id=sid)

        with anyio.move_on_after(self.budget + 1):
            while True:
                await anyio.sleep(POLL_INTERVAL)
                current = await to_thread.run_sync(state)
                if current is not None and current.state is ClaimState.ANSWERED:
                    return current.reply
        log.warning("message %s is still being answered elsewhere: this retry stays silent", sid)
        return []

    async def settle(self, sid: str, texts: list[str] | None) -> None:
        """Store the answer (``None``: release the claim so a retry handles the message)."""

        def store() -> None:
            with self.uows() as uow:
                if texts is None:
                    inbound_messages.release_message(uow, message_id=sid)
                else:
                    inbound_messages.answer_message(uow, message_id=sid, reply=texts)
                uow.commit()

        try:
            await to_thread.run_sync(store)
        except CrmUnavailable:
            log.exception("the answer to %s is not stored: a retry may run the bot again", sid)

    async def answer(self, conversation_id: str, sender: str, body: str) -> list[str]:
        """The texts to send back: a keyword's answer, nothing after an opt-out, or the bot's."""
        keyword = body.strip().strip(".!").upper()
        company = self.settings.twilio.company_name
        opted_out = await self._opted_out(sender)
        if keyword in OPT_OUT_WORDS:
            await self._consent(sender, opt_in=False)
            return await self._keyword(conversation_id, body, opted_out_text(company))
        if keyword in OPT_IN_WORDS or (opted_out and keyword in OPT_IN_WHEN_OPTED_OUT):
            await self._consent(sender, opt_in=True)
            return await self._keyword(conversation_id, body, opted_in_text(company))
        if keyword in HELP_WORDS:
            return await self._keyword(conversation_id, body, help_text(company))
        if opted_out:
            log.info("no answer to %s: the number opted out of SMS", conversation_id)
            await note(self.uows, conversation_id, CHANNEL, "customer", body)
            return []
        text = body
        if body.strip().isdigit():
            offered = offered_buttons(await last_answer(self.uows, conversation_id))
            text = answer_for_digits(body, offered)
        reply = await bounded_turn(
            rasa=self.rasa,
            uow_factory=self.uows,
            conversation_id=conversation_id,
            channel=CHANNEL,
            text=text,
            metadata=caller_metadata(CHANNEL, sender),
            budget=self.budget,
        )
        if reply.failed:
            return [APOLOGY]
        if not reply.messages:  # with an agent, who answers by the outbound client
            return []
        return [sms_body(reply.messages)]

    async def _keyword(self, conversation_id: str, body: str, answer: str) -> list[str]:
        await note(self.uows, conversation_id, CHANNEL, "customer", body)
        await note(self.uows, conversation_id, CHANNEL, "system", answer)
        return [answer]

    async def _opted_out(self, sender: str) -> bool:
        def read() -> bool:
            with self.uows() as uow:
                return consent.number_opted_out(uow, phone=sender, channel=CHANNEL)

        try:
            return await to_thread.run_sync(read)
        except InvalidContactData:
            return False
        except CrmUnavailable:
            log.exception("SMS consent of %s unreadable", sender)
            return False

    async def _consent(self, sender: str, *, opt_in: bool) -> None:
        record = consent.opt_in_number if opt_in else consent.opt_out_number

        def write() -> None:
            with self.uows() as uow:
                record(uow, phone=sender, channel=CHANNEL, source="sms keyword")
                uow.commit()

        try:
            await to_thread.run_sync(write)
        except InvalidContactData:
            log.warning("SMS keyword from %r, which is no phone number: nothing recorded", sender)


@router.post("", summary="Twilio: a text message comes in", response_class=Response)
async def incoming_sms(message: Signed, door: Annotated[SmsDoor, Depends()]) -> Response:
    """Answer the text once, however often Twilio sends it."""
    sid, sender = message.get("MessageSid"), message.get("From")
    if not sid or not sender:
        raise HTTPException(status_code=400, detail="MessageSid and From are required")
    conversation_id = f"sms-{sender}"
    claim = await door.claim(sid, conversation_id)
    if claim is not None and claim.state is ClaimState.ANSWERED:
        return messaging(claim.reply)
    if claim is not None and claim.state is ClaimState.IN_PROGRESS:
        return messaging(await door.wait_for_answer(sid))
    try:
        texts = await door.answer(conversation_id, sender, message.params.get("Body", ""))
    except BaseException:
        if claim is not None:
            with anyio.CancelScope(shield=True):
                await door.settle(sid, None)
        raise
    if claim is not None:
        await door.settle(sid, texts)
    return messaging(texts)
