"""The one input channel Rasa listens on: the gateway's, behind a shared secret.

Rasa's REST channel takes any message from anyone who reaches Rasa's port,
metadata included, and the bot trusts ``caller_phone`` in the metadata (the
gateway puts it there only for a signed Twilio request or the integration
token). So anyone on the machine could have posted a caller's number to
Rasa and be greeted as that customer. This channel is the REST channel
(same request and answer) that first asks for the gateway's secret: the
``X-Icbot-Channel-Secret`` header must equal the ``secret`` of its entry in
``credentials.yml`` (``${ICBOT_CHANNEL_SECRET}``, which the launcher
generates per stack and passes by environment), compared in constant time;
anything else gets 403 and reaches no conversation.

Its URL is ``/webhooks/gateway/webhook``; ``credentials.yml`` lists it alone,
so the REST channel is off.

A message posted with the ``X-Icbot-Dialogue-State`` header (the phone door
sends it) gets one more message in its answer, a ``custom`` payload
``{"icbot": {"dialogue": {"ended": …, "question": …, "account_id": …}}}``: whether the bot
closed the conversation in this turn (``action_close_interaction``, or
``action_record_satisfaction`` after the satisfaction question, ran since the
customer's message), the question a form asks now (``requested_slot``) and the
identified account (``account_id``: the gateway applies its preferred language).
The phone door used to fetch the whole tracker after every turn to learn them.

A turn that fails answers 500, not the REST channel's 200 with whatever was
said before the failure (often nothing): Rasa's lock store or tracker store
unreachable (Redis or PostgreSQL down, scaled mode), a failing component. The
gateway then gives the customer its apology with ``Retry-After`` instead of an
empty answer. The log says why without the customer's words (the REST channel
logs the text, and its traceback the locals): the exception chain's types and
first lines only.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Optional, cast

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.shared.core.constants import REQUESTED_SLOT
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

SECRET_HEADER = "X-Icbot-Channel-Secret"
DIALOGUE_HEADER = "X-Icbot-Dialogue-State"  # channels.conversations.rasa_client sends it
# As channels.twilio.voice names them: the goodbye, and the satisfaction answer after it.
ENDING_ACTIONS = frozenset({"action_close_interaction", "action_record_satisfaction"})
PAYLOAD_KEY = "icbot"
# The verified account (domain/identification.yml): the gateway reads its preferred language.
ACCOUNT_SLOT = "account_id"


def dialogue_state(tracker: Optional[DialogueStateTracker]) -> dict[str, Any]:
    """Whether the bot closed the conversation since the customer's latest message, the
    question a form asks now, and the identified account."""
    if tracker is None:
        return {"ended": False, "question": None, "account_id": None}
    ended = False
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, ActionExecuted) and event.action_name in ENDING_ACTIONS:
            ended = True
    question = tracker.get_slot(REQUESTED_SLOT)
    account = tracker.get_slot(ACCOUNT_SLOT)
    return {
        "ended": ended,
        "question": question if isinstance(question, str) else None,
        "account_id": account if isinstance(account, str) else None,
    }


async def _current_tracker(store: Any, sender_id: str) -> Optional[DialogueStateTracker]:
    """The conversation's tracker, to read only: the cached store's without taking it out."""
    inner = getattr(store, "_tracker_store", store)  # Rasa wraps it in a FailSafeTrackerStore
    peek = getattr(inner, "peek", None)
    if peek is not None:
        return cast(Optional[DialogueStateTracker], await peek(sender_id))
    return cast(Optional[DialogueStateTracker], await store.retrieve(sender_id))


log = logging.getLogger(__name__)


def failure_reason(exc: BaseException, *, limit: int = 3) -> str:
    """The exception and its causes, each as its type and the first line of its message.

    First lines only: an SQL error's later lines hold the statement's parameters,
    the customer's words among them.
    """
    parts = []
    seen: Optional[BaseException] = exc
    while seen is not None and len(parts) < limit:
        first = next((line.strip() for line in str(seen).splitlines() if line.strip()), "")
        parts.append(f"{type(seen).__name__}: {first[:200]}" if first else type(seen).__name__)
        seen = seen.__cause__ or seen.__context__
    return " <- ".join(parts)


class GatewayInput(RestInput):
    """Rasa's REST channel for the gateway alone: 403 without the shared secret."""

    @classmethod
    def name(cls) -> str:
        """The channel's name, and its URL: ``/webhooks/gateway/webhook``."""
        return "gateway"

    @classmethod
    def from_credentials(cls, credentials: Optional[dict[str, Any]]) -> GatewayInput:
        """The channel with the secret of its ``credentials.yml`` entry.

        Raises:
            RasaException: no secret, or an empty one (which would let anyone in).
        """
        secret = str((credentials or {}).get("secret") or "").strip()
        if not secret:
            raise RasaException(
                "the gateway channel needs its secret in credentials.yml "
                "(secret: ${ICBOT_CHANNEL_SECRET}); without one Rasa would take anyone's messages"
            )
        return cls(secret)

    def __init__(self, secret: str) -> None:
        self._secret = secret.encode()

    def allows(self, request: Request) -> bool:
        """Whether the request carries the gateway's secret."""
        given = (request.headers.get(SECRET_HEADER) or "").encode()
        return hmac.compare_digest(given, self._secret)

    def _extract_input_channel(self, req: Request) -> str:
        # The channel is this one, whatever the body says.
        return self.name()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        """The REST channel's routes (no streaming) behind the secret; 500 on a failed turn."""
        routes = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @routes.route("/", methods=["GET"])
        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @routes.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            collector = CollectingOutputChannel()
            message = UserMessage(
                self._extract_message(request),
                collector,
                await self._extract_sender(request),
                input_channel=self.name(),
                metadata=self.get_metadata(request),
            )
            try:
                await on_new_message(message)
            except Exception as exc:  # noqa: BLE001 - any failure is the turn's: say so
                reason = failure_reason(exc)
                log.error("a turn failed, the gateway apologises: %s", reason)
                return response.json({"error": "the turn failed", "reason": reason}, status=500)
            return response.json(collector.messages)

        @routes.middleware("request")
        async def require_secret(request: Request) -> Optional[HTTPResponse]:
            if self.allows(request):
                return None
            return response.json({"error": "forbidden"}, status=403)

        @routes.middleware("response")
        async def add_dialogue_state(request: Request, answer: HTTPResponse) -> HTTPResponse:
            if not request.headers.get(DIALOGUE_HEADER) or answer.status != 200:
                return answer
            try:
                messages = json.loads(answer.body or b"")
                sender = str((request.json or {}).get("sender") or "")
            except (ValueError, AttributeError):
                return answer
            if not isinstance(messages, list) or not sender:
                return answer
            store = request.app.ctx.agent.tracker_store
            state = dialogue_state(await _current_tracker(store, sender))
            messages.append({"recipient_id": sender, "custom": {PAYLOAD_KEY: {"dialogue": state}}})
            return response.json(messages)

        return routes
