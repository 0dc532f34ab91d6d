"""Composition of the action server: the CRM's session factory, units of work, degraded answers.

The session factory is built once per process, on the first action that
needs the CRM, from :meth:`CrmSettings.from_env`; importing the actions
connects to nothing, so the server starts (and lists its actions) with the
database down. Tests hand in their own factory with :func:`use_session_factory`.

Actions do not utter (docs/dialogue.md): they set the data to show and the
``result`` slot, and a rule utters ``utter_<action>_result``; for ``result:
technical_problem`` the bot says ``utter_technical_problem`` in its place
(Rasa-side, ``bot/nlg.py``), which apologises and offers an adviser's call back.
Every action that calls the CRM derives from :class:`CrmAction` (or, for a
form, :class:`CrmFormValidationAction`): when the database cannot be reached
it returns that result and logs the traceback. Only
:class:`~crm_backend.errors.CrmUnavailable` is caught here; every other named
error is the action's to translate.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from crm_backend.db import build_session_factory
from crm_backend.errors import CrmUnavailable
from crm_backend.models import utcnow
from crm_backend.settings import CrmSettings
from crm_backend.uow import SqlAlchemyUnitOfWork

logger = logging.getLogger(__name__)

RESULT = "result"
REQUESTED_SLOT = "requested_slot"
TECHNICAL_PROBLEM = "technical_problem"

_lock = threading.Lock()
_session_factory: sessionmaker[Session] | None = None
_settings: CrmSettings | None = None
_clock: Callable[[], dt.datetime] = utcnow

T = TypeVar("T")

# What SQLAlchemy raises when the database cannot be reached or the connection broke.
_UNREACHABLE = (OperationalError, InterfaceError)


def settings() -> CrmSettings:
    """The CRM's settings, read from the environment once per process."""
    global _settings
    with _lock:
        if _settings is None:
            _settings = CrmSettings.from_env()
        return _settings


def session_factory() -> sessionmaker[Session]:
    """The process's session factory, built on first use from the environment."""
    global _session_factory
    crm = settings()
    with _lock:
        if _session_factory is None:
            _session_factory = build_session_factory(crm)
        return _session_factory


def use_session_factory(factory: sessionmaker[Session] | None) -> None:
    """Make the actions use ``factory`` (None: build from the environment on next use)."""
    global _session_factory, _settings
    with _lock:
        _session_factory = factory
        _settings = None


class ActionUnitOfWork(SqlAlchemyUnitOfWork):
    """The CRM's unit of work, with every "database unreachable" error named.

    :class:`SqlAlchemyUnitOfWork` names the errors of ``flush()`` and
    ``commit()``; a read that cannot reach the database raises SQLAlchemy's
    own ``OperationalError``. Leaving the ``with`` block turns those into
    :class:`CrmUnavailable` too, so actions catch one named error.
    """

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            super().__exit__(exc_type, exc, tb)
        except _UNREACHABLE as cleanup_error:
            raise CrmUnavailable("the database cannot be reached") from cleanup_error
        if isinstance(exc, _UNREACHABLE):
            raise CrmUnavailable("the database cannot be reached") from exc


