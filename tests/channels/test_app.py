"""The gateway app: one composition, every door mounted, the token rule, /docs."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from channels.app import create_app
from channels.settings import GatewaySettings
from crm_backend.seed import seed_database
from crm_backend.settings import CrmSettings

CONTRACT_PATHS = {
    "/healthz",
    "/api/conversations",
    "/api/conversations/{conversation_id}/messages",
    "/api/accounts",
    "/api/accounts/{account_id}",
    "/api/products",
    "/api/products/{sku}",
    "/api/orders",
    "/api/orders/{number}",
    "/api/quotes",
    "/api/quotes/{number}",
    "/api/leads",
    "/api/activities",
    "/api/interactions",
    "/api/call-lists",
    "/api/call-lists/{call_list_id}",
}


def test_openapi_page_documents_every_contract_path(gateway: TestClient) -> None:
    schema = gateway.get("/openapi.json").json()

    assert schema["info"]["title"] == "icbot"
    assert set(schema["paths"]) >= CONTRACT_PATHS
    assert gateway.get("/docs").status_code == 200


def test_crm_api_is_mounted_with_the_configured_token(
    gateway: TestClient,
    gateway_settings: GatewaySettings,
    session_factory: sessionmaker[Session],
) -> None:
    seed_database(session_factory, today=dt.date(2026, 3, 2))
    auth = {"Authorization": f"Bearer {gateway_settings.api_token}"}

    assert gateway.get("/api/accounts?phone=0612345678").status_code == 401
    found = gateway.get("/api/accounts?phone=0612345678", headers=auth).json()
    assert [a["name"] for a in found] == ["Pierre Moreau"]
    products = gateway.get("/api/products?q=eclipse").json()
    assert "ECL-3000" in {p["sku"] for p in products}


def test_no_refusal_echoes_what_was_sent(
    gateway: TestClient, gateway_settings: GatewaySettings
) -> None:
    # FastAPI's 422 copies the input back: a stranger's bytes (or a lone surrogate) in our answer.
    auth = {"Authorization": f"Bearer {gateway_settings.api_token}"}

    answer = gateway.get("/api/accounts/2863263327292122202112", headers=auth)

    assert answer.status_code == 422
    assert answer.json() == {
        "detail": [
            {
                "type": "less_than_equal",
                "loc": ["path", "account_id"],
                "msg": "Input should be less than or equal to 9223372036854775807",
                "ctx": {"le": 9223372036854775807},
            }
        ]
    }


def test_without_configured_token_one_is_generated_private_and_reused(
    tmp_path: Path, session_factory: sessionmaker[Session]
) -> None:
    crm = CrmSettings(database_url="sqlite://", var_dir=tmp_path / "var")
    settings = GatewaySettings(crm=crm, api_token=None)

    with TestClient(create_app(settings, session_factory)) as first:
        token_file = tmp_path / "var" / "api_token"
        token = token_file.read_text().strip()
        auth = {"Authorization": f"Bearer {token}"}
        assert first.get("/api/call-lists", headers=auth).status_code == 200
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600

    with TestClient(create_app(settings, session_factory)) as second:
        assert second.get("/api/call-lists", headers=auth).status_code == 200
    assert token_file.read_text().strip() == token


def test_web_chat_page_and_its_files_are_served(gateway: TestClient) -> None:
    assert gateway.get("/").status_code == 200
    assert gateway.get("/static/chat.js").status_code == 200
