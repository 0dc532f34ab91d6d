"""``migrate`` and ``seed``, and what every command needs of the database.

:func:`sessions` gives a command its session factory and closes its
connections at the end; :func:`alembic_config` points the migrations at a
database (the migration tests use it too).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from ..db import build_engine
from ..models import utcnow
from ..seed import SeedOutcome, seed_database
from ..settings import REPO_ROOT, CrmSettings

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


def alembic_config(database_url: str) -> Config:
    """The Alembic configuration of the CRM, pointed at ``database_url``."""
    ini = REPO_ROOT / "alembic.ini"
    config = Config(str(ini)) if ini.exists() else Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # ConfigParser would read "%" as interpolation; URL-encoded passwords contain it.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def shown(database_url: str) -> str:
    """The database URL with its password hidden, for messages."""
    return make_url(database_url).render_as_string(hide_password=True)


@contextmanager
def sessions(settings: CrmSettings) -> Iterator[sessionmaker[Session]]:
    """A session factory for one command; its connections are closed at the end."""
    engine = build_engine(settings.database_url)
    try:
        yield sessionmaker(bind=engine, expire_on_commit=False)
    finally:
        engine.dispose()


def migrate(settings: CrmSettings, out: TextIO) -> None:
    """Upgrade the schema to the newest migration."""
    command.upgrade(alembic_config(settings.database_url), "head")
    print(f"database schema up to date: {shown(settings.database_url)}", file=out)


def seed(settings: CrmSettings, out: TextIO, *, today: dt.date | None) -> None:
    """Migrate, then seed the demo data if the database is empty."""
    migrate(settings, out)
    day = today or utcnow().date()
    with sessions(settings) as factory:
        outcome = seed_database(factory, today=day)
    if outcome == SeedOutcome.SEEDED:
        print(f"demo data: seeded (dates relative to {day.isoformat()})", file=out)
    else:
        print(f"demo data: {outcome}", file=out)
