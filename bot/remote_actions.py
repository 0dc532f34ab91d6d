"""Rasa's custom actions, as icbot calls them: a failed call says so; the call carries less.

**A failed call says so in the answer, and ends the turn.** When a custom
action cannot run (the action server is down, or answered an error), Rasa
3.6 logs it and goes on without the action's events: the customer would get
an answer without the result it asked for, and the policies, finding no
rule for a conversation the action left as it was, predict one custom
action after another (all failing) until Rasa's circuit breaker stops the
turn without listening; every later turn of the conversation then trips it
at once (it counts the actions since the last ``action_listen``). So a
failed call sends a message with a ``custom`` payload to the turn's output
channel, ``{"icbot": {"action_failed": <action>, "unreachable": <bool>}}``
(``unreachable``: nothing answered at the action server's address), which
is not an event and so not kept in the tracker, and the action's events are
one ``FollowupAction("action_listen")``: the turn ends listening. The
gateway (``channels/conversations/actions_state.py``) answers such a turn
with its apology, and the next turn starts clean. A rejection
(``ActionExecutionRejection``: a form's validation refusing) is no failure:
Rasa predicts another action, as ever.

**The domain once per action server.** Rasa 3.6 sends its whole domain (some
80 kB of JSON) with every call, and the action server parses it every time.
rasa-sdk keeps the domain it was last sent under its digest; a call with the
digest alone uses it, and one the action server has no domain for is
answered 449, after which the call is made again with the domain (as later
Rasa versions do). So a new or restarted action server gets the domain once.

**Events without what no action reads.** The tracker Rasa sends grows with
the conversation (200 kB at turn 40 of the benchmark's long conversation),
and both sides encode and parse it on every call. Each event is sent without
the model's id and the assistant's id in its metadata, a customer message's
``parse_data`` without ``intent_ranking`` and ``text_tokens`` (the latest
message, ``latest_message``, keeps its ranking: ``action_clarify`` reads it),
and ``user_featurization`` events are left out. The actions read none of
them (``tests/actions`` and the story tests run them as Rasa calls them).

:func:`install` (called when Rasa imports the ``bot`` package) patches
:class:`RemoteAction`.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import hashlib
import json
import logging
from typing import Any, Optional

import aiohttp
import rasa
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import FollowupAction
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

log = logging.getLogger(__name__)

PAYLOAD_KEY = "icbot"  # channels.conversations.actions_state reads the same key
DOMAIN_NEEDED = 449  # rasa-sdk's answer to a digest it has no domain for
_WRAPPED = "_icbot_remote_actions"
_DROPPED_METADATA = frozenset({"model_id", "assistant_id"})
_DROPPED_PARSE_DATA = frozenset({"intent_ranking", "text_tokens"})
_DROPPED_EVENTS = frozenset({"user_featurization"})
_WITH_DOMAIN: contextvars.ContextVar[bool] = contextvars.ContextVar("with_domain", default=False)
_digests: dict[int, tuple[Domain, str]] = {}


def failure_payload(action: str, error: BaseException) -> dict[str, Any]:
    """The ``custom`` payload that says ``action`` failed, and whether nothing answered."""
    cause = error.__cause__ or error.__context__
    unreachable = isinstance(cause, (aiohttp.ClientConnectionError, OSError))
    return {PAYLOAD_KEY: {"action_failed": action, "unreachable": unreachable}}


def slim_event(event: dict[str, Any]) -> Optional[dict[str, Any]]:
    """The event as the action server gets it; None when it gets none. ``event`` is untouched."""
    if event.get("event") in _DROPPED_EVENTS:
        return None
    slim = dict(event)
    metadata = slim.get("metadata")
    if isinstance(metadata, dict) and not _DROPPED_METADATA.isdisjoint(metadata):
        slim["metadata"] = {k: v for k, v in metadata.items() if k not in _DROPPED_METADATA}
    parsed = slim.get("parse_data")
    if isinstance(parsed, dict) and not _DROPPED_PARSE_DATA.isdisjoint(parsed):
        slim["parse_data"] = {k: v for k, v in parsed.items() if k not in _DROPPED_PARSE_DATA}
    return slim


def domain_digest(domain: Domain) -> str:
    """A digest of the domain's content, computed once per domain object."""
    known = _digests.get(id(domain))
    if known is not None and known[0] is domain:
        return known[1]
    content = json.dumps(domain.as_dict(), sort_keys=True, default=str)
    digest = hashlib.sha256(content.encode()).hexdigest()
    _digests.clear()  # one model at a time
    _digests[id(domain)] = (domain, digest)
    return digest


def call_format(
    action: RemoteAction, tracker: DialogueStateTracker, domain: Domain
) -> dict[str, Any]:
    """What Rasa posts to the action server: Rasa's own body, slimmer (see above)."""
    state = tracker.current_state(EventVerbosity.ALL)
    events = state.get("events")
    if isinstance(events, list):
        state["events"] = [e for e in map(slim_event, events) if e is not None]
    body: dict[str, Any] = {
        "next_action": action.name(),
        "sender_id": tracker.sender_id,
        "tracker": state,
        "version": rasa.__version__,
        "domain_digest": domain_digest(domain),
    }
    selective = action._is_selective_domain_enabled()
    explicit = domain.does_custom_action_explicitly_need_domain(action.name())
    if _WITH_DOMAIN.get() or (selective and explicit):
        body["domain"] = domain.as_dict()
    return body


def _domain_needed(error: BaseException) -> bool:
    return getattr(error.__cause__, "status", None) == DOMAIN_NEEDED


def install() -> None:
    """Patch :class:`RemoteAction` (idempotent)."""
    original = RemoteAction.run
    if getattr(original, _WRAPPED, False):
        return

    async def call(self: RemoteAction, *args: Any, **kwargs: Any) -> Any:
        try:
            return await original(self, *args, **kwargs)
        except ActionExecutionRejection:
            raise
        except Exception as error:
            if not _domain_needed(error):
                raise
        token = _WITH_DOMAIN.set(True)
        try:
            return await original(self, *args, **kwargs)
        finally:
            _WITH_DOMAIN.reset(token)

    @functools.wraps(original)
    async def run(self: RemoteAction, output_channel: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return await call(self, output_channel, *args, **kwargs)
        except ActionExecutionRejection:
            raise
        except Exception as error:
            # As Rasa logged it: the action's name, the action server's address, the error.
            log.exception("custom action %s failed: the turn ends listening", self.name())
            tracker = args[1] if len(args) > 1 else kwargs.get("tracker")
            recipient = getattr(tracker, "sender_id", None)
            with contextlib.suppress(Exception):  # the turn ends listening all the same
                await output_channel.send_custom_json(
                    recipient, failure_payload(self.name(), error)
                )
            return [FollowupAction(ACTION_LISTEN_NAME)]

    setattr(run, _WRAPPED, True)
    RemoteAction.run = run  # type: ignore[method-assign]
    RemoteAction._action_call_format = call_format  # type: ignore[method-assign]
