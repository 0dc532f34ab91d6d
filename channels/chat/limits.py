"""The chat API's limits per anonymous client, counted before any work (issue 10 #5).

Rules come from :class:`channels.limits.LimitSettings` (``ICBOT_LIMIT_*``):

- ``conversations``: new conversations a client may start;
- ``messages`` per client and ``conversation_messages`` per conversation:
  a message over either is refused with 429 and nothing is stored or sent;
- ``handoffs``: conversations a client may hand to a person. The gateway
  does not refuse the message: it tells the bot (``handoff_allowed: false``
  in the message's metadata, which no client can set) and the bot offers a
  call back instead of queuing, so a flood of fresh conversations asking for
  a person never reaches the desk's queue;
- ``open_polls``: long polls (``wait`` > 0) a client may hold open at once,
  counted in this gateway process.

Requests with the integration token are not counted: they are our own
integrations and load generators, and name their own conversations.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ..limits import RateLimited, RateLimits

# Namespaces of the counters in the shared storage.
NEW_CONVERSATION = "chat-conversations"
MESSAGE = "chat-messages"
CONVERSATION_MESSAGE = "chat-conversation-messages"
HANDOFF = "chat-handoffs"
# What a refused long poll is told: about when one of its others has ended.
POLL_RETRY_SECONDS = 5.0
# The flag the bot reads in a message's metadata (actions/handoff.py).
HANDOFF_ALLOWED = "handoff_allowed"


def require_new_conversation(limits: RateLimits, *, client: str) -> None:
    """Count a new conversation for ``client``.

    Raises:
        RateLimited: the client started too many.
    """
    limits.require(
        limits.settings.conversations,
        NEW_CONVERSATION,
        client,
        detail="Too many new conversations from this client",
    )


def require_message(limits: RateLimits, *, client: str, conversation_id: str) -> None:
    """Count a message of ``client`` in ``conversation_id``; nothing is counted when refused.

    Raises:
        RateLimited: the client, or the conversation, sent too many.
    """
    rules = limits.settings
    checks = (
        (rules.messages, MESSAGE, client, "Too many messages from this client"),
        (
            rules.conversation_messages,
            CONVERSATION_MESSAGE,
            conversation_id,
            "Too many messages in this conversation",
        ),
    )
    for rule, namespace, key, detail in checks:
        if not limits.allows(rule, namespace, key):
            raise RateLimited(limits.wait(rule, namespace, key), detail)
    for rule, namespace, key, _detail in checks:
        limits.hit(rule, namespace, key)


def handoff_allowed(limits: RateLimits, *, client: str) -> bool:
    """Whether ``client`` may still hand a conversation to a person."""
    return limits.allows(limits.settings.handoffs, HANDOFF, client)


def count_handoff(limits: RateLimits, *, client: str) -> None:
    """Count a conversation ``client`` handed to a person."""
    limits.hit(limits.settings.handoffs, HANDOFF, client)


class OpenPolls:
    """The long polls open now, per client, in this gateway process."""

    def __init__(self) -> None:
        self._open: dict[str, int] = {}

    @contextmanager
    def held(self, client: str, *, cap: int) -> Iterator[None]:
        """Hold one of ``client``'s ``cap`` polls while the block runs.

        Raises:
            RateLimited: the client has ``cap`` polls open already.
        """
        if self._open.get(client, 0) >= cap:
            raise RateLimited(POLL_RETRY_SECONDS, "Too many open polls from this client")
        self._open[client] = self._open.get(client, 0) + 1
        try:
            yield
        finally:
            self._open[client] -= 1
            if not self._open[client]:
                del self._open[client]

    def count(self, client: str) -> int:
        """How many polls ``client`` has open."""
        return self._open.get(client, 0)
