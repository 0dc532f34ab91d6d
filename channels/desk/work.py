"""What an agent does, as form posts: take, reply, note, hand back or close.

Each post carries the session's CSRF token (``form_user``) and ends in a
redirect to a page (post/redirect/get), with a notice code for what happened.
What the CRM or the desk refused is answered from one table,
:data:`REFUSALS`: a notice on a redirect, or an HTTP error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Request
from fastapi.responses import RedirectResponse

from crm_backend.errors import (
    CrmUnavailable,
    HandoffNotFound,
    HandoffNotWaiting,
    InvalidRequest,
    NotYourHandoff,
)
from crm_backend.models import MAX_ROW_ID

from .agent_desk import AgentDesk, BotUnreachable, PhoneCall
from .auth import DeskUser, staff_form_user
from .crm_calls import UNAVAILABLE

router = APIRouter(prefix="/desk/handoffs", tags=["desk"], include_in_schema=False)
Poster = Annotated[DeskUser, Depends(staff_form_user)]
HandoffId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
Text = Annotated[str, Form(max_length=4000)]


def agent_desk(request: Request) -> AgentDesk:
    """The app's desk actions."""
    desk: AgentDesk = request.app.state.agent_desk
    return desk


Desk = Annotated[AgentDesk, Depends(agent_desk)]


@dataclass(frozen=True)
class Refusal:
    """What a refused action answers: a notice on a redirect, or an HTTP error.

    The redirect goes back to the conversation, to the form the agent posted
    (``at_form``), or to the queue (``to_queue``). ``notice`` is a code of
    :mod:`channels.desk.notices`, or makes one from the error.
    """

    notice: str | Callable[[Exception], str] = ""
    at_form: bool = False
    to_queue: bool = False
    status: int | None = None
    detail: str = ""


def _not_waiting(exc: Exception) -> str:
    # The customer went back to the bot, or another agent was faster.
    return "left" if getattr(exc, "status", None) == "cancelled" else "taken"


# The named errors an agent's action may end in, and their answers; the first matching class wins.
REFUSALS: tuple[tuple[type[Exception], Refusal], ...] = (
    (HandoffNotWaiting, Refusal(notice=_not_waiting, to_queue=True)),
    (NotYourHandoff, Refusal(notice="not_yours")),
    (PhoneCall, Refusal(notice="phone")),
    (BotUnreachable, Refusal(notice="bot_down", at_form=True)),
    (InvalidRequest, Refusal(notice="invalid", at_form=True)),
    (HandoffNotFound, Refusal(status=404, detail="No such conversation.")),
    (CrmUnavailable, Refusal(status=503, detail=UNAVAILABLE)),
)
REFUSED = tuple(kind for kind, _refusal in REFUSALS)


def refused(exc: Exception, handoff_id: int, *, form: str) -> RedirectResponse:
    """The answer to ``exc`` from :data:`REFUSALS`; ``form`` is the anchor of the posted form.

    Raises:
        HTTPException: the error's answer is an HTTP error.
    """
    refusal = next(r for kind, r in REFUSALS if isinstance(exc, kind))
    if refusal.status is not None:
        raise HTTPException(status_code=refusal.status, detail=refusal.detail) from exc
    code = refusal.notice(exc) if callable(refusal.notice) else refusal.notice
    if refusal.to_queue:
        return RedirectResponse(f"/desk?notice={code}", status_code=303)
    return _back(handoff_id, code, form if refusal.at_form else "")


def _back(handoff_id: int, code: str, anchor: str = "") -> RedirectResponse:
    query = f"?notice={code}" if code else ""
    return RedirectResponse(f"/desk/handoffs/{handoff_id}{query}{anchor}", status_code=303)


@router.post("/{handoff_id}/take")
async def take(handoff_id: HandoffId, user: Poster, desk: Desk) -> RedirectResponse:
    """Take a waiting conversation; somebody faster leaves it to them.

    Back to the page without an anchor: a jump to the composer would scroll the
    transcript away. desk.js puts the agent where they were and the cursor in
    the composer.
    """
    try:
        warnings = await desk.take(handoff_id=handoff_id, agent_id=user.agent_id)
    except REFUSED as exc:
        return refused(exc, handoff_id, form="")
    return _back(handoff_id, "sms_failed" if warnings else "")


@router.post("/{handoff_id}/reply")
async def reply(
    handoff_id: HandoffId, user: Poster, desk: Desk, text: Text = ""
) -> RedirectResponse:
    """Send the agent's answer to the customer, on their channel (back as after ``take``)."""
    try:
        warnings = await desk.reply(handoff_id=handoff_id, agent_id=user.agent_id, text=text)
    except REFUSED as exc:
        return refused(exc, handoff_id, form="")
    return _back(handoff_id, "sms_failed" if warnings else "sent")


@router.post("/{handoff_id}/notes")
async def add_note(
    handoff_id: HandoffId, user: Poster, desk: Desk, text: Text = ""
) -> RedirectResponse:
    """Add an internal note."""
    try:
        await desk.note(handoff_id=handoff_id, agent_id=user.agent_id, text=text)
    except REFUSED as exc:
        return refused(exc, handoff_id, form="#notes")
    return _back(handoff_id, "noted", "#notes")


@router.post("/{handoff_id}/finish")
async def finish(
    handoff_id: HandoffId,
    user: Poster,
    desk: Desk,
    action: Annotated[Literal["hand_back", "close"], Form()],
    wrap_up_code: Annotated[str, Form(max_length=50)] = "",
    summary: Text = "",
) -> RedirectResponse:
    """Hand the conversation back to the bot, or close it, with the wrap-up."""
    try:
        warnings = await desk.finish(
            handoff_id=handoff_id,
            agent_id=user.agent_id,
            hand_back=action == "hand_back",
            wrap_up_code=wrap_up_code,
            summary=summary,
        )
    except REFUSED as exc:
        return refused(exc, handoff_id, form="#wrap-up")
    done = "handed_back" if action == "hand_back" else "closed"
    return RedirectResponse(f"/desk?notice={'sms_failed' if warnings else done}", status_code=303)
