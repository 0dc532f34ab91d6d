"""The language of each conversation the desk shows (a badge "FR"/"EN").

Read through :func:`channels.conversation_language.conversation_language`, with the
gateway's records of each conversation's language, after the CRM's session is closed:
:mod:`channels.desk.views` stays plain synchronous reads, and the language is added to
what they return.
"""

from __future__ import annotations

from dataclasses import replace

from fastapi import Request

from ..conversation_language import LanguageSource, conversation_language
from .views import ConversationView, QueueRow


def _source(request: Request) -> LanguageSource | None:
    return getattr(request.app.state, "conversation_languages", None)


async def with_languages(request: Request, rows: list[QueueRow]) -> list[QueueRow]:
    """``rows``, each with its conversation's language."""
    source = _source(request)
    return [
        replace(row, language=await conversation_language(source, row.conversation_id))
        for row in rows
    ]


async def with_language(request: Request, view: ConversationView) -> ConversationView:
    """``view``, its handoff with the conversation's language."""
    (handoff,) = await with_languages(request, [view.handoff])
    return replace(view, handoff=handoff)
