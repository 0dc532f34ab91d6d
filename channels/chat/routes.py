"""The chat door: ``POST /api/conversations``, its messages and its event feed.

``POST /api/conversations`` issues a conversation id
(:mod:`channels.chat.conversation_ids`); an anonymous client (the web chat page,
anyone on the internet) talks only on ids the server issued: any other is
404, so nobody continues a conversation by guessing its id. With the
integration token, a client may name its own ids (integrations, load
generators).

Anonymous metadata is untrusted: those conversations are web
conversations, and a channel or caller number in the metadata counts only
when the request carries the integration token. Conversation ids are
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
from contextlib import AbstractContextManager, nullcontext
from functools import partial
from typing import Annotated, Any

from anyio import to_thread
from fastapi import APIRouter, Body, Depends, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from crm_backend.models import MAX_ROW_ID
from languages import languages

from ..conversations.handoff import HandoffState, PushedEvent, conversation_events
from ..conversations.language import PAGE_LANGUAGE, known_language
from ..conversations.live import LiveUpdates
from ..conversations.rasa_client import RasaClient
from ..conversations.turn import take_turn
from ..deps import UowFactory, live_updates, rasa_client, uow_factory
from ..guards import NoEchoRoute
from ..limits import RateLimits, app_limits, client_of
from . import limits as chat_limits
from .conversation_ids import ConversationIds
from .schemas import (
    ButtonOut,
    ChatReply,
    ChatUnavailable,
    ConversationEvents,
    ConversationStarted,
    MessageIn,
    MessageOut,
    NewConversation,
    PushedMessage,
)

router = APIRouter(tags=["chat"], route_class=NoEchoRoute)
_bearer = HTTPBearer(auto_error=False)

CHANNELS = ("web", "sms", "voice")
ConversationId = Annotated[
    str,
    Path(
        pattern=r"^[A-Za-z0-9_.:-]{1,100}$",
        description="Issued by POST /api/conversations (a trusted client may name its own)",
    ),
]
# While the bot is down (a process restarting: Rasa takes about 45 s to load its model).
BOT_UNAVAILABLE = (
    "The assistant is unavailable for a moment because of a technical problem; "
    "your message is saved. Try again in a few seconds."
)
RETRY_AFTER = 5
UNKNOWN_CONVERSATION = (
    "Unknown conversation: start one with POST /api/conversations "
    "and send its messages under the conversation_id it returns."
)


def is_trusted(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> bool:
    """True when the request carries the integration token."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        return False
    expected: str = request.app.state.api_token
    return secrets.compare_digest(credentials.credentials.encode(), expected.encode())


def conversation_ids(request: Request) -> ConversationIds:
    """The app's conversation ids."""
    ids: ConversationIds = request.app.state.conversation_ids
    return ids


def sender_of(conversation_id: str, *, trusted: bool, ids: ConversationIds) -> str:
    """The conversation's id in Rasa and the CRM, namespaced by trust.

    Raises:
        HTTPException: 404, an anonymous client on an id the server never issued.
    """
    if trusted:
        return f"api-{conversation_id}"
    if not ids.issued(conversation_id):
        raise HTTPException(status_code=404, detail=UNKNOWN_CONVERSATION)
    return f"web-{conversation_id}"


def rasa_metadata(metadata: dict[str, Any], *, trusted: bool) -> dict[str, Any]:
    """What of the client's metadata the bot may use.

    The door decides the channel: an anonymous client is a web conversation
    whatever it says, so it can never make the desk text or call a number of
    its choosing. Only the integration token may name a channel and a caller.
    Anyone may say the page's language (``language``, the browser's or the one
    chosen on the page): kept as a hint only when it is a language icbot speaks
    (:func:`channels.conversations.language.known_language`); the gateway sets
    the ``language`` Rasa gets.
    """
    language = known_language(metadata.get(PAGE_LANGUAGE), languages())
    hint: dict[str, Any] = {PAGE_LANGUAGE: language} if language else {}
    if not trusted:
        return {"channel": "web", **hint}
    channel = metadata.get("channel")
    result: dict[str, Any] = {"channel": channel if channel in CHANNELS else "web", **hint}
    phone = metadata.get("phone") or metadata.get("caller_phone")
    if isinstance(phone, str) and phone.strip():
        result["caller_phone"] = phone.strip()
    return result


@router.post(
    "/api/conversations",
    status_code=201,
    response_model=ConversationStarted,
    summary="Start a conversation: the id to send its messages under",
)
async def start_conversation(
    trusted: Annotated[bool, Depends(is_trusted)],
    ids: Annotated[ConversationIds, Depends(conversation_ids)],
    limits: Annotated[RateLimits, Depends(app_limits)],
    client: Annotated[str, Depends(client_of)],
    _body: Annotated[NewConversation | None, Body()] = None,
) -> ConversationStarted:
    """Issue a new conversation id; keep it secret, it is the conversation's key.

    Each client may start ``ICBOT_LIMIT_CONVERSATIONS`` of them; then 429.
    """
    if not trusted:
        chat_limits.require_new_conversation(limits, client=client)
    return ConversationStarted(conversation_id=ids.issue())


