"""What every door shares: the app's parts, and CRM work off the event loop.

:func:`channels.app.create_app` keeps the parts on ``app.state``; a door gets
the ones every door uses through these functions, as FastAPI dependencies
(``Depends(uow_factory)``) or called with the request (a room reads its own
parts, such as the desk's actions, itself). The CRM is synchronous: :func:`in_thread` runs its work
in a worker thread and names a database that cannot be reached.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from anyio import CapacityLimiter, to_thread
from fastapi import Request
from sqlalchemy.exc import InterfaceError, OperationalError

from crm_backend.errors import CrmUnavailable
from crm_backend.models import utcnow
from crm_backend.uow import SqlAlchemyUnitOfWork

from .conversations.live import LiveUpdates
from .conversations.rasa_client import RasaClient
from .settings import GatewaySettings

T = TypeVar("T")
UowFactory = Callable[[], SqlAlchemyUnitOfWork]


async def in_thread(function: Callable[[], T], *, limiter: CapacityLimiter | None = None) -> T:
    """Run CRM work in a worker thread; a database that cannot be reached is ``CrmUnavailable``.

    ``limiter`` bounds how many such calls run at once; by default, anyio's shared one.

    Raises:
        CrmUnavailable: the database cannot be reached.
    """
    try:
        return await to_thread.run_sync(function, limiter=limiter)
    except (OperationalError, InterfaceError) as exc:
        raise CrmUnavailable("the database cannot be reached") from exc


def gateway_settings(request: Request) -> GatewaySettings:
    """The app's settings."""
    settings: GatewaySettings = request.app.state.settings
    return settings


def uow_factory(request: Request) -> UowFactory:
    """The app's unit-of-work factory."""
    factory: UowFactory = request.app.state.uow_factory
    return factory


def rasa_client(request: Request) -> RasaClient:
    """The app's shared Rasa client."""
    client: RasaClient = request.app.state.rasa
    return client


def live_updates(request: Request) -> LiveUpdates:
    """The app's wake-up for live views."""
    live: LiveUpdates = request.app.state.live
    return live


def now(request: Request) -> dt.datetime:
    """Now, as the app's clock says (tests set ``app.state.clock``)."""
    clock: Callable[[], dt.datetime] = getattr(request.app.state, "clock", None) or utcnow
    return clock()
