"""A conversation's states for the policies: each computed once, and no more than rules can see.

Before each action it predicts, every policy of Rasa 3.6 turns the whole
session into states (``Domain.states_for_tracker_history``: the events
replayed from the start, one ``get_active_state`` per action so far). A
turn predicts three or four actions with two policies, so the session is
replayed and turned into states six to eight times per turn, and each time
costs more the longer the conversation: a third of Rasa's CPU per turn at
turn 40 of the benchmark's long conversation (``bench/results/``).

**Each state computed once.** The states of a conversation so far do not
change when events are added after them. :class:`_Progress` keeps, per
conversation and kind of states (the policy's flags), the events already
replayed, the tracker they were replayed into and the states they gave; a
call whose events start with those goes on from there. A call whose events
do not (a form's step undone by Rasa, an undo, a restart, another
conversation) starts again from the first event, as Rasa does.

The caller gets copies each time: Rasa's featurizers delete parts of the
states' user parts in place (``_choose_last_user_input``,
``_remove_user_text_if_intent``), in copies now, never in the kept states.

**The rule policy sees as many states as its longest rule.** Its rules of
``n`` states compare the newest ``n`` only (``RulePolicy._is_rule_applicable``
answers "applicable" for older ones without looking), and its other uses of
the states read the newest or make a key of them all that matches no rule
either way; so it gets the newest states, as many as its longest rule has
and two more.

``tests/bot/test_rule_states.py`` compares every result with Rasa's own on
random conversations (forms, undos, restarts, hidden rule turns).
:func:`install` (called when Rasa imports the ``bot`` package) patches
``Domain.states_for_tracker_history`` and ``Policy._prediction_states``;
both act only while Rasa serves (:func:`enable`, from ``bot/serve.py``) and
only for a policy's prediction: training (where Rasa changes the states it
gets in place, and trackers share events) stays Rasa's own.
"""

from __future__ import annotations

import contextvars
import functools
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Optional

from rasa.core.policies.policy import Policy
from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy
from rasa.shared.core.constants import PREVIOUS_ACTION, USER
from rasa.shared.core.domain import Domain, State, SubState
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
)
from rasa.shared.core.trackers import DialogueStateTracker

MARGIN = 2  # states the rule policy gets beyond its longest rule's
CACHE_SIZE = 256  # conversations x kinds of states (two policies)
CACHE_SECONDS = 300.0  # as bot/tracker_store.py's: a conversation left alone leaves the memory
_WRAPPED = "_icbot_rule_states"
_PREDICTING: contextvars.ContextVar[Optional[Policy]] = contextvars.ContextVar(
    "predicting", default=None
)
_enabled = False


def enable() -> None:
    """Serve the policies' states from the cache (Rasa's server only)."""
    global _enabled
    _enabled = True


@dataclass
class _Walk:
    """Where Rasa's loop over the prior trackers stands."""

    states: list[State] = field(default_factory=list)
    last_ml_action_sub_state: Optional[SubState] = None
    turn_was_hidden: bool = False


@dataclass
class _Progress:
    """A conversation's events replayed so far, and the states they gave."""

    applied: list[Event]
    replayed: DialogueStateTracker
    walk: _Walk
    events: list[Event] = field(default_factory=list)  # the tracker's, when it gave ``applied``
    loops: set[str] = field(default_factory=set)  # the loops its ActiveLoop events name
    used_at: float = 0.0


@dataclass(frozen=True)
class _Flags:
    omit_unset_slots: bool
    ignore_rule_only_turns: bool
    rule_only_data: Optional[dict[str, Any]]


def _step(
    domain: Domain, walk: _Walk, tracker: DialogueStateTracker, hide: bool, flags: _Flags
) -> None:
    """One turn of Rasa's loop in ``Domain.states_for_tracker_history``, as Rasa 3.6 has it."""
    if flags.ignore_rule_only_turns:
        if not walk.turn_was_hidden:
            walk.last_ml_action_sub_state = domain._get_prev_action_sub_state(tracker)
        if not tracker.followup_action and tracker.latest_action_name != tracker.active_loop_name:
            walk.turn_was_hidden = hide
        if walk.turn_was_hidden:
            return
    state = domain.get_active_state(tracker, omit_unset_slots=flags.omit_unset_slots)
    if flags.ignore_rule_only_turns:
        domain._remove_rule_only_features(state, flags.rule_only_data)
        if walk.states:
            domain._substitute_rule_only_user_input(state, walk.states[-1])
        if walk.last_ml_action_sub_state:
            state[PREVIOUS_ACTION] = walk.last_ml_action_sub_state
    walk.states.append(domain._clean_state(state))


def _extends(done: list[Event], applied: list[Event]) -> bool:
    return len(applied) >= len(done) and all(a is b for a, b in zip(done, applied, strict=False))


# Events after which Rasa's applied events are not the earlier ones and the new ones.
_REWRITING = (Restarted, SessionStarted, ActionReverted, UserUtteranceReverted, ActiveLoop)


