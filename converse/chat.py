"""The public chat API, as the web chat page uses it: one anonymous conversation per run."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from .questions import Button

TIMEOUT = 60.0


class ChatError(RuntimeError):
    """The chat API answered something else than the bot's messages."""


@dataclass(frozen=True)
class BotTurn:
    """The bot's answer to one customer message."""

    texts: tuple[str, ...]
    buttons: tuple[Button, ...] = ()
    handed_off: bool = False
    status: int = 200


@dataclass
class Conversation:
    """One conversation on ``POST /api/conversations`` and its messages."""

    client: httpx.Client
    conversation_id: str = field(default="")

    @classmethod
    def start(cls, client: httpx.Client) -> Conversation:
        """A new conversation, with the id the gateway issues.

        Raises:
            ChatError: the gateway refused.
        """
        response = client.post("/api/conversations", json={})
        if response.status_code != 201:
            raise ChatError(
                f"POST /api/conversations: HTTP {response.status_code} {response.text[:200]}"
            )
        return cls(client=client, conversation_id=str(response.json()["conversation_id"]))

    def say(self, text: str, metadata: dict[str, Any] | None = None) -> BotTurn:
        """Send a customer message, with the page's ``metadata`` if any (``{"language": "fr"}``);
        the bot's answer (a 503 answer is the bot's apology).

        Raises:
            ChatError: the gateway answered neither 200 nor 503, or no message list.
        """
        body_out: dict[str, Any] = {"text": text}
        if metadata:
            body_out["metadata"] = metadata
        response = self.client.post(
            f"/api/conversations/{self.conversation_id}/messages", json=body_out
        )
        if response.status_code not in (200, 503):
            raise ChatError(f"HTTP {response.status_code}: {response.text[:200]}")
        body: Any = response.json()
        messages = body.get("messages") if isinstance(body, dict) else None
        if not isinstance(messages, list):
            raise ChatError(f"no message list in {str(body)[:200]}")
        texts = tuple(str(m.get("text") or "") for m in messages if isinstance(m, dict))
        buttons = tuple(
            Button(title=str(b.get("title", "")), payload=str(b.get("payload", "")))
            for m in messages
            if isinstance(m, dict)
            for b in (m.get("buttons") or [])
            if isinstance(b, dict)
        )
        return BotTurn(
            texts=texts,
            buttons=buttons,
            handed_off=bool(body.get("handed_off")),
            status=response.status_code,
        )


def client(base_url: str) -> httpx.Client:
    """An HTTP client for the gateway."""
    return httpx.Client(base_url=base_url, timeout=TIMEOUT)
