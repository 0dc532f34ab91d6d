"""Fixtures of the CRM tests that need the demo data.

- ``seeded_factory``: sessions on a database seeded for :data:`SEED_DAY`, one per module
  (tests that read it must not write).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from crm_backend.db import build_engine
from crm_backend.models import Base
from crm_backend.seed import SeedOutcome, seed_database
from tests.crm_backend.seed_day import SEED_DAY


def _seeded(path: Path, day: dt.date) -> Iterator[sessionmaker[Session]]:
    engine = build_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    assert seed_database(factory, today=day) == SeedOutcome.SEEDED
    yield factory
    engine.dispose()


@pytest.fixture(scope="module")
def seeded_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sessionmaker[Session]]:
    """A database seeded for SEED_DAY, read-only for the module's tests."""
    yield from _seeded(tmp_path_factory.mktemp("seeded") / "crm.db", SEED_DAY)
