"""What the streaming phone door says for one reply, sentence by sentence, and when.

The bot's messages are made speakable exactly as on the ``<Gather>`` door
(:func:`~channels.twilio.phone_text.voice_lines`: no markdown, the choices
with their keypad digit; :func:`~channels.twilio.phone_words.speakable`:
amounts read in the language), then cut into sentences, each one
ConversationRelay ``text`` token.

A reply is sent at the pace the caller hears it: the first sentence at once
(the caller hears the bot start as soon as it can), each next one shortly
(:data:`LEAD_SECONDS`) before the one before is heard to its end, reckoning
``ICBOT_RELAY_SPEECH_RATE`` characters a second. Twilio then holds little
more than what it is saying, and when the caller cuts in, the sentences not
yet sent are dropped: the door knows where the reply stopped.

A reply ends the session (``ending``) after a goodbye, a handoff to a
person, or when the bot could not answer; after the satisfaction question
(``survey``) the caller answers with one key or word.
"""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import anyio

from ..settings import TwilioSettings
from . import phone_words
from .phone_text import voice_lines
from .relay_twiml import FAILED, GOODBYE, HANDOFF
from .turns import Reply
from .voice import SURVEY_QUESTION
from .voice_twiml import spoken

# What ConversationRelay needs ahead of what it says: time to make the next sentence's audio.
LEAD_SECONDS = 1.0
# A sentence ends at a full stop, a question or an exclamation mark followed by a space;
# "1,358.00" and "S.O." inside a word are no ends.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")

Send = Callable[[dict[str, Any]], Awaitable[None]]


@dataclass(frozen=True)
class Speech:
    """What to say for a reply, and what follows it."""

    sentences: tuple[str, ...]
    # The session ends after it (GOODBYE, HANDOFF, FAILED); None: the call goes on.
    ending: str | None = None
    # The satisfaction question: one key or word answers it.
    survey: bool = False


@dataclass(frozen=True)
class Pace:
    """How fast the caller hears what is sent (characters a second) and how far ahead it goes."""

    rate: float
    lead: float = LEAD_SECONDS

    def seconds(self, text: str) -> float:
        """How long ``text`` takes to say."""
        return len(text) / self.rate


def sentences(lines: Sequence[str], language: str) -> tuple[str, ...]:
    """The lines as the voice should read them, one sentence each."""
    said: list[str] = []
    for line in lines:
        readable = phone_words.speakable(line, language)
        said += [part.strip() for part in _SENTENCE_END.split(readable) if part.strip()]
    return tuple(said)


def speech_for(reply: Reply, *, language: str, twilio: TwilioSettings) -> Speech:
    """What the door says for the bot's reply, as the ``<Gather>`` door's TwiML would say it.

    The dialogue's state comes with the reply (``bot/gateway_channel.py``); a reply
    without it is taken for one that neither ends the call nor asks the survey.
    """
    words = phone_words.words(language)
    agents = twilio.fallback_number
    if reply.failed:
        apology = words.put_through if agents else words.call_again
        return Speech(sentences([apology], language), ending=FAILED)
    if reply.handed_off:
        lines = spoken(reply.messages) + ([] if agents else [words.no_agent_line])
        return Speech(sentences(lines, language), ending=HANDOFF)
    dialogue = reply.dialogue
    ended, question = (dialogue.ended, dialogue.question) if dialogue else (False, None)
    if question == SURVEY_QUESTION:
        return Speech(sentences(spoken(reply.messages), language), survey=True)
    if ended:
        return Speech(sentences(spoken(reply.messages), language), ending=GOODBYE)
    return Speech(sentences(voice_lines(reply.messages, language=language), language))


def text_token(sentence: str, *, last: bool) -> dict[str, Any]:
    """One sentence as ConversationRelay's ``text`` message; Twilio joins the tokens as sent."""
    return {"type": "text", "token": sentence if last else f"{sentence} ", "last": last,
            "interruptible": True}  # fmt: skip


class Talk:
    """Sends sentences at the pace they are heard; knows when the caller will have heard them."""

    def __init__(self, send: Send, pace: Pace) -> None:
        self.send = send
        self.pace = pace
        self._heard_at = time.monotonic()  # when what was sent so far is heard to its end

    def left(self) -> float:
        """Seconds until the caller has heard everything sent."""
        return max(0.0, self._heard_at - time.monotonic())

    async def say(self, lines: Sequence[str], *, last: bool = True) -> None:
        """Send each sentence once the one before is about to be heard; ``last`` on the final."""
        for index, sentence in enumerate(lines):
            ahead = self.left() - self.pace.lead
            if ahead > 0:
                await anyio.sleep(ahead)
            final = last and index == len(lines) - 1
            await self.send(text_token(sentence, last=final))
            self._heard_at = max(self._heard_at, time.monotonic()) + self.pace.seconds(sentence)

    def stop(self) -> None:
        """The caller stopped hearing (cut in): nothing sent is left to hear."""
        self._heard_at = time.monotonic()

    async def until_heard(self) -> None:
        """Wait until the caller has heard everything sent."""
        await anyio.sleep(self.left())
