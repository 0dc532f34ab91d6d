"""The IC manager's call lists: built from a target, then assigned, started, paused.

- ``GET /desk/call-lists/new?campaign=…&…``: the target form; with
  ``preview=1`` it also shows how many the target reaches and who it leaves
  out and why. ``POST /desk/call-lists`` builds the list.
- ``GET /desk/call-lists/{id}``: the list's entries; ``POST …/assign``,
  ``…/start``, ``…/pause``.

Managers only (an agent gets 403); every post carries the session's CSRF
token and ends in a redirect (post/redirect/get), or the form again with
what was wrong.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from crm_backend.errors import (
    CallListNotFound,
    CampaignNotFound,
    InvalidRequest,
    InvalidStatusChange,
    ProductNotFound,
)
from crm_backend.models import MAX_ROW_ID, ContactChannel, LeadLevel, LeadStatus
from crm_backend.services import call_lists
from crm_backend.services.call_lists import TargetFilter
from crm_backend.uow import UnitOfWork

from .. import deps
from ..deps import uow_factory
from . import call_list_views as views
from .auth import DeskUser, manager_form_user, manager_page_user
from .crm_calls import crm
from .notices import notice
from .templating import render

router = APIRouter(prefix="/desk", tags=["desk"], include_in_schema=False)
Manager = Annotated[DeskUser, Depends(manager_page_user)]
ManagerPost = Annotated[DeskUser, Depends(manager_form_user)]
ListId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
# Notices a redirect may name: fixed words, nothing from the query shown as is.
NOTICES = {
    "built": "Call list built (draft). Check it, assign it, then start it.",
    "assigned": "Assigned.",
    "started": "Started: the list is being worked.",
    "paused": "Paused: no new calls from this list.",
}
TARGET_FIELDS = (
    "owns_sku",
    "owns_product",
    "owns_category",
    "bought_from",
    "bought_to",
    "postcode_prefix",
    "city",
    "lead_level",
    "lead_status",
    "preferred_channel",
)


def target_of(values: Mapping[str, str]) -> TargetFilter:
    """The target the form describes (empty fields: no criterion).

    Raises:
        InvalidRequest: a date, lead level, lead status or channel that does not read.
    """
    given = {key: values.get(key, "").strip() for key in TARGET_FIELDS}
    channel = given["preferred_channel"]
    if channel and channel not in {c.value for c in ContactChannel}:
        raise InvalidRequest(f"a preferred channel is one of phone, sms, email, not {channel!r}")
    try:
        return TargetFilter(
            owns_sku=given["owns_sku"] or None,
            owns_product=given["owns_product"] or None,
            owns_category=given["owns_category"] or None,
            bought_from=dt.date.fromisoformat(given["bought_from"])
            if given["bought_from"]
            else None,
            bought_to=dt.date.fromisoformat(given["bought_to"]) if given["bought_to"] else None,
            postcode_prefix=given["postcode_prefix"] or None,
            city=given["city"] or None,
            lead_level=LeadLevel(given["lead_level"]) if given["lead_level"] else None,
            lead_status=LeadStatus(given["lead_status"]) if given["lead_status"] else None,
            preferred_channel=given["preferred_channel"] or None,
        )
    except ValueError:
        raise InvalidRequest("a date, lead level or lead status does not read") from None


@router.get("/call-lists/new", response_class=HTMLResponse)
async def new_call_list(request: Request, user: Manager) -> Response:
    """The target form for a campaign's call list, with the preview when asked."""
    return await _new_list_page(request, user, dict(request.query_params))


async def _new_list_page(
    request: Request, user: DeskUser, values: dict[str, str], error: str | None = None
) -> Response:
    factory = uow_factory(request)
    choices = await crm(lambda: views.target_choices(factory))
    found: views.PreviewView | None = None
    if values.get("preview") and not error:
        try:
            campaign_id = int(values.get("campaign", ""))
            target = target_of(values)
            found = await crm(
                lambda: views.preview(factory, target=target, campaign_id=campaign_id)
            )
        except (ValueError, InvalidRequest, CampaignNotFound, ProductNotFound) as exc:
            error = getattr(exc, "message", "choose a campaign")
    form: dict[str, Any] = {
        key: values.get(key, "")
        for key in ("campaign", "name", "assigned_to", "window_start", "window_end")
    }
    form.update({key: values.get(key, "") for key in TARGET_FIELDS})
    return render(
        request,
        "call_list_new.html",
        {
            "user": user,
            "choices": choices,
            "form": form,
            "preview": found,
            "error": error,
            "levels": [level.value for level in LeadLevel],
            "statuses": [status.value for status in LeadStatus],
            "notice": None,
        },
        status_code=422 if error else 200,
    )


