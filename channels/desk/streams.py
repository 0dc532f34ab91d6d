"""The desk's data, live: the queue and a conversation as JSON and as server-sent events.

A stream reads the CRM again whenever this process notes a change
(:class:`~channels.conversations.live.LiveUpdates`) and at least every second, for changes
other gateway processes made, and sends only what changed. It ends after
five minutes; the browser's ``EventSource`` reconnects by itself (the
``retry`` field), so no connection lives for ever and a gateway can restart.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import StreamingResponse

from crm_backend.errors import HandoffNotFound
from crm_backend.models import MAX_ROW_ID

from ..deps import live_updates, uow_factory
from . import views
from .auth import DeskUser, staff_api_user
from .crm_calls import crm
from .languages import with_languages

router = APIRouter(prefix="/desk", tags=["desk"], include_in_schema=False)
ApiUser = Annotated[DeskUser, Depends(staff_api_user)]
HandoffId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]

POLL_EVERY = 1.0
HEARTBEAT_EVERY = 15.0
STREAM_FOR = 300.0
RETRY_MS = 1000


@router.get("/api/queue")
async def queue(request: Request, user: ApiUser) -> list[dict[str, Any]]:
    """Waiting conversations, most urgent first, then those agents have."""
    factory = uow_factory(request)
    rows = await crm(lambda: views.queue(factory, agent_id=user.agent_id))
    return views.queue_json(await with_languages(request, rows))


@router.get("/api/handoffs/{handoff_id}/transcript")
async def transcript(
    request: Request,
    handoff_id: HandoffId,
    user: ApiUser,
    after: Annotated[int, Query(ge=0, le=MAX_ROW_ID)] = 0,
) -> dict[str, Any]:
    """The conversation's messages after ``after`` and the handoff's status."""
    return await _transcript_snapshot(request, handoff_id, after)


@router.get("/stream")
async def queue_stream(request: Request, user: ApiUser) -> StreamingResponse:
    """The queue as ``queue`` events, each time it changes."""
    factory = uow_factory(request)

    async def snapshot() -> tuple[str, Any] | None:
        rows = await with_languages(
            request, await crm(lambda: views.queue(factory, agent_id=user.agent_id))
        )
        # The wait grows every second: the page counts it; a change is a change of rows.
        key = [(r.id, r.status, r.agent, r.language) for r in rows]
        return ("queue", {"rows": views.queue_json(rows), "key": key})

    return _stream(request, snapshot)


@router.get("/handoffs/{handoff_id}/stream")
async def transcript_stream(
    request: Request,
    handoff_id: HandoffId,
    user: ApiUser,
    after: Annotated[int, Query(ge=0, le=MAX_ROW_ID)] = 0,
) -> StreamingResponse:
    """New messages of the conversation as ``transcript`` events, with the handoff's status."""
    cursor = {"after": after}
    await _transcript_snapshot(request, handoff_id, after)  # 404 before the stream starts

    async def snapshot() -> tuple[str, Any] | None:
        data = await _transcript_snapshot(request, handoff_id, cursor["after"])
        if data["lines"]:
            cursor["after"] = data["lines"][-1]["id"]
        return ("transcript", data)

    return _stream(request, snapshot)


async def _transcript_snapshot(request: Request, handoff_id: int, after: int) -> dict[str, Any]:
    factory = uow_factory(request)

    def read() -> dict[str, Any]:
        status = views.handoff_status(factory, handoff_id=handoff_id)
        with factory() as uow:
            handoff = uow.handoffs.get(handoff_id)
            conversation_id = handoff.conversation_id if handoff else ""
        lines = views.transcript(factory, conversation_id=conversation_id, after=after)
        return {"status": status, "lines": [asdict(line) for line in lines]}

    try:
        return await crm(read)
    except HandoffNotFound as exc:
        raise HTTPException(status_code=404, detail="No such conversation.") from exc


def _stream(
    request: Request, snapshot: Callable[[], Awaitable[tuple[str, Any] | None]]
) -> StreamingResponse:
    updates = live_updates(request)

    async def events() -> AsyncIterator[str]:
        yield f"retry: {RETRY_MS}\n\n"
        started = last_sent = time.monotonic()
        previous: str | None = None
        while time.monotonic() - started < STREAM_FOR:
            if await request.is_disconnected():
                return
            found = await snapshot()
            if found is not None:
                name, data = found
                comparable = json.dumps(data.get("key", data), sort_keys=True, default=str)
                has_news = name == "transcript" and bool(data.get("lines"))
                if comparable != previous or has_news:
                    previous = comparable
                    payload = {k: v for k, v in data.items() if k != "key"}
                    yield f"event: {name}\ndata: {json.dumps(payload, default=str)}\n\n"
                    last_sent = time.monotonic()
            if time.monotonic() - last_sent > HEARTBEAT_EVERY:
                yield ": still here\n\n"
                last_sent = time.monotonic()
            await updates.wait(POLL_EVERY)

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
