"""The IC manager's pages: campaigns, building a call list from a target, working it.

- ``GET /desk/campaigns``: every campaign with its lists, and the form for a new one;
  ``POST /desk/campaigns`` creates it.
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

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from crm_backend.errors import (
    CallListNotFound,
    CampaignNotFound,
    InvalidRequest,
    InvalidStatusChange,
    ProductNotFound,
)
from crm_backend.models import MAX_ROW_ID, LeadLevel, LeadStatus, utcnow
from crm_backend.services import call_lists, campaigns, scripts
from crm_backend.services.call_lists import TargetFilter
from crm_backend.uow import UnitOfWork

from . import campaign_views as views
from .auth import DeskUser, form_user, manager_page_user
from .common import crm, uows
from .templating import render

router = APIRouter(prefix="/desk", tags=["desk"], include_in_schema=False)
Manager = Annotated[DeskUser, Depends(manager_page_user)]
ListId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
Field = Annotated[str, Form(max_length=500)]
# Notices a redirect may name: fixed words, nothing from the query shown as is.
NOTICES = {
    "created": "Campaign created (draft). Build its call list next.",
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


async def _manager_posting(
    user: Annotated[DeskUser, Depends(form_user)],
) -> DeskUser:
    if not user.is_manager:
        raise HTTPException(status_code=403, detail="Campaigns are the manager's.")
    return user


ManagerPost = Annotated[DeskUser, Depends(_manager_posting)]


def clock(request: Request) -> dt.datetime:
    """Now, as the app's clock says (tests set ``app.state.clock``)."""
    now: Callable[[], dt.datetime] = getattr(request.app.state, "clock", None) or utcnow
    return now()


def _notice(code: str | None) -> str | None:
    return NOTICES.get(code or "")


def _campaign_form(**given: str) -> dict[str, str]:
    defaults = {
        "name": "",
        "script": "",
        "channel": "phone",
        "starts_on": "",
        "ends_on": "",
        "product_sku": "",
        "offer": "",
        "hours_start": "09:00",
        "hours_end": "19:00",
        "max_attempts": "3",
        "retry_delay_minutes": "60",
        "message": "",
    }
    return {**defaults, **given}


async def _campaigns_page(
    request: Request,
    user: DeskUser,
    *,
    form: dict[str, str],
    error: str | None = None,
    notice_code: str | None = None,
) -> Response:
    factory = uows(request)
    rows = await crm(lambda: views.campaigns_page(factory))
    script_dir = request.app.state.settings.crm.scripts_dir
    return render(
        request,
        "campaigns.html",
        {
            "user": user,
            "campaigns": rows,
            "form": form,
            "error": error,
            "channels": views.CHANNELS,
            "scripts": scripts.script_names(directory=script_dir),
            "notice": _notice(notice_code),
        },
        status_code=422 if error else 200,
    )


@router.get("/campaigns", response_class=HTMLResponse)
async def campaigns_page(request: Request, user: Manager, notice: str | None = None) -> Response:
    """Every campaign and its call lists; the form for a new campaign."""
    return await _campaigns_page(request, user, form=_campaign_form(), notice_code=notice)


@router.post("/campaigns")
async def create_campaign(
    request: Request,
    user: ManagerPost,
    name: Field = "",
    script: Field = "",
    channel: Field = "",
    starts_on: Field = "",
    ends_on: Field = "",
    product_sku: Field = "",
    offer: Field = "",
    hours_start: Field = "",
    hours_end: Field = "",
    max_attempts: Field = "",
    retry_delay_minutes: Field = "",
    message: Field = "",
) -> Response:
    """Create a draft campaign; on a mistake, the form again with what was wrong."""
    form = _campaign_form(
        name=name,
        script=script,
        channel=channel,
        starts_on=starts_on,
        ends_on=ends_on,
        product_sku=product_sku,
        offer=offer,
        hours_start=hours_start,
        hours_end=hours_end,
        max_attempts=max_attempts,
        retry_delay_minutes=retry_delay_minutes,
        message=message,
    )
    factory = uows(request)

    def create() -> None:
        try:
            starts, ends = dt.date.fromisoformat(starts_on), dt.date.fromisoformat(ends_on)
            hours = (dt.time.fromisoformat(hours_start), dt.time.fromisoformat(hours_end))
            attempts, delay = int(max_attempts), int(retry_delay_minutes)
        except ValueError:
            raise InvalidRequest("dates, hours and numbers must be filled in") from None
        with factory() as uow:
            campaigns.create_campaign(
                uow,
                name=name,
                script=script,
                channel=channel,
                starts_on=starts,
                ends_on=ends,
                product_sku=product_sku.strip() or None,
                offer=offer,
                calling_hours=hours,
                max_attempts=attempts,
                retry_delay_minutes=delay,
                message=message,
            )
            uow.commit()

    try:
        await crm(create)
    except (InvalidRequest, ProductNotFound) as exc:
        return await _campaigns_page(request, user, form=form, error=exc.message)
    return RedirectResponse("/desk/campaigns?notice=created", status_code=303)


def target_of(values: Mapping[str, str]) -> TargetFilter:
    """The target the form describes (empty fields: no criterion).

    Raises:
        InvalidRequest: a date, lead level or lead status that does not read.
    """
    given = {key: values.get(key, "").strip() for key in TARGET_FIELDS}
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
    factory = uows(request)
    choices = await crm(lambda: views.campaign_choices(factory))
    found: views.PreviewView | None = None
    if values.get("preview") and not error:
        try:
            campaign_id = int(values.get("campaign", ""))
            target = target_of(values)

            def read() -> views.PreviewView:
                with factory() as uow:
                    channel = campaigns.get_campaign(uow, campaign_id=campaign_id).channel
                return views.preview(factory, target=target, channel=channel)

            found = await crm(read)
        except (ValueError, InvalidRequest, CampaignNotFound) as exc:
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
            "campaigns": choices,
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
    factory = uows(request)

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
                today=clock(request).date(),
            )
            uow.commit()
            return built.id

    try:
        built_id = await crm(build)
    except (InvalidRequest, CampaignNotFound) as exc:
        return await _new_list_page(request, user, values, error=exc.message)
    return RedirectResponse(f"/desk/call-lists/{built_id}?notice=built", status_code=303)


@router.get("/call-lists/{call_list_id}", response_class=HTMLResponse)
async def call_list_page(
    request: Request, call_list_id: ListId, user: Manager, notice: str | None = None
) -> Response:
    """A call list: its campaign, criteria, progress and entries, and what to do with it."""
    factory = uows(request)
    now = clock(request)
    try:
        view = await crm(lambda: views.call_list_page(factory, call_list_id=call_list_id, now=now))
    except CallListNotFound as exc:
        raise HTTPException(status_code=404, detail="No such call list.") from exc
    return render(
        request,
        "call_list.html",
        {"user": user, "view": view, "notice": _notice(notice), "error": None},
    )


async def _change(
    request: Request,
    user: DeskUser,
    call_list_id: int,
    change: Callable[[UnitOfWork], object],
    code: str,
) -> Response:
    factory = uows(request)

    def apply() -> None:
        with factory() as uow:
            change(uow)
            uow.commit()

    try:
        await crm(apply)
    except CallListNotFound as exc:
        raise HTTPException(status_code=404, detail="No such call list.") from exc
    except (InvalidRequest, InvalidStatusChange) as exc:
        now = clock(request)
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
