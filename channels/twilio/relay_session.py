"""One call on the ConversationRelay WebSocket: Twilio's messages in, the bot's words out.

Twilio turns the caller's speech into ``prompt`` messages and speaks the
``text`` tokens it gets (https://www.twilio.com/docs/voice/conversationrelay/websocket-messages).
The session:

- waits for ``setup`` (at most :data:`SETUP_TIMEOUT`): the call named in it
  must be the one the signed URL names; the caller (``from``) and our
  number (``to``) become the turn's metadata, exactly as on the ``<Gather>``
  door, and the bot greets the caller (``/greet``);
- answers each final ``prompt`` (``last``; partial ones are ignored) with one
  bounded turn (:func:`~channels.twilio.turns.bounded_turn`, the reply
  budget), the caller's words first made into what the bot reads
  (:func:`languages.spoken.normalise`, with the question the bot asked last);
- speaks the reply sentence by sentence (:mod:`channels.twilio.relay_speech`);
  an ``interrupt``, or the caller's next words, drop what was not yet sent,
  and the transcript gets a system line with what the caller heard;
- takes keys (``dtmf``, :mod:`channels.twilio.relay_keys`): one answers a
  menu of at most nine choices (``0``: a person); otherwise they add up to one
  message at ``#`` or after a pause (a customer number, a postcode);
- ends the session (``end``, then :func:`channels.twilio.relay_twiml.after_session`)
  after a goodbye, a handoff to a person, or an answer the bot could not
  give; after the satisfaction question, one key or word answers, and
  silence ends the call (:data:`SURVEY_WAIT`).

Limits come before any work: a message over :data:`MAX_MESSAGE_BYTES`
closes the socket; malformed ones (not JSON, no type, binary) are ignored
and counted, and past :data:`MAX_MALFORMED` the socket is closed; a prompt
is cut at :data:`MAX_PROMPT_CHARS`. Logs name the conversation masked and
never hold the caller's words. When the caller hangs up, what was being
said is dropped and a turn under way finishes within its budget.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import anyio
from fastapi import FastAPI, WebSocket, WebSocketDisconnect

from crm_backend.redact import mask
from languages.spoken import normalise

from ..conversation_language import DEFAULT, conversation_language
from ..conversations import transcripts
from ..conversations.rasa_client import BotMessage, RasaClient
from ..deps import UowFactory
from ..guards import clean_text, is_valid_unicode
from ..settings import GatewaySettings
from . import phone_words
from .phone_text import offered_buttons
from .relay_keys import KEYS, Keypad
from .relay_speech import Pace, Speech, Talk, sentences, speech_for
from .relay_twiml import GOODBYE, call_language, handoff_data
from .turns import Reply, bounded_turn, caller_metadata

log = logging.getLogger(__name__)

CHANNEL = "voice"  # the same conversations, transcripts and desk as the <Gather> door
GREETING = "/greet"
MAX_MESSAGE_BYTES = 64 * 1024
MAX_PROMPT_CHARS = 2000
MAX_MALFORMED = 10
SETUP_TIMEOUT = 10.0
# After the satisfaction question has been heard: how long the caller has to answer.
SURVEY_WAIT = 8.0
POLICY_VIOLATION = 1008
MESSAGE_TOO_BIG = 1009
# Twilio's call ids are CA and 32 hex digits; letters and digits up to 64, as on the
# <Gather> door (voice.py).
CALL_SID = re.compile(r"^[A-Za-z0-9]{2,64}$")
_NAME = re.compile(r"^[A-Za-z_]{1,32}$")
_FIELD_CHARS = 64


@dataclass(frozen=True)
class RelayParts:
    """What a session needs from the app."""

    settings: GatewaySettings
    rasa: RasaClient
    uows: UowFactory

    @classmethod
    def of(cls, app: FastAPI) -> RelayParts:
        """The app's parts (kept on ``app.state`` by :func:`channels.app.create_app`)."""
        return cls(app.state.settings, app.state.rasa, app.state.uow_factory)


