"""The words of the notices the queue and conversation pages show after a redirect.

A redirect names a notice by its code (``?notice=taken``); the page shows
the fixed words of a known code and nothing for any other, so nothing from
the query is ever shown as is. The pages of campaigns, call lists and an
agent's calls keep their own codes beside their routes.
"""

from __future__ import annotations

from collections.abc import Mapping

NOTICES = {
    "taken": "Another agent took that conversation first.",
    "left": "The customer went back to the bot before anybody took the conversation.",
    "not_yours": "That conversation is not yours (any more).",
    "handed_back": "The conversation is back with the bot.",
    "closed": "The conversation is closed.",
    "sent": "Sent.",
    "noted": "Note saved.",
    "language_saved": "The customer's preferred language is saved.",
    "sms_failed": "Saved in the transcript, but the SMS could not be sent.",
    "bot_down": "The bot cannot be reached right now: nothing changed, please try again.",
    "invalid": "Please check what you entered.",
    "phone": "This is a phone call: answer the customer on the phone.",
    "logged_out": "You are logged out.",
}


def notice(code: str | None, *, among: Mapping[str, str] = NOTICES) -> str | None:
    """The words of a known code among ``among`` (by default, the queue's), else nothing."""
    return among.get(code or "")