def _applied_events(
    tracker: DialogueStateTracker, progress: Optional[_Progress]
) -> tuple[list[Event], list[Event], set[str]]:
    """``tracker.applied_events()``, the tracker's events and the loops they name.

    The applied events are the earlier ones and the new events when that is what
    Rasa would compute, else Rasa's own computation. Rasa drops events undone by
    a restart, a session start, an undo, or a loop's next step (an action of a
    loop that an ``ActiveLoop`` event names, anywhere in the events); new events
    that are none of these (nor an ``ActiveLoop``), after the same earlier
    events, are simply added.
    """
    events = list(tracker.events)
    if progress is not None and len(events) >= len(progress.events):
        done = progress.events
        same = all(a is b for a, b in zip(done, events[: len(done)], strict=True))
        new = events[len(done) :]
        if same and not any(
            isinstance(e, _REWRITING)
            or (isinstance(e, ActionExecuted) and e.action_name in progress.loops)
            for e in new
        ):
            return [*progress.applied, *new], events, progress.loops
    loops = {e.name for e in events if isinstance(e, ActiveLoop) and e.name}
    return tracker.applied_events(), events, loops


def _handed_out(states: list[State]) -> list[State]:
    """Copies of ``states`` that Rasa may change as it changes its own fresh ones.

    Rasa's featurizers delete parts of the states' user parts in place
    (``_choose_last_user_input``, ``_remove_user_text_if_intent``); states
    that shared a user part still share its copy, as in Rasa's own list.
    """
    copies: dict[int, Any] = {}
    handed_out = []
    for state in states:
        user = state.get(USER)
        if user is None:
            handed_out.append(dict(state))
            continue
        if id(user) not in copies:
            copies[id(user)] = dict(user)
        handed_out.append({**state, USER: copies[id(user)]})
    return handed_out


class StatesCache:
    """The progress of recent conversations, per kind of states (least recently used out,
    and any left alone for ``seconds``, as the tracker store's cache)."""

    def __init__(
        self,
        size: int = CACHE_SIZE,
        seconds: float = CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.size = size
        self.seconds = seconds
        self._clock = clock
        self._progress: OrderedDict[tuple[Any, ...], _Progress] = OrderedDict()
        self._lock = threading.Lock()

    def states(
        self,
        domain: Domain,
        tracker: DialogueStateTracker,
        flags: _Flags,
        keep: Optional[int] = None,
    ) -> list[State]:
        """``domain.states_for_tracker_history(tracker, **flags)``, going on from earlier calls;
        the newest ``keep`` of them, when given."""
        data = json.dumps(flags.rule_only_data, sort_keys=True, default=str)
        key = (tracker.sender_id, id(domain), flags.omit_unset_slots)
        key += (flags.ignore_rule_only_turns, data)
        with self._lock:
            progress = self._progress.pop(key, None)
        applied, events, loops = _applied_events(tracker, progress)
        if progress is None or not _extends(progress.applied, applied):
            progress = _Progress(applied=[], replayed=tracker.init_copy(), walk=_Walk())
        for event in applied[len(progress.applied) :]:
            if isinstance(event, ActionExecuted):
                _step(domain, progress.walk, progress.replayed, event.hide_rule_turn, flags)
            progress.replayed.update(event)
        progress.applied, progress.events, progress.loops = applied, events, loops
        walk = progress.walk
        final = _Walk(list(walk.states), walk.last_ml_action_sub_state, walk.turn_was_hidden)
        _step(domain, final, progress.replayed, False, flags)
        progress.used_at = self._clock()
        with self._lock:
            self._progress[key] = progress
            while len(self._progress) > self.size:
                self._progress.popitem(last=False)
            limit = progress.used_at - self.seconds
            while next(iter(self._progress.values())).used_at < limit:
                self._progress.popitem(last=False)
        return _handed_out(final.states[-keep:] if keep else final.states)


CACHE = StatesCache()


@functools.lru_cache(maxsize=8)
def _longest(rule_keys: frozenset[str]) -> int:
    return max((len(RulePolicy._rule_key_to_state(key)) for key in rule_keys), default=0)


def states_needed(policy: RulePolicy) -> int:
    """How many of the newest states the policy's rules can look at, with the margin."""
    keys = frozenset(policy.lookup.get(RULES, {})) | frozenset(
        policy.lookup.get(RULES_FOR_LOOP_UNHAPPY_PATH, {})
    )
    return _longest(keys) + MARGIN


def install() -> None:
    """Patch Rasa (idempotent)."""
    original_history = Domain.states_for_tracker_history
    if getattr(original_history, _WRAPPED, False):
        return
    original_prediction_states = Policy._prediction_states

    @functools.wraps(original_history)
    def states_for_tracker_history(
        self: Domain,
        tracker: DialogueStateTracker,
        omit_unset_slots: bool = False,
        ignore_rule_only_turns: bool = False,
        rule_only_data: Optional[dict[str, Any]] = None,
    ) -> list[State]:
        policy = _PREDICTING.get()
        if policy is None or not _enabled:
            return original_history(
                self, tracker, omit_unset_slots, ignore_rule_only_turns, rule_only_data
            )
        flags = _Flags(omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        rules = isinstance(policy, RulePolicy) and not ignore_rule_only_turns
        return CACHE.states(self, tracker, flags, states_needed(policy) if rules else None)

    @functools.wraps(original_prediction_states)
    def _prediction_states(self: Policy, *args: Any, **kwargs: Any) -> list[State]:
        token = _PREDICTING.set(self)
        try:
            return original_prediction_states(self, *args, **kwargs)
        finally:
            _PREDICTING.reset(token)

    setattr(states_for_tracker_history, _WRAPPED, True)
    Domain.states_for_tracker_history = states_for_tracker_history  # type: ignore[method-assign]
    Policy._prediction_states = _prediction_states  # type: ignore[method-assign]
