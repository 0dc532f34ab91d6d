"""The identification cue: a message that gives a customer number is the customer identifying.

"hiya um im trying to get into my acount the number is C-100001" read as
``out_of_scope``, and "hello there i'm a customer, my customer number's
C-100001" as ``create_account``: the classifier weighs the words around the
number, and customers say many more words around it than the training data
can show. The number itself is the surest sign there is: only a customer has
one, and the entity extractor finds it by rule. So, placed last among the
classifiers in ``config.yml``, this component makes ``inform`` (identifying
details, step 1 of the inbound process) of a message that holds one of the
configured entities (``entities``: per entity, the intents it overrides) when
the classifier's intent names no task of its own: a greeting, thanks, help,
out of scope, a misunderstanding (``nlu_fallback``), or, for a customer
number, a new account. A message with a task ("my number is C-100001, where
is my order?") keeps its intent; the task's rule identifies the customer
first, with the number already read (``identity_key`` is filled from any
message).

The ranking is kept, with ``inform`` first, so what the classifier thought
stays visible in the tracker and in ``bot.parse``.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_TYPE,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
)
from rasa.shared.nlu.training_data.message import Message

ENTITIES_KEY = "entities"
INFORM = "inform"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class IdentificationCue(GraphComponent):
    """``inform`` for a message that identifies the customer and asks for nothing else."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """No entity is a cue unless named."""
        return {ENTITIES_KEY: {}}

    def __init__(self, config: dict[str, Any]) -> None:
        self.overrides = {
            str(entity): frozenset(str(intent) for intent in intents or [])
            for entity, intents in (config.get(ENTITIES_KEY) or {}).items()
        }

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> IdentificationCue:
        """A cue over the configured entities."""
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        """Relabel, in place, the messages that identify the customer and ask nothing else."""
        for message in messages:
            if self.identifies(message):
                self._inform(message)
        return messages

    def identifies(self, message: Message) -> bool:
        """True when the message holds a cue entity and its intent is one that entity overrides."""
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        found = {str(e.get(ENTITY_ATTRIBUTE_TYPE)) for e in message.get(ENTITIES) or []}
        return any(intent in self.overrides.get(entity, ()) for entity in found)

    @staticmethod
    def _inform(message: Message) -> None:
        # Certain by rule, as the entity that decided it.
        intent = {INTENT_NAME_KEY: INFORM, PREDICTED_CONFIDENCE_KEY: 1.0}
        ranking = [
            r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != INFORM
        ]
        message.set(INTENT, intent, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)
