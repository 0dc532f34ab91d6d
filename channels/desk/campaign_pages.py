"""The IC manager's campaigns: every campaign, a new one, its page, its life cycle.

- ``GET /desk/campaigns``: every campaign with its lists, and the form for a new one;
  ``POST /desk/campaigns`` creates it (a draft) and shows its page.
- ``GET /desk/campaigns/{id}``: the campaign, what may be done with it, and
  its form; ``POST /desk/campaigns/{id}`` changes it (everything while a
  draft, then all but its script, channel, product and first day);
  ``POST …/activate``, ``…/pause``, ``…/resume``, ``…/end`` move it along
  its life (:mod:`crm_backend.services.campaigns`).

The forms offer only what the CRM accepts (scripts that pass the stories
check, products on sale, the channels), and the CRM checks every value again:
a post is never trusted. Managers only (an agent gets 403); a post carries
the session's CSRF token and ends in a redirect (post/redirect/get), or the
form again with what was wrong. Its call lists are built on the call list
pages (:mod:`channels.desk.call_list_pages`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from crm_backend.errors import CampaignNotFound, InvalidRequest, ProductNotFound, ScriptNotFound
from crm_backend.models import MAX_ROW_ID
from crm_backend.services import campaigns
from crm_backend.services.campaigns import CampaignFields

from .. import deps
from ..deps import gateway_settings, uow_factory
from . import campaign_views as views
from .auth import DeskUser, manager_form_user, manager_page_user
from .crm_calls import crm
from .notices import notice
from .templating import render

router = APIRouter(prefix="/desk", tags=["desk"], include_in_schema=False)
Manager = Annotated[DeskUser, Depends(manager_page_user)]
ManagerPost = Annotated[DeskUser, Depends(manager_form_user)]
CampaignId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
Field = Annotated[str, Form(max_length=500)]
Action = Literal["activate", "pause", "resume", "end"]
# Notices a redirect may name: fixed words, nothing from the query shown as is.
NOTICES = {
    "created": "Campaign created (draft). Check it, build its call list, then activate it.",
    "saved": "Saved.",
    "activate": "Activated: its started call lists are worked.",
    "pause": "Paused: nobody is called or texted for it until you resume it.",
    "resume": "Resumed: its started call lists are worked again.",
    "end": "Ended: nobody will be contacted for it any more.",
    "variant-set": "Script test saved: its call lists are split between the two variants.",
    "variant-removed": "Script test removed: everyone gets the campaign's script.",
    "variant-kept": "Script test ended: the variant you kept is the campaign's script now.",
}
CHANGES: dict[str, Callable[..., object]] = {
    "pause": campaigns.pause_campaign,
    "resume": campaigns.resume_campaign,
    "end": campaigns.end_campaign,
}
FORM_DEFAULTS = {
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


class CampaignForm:
    """The campaign form as posted: every field text, read into the CRM's values on demand."""

    def __init__(
        self,
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
    ) -> None:
        self.values = {
            "name": name,
            "script": script,
            "channel": channel,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "product_sku": product_sku,
            "offer": offer,
            "hours_start": hours_start,
            "hours_end": hours_end,
            "max_attempts": max_attempts,
            "retry_delay_minutes": retry_delay_minutes,
            "message": message,
        }

    def fields(self) -> CampaignFields:
        """The values as the CRM takes them.

        Raises:
            InvalidRequest: a date, an hour or a number that does not read.
        """
        v = self.values
        try:
            return CampaignFields(
                name=v["name"],
                script=v["script"],
                channel=v["channel"],
                starts_on=dt.date.fromisoformat(v["starts_on"]),
                ends_on=dt.date.fromisoformat(v["ends_on"]),
                product_sku=v["product_sku"].strip() or None,
                offer=v["offer"],
                calling_hours=(
                    dt.time.fromisoformat(v["hours_start"]),
                    dt.time.fromisoformat(v["hours_end"]),
                ),
                max_attempts=int(v["max_attempts"]),
                retry_delay_minutes=int(v["retry_delay_minutes"]),
                message=v["message"],
            )
        except ValueError:
            raise InvalidRequest("dates, hours and numbers must be filled in") from None


Posted = Annotated[CampaignForm, Depends()]


async def _choices(request: Request) -> views.Choices:
    factory, scripts_dir = uow_factory(request), gateway_settings(request).crm.scripts_dir
    return await crm(lambda: views.choices(factory, scripts_dir=scripts_dir))


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
    return render(
        request,
        "campaigns.html",
        {
            "user": user,
            "campaigns": rows,
            "form": form,
            "error": error,
            "choices": await _choices(request),
            "notice": notice(notice_code, among=NOTICES),
        },
        status_code=422 if error else 200,
    )


