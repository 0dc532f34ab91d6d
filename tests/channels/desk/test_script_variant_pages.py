"""The A/B test's doors on the campaign page: managers only, their CSRF token, bounded fields,
and nothing a forged post can make the CRM keep."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.channels.desk.conftest import NEW_CAMPAIGN, Uows, logged_in
from tests.channels.desk.test_call_list_pages import lyon_owners

B = "laptop_upgrade_direct"


def test_only_a_manager_with_the_pages_token_sets_or_ends_a_test(
    desk: TestClient, uow_factory: Uows
) -> None:
    lyon_owners(uow_factory)
    boss, anna = logged_in(desk, "boss"), logged_in(desk, "anna")
    boss.post("/desk/campaigns", **NEW_CAMPAIGN)

    agent = anna.post("/desk/campaigns/1/variants/b", script_b=B, share_b="30")
    forged = boss.client.post(
        "/desk/campaigns/1/variants/b",
        data={"csrf_token": "forged", "script_b": B, "share_b": "30"},
        follow_redirects=False,
    )
    agent_keep = anna.post("/desk/campaigns/1/variants/keep", script=B)

    assert (agent.status_code, forged.status_code, agent_keep.status_code) == (403, 403, 403)
    with uow_factory() as uow:
        campaign = uow.campaigns.get(1)
        assert campaign is not None
        assert (campaign.script_b, campaign.script) == (None, "laptop_upgrade")


def test_what_a_forged_form_says_is_refused_with_its_reason(
    desk: TestClient, uow_factory: Uows
) -> None:
    lyon_owners(uow_factory)
    boss = logged_in(desk, "boss")
    boss.post("/desk/campaigns", **NEW_CAMPAIGN)

    path = boss.post("/desk/campaigns/1/variants/b", script_b="../laptop_upgrade", share_b="30")
    huge = boss.post("/desk/campaigns/1/variants/b", script_b="x" * 101, share_b="30")
    share = boss.post("/desk/campaigns/1/variants/b", script_b=B, share_b="100")
    words = boss.post("/desk/campaigns/1/variants/b", script_b=B, share_b="ab")
    own = boss.post("/desk/campaigns/1/variants/b", script_b="laptop_upgrade", share_b="30")
    not_running = boss.post("/desk/campaigns/1/variants/keep", script=B)
    no_campaign = boss.post("/desk/campaigns/99/variants/b", script_b=B, share_b="30")

    assert [r.status_code for r in (path, share, words, own, not_running)] == [422] * 5
    assert huge.status_code == 422  # over the field's limit: refused before any work
    assert no_campaign.status_code == 404
    assert "1 to 99 %" in share.text
    assert "whole number of percent" in words.text
    assert "another script than the campaign&#39;s own" in own.text
    assert "no script test is running" in not_running.text
    with uow_factory() as uow:
        campaign = uow.campaigns.get(1)
        assert campaign is not None
        assert campaign.script_b is None


def test_a_manager_sets_the_test_and_keeps_a_variant(desk: TestClient, uow_factory: Uows) -> None:
    lyon_owners(uow_factory)
    boss = logged_in(desk, "boss")
    boss.post("/desk/campaigns", **NEW_CAMPAIGN)

    saved = boss.post("/desk/campaigns/1/variants/b", script_b=B, share_b="30")
    page = boss.client.get("/desk/campaigns/1").text
    kept = boss.post("/desk/campaigns/1/variants/keep", script=B)

    assert (saved.status_code, saved.headers["location"]) == (
        303,
        "/desk/campaigns/1?notice=variant-set",
    )
    assert 'id="variant-results"' in page
    assert kept.headers["location"] == "/desk/campaigns/1?notice=variant-kept"
    with uow_factory() as uow:
        campaign = uow.campaigns.get(1)
        assert campaign is not None
        assert (campaign.script, campaign.script_a, campaign.script_b) == (B, "laptop_upgrade", B)
