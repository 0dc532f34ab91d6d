"""Rasa-side Python of icbot: custom graph components, the gateway's channel, the response
generator; run in the rasa env only.

Nothing here imports ``crm_backend``, ``actions`` or ``channels``: the bot and
the CRM meet only over the action server's HTTP webhook.
"""

from bot.circuit_breaker import install as _install_circuit_breaker
from bot.remote_actions import install as _install_remote_actions
from bot.rule_states import install as _install_rule_states
from bot.speedups import install as _install_speedups
from bot.strict_store import install as _install_strict_store
from bot.tracker_copy import install as _install_tracker_copy

_install_speedups()
# Before any turn: `python -m bot.serve` imports this package first.
_install_strict_store()
_install_remote_actions()
_install_circuit_breaker()
_install_rule_states()
_install_tracker_copy()
