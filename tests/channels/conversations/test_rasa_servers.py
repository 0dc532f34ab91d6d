"""Rendezvous hashing of conversations over Rasa servers: stable, even, minimal movement; the
down marks, the pin of a message in doubt, and which failures are sent to the next server."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from collections.abc import Callable

import httpx
import pytest

from channels.conversations.rasa_servers import RasaServers, rendezvous

A, B, C = "http://rasa-a:5005", "http://rasa-b:5005", "http://rasa-c:5005"
IDS = [f"api-{i:04d}" for i in range(1000)]


def _first_choices(servers: list[str]) -> dict[str, str]:
    return {key: rendezvous(key, servers)[0] for key in IDS}


# --- hashing ---------------------------------------------------------------------------


def test_the_order_is_the_same_in_another_process_with_another_hash_seed() -> None:
    script = (
        "from channels.conversations.rasa_servers import rendezvous\n"
        f"for key in {IDS[:50]!r}: print(','.join(rendezvous(key, {[A, B, C]!r})))\n"
    )
    here = [",".join(rendezvous(key, [A, B, C])) for key in IDS[:50]]

    for seed in ("1", "2"):
        there = subprocess.run(
            [sys.executable, "-c", script],
            env={"PYTHONHASHSEED": seed, "PYTHONPATH": "."},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
        assert there == here


def test_the_order_does_not_depend_on_the_order_of_the_list() -> None:
    assert [rendezvous(key, [A, B, C]) for key in IDS] == [
        rendezvous(key, [C, A, B]) for key in IDS
    ]


@pytest.mark.parametrize("servers", [[A, B], [A, B, C]], ids=["2", "3"])
def test_a_thousand_conversations_spread_roughly_evenly(servers: list[str]) -> None:
    counts = Counter(_first_choices(servers).values())

    even = len(IDS) / len(servers)
    assert set(counts) == set(servers)
    assert [s for s, n in counts.items() if abs(n - even) > 0.15 * even] == [], counts


def test_removing_a_server_moves_only_its_conversations() -> None:
    before = _first_choices([A, B, C])
    after = _first_choices([A, C])

    moved = {key for key in IDS if before[key] != after[key]}
    assert moved == {key for key in IDS if before[key] == B}
    # ... each to its second choice, as the failover of a down server does.
    assert all(after[key] == rendezvous(key, [A, B, C])[1] for key in moved)


def test_adding_a_server_moves_only_the_conversations_it_takes() -> None:
    before = _first_choices([A, B])
    after = _first_choices([A, B, C])

    moved = [key for key in IDS if before[key] != after[key]]
    assert {after[key] for key in moved} == {C}
    assert 250 < len(moved) < 420  # about a third


# --- down marks and order ---------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _key_preferring(server: str, servers: list[str]) -> str:
    return next(key for key in IDS if rendezvous(key, servers)[0] == server)


def test_a_down_server_is_skipped_for_the_cooldown_then_taken_back() -> None:
    clock = Clock()
    servers = RasaServers([A, B, C], cooldown=5.0, clock=clock)
    key = _key_preferring(A, [A, B, C])
    preferred = rendezvous(key, [A, B, C])

    servers.mark_down(A, "refused")
    during = servers.order(key)
    clock.now += 5.0

    assert during == [*preferred[1:], A]  # still tried last, when all else fails
    assert servers.order(key) == preferred


def test_requests_of_no_conversation_take_the_up_servers_in_turn() -> None:
    servers = RasaServers([A, B, C], clock=Clock())
    servers.mark_down(B, "refused")

    firsts = [servers.order(None)[0] for _ in range(6)]

    assert firsts == [A, C, C, A, C, C]


def test_one_server_is_named_rasa_several_rasa_1_and_on() -> None:
    assert RasaServers([A + "/"]).names == {A: "rasa"}
    assert RasaServers([A, B]).names == {A: "rasa-1", B: "rasa-2"}
    with pytest.raises(ValueError, match="ICBOT_RASA_URLS"):
        RasaServers([" "])


# --- request: which failure goes to the next server ------------------------------------------


Outcome = Callable[[httpx.Request], httpx.Response]


def _refused(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("refused", request=request)


def _timed_out(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("no answer", request=request)


def _dropped(request: httpx.Request) -> httpx.Response:
    raise httpx.RemoteProtocolError("Server disconnected", request=request)


def _error(request: httpx.Request) -> httpx.Response:
    return httpx.Response(500, text="boom", request=request)


def _ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=[], request=request)


class Servers:
    """A :class:`RasaServers` over [A, B] whose servers answer as the test says, and a log."""

    def __init__(self, a: Outcome, b: Outcome = _ok) -> None:
        self.clock = Clock()
        self.servers = RasaServers([A, B], cooldown=5.0, clock=self.clock)
        self.outcomes = {A: a, B: b}
        self.seen: list[str] = []
        self.key = _key_preferring(A, [A, B])

    async def request(self, *, idempotent: bool = False, key: str | None = "") -> httpx.Response:
        async def send(server: str) -> httpx.Response:
            self.seen.append(server)
            return self.outcomes[server](httpx.Request("POST", f"{server}/webhook"))

        return await self.servers.request(
            self.key if key == "" else key, send, idempotent=idempotent
        )


async def test_a_refused_connection_goes_to_the_next_server_once() -> None:
    fake = Servers(a=_refused)

    response = await fake.request()

    assert (response.status_code, fake.seen) == (200, [A, B])
    assert fake.servers.is_down(A)


@pytest.mark.parametrize(
    ("outcome", "error"),
    [
        pytest.param(_timed_out, httpx.ReadTimeout, id="read-timeout"),
        pytest.param(_dropped, httpx.RemoteProtocolError, id="dropped"),
        pytest.param(_error, httpx.HTTPStatusError, id="5xx"),
    ],
)
async def test_a_message_rasa_may_have_received_is_never_sent_again(
    outcome: Outcome, error: type[Exception]
) -> None:
    fake = Servers(a=outcome)

    with pytest.raises(error):
        await fake.request()

    assert fake.seen == [A]
    assert fake.servers.is_down(A)


@pytest.mark.parametrize("outcome", [_timed_out, _dropped, _error])
async def test_an_idempotent_request_goes_to_the_next_server_after_any_failure(
    outcome: Outcome,
) -> None:
    fake = Servers(a=outcome)

    response = await fake.request(idempotent=True)

    assert (response.status_code, fake.seen) == (200, [A, B])


async def test_a_client_error_is_the_requests_fault_and_returned() -> None:
    fake = Servers(a=lambda r: httpx.Response(409, json={"reason": "paused"}, request=r))

    response = await fake.request()

    assert (response.status_code, fake.seen, fake.servers.is_down(A)) == (409, [A], False)


async def test_when_both_fail_the_last_failure_is_raised_after_two_tries() -> None:
    fake = Servers(a=_refused, b=_refused)

    with pytest.raises(httpx.ConnectError):
        await fake.request()

    assert fake.seen == [A, B]
    assert [fake.servers.is_down(A), fake.servers.is_down(B)] == [True, True]


async def test_a_message_in_doubt_pins_its_conversation_to_its_server_though_down() -> None:
    fake = Servers(a=_timed_out)
    with pytest.raises(httpx.ReadTimeout):
        await fake.request()

    # A may still be working on the first message: the next one waits behind it there.
    fake.outcomes[A] = _ok
    await fake.request()
    # Another conversation of A moves to B while A is down.
    fake.servers.mark_down(A, "timed out")
    other = next(k for k in IDS if k != fake.key and rendezvous(k, [A, B])[0] == A)
    await fake.request(key=other)

    assert fake.seen == [A, A, B]
    assert fake.servers.pinned(fake.key) is None  # A answered: the doubt is over


async def test_a_pinned_server_that_refuses_lets_its_conversation_move() -> None:
    fake = Servers(a=_timed_out)
    with pytest.raises(httpx.ReadTimeout):
        await fake.request()
    fake.outcomes[A] = _refused  # restarted: nothing of the message still runs there

    response = await fake.request()

    assert (response.status_code, fake.seen) == (200, [A, A, B])
    assert fake.servers.pinned(fake.key) is None


async def test_a_pin_ends_after_its_time() -> None:
    fake = Servers(a=_timed_out)
    with pytest.raises(httpx.ReadTimeout):
        await fake.request()

    fake.clock.now += fake.servers.doubt_ttl

    assert fake.servers.pinned(fake.key) is None
    assert fake.servers.order(fake.key) == [A, B]  # its cooldown is long over too
