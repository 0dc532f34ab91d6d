"""A seeded CRM database for the judge's tests: seeded once, copied for each test."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from crm_backend.db import build_engine
from crm_backend.models import Base
from crm_backend.seed import seed_database
from crm_backend.uow import SqlAlchemyUnitOfWork

TODAY = dt.date(2026, 12, 5)


@dataclass
class Crm:
    """A seeded database: its engine, sessions and units of work."""

    engine: Engine
    sessions: sessionmaker[Session]

    def uow(self) -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(self.sessions)


@pytest.fixture(scope="session")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("converse-seed") / "crm.db"
    engine = build_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    seed_database(sessionmaker(bind=engine), today=TODAY)
    with engine.connect() as connection:
        # Everything into the main file, so that copying the file copies the seed.
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture
def crm(seeded_file: Path, tmp_path: Path) -> Iterator[Crm]:
    """The demo seed in a file of this test's own."""
    path = tmp_path / "crm.db"
    shutil.copy(seeded_file, path)
    engine = build_engine(f"sqlite:///{path}")
    yield Crm(engine=engine, sessions=sessionmaker(bind=engine, expire_on_commit=False))
    engine.dispose()
