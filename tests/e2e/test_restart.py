"""The whole embedded stack stopped and started between two messages: the conversation goes on.

Rasa keeps its conversations in the SQL tracker store (``endpoints.yml``,
``<ICBOT_VAR_DIR>/tracker.db``), so a customer who has been identified and
has an order waiting for "yes" when the stack stops finds it waiting after
the start: the same order is placed once, for the same customer, with no
new identification.
"""

from __future__ import annotations

import uuid

import pytest

from launcher.stack import DEFAULT_MODEL, Ports, Stack

from . import crm_checks
from .conftest import API_TOKEN, PIERRES_PHONE, Chat, running, stack_env


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory: pytest.TempPathFactory):
    if not DEFAULT_MODEL.exists():
        pytest.fail(f"no trained model at {DEFAULT_MODEL}: run `make model` (make test does)")
    return tmp_path_factory.mktemp("e2e-restart")


def test_an_order_waiting_for_yes_is_placed_once_after_a_restart(var_dir) -> None:
    ports = Ports.free()
    env = stack_env(var_dir, ports)
    conversation_id = f"e2e-restart-{uuid.uuid4().hex[:12]}"

    with running(Stack(ports=ports, env=env, log_dir=var_dir / "log")) as live:
        earlier = crm_checks.before(live)
        with Chat(live.url, conversation_id, token=API_TOKEN) as chat:
            chat.say("Hello", phone=PIERRES_PHONE)
            chat.say("69002")
            assert "Pierre Moreau" in chat.say("Yes")
            asked = chat.say("I'd like two Nova 14 please")
        assert "2 \N{MULTIPLICATION SIGN} Nova 14" in asked, asked
        assert "Shall I place it?" in asked, asked
        assert crm_checks.new_orders(live, earlier) == []

    # Everything stopped; the same var folder, new ports, a fresh start.
    ports = Ports.free()
    env = {**env, "ICBOT_PUBLIC_URL": f"http://127.0.0.1:{ports.gateway}"}
    with running(Stack(ports=ports, env=env, log_dir=var_dir / "log")) as live:
        with Chat(live.url, conversation_id, token=API_TOKEN) as chat:
            placed = chat.say("yes please")
            assert "SO-" in placed, placed
            # Still identified: what the customer asks next needs no new identification.
            status = chat.say("where is my order?")
        assert "find your account" not in status, status
        [order] = crm_checks.new_orders(live, earlier)
        assert order.number in placed
        assert [line.quantity for line in order.lines] == [2]
