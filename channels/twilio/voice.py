"""The phone door: Twilio Programmable Voice webhooks, answered with TwiML.

Point the Twilio number's "A call comes in" webhook at ``POST /twilio/voice``
and its "Call status changes" callback at ``POST /twilio/voice/status``.

- ``/twilio/voice``: a call starts. The conversation is ``voice-<CallSid>``;
  the bot is greeted on the caller's behalf, with the caller's number as
  trusted metadata, so it only asks to confirm who is calling. A call to one
  of ``ICBOT_RELAY_NUMBERS`` is answered with ``<Connect><ConversationRelay>``
  instead: the streaming door (:mod:`channels.twilio.relay`, docs/phone.md).
- ``/twilio/voice?call_list_entry=<id>``: a call our dialer placed was
  answered (docs/outbound.md). A machine gets the campaign's message, or
  nothing, and the call ends; a person gets the bot with the outbound
  metadata (the entry, the account called, the campaign and its script), and
  the campaign's script starts with "is this a good time?".
- ``/twilio/voice/gather``: what the caller said (``SpeechResult``) or
  pressed (``Digits``). Digit ``N`` answers the bot's ``N``-th choice, ``0``
  asks for a person. No input at all is silence: the question is asked
  once more, then the call ends politely (``?silence=`` counts, and
  ``?turn=`` counts the bot's answers, in the signed URL, so no gateway
  needs to remember them). After a goodbye the bot may ask how the caller
  rates the call: one key from 1 to 5 (or the words), and silence hangs up.
- ``/twilio/voice/status``: the call ended (completed, busy, no-answer,
  failed, canceled); its interaction record gets the duration.

Every answer is TwiML (:mod:`channels.twilio.voice_twiml`): the bot's
messages said while the call listens for speech or keys. When the bot
closed the conversation (the caller said goodbye), the call ends with
``<Hangup/>``. When the bot cannot answer within the budget, the caller
hears the apology (:mod:`channels.conversations.apology`) and is put
through to the fallback number when there is one. When the bot hands the
call to a person (the caller asked, pressed 0, or the bot misunderstood
twice), the caller hears what the bot said and is put through to the
agents' line (the same number) with ``<Dial>``; the desk shows the call's
transcript so far. Without that line, an adviser calls back: the handoff
waits in the desk's queue with the caller's number.

A call's start and each answer are answered once (:mod:`channels.twilio.replays`):
Twilio's retry, or a captured signed request posted again, gets the same
TwiML and the bot does not run the turn again. The key is what Twilio
signed: the ``CallSid`` and, for an answer, the turn, the silence count and
the words or keys. Twilio's ``StirVerstat`` (how far the carrier vouched for
the caller ID) goes to the bot as ``stir_verstat``, for the interaction.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import anyio
from anyio import to_thread
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from twilio.twiml.voice_response import VoiceResponse

from crm_backend.errors import (
    CallListEntryNotFound,
    CrmUnavailable,
    InvalidContactData,
    InvalidRequest,
)
from crm_backend.models import MAX_ROW_ID
from crm_backend.services import conversation
from languages.spoken import normalise

from ..conversation_language import DEFAULT, conversation_language
from ..conversations.rasa_client import BotMessage, RasaUnavailable
from ..deps import gateway_settings, rasa_client, uow_factory
from . import outbound_calls, relay_twiml
from .phone_text import offered_buttons, speech_hints, voice_lines
from .replays import Replies, signed_key
from .security import SignedRequest, signed_request
from .turns import (
    ProductNames,
    Reply,
    answer_for_digits,
    bounded_turn,
    caller_metadata,
    last_answer,
)
from .voice_twiml import VoiceTwiml, spoken, twiml_response

log = logging.getLogger(__name__)

# Twilio's call ids are CA and 32 hex digits; letters and digits up to 64 are let through.
_CALL_SID = re.compile(r"^[A-Za-z0-9]{2,64}$")

router = APIRouter(prefix="/twilio/voice", tags=["twilio"])
Signed = Annotated[SignedRequest, Depends(signed_request)]

CHANNEL = "voice"
GREETING = "/greet"
# The goodbye, and the satisfaction answer after it (as bot/gateway_channel.py names them).
ENDING_ACTIONS = frozenset({"action_close_interaction", "action_record_satisfaction"})
# The question a form asks after the goodbye: how the caller rates the call, one key.
SURVEY_QUESTION = "satisfaction_answer"
FINAL_STATUSES = frozenset({"completed", "busy", "no-answer", "failed", "canceled"})
TRACKER_TIMEOUT = 1.0
# Twilio's id of one webhook, the same on its retries (not covered by the signature).
IDEMPOTENCY_HEADER = "I-Twilio-Idempotency-Token"
# The question a gather URL names: a form's slot name.
QUESTION_NAME = r"^[a-z_]{1,64}$"
# Twilio's StirVerstat values are short words such as "TN-Validation-Passed-A".
STIR_VERSTAT = re.compile(r"[A-Za-z0-9-]{1,64}")


class VoiceDoor:
    """What one voice request needs from the app: settings, bot, CRM, catalog names, TwiML."""

    def __init__(self, request: Request) -> None:
        app = request.app
        self.settings = gateway_settings(request)
        self.rasa = rasa_client(request)
        self.uows = uow_factory(request)
        if getattr(app.state, "product_names", None) is None:
            app.state.product_names = ProductNames(self.uows)
        self.products: ProductNames = app.state.product_names
        budget = self.settings.twilio.reply_budget
        self.replies = Replies(self.uows, channel=CHANNEL, budget=budget)
        # The whole request keeps to the budget: the claim's wait counts against the bot's turn.
        self.deadline = time.monotonic() + budget
        turn = request.query_params.get("turn", "")
        # The bot's answers so far in this call; None on a URL from before turns were counted.
        self.turn_number: int | None = int(turn) if turn.isdigit() else None
        self.language = DEFAULT
        self.twiml = VoiceTwiml(self.settings.twilio, public_url=self.settings.public_url)

    async def speak_language_of(self, call: SignedRequest, *, starting: bool = False) -> None:
        """Say the door's lines, and listen, in the call's conversation's language.

        A call ``starting`` has no conversation yet: it speaks our number's language
        (``ICBOT_NUMBER_LANGUAGES``), as the bot's greeting will.
        """
        self.language = await conversation_language(self.rasa, _conversation(call))
        if starting:
            self.language = relay_twiml.call_language(self.settings, call.get("To"), self.language)
        self.twiml = VoiceTwiml(
            self.settings.twilio, public_url=self.settings.public_url, language=self.language
        )

    async def once(
        self, key: str | None, call: SignedRequest, respond: Callable[[], Awaitable[Response]]
    ) -> Response:
        """``respond()``'s TwiML, or the TwiML stored for ``key`` when the request came before."""

        async def answer() -> list[str]:
            return [bytes((await respond()).body).decode()]

        if key is None:
            return await respond()
        documents = await self.replies.once(
            key, _conversation(call), answer, late=[str(self.twiml.failed())]
        )
        return Response(content=documents[0], media_type="application/xml")

    async def gather(
        self,
        lines: list[str],
        messages: list[BotMessage],
        *,
        silence: int,
        question: str | None,
        turn: int,
    ) -> VoiceResponse:
        """Say ``lines`` while listening; hints for the choices, the catalog and the question,
        which the gather URL names so the answer is read for it."""
        buttons = offered_buttons(messages)
        hints = speech_hints(
            buttons=buttons,
            products=await self.products.get(),
            question=question,
            language=self.language,
        )
        return self.twiml.listen(
            lines, buttons, hints=hints, silence=silence, turn=turn, asked=question
        )

    async def answer(self, conversation_id: str, reply: Reply) -> VoiceResponse:
        """The TwiML for the bot's reply: go on listening, hang up after a goodbye,
        or put the caller through to a person."""
        if reply.failed:
            return self.twiml.failed()
        if reply.handed_off:
            return self.twiml.put_through(reply.messages)
        if reply.dialogue is not None:
            ended, question = reply.dialogue.ended, reply.dialogue.question
        else:  # a Rasa that does not tell: read its tracker
            ended, question = await self._dialogue_state(conversation_id)
        if question == SURVEY_QUESTION:
            return self.twiml.survey(spoken(reply.messages), turn=(self.turn_number or 0) + 1)
        if not ended:
            lines = voice_lines(reply.messages, language=self.language)
            return await self.gather(
                lines,
                reply.messages,
                silence=0,
                question=question,
                turn=(self.turn_number or 0) + 1,
            )
        return self.twiml.hang_up_after(spoken(reply.messages))

    async def _dialogue_state(self, conversation_id: str) -> tuple[bool, str | None]:
        """Whether the bot closed the conversation this turn, and the question it asks now.

        Read from Rasa's tracker; when it does not answer quickly the call goes on.
        """
        tracker: dict[str, Any] = {}
        with anyio.move_on_after(TRACKER_TIMEOUT):
            try:
                tracker = await self.rasa.tracker(conversation_id)
            except RasaUnavailable:
                log.warning("no tracker for %s: the call goes on", conversation_id)
        events = tracker.get("events") or []
        since_user: list[dict[str, Any]] = []
        for event in reversed(events):
            if event.get("event") == "user":
                break
            since_user.append(event)
        ended = any(
            e.get("event") == "action" and e.get("name") in ENDING_ACTIONS for e in since_user
        )
        slots = tracker.get("slots") or {}
        question = slots.get("requested_slot")
        return ended, question if isinstance(question, str) else None

    async def turn(
        self, call: SignedRequest, text: str, *, metadata: dict[str, Any] | None = None
    ) -> Response:
        """Run one turn of the call's conversation and answer with its TwiML.

        The metadata defaults to the caller's number: ``From`` for a call
        that came in, ``To`` (the customer) for a call our dialer placed.
        Twilio's ``StirVerstat`` goes with it when the request has one.
        """
        conversation_id = _conversation(call)
        ours = _placed_by_us(call)
        customer, company = (
            (call.get("To"), call.get("From")) if ours else (call.get("From"), call.get("To"))
        )
        # Our number says the language the customer called in (ICBOT_NUMBER_LANGUAGES).
        metadata = dict(metadata or caller_metadata(CHANNEL, customer, company_number=company))
        verstat = call.get("StirVerstat")
        if STIR_VERSTAT.fullmatch(verstat):
            metadata["stir_verstat"] = verstat
        reply = await bounded_turn(
            rasa=self.rasa,
            uow_factory=self.uows,
            conversation_id=conversation_id,
            channel=CHANNEL,
            text=text,
            metadata=metadata,
            budget=max(0.0, self.deadline - time.monotonic()),
            dialogue_state=True,
        )
        return twiml_response(await self.answer(conversation_id, reply))


