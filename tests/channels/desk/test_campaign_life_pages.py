"""A campaign's life on the desk: choices from the data, its life cycle, what each channel shows."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from crm_backend.services import call_list_entries, campaigns
from tests.channels.desk.conftest import NEW_CAMPAIGN, Uows, logged_in
from tests.channels.desk.test_call_list_pages import cells, lyon_owners
from tests.factories import make_product


def options(html: str, select_id: str) -> list[str]:
    body = html.split(f'id="{select_id}"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([^"]*)"', body)


def test_the_forms_offer_only_what_the_crm_accepts(desk: TestClient, uow_factory: Uows) -> None:
    lyon_owners(uow_factory)
    with uow_factory() as uow:
        make_product(uow, sku="ECL-1000", name="Éclipse 1000", active=False)
        uow.commit()
    boss = logged_in(desk, "boss")
    boss.post("/desk/campaigns", **NEW_CAMPAIGN)

    page = boss.client.get("/desk/campaigns").text
    new_list = boss.client.get("/desk/call-lists/new", params={"campaign": "1", "preview": "1"})

    assert options(page, "script") == ["", "laptop_upgrade", "laptop_upgrade_direct"]
    assert options(page, "product_sku") == ["", "ECL-3000"]
    assert options(page, "channel") == ["phone", "sms", "email"]
    assert options(new_list.text, "assigned_to") == ["bot", "agents", "anna", "ben", "boss"]
    assert options(new_list.text, "preferred_channel") == ["", "phone", "sms", "email"]


def test_the_server_refuses_what_the_form_would_not_offer(
    desk: TestClient, uow_factory: Uows
) -> None:
    lyon_owners(uow_factory)
    with uow_factory() as uow:
        make_product(uow, sku="ECL-1000", name="Éclipse 1000", active=False)
        uow.commit()
    boss = logged_in(desk, "boss")

    no_script = boss.post("/desk/campaigns", **{**NEW_CAMPAIGN, "script": "no_such_script"})
    path = boss.post("/desk/campaigns", **{**NEW_CAMPAIGN, "script": "../laptop_upgrade"})
    old = boss.post("/desk/campaigns", **{**NEW_CAMPAIGN, "product_sku": "ECL-1000"})
    boss.post("/desk/campaigns", **NEW_CAMPAIGN)
    nobody = boss.post(
        "/desk/call-lists", campaign="1", name="l", owns_product="eclipse", assigned_to="nobody"
    )

    assert (no_script.status_code, path.status_code, old.status_code) == (422, 422, 422)
    assert "script no_such_script not found" in no_script.text
    assert "ECL-1000 is no longer sold" in old.text
    assert nobody.status_code == 422
    assert "an active agent, not &#39;nobody&#39;" in nobody.text
    with uow_factory() as uow:
        assert uow.campaigns.count() == 1


def test_a_manager_activates_pauses_resumes_and_ends_a_campaign(
    desk: TestClient, uow_factory: Uows
) -> None:
    lyon_owners(uow_factory)
    boss = logged_in(desk, "boss")
    created = boss.post("/desk/campaigns", **NEW_CAMPAIGN)
    statuses, buttons = [], []

    def look() -> None:
        page = boss.client.get("/desk/campaigns/1").text
        statuses.append(re.search(r'id="campaign-status">(\w+)<', page).group(1))
        buttons.append(re.findall(r'action="/desk/campaigns/1/(\w+)"', page))

    look()
    for action in ("activate", "pause", "resume", "end"):
        moved = boss.post(f"/desk/campaigns/1/{action}")
        assert moved.headers["location"] == f"/desk/campaigns/1?notice={action}"
        look()
    again = boss.post("/desk/campaigns/1/resume")
    anna = logged_in(desk, "anna")

    assert created.headers["location"] == "/desk/campaigns/1?notice=created"
    assert statuses == ["draft", "active", "paused", "active", "ended"]
    assert buttons == [["activate"], ["pause", "end"], ["resume", "end"], ["pause", "end"], []]
    assert again.status_code == 422
    assert "campaign cannot go from ended to active" in again.text
    assert anna.post("/desk/campaigns/1/pause").status_code == 403
    assert (
        boss.client.post("/desk/campaigns/1/pause", data={"csrf_token": "forged"}).status_code
        == 403
    )


def test_a_draft_is_edited_and_a_started_campaign_keeps_its_script(
    desk: TestClient, uow_factory: Uows
) -> None:
    lyon_owners(uow_factory)
    boss = logged_in(desk, "boss")
    boss.post("/desk/campaigns", **NEW_CAMPAIGN)

    renamed = boss.post(
        "/desk/campaigns/1", **{**NEW_CAMPAIGN, "name": "Renamed", "channel": "sms"}
    )
    boss.post("/desk/campaigns/1", **{**NEW_CAMPAIGN, "message": "Hello"})
    boss.post("/desk/campaigns/1/activate")
    moved = boss.post("/desk/campaigns/1", **{**NEW_CAMPAIGN, "message": "Hello", "channel": "sms"})

    assert renamed.headers["location"] == "/desk/campaigns/1?notice=saved"
    assert moved.status_code == 422
    assert "(channel changed)" in moved.text


def test_an_sms_campaign_shows_sending_hours_and_no_retries(
    desk: TestClient, uow_factory: Uows
) -> None:
    lyon_owners(uow_factory)
    boss = logged_in(desk, "boss")
    boss.post("/desk/campaigns", **{**NEW_CAMPAIGN, "channel": "sms", "message": "Trade up now"})
    boss.post("/desk/campaigns", **NEW_CAMPAIGN)

    sms = boss.client.get("/desk/campaigns/1").text.split('id="campaign-facts"', 1)[1]
    phone = boss.client.get("/desk/campaigns/2").text.split('id="campaign-facts"', 1)[1]
    sms_facts = re.findall(r"<dt>([^<]+)</dt>", sms.split("</dl>", 1)[0])
    phone_facts = re.findall(r"<dt>([^<]+)</dt>", phone.split("</dl>", 1)[0])

    assert sms_facts == ["Dates", "Product", "Offer", "Sending hours", "Text sent"]
    assert phone_facts == [
        "Dates",
        "Product",
        "Offer",
        "Calling hours",
        "Retries",
        "Left on answering machines",
    ]


def test_the_list_page_reads_its_target_priorities_and_next_tries(
    desk: TestClient, uow_factory: Uows
) -> None:
    lyon_owners(uow_factory)
    boss = logged_in(desk, "boss")
    boss.post("/desk/campaigns", **NEW_CAMPAIGN)
    boss.post("/desk/campaigns/1/activate")
    boss.post(
        "/desk/call-lists",
        campaign="1",
        name="Lyon owners",
        owns_product="eclipse",
        city="Lyon",
        assigned_to="anna",
    )
    boss.post("/desk/call-lists/1/start")

    page = boss.client.get("/desk/call-lists/1").text
    rows = cells(page, "entries")[1:]

    assert "Target: Customers who own a product named “eclipse” and live in Lyon." in page
    assert re.search(r"<span>1 do-not-contact</span>;\s*<span>1 opted out</span>", page)
    # The priority, and under it what it is made of (the cell's text, tags removed).
    assert rows[0][2] == "0no lead 0 + last purchase or interest 1282 days ago 0"
    # 10:00 in Lyon, inside the window: due now.
    assert rows[0][7] == "2025-11-03 10:00"
    assert [row[7] for row in rows[1:]] == ["", ""]
    with uow_factory() as uow:
        entry = call_list_entries.get_entry(
            uow, entry_id=int(re.findall(r'data-entry="(\d+)"', page)[0])
        )
        assert campaigns.get_campaign(uow, campaign_id=1).status == "active"
        assert entry.status == "pending"
