"""What the desk's routes share: the app's parts, CRM calls off the event loop, notices."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from anyio import CapacityLimiter, to_thread
from fastapi import HTTPException, Request
from sqlalchemy.exc import InterfaceError, OperationalError

from crm_backend.errors import CrmUnavailable
from crm_backend.settings import HandoffSettings

from ..conversations.live import LiveUpdates
from ..deps import UowFactory
from .agent_desk import AgentDesk

T = TypeVar("T")

# Notices a redirect may name (?notice=…): fixed words, nothing from the query shown as is.
NOTICES = {
    "taken": "Another agent took that conversation first.",
    "left": "The customer went back to the bot before anybody took the conversation.",
    "not_yours": "That conversation is not yours (any more).",
    "handed_back": "The conversation is back with the bot.",
    "closed": "The conversation is closed.",
    "sent": "Sent.",
    "noted": "Note saved.",
    "sms_failed": "Saved in the transcript, but the SMS could not be sent.",
    "bot_down": "The bot cannot be reached right now: nothing changed, please try again.",
    "invalid": "Please check what you entered.",
    "phone": "This is a phone call: answer the customer on the phone.",
    "logged_out": "You are logged out.",
}


def uows(request: Request) -> UowFactory:
    """The app's unit-of-work factory."""
    factory: UowFactory = request.app.state.uow_factory
    return factory


def agent_desk(request: Request) -> AgentDesk:
    """The app's desk actions."""
    desk: AgentDesk = request.app.state.agent_desk
    return desk


def live(request: Request) -> LiveUpdates:
    """The app's wake-up for live views."""
    updates: LiveUpdates = request.app.state.live
    return updates


def handoff_settings(request: Request) -> HandoffSettings:
    """The handoff rules (wrap-up codes, opening hours)."""
    settings: HandoffSettings = request.app.state.settings.crm.handoff
    return settings


def notice(code: str | None) -> str | None:
    """The words of a known notice code, else nothing."""
    return NOTICES.get(code or "")


async def crm(function: Callable[[], T], *, limiter: CapacityLimiter | None = None) -> T:
    """Run a CRM read or write in a worker thread; a database down is a 503.

    ``limiter`` bounds how many such calls run at once (the login's password
    checks have their own); by default, anyio's shared one.
    """
    try:
        return await to_thread.run_sync(function, limiter=limiter)
    except (CrmUnavailable, OperationalError, InterfaceError) as exc:
        raise HTTPException(status_code=503, detail="The CRM is unavailable.") from exc