def _placed_by_us(call: SignedRequest) -> bool:
    # Twilio's Direction: "inbound" for a call to our number, "outbound-api" for the dialer's.
    return call.get("Direction").startswith("outbound")


def _conversation(call: SignedRequest) -> str:
    sid = call.get("CallSid")
    if not _CALL_SID.match(sid):
        # Signed is not well-formed: the id goes into Rasa's URLs and the CRM's keys.
        raise HTTPException(status_code=400, detail="CallSid is missing or not a Twilio call id")
    return f"voice-{sid}"


@router.post("", summary="Twilio: a call comes in", response_class=Response)
async def incoming_call(
    call: Signed,
    door: Annotated[VoiceDoor, Depends()],
    call_list_entry: Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)] = None,
) -> Response:
    """Greet the caller on behalf of the bot, which knows them by number; once per call.

    A call to one of ``ICBOT_RELAY_NUMBERS`` goes to the streaming door instead
    (:mod:`channels.twilio.relay`): ``<Connect><ConversationRelay>``, and the bot
    greets the caller over its socket. Calls our dialer placed stay on this door.

    A call our dialer placed names its call list entry (docs/outbound.md): a
    machine that answered gets the campaign's message (or nothing) and the
    call ends; a person gets the campaign's outbound script, the bot knowing
    the entry, the account called and the campaign from the metadata.
    """
    key = signed_key(CHANNEL, _conversation(call), "start", str(call_list_entry or ""))
    await door.speak_language_of(call, starting=call_list_entry is None)
    if call_list_entry is None and door.settings.twilio.relays(call.get("To")):
        relay = relay_twiml.connect_call(
            door.settings, call, known_language=door.language, products=await door.products.get()
        )
        return twiml_response(relay)
    if call_list_entry is None:
        return await door.once(key, call, lambda: door.turn(call, GREETING))
    return await door.once(key, call, lambda: _outbound_call(call, door, call_list_entry))


