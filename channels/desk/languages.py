"""The language of each conversation the desk shows (a badge "FR"/"EN").

Read through the seam, :func:`channels.conversation_language.conversation_language`,
after the CRM's session is closed: :mod:`channels.desk.views` stays plain
synchronous reads, and the language is added to what they return.
"""

from __future__ import annotations

from dataclasses import replace

from .. import conversation_language as seam
from .views import ConversationView, QueueRow


async def with_languages(rows: list[QueueRow]) -> list[QueueRow]:
    """``rows``, each with its conversation's language."""
    return [
        replace(row, language=seam.known(await seam.conversation_language(row.conversation_id)))
        for row in rows
    ]


async def with_language(view: ConversationView) -> ConversationView:
    """``view``, its handoff with the conversation's language."""
    (handoff,) = await with_languages([view.handoff])
    return replace(view, handoff=handoff)
