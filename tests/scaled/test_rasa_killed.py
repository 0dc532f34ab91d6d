"""``kill -9`` one of two Rasa servers while 20 customers confirm their orders at once.

Every conversation goes on from the other server with its slots; no message is
answered twice (each tracker holds each answered message once, in order); and each
order is placed exactly once, the ones confirmed at the moment of the kill included:
the gateway answers a message the dead server dropped from the saved turn or by the
other server (channels/conversations/redelivery.py), or apologises, and a customer
who got the apology says "yes" again and gets the order already placed
(actions/orders.py, ``idempotency_key``), never a second one.
"""

from __future__ import annotations

import os
import signal
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from channels.conversations.rasa_servers import rendezvous
from tests.e2e.conftest import PIERRE

from .conftest import IDENTIFY, ORDER, Customer, Scaled, answered_once, wait_for

CUSTOMERS = 20
YES = "yes please"


def _draft(customer: Customer) -> str:
    for text, metadata in IDENTIFY:
        assert customer.say(text, **metadata)[0] == 200
    status, said = customer.say(ORDER)
    assert status == 200
    return said


def _timed(customer: Customer, text: str) -> tuple[int, str, float]:
    status, said = customer.say(text)
    return status, said, time.monotonic()


def test_a_killed_rasa_servers_customers_go_on_and_each_order_is_placed_once(
    scaled: Scaled,
) -> None:
    stack = scaled.live.stack
    urls = stack.rasa_urls
    customers = [Customer(scaled.url, f"scaled-kill-{uuid.uuid4().hex[:12]}") for _ in range(20)]
    home = {
        c.conversation_id: rendezvous(f"api-{c.conversation_id}", list(urls.values()))[0]
        for c in customers
    }
    on_the_killed = {
        c.conversation_id for c in customers if home[c.conversation_id] == urls["rasa-1"]
    }
    assert 0 < len(on_the_killed) < CUSTOMERS, "both servers have conversations"

    with ThreadPoolExecutor(CUSTOMERS) as pool:
        drafts = list(pool.map(_draft, customers))
        # Everyone confirms at once; rasa-1 dies as soon as one of its turns has placed its
        # order: it takes one turn at a time, so the rest of its turns are still under way.
        confirming = [pool.submit(_timed, c, YES) for c in customers]
        wait_for(
            "a first order placed by rasa-1",
            lambda: any(scaled.orders_of(cid) for cid in on_the_killed),
            30,
            every=0.01,
        )
        killed_at = time.monotonic()
        os.kill(stack.pids()["rasa-1"], signal.SIGKILL)
        first = {c.conversation_id: f.result() for c, f in zip(customers, confirming, strict=True)}
        # The apologised say it again, as they are asked to.
        again = {
            c.conversation_id: pool.submit(c.say_until_answered, YES)
            for c in customers
            if first[c.conversation_id][0] == 503
        }
        placed = {
            cid: again[cid].result() if cid in again else said
            for cid, (_, said, _) in first.items()
        }
        status = list(pool.map(lambda c: c.say("where is my order?"), customers))
    trackers = {c.conversation_id: scaled.tracker(c.conversation_id, "rasa-2") for c in customers}
    for customer in customers:
        customer.close()

    assert [d for d in drafts if "Shall I place it?" not in d] == []
    # The kill hit turns under way on rasa-1 (else this test proves nothing): answered
    # after it, each was in the dead server's hands or queue when it died.
    in_flight = {
        cid for cid, (_, _, ended) in first.items() if cid in on_the_killed and ended > killed_at
    }
    assert in_flight, "no turn of rasa-1 was under way when it was killed"
    apologised = {cid for cid, (code, _, _) in first.items() if code == 503}
    assert apologised <= in_flight
    orders = {c.conversation_id: scaled.orders_of(c.conversation_id) for c in customers}
    assert {cid: len(numbers) for cid, numbers in orders.items()} == dict.fromkeys(orders, 1)
    assert [cid for cid, said in placed.items() if orders[cid][0] not in said] == []
    assert [s for s in status if s[0] != 200] == []
    # Every conversation still identified, on the server that is left; each message once.
    assert {cid: t["slots"].get("account_id") for cid, t in trackers.items()} == dict.fromkeys(
        trackers, str(PIERRE)
    )
    assert [
        c.conversation_id
        for c in customers
        if not answered_once(c.sent, trackers[c.conversation_id])
    ] == []
