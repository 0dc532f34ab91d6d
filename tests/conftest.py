"""Fixtures every test package can use: databases and units of work.

- ``session_factory``: a fresh SQLite file in ``tmp_path`` with every table created.
- ``uow_factory``: makes a new ``SqlAlchemyUnitOfWork`` on that database (one per
  transaction or thread).
- ``uow``: one open ``SqlAlchemyUnitOfWork`` on it, closed after the test.
- ``fake_uow``: an in-memory ``FakeUnitOfWork`` (``tests/fakes.py``).
- ``any_uow``: the test runs twice, on the fake and on SQLite.

Package-specific fixtures belong in that package's ``conftest.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from crm_backend.db import build_engine
from crm_backend.models import Base
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.fakes import FakeUnitOfWork


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """The URL of an empty SQLite file for this test."""
    return f"sqlite:///{tmp_path / 'crm.db'}"


@pytest.fixture
def session_factory(database_url: str) -> Iterator[sessionmaker[Session]]:
    """Sessions on a fresh SQLite database with every table created."""
    engine = build_engine(database_url)
    Base.metadata.create_all(engine)
    yield sessionmaker(bind=engine, expire_on_commit=False)
    engine.dispose()


@pytest.fixture
def uow_factory(
    session_factory: sessionmaker[Session],
) -> Callable[[], SqlAlchemyUnitOfWork]:
    """Makes a new unit of work on the test database each time it is called."""
    return lambda: SqlAlchemyUnitOfWork(session_factory)


@pytest.fixture
def uow(uow_factory: Callable[[], SqlAlchemyUnitOfWork]) -> Iterator[SqlAlchemyUnitOfWork]:
    """One open unit of work on the test database."""
    with uow_factory() as opened:
        yield opened


@pytest.fixture
def fake_uow() -> Iterator[FakeUnitOfWork]:
    """An open in-memory unit of work."""
    with FakeUnitOfWork() as opened:
        yield opened


@pytest.fixture(params=["fake", "sqlite"])
def any_uow(request: pytest.FixtureRequest) -> FakeUnitOfWork | SqlAlchemyUnitOfWork:
    """The fake unit of work, then the SQLite one: the same test proves both."""
    name = "fake_uow" if request.param == "fake" else "uow"
    opened: FakeUnitOfWork | SqlAlchemyUnitOfWork = request.getfixturevalue(name)
    return opened
