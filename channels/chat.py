"""The chat door: ``POST /api/conversations/{conversation_id}/messages`` and its event feed.

Public clients (the web chat page, anyone on the internet) may send any
metadata, so it is untrusted: their conversations are web conversations, and
a channel or caller number in the metadata counts only when the request
carries the integration token. Conversation ids are
namespaced by trust (``web-…`` and ``api-…`` in Rasa), so an anonymous client
can never continue a conversation that a trusted one identified.

``GET /api/conversations/{conversation_id}/events?after=<cursor>`` brings what
reaches the customer outside the answers to their messages: an agent's
replies while the conversation is handed off, and the bot's words when the
agent hands it back. ``wait`` makes it a long poll.
"""

from __future__ import annotations

import secrets
import time
from typing import Annotated, Any

from anyio import to_thread
from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, field_validator

from .conversations import take_turn
from .handoff import conversation_events
from .live import LiveUpdates
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


def rasa_client(request: Request) -> RasaClient:
    """The app's shared Rasa client."""
    client: RasaClient = request.app.state.rasa
    return client


def uow_factory(request: Request) -> UowFactory:
    """The app's unit-of-work factory."""
    factory: UowFactory = request.app.state.uow_factory
    return factory


def live_updates(request: Request) -> LiveUpdates:
    """The app's wake-up for live views."""
    live: LiveUpdates = request.app.state.live
    return live


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
    """What of the client's metadata the bot may use.

    The door decides the channel: an anonymous client is a web conversation
    whatever it says, so it can never make the desk text or call a number of
    its choosing. Only the integration token may name a channel and a caller.
    """
    if not trusted:
        return {"channel": "web"}
    channel = metadata.get("channel")
    result: dict[str, Any] = {"channel": channel if channel in CHANNELS else "web"}
    phone = metadata.get("phone") or metadata.get("caller_phone")
    if isinstance(phone, str) and phone.strip():
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
    live: Annotated[LiveUpdates, Depends(live_updates)],
) -> ChatReply:
    """Ask the bot; the reply lists its messages, with buttons where it offers choices.

    While a person has the conversation (``handed_off``), the message goes to
    them and the bot says nothing; their answers come by the event feed.
    """
    meta = rasa_metadata(message.metadata, trusted=trusted)
    sender = f"{'api' if trusted else 'web'}-{conversation_id}"
    turn = await take_turn(
        rasa=rasa,
        uow_factory=uows,
        conversation_id=sender,
        channel=meta["channel"],
        text=message.text,
        metadata=meta,
        live=live,
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


# How often a long poll looks at the CRM for what another gateway process wrote.
POLL_EVERY = 1.0


@router.get(
    "/api/conversations/{conversation_id}/events",
    response_model=ConversationEvents,
    response_model_exclude_none=True,
    summary="Messages an agent (or the bot, after the agent) sent, and the handoff's state",
)
async def get_events(
    conversation_id: ConversationId,
    trusted: Annotated[bool, Depends(is_trusted)],
    uows: Annotated[UowFactory, Depends(uow_factory)],
    live: Annotated[LiveUpdates, Depends(live_updates)],
    after: Annotated[
        int | None, Query(ge=0, description="The cursor of the last answer; none: from now on")
    ] = None,
    wait: Annotated[
        float, Query(ge=0, le=25, description="Seconds to wait for something new (long poll)")
    ] = 0,
) -> ConversationEvents:
    """What reached the customer outside the bot's answers since ``after``."""
    sender = f"{'api' if trusted else 'web'}-{conversation_id}"
    deadline = time.monotonic() + wait
    while True:
        events, cursor, state = await to_thread.run_sync(
            lambda: conversation_events(uows, sender, after=after)
        )
        remaining = deadline - time.monotonic()
        if events or after is None or remaining <= 0:
            break
        await live.wait(min(POLL_EVERY, remaining))
    return ConversationEvents(
        conversation_id=conversation_id,
        cursor=max(cursor, after or 0),
        handed_off=state is not None,
        handoff_status=state.status if state else None,
        agent=state.agent if state else None,
        events=[
            PushedMessage(
                id=e.id,
                role=e.role,
                text=e.text,
                at=e.at,
                author=e.author,
                buttons=[ButtonOut(title=b["title"], payload=b["payload"]) for b in e.buttons]
                or None,
            )
            for e in events
        ],
    )
