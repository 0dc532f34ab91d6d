"""The desk's marketing pages: the manager's campaigns and call lists, an agent's next call."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from crm_backend.models import ConsentStatus, ContactChannel
from crm_backend.services import agents, call_lists
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.channels.dialer_fakes import FakeClock, eclipse_owners_in_lyon
from tests.channels.handoff_fakes import DeskBrowser
from tests.factories import make_account, make_product, own_product

Uows = Callable[[], SqlAlchemyUnitOfWork]
PASSWORD = "a long password"
MONDAY_10 = dt.datetime(2025, 11, 3, 9, 0, tzinfo=dt.UTC)  # 10:00 in Lyon
TARGET = {"owns_product": "eclipse", "owns_category": "laptop", "city": "Lyon"}
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
def desk(desk_gateway: TestClient, uow_factory: Uows) -> TestClient:
    """The desk on Monday at 10:00 in Lyon, with an agent, a second agent and a manager."""
    desk_gateway.app.state.clock = FakeClock(MONDAY_10)
    with uow_factory() as uow:
        for name, role in (("anna", "agent"), ("ben", "agent"), ("boss", "manager")):
            agents.create_agent(
                uow, username=name, password=PASSWORD, display_name=name.title(), role=role
            )
        uow.commit()
    return desk_gateway


def browser(desk: TestClient, username: str) -> DeskBrowser:
    opened = DeskBrowser(TestClient(desk.app, base_url="https://testserver"))
    assert opened.log_in(username, PASSWORD).status_code == 303
    return opened


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


def test_a_manager_creates_a_campaign_previews_builds_assigns_and_starts_a_list(
    desk: TestClient, uow_factory: Uows
) -> None:
    lyon_owners(uow_factory)
    boss = browser(desk, "boss")

    created = boss.post("/desk/campaigns", **NEW_CAMPAIGN)
    preview = boss.client.get(
        "/desk/call-lists/new", params={"campaign": "1", "preview": "1", **TARGET}
    )
    built = boss.post("/desk/call-lists", campaign="1", name="Lyon owners", **TARGET)
    page = boss.client.get(built.headers["location"])

    assert (created.status_code, created.headers["location"]) == (
        303,
        "/desk/campaigns?notice=created",
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


def cells_number(html: str, first_name: str) -> str:
    match = re.search(rf"{first_name} Moreau \(C-(\d+)\)", html)
    assert match is not None
    return match.group(1)


def test_a_wrong_campaign_form_comes_back_with_what_was_wrong(desk: TestClient) -> None:
    boss = browser(desk, "boss")

    answer = boss.post("/desk/campaigns", **{**NEW_CAMPAIGN, "ends_on": "2025-11-01"})

    assert answer.status_code == 422
    assert "a campaign cannot end before it starts" in answer.text
    assert 'value="Éclipse trade-up"' in answer.text


def test_the_bot_is_not_given_a_list_it_cannot_work(desk: TestClient, uow_factory: Uows) -> None:
    lyon_owners(uow_factory)
    boss = browser(desk, "boss")
    boss.post("/desk/campaigns", **{**NEW_CAMPAIGN, "channel": "email"})
    boss.post("/desk/call-lists", campaign="1", name="By e-mail", **TARGET)

    refused = boss.post("/desk/call-lists/1/start")

    assert refused.status_code == 422
    assert "the bot works phone and SMS campaigns, not email" in refused.text


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/desk/campaigns"), ("get", "/desk/call-lists/new"), ("get", "/desk/call-lists/1")],
)
def test_campaign_pages_are_the_managers(desk: TestClient, method: str, path: str) -> None:
    anna = browser(desk, "anna")

    assert getattr(anna.client, method)(path).status_code == 403
    assert anna.post("/desk/campaigns", **NEW_CAMPAIGN).status_code == 403
    assert anna.post("/desk/call-lists/1/start").status_code == 403


def test_an_agent_takes_the_next_call_sees_the_script_and_records_the_outcome(
    desk: TestClient, uow_factory: Uows
) -> None:
    _, call_list = eclipse_owners_in_lyon(uow_factory, script="laptop_upgrade")
    with uow_factory() as uow:
        call_lists.assign_call_list(uow, call_list_id=call_list.id, assigned_to="agents")
        uow.commit()
    anna, ben = browser(desk, "anna"), browser(desk, "ben")

    empty = anna.client.get("/desk/calls")
    taken = anna.post("/desk/calls/next")
    page = anna.client.get("/desk/calls")
    ben.post("/desk/calls/next")

    assert 'action="/desk/calls/next"' in empty.text
    assert taken.headers["location"] == "/desk/calls"
    assert 'id="dial">+33610000001<' in page.text
    assert "As an Éclipse owner, you can trade up to the new Éclipse 3000" in page.text
    assert "How old is the laptop you use now?" in page.text
    assert "Ana Moreau" in page.text
    assert "+33610000002" in ben.client.get("/desk/calls").text

    entry_id = re.search(r'action="/desk/calls/(\d+)/outcome"', page.text)
    assert entry_id is not None
    not_hers = ben.post(f"/desk/calls/{entry_id.group(1)}/outcome", outcome="no_answer")
    recorded = anna.post(
        f"/desk/calls/{entry_id.group(1)}/outcome", outcome="not_interested", notes="has a new one"
    )

    assert not_hers.headers["location"] == "/desk/calls?notice=not_yours"
    assert recorded.headers["location"] == "/desk/calls?notice=recorded"
    with uow_factory() as uow:
        entry = uow.call_list_entries.get(int(entry_id.group(1)))
        assert entry is not None
        assert (entry.status, entry.outcome, entry.notes, entry.attempts) == (
            "done",
            "not_interested",
            "has a new one",
            1,
        )
        (interaction,) = uow.interactions.list_by(call_list_entry_id=entry.id)
        assert (interaction.direction, interaction.outcome) == ("outbound", "not_interested")


def test_an_agent_puts_a_call_back_and_hears_when_nobody_is_due(
    desk: TestClient, uow_factory: Uows
) -> None:
    _, call_list = eclipse_owners_in_lyon(uow_factory, script="laptop_upgrade")
    with uow_factory() as uow:
        call_lists.assign_call_list(uow, call_list_id=call_list.id, assigned_to="anna")
        uow.commit()
    anna, ben = browser(desk, "anna"), browser(desk, "ben")

    anna.post("/desk/calls/next")
    entry_id = re.search(r"/desk/calls/(\d+)/give-back", anna.client.get("/desk/calls").text)
    assert entry_id is not None
    back = anna.post(f"/desk/calls/{entry_id.group(1)}/give-back")
    nothing = ben.post("/desk/calls/next")

    assert back.headers["location"] == "/desk/calls?notice=given_back"
    assert nothing.headers["location"] == "/desk/calls?notice=none"
    assert "Nobody is due for a call" in ben.client.get(nothing.headers["location"]).text


def test_a_script_that_does_not_read_is_said_and_the_call_goes_on(
    desk: TestClient, uow_factory: Uows
) -> None:
    _, call_list = eclipse_owners_in_lyon(uow_factory, script="no_such_script")
    with uow_factory() as uow:
        call_lists.assign_call_list(uow, call_list_id=call_list.id, assigned_to="agents")
        uow.commit()
    anna = browser(desk, "anna")

    anna.post("/desk/calls/next")
    page = anna.client.get("/desk/calls")

    assert (
        "The campaign's script no_such_script cannot be read: script no_such_script not found"
        in page.text
    )
    assert 'id="outcome-form"' in page.text
