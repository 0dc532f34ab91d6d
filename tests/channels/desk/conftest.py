"""Fixtures and helpers of the desk's tests (fake Rasa, real CRM on SQLite).

- ``staff``: two agents (anna, ben) and a manager (boss), password :data:`PASSWORD`;
  ``anna``: the first logged in on ``desk_gateway``'s own client; :func:`logged_in`
  logs anyone in on a client of their own.
- ``desk``: ``desk_gateway`` on Monday at 10:00 in Lyon, with the staff.
- :func:`customer_says`, :func:`handed_off`: the customer of :data:`C1` at the chat door;
  :func:`queue`: the queue as the desk's API shows it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from channels.chat.conversation_ids import ConversationIds
from crm_backend.services import agents
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.channels.conftest import API_TOKEN
from tests.channels.dialer_fakes import FakeClock
from tests.channels.handoff_fakes import DeskBrowser

Uows = Callable[[], SqlAlchemyUnitOfWork]
PASSWORD = "a long password"
# The customer's conversation, issued as the gateway (which shares the token) would.
C1 = ConversationIds.from_token(API_TOKEN).issue()
MONDAY_10 = dt.datetime(2025, 11, 3, 9, 0, tzinfo=dt.UTC)  # 10:00 in Lyon
NEW_CAMPAIGN = {
    "name": "Éclipse trade-up",
    "script": "laptop_upgrade",
    "channel": "phone",
    "starts_on": "2025-11-03",
    "ends_on": "2025-11-28",
    "product_sku": "ECL-3000",
    "offer": "The bag for free",
    "hours_start": "09:00",
    "hours_end": "19:00",
    "max_attempts": "2",
    "retry_delay_minutes": "45",
    "message": "",
}


@pytest.fixture
def staff(uow_factory: Uows) -> dict[str, int]:
    """Two agents and a manager, by name."""
    with uow_factory() as uow:
        ids = {
            name: agents.create_agent(
                uow, username=name, password=PASSWORD, display_name=name.title(), role=role
            ).id
            for name, role in (("anna", "agent"), ("ben", "agent"), ("boss", "manager"))
        }
        uow.commit()
    return ids


@pytest.fixture
def anna(desk_gateway: TestClient, staff: dict[str, int]) -> DeskBrowser:
    browser = DeskBrowser(desk_gateway)
    assert browser.log_in("anna", PASSWORD).status_code == 303
    return browser


def logged_in(desk_gateway: TestClient, username: str) -> DeskBrowser:
    """``username`` logged in with :data:`PASSWORD` on a client of their own."""
    browser = DeskBrowser(TestClient(desk_gateway.app, base_url="https://testserver"))
    assert browser.log_in(username, PASSWORD).status_code == 303
    return browser


def customer_says(client: TestClient, text: str, conversation: str = C1) -> dict:
    response = client.post(f"/api/conversations/{conversation}/messages", json={"text": text})
    assert response.status_code == 200, response.text
    return response.json()


def queue(browser: DeskBrowser) -> list[dict]:
    response = browser.client.get("/desk/api/queue")
    assert response.status_code == 200, response.text
    return response.json()


def handed_off(client: TestClient, text: str = "I want a person") -> int:
    """The customer asks for a person; the id of the handoff (the client is logged in)."""
    customer_says(client, text)
    rows = client.get("/desk/api/queue").json()
    return int(rows[-1]["id"])


@pytest.fixture
def desk(desk_gateway: TestClient, staff: dict[str, int]) -> TestClient:
    """The desk on Monday at 10:00 in Lyon, with the staff."""
    desk_gateway.app.state.clock = FakeClock(MONDAY_10)
    return desk_gateway
