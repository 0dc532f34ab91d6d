"""Fixtures of the gateway tests: settings on a temporary var/ folder and the app on SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from channels.app import create_app
from channels.settings import GatewaySettings
from crm_backend.settings import CrmSettings

API_TOKEN = "gateway-test-token"


@pytest.fixture
def gateway_settings(tmp_path: Path, database_url: str) -> GatewaySettings:
    """Settings with the integration token set, a var/ folder in tmp_path, and the test DB."""
    crm = CrmSettings(database_url=database_url, var_dir=tmp_path / "var")
    return GatewaySettings(crm=crm, api_token=API_TOKEN, health_timeout=1.0)


@pytest.fixture
def gateway(
    gateway_settings: GatewaySettings, session_factory: sessionmaker[Session]
) -> Iterator[TestClient]:
    """The gateway app on the (empty, migrated) test database, started and stopped."""
    with TestClient(create_app(gateway_settings, session_factory)) as client:
        yield client
