"""The language a conversation speaks, as the doors see it (the seam until routing lands).

Every door that says something of its own (the SMS keywords' answers, the
phone's fixed lines, the desk's badge) asks :func:`conversation_language`.
Today it answers :data:`DEFAULT` for every conversation; when the gateway
routes each conversation to the Rasa server of its language,
``channels.conversations`` exposes ``async language_of(conversation_id)`` and
this function's body becomes ``return known(await language_of(conversation_id))``:
one line, and no door changes.
"""

from __future__ import annotations

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


async def conversation_language(conversation_id: str) -> str:
    """The language of ``conversation_id``: :data:`DEFAULT` until the gateway knows it.

    The seam: replace the body with ``return known(await language_of(conversation_id))``
    (``channels.conversations``) once that function exists.
    """
    del conversation_id  # read by language_of, once it exists
    return DEFAULT
