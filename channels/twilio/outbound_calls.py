"""The gateway's side of the dialer's calls: their URLs, their end, machines, their metadata.

The dialer (:mod:`channels.dialer`) gives Twilio two URLs per call, both
carrying the call list entry (docs/outbound.md):

- ``/twilio/voice?call_list_entry=<id>``: the voice door, when the call is
  answered. It asks :func:`machine_answer` first (a machine gets the
  campaign's message, or nothing, and the call ends), then starts the
  outbound script with :func:`outbound_metadata`.
- ``/twilio/outbound/status?call_list_entry=<id>``: Twilio's final status
  (served here). The entry leaves ``calling``, to ``done`` or to a retry,
  and the call's interaction gets its duration and outcome.

Both are Twilio webhooks, signed against the public URL with the query.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Annotated, Any
from urllib.parse import urlencode

from anyio import to_thread
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from twilio.twiml.voice_response import VoiceResponse

from crm_backend.errors import (
    CallListEntryNotFound,
    CrmUnavailable,
    InvalidContactData,
    InvalidRequest,
)
from crm_backend.models import MAX_ROW_ID
from crm_backend.services import call_list_entries, placed_calls, script_variants
from crm_backend.text import normalize_phone

from .. import deps
from ..deps import UowFactory, uow_factory
from ..settings import GatewaySettings
from .security import SignedRequest, signed_request
from .voice_twiml import VoiceTwiml, twiml_response

log = logging.getLogger(__name__)

router = APIRouter(prefix="/twilio/outbound", tags=["twilio"])
Signed = Annotated[SignedRequest, Depends(signed_request)]

ENTRY_PARAM = "call_list_entry"
VOICE_PATH = "/twilio/voice"
STATUS_PATH = "/twilio/outbound/status"


def voice_url(public_url: str, entry_id: int) -> str:
    """Where Twilio asks what to say when the entry's call is answered."""
    return f"{public_url}{VOICE_PATH}?{urlencode({ENTRY_PARAM: entry_id})}"


def status_url(public_url: str, entry_id: int) -> str:
    """Where Twilio posts the final status of the entry's call."""
    return f"{public_url}{STATUS_PATH}?{urlencode({ENTRY_PARAM: entry_id})}"


async def machine_answer(
    settings: GatewaySettings, uows: UowFactory, *, entry_id: int, call: SignedRequest
) -> VoiceResponse | None:
    """The TwiML for a machine or fax that picked up the entry's call, or None for a person.

    A machine hears the campaign's message, if it has one, and the call ends.
    Who answered (Twilio's ``AnsweredBy``) is kept on the entry.

    Raises:
        CallListEntryNotFound: no entry has that id.
        CrmUnavailable: the CRM cannot be reached.
    """

    def record() -> str | None:
        with uows() as uow:
            message = placed_calls.answering_machine(
                uow,
                entry_id=entry_id,
                call_sid=call.get("CallSid"),
                answered_by=call.get("AnsweredBy"),
            )
            uow.commit()
            return message

    message = await to_thread.run_sync(record)
    if message is None:
        return None
    documents = VoiceTwiml(settings.twilio, public_url=settings.public_url)
    return documents.hang_up_after([message] if message else [])


async def outbound_metadata(
    uows: UowFactory, *, entry_id: int, call: SignedRequest
) -> dict[str, Any]:
    """The metadata the bot gets for the entry's call (docs/outbound.md).

    Raises:
        CallListEntryNotFound: no entry has that id.
        InvalidContactData: the call has no phone number to talk to.
        CrmUnavailable: the CRM cannot be reached.
    """

    def read() -> dict[str, Any]:
        with uows() as uow:
            entry = call_list_entries.get_entry(uow, entry_id=entry_id)
            campaign = entry.call_list.campaign
            return {
                "channel": "voice",
                "caller_phone": _called_number(call.get("To"), entry.account.primary_phone),
                "direction": "outbound",
                "campaign_id": campaign.id,
                "call_list_entry_id": entry.id,
                "account_id": entry.account_id,
                "script": script_variants.script_for(entry),
            }

    return await to_thread.run_sync(read)


def _called_number(to: str, on_file: str | None) -> str:
    """The number the dialer called: Twilio's ``To``, else the account's phone.

    Raises:
        InvalidContactData: neither is a phone number (the entry cannot be worked).
    """
    with contextlib.suppress(InvalidContactData):
        return normalize_phone(to)
    return normalize_phone(on_file or "")


@router.post("/status", summary="Twilio: a dialer's call ended", response_class=Response)
async def call_status(
    call: Signed,
    request: Request,
    entry_id: Annotated[int, Query(alias=ENTRY_PARAM, ge=1, le=MAX_ROW_ID)],
) -> Response:
    """Free the entry at the call's end: done, or a retry later; close the call's interaction."""
    status = call.get("CallStatus")
    sid = call.get("CallSid")
    if status not in placed_calls.FINAL_STATUSES:
        return twiml_response(VoiceResponse())
    if not sid:
        raise HTTPException(status_code=400, detail="CallSid is missing")
    seconds = call.get("CallDuration")
    uows = uow_factory(request)
    now = deps.now(request)

    def record() -> None:
        with uows() as uow:
            placed_calls.call_ended(
                uow,
                entry_id=entry_id,
                call_sid=sid,
                status=status,
                duration_seconds=int(seconds) if seconds.isdigit() else 0,
                answered_by=call.get("AnsweredBy"),
                now=now,
            )
            uow.commit()

    try:
        await to_thread.run_sync(record)
    except CallListEntryNotFound as exc:
        # Nothing to retry: Twilio would only post it again.
        log.warning("status of call %s for unknown entry %s", sid, entry_id)
        raise HTTPException(status_code=404, detail=exc.message) from exc
    except CrmUnavailable as exc:
        log.exception("the end of call %s (entry %s) is not recorded", sid, entry_id)
        raise HTTPException(status_code=503, detail="the CRM is unavailable") from exc
    except InvalidRequest as exc:
        raise HTTPException(status_code=400, detail=exc.message) from exc
    return twiml_response(VoiceResponse())
