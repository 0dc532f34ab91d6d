"""Two Rasa servers sharing the tracker store (``ICBOT_RASA_SERVERS=2``): ``kill -9`` one, and its
conversations go on on the other with their slots, no message answered twice; it comes back.

A stack of its own (the test kills one of its processes) with the launcher's
supervisor, as ``make run`` has it. Customers are identified before the kill;
each conversation's turns are then read back from the shared tracker store:
every message the customer sent is there once, in order.
"""

from __future__ import annotations

import os
import signal
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from channels.conversations.rasa_servers import rendezvous
from launcher.stack import DEFAULT_MODEL, Ports, Stack
from launcher.supervisor import Supervisor

from . import crm_checks
from .conftest import (
    API_TOKEN,
    PIERRE,
    PIERRES_PHONE,
    Chat,
    LiveStack,
    rasa_tracker,
    running,
    stack_env,
)

CONVERSATIONS = 12
RESTART_TIMEOUT = 300  # Rasa loads its model again: about 45 s, more on a busy machine
IDENTIFY = (("Hello", {"phone": PIERRES_PHONE}), ("69002", {}), ("Yes", {}))
ASK = "Tell me about the Éclipse 3000"


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveStack, Supervisor]]:
    if not DEFAULT_MODEL.exists():
        pytest.fail(f"no trained model at {DEFAULT_MODEL}: run `make model` (make test does)")
    var_dir = tmp_path_factory.mktemp("e2e-rasa-servers")
    ports = Ports.free()
    stack = Stack(
        ports=ports, env=stack_env(var_dir, ports), log_dir=var_dir / "log", rasa_servers=2
    )
    with running(stack) as live:
        supervisor = Supervisor(stack).start()
        try:
            yield live, supervisor
        finally:
            supervisor.stop()


def _wait_for(what: str, condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"not {what} after {timeout:.0f} s"
        time.sleep(0.5)


def _refuses(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except ConnectionRefusedError:
        return True
    return False


def _health(live: LiveStack) -> tuple[int, dict[str, str]]:
    response = httpx.get(f"{live.url}/healthz", timeout=10)
    return response.status_code, response.json()


def _user_texts(tracker: dict[str, object]) -> list[str]:
    events = tracker["events"]
    assert isinstance(events, list)
    return [str(e.get("text")) for e in events if e.get("event") == "user"]


def _tracker(live: LiveStack, url: str, chat: Chat) -> dict[str, object]:
    return rasa_tracker(live, f"api-{chat.conversation_id}", rasa_url=url)


def _account(tracker: dict[str, object]) -> str:
    slots = tracker["slots"]
    assert isinstance(slots, dict)
    return str(slots.get("account_id"))


def test_a_killed_rasa_servers_conversations_go_on_on_the_other_with_their_slots(
    two_servers: tuple[LiveStack, Supervisor],
) -> None:
    live, _supervisor = two_servers
    urls = live.stack.rasa_urls
    assert list(urls) == ["rasa-1", "rasa-2"]
    chats = [
        Chat(live.url, f"e2e-scale-{uuid.uuid4().hex[:12]}", token=API_TOKEN)
        for _ in range(CONVERSATIONS)
    ]
    home = {
        chat.conversation_id: rendezvous(f"api-{chat.conversation_id}", list(urls.values()))[0]
        for chat in chats
    }
    on_the_killed = [c for c in chats if home[c.conversation_id] == urls["rasa-1"]]
    assert 0 < len(on_the_killed) < CONVERSATIONS, "both servers have conversations"
    sent: dict[str, list[str]] = {chat.conversation_id: [] for chat in chats}

    def say(chat: Chat, text: str, **metadata: object) -> str:
        sent[chat.conversation_id].append(text)
        return chat.say(text, **metadata)  # asserts 200: no apology

    for chat in chats:
        for text, metadata in IDENTIFY:
            say(chat, text, **metadata)
    identified = [_account(_tracker(live, urls["rasa-2"], c)) for c in chats]

    old_pid = live.stack.pids()["rasa-1"]
    os.kill(old_pid, signal.SIGKILL)
    # Gone, not going: a message caught by the kill itself is the next test's case.
    _wait_for("rasa-1 gone", lambda: _refuses(live.stack.rasa_ports[0]), 10)
    during = [say(chat, ASK) for chat in chats]
    health_during = _health(live)
    after_kill = {c.conversation_id: _tracker(live, urls["rasa-2"], c) for c in chats}

    _wait_for("restarted", lambda: live.stack.pids().get("rasa-1", old_pid) != old_pid, 30)
    _wait_for("back", lambda: _health(live)[1].get("rasa-1") == "ok", RESTART_TIMEOUT)
    back = [say(chat, ASK) for chat in on_the_killed]
    # Read from the restarted server this time: the same store, the same turns.
    after_restart = {c.conversation_id: _tracker(live, urls["rasa-1"], c) for c in chats}
    for chat in chats:
        chat.close()

    assert identified == [str(PIERRE)] * CONVERSATIONS
    assert [text for text in during if "Éclipse 3000" not in text] == []
    assert health_during == (
        200,
        {
            "rasa": "ok",
            "rasa_languages": {"en": "ok"},
            "rasa-1": "down",
            "rasa-2": "ok",
            "actions": "ok",
            "database": "ok",
        },
    )
    # Every conversation still identified, every message in its tracker once, in order.
    assert {cid: _account(t) for cid, t in after_kill.items()} == dict.fromkeys(sent, str(PIERRE))
    assert {cid: _user_texts(t) for cid, t in after_restart.items()} == sent
    assert [text for text in back if "Éclipse 3000" not in text] == []
    assert {cid: _account(t) for cid, t in after_restart.items()} == dict.fromkeys(
        sent, str(PIERRE)
    )


def test_an_order_confirmed_as_its_server_dies_is_placed_once_by_the_other(
    two_servers: tuple[LiveStack, Supervisor],
) -> None:
    live, _supervisor = two_servers
    urls = live.stack.rasa_urls
    _wait_for("rasa-1 up", lambda: _health(live)[1].get("rasa-1") == "ok", RESTART_TIMEOUT)
    conversation_id = next(
        cid
        for cid in (f"e2e-doubt-{uuid.uuid4().hex[:12]}" for _ in range(1000))
        if rendezvous(f"api-{cid}", list(urls.values()))[0] == urls["rasa-1"]
    )
    earlier = crm_checks.before(live)
    with Chat(live.url, conversation_id, token=API_TOKEN) as chat:
        for text, metadata in IDENTIFY:
            chat.say(text, **metadata)
        asked = chat.say("I'd like two Nova 14 please")
        assert "Shall I place it?" in asked, asked

        # rasa-1 takes the "yes" into its socket and is killed before it answers: the
        # gateway cannot tell from the broken connection whether the turn ran.
        pid = live.stack.pids()["rasa-1"]
        os.kill(pid, signal.SIGSTOP)
        with ThreadPoolExecutor(max_workers=1) as pool:
            answer = pool.submit(chat.say, "yes please")
            time.sleep(1.0)
            os.kill(pid, signal.SIGKILL)
            placed = answer.result(timeout=60)
        status = chat.say("where is my order?")

    [order] = crm_checks.new_orders(live, earlier)
    assert order.number in placed, placed
    assert order.number in status, status
    tracker = rasa_tracker(live, f"api-{conversation_id}", rasa_url=urls["rasa-2"])
    assert _user_texts(tracker).count("yes please") == 1
