"""Alembic's entry point: run the CRM migrations against the configured database.

The database comes, in this order, from a connection handed over in
``config.attributes["connection"]`` (tests), the ``sqlalchemy.url`` option
(``crm_backend.cli.database`` sets it), or ``DATABASE_URL`` through
:class:`~crm_backend.settings.CrmSettings`.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection, pool

from crm_backend.db import build_engine
from crm_backend.models import Base
from crm_backend.models.base import UtcDateTime
from crm_backend.settings import CrmSettings

config = context.config
target_metadata = Base.metadata


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | bool:
    """Render our column types as plain SQLAlchemy ones, so migrations never import models."""
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _configure(**kwargs: Any) -> None:
    context.configure(
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite can only ALTER a table by copying it
        compare_type=True,
        render_item=render_item,
        **kwargs,
    )


def database_url() -> str:
    """The URL to migrate: the config's option if set, else ``DATABASE_URL``."""
    return config.get_main_option("sqlalchemy.url") or CrmSettings.from_env().database_url


def run_migrations_offline() -> None:
    """Write the SQL to stdout instead of running it (``alembic upgrade --sql``)."""
    _configure(url=database_url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def _run_on(connection: Connection) -> None:
    _configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on a live connection."""
    given = config.attributes.get("connection")
    if given is not None:
        _run_on(given)
        return
    engine = build_engine(database_url(), poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            _run_on(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
