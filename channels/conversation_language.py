"""The language a conversation speaks, as the doors see it.

Every door that says something of its own (the SMS keywords' answers, the
phone's fixed lines, the desk's badge) asks :func:`conversation_language`, with
what knows each conversation's language: the Rasa client, which routes by it
(:class:`channels.conversations.language.ConversationLanguages`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

import languages

# The languages the doors have words for (docs/languages.md); the default first.
SUPPORTED: tuple[str, ...] = ("en", "fr")
DEFAULT = languages.DEFAULT


def known(code: object) -> str:
    """``code`` if the doors speak it (``"FR"``, ``"fr-CA"``: ``"fr"``), else the default."""
    if not isinstance(code, str):
        return DEFAULT
    primary = code.strip().lower().replace("_", "-").split("-", 1)[0]
    return primary if primary in SUPPORTED else DEFAULT


class LanguageSource(Protocol):
    """What knows each conversation's language (the Rasa client, the gateway's records)."""

    @property
    def language_of(self) -> Callable[[str], Awaitable[str]]:
        """The conversation's language, from its id."""
        ...


async def conversation_language(source: LanguageSource | None, conversation_id: str) -> str:
    """The language of ``conversation_id`` as the gateway routes it; :data:`DEFAULT` without one."""
    if source is None:
        return DEFAULT
    return known(await source.language_of(conversation_id))
