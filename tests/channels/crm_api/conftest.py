"""Fixtures of the CRM API tests.

- ``live_seeded_factory``: sessions on a database seeded for the real today,
  shared by the session (the API's services read the clock); tests must not write.
- ``client``: the CRM router alone in an app, on that database, with :data:`TOKEN`;
  ``ids``: its account ids by customer number.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from channels.crm_api.routes import create_router
from crm_backend.db import build_engine
from crm_backend.models import Account, Base, utcnow
from crm_backend.seed import SeedOutcome, seed_database
from crm_backend.uow import SqlAlchemyUnitOfWork

TOKEN = "test-token-123"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def api_client(sessions: sessionmaker[Session]) -> TestClient:
    """A client of an app that holds only the CRM router, on ``sessions``."""
    app = FastAPI()
    app.include_router(
        create_router(uow_factory=lambda: SqlAlchemyUnitOfWork(sessions), api_token=TOKEN)
    )
    return TestClient(app)


@pytest.fixture(scope="session")
def live_seeded_factory(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[sessionmaker[Session]]:
    """A database seeded for the real today, read-only for every test that uses it."""
    engine = build_engine(f"sqlite:///{tmp_path_factory.mktemp('live') / 'crm.db'}")
    Base.metadata.create_all(engine)
    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    assert seed_database(sessions, today=utcnow().date()) == SeedOutcome.SEEDED
    yield sessions
    engine.dispose()


@pytest.fixture(scope="module")
def client(live_seeded_factory: sessionmaker[Session]) -> Iterator[TestClient]:
    """The CRM API on the seeded database."""
    with api_client(live_seeded_factory) as opened:
        yield opened


@pytest.fixture(scope="module")
def ids(live_seeded_factory: sessionmaker[Session]) -> dict[str, int]:
    """Account ids by customer number."""
    with live_seeded_factory() as session:
        return {a.customer_number: a.id for a in session.scalars(select(Account))}
