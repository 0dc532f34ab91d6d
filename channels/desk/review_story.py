"""A reviewed conversation saved as a Rasa test story, written by Rasa, redacted by us.

Rasa's HTTP API writes a conversation's latest session as a test story
(``GET /conversations/{id}/story``: its own story writer, the format
``rasa test core`` plays); :func:`crm_backend.services.review_export.redacted_story`
replaces the personal data, and the file lands in ``ICBOT_REVIEW_STORIES_DIR``
(``tests/stories/`` by default) as ``review_<slug>.yml``, the slug a hash of
the conversation id. Saving the same conversation again overwrites its file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

import httpx

from crm_backend.services import review_export

from ..conversations.rasa_client import RasaClient, RasaUnavailable


class NoStory(Exception):
    """Rasa knows no conversation of that id, or told no story of it."""


async def rasa_story(client: RasaClient, conversation_id: str) -> str:
    """The conversation's latest session as Rasa's test story (YAML).

    Raises:
        NoStory: Rasa has no such conversation, or its story has no step.
        RasaUnavailable: Rasa could not be reached or failed.
    """
    params = {"token": client.token} if client.token else {}
    path = f"/conversations/{quote(conversation_id, safe='')}/story"
    try:
        # The client's own request: the conversation's Rasa server, retried as its reads are.
        response = await client._request(
            conversation_id, "GET", path, params=params, idempotent=True
        )
        if response.status_code == 404:
            raise NoStory(conversation_id)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        raise RasaUnavailable(f"Rasa failed: {exc!s}", conversation_id=conversation_id) from exc
    if "steps:" not in response.text:
        raise NoStory(conversation_id)
    return response.text


def save_story(story: str, *, conversation_id: str, names: Iterable[str], directory: Path) -> Path:
    """Write the story, redacted, as ``directory/review_<slug>.yml``; the file's path."""
    text = review_export.redacted_story(story, conversation_id=conversation_id, names=names)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / review_export.story_file_name(conversation_id)
    # Beside the target, then renamed: a story test never reads half a file.
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=directory, prefix=f".{target.name}.", delete=False
    ) as draft:
        draft.write(text)
    os.replace(draft.name, target)
    return target
