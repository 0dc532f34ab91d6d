"""Review: the conversations the bot did not understand, marked and turned into training data.

- ``GET /desk/review``: the conversations with a clarifying question, a
  fallback, a handoff or a low-confidence message (of a day, else of the last
  week), filtered by day, channel, intent and outcome;
- ``GET /desk/review/conversation?id=…``: each customer message with the
  predicted intent, its confidence and the alternatives, and the form to mark
  the right intent (or ``out_of_scope``);
- ``POST /desk/review/mark``: record that mark;
- ``GET /desk/review/export.yml``: the marked messages as Rasa NLU training
  data, redacted (what ``make review-export`` writes to ``data/en/nlu/review.yml``);
- ``POST /desk/review/story``: save the conversation as a Rasa test story
  (:mod:`.review_story`).

Managers and trainers only (an agent gets 403); posts carry the session's
CSRF token; what a form sends is checked (an unknown intent, a message that
is not in the conversation: 422 with the reason) before anything is stored.
The conversations are read from Rasa's tracker store
(:mod:`crm_backend.tracker_store`, ``ICBOT_TRACKER_STORE_URL``).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from crm_backend.errors import InvalidRequest, MessageNotFound
from crm_backend.services import review, review_export
from crm_backend.tracker_store import TrackerStore

from ..conversations.rasa_client import RasaUnavailable
from ..deps import gateway_settings, now, rasa_client, uow_factory
from .auth import DeskUser, reviewer_form_user, reviewer_page_user
from .crm_calls import crm
from .review_story import NoStory, rasa_story, save_story
from .templating import render
from .views import CHANNELS

router = APIRouter(prefix="/desk/review", tags=["desk"], include_in_schema=False)
Reviewer = Annotated[DeskUser, Depends(reviewer_page_user)]
ReviewerPost = Annotated[DeskUser, Depends(reviewer_form_user)]
# Rasa's sender ids: web-…, api-…, sms-+33…, and what integrations name (channels/chat).
ConversationId = Annotated[str, Query(alias="id", pattern=r"^[A-Za-z0-9_.:+@-]{1,200}$")]
ConversationField = Annotated[str, Form(pattern=r"^[A-Za-z0-9_.:+@-]{1,200}$")]
NOTICES = {
    "marked": "Mark saved.",
    "bot_down": "The bot cannot be reached right now: nothing was saved, please try again.",
    "no_story": "Rasa has no story of this conversation (its events may have been purged).",
}


def tracker_store(request: Request) -> TrackerStore:
    """The app's reader of Rasa's tracker store, made on first use."""
    state = request.app.state
    store: TrackerStore | None = getattr(state, "review_tracker_store", None)
    if store is None:
        store = TrackerStore(gateway_settings(request).crm.tracker_store_url)
        state.review_tracker_store = store
    return store


def _intents(request: Request) -> list[str]:
    return review.known_intents(gateway_settings(request).crm.domain_dir)


def _filters(
    request: Request, *, day: str, channel: str, intent: str, outcome: str
) -> review.Filters:
    """The filters of the list page, checked.

    Raises:
        InvalidRequest: a day that is no date, or a channel, intent or outcome unknown.
    """
    try:
        when = dt.date.fromisoformat(day) if day else None
    except ValueError:
        raise InvalidRequest("the day is a date: YYYY-MM-DD") from None
    if channel and channel not in CHANNELS:
        raise InvalidRequest(f"the channel is one of {', '.join(CHANNELS)}")
    if outcome and outcome not in review.OUTCOMES:
        raise InvalidRequest(f"the outcome is one of {', '.join(review.OUTCOMES)}")
    if intent and intent not in _intents(request):
        raise InvalidRequest("that is no intent of the bot")
    return review.Filters(
        day=when, channel=channel or None, intent=intent or None, outcome=outcome or None
    )


@router.get("", response_class=HTMLResponse)
async def review_page(
    request: Request,
    user: Reviewer,
    day: Annotated[str, Query(max_length=10)] = "",
    channel: Annotated[str, Query(max_length=20)] = "",
    intent: Annotated[str, Query(max_length=100)] = "",
    outcome: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """The conversations up for review, newest first, with the filters."""
    chosen = {"day": day, "channel": channel, "intent": intent, "outcome": outcome}
    error = None
    rows: list[review.Conversation] = []
    try:
        filters = _filters(request, day=day, channel=channel, intent=intent, outcome=outcome)
    except InvalidRequest as exc:
        error = exc.message
    else:
        factory, store, moment = uow_factory(request), tracker_store(request), now(request)

        def read() -> list[review.Conversation]:
            with factory() as uow:
                return review.review_list(uow, store, filters=filters, now=moment)

        rows = await crm(read)
    return render(
        request,
        "review.html",
        {
            "user": user,
            "rows": rows,
            "chosen": chosen,
            "error": error,
            "channels": CHANNELS,
            "outcomes": review.OUTCOMES,
            "intents": _intents(request),
            "notice": None,
            "link": lambda c: "/desk/review/conversation?" + urlencode({"id": c}),
        },
        status_code=422 if error else 200,
    )


async def _conversation_page(
    request: Request,
    user: DeskUser,
    conversation_id: str,
    *,
    notice_code: str | None = None,
    error: str | None = None,
    story_file: str | None = None,
) -> Response:
    factory, store = uow_factory(request), tracker_store(request)

    def read() -> review.Conversation:
        with factory() as uow:
            return review.review_conversation(uow, store, conversation_id=conversation_id)

    try:
        conversation = await crm(read)
    except MessageNotFound as exc:
        raise HTTPException(status_code=404, detail="No such conversation.") from exc
    return render(
        request,
        "review_conversation.html",
        {
            "user": user,
            "conversation": conversation,
            "intents": _intents(request),
            "outcomes": review.OUTCOMES,
            "channels": CHANNELS,
            "error": error,
            "story_file": story_file,
            "notice": NOTICES.get(notice_code or ""),
        },
        status_code=422 if error else 200,
    )


@router.get("/conversation", response_class=HTMLResponse)
async def conversation_page(
    request: Request,
    user: Reviewer,
    conversation_id: ConversationId,
    notice_code: Annotated[str | None, Query(alias="notice")] = None,
    story: Annotated[str | None, Query(max_length=40, pattern=r"^review_[0-9a-f]+\.yml$")] = None,
) -> Response:
    """One conversation's customer messages, their intents and the marking forms."""
    return await _conversation_page(
        request, user, conversation_id, notice_code=notice_code, story_file=story
    )


