"""The write guard: a weak guess at an intent that writes to the CRM becomes ``nlu_fallback``.

An order, a quote, a contact change, a preference, do-not-contact, a
cancellation or a new account must never start from a misunderstanding:
"add milk to the shopping list" once reached ``stop_contact``. Rasa's
FallbackClassifier applies one bar to every intent; this one, placed after
it in ``config.yml``, applies a higher bar (``threshold``: the confidence,
``ambiguity_threshold``: the lead over the second intent) to the intents it
names (``intents``), and only to those. An intent may also need a domain cue
(``cues``: a regular expression per intent, e.g. a word about calls, messages
or lists for ``stop_contact``): "stop the music" is no request to stop
contacting anyone, however confident the classifier is. Below it the message is
``nlu_fallback`` with the ranking kept, so ``action_clarify`` asks a yes/no
question that names the action ("Do you want me to take you off our
marketing lists?"), and only a yes does it.

A writing intent is held back too when the message names another company,
service or trade (``third_parties``: the language's list, one name per line in
``data/<lang>/third_parties.txt``): "cancel my Netflix subscription", "change
my address at EDF", "un devis de déménageur" are requests to someone else,
however much they sound like ours. E-mail and web addresses are left out of
that reading ("...@gmail.com" names no one).

``config.yml``'s ``intents`` list is the one list of writing intents:
``tools/nlu_report.py`` reads it, and a test checks that the domain has a
question for each.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.tokenizer import folded

INTENTS_KEY = "intents"
CUES_KEY = "cues"
THIRD_PARTIES_KEY = "third_parties"

# E-mail and web addresses: their domains are no company named ("...@orange.fr").
_ADDRESSES = re.compile(r"\S*@\S+|\bhttps?://\S+|\bwww\.\S+", re.IGNORECASE)


def compile_cues(cues: dict[str, Any] | None) -> dict[str, re.Pattern[str]]:
    """``config.yml``'s cues: per writing intent, a regular expression its message must match."""
    return {str(k): re.compile(str(v), re.IGNORECASE) for k, v in (cues or {}).items()}


def lacks_cue(cues: dict[str, re.Pattern[str]], intent: str | None, text: str) -> bool:
    """True when ``intent`` has a cue and ``text`` says none of its words."""
    pattern = cues.get(intent or "")
    return pattern is not None and pattern.search(text or "") is None


def compile_third_parties(names: list[str] | None) -> re.Pattern[str] | None:
    """One pattern for the names, read without case or accents, as whole words."""
    plain = sorted({folded(str(n)).strip() for n in names or [] if str(n).strip()}, key=len)
    if not plain:
        return None
    spelled = "|".join(r"\s+".join(map(re.escape, n.split())) for n in reversed(plain))
    return re.compile(rf"(?<![a-z0-9])(?:{spelled})(?![a-z0-9])")


def names_third_party(pattern: re.Pattern[str] | None, text: str) -> bool:
    """True when ``text`` names one of the other companies, services or trades."""
    if pattern is None:
        return False
    return pattern.search(folded(_ADDRESSES.sub(" ", text or ""))) is not None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class WriteGuard(FallbackClassifier):
    """FallbackClassifier's test, with its own bars, for the writing intents alone."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """No intent guarded unless named; the bars of a confident, clear prediction."""
        return {
            INTENTS_KEY: [],
            CUES_KEY: {},
            THIRD_PARTIES_KEY: [],
            "threshold": 0.8,
            "ambiguity_threshold": 0.3,
        }

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self.guarded = frozenset(str(name) for name in config.get(INTENTS_KEY) or [])
        self.cues = compile_cues(config.get(CUES_KEY))
        self.third_parties = compile_third_parties(config.get(THIRD_PARTIES_KEY))

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> WriteGuard:
        """A guard over the configured intents."""
        return cls(config)

    def _should_fallback(self, message: Message) -> bool:
        intent = (message.data.get(INTENT) or {}).get(INTENT_NAME_KEY)
        if intent not in self.guarded:
            return False
        text = str(message.get(TEXT) or "")
        return (
            super()._should_fallback(message)
            or lacks_cue(self.cues, intent, text)
            or names_third_party(self.third_parties, text)
        )