async def _outbound_call(call: SignedRequest, door: VoiceDoor, entry_id: int) -> Response:
    try:
        machine = await outbound_calls.machine_answer(
            door.settings, door.uows, entry_id=entry_id, call=call
        )
        if machine is not None:
            return twiml_response(machine)
        metadata = await outbound_calls.outbound_metadata(door.uows, entry_id=entry_id, call=call)
    except (CallListEntryNotFound, InvalidContactData):
        log.warning("call list entry %s is gone or has no number: the call ends", entry_id)
        return twiml_response(door.twiml.hang_up_after([door.twiml.words.wrong_call]))
    except CrmUnavailable:
        log.exception("the outbound call for entry %s cannot start", entry_id)
        return twiml_response(door.twiml.failed())
    return await door.turn(call, GREETING, metadata=metadata)


@router.post("/gather", summary="Twilio: what the caller said or pressed", response_class=Response)
async def caller_answered(
    call: Signed,
    door: Annotated[VoiceDoor, Depends()],
    request: Request,
    silence: Annotated[int, Query(ge=0, le=MAX_ROW_ID)] = 0,
    asked: Annotated[str | None, Query(pattern=QUESTION_NAME)] = None,
) -> Response:
    """Hand the caller's words or keys to the bot, once; on silence ask again, then say goodbye.

    What the recogniser wrote, and digits that answer no menu, are read in spoken
    forms first (:func:`languages.spoken.normalise`), for the question ``asked``:
    "six nine zero zero two" is the postcode 69002, six keys the customer number.
    """
    conversation_id = _conversation(call)
    await door.speak_language_of(call)
    words = door.twiml.words
    digits, speech = call.get("Digits"), call.get("SpeechResult")
    key: str | None = None
    if door.turn_number is not None:
        key = signed_key(
            CHANNEL, conversation_id, str(door.turn_number), str(silence), digits, speech
        )
    elif request.headers.get(IDEMPOTENCY_HEADER):
        # A gather URL from before turns were counted: only Twilio's own retries are known.
        key = signed_key(CHANNEL, conversation_id, request.headers[IDEMPOTENCY_HEADER])

    async def respond() -> Response:
        if digits:
            offered = offered_buttons(await last_answer(door.uows, conversation_id))
            keyed = answer_for_digits(digits, offered)
            if keyed == digits.strip():  # no menu choice: digits the question asked for
                keyed = normalise(keyed, door.language, expecting=asked)
            return await door.turn(call, keyed)
        if speech:
            return await door.turn(call, normalise(speech, door.language, expecting=asked))
        if silence >= 1:
            return twiml_response(door.twiml.hang_up_after([words.goodbye_on_silence]))
        previous = await last_answer(door.uows, conversation_id)
        again = voice_lines(previous, language=door.language) or [words.ask_again]
        lines = [words.not_heard, *again, words.person_hint]
        return twiml_response(
            await door.gather(
                lines, previous, silence=silence + 1, question=asked, turn=door.turn_number or 0
            )
        )

    return await door.once(key, call, respond)


@router.post("/status", summary="Twilio: the call's status changed", response_class=Response)
async def call_status(call: Signed, door: Annotated[VoiceDoor, Depends()]) -> Response:
    """At the call's end, close its interaction record with the call's duration."""
    status = call.get("CallStatus")
    if status not in FINAL_STATUSES:
        return twiml_response(VoiceResponse())
    conversation_id = _conversation(call)
    seconds = call.get("CallDuration")
    direction = "inbound" if call.get("Direction") in ("", "inbound") else "outbound"

    def record() -> None:
        with door.uows() as uow:
            conversation.end_call(
                uow,
                conversation_id=conversation_id,
                status=status,
                duration_seconds=int(seconds) if seconds.isdigit() else 0,
                channel=CHANNEL,
                direction=direction,
            )
            uow.commit()

    try:
        await to_thread.run_sync(record)
    except CrmUnavailable as exc:
        log.exception("the end of %s is not recorded", conversation_id)
        raise HTTPException(status_code=503, detail="the CRM is unavailable") from exc
    except InvalidRequest as exc:
        raise HTTPException(status_code=400, detail=exc.message) from exc
    return twiml_response(VoiceResponse())
