"""Fixtures of the action tests: a real seeded CRM, a pinned clock, trackers and dispatchers.

- ``crm``: sessions on a fresh copy of a database seeded for :data:`CALL_DAY`;
  the actions use it (through :func:`actions.runtime.use_session_factory`)
  and may commit. Seeding happens once per session; each test gets a copy.
- The actions' clock reads :data:`CALL_START` in every test.
- ``down``: the actions' database cannot be reached.
- ``pierre``: Pierre Moreau's account (C-100001) in the test's database;
  ``seeded_account("C-100002")`` finds another.
- ``domain``: the real domain (``domain/``, its files merged), as Rasa sends it to validators.
- ``dispatcher``: a fresh ``CollectingDispatcher``.

Trackers, entities and what was said are built and read with :mod:`tests.actions.trackers`.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

from actions import runtime
from crm_backend.db import build_engine
from crm_backend.models import Base
from crm_backend.seed import SeedOutcome, seed_database
from crm_backend.services import accounts
from crm_backend.uow import SqlAlchemyUnitOfWork
from storylab.checks import DOMAIN, read_domain
from tests.actions.trackers import CALL_DAY, CALL_START


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file seeded for CALL_DAY, copied by every test that needs the CRM."""
    path = tmp_path_factory.mktemp("actions-seed") / "template.db"
    engine = build_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    assert seed_database(sessionmaker(bind=engine), today=CALL_DAY) == SeedOutcome.SEEDED
    engine.dispose()  # the last connection checkpoints the WAL into the file
    return path


@pytest.fixture
def crm(seeded_template: Path, tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    """Sessions on this test's own copy of the seeded database, which the actions use."""
    path = tmp_path / "crm.db"
    shutil.copyfile(seeded_template, path)
    engine = build_engine(f"sqlite:///{path}")
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    runtime.use_session_factory(factory)
    yield factory
    runtime.use_session_factory(None)
    engine.dispose()


@pytest.fixture(autouse=True)
def pinned_clock() -> Iterator[dt.datetime]:
    """The actions' clock stands still at CALL_START."""
    runtime.use_clock(lambda: CALL_START)
    yield CALL_START
    runtime.use_clock(None)


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    """A dispatcher that collects what the action says."""
    return CollectingDispatcher()


@pytest.fixture
def down(tmp_path: Path) -> Iterator[None]:
    """The actions' database cannot be reached (its folder does not exist)."""
    engine = create_engine(f"sqlite:///{tmp_path / 'missing' / 'crm.db'}")
    runtime.use_session_factory(sessionmaker(bind=engine))
    yield
    runtime.use_session_factory(None)
    engine.dispose()


@dataclass(frozen=True)
class Known:
    """An account of the seed, as the tests refer to it."""

    id: int
    name: str
    customer_number: str


@pytest.fixture
def pierre(crm: sessionmaker[Session]) -> Known:
    """Pierre Moreau's account (C-100001) in the test's database."""
    return known(crm, "C-100001")


@pytest.fixture
def seeded_account(crm: sessionmaker[Session]) -> Callable[[str], Known]:
    """Finds a seeded account by customer number: ``seeded_account("C-100002")``."""
    return lambda customer_number: known(crm, customer_number)


def known(crm: sessionmaker[Session], customer_number: str) -> Known:
    with SqlAlchemyUnitOfWork(crm) as uow:
        account = accounts.get_account_by_number(uow, customer_number=customer_number)
        return Known(account.id, account.name, account.customer_number)


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """The bot's real domain, as the action server receives it: one mapping of every file."""
    return read_domain(DOMAIN)
