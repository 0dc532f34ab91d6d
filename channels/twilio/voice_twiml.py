"""The TwiML the phone door answers with, built with the ``twilio`` library.

The bot's messages are said with ``<Say>`` in the voice and language of the
conversation's language (``ICBOT_VOICE``, ``ICBOT_VOICE_LANGUAGE``; in French
``ICBOT_VOICE_FR``, ``ICBOT_VOICE_LANGUAGE_FR``), the door's own lines from
that language's table (:mod:`channels.twilio.phone_words`), inside a ``<Gather
input="speech dtmf">`` while the call listens; its ``action`` is absolute
(Twilio must reach the public URL) and carries the turn and silence counts.
A call ends with ``<Hangup/>``, or goes to a person with ``<Dial>``; the
satisfaction question after a goodbye listens for one key, then hangs up.
:mod:`channels.twilio.voice` decides which document a request gets.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi.responses import Response
from twilio.twiml.voice_response import Gather, VoiceResponse

from ..conversation_language import DEFAULT
from ..conversations.rasa_client import BotMessage, Button
from ..settings import TwilioSettings
from . import phone_words
from .phone_text import plain_speech

GATHER_PATH = "/twilio/voice/gather"
PHONE_SPEECH_MODEL = "phone_call"

# Said by the door, not the domain: they cover what the bot cannot say (English's; every
# language's are in phone_words).
NO_AGENT_LINE = phone_words.EN.no_agent_line
NOT_HEARD = phone_words.EN.not_heard
ASK_AGAIN = phone_words.EN.ask_again
PERSON_HINT = phone_words.EN.person_hint
GOODBYE_ON_SILENCE = phone_words.EN.goodbye_on_silence
# After the satisfaction question, when no key comes: the call ends all the same.
SURVEY_TIMEOUT = phone_words.EN.survey_timeout
SURVEY_HINTS = phone_words.EN.survey_hints
WRONG_CALL = phone_words.EN.wrong_call


def twiml_response(response: VoiceResponse) -> Response:
    """The TwiML document as an HTTP answer."""
    return Response(content=str(response), media_type="application/xml")


class VoiceTwiml:
    """Builds the phone door's documents for one gateway's Twilio settings and public URL,
    in one conversation's language."""

    def __init__(self, twilio: TwilioSettings, *, public_url: str, language: str = DEFAULT) -> None:
        self.twilio = twilio
        self.public_url = public_url
        self.language = language
        self.words = phone_words.words(language)
        self.voice, self.voice_language = phone_words.voice(twilio, language)

    def gather_url(self, silence: int = 0, *, turn: int, asked: str | None = None) -> str:
        """The absolute URL Twilio posts the caller's answer to; ``asked``: the question."""
        url = f"{self.public_url}{GATHER_PATH}?turn={turn}&silence={silence}"
        return f"{url}&asked={asked}" if asked else url

    def say(self, verb: VoiceResponse | Gather, text: str) -> None:
        """Add a ``<Say>`` with the conversation language's voice, amounts read in it."""
        said = phone_words.speakable(text, self.language)
        verb.say(said, voice=self.voice, language=self.voice_language)

    def listen(
        self,
        lines: list[str],
        buttons: Sequence[Button],
        *,
        hints: str,
        silence: int,
        turn: int,
        asked: str | None = None,
    ) -> VoiceResponse:
        """Say ``lines`` while listening for speech or keys; ``buttons`` are the choices offered,
        ``asked`` the question (a form's slot), which the answer is read for."""
        response = VoiceResponse()
        gather = response.gather(
            input="speech dtmf",
            action=self.gather_url(silence, turn=turn, asked=asked),
            method="POST",
            speech_timeout="auto",
            language=self.voice_language,
            hints=hints or None,
            # Twilio's model for phone audio; "enhanced" is its better variant of it.
            speech_model=PHONE_SPEECH_MODEL,
            enhanced=True,
            # A menu answers with one key; without one, digits end with # (Twilio's
            # finishOnKey by default) or a pause.
            num_digits=1 if 0 < len(buttons) <= 9 else None,
            action_on_empty_result=True,
        )
        for line in lines:
            self.say(gather, line)
        return response

    def survey(self, lines: list[str], *, turn: int) -> VoiceResponse:
        """Ask the satisfaction question for one key (or a word), then hang up on silence.

        No ``actionOnEmptyResult``: when the caller answers nothing, Twilio
        goes on with the verbs after the ``<Gather>``, the goodbye and
        ``<Hangup/>``; the interaction was closed with the goodbye already.
        """
        response = VoiceResponse()
        gather = response.gather(
            input="dtmf speech",
            num_digits=1,
            action=self.gather_url(turn=turn),
            method="POST",
            speech_timeout="auto",
            language=self.voice_language,
            hints=self.words.survey_hints,
        )
        for line in lines:
            self.say(gather, line)
        self.say(response, self.words.survey_timeout)
        response.hangup()
        return response

    def hang_up_after(self, lines: Sequence[str]) -> VoiceResponse:
        """Say ``lines``, then end the call."""
        response = VoiceResponse()
        for line in lines:
            self.say(response, line)
        response.hangup()
        return response

    def failed(self) -> VoiceResponse:
        """The apology, then the fallback agent, or a goodbye."""
        fallback = self.twilio.fallback_number
        if not fallback:
            return self.hang_up_after([self.words.call_again])
        response = VoiceResponse()
        self.say(response, self.words.put_through)
        response.dial(fallback)
        return response

    def put_through(self, messages: list[BotMessage]) -> VoiceResponse:
        """Say what the bot said about the handoff, then dial the agents' line."""
        lines = spoken(messages)
        agents = self.twilio.fallback_number
        if not agents:
            return self.hang_up_after([*lines, self.words.no_agent_line])
        response = VoiceResponse()
        for line in lines:
            self.say(response, line)
        response.dial(agents)
        return response


def spoken(messages: Sequence[BotMessage]) -> list[str]:
    """The messages as ``<Say>`` reads them, the empty ones left out."""
    return list(filter(None, (plain_speech(m.text) for m in messages)))
