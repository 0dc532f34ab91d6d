"""The IC manager's campaigns: every campaign with its call lists, and a new one.

- ``GET /desk/campaigns``: every campaign with its lists, and the form for a new one;
- ``POST /desk/campaigns`` creates it (a draft); its call list is built on
  the call list pages (:mod:`channels.desk.call_list_pages`).

Managers only (an agent gets 403); a post carries the session's CSRF token
and ends in a redirect (post/redirect/get), or the form again with what was
wrong.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from crm_backend.errors import InvalidRequest, ProductNotFound
from crm_backend.services import campaigns, scripts

from ..deps import gateway_settings, uow_factory
from . import campaign_views as views
from .auth import DeskUser, manager_form_user, manager_page_user
from .crm_calls import crm
from .notices import notice
from .templating import render

router = APIRouter(prefix="/desk", tags=["desk"], include_in_schema=False)
Manager = Annotated[DeskUser, Depends(manager_page_user)]
ManagerPost = Annotated[DeskUser, Depends(manager_form_user)]
Field = Annotated[str, Form(max_length=500)]
NOTICES = {"created": "Campaign created (draft). Build its call list next."}


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
    factory = uow_factory(request)
    rows = await crm(lambda: views.campaigns_page(factory))
    script_dir = gateway_settings(request).crm.scripts_dir
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
            "notice": notice(notice_code, among=NOTICES),
        },
        status_code=422 if error else 200,
    )


@router.get("/campaigns", response_class=HTMLResponse)
async def campaigns_page(
    request: Request,
    user: Manager,
    notice_code: Annotated[str | None, Query(alias="notice")] = None,
) -> Response:
    """Every campaign and its call lists; the form for a new campaign."""
    return await _campaigns_page(request, user, form=_campaign_form(), notice_code=notice_code)


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
    factory = uow_factory(request)

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
