"""What the CRM API answers, record by record: the public families of its schemas."""

from __future__ import annotations

from decimal import Decimal

from fastapi.testclient import TestClient

from tests.channels.crm_api.conftest import AUTH


def test_account_detail_has_contact_data_consents_and_installed_base(
    client: TestClient, ids: dict[str, int]
) -> None:
    response = client.get(f"/api/accounts/{ids['C-100001']}", headers=AUTH)

    assert response.status_code == 200
    body = response.json()
    assert body["phones"] == [{"number": "+33612345678", "kind": "mobile", "is_primary": True}]
    assert body["emails"] == [{"address": "pierre.moreau@example.fr", "is_primary": True}]
    assert (body["street"], body["postcode"], body["city"], body["country"]) == (
        "14 rue de la République",
        "69002",
        "Lyon",
        "FR",
    )
    assert {(c["channel"], c["status"]) for c in body["consents"]} == {
        ("phone", "opt_in"),
        ("sms", "opt_in"),
        ("email", "opt_in"),
    }
    assert body["preferences"] == []
    assert body["preferred_language"] is None  # the seed's accounts said none
    assert [r["product"]["sku"] for r in body["registered_products"]] == ["PRN-IJ200"]
    assert (
        body["registered_products"][0]["warranty_until"]
        > body["registered_products"][0]["purchased_on"]
    )


def test_product_by_sku_is_public(client: TestClient) -> None:
    response = client.get("/api/products/ecl-3000")

    assert response.status_code == 200
    body = response.json()
    assert (body["sku"], body["name"]) == ("ECL-3000", "Éclipse 3000")
    assert body["accessories"][0] == {
        "sku": "BAG-ECL",
        "name": "Éclipse Laptop Bag",
        "category": "accessories",
        "list_price": "59.00",
        "currency": "EUR",
    }


def test_pierres_orders_show_lines_and_history(client: TestClient, ids: dict[str, int]) -> None:
    response = client.get(f"/api/orders?account_id={ids['C-100001']}", headers=AUTH)

    assert response.status_code == 200
    [order] = response.json()
    assert (order["number"], order["status"], order["quote_number"]) == (
        "SO-000001",
        "delivered",
        None,
    )
    assert [s["status"] for s in order["history"]] == [
        "created",
        "confirmed",
        "shipped",
        "delivered",
    ]
    assert Decimal(order["total"]) == sum(Decimal(line["line_total"]) for line in order["lines"])
    assert client.get("/api/orders/so-000001", headers=AUTH).json() == order


def test_call_lists_and_one_call_list_with_its_entries(client: TestClient) -> None:
    lists = client.get("/api/call-lists", headers=AUTH).json()

    assert [(c["name"], c["assigned_to"], c["entry_count"]) for c in lists] == [
        ("Éclipse 1000 owners", "bot", 10)
    ]
    detail = client.get(f"/api/call-lists/{lists[0]['id']}", headers=AUTH).json()
    assert len(detail["entries"]) == 10
    assert {"do not contact", "opted out of phone calls"} <= {
        e["exclusion_reason"] for e in detail["entries"]
    }
    priorities = [e["priority"] for e in detail["entries"]]
    assert priorities == sorted(priorities, reverse=True)
    missing = client.get("/api/call-lists/999", headers=AUTH)
    assert (missing.status_code, missing.json()) == (404, {"detail": "call list 999 not found"})


def test_openapi_names_the_public_schemas_and_money_is_a_string(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    ok = schema["paths"]["/api/products"]["get"]["responses"]["200"]["content"]

    assert ok["application/json"]["schema"]["items"]["$ref"].endswith("/ProductPublic")
    price = schema["components"]["schemas"]["ProductSummary"]["properties"]["list_price"]
    assert price["type"] == "string"