def _back(conversation_id: str, **query: str) -> RedirectResponse:
    where = "/desk/review/conversation?" + urlencode({"id": conversation_id, **query})
    return RedirectResponse(where, status_code=303)


@router.post("/mark")
async def mark(
    request: Request,
    user: ReviewerPost,
    conversation_id: ConversationField,
    timestamp: Annotated[str, Form(max_length=40)],
    intent: Annotated[str, Form(max_length=100)],
) -> Response:
    """Record the right intent of one message; the conversation page again."""
    try:
        at = float(timestamp)
        if not math.isfinite(at):
            raise ValueError(timestamp)
    except ValueError:
        return await _conversation_page(
            request, user, conversation_id, error="That message is not in this conversation."
        )
    factory, store, intents = uow_factory(request), tracker_store(request), _intents(request)

    def save() -> None:
        with factory() as uow:
            review.mark_message(
                uow,
                store,
                conversation_id=conversation_id,
                timestamp=at,
                intent=intent,
                agent_id=user.agent_id,
                intents=intents,
            )
            uow.commit()

    try:
        await crm(save)
    except InvalidRequest as exc:
        return await _conversation_page(request, user, conversation_id, error=exc.message)
    except MessageNotFound:
        return await _conversation_page(
            request, user, conversation_id, error="That message is not in this conversation."
        )
    return _back(conversation_id, notice="marked")


@router.get("/export.yml")
async def export(request: Request, user: Reviewer) -> Response:
    """The marked messages as Rasa NLU training data (YAML), redacted, as a download."""
    factory, moment = uow_factory(request), now(request)

    def write() -> str:
        with factory() as uow:
            return review_export.nlu_yaml(uow, now=moment)

    text = await crm(write)
    return Response(
        text,
        media_type="application/yaml; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="review.yml"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.post("/story")
async def story(
    request: Request, user: ReviewerPost, conversation_id: ConversationField
) -> Response:
    """Save the conversation as a Rasa test story in the stories folder; the page again."""
    factory, store = uow_factory(request), tracker_store(request)

    def names() -> tuple[str, ...]:
        with factory() as uow:
            return review.review_conversation(uow, store, conversation_id=conversation_id).names

    try:
        known = await crm(names)
    except MessageNotFound as exc:
        raise HTTPException(status_code=404, detail="No such conversation.") from exc
    try:
        told = await rasa_story(rasa_client(request), conversation_id)
    except RasaUnavailable:
        return _back(conversation_id, notice="bot_down")
    except NoStory:
        return _back(conversation_id, notice="no_story")
    directory = gateway_settings(request).crm.review_stories_dir
    try:
        path = await crm(
            lambda: save_story(
                told, conversation_id=conversation_id, names=known, directory=directory
            )
        )
    except OSError as exc:
        reason = f"The story could not be written: {exc.strerror or 'an error of the disk'}."
        return await _conversation_page(request, user, conversation_id, error=reason)
    return _back(conversation_id, story=path.name)
