"""The streaming phone door: Twilio ConversationRelay, beside the ``<Gather>`` door.

A call to one of ``ICBOT_RELAY_NUMBERS`` is answered on ``POST /twilio/voice``
with ``<Connect><ConversationRelay>`` (:mod:`channels.twilio.relay_twiml`);
Twilio does the speech recognition and the voice, and talks to us here
(docs/phone.md):

- ``/twilio/relay`` (WebSocket): Twilio signs the upgrade with
  ``X-Twilio-Signature`` over the URL it opened (``wss://…/twilio/relay?call=<CallSid>``,
  no parameters), checked against ``ICBOT_PUBLIC_URL`` and the auth token
  before the socket is accepted: unsigned, wrongly signed or signed for
  another URL is refused (HTTP 403) and leaves no trace. Each call gets one
  socket: a replayed upgrade for a call that already had its socket is
  refused too (claimed in the CRM, as the ``<Gather>`` door claims its
  webhooks: :mod:`channels.twilio.replays`). The conversation is
  ``voice-<CallSid>``, the same as on the ``<Gather>`` door, so the desk,
  transcripts and the CRM's interaction work the same
  (:mod:`channels.twilio.relay_session` serves the call).
- ``/twilio/relay/ended``: the ``<Connect action>``, a signed webhook Twilio
  posts once the socket ended the session (``HandoffData``) or the session
  ended otherwise: ``<Hangup/>`` after a goodbye, ``<Dial>`` to the agents'
  line after a handoff or a failure (:func:`~channels.twilio.relay_twiml.after_session`).

The call's end (its duration) still comes on ``/twilio/voice/status``.
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Request, WebSocket
from fastapi.responses import Response
from twilio.request_validator import RequestValidator

from crm_backend.services.inbound_messages import ClaimState

from ..conversation_language import DEFAULT, conversation_language
from ..deps import gateway_settings, rasa_client
from . import relay_twiml
from .relay_session import CALL_SID, CHANNEL, POLICY_VIOLATION, RelayParts, RelaySession
from .replays import Replies, signed_key
from .security import SIGNATURE_HEADER, SignedRequest, app_auth_token, signed_request
from .voice_twiml import twiml_response

log = logging.getLogger(__name__)

router = APIRouter(prefix="/twilio/relay", tags=["twilio"])
Signed = Annotated[SignedRequest, Depends(signed_request)]
# What the claim of a call's socket stores: the socket was opened.
OPENED = ["relay socket opened"]


def upgrade_url(websocket: WebSocket) -> str:
    """The URL Twilio opened, as it signed it: the public one, with the WebSocket scheme."""
    base = relay_twiml.websocket_base(websocket.app.state.settings.public_url)
    url = base + websocket.url.path
    return f"{url}?{websocket.url.query}" if websocket.url.query else url


def signed_upgrade(websocket: WebSocket) -> bool:
    """Whether Twilio signed this upgrade (its signature covers the URL and no parameters)."""
    signature = websocket.headers.get(SIGNATURE_HEADER, "")
    validator = RequestValidator(app_auth_token(websocket.app))
    return bool(signature) and validator.validate(upgrade_url(websocket), {}, signature)


async def first_socket(parts: RelayParts, call_sid: str) -> bool:
    """Claim the call's one socket; False when it had one already (a replayed upgrade).

    With the CRM down the socket is served unguarded, as the doors serve webhooks then.
    """
    replies = Replies(parts.uows, channel=CHANNEL, budget=parts.settings.twilio.reply_budget)
    key = signed_key(CHANNEL, f"voice-{call_sid}", "relay-socket")
    claim = await replies.claim(key, f"voice-{call_sid}")
    if claim is None:
        return True
    if claim.state is not ClaimState.CLAIMED:
        return False
    await replies.settle(key, OPENED)  # answered: no later upgrade gets the call again
    return True


@router.websocket("")
async def conversation_relay(websocket: WebSocket) -> None:
    """Twilio's ConversationRelay socket for one call (refused unless signed for it)."""
    call_sid = websocket.query_params.get("call", "")
    if not (CALL_SID.match(call_sid) and signed_upgrade(websocket)):
        log.warning("refused a ConversationRelay socket with a missing or wrong signature")
        await websocket.close(code=POLICY_VIOLATION)  # before accept: HTTP 403
        return
    parts = RelayParts.of(websocket.app)
    if not await first_socket(parts, call_sid):
        log.warning("refused a second ConversationRelay socket for call %s", call_sid)
        await websocket.close(code=POLICY_VIOLATION)
        return
    await websocket.accept()
    await RelaySession(parts, websocket, call_sid=call_sid).run()


@router.post(
    "/ended", summary="Twilio: the ConversationRelay session ended", response_class=Response
)
async def session_ended(call: Signed, request: Request) -> Response:
    """Hang up after a goodbye; put the caller through to the agents' line after a handoff."""
    settings = gateway_settings(request)
    sid = call.get("CallSid")
    language = DEFAULT
    if CALL_SID.match(sid):
        language = await conversation_language(rasa_client(request), f"voice-{sid}")
    response = relay_twiml.after_session(
        settings.twilio,
        public_url=settings.public_url,
        reason=relay_twiml.reason_of(call.get("HandoffData")),
        session_status=call.get("SessionStatus"),
        language=language,
    )
    return twiml_response(response)
