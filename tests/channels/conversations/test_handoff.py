"""The customer's side of a handoff through the chat API: the bot silent, the wait cancelled,
the agent's answers on the event feed (fake Rasa, real CRM on SQLite)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from crm_backend.models import HandoffStatus
from crm_backend.services import agents, handoff
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.channels.conftest import API_TOKEN
from tests.channels.handoff_fakes import BACK_WITH_THE_BOT, QUEUED, HandoffRasa

Uows = Callable[[], SqlAlchemyUnitOfWork]


@pytest.fixture
def c1(desk_gateway: TestClient) -> str:
    """A conversation the gateway issued, for an anonymous customer."""
    response = desk_gateway.post("/api/conversations")
    assert response.status_code == 201, response.text
    return str(response.json()["conversation_id"])


def say(client: TestClient, text: str, conversation: str) -> dict:
    response = client.post(f"/api/conversations/{conversation}/messages", json={"text": text})
    assert response.status_code == 200, response.text
    return response.json()


def events(client: TestClient, conversation: str, after: int | None = None, **params) -> dict:
    query = {} if after is None else {"after": after}
    response = client.get(f"/api/conversations/{conversation}/events", params={**query, **params})
    assert response.status_code == 200, response.text
    return response.json()


@dataclass(frozen=True)
class Seen:
    id: int
    status: str


def the_handoff(uows: Uows, conversation_id: str) -> Seen:
    with uows() as uow:
        found = uow.handoffs.latest_for(conversation_id)
        assert found is not None
        return Seen(id=found.id, status=str(found.status))


def take_it(uows: Uows, handoff_id: int) -> int:
    with uows() as uow:
        anna = agents.create_agent(
            uow, username="anna", password="a long password", display_name="Anna"
        )
        handoff.take_handoff(uow, handoff_id=handoff_id, agent_id=anna.id)
        uow.commit()
        return anna.id


def test_the_bot_hands_off_and_its_conversation_is_paused(
    desk_gateway: TestClient, handoff_rasa: HandoffRasa, uow_factory: Uows, c1: str
) -> None:
    reply = say(desk_gateway, "I want a person", c1)

    # The custom payload is for the gateway: the customer sees the words only.
    assert reply == {"conversation_id": c1, "messages": [{"text": QUEUED}], "handed_off": True}
    assert handoff_rasa.events_sent(f"web-{c1}") == ["pause"]
    assert the_handoff(uow_factory, f"web-{c1}").status == HandoffStatus.WAITING


def test_while_handed_off_the_bot_hears_and_says_nothing(
    desk_gateway: TestClient, handoff_rasa: HandoffRasa, transcript_rows, c1: str
) -> None:
    say(desk_gateway, "I want a person", c1)

    reply = say(desk_gateway, "<b>Hello?</b> Is anybody there?", c1)

    assert reply == {"conversation_id": c1, "messages": [], "handed_off": True}
    assert handoff_rasa.messages == ["I want a person"]
    assert handoff_rasa.spoke_while_paused == []
    assert [(role, text) for _c, _ch, role, text, _p in transcript_rows()] == [
        ("customer", "I want a person"),
        ("bot", QUEUED),
        ("customer", "<b>Hello?</b> Is anybody there?"),
    ]


@pytest.mark.parametrize("text", ["never mind", "/cancel"])
def test_never_mind_while_waiting_gives_the_conversation_back_to_the_bot(
    desk_gateway: TestClient, handoff_rasa: HandoffRasa, uow_factory: Uows, text: str, c1: str
) -> None:
    say(desk_gateway, "I want a person", c1)

    reply = say(desk_gateway, text, c1)
    after = say(desk_gateway, "Tell me about the Éclipse 3000", c1)

    assert reply == {
        "conversation_id": c1,
        "messages": [{"text": BACK_WITH_THE_BOT}],
        "handed_off": False,
    }
    assert handoff_rasa.events_sent(f"web-{c1}") == [
        "pause",
        "resume",
        # Not "OK, I've stopped that": the words say the customer left the queue.
        "execute utter_left_queue",
        "action_listen",
    ]
    assert the_handoff(uow_factory, f"web-{c1}").status == HandoffStatus.CANCELLED
    assert after["messages"] == [{"text": "The bot answers: Tell me about the Éclipse 3000"}]


def test_never_mind_to_an_agent_who_took_the_conversation_is_for_the_agent(
    desk_gateway: TestClient, handoff_rasa: HandoffRasa, uow_factory: Uows, c1: str
) -> None:
    say(desk_gateway, "I want a person", c1)
    take_it(uow_factory, the_handoff(uow_factory, f"web-{c1}").id)

    reply = say(desk_gateway, "never mind", c1)

    assert reply["handed_off"] is True
    assert handoff_rasa.events_sent(f"web-{c1}") == ["pause"]
    assert the_handoff(uow_factory, f"web-{c1}").status == HandoffStatus.ASSIGNED


def test_the_event_feed_brings_the_agents_answers_from_the_cursor_on(
    desk_gateway: TestClient, uow_factory: Uows, c1: str
) -> None:
    start = events(desk_gateway, c1)
    say(desk_gateway, "I want a person", c1)
    handoff_id = the_handoff(uow_factory, f"web-{c1}").id
    agent_id = take_it(uow_factory, handoff_id)
    with uow_factory() as uow:
        handoff.add_agent_message(
            uow, handoff_id=handoff_id, agent_id=agent_id, text="Hello, I'm Anna <3"
        )
        uow.commit()

    feed = events(desk_gateway, c1, after=start["cursor"])
    later = events(desk_gateway, c1, after=feed["cursor"])

    assert start == {"conversation_id": c1, "cursor": 0, "handed_off": False, "events": []}
    assert [(e["role"], e["text"], e.get("author")) for e in feed["events"]] == [
        ("agent", "Hello, I'm Anna <3", "Anna")
    ]
    assert (feed["handed_off"], feed["handoff_status"], feed["agent"]) == (True, "assigned", "Anna")
    assert later["events"] == []


def test_a_trusted_conversation_has_its_own_feed(desk_gateway: TestClient, c1: str) -> None:
    headers = {"Authorization": f"Bearer {API_TOKEN}"}
    desk_gateway.post(
        f"/api/conversations/{c1}/messages", json={"text": "I want a person"}, headers=headers
    )

    anonymous = events(desk_gateway, c1)
    trusted = desk_gateway.get(f"/api/conversations/{c1}/events", headers=headers).json()

    assert (anonymous["handed_off"], trusted["handed_off"]) == (False, True)


def test_the_feed_refuses_a_bad_cursor_or_wait(desk_gateway: TestClient, c1: str) -> None:
    for params in ({"after": -1}, {"wait": 60}, {"after": "x"}):
        response = desk_gateway.get(f"/api/conversations/{c1}/events", params=params)
        assert response.status_code == 422


def test_a_long_poll_returns_at_its_deadline_with_nothing_new(
    desk_gateway: TestClient, c1: str
) -> None:
    cursor = events(desk_gateway, c1)["cursor"]

    assert events(desk_gateway, c1, after=cursor, wait=0.3)["events"] == []