def connection_lost(error: BaseException) -> bool:
    """Whether ``error`` came from a statement whose pooled connection was found dead."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, DBAPIError) and seen.connection_invalidated:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def unit_of_work() -> SqlAlchemyUnitOfWork:
    """A new unit of work on the CRM; use it as a context manager and commit what must stay."""
    return ActionUnitOfWork(session_factory())


def now() -> dt.datetime:
    """The current time, aware, in UTC (tests pin it with :func:`use_clock`)."""
    return _clock()


def today() -> dt.date:
    """The current UTC date."""
    return now().date()


def use_clock(clock: Callable[[], dt.datetime] | None) -> None:
    """Make :func:`now` read ``clock`` (None: the real clock again)."""
    global _clock
    _clock = clock or utcnow


def technical_problem(error: CrmUnavailable) -> list[EventType]:
    """Log the traceback; the events that make the next response apologise and offer a human."""
    logger.error("the CRM is unavailable: %s", error.message, exc_info=error)
    return [SlotSet(RESULT, TECHNICAL_PROBLEM)]


async def run_blocking(function: Callable[..., T], /, *args: Any) -> T:
    """Run a blocking CRM call in a worker thread, so one slow query does not stall the server."""
    return await asyncio.to_thread(function, *args)


class CrmAction(Action, ABC):  # type: ignore[misc]  # rasa_sdk ships no types
    """An action that calls the CRM: it runs in a worker thread and degrades politely.

    Subclasses implement :meth:`name` and :meth:`act`, a plain function that
    reads the tracker, calls one service and returns events.
    """

    @abstractmethod
    def name(self) -> str:
        """The action's name in the domain."""

    @abstractmethod
    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """What the action does; may raise :class:`CrmUnavailable`."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Run :meth:`act`; a CRM that cannot be reached becomes a polite answer.

        A pooled connection found dead (the database restarted since it was
        last used: ``crm_backend.db`` pings only idle ones) has made SQLAlchemy
        drop it and its peers; nothing of the attempt was committed on it, so
        the action runs once more, on a fresh connection, before apologising.
        """
        said = len(dispatcher.messages)
        try:
            return await run_blocking(self.act, dispatcher, tracker, domain)
        except CrmUnavailable as error:
            if not connection_lost(error):
                return self.unavailable_events(tracker, technical_problem(error))
            logger.info("%s: a pooled connection was dead; once more", self.name())
        del dispatcher.messages[said:]
        try:
            return await run_blocking(self.act, dispatcher, tracker, domain)
        except CrmUnavailable as error:
            return self.unavailable_events(tracker, technical_problem(error))

    def unavailable_events(self, tracker: Tracker, events: list[EventType]) -> list[EventType]:
        """The events after a technical problem: by default ``result: technical_problem``."""
        return events


class CrmFormValidationAction(FormValidationAction, ABC):  # type: ignore[misc]
    """A form validator that calls the CRM: a database down stops the form politely.

    Each run of a form starts afresh: when the form starts, a slot of it that
    still holds a value from an earlier run is emptied, unless the customer's
    latest message set it. The action that consumes a form resets its slots
    (docs/dialogue.md §5); this is the safety net for a run that ended
    otherwise (a technical problem): Rasa hands leftovers to the validator as
    "pre-filled", and an order form holding an old ``order_confirmed: True``
    would be done without asking the customer anything.
    """

    #: Whether a new run of the form forgets an earlier run's values (see above).
    start_afresh = True

    @abstractmethod
    def name(self) -> str:
        """The validator's name: ``validate_<form>``."""

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Empty the leftovers of an earlier run when the form starts, then extract."""
        leftovers: list[EventType] = []
        if self.start_afresh and tracker.get_slot(REQUESTED_SLOT) is None:
            fresh = slots_set_by_latest_message(tracker, self.form_name())
            leftovers = [
                SlotSet(slot, None)
                for slot in self.domain_slots(domain)
                if tracker.get_slot(slot) is not None and slot not in fresh
            ]
            tracker.add_slots(leftovers)
        extracted: list[EventType] = await super().get_extraction_events(
            dispatcher, tracker, domain
        )
        return [*leftovers, *extracted]

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Validate; a CRM that cannot be reached ends the form with a polite answer.

        The validation calls the CRM from plain methods; it runs on its own
        event loop in a worker thread, so the server's loop stays free.
        """
        validation = super().run
        try:
            events: list[EventType] = await run_blocking(
                asyncio.run, validation(dispatcher, tracker, domain)
            )
        except CrmUnavailable as error:
            return [*technical_problem(error), ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)]
        return events


def slots_set_by_latest_message(tracker: Tracker, form: str) -> set[str]:
    """The slots set since the customer's latest message, before the form ran.

    Rasa's form, when it calls its validator, appends the slots it found
    filled after an ``ActionExecuted(<form>)`` marker; what came before the
    marker was set by the latest message itself.
    """
    names: set[str] = set()
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user":
            break
        if kind == "action" and event.get("name") == form:
            names.clear()
        elif kind == "slot":
            names.add(str(event.get("name")))
    return names