class RelaySession:
    """One ConversationRelay call; :meth:`run` serves it until the socket closes."""

    def __init__(self, parts: RelayParts, socket: WebSocket, *, call_sid: str) -> None:
        self.parts = parts
        self.twilio = parts.settings.twilio
        self.socket = socket
        self.call_sid = call_sid
        self.conversation_id = f"voice-{call_sid}"
        self.metadata: dict[str, Any] = {}
        self.language = DEFAULT
        self.heard_in = ""  # the recogniser's language, as Twilio was last told
        self.messages: list[BotMessage] = []  # the bot's last answer: what a key answers
        self.question: str | None = None
        self.survey = False
        self.ending: str | None = None  # set: the session ends, inputs are no longer taken
        self.ended = False  # the end message was sent
        self.keypad = Keypad(self._keyed)
        self.malformed = 0
        self.started = False
        self.closed = False
        self.talk = Talk(self._send, Pace(self.twilio.relay_speech_rate))
        self._inputs: asyncio.Queue[str | None] = asyncio.Queue()
        self._worker: asyncio.Task[None] | None = None
        self._speaking: asyncio.Task[None] | None = None
        self._send_lock = asyncio.Lock()

    @property
    def masked(self) -> str:
        """The conversation as logs name it."""
        return mask(self.conversation_id)

    async def run(self) -> None:
        """Serve the call's messages until Twilio (or the caller) closes the socket."""
        try:
            while not self.closed:
                message = await self._receive()
                if message is not None:
                    await self._handle(message)
        finally:
            await self._stop()

    # --- reading ----------------------------------------------------------------------------

    async def _receive(self) -> Mapping[str, Any] | None:
        """The next message as JSON; None for one to skip (or when the socket closed)."""
        try:
            with anyio.fail_after(None if self.started else SETUP_TIMEOUT):
                event = await self.socket.receive()
        except TimeoutError:
            log.warning("relay %s: no setup within %.0f s", self.masked, SETUP_TIMEOUT)
            await self._close(POLICY_VIOLATION)
            return None
        if event["type"] == "websocket.disconnect":
            self.closed = True
            return None
        text, data = event.get("text"), event.get("bytes")
        size = len(text.encode()) if isinstance(text, str) else len(data or b"")
        if size > MAX_MESSAGE_BYTES:
            log.warning("relay %s: a message of %d bytes: closed", self.masked, size)
            await self._close(MESSAGE_TOO_BIG)
            return None
        try:
            message = json.loads(text) if isinstance(text, str) else None
        except ValueError:
            message = None
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            await self._malformed("not a JSON message with a type")
            return None
        return message

    async def _malformed(self, why: str) -> None:
        self.malformed += 1
        log.warning("relay %s: ignored a message (%s), %d so far", self.masked, why, self.malformed)
        if self.malformed > MAX_MALFORMED:
            await self._close(POLICY_VIOLATION)

    async def _handle(self, message: Mapping[str, Any]) -> None:
        kind = message["type"]
        if kind == "setup":
            await self._setup(message)
        elif not self.started:
            await self._malformed("before setup")
        elif kind == "prompt":
            await self._prompt(message)
        elif kind == "dtmf":
            await self._dtmf(message)
        elif kind == "interrupt":
            await self._interrupt(message)
        elif kind == "error":
            # Twilio's description quotes what we sent, the bot's words: not for the log.
            log.warning("relay %s: ConversationRelay reported an error", self.masked)
        else:
            name = kind if _NAME.match(kind) else "(unreadable)"
            log.info("relay %s: ignored a message of type %s", self.masked, name)

    async def _setup(self, message: Mapping[str, Any]) -> None:
        if self.started:
            log.info("relay %s: a second setup, ignored", self.masked)
            return
        if message.get("callSid") != self.call_sid:
            log.warning("relay %s: setup for another call: closed", self.masked)
            await self._close(POLICY_VIOLATION)
            return
        caller, ours = _field(message, "from"), _field(message, "to")
        # The upgrade was signed for this call, and the setup comes on that socket.
        self.metadata = caller_metadata(CHANNEL, caller, company_number=ours)
        known = await conversation_language(self.parts.rasa, self.conversation_id)
        self.language = call_language(self.parts.settings, ours, known)
        self.heard_in = phone_words.voice(self.twilio, self.language)[1]  # as the TwiML said
        self.started = True
        self._worker = asyncio.create_task(self._work())
        self._answer(GREETING)

    async def _prompt(self, message: Mapping[str, Any]) -> None:
        if message.get("last") is not True:
            return  # a partial prompt: the final one follows
        said = message.get("voicePrompt")
        if not isinstance(said, str) or not is_valid_unicode(said):
            await self._malformed("a prompt without text")
            return
        if len(said) > MAX_PROMPT_CHARS:
            log.warning("relay %s: a prompt of %d characters, cut", self.masked, len(said))
        text = clean_text(said[:MAX_PROMPT_CHARS]).strip()
        if not text or self.ending:
            return
        await self._hush()
        self.keypad.clear()
        self._answer(normalise(text, self.language, expecting=self.question))

    async def _dtmf(self, message: Mapping[str, Any]) -> None:
        key = message.get("digit")
        if not isinstance(key, str) or key not in KEYS:
            await self._malformed("a key that is none")
            return
        if self.ending:
            return
        if key.isdigit():
            await self._hush()  # the caller answers: the rest of the reply is not wanted
        self.keypad.press(key, offered_buttons(self.messages), one_key=self.survey)

    async def _interrupt(self, message: Mapping[str, Any]) -> None:
        heard = message.get("utteranceUntilInterrupt")
        heard = clean_text(heard[:MAX_PROMPT_CHARS]).strip() if isinstance(heard, str) else ""
        await self._hush()
        line = (
            f"The caller cut in after hearing: “{heard}”"
            if heard
            else "The caller cut in before hearing anything."
        )
        # For the agent reading the desk's transcript: where the reply stopped.
        await transcripts.record(
            self.parts.uows,
            conversation_id=self.conversation_id,
            channel=CHANNEL,
            role="system",
            texts=[(line, {"interrupted": True, "heard": heard})],
        )

    # --- the bot's turns --------------------------------------------------------------------

    def _answer(self, text: str) -> None:
        self._inputs.put_nowait(text)

    def _keyed(self, text: str) -> None:
        """What keys said: a menu's choice, or digits read for the question asked (six keys
        when the bot asked who is calling are the customer number), as on the <Gather> door."""
        if text.isdigit():
            text = normalise(text, self.language, expecting=self.question)
        self._answer(text)

    async def _work(self) -> None:
        """Run the turns one after the other, in the order the caller said them."""
        while True:
            text = await self._inputs.get()
            if text is None or self.ending:
                return
            reply = await bounded_turn(
                rasa=self.parts.rasa,
                uow_factory=self.parts.uows,
                conversation_id=self.conversation_id,
                channel=CHANNEL,
                text=text,
                metadata=self.metadata,
                budget=self.twilio.reply_budget,
                dialogue_state=True,
            )
            if self.closed:
                return
            await self._after(reply, newer=not self._inputs.empty())

    async def _after(self, reply: Reply, *, newer: bool) -> None:
        if not reply.failed:
            self.messages = reply.messages
        self.question = reply.dialogue.question if reply.dialogue else None
        await self._follow_language()
        speech = speech_for(reply, language=self.language, twilio=self.twilio)
        self.survey = speech.survey
        if newer and speech.ending is None:
            return  # the caller said more meanwhile: the next answer answers it
        await self._hush()
        self.ending = speech.ending
        self._speaking = asyncio.create_task(self._say(speech))

    async def _follow_language(self) -> None:
        """Tell Twilio when the conversation changed language (the caller's, the account's)."""
        language = await conversation_language(self.parts.rasa, self.conversation_id)
        if language == self.language:
            return
        self.language = language
        heard_in = phone_words.voice(self.twilio, language)[1]
        if heard_in != self.heard_in:
            self.heard_in = heard_in
            await self._send(
                {"type": "language", "ttsLanguage": heard_in, "transcriptionLanguage": heard_in}
            )

    async def _say(self, speech: Speech) -> None:
        await self.talk.say(speech.sentences)
        if speech.survey:
            # No key, no word: the call ends as the <Gather> door's survey does.
            await anyio.sleep(self.talk.left() + SURVEY_WAIT)
            self.ending = GOODBYE
            words = phone_words.words(self.language).survey_timeout
            await self.talk.say(sentences([words], self.language))
        if self.ending:
            await self.talk.until_heard()
            await self._end()

    async def _hush(self) -> None:
        """Stop the reply being said: its sentences not yet sent are dropped."""
        task, self._speaking = self._speaking, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self.talk.stop()
        if self.ending:
            await self._end()  # cut short, the session still ends

    async def _end(self) -> None:
        if self.ended or self.ending is None:
            return
        self.ended = True
        # Shielded: a caller cutting into the last words must not keep the call from ending.
        await asyncio.shield(self._send({"type": "end", "handoffData": handoff_data(self.ending)}))

    # --- the socket -------------------------------------------------------------------------

    async def _send(self, message: dict[str, Any]) -> None:
        if self.closed:
            return
        async with self._send_lock:
            try:
                await self.socket.send_text(json.dumps(message, ensure_ascii=False))
            except (WebSocketDisconnect, RuntimeError):
                self.closed = True

    async def _close(self, code: int) -> None:
        if self.closed:
            return
        self.closed = True
        with contextlib.suppress(RuntimeError, WebSocketDisconnect):
            await self.socket.close(code)

    async def _stop(self) -> None:
        """The socket closed: drop what was being said; a turn under way ends in its budget."""
        self.closed = True
        self.keypad.clear()
        if self._speaking is not None and not self._speaking.done():
            self._speaking.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._speaking
        worker = self._worker
        if worker is None:
            return
        while not self._inputs.empty():
            self._inputs.get_nowait()
        self._inputs.put_nowait(None)
        with anyio.move_on_after(self.twilio.reply_budget + 1):
            await asyncio.wait({worker})
        if not worker.done():
            worker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await worker


def _field(message: Mapping[str, Any], name: str) -> str:
    value = message.get(name)
    return value[:_FIELD_CHARS] if isinstance(value, str) else ""
