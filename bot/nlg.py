"""The bot's response generator: Rasa's own, with one apology for every action's technical problem.

An action that cannot reach the CRM sets ``result: technical_problem``
(:mod:`actions.runtime`), and the rule after it utters the action's
``utter_<action>_result`` as after any other outcome (docs/dialogue.md §1).
Those responses hold no variation for that outcome: the words of the apology
exist once, in ``utter_technical_problem`` (``domain/conversation.yml``).
So where a result response has nothing to say for ``technical_problem``,
this generator says the apology in its place, in the variation the slots
select (per channel, should it ever get channel wording). A result response
that does have words for it (a variation, or a default such as the goodbye
of ``utter_close_interaction_result``) keeps them, and every other response
is Rasa's as ever.

``endpoints.yml`` names it (``nlg: type: bot.nlg.ApologyInPlaceGenerator``);
Rasa gives it the model's domain on every model load.
"""

from __future__ import annotations

from typing import Any, Optional

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.utils.endpoints import EndpointConfig

APOLOGY = "utter_technical_problem"
RESULT_SLOT = "result"
TECHNICAL_PROBLEM = "technical_problem"


def is_result_response(name: str) -> bool:
    """Whether the response says an action's outcome: ``utter_<action>_result``."""
    return name.startswith("utter_") and name.endswith("_result")


class ApologyInPlaceGenerator(TemplatedNaturalLanguageGenerator):
    """Rasa's templated generator; a result response silent on a technical problem apologises."""

    def __init__(
        self, endpoint_config: Optional[EndpointConfig] = None, domain: Optional[Domain] = None
    ) -> None:
        # Rasa's custom-generator signature; the endpoint's other settings are unused.
        super().__init__((domain or Domain.empty()).responses)

    def generate_from_slots(
        self,
        utter_action: str,
        filled_slots: dict[str, Any],
        output_channel: str,
        **kwargs: Any,
    ) -> Optional[dict[str, Any]]:
        """The response's variation for the slots, or the apology in place of a silent result."""
        message = super().generate_from_slots(utter_action, filled_slots, output_channel, **kwargs)
        if (
            message is None
            and is_result_response(utter_action)
            and filled_slots.get(RESULT_SLOT) == TECHNICAL_PROBLEM
        ):
            return super().generate_from_slots(APOLOGY, filled_slots, output_channel, **kwargs)
        return message
