"""An agent works a call list: the next person to call, the script, and the outcome.

- ``GET /desk/calls``: the entry the agent holds (the customer's context,
  the campaign, its script's steps and the outcome form), or the button
  for the next one.
- ``POST /desk/calls/next``: take the most urgent entry due now of the lists
  assigned to this agent or to all agents.
- ``POST /desk/calls/{entry_id}/outcome``: how the call went; the entry is
  done or comes back after the campaign's delay.
- ``POST /desk/calls/{entry_id}/give-back``: put it back untouched.

The agent dials from their own phone; the desk records what came of it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from crm_backend.errors import CallListEntryNotFound, EntryNotHeld, InvalidRequest
from crm_backend.models import MAX_ROW_ID
from crm_backend.services import agent_calls, call_list_entries

from .. import deps
from ..deps import gateway_settings, uow_factory
from . import campaign_views as views
from .auth import DeskUser, staff_form_user, staff_page_user
from .crm_calls import crm
from .notices import notice
from .templating import render

router = APIRouter(prefix="/desk/calls", tags=["desk"], include_in_schema=False)
EntryId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
NOTICES = {
    "none": "Nobody is due for a call on your lists right now.",
    "recorded": "Recorded.",
    "given_back": "Put back on the list.",
    "not_yours": "That call is not yours (any more).",
    "invalid": "Choose how the call went.",
}


@router.get("", response_class=HTMLResponse)
async def calls_page(
    request: Request,
    user: Annotated[DeskUser, Depends(staff_page_user)],
    notice_code: Annotated[str | None, Query(alias="notice")] = None,
) -> Response:
    """The call the agent is on, or the button for the next one."""
    factory = uow_factory(request)
    now = deps.now(request)
    scripts_dir = gateway_settings(request).crm.scripts_dir
    timezone = gateway_settings(request).crm.handoff.hours.timezone

    def read() -> views.CallView | None:
        with factory() as uow:
            held = call_list_entries.held_by(uow, by=user.username)
            if not held:
                return None
            entry_id = held[0].id
        return views.call_page(
            factory, entry_id=entry_id, scripts_dir=scripts_dir, today=now.date(), timezone=timezone
        )

    view = await crm(read)
    return render(
        request,
        "calls.html",
        {
            "user": user,
            "view": view,
            "outcomes": agent_calls.AGENT_OUTCOMES,
            "notice": notice(notice_code, among=NOTICES),
        },
    )


@router.post("/next")
async def next_call(
    request: Request, user: Annotated[DeskUser, Depends(staff_form_user)]
) -> RedirectResponse:
    """Take the next entry due on the agent's lists."""
    factory = uow_factory(request)
    now = deps.now(request)

    def take() -> bool:
        with factory() as uow:
            entry = agent_calls.next_entry(uow, username=user.username, now=now)
            uow.commit()
            return entry is not None

    found = await crm(take)
    return RedirectResponse("/desk/calls" if found else "/desk/calls?notice=none", 303)


@router.post("/{entry_id}/outcome")
async def record_outcome(
    request: Request,
    entry_id: EntryId,
    user: Annotated[DeskUser, Depends(staff_form_user)],
    outcome: Annotated[str, Form(max_length=50)] = "",
    notes: Annotated[str, Form(max_length=2000)] = "",
) -> RedirectResponse:
    """Record how the call went and free the entry."""
    factory = uow_factory(request)
    now = deps.now(request)

    def record() -> None:
        with factory() as uow:
            agent_calls.record_call(
                uow,
                entry_id=entry_id,
                username=user.username,
                outcome=outcome,
                notes=notes,
                now=now,
            )
            uow.commit()

    try:
        await crm(record)
    except EntryNotHeld:
        return RedirectResponse("/desk/calls?notice=not_yours", status_code=303)
    except InvalidRequest:
        return RedirectResponse("/desk/calls?notice=invalid", status_code=303)
    except CallListEntryNotFound as exc:
        raise HTTPException(status_code=404, detail="No such call.") from exc
    return RedirectResponse("/desk/calls?notice=recorded", status_code=303)


@router.post("/{entry_id}/give-back")
async def give_back(
    request: Request, entry_id: EntryId, user: Annotated[DeskUser, Depends(staff_form_user)]
) -> RedirectResponse:
    """Put the entry back on its list, as if it had not been taken."""
    factory = uow_factory(request)

    def back() -> None:
        with factory() as uow:
            agent_calls.give_back(uow, entry_id=entry_id, username=user.username)
            uow.commit()

    try:
        await crm(back)
    except EntryNotHeld:
        return RedirectResponse("/desk/calls?notice=not_yours", status_code=303)
    except CallListEntryNotFound as exc:
        raise HTTPException(status_code=404, detail="No such call.") from exc
    return RedirectResponse("/desk/calls?notice=given_back", status_code=303)
