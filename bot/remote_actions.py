"""Rasa's custom actions, as icbot calls them: a failed call says so in the answer.

When a custom action cannot run (the action server is down, or answered an
error), Rasa 3.6 logs it and goes on without the action's events: the
customer would get an answer without the result it asked for. The gateway
used to ask the action server's ``/health`` before every turn to avoid that
(a loopback request per turn, a fifth of the gateway's CPU). Now the turn
itself tells: :func:`install` wraps :meth:`RemoteAction.run` so that a
failed call also sends a message with a ``custom`` payload to the turn's
output channel, ``{"icbot": {"action_failed": <action>, "unreachable": <bool>}}``
(``unreachable``: nothing answered at the action server's address). It is
not an event, so the tracker does not keep it. The gateway
(``channels/conversations/rasa_client.py``) answers such a turn with its
apology, and while the action server is unreachable, apologises without
asking Rasa until its ``/health`` answers again.

A rejection (``ActionExecutionRejection``: a form's validation refusing) is
no failure: Rasa predicts another action, as ever.
"""

from __future__ import annotations

import contextlib
import functools
from typing import Any

import aiohttp
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction

PAYLOAD_KEY = "icbot"  # channels.conversations.rasa_client reads the same key
_WRAPPED = "_icbot_signals_failures"


def failure_payload(action: str, error: BaseException) -> dict[str, Any]:
    """The ``custom`` payload that says ``action`` failed, and whether nothing answered."""
    cause = error.__cause__ or error.__context__
    unreachable = isinstance(cause, (aiohttp.ClientConnectionError, OSError))
    return {PAYLOAD_KEY: {"action_failed": action, "unreachable": unreachable}}


def install() -> None:
    """Wrap :meth:`RemoteAction.run` (idempotent)."""
    original = RemoteAction.run
    if getattr(original, _WRAPPED, False):
        return

    @functools.wraps(original)
    async def run(self: RemoteAction, output_channel: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return await original(self, output_channel, *args, **kwargs)
        except ActionExecutionRejection:
            raise
        except Exception as error:
            tracker = args[1] if len(args) > 1 else kwargs.get("tracker")
            recipient = getattr(tracker, "sender_id", None)
            with contextlib.suppress(Exception):  # the failure itself is what Rasa must see
                await output_channel.send_custom_json(
                    recipient, failure_payload(self.name(), error)
                )
            raise

    setattr(run, _WRAPPED, True)
    RemoteAction.run = run  # type: ignore[method-assign]
