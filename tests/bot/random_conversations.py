"""Random conversations over the domain, to compare icbot's shortcuts with Rasa's own code."""

from __future__ import annotations

import random

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    ConversationPaused,
    ConversationResumed,
    DefinePrevUserUtteredFeaturization,
    Event,
    LoopInterrupted,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)


def conversation(domain: Domain, seed: int, turns: int) -> list[Event]:
    """A random conversation over the domain: forms, slots, undos, restarts, sessions."""
    rng = random.Random(seed)
    slots = [s for s in domain.slots if s.name != "requested_slot"]
    forms = list(domain.form_names)
    actions = [a for a in domain.user_actions if a not in forms]
    events: list[Event] = [ActionExecuted("action_session_start"), SessionStarted()]
    events.append(ActionExecuted("action_listen"))
    for _ in range(turns):
        intent = rng.choice(domain.intents)
        events.append(UserUttered(intent, {"name": intent, "confidence": 1.0}))
        for _ in range(rng.randint(1, 3)):
            roll = rng.random()
            if roll < 0.15 and forms:
                form = rng.choice(forms)
                events += [ActionExecuted(form), ActiveLoop(form)]
                events.append(SlotSet("requested_slot", rng.choice(slots).name))
            elif roll < 0.2:
                events += [ActiveLoop(None), SlotSet("requested_slot", None)]
            elif roll < 0.45:
                slot = rng.choice(slots)
                events.append(SlotSet(slot.name, rng.choice([None, "x", True, 3.0, ["a"]])))
            elif roll < 0.48:
                events.append(ActionReverted())
            elif roll < 0.5:
                events.append(UserUtteranceReverted())
            elif roll < 0.505:
                events.append(Restarted())
            elif roll < 0.51:
                events += [ActionExecuted("action_session_start"), SessionStarted()]
            elif roll < 0.52:
                events.append(LoopInterrupted(rng.random() < 0.5))
            elif roll < 0.525:
                events.append(ConversationPaused())
            elif roll < 0.53:
                events.append(ConversationResumed())
            elif roll < 0.54:
                events.append(DefinePrevUserUtteredFeaturization(rng.random() < 0.5))
            else:
                events.append(ActionExecuted(rng.choice(actions), hide_rule_turn=roll > 0.9))
        events.append(ActionExecuted("action_listen"))
    return events
