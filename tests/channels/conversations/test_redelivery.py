"""A message whose Rasa server died under it: answered once, from the saved turn or by another
server; a server that may still be working on it gets no second delivery anywhere."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from channels.conversations.rasa_client import (
    REFUSAL_ATTEMPTS,
    BotMessage,
    RasaClient,
    RasaUnavailable,
)
from channels.conversations.rasa_servers import rendezvous
from channels.conversations.redelivery import MESSAGE_ID, saved_answer

SERVERS = ["http://rasa-a:5005", "http://rasa-b:5005"]
WEBHOOK = "/webhooks/gateway/webhook"
# A conversation whose first choice is rasa-a.
KEY = next(f"web-{i}" for i in range(1000) if rendezvous(f"web-{i}", SERVERS)[0] == SERVERS[0])

Handler = Callable[[httpx.Request], httpx.Response]


class TwoServers:
    """rasa-a drops the message (its connection breaks); rasa-b answers as the test says."""

    def __init__(self) -> None:
        self.a_gone = True  # after the drop, rasa-a refuses connections
        self.saved: list[dict[str, Any]] = []  # rasa-b's tracker events for KEY
        self.posted: dict[str, list[dict[str, Any]]] = {"rasa-a": [], "rasa-b": []}
        self.a_answers: Handler = self._drop  # what rasa-a does with a message
        # How many of the probes asking whether rasa-a refuses connections break first:
        # a kept-alive connection to it, or one it accepted as it was dying.
        self.probes_broken = 0
        self.probes = 0

    @staticmethod
    def _drop(request: httpx.Request) -> httpx.Response:
        raise httpx.RemoteProtocolError("Server disconnected", request=request)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        if request.method == "POST" and request.url.path == WEBHOOK:
            body = json.loads(request.content)
            self.posted[host].append(body)
            if host == "rasa-a":
                return self.a_answers(request)
            return httpx.Response(200, json=[{"text": f"b heard {body['message']}"}])
        if host == "rasa-a":
            self.probes += 1
            if self.probes <= self.probes_broken:
                raise httpx.ReadError("", request=request)
            if self.a_gone:
                raise httpx.ConnectError("refused", request=request)
            return httpx.Response(404)
        if request.url.path == f"/conversations/{KEY}/tracker":
            return httpx.Response(200, json={"sender_id": KEY, "events": self.saved})
        return httpx.Response(404)


@pytest.fixture
def servers() -> TwoServers:
    return TwoServers()


@pytest.fixture
async def client(servers: TwoServers) -> AsyncIterator[RasaClient]:
    rasa = RasaClient(SERVERS, transport=httpx.MockTransport(servers))
    yield rasa
    await rasa.aclose()


async def test_a_turn_lost_whole_is_sent_once_to_the_other_server(client, servers):
    answer = await client.send(KEY, "yes", metadata={"channel": "web"})

    assert answer == [BotMessage(text="b heard yes")]
    [dropped] = servers.posted["rasa-a"]
    [again] = servers.posted["rasa-b"]
    assert again == dropped  # the same message, the same id
    assert again["metadata"]["channel"] == "web"


async def test_a_turn_saved_before_the_server_died_is_answered_from_the_tracker(client, servers):
    def save_the_turn(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        servers.saved[:] = [
            {"event": "bot", "text": "Shall I place the order?"},
            {"event": "user", "text": "yes", "metadata": body["metadata"]},
            {"event": "action", "name": "action_place_order"},
            {
                "event": "bot",
                "text": "Your order SO-000042 is placed.",
                "data": {"buttons": [{"title": "Thanks", "payload": "/thank"}], "custom": {}},
            },
            {"event": "action", "name": "action_listen"},
        ]
        raise httpx.RemoteProtocolError("Server disconnected", request=request)

    servers.a_answers = save_the_turn
    answer = await client.send(KEY, "yes")

    assert [m.text for m in answer] == ["Your order SO-000042 is placed."]
    assert answer[0].buttons[0].payload == "/thank"
    assert servers.posted["rasa-b"] == []  # not run twice


async def test_a_server_that_still_answers_may_be_working_on_it_so_nothing_is_resent(
    client, servers
):
    servers.a_gone = False

    with pytest.raises(RasaUnavailable, match=r"^Rasa failed: Server disconnected"):
        await client.send(KEY, "yes")

    assert servers.posted["rasa-b"] == []


async def test_a_server_dying_as_it_is_asked_is_asked_again_until_it_refuses(client, servers):
    servers.probes_broken = 3

    answer = await client.send(KEY, "yes")

    assert answer == [BotMessage(text="b heard yes")]
    assert servers.probes == 4
    assert len(servers.posted["rasa-b"]) == 1


async def test_a_server_whose_connections_keep_breaking_is_not_taken_for_gone(client, servers):
    servers.probes_broken = 1000

    with pytest.raises(RasaUnavailable, match=r"^Rasa failed"):
        await client.send(KEY, "yes")

    assert servers.probes == REFUSAL_ATTEMPTS
    assert servers.posted["rasa-b"] == []


async def test_a_server_that_does_not_answer_the_question_may_still_be_working(servers):
    def hung(request: httpx.Request) -> httpx.Response:
        if request.url.host == "rasa-a" and request.method == "GET":
            raise httpx.ReadTimeout("hung", request=request)
        return servers(request)

    rasa = RasaClient(SERVERS, transport=httpx.MockTransport(hung))
    try:
        with pytest.raises(RasaUnavailable, match=r"^Rasa failed"):
            await rasa.send(KEY, "yes")
    finally:
        await rasa.aclose()
    assert servers.posted["rasa-b"] == []


async def test_a_timeout_is_never_redelivered(client, servers):
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    servers.a_answers = slow
    with pytest.raises(RasaUnavailable, match=r"^Rasa timed out"):
        await client.send(KEY, "yes")

    assert servers.posted["rasa-b"] == []


async def test_every_message_carries_its_own_id(client, servers):
    await client.send(KEY, "one")
    await client.send(KEY, "two")

    ids = [body["metadata"][MESSAGE_ID] for body in servers.posted["rasa-b"]]
    assert len(set(ids)) == 2
    assert all(len(i) == 32 for i in ids)


def test_the_saved_answer_stops_at_the_next_customer_message():
    events = [
        {"event": "user", "text": "yes", "metadata": {MESSAGE_ID: "m1"}},
        {"event": "bot", "text": "Done.", "data": {}},
        {"event": "user", "text": "thanks", "metadata": {MESSAGE_ID: "m2"}},
        {"event": "bot", "text": "You're welcome."},
    ]
    assert saved_answer({"events": events}, "m1") == [
        {"text": "Done.", "buttons": [], "custom": {}}
    ]
    assert saved_answer({"events": events}, "m3") is None
    assert saved_answer({"events": "junk"}, "m1") is None
