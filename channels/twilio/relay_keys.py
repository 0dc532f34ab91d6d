"""The keypad on the ConversationRelay door: one key answers a menu, other keys add up.

When the bot's last answer offered at most nine choices, one key answers
it (``N``: the ``N``-th choice, ``0``: a person), as on the ``<Gather>``
door (:func:`~channels.twilio.turns.answer_for_digits`). Otherwise keys add
up to one message (a customer number, a postcode, a quantity): ``#`` sends
them, so does a pause of :data:`PAUSE` seconds; ``*`` starts again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

import anyio

from ..conversations.rasa_client import Button
from .phone_text import MAX_DIGIT_CHOICES
from .turns import answer_for_digits

PAUSE = 3.0
MAX_DIGITS = 32
KEYS = frozenset("0123456789*#")


class Keypad:
    """The keys of one call; ``answer`` gets what they say, once they say something."""

    def __init__(self, answer: Callable[[str], None]) -> None:
        self.answer = answer
        self.digits = ""
        self._offered: Sequence[Button] = ()
        self._timer: asyncio.Task[None] | None = None

    def press(self, key: str, offered: Sequence[Button], *, one_key: bool = False) -> None:
        """The caller pressed ``key`` (one of :data:`KEYS`) after an answer offering ``offered``.

        ``one_key``: a key answers at once whatever was offered (the satisfaction question).
        """
        menu = 0 < len(offered) <= MAX_DIGIT_CHOICES
        if one_key or (menu and not self.digits):
            if key.isdigit():
                self.answer(answer_for_digits(key, offered))
            return
        if key == "#":
            self.send()
        elif key == "*":
            self.clear()
        else:
            self._offered = offered
            self.digits += key
            self._restart_timer()
            if len(self.digits) >= MAX_DIGITS:
                self.send()

    def send(self) -> None:
        """The keys pressed so far, as one message."""
        digits, offered = self.digits, self._offered
        self.clear()
        if digits:
            self.answer(answer_for_digits(digits, offered))

    def clear(self) -> None:
        """Forget the keys pressed so far."""
        self.digits = ""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _restart_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = asyncio.create_task(self._after_pause())

    async def _after_pause(self) -> None:
        await anyio.sleep(PAUSE)
        self._timer = None
        self.send()
