"""The chat door: ``POST /api/conversations/{conversation_id}/messages``.

Public clients (the web chat page, anyone on the internet) may send any
metadata, so it is untrusted: a caller number in it counts for identification
only when the request carries the integration token. Conversation ids are
namespaced by trust (``web-…`` and ``api-…`` in Rasa), so an anonymous client
can never continue a conversation that a trusted one identified.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, field_validator

from .conversations import take_turn
from .rasa_client import RasaClient
from .transcripts import UowFactory

router = APIRouter(tags=["chat"])
_bearer = HTTPBearer(auto_error=False)

CHANNELS = ("web", "sms", "voice")
ConversationId = Annotated[
    str,
    Path(pattern=r"^[A-Za-z0-9_.:-]{1,100}$", description="Chosen by the client; keep it secret"),
]


class MessageIn(BaseModel):
    """A customer's message."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=2000, description="What the customer wrote")
    metadata: dict[str, Any] = Field(
        default_factory=dict,
        description='e.g. {"phone": "+33612345678"}; trusted only with the integration token',
    )

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text must not be blank")
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


def rasa_client(request: Request) -> RasaClient:
    """The app's shared Rasa client."""
    client: RasaClient = request.app.state.rasa
    return client


def uow_factory(request: Request) -> UowFactory:
    """The app's unit-of-work factory."""
    factory: UowFactory = request.app.state.uow_factory
    return factory


def is_trusted(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> bool:
    """True when the request carries the integration token."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        return False
    expected: str = request.app.state.api_token
    return secrets.compare_digest(credentials.credentials.encode(), expected.encode())


def rasa_metadata(metadata: dict[str, Any], *, trusted: bool) -> dict[str, Any]:
    """What of the client's metadata the bot may use."""
    channel = metadata.get("channel")
    result: dict[str, Any] = {"channel": channel if channel in CHANNELS else "web"}
    phone = metadata.get("phone") or metadata.get("caller_phone")
    if trusted and isinstance(phone, str) and phone.strip():
        result["caller_phone"] = phone.strip()
    return result


@router.post(
    "/api/conversations/{conversation_id}/messages",
    response_model=ChatReply,
    response_model_exclude_none=True,
    summary="Send a customer message to the bot",
)
async def post_message(
    conversation_id: ConversationId,
    message: MessageIn,
    trusted: Annotated[bool, Depends(is_trusted)],
    rasa: Annotated[RasaClient, Depends(rasa_client)],
    uows: Annotated[UowFactory, Depends(uow_factory)],
) -> ChatReply:
    """Ask the bot; the reply lists its messages, with buttons where it offers choices."""
    meta = rasa_metadata(message.metadata, trusted=trusted)
    sender = f"{'api' if trusted else 'web'}-{conversation_id}"
    turn = await take_turn(
        rasa=rasa,
        uow_factory=uows,
        conversation_id=sender,
        channel=meta["channel"],
        text=message.text,
        metadata=meta,
    )
    return ChatReply(
        conversation_id=conversation_id,
        messages=[
            MessageOut(
                text=m.text,
                buttons=[ButtonOut(title=b.title, payload=b.payload) for b in m.buttons] or None,
            )
            for m in turn.messages
        ],
        handed_off=turn.handed_off,
    )
