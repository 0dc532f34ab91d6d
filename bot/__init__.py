"""Rasa-side Python of icbot: custom graph components, the gateway's channel, the response
generator; run in the rasa env only.

Nothing here imports ``crm_backend``, ``actions`` or ``channels``: the bot and
the CRM meet only over the action server's HTTP webhook.
"""

from bot.speedups import install as _install_speedups
from bot.strict_store import install as _install_strict_store

_install_speedups()
# Before any turn: `python -m bot.serve` imports this package first.
_install_strict_store()