@router.post("/call-lists")
async def build_call_list(request: Request, user: ManagerPost) -> Response:
    """Build the draft list the form describes and show it."""
    posted = await request.form()
    values = {key: str(value)[:500] for key, value in posted.items()}
    factory = uow_factory(request)

    def build() -> int:
        try:
            campaign_id = int(values.get("campaign", ""))
            window = None
            if values.get("window_start") or values.get("window_end"):
                window = (
                    dt.time.fromisoformat(values.get("window_start", "")),
                    dt.time.fromisoformat(values.get("window_end", "")),
                )
        except ValueError:
            raise InvalidRequest("choose a campaign; a window needs both times") from None
        with factory() as uow:
            built = call_lists.build_call_list(
                uow,
                campaign_id=campaign_id,
                name=values.get("name", ""),
                target=target_of(values),
                assigned_to=values.get("assigned_to") or call_lists.BOT,
                window=window,
                today=deps.now(request).date(),
            )
            uow.commit()
            return built.id

    try:
        built_id = await crm(build)
    except (InvalidRequest, CampaignNotFound, ProductNotFound) as exc:
        return await _new_list_page(request, user, values, error=exc.message)
    return RedirectResponse(f"/desk/call-lists/{built_id}?notice=built", status_code=303)


@router.get("/call-lists/{call_list_id}", response_class=HTMLResponse)
async def call_list_page(
    request: Request,
    call_list_id: ListId,
    user: Manager,
    notice_code: Annotated[str | None, Query(alias="notice")] = None,
) -> Response:
    """A call list: its campaign, criteria, progress and entries, and what to do with it."""
    factory = uow_factory(request)
    now = deps.now(request)
    try:
        view = await crm(lambda: views.call_list_page(factory, call_list_id=call_list_id, now=now))
    except CallListNotFound as exc:
        raise HTTPException(status_code=404, detail="No such call list.") from exc
    return render(
        request,
        "call_list.html",
        {"user": user, "view": view, "notice": notice(notice_code, among=NOTICES), "error": None},
    )


async def _change(
    request: Request,
    user: DeskUser,
    call_list_id: int,
    change: Callable[[UnitOfWork], object],
    code: str,
) -> Response:
    factory = uow_factory(request)

    def apply() -> None:
        with factory() as uow:
            change(uow)
            uow.commit()

    try:
        await crm(apply)
    except CallListNotFound as exc:
        raise HTTPException(status_code=404, detail="No such call list.") from exc
    except (InvalidRequest, InvalidStatusChange) as exc:
        now = deps.now(request)
        view = await crm(lambda: views.call_list_page(factory, call_list_id=call_list_id, now=now))
        return render(
            request,
            "call_list.html",
            {"user": user, "view": view, "notice": None, "error": exc.message},
            status_code=422,
        )
    return RedirectResponse(f"/desk/call-lists/{call_list_id}?notice={code}", status_code=303)


@router.post("/call-lists/{call_list_id}/assign")
async def assign(
    request: Request,
    call_list_id: ListId,
    user: ManagerPost,
    assigned_to: Annotated[str, Form(max_length=50)] = "",
) -> Response:
    """Hand the list to the bot, to every agent, or to one agent."""
    return await _change(
        request,
        user,
        call_list_id,
        lambda uow: call_lists.assign_call_list(
            uow, call_list_id=call_list_id, assigned_to=assigned_to
        ),
        "assigned",
    )


@router.post("/call-lists/{call_list_id}/start")
async def start(request: Request, call_list_id: ListId, user: ManagerPost) -> Response:
    """Start working the list: the dialer or the agents take its entries."""
    return await _change(
        request,
        user,
        call_list_id,
        lambda uow: call_lists.start_call_list(uow, call_list_id=call_list_id),
        "started",
    )


@router.post("/call-lists/{call_list_id}/pause")
async def pause(request: Request, call_list_id: ListId, user: ManagerPost) -> Response:
    """Stop taking new entries of the list."""
    return await _change(
        request,
        user,
        call_list_id,
        lambda uow: call_lists.pause_call_list(uow, call_list_id=call_list_id),
        "paused",
    )
