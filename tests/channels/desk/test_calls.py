"""An agent works a call list at the desk: the next call, its script, the outcome."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from crm_backend.services import call_lists
from tests.channels.desk.conftest import Uows, logged_in
from tests.channels.dialer_fakes import eclipse_owners_in_lyon


def test_an_agent_takes_the_next_call_sees_the_script_and_records_the_outcome(
    desk: TestClient, uow_factory: Uows
) -> None:
    _, call_list = eclipse_owners_in_lyon(uow_factory, script="laptop_upgrade")
    with uow_factory() as uow:
        call_lists.assign_call_list(uow, call_list_id=call_list.id, assigned_to="agents")
        uow.commit()
    anna, ben = logged_in(desk, "anna"), logged_in(desk, "ben")

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
    anna, ben = logged_in(desk, "anna"), logged_in(desk, "ben")

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
    anna = logged_in(desk, "anna")

    anna.post("/desk/calls/next")
    page = anna.client.get("/desk/calls")

    assert (
        "The campaign's script no_such_script cannot be read: script no_such_script not found"
        in page.text
    )
    assert 'id="outcome-form"' in page.text
