"""The action server's state, learnt from the turns: a failed action means the apology,
an unreachable action server keeps turns off Rasa until its /health answers again."""

from __future__ import annotations

import json

import httpx
import pytest

from channels.conversations.actions_state import ActionsDown, ActionServerState, failed_action
from channels.conversations.rasa_client import RasaClient, RasaUnavailable
from tests.channels.conftest import RASA_URL

ACTIONS_URL = "http://actions.test/webhook"
REPLY = [{"text": "The Éclipse 3000 costs 1 299,00 €."}]


def _failure(action: str, *, unreachable: bool) -> dict[str, object]:
    """The message Rasa adds when a custom action failed (bot/remote_actions.py)."""
    return {
        "recipient_id": "web-c1",
        "custom": {"icbot": {"action_failed": action, "unreachable": unreachable}},
    }


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Stack:
    """Rasa and the action server's /health, as the gateway sees them."""

    def __init__(self) -> None:
        self.reply: list[dict[str, object]] = REPLY
        self.actions_up = True
        self.turns = 0
        self.health_checks = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "actions.test":
            self.health_checks += 1
            if not self.actions_up:
                raise httpx.ConnectError("connection refused", request=request)
            return httpx.Response(200, json={"status": "ok"})
        self.turns += 1
        json.loads(request.content)
        return httpx.Response(200, json=self.reply)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def stack() -> Stack:
    return Stack()


@pytest.fixture
async def client(stack: Stack, clock: Clock):  # type: ignore[no-untyped-def]
    client = RasaClient(
        RASA_URL,
        actions_url=ACTIONS_URL,
        transport=httpx.MockTransport(stack),
        clock=clock,
        actions_recheck=1.0,
    )
    yield client
    await client.aclose()


async def test_a_turn_asks_no_health_while_the_turns_go_well(
    client: RasaClient, stack: Stack
) -> None:
    for _ in range(3):
        assert [m.text for m in await client.send("web-c1", "hi")] == [REPLY[0]["text"]]

    assert (stack.turns, stack.health_checks) == (3, 0)


async def test_an_unreachable_action_server_means_the_apology_then_no_rasa_until_it_is_back(
    client: RasaClient, stack: Stack, clock: Clock
) -> None:
    # The turn that finds it gone reaches Rasa: its answer says the action could not run.
    stack.reply = [*REPLY, _failure("action_product_info", unreachable=True)]
    stack.actions_up = False

    with pytest.raises(RasaUnavailable, match="action server is down"):
        await client.send("web-c1", "Tell me about the Éclipse 3000")
    # Within the recheck interval: the apology at once, neither Rasa nor /health asked.
    with pytest.raises(RasaUnavailable):
        await client.send("web-c1", "hello?")
    assert (stack.turns, stack.health_checks) == (1, 0)

    clock.now += 1.5  # still down: one check, no turn
    with pytest.raises(RasaUnavailable):
        await client.send("web-c1", "hello?")
    assert (stack.turns, stack.health_checks) == (1, 1)

    stack.actions_up, stack.reply = True, REPLY
    clock.now += 1.5
    assert [m.text for m in await client.send("web-c1", "hello?")] == [REPLY[0]["text"]]
    assert (stack.turns, stack.health_checks) == (2, 2)
    assert not client.actions.down


async def test_an_action_server_gone_in_the_middle_of_a_turn_means_the_apology_and_down(
    client: RasaClient, stack: Stack
) -> None:
    stack.reply = [*REPLY, _failure("action_product_info", unreachable=True)]

    with pytest.raises(RasaUnavailable, match="action server is down"):
        await client.send("web-c1", "Tell me about the Éclipse 3000")

    assert client.actions.down


async def test_an_action_that_failed_otherwise_means_the_apology_for_that_turn_only(
    client: RasaClient, stack: Stack
) -> None:
    stack.reply = [_failure("action_place_order", unreachable=False)]

    with pytest.raises(RasaUnavailable, match="failed to run action_place_order"):
        await client.send("web-c1", "yes")

    stack.reply = REPLY
    assert [m.text for m in await client.send("web-c1", "yes")] == [REPLY[0]["text"]]
    assert not client.actions.down


async def test_many_waiting_turns_share_one_check(clock: Clock) -> None:
    checks = 0

    async def healthy() -> bool:
        nonlocal checks
        checks += 1
        return False

    state = ActionServerState(healthy, recheck=1.0, clock=clock)
    state.mark_down()
    clock.now += 2
    for _ in range(3):
        with pytest.raises(ActionsDown):
            await state.require()

    assert checks == 1


def test_only_a_failure_payload_is_a_failure() -> None:
    assert failed_action([{"icbot": {"other": 1}}, {"buttons": []}]) is None
    assert failed_action([{"icbot": {"action_failed": "a", "unreachable": True}}]) == ("a", True)