async def campaign_page_response(
    request: Request,
    user: DeskUser,
    campaign_id: int,
    *,
    form: dict[str, str] | None = None,
    error: str | None = None,
    notice_code: str | None = None,
) -> Response:
    factory = uow_factory(request)
    try:
        view = await crm(lambda: views.campaign_page(factory, campaign_id=campaign_id))
    except CampaignNotFound as exc:
        raise HTTPException(status_code=404, detail="No such campaign.") from exc
    return render(
        request,
        "campaign.html",
        {
            "user": user,
            "view": view,
            "form": form or view.form,
            "error": error,
            "choices": await _choices(request),
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
    return await _campaigns_page(request, user, form=dict(FORM_DEFAULTS), notice_code=notice_code)


@router.post("/campaigns")
async def create_campaign(request: Request, user: ManagerPost, posted: Posted) -> Response:
    """Create a draft campaign and show it; on a mistake, the form again with what was wrong."""
    factory, scripts_dir = uow_factory(request), gateway_settings(request).crm.scripts_dir

    def create() -> int:
        fields = posted.fields()
        with factory() as uow:
            created = campaigns.create_campaign(
                uow,
                name=fields.name,
                script=fields.script,
                channel=fields.channel,
                starts_on=fields.starts_on,
                ends_on=fields.ends_on,
                product_sku=fields.product_sku,
                offer=fields.offer,
                calling_hours=fields.calling_hours,
                max_attempts=fields.max_attempts,
                retry_delay_minutes=fields.retry_delay_minutes,
                message=fields.message,
                scripts_dir=scripts_dir,
            )
            uow.commit()
            return created.id

    try:
        created_id = await crm(create)
    except (InvalidRequest, ProductNotFound, ScriptNotFound) as exc:
        return await _campaigns_page(request, user, form=posted.values, error=exc.message)
    return RedirectResponse(f"/desk/campaigns/{created_id}?notice=created", status_code=303)


@router.get("/campaigns/{campaign_id}", response_class=HTMLResponse)
async def campaign_page(
    request: Request,
    campaign_id: CampaignId,
    user: Manager,
    notice_code: Annotated[str | None, Query(alias="notice")] = None,
) -> Response:
    """A campaign: its settings, its lists, what may be done with it, and its form."""
    return await campaign_page_response(request, user, campaign_id, notice_code=notice_code)


@router.post("/campaigns/{campaign_id}")
async def edit_campaign(
    request: Request, campaign_id: CampaignId, user: ManagerPost, posted: Posted
) -> Response:
    """Change the campaign as far as its status allows; else its page with what was wrong."""
    factory, scripts_dir = uow_factory(request), gateway_settings(request).crm.scripts_dir

    def save() -> None:
        fields = posted.fields()
        with factory() as uow:
            campaigns.update_campaign(
                uow, campaign_id=campaign_id, fields=fields, scripts_dir=scripts_dir
            )
            uow.commit()

    try:
        await crm(save)
    except CampaignNotFound as exc:
        raise HTTPException(status_code=404, detail="No such campaign.") from exc
    except (InvalidRequest, ProductNotFound, ScriptNotFound) as exc:
        return await campaign_page_response(
            request, user, campaign_id, form=posted.values, error=exc.message
        )
    return RedirectResponse(f"/desk/campaigns/{campaign_id}?notice=saved", status_code=303)


@router.post("/campaigns/{campaign_id}/{action}")
async def change_campaign(
    request: Request, campaign_id: CampaignId, action: Action, user: ManagerPost
) -> Response:
    """Activate, pause, resume or end the campaign, where its life cycle allows it."""
    factory, scripts_dir = uow_factory(request), gateway_settings(request).crm.scripts_dir
    today = deps.now(request).date()

    def apply() -> None:
        with factory() as uow:
            if action == "activate":
                campaigns.activate_campaign(
                    uow, campaign_id=campaign_id, scripts_dir=scripts_dir, today=today
                )
            else:
                CHANGES[action](uow, campaign_id=campaign_id)
            uow.commit()

    try:
        await crm(apply)
    except CampaignNotFound as exc:
        raise HTTPException(status_code=404, detail="No such campaign.") from exc
    except (InvalidRequest, ScriptNotFound) as exc:
        return await campaign_page_response(request, user, campaign_id, error=exc.message)
    return RedirectResponse(f"/desk/campaigns/{campaign_id}?notice={action}", status_code=303)
