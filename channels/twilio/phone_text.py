"""The bot's messages made fit for a phone call and for a text message.

The wording for each medium comes from Rasa's response variations on the
``channel`` slot; what is left to the door is the form:

- on the phone, no markdown and no emoji, and the choices (buttons) spoken
  with their keypad digit in the conversation's language: "Say yes or press 1,
  say no or press 2.", "Appuyez sur 1 pour oui, appuyez sur 2 pour non.";
- by SMS, no markdown, and the choices numbered ("1. Yes") for a digit reply;
- speech hints for Twilio's recogniser: the choices, the product names and
  the words the current question expects.

Digit ``N`` answers with the ``N``-th choice the bot offered last (see
:mod:`channels.twilio.turns`), so the numbering here and there must agree:
the choices of all messages of one answer, in order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from ..conversations.rasa_client import BotMessage, Button
from . import phone_words, sms_words

MAX_DIGIT_CHOICES = 9
SMS_MAX_CHARS = 1600  # Twilio's limit for one message body
HINT_MAX_CHARS = 100
HINTS_MAX = 500

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|`|~~)(?=\S)(.+?)(?<=\S)\1")
# Single marks inside words (snake_case, an e-mail, 2*3) are not emphasis.
_UNDERSCORES = re.compile(r"(?<!\w)(__|_|\*)(?=\S)(.+?)(?<=\S)\1(?!\w)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+", re.MULTILINE)
_BULLET = re.compile(r"^\s*[-*•]\s+", re.MULTILINE)
_SPACES = re.compile(r"[ \t]+")
_SENTENCE_END = (".", "!", "?", ":", ";", ",")
# Emoji modifiers and joiners, which carry no meaning once the emoji is gone.
_EMOJI_PARTS = {"\u200d", "\ufe0e", "\ufe0f", "\u20e3"}

# Words the recogniser should expect for the question being asked (Rasa's
# requested_slot), beside the choices and the catalog: English's (each language's
# are in phone_words).
QUESTION_HINTS: dict[str, tuple[str, ...]] = phone_words.EN.question_hints


def plain(text: str) -> str:
    """The text without markdown: links as their label, no emphasis marks, headings or bullets."""
    text = _LINK.sub(r"\1", text)
    text = _EMPHASIS.sub(r"\2", text)
    text = _UNDERSCORES.sub(r"\2", text)
    text = _HEADING.sub("", text)
    return _BULLET.sub("", text)


def plain_speech(text: str) -> str:
    """What ``<Say>`` should read: plain text, no emoji, lines joined as sentences."""
    kept = "".join(c for c in plain(text) if not _is_emoji(c))
    sentences = []
    for line in kept.splitlines():
        line = _SPACES.sub(" ", line).strip()
        if line:
            sentences.append(line if line.endswith(_SENTENCE_END) else f"{line}.")
    return " ".join(sentences)


def _is_emoji(char: str) -> bool:
    if char in _EMOJI_PARTS:
        return True
    category = unicodedata.category(char)
    # "So" holds emoji and pictographs; "Sk" in the emoji plane holds skin tones.
    return category == "So" or (category == "Sk" and ord(char) >= 0x1F000)


def offered_buttons(messages: Iterable[BotMessage]) -> list[Button]:
    """The choices of one answer, in the order the digits number them."""
    return [button for message in messages for button in message.buttons]


def spoken_choices(buttons: Sequence[Button], *, language: str = "en") -> str:
    """The choices as the phone says them: "Say Yes or press 1, say No or press 2."."""
    choice = phone_words.words(language).choice
    phrases = [
        choice.format(title=_title(button), digit=digit)
        for digit, button in enumerate(buttons[:MAX_DIGIT_CHOICES], start=1)
    ]
    if not phrases:
        return ""
    sentence = ", ".join(phrases)
    return sentence[0].upper() + sentence[1:] + "."


def numbered_choices(buttons: Sequence[Button]) -> list[str]:
    """The choices as an SMS lists them: "1. Yes", "2. No"."""
    return [
        f"{digit}. {_title(button)}"
        for digit, button in enumerate(buttons[:MAX_DIGIT_CHOICES], start=1)
    ]


def _title(button: Button) -> str:
    return plain_speech(button.title).rstrip(".") or button.payload


def voice_lines(messages: Sequence[BotMessage], *, language: str = "en") -> list[str]:
    """One ``<Say>`` per message, the spoken choices after the last one.

    An answer that already says which key to press (the domain's voice
    wording does, docs/dialogue.md) keeps its own words.
    """
    lines = [plain_speech(m.text) for m in messages if plain_speech(m.text)]
    buttons = offered_buttons(messages)
    said = " ".join(lines).lower()
    if buttons and phone_words.words(language).press not in said:
        lines.append(spoken_choices(buttons, language=language))
    return lines


def sms_body(messages: Sequence[BotMessage], *, language: str = "en") -> str:
    """One SMS for the bot's answer: its messages, then the numbered choices.

    An answer that already numbers its choices (the domain's SMS wording
    does, docs/dialogue.md) is not numbered twice.
    """
    parts = [plain(m.text).strip() for m in messages if m.text.strip()]
    buttons = offered_buttons(messages)
    text = "\n".join(parts)
    if buttons and not _lists_choices(text, buttons):
        reply_with_number = sms_words.words(language).reply_with_number
        parts.append("\n".join([*numbered_choices(buttons), reply_with_number]))
    body = "\n".join(parts)
    return body if len(body) <= SMS_MAX_CHARS else body[: SMS_MAX_CHARS - 1] + "…"


def _lists_choices(text: str, buttons: Sequence[Button]) -> bool:
    # The domain's SMS wording numbers its choices ("Reply 1 for yes, 2 for no").
    count = min(len(buttons), MAX_DIGIT_CHOICES)
    return all(re.search(rf"(?<![\w-]){digit}(?![\w-])", text) for digit in range(1, count + 1))


def speech_hints(
    *,
    buttons: Sequence[Button] = (),
    products: Iterable[str] = (),
    question: str | None = None,
    language: str = "en",
) -> str:
    """Twilio's ``hints``: comma-separated phrases of at most 100 characters, 500 at most."""
    phrases = [
        *(_title(b) for b in buttons),
        *phone_words.words(language).question_hints.get(question or "", ()),
        *products,
    ]
    cleaned = (_SPACES.sub(" ", p.replace(",", " ")).strip() for p in phrases)
    unique = dict.fromkeys(p for p in cleaned if p and len(p) <= HINT_MAX_CHARS)
    return ", ".join(list(unique)[:HINTS_MAX])
