"""The CRM API's routes on a seeded SQLite database: searches, the token rule, errors."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session, sessionmaker

from channels.crm_api.routes import http_error
from crm_backend import errors
from crm_backend.db import build_engine
from crm_backend.models import Base, CallListEntry
from crm_backend.services import follow_up
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.channels.crm_api.conftest import AUTH, TOKEN, api_client

NO_TOKEN = {"detail": "a valid API token is required: Authorization: Bearer <token>"}


# --- accounts ------------------------------------------------------------------------------


def test_phone_with_token_finds_pierre_moreau(client: TestClient, ids: dict[str, int]) -> None:
    response = client.get("/api/accounts?phone=%2B33612345678", headers=AUTH)

    assert response.status_code == 200
    assert response.json() == [
        {
            "id": ids["C-100001"],
            "customer_number": "C-100001",
            "kind": "person",
            "name": "Pierre Moreau",
            "postcode": "69002",
            "city": "Lyon",
            "primary_phone": "+33612345678",
            "primary_email": "pierre.moreau@example.fr",
        }
    ]


@pytest.mark.parametrize(
    "phone", ["%2B33612345678", "0612345678", "06%2012%2034%2056%2078", "%2B33%206-12-34-56-78"]
)
def test_phone_is_normalised_before_the_search(client: TestClient, phone: str) -> None:
    response = client.get(f"/api/accounts?phone={phone}", headers=AUTH)

    assert [a["customer_number"] for a in response.json()] == ["C-100001"]


def test_without_token_the_answer_is_401_and_no_data(client: TestClient) -> None:
    response = client.get("/api/accounts?phone=%2B33612345678")

    assert response.status_code == 401
    assert response.json() == NO_TOKEN
    assert response.headers["www-authenticate"] == "Bearer"
    assert "Moreau" not in response.text


@pytest.mark.parametrize(
    "authorization", ["Bearer wrong-token", f"Basic {TOKEN}", TOKEN, "Bearer ", f"Bearer {TOKEN}x"]
)
def test_a_wrong_token_is_no_token(client: TestClient, authorization: str) -> None:
    response = client.get(
        "/api/accounts?phone=%2B33612345678", headers={"Authorization": authorization}
    )

    assert (response.status_code, response.json()) == (401, NO_TOKEN)


def test_unknown_email_is_an_empty_list(client: TestClient) -> None:
    response = client.get("/api/accounts?email=nobody@example.com", headers=AUTH)

    assert (response.status_code, response.json()) == (200, [])


def test_email_ignores_case(client: TestClient) -> None:
    response = client.get("/api/accounts?email=Pierre.Moreau@EXAMPLE.fr", headers=AUTH)

    assert [a["name"] for a in response.json()] == ["Pierre Moreau"]


def test_name_search_ignores_accents_and_case(client: TestClient) -> None:
    response = client.get("/api/accounts?q=MOREAU", headers=AUTH)

    assert [a["customer_number"] for a in response.json()] == ["C-100001"]


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("phone=not-a-number", "phone 'not-a-number' is not valid"),
        ("phone=12", "phone '12' is not valid"),
        ("email=not-an-email", "email 'not-an-email' is not valid"),
        ("", "give at least one of phone, email or q"),
        ("q=%20", "give at least one of phone, email or q"),
    ],
)
def test_a_malformed_search_is_422_with_a_reason(
    client: TestClient, query: str, reason: str
) -> None:
    response = client.get(f"/api/accounts?{query}", headers=AUTH)

    assert (response.status_code, response.json()) == (422, {"detail": reason})


def test_unknown_account_is_404_with_a_reason(client: TestClient) -> None:
    response = client.get("/api/accounts/999999", headers=AUTH)

    assert (response.status_code, response.json()) == (404, {"detail": "account 999999 not found"})


# --- catalog ---------------------------------------------------------------------------------


def _by_sku(products: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {p["sku"]: p for p in products}


def test_eclipse_search_is_public_with_accessories_and_alternatives(client: TestClient) -> None:
    response = client.get("/api/products?q=eclipse")

    assert response.status_code == 200
    laptop = _by_sku(response.json())["ECL-3000"]
    assert laptop["name"] == "Éclipse 3000"
    assert {"cpu", "ram", "storage", "screen", "weight", "battery_life"} <= set(laptop["specs"])
    assert (laptop["list_price"], laptop["currency"]) == ("1299.00", "EUR")
    assert laptop["stock"] > 0
    assert [a["sku"] for a in laptop["accessories"][:2]] == ["BAG-ECL", "BAT-ECL3000"]
    alternatives = laptop["alternatives"]
    assert len(alternatives) >= 2
    assert any(Decimal(a["list_price"]) < Decimal(laptop["list_price"]) for a in alternatives)


@pytest.mark.parametrize("q", ["ÉCLIPSE", "eclipse 3000", "Éclipse 3000", "ECLIPSE LAPTOP"])
def test_product_search_ignores_accents_and_case(client: TestClient, q: str) -> None:
    response = client.get("/api/products", params={"q": q})

    assert "ECL-3000" in _by_sku(response.json())


def test_unknown_sku_is_404_with_a_reason(client: TestClient) -> None:
    response = client.get("/api/products/NOPE-1")

    assert (response.status_code, response.json()) == (404, {"detail": "product NOPE-1 not found"})


def test_products_without_query_lists_only_active_products(client: TestClient) -> None:
    skus = _by_sku(client.get("/api/products").json())

    assert len(skus) >= 20
    assert "ECL-1000" not in skus


# --- sales -----------------------------------------------------------------------------------


def test_unknown_order_is_404_with_a_reason(client: TestClient) -> None:
    response = client.get("/api/orders/NOPE", headers=AUTH)

    assert (response.status_code, response.json()) == (404, {"detail": "order NOPE not found"})


def test_quotes_of_an_account_and_by_number(client: TestClient, ids: dict[str, int]) -> None:
    response = client.get(f"/api/quotes?account_id={ids['C-100005']}", headers=AUTH)

    assert response.status_code == 200
    [quote] = response.json()
    assert (quote["number"], quote["status"]) == ("Q-000001", "open")
    assert [line["product"]["sku"] for line in quote["lines"]] == ["ECL-3000", "BAG-ECL"]
    assert client.get("/api/quotes/Q-000001", headers=AUTH).json() == quote
    missing = client.get("/api/quotes/Q-999999", headers=AUTH)
    assert (missing.status_code, missing.json()) == (404, {"detail": "quote Q-999999 not found"})


# --- marketing and follow-up -----------------------------------------------------------


@pytest.fixture(scope="module")
def campaign_lead_account(live_seeded_factory: sessionmaker[Session]) -> int:
    """The account the bot reached on the call list, where a hot lead was created."""
    with live_seeded_factory() as session:
        entry = session.scalars(
            select(CallListEntry).where(CallListEntry.outcome == "lead_created")
        ).one()
        return entry.account_id


def test_leads_activities_and_interactions_of_an_account(
    client: TestClient, campaign_lead_account: int
) -> None:
    query = f"account_id={campaign_lead_account}"

    leads = client.get(f"/api/leads?{query}", headers=AUTH).json()
    activities = client.get(f"/api/activities?{query}", headers=AUTH).json()
    interactions = client.get(f"/api/interactions?{query}", headers=AUTH).json()

    assert [(x["level"], x["status"], x["product"]["sku"]) for x in leads] == [
        ("hot", "qualified", "ECL-3000")
    ]
    assert ("callback", "open") in {(a["kind"], a["status"]) for a in activities}
    assert ("outbound", "lead_created") in {(i["direction"], i["outcome"]) for i in interactions}


def test_feedback_of_every_contact_anonymous_ones_too(tmp_path: Path) -> None:
    engine = build_engine(f"sqlite:///{tmp_path / 'feedback.db'}")
    Base.metadata.create_all(engine)
    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    with SqlAlchemyUnitOfWork(sessions) as uow:
        follow_up.record_feedback(
            uow, conversation_id="sms-1", channel="sms", words="the courier was very kind"
        )
        uow.commit()

    with api_client(sessions) as opened:
        found = opened.get("/api/feedback", headers=AUTH).json()
    engine.dispose()

    assert [(f["channel"], f["account_id"], f["feedback"], f["feedback_kind"]) for f in found] == [
        ("sms", None, "the courier was very kind", "praise")
    ]


@pytest.mark.parametrize("path", ["orders", "quotes", "leads", "activities", "interactions"])
def test_lists_of_an_unknown_account_are_404(client: TestClient, path: str) -> None:
    response = client.get(f"/api/{path}?account_id=999999", headers=AUTH)

    assert (response.status_code, response.json()) == (404, {"detail": "account 999999 not found"})


# --- the token rule, everywhere ------------------------------------------------------------

PROTECTED = [
    "/api/accounts?phone=%2B33612345678",
    "/api/accounts?email=pierre.moreau@example.fr",
    "/api/accounts?q=moreau",
    "/api/accounts/1",
    "/api/orders?account_id=1",
    "/api/orders/SO-000001",
    "/api/quotes?account_id=5",
    "/api/quotes/Q-000001",
    "/api/leads?account_id=1",
    "/api/activities?account_id=1",
    "/api/interactions?account_id=1",
    "/api/feedback",
    "/api/call-lists",
    "/api/call-lists/1",
    # Even a malformed request learns nothing before it shows a token.
    "/api/accounts?phone=nonsense",
    "/api/orders",
]


@pytest.mark.parametrize("path", PROTECTED)
def test_every_protected_endpoint_is_401_without_token(client: TestClient, path: str) -> None:
    response = client.get(path)

    assert (response.status_code, response.json()) == (401, NO_TOKEN)


@pytest.mark.parametrize("path", PROTECTED[:13])
def test_every_protected_endpoint_answers_with_the_token(client: TestClient, path: str) -> None:
    assert client.get(path, headers=AUTH).status_code == 200


def test_protected_endpoints_are_exactly_the_contract(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    protected = {
        path
        for path, operations in schema["paths"].items()
        if operations["get"].get("security") is not None
    }

    assert protected == {
        "/api/accounts",
        "/api/accounts/{account_id}",
        "/api/orders",
        "/api/orders/{number}",
        "/api/quotes",
        "/api/quotes/{number}",
        "/api/leads",
        "/api/activities",
        "/api/interactions",
        "/api/feedback",
        "/api/call-lists",
        "/api/call-lists/{call_list_id}",
    }
    assert set(schema["paths"]) - protected == {"/api/products", "/api/products/{sku}"}


# --- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (errors.OrderNotFound(key="X"), 404),
        (errors.InvalidQuantity(quantity=0), 422),
        (errors.InsufficientStock(sku="SLV-14", requested=5, available=3), 409),
        (errors.QuoteExpired(number="Q-000001", valid_until="2026-01-01"), 409),
        (errors.Conflict("taken"), 409),
        (errors.CrmUnavailable("down"), 503),
    ],
)
def test_crm_errors_map_to_status_codes_with_their_message(
    error: errors.CrmError, status: int
) -> None:
    answer = http_error(error)

    assert (answer.status_code, answer.detail) == (status, error.message)


def test_a_database_that_cannot_be_reached_is_503(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    engine = create_engine(f"sqlite:///{blocker / 'crm.db'}")

    with api_client(sessionmaker(bind=engine)) as client:
        response = client.get("/api/products?q=eclipse")

    assert (response.status_code, response.json()) == (
        503,
        {"detail": "the CRM database cannot be reached"},
    )
    engine.dispose()


@pytest.mark.parametrize(
    "path",
    [
        "/api/accounts/2863263327292122202112",
        "/api/orders?account_id=2863263327292122202112",
        "/api/call-lists/9223372036854775808",
    ],
)
def test_an_id_past_64_bits_is_refused_with_a_reason(client: TestClient, path: str) -> None:
    # Found by make fuzz: SQLite cannot bind such an int, and the CRM answered 500.
    response = client.get(path, headers=AUTH)

    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "less_than_equal"
