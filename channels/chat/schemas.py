"""What the chat API reads and answers: its request and response bodies.

A message's text is clean before anything sees it: valid Unicode (a lone
surrogate is refused), without control or bidi control characters
(:func:`channels.guards.clean_text`). Its metadata is small and flat.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..guards import clean_text, is_valid_unicode

MAX_TEXT = 2000
MAX_METADATA_KEYS = 20
MAX_METADATA_BYTES = 2048
SCALARS = (str, int, float, bool, type(None))


class NewConversation(BaseModel):
    """The body of ``POST /api/conversations``: nothing, or ``{}``."""

    model_config = ConfigDict(extra="forbid")


class ConversationStarted(BaseModel):
    """A conversation the server issued."""

    conversation_id: str = Field(description="Post the customer's messages under this id")


class MessageIn(BaseModel):
    """A customer's message."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=MAX_TEXT, description="What the customer wrote")
    metadata: dict[str, Any] = Field(
        default_factory=dict,
        description=(
            'e.g. {"phone": "+33612345678"}; trusted only with the integration token. '
            f"At most {MAX_METADATA_KEYS} keys and {MAX_METADATA_BYTES} bytes as JSON, "
            "each value text, a number, true/false or null"
        ),
    )

    @field_validator("text")
    @classmethod
    def _clean(cls, value: str) -> str:
        # A lone surrogate never gets here: pydantic refuses it as string_unicode.
        value = clean_text(value)
        if not value.strip():
            raise ValueError("text must not be blank")
        return value

    @field_validator("metadata")
    @classmethod
    def _bounded(cls, value: dict[str, Any]) -> dict[str, Any]:
        if len(value) > MAX_METADATA_KEYS:
            raise ValueError(f"metadata may have at most {MAX_METADATA_KEYS} keys")
        if not all(isinstance(v, SCALARS) for v in value.values()):
            raise ValueError("metadata values must be text, numbers, true/false or null")
        strings = [*value, *(v for v in value.values() if isinstance(v, str))]
        if not all(is_valid_unicode(s) for s in strings):
            raise ValueError("metadata must be valid Unicode (it holds a lone surrogate)")
        if len(json.dumps(value, ensure_ascii=False).encode()) > MAX_METADATA_BYTES:
            raise ValueError(f"metadata may take at most {MAX_METADATA_BYTES} bytes as JSON")
        return value


class ButtonOut(BaseModel):
    """A choice the customer can click or send back."""

    title: str
    payload: str


class MessageOut(BaseModel):
    """One message of the bot."""

    text: str
    buttons: list[ButtonOut] | None = None


class ChatReply(BaseModel):
    """The bot's answer to one message."""

    conversation_id: str
    messages: list[MessageOut]
    handed_off: bool = False


class ChatUnavailable(ChatReply):
    """503: the bot is down (restarting, or given up on); the messages are its apology."""

    detail: str = Field(description="Why, and when to try again")


class PushedMessage(BaseModel):
    """A message that reached the customer outside an answer: an agent's, or the bot's."""

    id: int = Field(description="Its place in the conversation; ask for what comes after it")
    role: str = Field(description="agent, bot or system")
    text: str
    at: str = Field(description="When, ISO 8601")
    author: str | None = Field(default=None, description="The agent's name")
    buttons: list[ButtonOut] | None = None


class ConversationEvents(BaseModel):
    """What happened since the cursor, and whether a person has the conversation."""

    conversation_id: str
    cursor: int = Field(description="Pass it as `after` next time")
    handed_off: bool
    handoff_status: str | None = Field(default=None, description="waiting or assigned")
    agent: str | None = Field(default=None, description="The agent who took the conversation")
    events: list[PushedMessage]
