"""The manager's call lists: a target previewed, a list built, assigned, started."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient

from crm_backend.models import ConsentStatus, ContactChannel
from crm_backend.services import call_lists
from tests.channels.desk.conftest import NEW_CAMPAIGN, Uows, logged_in
from tests.factories import make_account, make_product, own_product

TARGET = {"owns_product": "eclipse", "owns_category": "laptop", "city": "Lyon"}


def lyon_owners(uow_factory: Uows) -> dict[str, int]:
    """Three Lyon owners of an Éclipse: one to call, one do-not-contact, one opted out."""
    phone_in = {ContactChannel.PHONE: ConsentStatus.OPT_IN}
    with uow_factory() as uow:
        laptop = make_product(uow, sku="ECL-3000", name="Éclipse 3000")
        people = {
            "Ana": make_account(uow, first_name="Ana", phones=["+33610000001"], consents=phone_in),
            "Gil": make_account(
                uow,
                first_name="Gil",
                phones=["+33610000007"],
                consents=phone_in,
                do_not_contact=True,
            ),
            "Hana": make_account(
                uow,
                first_name="Hana",
                phones=["+33610000008"],
                consents={ContactChannel.PHONE: ConsentStatus.OPT_OUT},
            ),
        }
        for account in people.values():
            own_product(uow, account, laptop, purchased_on=dt.date(2022, 5, 1))
        uow.commit()
        return {name: account.id for name, account in people.items()}


def cells(html: str, table_id: str) -> list[list[str]]:
    """The text of each row of a table, cell by cell."""
    body = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
        ]
        for row in rows
    ]


def cells_number(html: str, first_name: str) -> str:
    match = re.search(rf"{first_name} Moreau \(C-(\d+)\)", html)
    assert match is not None
    return match.group(1)


def test_a_manager_creates_a_campaign_previews_builds_assigns_and_starts_a_list(
    desk: TestClient, uow_factory: Uows
) -> None:
    lyon_owners(uow_factory)
    boss = logged_in(desk, "boss")

    created = boss.post("/desk/campaigns", **NEW_CAMPAIGN)
    preview = boss.client.get(
        "/desk/call-lists/new", params={"campaign": "1", "preview": "1", **TARGET}
    )
    built = boss.post("/desk/call-lists", campaign="1", name="Lyon owners", **TARGET)
    page = boss.client.get(built.headers["location"])

    assert (created.status_code, created.headers["location"]) == (
        303,
        "/desk/campaigns/1?notice=created",
    )
    assert "Éclipse trade-up" in boss.client.get("/desk/campaigns").text
    assert preview.status_code == 200
    assert re.search(r'id="eligible-count">1<', preview.text)
    assert cells(preview.text, "excluded") == [
        ["Gil Moreau (C-" + cells_number(preview.text, "Gil") + ")", "do-not-contact"],
        ["Hana Moreau (C-" + cells_number(preview.text, "Hana") + ")", "opted out"],
    ]
    assert (built.status_code, built.headers["location"]) == (
        303,
        "/desk/call-lists/1?notice=built",
    )
    assert "Call list built (draft)" in page.text
    assert [row[4] for row in cells(page.text, "entries")[1:]] == [
        "pending",
        "excluded",
        "excluded",
    ]
    assert [row[6] for row in cells(page.text, "entries")[1:]] == [
        "",
        "do-not-contact",
        "opted out",
    ]

    assigned = boss.post("/desk/call-lists/1/assign", assigned_to="anna")
    started = boss.post("/desk/call-lists/1/start")
    again = boss.post("/desk/call-lists/1/start")

    assert assigned.headers["location"] == "/desk/call-lists/1?notice=assigned"
    assert started.headers["location"] == "/desk/call-lists/1?notice=started"
    assert again.status_code == 422
    assert "call list cannot go from active to active" in again.text
    with uow_factory() as uow:
        found = call_lists.get_call_list(uow, call_list_id=1)
        assert (found.status, found.assigned_to, found.campaign.status) == (
            "active",
            "anna",
            "active",
        )
    assert boss.post("/desk/call-lists/1/pause").headers["location"].endswith("notice=paused")


def test_the_bot_is_not_given_a_list_it_cannot_work(desk: TestClient, uow_factory: Uows) -> None:
    lyon_owners(uow_factory)
    boss = logged_in(desk, "boss")
    boss.post("/desk/campaigns", **{**NEW_CAMPAIGN, "channel": "email"})
    boss.post("/desk/call-lists", campaign="1", name="By e-mail", **TARGET)

    refused = boss.post("/desk/call-lists/1/start")

    assert refused.status_code == 422
    assert "the bot works phone and SMS campaigns, not email" in refused.text
