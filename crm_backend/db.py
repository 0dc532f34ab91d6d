"""Composition of the database: the engine and the session factory, built on demand.

Nothing here runs at import time: the doors call :func:`build_session_factory`
once at start-up and hand the factory to their units of work.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from .settings import CrmSettings

# Seconds a request waits for another's write lock on SQLite: Twilio gives a
# webhook 15 s in all, so a request gives up (and answers) well before that.
SQLITE_BUSY_TIMEOUT = 5


def build_engine(database_url: str, **kwargs: Any) -> Engine:
    """An engine for ``database_url``, tuned for SQLite when that is what it is."""
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
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


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
