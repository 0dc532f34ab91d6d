"""PostgreSQL restarted under load, Redis stopped: the customer gets the apology, never a hang
nor a second order, and the next turns work once the store is back."""

from __future__ import annotations

import os
import signal
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from channels.conversations.apology import SORRY

from .conftest import IDENTIFY, ORDER, Customer, Scaled, answered_once, services, wait_for

# The gateway's apology must come promptly: well within the chat's own timeouts.
PROMPT = 10.0


def _drafted(scaled: Scaled, prefix: str, count: int) -> list[Customer]:
    customers = [Customer(scaled.url, f"{prefix}-{uuid.uuid4().hex[:12]}") for _ in range(count)]

    def draft(customer: Customer) -> None:
        for text, metadata in IDENTIFY:
            assert customer.say(text, **metadata)[0] == 200
        status, said = customer.say(ORDER)
        assert (status, "Shall I place it?" in said) == (200, True), said

    with ThreadPoolExecutor(count) as pool:
        list(pool.map(draft, customers))
    return customers


def test_postgresql_restarted_under_load_apologises_then_works_and_orders_once(
    scaled: Scaled,
) -> None:
    customers = _drafted(scaled, "scaled-pg", 8)
    with ThreadPoolExecutor(len(customers)) as pool:
        confirming = [pool.submit(c.say, "yes please") for c in customers]
        stopped = time.monotonic()
        services("pg-stop", scaled.env)
        # Turns while it is down: each answered at once, with the apology.
        started = time.monotonic()
        down_status, _ = customers[0].say("where is my order?")
        down_took = time.monotonic() - started
        health_down = scaled.health()
        services("pg-start", scaled.env)
        restart_took = time.monotonic() - stopped
        first = [f.result() for f in confirming]
        placed = list(pool.map(lambda c: c.say_until_answered("yes please"), customers))
        after = list(pool.map(lambda c: c.say("where is my order?"), customers))
    wait_for("healthy", lambda: scaled.health()[0] == 200, 30)
    trackers = {c.conversation_id: scaled.tracker(c.conversation_id, "rasa-2") for c in customers}
    for customer in customers:
        customer.close()

    assert restart_took < 30
    assert {code for code, _ in first} <= {200, 503}
    assert (down_status, down_took < PROMPT) == (503, True)
    assert health_down[0] == 503
    assert health_down[1]["database"] == "down"
    assert health_down[1]["tracker store (postgresql)"] == "down"
    orders = {c.conversation_id: scaled.orders_of(c.conversation_id) for c in customers}
    assert {cid: len(numbers) for cid, numbers in orders.items()} == dict.fromkeys(orders, 1)
    numbers = [orders[c.conversation_id][0] for c in customers]
    assert [n for n, said in zip(numbers, placed, strict=True) if n not in said] == []
    assert [code for code, _ in after if code != 200] == []
    assert [
        c.conversation_id
        for c in customers
        if not answered_once(c.sent, trackers[c.conversation_id])
    ] == []


def test_a_hung_redis_is_apologised_for_within_rasas_lock_timeout(scaled: Scaled) -> None:
    """Redis paused (SIGSTOP): Rasa's lock store times out (socket_timeout: 2) and the turn
    fails at once, not at the gateway's own timeout."""
    [customer] = _drafted(scaled, "scaled-redis-hung", 1)
    pid = int((Path(scaled.env["ICBOT_SERVICES_DIR"]) / "redis.pid").read_text())
    os.kill(pid, signal.SIGSTOP)
    try:
        health = scaled.health()
        started = time.monotonic()
        status, said = customer.say("Tell me about the Éclipse 3000")
        took = time.monotonic() - started
    finally:
        os.kill(pid, signal.SIGCONT)
    wait_for("healthy", lambda: scaled.health()[0] == 200, 30)
    back_status, back = customer.say("Tell me about the Éclipse 3000")
    customer.close()

    assert (health[0], health[1]["lock store (redis)"]) == (503, "unreachable")
    assert (status, took < 6) == (503, True), (took, said)
    assert SORRY in said
    assert (back_status, "Éclipse 3000" in back) == (200, True), back


def test_redis_stopped_is_named_by_healthz_and_apologised_for_then_works(scaled: Scaled) -> None:
    [customer] = _drafted(scaled, "scaled-redis", 1)
    services("redis-stop", scaled.env)
    try:
        health = scaled.health()
        started = time.monotonic()
        status, said = customer.say("Tell me about the Éclipse 3000")
        took = time.monotonic() - started
    finally:
        services("redis-start", scaled.env)
    wait_for("healthy", lambda: scaled.health()[0] == 200, 30)
    back_status, back = customer.say("Tell me about the Éclipse 3000")
    customer.close()

    assert health[0] == 503
    assert health[1]["lock store (redis)"] == "unreachable"
    # The rest is up: the answer names the part that is down, and only that one.
    assert [health[1][part] for part in ("rasa", "actions", "database")] == ["ok"] * 3
    assert (status, took < PROMPT) == (503, True), said
    assert SORRY in said
    assert (back_status, "Éclipse 3000" in back) == (200, True), back
