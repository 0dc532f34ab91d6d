"""One order per confirmation (its idempotency key), in one transaction, in two, or from threads
at once; and orders placed at once take their stock once each."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from crm_backend.errors import Conflict
from crm_backend.services import orders
from crm_backend.services.pricing import LineRequest
from tests.crm_backend.services import test_orders as order_tests
from tests.crm_backend.services.test_orders import LAPTOP_AND_BAG, MONDAY, NOW, order_for, stock
from tests.factories import demo_catalog, make_account

# Pierre and the demo catalog, as the orders' tests have them.
pierre = order_tests.pierre


def test_same_key_twice_makes_one_order(any_uow, pierre):
    first = order_for(any_uow, pierre)
    again = order_for(any_uow, pierre, lines=[LineRequest("ECL-3000", 3)])

    assert again is first
    assert (any_uow.orders.count(), any_uow.outbox.count()) == (1, 1)
    assert stock(any_uow, "ECL-3000") == 4


def test_same_key_for_another_account_is_a_conflict(any_uow, pierre):
    anne = make_account(any_uow, first_name="Anne", phones=[], emails=[])
    order_for(any_uow, pierre)

    with pytest.raises(Conflict):
        order_for(any_uow, anne)


def seed_order_scene(uow_factory):
    """Pierre and the demo catalog, committed; returns Pierre's account id."""
    with uow_factory() as uow:
        demo_catalog(uow)
        account_id = make_account(uow, customer_number="C-100001").id
        uow.commit()
    return account_id


def place(uow_factory, account_id, key="conv-1:confirm"):
    with uow_factory() as uow:
        order = orders.place_order(
            uow,
            account_id=account_id,
            idempotency_key=key,
            lines=LAPTOP_AND_BAG,
            identity_confirmed=True,
            today=MONDAY,
            now=NOW,
        )
        uow.commit()
        return order.number


def committed_state(uow_factory):
    with uow_factory() as uow:
        return (
            [o.number for o in uow.orders.list_by()],
            [r.payload["number"] for r in uow.outbox.list_by()],
            stock(uow, "ECL-3000"),
            stock(uow, "BAG-ECL"),
        )


def test_retried_confirmation_in_a_new_transaction_returns_the_first_order(uow_factory):
    account_id = seed_order_scene(uow_factory)

    numbers = [place(uow_factory, account_id), place(uow_factory, account_id)]

    assert numbers == ["SO-000001", "SO-000001"]
    assert committed_state(uow_factory) == (["SO-000001"], ["SO-000001"], 4, 39)


def test_a_key_committed_after_the_check_returns_the_winners_order(uow_factory, monkeypatch):
    account_id = seed_order_scene(uow_factory)
    winner = place(uow_factory, account_id)

    with uow_factory() as uow:
        # This transaction checked for the key just before the winner committed.
        real_get_by = uow.orders.get_by
        calls = []

        def late_check(**attrs):
            calls.append(attrs)
            return None if len(calls) == 1 else real_get_by(**attrs)

        monkeypatch.setattr(uow.orders, "get_by", late_check)
        loser = orders.place_order(
            uow,
            account_id=account_id,
            idempotency_key="conv-1:confirm",
            lines=LAPTOP_AND_BAG,
            identity_confirmed=True,
            today=MONDAY,
        )
        uow.commit()

    assert (loser.number, len(calls)) == (winner, 2)
    assert committed_state(uow_factory) == (["SO-000001"], ["SO-000001"], 4, 39)


@pytest.mark.parametrize("threads", [2, 4])
def test_same_key_from_threads_at_once_makes_one_order(uow_factory, threads):
    account_id = seed_order_scene(uow_factory)
    checked = threading.Barrier(threads)

    def confirm():
        with uow_factory() as uow:
            real_get_by = uow.orders.get_by
            looked: list[dict[str, object]] = []

            def check_then_wait(**attrs):
                found = real_get_by(**attrs)
                if not looked:
                    looked.append(attrs)
                    # Every thread has looked for the key before any of them inserts.
                    checked.wait(timeout=30)
                return found

            uow.orders.get_by = check_then_wait
            order = orders.place_order(
                uow,
                account_id=account_id,
                idempotency_key="conv-1:confirm",
                lines=LAPTOP_AND_BAG,
                identity_confirmed=True,
                today=MONDAY,
                now=NOW,
            )
            uow.commit()
            return order.number

    with ThreadPoolExecutor(max_workers=threads) as pool:
        numbers = [f.result(timeout=60) for f in [pool.submit(confirm) for _ in range(threads)]]

    assert numbers == ["SO-000001"] * threads
    assert committed_state(uow_factory) == (["SO-000001"], ["SO-000001"], 4, 39)


def test_different_keys_from_threads_at_once_take_stock_once_each(uow_factory):
    account_id = seed_order_scene(uow_factory)
    start = threading.Barrier(4)

    def confirm(i):
        start.wait(timeout=30)
        return place(uow_factory, account_id, key=f"conv-{i}:confirm")

    with ThreadPoolExecutor(max_workers=4) as pool:
        numbers = sorted(f.result(timeout=60) for f in [pool.submit(confirm, i) for i in range(4)])

    assert numbers == ["SO-000001", "SO-000002", "SO-000003", "SO-000004"]
    assert committed_state(uow_factory)[2:] == (1, 36)
