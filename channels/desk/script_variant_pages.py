"""The A/B test of a campaign's script, on the campaign's page (managers only).

- ``POST /desk/campaigns/{id}/variants/b``: give a draft campaign a variant B
  of its script and the share of contacts that get it (an empty B removes
  the test); its call lists are split again.
- ``POST /desk/campaigns/{id}/variants/keep``: end the test by keeping one
  variant, which becomes the campaign's script.

The figures per variant are on the campaign's page
(:mod:`crm_backend.services.script_variants` counts them). A post carries the
session's CSRF token and ends in a redirect, or the page with what was wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from crm_backend.errors import CampaignNotFound, InvalidRequest, ScriptNotFound
from crm_backend.services import script_variants

from .. import deps
from ..deps import gateway_settings, uow_factory
from .auth import DeskUser, manager_form_user
from .campaign_pages import CampaignId, campaign_page_response
from .crm_calls import crm

router = APIRouter(prefix="/desk", tags=["desk"], include_in_schema=False)
ManagerPost = Annotated[DeskUser, Depends(manager_form_user)]
Script = Annotated[str, Form(max_length=100)]
REFUSED = (InvalidRequest, ScriptNotFound)  # InvalidScript is an InvalidRequest


@router.post("/campaigns/{campaign_id}/variants/b")
async def set_variant(
    request: Request,
    campaign_id: CampaignId,
    user: ManagerPost,
    script_b: Script = "",
    share_b: Annotated[str, Form(max_length=3)] = "50",
) -> Response:
    """Set (or remove) the variant B of a draft campaign's script and its share."""
    factory, scripts_dir = uow_factory(request), gateway_settings(request).crm.scripts_dir

    def save() -> None:
        try:
            share = int(share_b)
        except ValueError:
            raise InvalidRequest("the share of variant B is a whole number of percent") from None
        with factory() as uow:
            script_variants.set_variant(
                uow,
                campaign_id=campaign_id,
                script_b=script_b,
                share_b=share,
                scripts_dir=scripts_dir,
            )
            uow.commit()

    code = "variant-set" if script_b.strip() else "variant-removed"
    return await _answer(request, user, campaign_id, save, code)


@router.post("/campaigns/{campaign_id}/variants/keep")
async def keep_variant(
    request: Request, campaign_id: CampaignId, user: ManagerPost, script: Script
) -> Response:
    """End the campaign's script test by keeping one variant."""
    factory, now = uow_factory(request), deps.now(request)

    def keep() -> None:
        with factory() as uow:
            script_variants.keep_variant(uow, campaign_id=campaign_id, script=script, now=now)
            uow.commit()

    return await _answer(request, user, campaign_id, keep, "variant-kept")


async def _answer(
    request: Request, user: DeskUser, campaign_id: int, work: Callable[[], None], code: str
) -> Response:
    try:
        await crm(work)
    except CampaignNotFound as exc:
        raise HTTPException(status_code=404, detail="No such campaign.") from exc
    except REFUSED as exc:
        return await campaign_page_response(request, user, campaign_id, error=exc.message)
    return RedirectResponse(f"/desk/campaigns/{campaign_id}?notice={code}", status_code=303)
