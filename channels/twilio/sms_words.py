"""What the SMS door says and reads itself, one table per language.

The carriers' keywords are read in every language (a French customer may
text STOP, an English one ARRET): each word does what its English twin
does. The answers are in the conversation's language and use only GSM-7
characters (é, è, à are; ê, ç, â, î, ô, û, œ and typographic quotes are
not), so a text goes in 160-character segments instead of UCS-2's 70.
"""

from __future__ import annotations

import string
import unicodedata
from dataclasses import dataclass
from enum import Enum

from ..conversation_language import DEFAULT
from ..conversations import apology

# What is stripped around a keyword: spaces (French puts one before "!"), full stops, "!".
_AROUND = string.whitespace + "\u00a0\u202f.!"
# Longer than any keyword: not read as one (and never normalised at length).
_MAX_KEYWORD = 16


class Keyword(Enum):
    """What a keyword asks for."""

    OPT_OUT = "opt_out"
    OPT_IN = "opt_in"
    HELP = "help"


@dataclass(frozen=True)
class SmsWords:
    """One language's SMS answers; ``{company}`` is ``ICBOT_COMPANY_NAME``."""

    opted_out: str
    opted_in: str
    help: str
    apology: str
    reply_with_number: str
    keywords: dict[str, Keyword]

    def opted_out_text(self, company: str) -> str:
        """The confirmation of an opt-out, the last text the number gets."""
        return self.opted_out.format(company=company)

    def opted_in_text(self, company: str) -> str:
        """The confirmation that texts may come again."""
        return self.opted_in.format(company=company)

    def help_text(self, company: str) -> str:
        """Who we are and how to stop."""
        return self.help.format(company=company)


EN = SmsWords(
    opted_out=(
        "You're unsubscribed from {company} texts and won't get any more. Reply START to undo."
    ),
    opted_in=(
        "You're subscribed to {company} texts again. Reply HELP for help, STOP to unsubscribe."
    ),
    help=(
        "{company}: our assistant answers about products, quotes and orders by text. "
        "Reply STOP to unsubscribe, START to subscribe again. Msg & data rates may apply."
    ),
    apology=apology.SMS,
    reply_with_number="Reply with a number.",
    keywords={
        **dict.fromkeys(
            ("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"), Keyword.OPT_OUT
        ),
        **dict.fromkeys(("START", "UNSTOP"), Keyword.OPT_IN),
        **dict.fromkeys(("HELP", "INFO"), Keyword.HELP),
    },
)

FR = SmsWords(
    opted_out=(
        "Vous ne recevrez plus de SMS de {company}. Répondez START pour les recevoir à nouveau."
    ),
    opted_in=(
        "Vous recevrez à nouveau les SMS de {company}. Répondez AIDE pour de l'aide, "
        "ARRET pour ne plus recevoir de SMS."
    ),
    help=(
        "{company} : notre assistant vous répond par SMS sur nos produits, devis et commandes. "
        "Répondez ARRET pour ne plus recevoir de SMS, START pour les recevoir à nouveau. "
        "SMS au tarif de votre opérateur."
    ),
    apology=(
        "Désolé, je ne peux pas répondre pour le moment à cause d'un problème technique. "
        "Merci de nous écrire à nouveau un peu plus tard."
    ),
    reply_with_number="Répondez par un numéro.",
    keywords={
        **dict.fromkeys(("ARRÊT", "ARRET"), Keyword.OPT_OUT),
        **dict.fromkeys(("AIDE",), Keyword.HELP),
    },
)

WORDS: dict[str, SmsWords] = {"en": EN, "fr": FR}
# Twilio also opts a number back in on YES; for everyone else "yes" is an answer to the bot.
OPT_IN_WHEN_OPTED_OUT = frozenset({"YES"})


def words(language: str) -> SmsWords:
    """The SMS words of ``language``; the default's for a language without its own."""
    return WORDS.get(language, WORDS[DEFAULT])


def keyword_of(body: str) -> str:
    """The message as a keyword: upper case, composed accents, no spaces, "." or "!" around it."""
    stripped = body.strip(_AROUND)
    if len(stripped) > _MAX_KEYWORD:
        return ""
    return unicodedata.normalize("NFKC", stripped).upper()


def keyword(body: str) -> Keyword | None:
    """What the message asks for when it is only a keyword, of any language."""
    word = keyword_of(body)
    for table in WORDS.values():
        if word in table.keywords:
            return table.keywords[word]
    return None
