"""The bot's messages as the gateway passes them on: text, buttons, a custom payload."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Button:
    """A choice the bot offers: what the customer sees and what it sends back.

    As JSON (Rasa's REST channel, a transcript entry's payload) it is
    ``{"title": …, "payload": …}``: :meth:`to_dict` and :meth:`from_dict` convert.
    """

    title: str
    payload: str

    def to_dict(self) -> dict[str, str]:
        """The button as JSON keeps it."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Button:
        """A button read back from JSON; a missing part is empty."""
        return cls(title=str(data.get("title", "")), payload=str(data.get("payload", "")))


@dataclass(frozen=True)
class BotMessage:
    """One message of the bot's answer."""

    text: str
    buttons: tuple[Button, ...] = ()
    custom: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_rest(cls, data: dict[str, Any]) -> BotMessage:
        """Read one message of the channel's answer (the REST channel's format)."""
        buttons = tuple(Button.from_dict(b) for b in data.get("buttons") or ())
        custom = data.get("custom") if isinstance(data.get("custom"), dict) else {}
        return cls(text=str(data.get("text") or ""), buttons=buttons, custom=custom or {})
