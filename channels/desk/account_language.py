"""The customer's preferred language, set from the desk: a form post beside the customer's facts.

Agents and managers may change it (trainers may not), with the session's CSRF
token as every desk form. The page the form was on gets the agent back, with
a notice (a desk path only: never another site).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Path
from fastapi.responses import RedirectResponse

from crm_backend.errors import AccountNotFound, CrmUnavailable, InvalidRequest
from crm_backend.models import MAX_ROW_ID
from crm_backend.services.conversation_language import set_preferred_language
from languages import languages

from ..deps import UowFactory, in_thread, uow_factory
from .auth import DeskUser, safe_next, staff_form_user
from .crm_calls import UNAVAILABLE

router = APIRouter(prefix="/desk/accounts", tags=["desk"], include_in_schema=False)


def _back(back: str, code: str) -> RedirectResponse:
    path = safe_next(back)
    return RedirectResponse(f"{path}{'&' if '?' in path else '?'}notice={code}", status_code=303)


@router.post("/{account_id}/language")
async def set_language(
    account_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)],
    _user: Annotated[DeskUser, Depends(staff_form_user)],
    uows: Annotated[UowFactory, Depends(uow_factory)],
    language: Annotated[str, Form(max_length=10)] = "",
    back: Annotated[str, Form(max_length=300)] = "/desk",
) -> RedirectResponse:
    """Record the language the customer wants ("": not said); back to the page."""

    def save() -> None:
        with uows() as uow:
            set_preferred_language(
                uow, account_id=account_id, language=language.strip(), allowed=languages()
            )
            uow.commit()

    try:
        await in_thread(save)
    except AccountNotFound as exc:
        raise HTTPException(status_code=404, detail="No such customer.") from exc
    except InvalidRequest:
        return _back(back, "invalid")
    except CrmUnavailable as exc:
        raise HTTPException(status_code=503, detail=UNAVAILABLE) from exc
    return _back(back, "language_saved")
