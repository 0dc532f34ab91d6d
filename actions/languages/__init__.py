"""The languages the bot speaks: one table of words per language (:class:`Words`).

:func:`words` gives a conversation's table from its language
(:func:`actions.messages.language`); a language without one speaks English.
"""

from __future__ import annotations

from .base import Words
from .en import EN
from .fr import FR

WORDS = {table.code: table for table in (EN, FR)}


def words(language: str) -> Words:
    """The table of ``language`` ("en", "fr"), English for any other."""
    return WORDS.get(language, EN)


__all__ = ["EN", "FR", "WORDS", "Words", "words"]
