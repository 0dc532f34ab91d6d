"""The manager's campaigns: a new one, a wrong form, and the pages kept from agents."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.channels.desk.conftest import NEW_CAMPAIGN, logged_in


def test_a_wrong_campaign_form_comes_back_with_what_was_wrong(desk: TestClient) -> None:
    boss = logged_in(desk, "boss")

    answer = boss.post("/desk/campaigns", **{**NEW_CAMPAIGN, "ends_on": "2025-11-01"})

    assert answer.status_code == 422
    assert "a campaign cannot end before it starts" in answer.text
    assert 'value="Éclipse trade-up"' in answer.text


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/desk/campaigns"), ("get", "/desk/call-lists/new"), ("get", "/desk/call-lists/1")],
)
def test_campaign_pages_are_the_managers(desk: TestClient, method: str, path: str) -> None:
    anna = logged_in(desk, "anna")

    assert getattr(anna.client, method)(path).status_code == 403
    assert anna.post("/desk/campaigns", **NEW_CAMPAIGN).status_code == 403
    assert anna.post("/desk/call-lists/1/start").status_code == 403
