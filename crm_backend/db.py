"""Composition of the database: the engine and the session factory, built on demand.

Nothing here runs at import time: the doors call :func:`build_session_factory`
once at start-up and hand the factory to their units of work.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from .settings import CrmSettings

# Seconds a request waits for another's write lock on SQLite: Twilio gives a
# webhook 15 s in all, so a request gives up (and answers) well before that.
SQLITE_BUSY_TIMEOUT = 5
# A server connection back in the pool this long is pinged before it is used again: the
# server may have restarted, or a firewall dropped it, while it waited.
PING_AFTER_IDLE = 10.0


def build_engine(
    database_url: str, *, ping_after_idle: float = PING_AFTER_IDLE, **kwargs: Any
) -> Engine:
    """An engine for ``database_url``, tuned for SQLite when that is what it is.

    A server database's connection is pinged when it comes out of the pool after
    ``ping_after_idle`` seconds or more in it.
    """
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        # Several threads (the gateway's, the action server's) share one file.
        kwargs.setdefault(
            "connect_args", {"timeout": SQLITE_BUSY_TIMEOUT, "check_same_thread": False}
        )
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_engine(url, **kwargs)
    _ping_when_idle(engine, after=ping_after_idle)
    return engine


def _ping_when_idle(engine: Engine, *, after: float) -> None:
    """Ping a connection on checkout when it sat idle ``after`` seconds or more.

    SQLAlchemy's ``pool_pre_ping`` pings on every checkout: a round trip to
    the server for each transaction, 7-9 % of the gateway's and the action
    server's time on PostgreSQL under ``make bench-scaled``. A connection in
    steady use is not pinged; if the server restarted under it, its first
    statement fails and SQLAlchemy drops every connection older than that
    failure. The action server runs such an action once more, on a fresh
    connection (``actions.runtime.CrmAction.run``); the gateway's turn gets
    the apology.
    """

    @event.listens_for(engine, "checkin")
    def checked_in(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < after:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            # The pool drops this connection and checks out another (up to three times).
            raise DisconnectionError(str(exc)) from exc


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def build_session_factory(settings: CrmSettings | None = None) -> sessionmaker[Session]:
    """The session factory for the configured database."""
    settings = settings or CrmSettings.from_env()
    engine = build_engine(settings.database_url)
    return sessionmaker(bind=engine, expire_on_commit=False)
