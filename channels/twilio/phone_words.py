"""What the phone door says itself, one table per language.

The bot's words come from Rasa; these cover what the bot cannot say (it is
down, the caller said nothing, the call was a mistake) and the form the door
gives the bot's choices on the phone ("Say Yes or press 1"). The voice and
the recogniser's language come from the settings (``ICBOT_VOICE``,
``ICBOT_VOICE_FR``, ...): :func:`voice`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..conversation_language import DEFAULT
from ..conversations import apology
from ..settings import TwilioSettings


@dataclass(frozen=True)
class PhoneWords:
    """One language's fixed lines, and how it says a choice and reads amounts."""

    no_agent_line: str
    not_heard: str
    ask_again: str
    person_hint: str
    goodbye_on_silence: str
    survey_timeout: str
    survey_hints: str
    wrong_call: str
    call_again: str
    put_through: str
    # One choice: "say Yes or press 1"; the sentence starts with a capital.
    choice: str
    # A word the bot's own voice wording holds when it already names the keys.
    press: str
    # Words the recogniser should expect for the question being asked (Rasa's requested_slot).
    question_hints: dict[str, tuple[str, ...]] = field(default_factory=dict)


EN = PhoneWords(
    no_agent_line="An adviser will call you back on this number as soon as possible. Goodbye.",
    not_heard="Sorry, I didn't hear anything.",
    ask_again="How can I help you?",
    person_hint="You can also press 0 to talk to a person.",
    goodbye_on_silence="I still can't hear you, so I'll end this call. Goodbye.",
    survey_timeout="Thank you for calling. Goodbye.",
    survey_hints="one, two, three, four, five",
    wrong_call="Sorry, this call was made by mistake. Goodbye.",
    call_again=apology.CALL_AGAIN,
    put_through=apology.PUT_THROUGH,
    choice="say {title} or press {digit}",
    press="press",
    question_hints={
        "identity_key": ("my email is", "customer number", "at", "dot", "my name is"),
        "lookup_postcode": ("postcode",),
        "verification_answer": ("postcode",),
        "identity_confirmed": ("yes", "no", "that's me", "that's not me"),
        "order_confirmed": ("yes", "no", "place the order", "cancel"),
        "order_lines": ("the laptop", "the bag", "the battery", "and"),
        "quote_lines": ("the laptop", "the bag", "the battery", "and"),
        "requested_date": ("as soon as possible", "next week", "next month"),
        "contact_field": ("phone number", "email", "address"),
        "contact_value": ("my new number is", "my new email is", "at", "dot"),
        "callback_phone": ("my number is",),
        "lead_timeframe": ("this month", "in a few months", "next year", "not sure"),
        "new_name": ("my name is",),
        "new_email": ("at", "dot", "underscore", "dash", "gmail dot com", "dot com", "dot fr"),
        "new_postcode": ("postcode",),
        "lead_quantity": ("about", "ten", "twenty", "fifty", "a hundred"),
    },
)

FR = PhoneWords(
    no_agent_line=("Un conseiller vous rappellera à ce numéro dès que possible. Au revoir."),
    not_heard="Désolé, je n'ai rien entendu.",
    ask_again="Comment puis-je vous aider ?",
    person_hint="Vous pouvez aussi appuyer sur 0 pour parler à un conseiller.",
    goodbye_on_silence="Je ne vous entends toujours pas, je vais donc raccrocher. Au revoir.",
    survey_timeout="Merci de votre appel. Au revoir.",
    survey_hints="un, deux, trois, quatre, cinq",
    wrong_call="Désolé, cet appel a été passé par erreur. Au revoir.",
    call_again=(
        "Désolé, je ne peux pas répondre pour le moment à cause d'un problème technique. "
        "Merci de nous rappeler un peu plus tard. Au revoir."
    ),
    put_through=(
        "Désolé, je ne peux pas répondre pour le moment à cause d'un problème technique. "
        "Je vous mets en relation avec un conseiller. Merci de patienter."
    ),
    choice="appuyez sur {digit} pour {title}",
    press="appuyez",
    question_hints={
        "identity_key": ("mon e-mail est", "numéro client", "arobase", "point", "je m'appelle"),
        "lookup_postcode": ("code postal",),
        "verification_answer": ("code postal",),
        "identity_confirmed": ("oui", "non", "c'est moi", "ce n'est pas moi"),
        "order_confirmed": ("oui", "non", "passer la commande", "annuler"),
        "order_lines": ("l'ordinateur", "la sacoche", "la batterie", "et"),
        "quote_lines": ("l'ordinateur", "la sacoche", "la batterie", "et"),
        "requested_date": ("dès que possible", "la semaine prochaine", "le mois prochain"),
        "contact_field": ("numéro de téléphone", "e-mail", "adresse"),
        "contact_value": ("mon nouveau numéro est", "mon nouvel e-mail est", "arobase", "point"),
        "callback_phone": ("mon numéro est",),
        "lead_timeframe": (
            "ce mois-ci",
            "dans quelques mois",
            "l'année prochaine",
            "je ne sais pas",
        ),
        "new_name": ("je m'appelle",),
        "new_email": ("arobase", "point", "tiret", "tiret du bas", "gmail point com", "point fr"),
        "new_postcode": ("code postal",),
        "lead_quantity": ("environ", "dix", "vingt", "cinquante", "une centaine"),
    },
)

WORDS: dict[str, PhoneWords] = {"en": EN, "fr": FR}


def words(language: str) -> PhoneWords:
    """The phone words of ``language``; the default's for a language without its own."""
    return WORDS.get(language, WORDS[DEFAULT])


def voice(twilio: TwilioSettings, language: str) -> tuple[str, str]:
    """The ``<Say>`` voice and the language of ``<Say>`` and speech recognition."""
    if language == "fr":
        return twilio.voice_fr, twilio.voice_language_fr
    return twilio.voice, twilio.voice_language


# French amounts as the bank writes them: "12 990,00 €", "1 299 €", "49,90 €"; the groups
# of thousands are joined ("12 990" read as two numbers would be wrong).
# Each starts only where a run of digits starts, and is bounded: linear on any text.
_FR_AMOUNT = re.compile(
    r"(?<!\d)(\d{1,3}(?:[ \u00a0\u202f.]\d{3}){1,5}|\d{1,15})(?:,(\d{1,2}))?\s?€"
)
_FR_GROUPED = re.compile(r"(?<!\d)\d{1,3}(?:[\u00a0\u202f]\d{3}){1,5}(?!\d)")


def _fr_amount(match: re.Match[str]) -> str:
    units = int(re.sub(r"\D", "", match.group(1)))
    cents = int((match.group(2) or "0").ljust(2, "0"))
    said = f"{units} euro" if units in (0, 1) else f"{units} euros"
    return f"{said} {cents}" if cents else said


def speakable(text: str, language: str) -> str:
    """``text`` as the voice should read it: French amounts in euros, numbers unsplit."""
    if language != "fr":
        return text
    text = _FR_AMOUNT.sub(_fr_amount, text)
    return _FR_GROUPED.sub(lambda m: re.sub(r"\D", "", m.group(0)), text)
