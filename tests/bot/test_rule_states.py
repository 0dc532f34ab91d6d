"""The rule policy's newest states are Rasa's own newest states, however the conversation went."""

from __future__ import annotations

from pathlib import Path

import pytest
from random_conversations import conversation as _conversation
from rasa.core.featurizers.tracker_featurizers import MaxHistoryTrackerFeaturizer
from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    Event,
    SessionStarted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

import bot  # noqa: F401 - installs the patch, as Rasa's import of the pipeline does
from bot import rule_states
from languages import DEFAULT, domain_paths

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(domain_paths(DEFAULT))


def _rasas_states(domain: Domain, tracker: DialogueStateTracker, **flags: bool) -> list:
    """Rasa's own, unpatched."""
    original = Domain.states_for_tracker_history.__wrapped__  # type: ignore[attr-defined]
    return original(domain, tracker, **flags)


def _featurized(states: list, *, use_text: bool) -> list:
    """What Rasa's featurizer does to the states it gets, in place (``_choose_last_user_input``)."""
    MaxHistoryTrackerFeaturizer()._choose_last_user_input([states], use_text)
    return states


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("ignore_rule_only_turns", [False, True])
def test_every_call_gives_rasas_states_as_the_conversation_grows(
    domain: Domain, seed: int, ignore_rule_only_turns: bool
) -> None:
    """Prefix after prefix, as Rasa predicts: the cached states are Rasa's, and what the
    featurizer changes in the states handed out never reaches the kept ones."""
    events = _conversation(domain, seed, turns=40)
    cache = rule_states.StatesCache()
    rule_only = {"slots": [domain.slots[0].name], "loops": list(domain.form_names[:1])}
    for end in range(1, len(events) + 1):
        tracker = DialogueStateTracker.from_events("c", events[:end], slots=domain.slots)
        for omit, use_text in ((False, end % 2 == 0), (True, end % 3 == 0)):
            flags = rule_states._Flags(
                omit, ignore_rule_only_turns, rule_only if ignore_rule_only_turns else None
            )
            expected = _rasas_states(
                domain,
                tracker,
                omit_unset_slots=omit,
                ignore_rule_only_turns=ignore_rule_only_turns,
                rule_only_data=flags.rule_only_data,
            )

            got = cache.states(domain, tracker, flags)

            assert got == expected, (seed, end, omit)
            assert _featurized(got, use_text=use_text) == _featurized(expected, use_text=use_text)


def test_a_conversation_that_went_back_is_computed_again(domain: Domain) -> None:
    events: list[Event] = [ActionExecuted("action_session_start"), SessionStarted()]
    for _ in range(5):
        events += [ActionExecuted("action_listen"), UserUttered("hi", {"name": "greet"})]
        events.append(ActionExecuted("utter_greet"))
    cache = rule_states.StatesCache()
    flags = rule_states._Flags(False, False, None)
    longer = DialogueStateTracker.from_events("c", events, slots=domain.slots)
    cache.states(domain, longer, flags)

    shorter = DialogueStateTracker.from_events("c", events[:4], slots=domain.slots)

    assert cache.states(domain, shorter, flags) == _rasas_states(domain, shorter)


def test_only_a_serving_policys_prediction_uses_the_cache(
    domain: Domain, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[Event] = [ActionExecuted("action_session_start"), SessionStarted()]
    for _ in range(30):
        events += [ActionExecuted("action_listen"), UserUttered("hi", {"name": "greet"})]
        events.append(ActionExecuted("utter_greet"))
    tracker = DialogueStateTracker.from_events("c", events, slots=domain.slots)
    rule_policy = RulePolicy.__new__(RulePolicy)
    rule_policy.lookup = {"rules": {"[{}, {}, {}]": "utter_greet"}}
    token = rule_states._PREDICTING.set(rule_policy)
    try:
        before = tracker.past_states(domain)
        monkeypatch.setattr(rule_states, "_enabled", True)  # as rule_states.enable() does
        during = tracker.past_states(domain)
        monkeypatch.setattr(rule_states, "_enabled", False)
    finally:
        rule_states._PREDICTING.reset(token)
    after = tracker.past_states(domain)

    assert len(before) == len(after) == len(_rasas_states(domain, tracker)) > 30
    assert during == _rasas_states(domain, tracker)[-(3 + rule_states.MARGIN) :]


def test_the_rule_policy_looks_at_as_many_states_as_its_longest_rule_and_the_margin() -> None:
    rules = {'[{"prev_action": {"action_name": "..."}}, {}, {}]': "utter_a", "[{}]": "utter_b"}
    policy = RulePolicy.__new__(RulePolicy)
    policy.lookup = {"rules": rules, "rules_for_loop_unhappy_path": {"[{}, {}, {}, {}]": "x"}}

    assert rule_states.states_needed(policy) == 4 + rule_states.MARGIN


@pytest.mark.parametrize("seed", range(8))
def test_the_applied_events_are_rasas_as_the_conversation_grows(domain: Domain, seed: int) -> None:
    events = _conversation(domain, seed, turns=40)
    progress = None
    for end in range(1, len(events) + 1):
        tracker = DialogueStateTracker.from_events("c", events[:end], slots=domain.slots)

        applied, seen, loops = rule_states._applied_events(tracker, progress)

        assert [id(e) for e in applied] == [id(e) for e in tracker.applied_events()], (seed, end)
        progress = rule_states._Progress(applied, tracker.init_copy(), rule_states._Walk())
        progress.events, progress.loops = seen, loops


def test_a_conversation_left_alone_leaves_the_memory(domain: Domain) -> None:
    now = [100.0]
    cache = rule_states.StatesCache(seconds=300, clock=lambda: now[0])
    flags = rule_states._Flags(False, False, None)
    events = _conversation(domain, 1, turns=3)
    for sender in ("c1", "c2"):
        cache.states(domain, DialogueStateTracker.from_events(sender, events), flags)
        now[0] += 200

    cache.states(domain, DialogueStateTracker.from_events("c3", events), flags)

    assert [key[0] for key in cache._progress] == ["c2", "c3"]
