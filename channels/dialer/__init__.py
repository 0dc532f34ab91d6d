"""The dialer: works the bot's active call lists through the outbound Twilio client.

``python -m channels.dialer`` runs it as a process of its own, beside the
gateway (which receives the calls' webhooks); ``--once`` runs one round.
Each round, on the clock it is given:

1. **Reconcile.** A claim left unconfirmed for ``ICBOT_DIALER_CLAIM_TIMEOUT``
   (a dialer stopped between claiming and hearing back from Twilio) is
   looked up in Twilio's log of our calls (or texts) to that number since
   the claim: one found is adopted, none puts the entry back, Twilio
   unreachable leaves it for the next round. A call whose end never arrived
   within ``ICBOT_DIALER_CALL_TIMEOUT`` is fetched by its sid and ended
   from Twilio's record.
2. **Call.** While fewer than ``ICBOT_DIALER_CONCURRENCY`` calls are under
   way (held entries, counted in the database, so across restarts), take
   the most urgent due entry (inside its calling hours, in the customer's
   local time), claim it and commit, read consent again, then ask Twilio
   to call, with the voice and status URLs carrying the entry
   (docs/outbound.md). The entry stays ``calling`` until the status
   callback ends it.
3. **Text.** SMS campaigns' entries get the campaign's message, at most
   ``ICBOT_SMS_PER_SECOND``.

Nobody is called twice: an entry is claimed by a conditional update before
Twilio is asked, and a claim whose outcome is unknown is resolved from
Twilio's log, never by calling again.
"""

from .cli import main
from .rounds import Dialer, Round

__all__ = ["Dialer", "Round", "main"]
