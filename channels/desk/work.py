"""What an agent does, as form posts: take, reply, note, hand back or close.

Each post carries the session's CSRF token (``form_user``) and ends in a
redirect to a page (post/redirect/get), with a notice code for what happened.
"""

from __future__ import annotations

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

from .agent_desk import DeskError
from .auth import DeskUser, form_user
from .common import agent_desk

router = APIRouter(prefix="/desk/handoffs", tags=["desk"], include_in_schema=False)
Poster = Annotated[DeskUser, Depends(form_user)]
HandoffId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
Text = Annotated[str, Form(max_length=4000)]


def _back(handoff_id: int, code: str, anchor: str = "") -> RedirectResponse:
    query = f"?notice={code}" if code else ""
    return RedirectResponse(f"/desk/handoffs/{handoff_id}{query}{anchor}", status_code=303)


@router.post("/{handoff_id}/take")
async def take(request: Request, handoff_id: HandoffId, user: Poster) -> RedirectResponse:
    """Take a waiting conversation; somebody faster leaves it to them."""
    try:
        warnings = await agent_desk(request).take(handoff_id=handoff_id, agent_id=user.agent_id)
    except HandoffNotWaiting as exc:
        code = "left" if exc.status == "cancelled" else "taken"
        return RedirectResponse(f"/desk?notice={code}", status_code=303)
    except HandoffNotFound as exc:
        raise HTTPException(status_code=404, detail="No such conversation.") from exc
    except CrmUnavailable as exc:
        raise HTTPException(status_code=503, detail="The CRM is unavailable.") from exc
    return _back(handoff_id, "sms_failed" if warnings else "", "#composer")


@router.post("/{handoff_id}/reply")
async def reply(
    request: Request, handoff_id: HandoffId, user: Poster, text: Text = ""
) -> RedirectResponse:
    """Send the agent's answer to the customer, on their channel."""
    try:
        warnings = await agent_desk(request).reply(
            handoff_id=handoff_id, agent_id=user.agent_id, text=text
        )
    except DeskError:
        return _back(handoff_id, "phone")
    except NotYourHandoff:
        return _back(handoff_id, "not_yours")
    except InvalidRequest:
        return _back(handoff_id, "invalid", "#composer")
    except HandoffNotFound as exc:
        raise HTTPException(status_code=404, detail="No such conversation.") from exc
    except CrmUnavailable as exc:
        raise HTTPException(status_code=503, detail="The CRM is unavailable.") from exc
    return _back(handoff_id, "sms_failed" if warnings else "sent", "#composer")


@router.post("/{handoff_id}/notes")
async def add_note(
    request: Request, handoff_id: HandoffId, user: Poster, text: Text = ""
) -> RedirectResponse:
    """Add an internal note."""
    try:
        await agent_desk(request).note(handoff_id=handoff_id, agent_id=user.agent_id, text=text)
    except NotYourHandoff:
        return _back(handoff_id, "not_yours")
    except InvalidRequest:
        return _back(handoff_id, "invalid", "#notes")
    except HandoffNotFound as exc:
        raise HTTPException(status_code=404, detail="No such conversation.") from exc
    except CrmUnavailable as exc:
        raise HTTPException(status_code=503, detail="The CRM is unavailable.") from exc
    return _back(handoff_id, "noted", "#notes")


@router.post("/{handoff_id}/finish")
async def finish(
    request: Request,
    handoff_id: HandoffId,
    user: Poster,
    action: Annotated[Literal["hand_back", "close"], Form()],
    wrap_up_code: Annotated[str, Form(max_length=50)] = "",
    summary: Text = "",
) -> RedirectResponse:
    """Hand the conversation back to the bot, or close it, with the wrap-up."""
    try:
        warnings = await agent_desk(request).finish(
            handoff_id=handoff_id,
            agent_id=user.agent_id,
            hand_back=action == "hand_back",
            wrap_up_code=wrap_up_code,
            summary=summary,
        )
    except DeskError:
        return _back(handoff_id, "bot_down", "#wrap-up")
    except NotYourHandoff:
        return _back(handoff_id, "not_yours")
    except InvalidRequest:
        return _back(handoff_id, "invalid", "#wrap-up")
    except HandoffNotFound as exc:
        raise HTTPException(status_code=404, detail="No such conversation.") from exc
    except CrmUnavailable as exc:
        raise HTTPException(status_code=503, detail="The CRM is unavailable.") from exc
    done = "handed_back" if action == "hand_back" else "closed"
    return RedirectResponse(f"/desk?notice={'sms_failed' if warnings else done}", status_code=303)