@router.post(
    "/api/conversations/{conversation_id}/messages",
    response_model=ChatReply,
    response_model_exclude_none=True,
    summary="Send a customer message to the bot",
    responses={
        503: {
            "model": ChatUnavailable,
            "description": "The bot is down: its apology, the reason, and Retry-After",
        }
    },
)
async def post_message(
    conversation_id: ConversationId,
    message: MessageIn,
    trusted: Annotated[bool, Depends(is_trusted)],
    ids: Annotated[ConversationIds, Depends(conversation_ids)],
    limits: Annotated[RateLimits, Depends(app_limits)],
    client: Annotated[str, Depends(client_of)],
    rasa: Annotated[RasaClient, Depends(rasa_client)],
    uows: Annotated[UowFactory, Depends(uow_factory)],
    live: Annotated[LiveUpdates, Depends(live_updates)],
) -> ChatReply | JSONResponse:
    """Ask the bot; the reply lists its messages, with buttons where it offers choices.

    While a person has the conversation (``handed_off``), the message goes to
    them and the bot says nothing; their answers come by the event feed.
    An anonymous client over its message limits gets 429 and nothing is
    stored; past its handoffs, the bot offers a call back instead of a person.
    While the bot is down the answer is 503 with its apology, a ``detail`` and
    ``Retry-After``; the message is kept in the transcript.
    """
    sender = sender_of(conversation_id, trusted=trusted, ids=ids)
    meta = rasa_metadata(message.metadata, trusted=trusted)
    if not trusted:
        chat_limits.require_message(limits, client=client, conversation_id=sender)
        if not chat_limits.handoff_allowed(limits, client=client):
            meta[chat_limits.HANDOFF_ALLOWED] = False
    turn = await take_turn(
        rasa=rasa,
        uow_factory=uows,
        conversation_id=sender,
        channel=meta["channel"],
        text=message.text,
        metadata=meta,
        live=live,
    )
    if turn.queued and not trusted:
        chat_limits.count_handoff(limits, client=client)
    messages = [
        MessageOut(
            text=m.text,
            buttons=[ButtonOut(title=b.title, payload=b.payload) for b in m.buttons] or None,
        )
        for m in turn.messages
    ]
    if turn.degraded:
        unavailable = ChatUnavailable(
            conversation_id=conversation_id, messages=messages, detail=BOT_UNAVAILABLE
        )
        return JSONResponse(
            unavailable.model_dump(exclude_none=True),
            status_code=503,
            headers={"Retry-After": str(RETRY_AFTER)},
        )
    return ChatReply(conversation_id=conversation_id, messages=messages, handed_off=turn.handed_off)


# How often a long poll looks at the CRM for what another gateway process wrote.
POLL_EVERY = 1.0
# The largest id a database's 64-bit integer holds; a larger cursor is no cursor.
MAX_CURSOR = MAX_ROW_ID


def open_polls(request: Request) -> chat_limits.OpenPolls:
    """The long polls open in this gateway process."""
    polls: chat_limits.OpenPolls = request.app.state.open_polls
    return polls


async def _poll(
    uows: UowFactory, live: LiveUpdates, sender: str, *, after: int | None, wait: float
) -> tuple[list[PushedEvent], int, HandoffState | None]:
    """The feed from ``after``, waiting up to ``wait`` seconds for something new."""
    deadline = time.monotonic() + wait
    read_from = after
    while True:
        events, cursor, state = await to_thread.run_sync(
            partial(conversation_events, uows, sender, after=read_from)
        )
        remaining = deadline - time.monotonic()
        if events or after is None or remaining <= 0:
            return events, cursor, state
        read_from = cursor  # what was read held nothing pushed: never read it again
        await live.wait(min(POLL_EVERY, remaining))


@router.get(
    "/api/conversations/{conversation_id}/events",
    response_model=ConversationEvents,
    response_model_exclude_none=True,
    summary="Messages an agent (or the bot, after the agent) sent, and the handoff's state",
)
async def get_events(
    conversation_id: ConversationId,
    trusted: Annotated[bool, Depends(is_trusted)],
    ids: Annotated[ConversationIds, Depends(conversation_ids)],
    polls: Annotated[chat_limits.OpenPolls, Depends(open_polls)],
    limits: Annotated[RateLimits, Depends(app_limits)],
    client: Annotated[str, Depends(client_of)],
    uows: Annotated[UowFactory, Depends(uow_factory)],
    live: Annotated[LiveUpdates, Depends(live_updates)],
    after: Annotated[
        int | None,
        Query(
            ge=0,
            le=MAX_CURSOR,
            description="The cursor of the last answer; none: from now on",
        ),
    ] = None,
    wait: Annotated[
        float, Query(ge=0, le=25, description="Seconds to wait for something new (long poll)")
    ] = 0,
) -> ConversationEvents:
    """What reached the customer outside the bot's answers since ``after``.

    An anonymous client holds at most ``ICBOT_LIMIT_OPEN_POLLS`` long polls
    at once; one more is 429.
    """
    sender = sender_of(conversation_id, trusted=trusted, ids=ids)
    held: AbstractContextManager[None] = (
        polls.held(client, cap=limits.settings.open_polls)
        if wait > 0 and not trusted
        else nullcontext()
    )
    with held:
        events, cursor, state = await _poll(uows, live, sender, after=after, wait=wait)
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
                buttons=[ButtonOut(title=b.title, payload=b.payload) for b in e.buttons] or None,
            )
            for e in events
        ],
    )
