"""The reference example of PROCESSES.md, end to end through the chat API.

The real gateway, Rasa with the trained model and the action server run on a
seeded SQLite database (tests/e2e/conftest.py); these tests talk to the
gateway as any client would and then read what the CRM holds.
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from crm_backend.models import Interaction, TranscriptEntry

from .conftest import API_TOKEN, PIERRES_PHONE, Chat, LiveStack
from .crm_checks import assert_the_crm_after, before, new_orders, primary_phone

NEW_PHONE = "+33698765432"
CALLER_PHONE = PIERRES_PHONE


def _digits_and_commas(text: str) -> str:
    return "".join(c for c in text if c.isdigit() or c in ",")


def _conversation_id() -> str:
    return f"e2e-{uuid.uuid4().hex[:12]}"


def _order_the_laptop_and_the_bag(chat: Chat) -> tuple[str, str, str]:
    """The part of the reference example after identification."""
    product = chat.say("Tell me about the Éclipse 3000")
    order = chat.say("I'd like to order the Éclipse 3000 and the laptop bag")
    placed = chat.say("Yes")
    return product, order, placed


def test_pierre_identified_by_email_orders_the_laptop_and_the_bag(live: LiveStack) -> None:
    earlier = before(live)
    with Chat(live.url) as chat:
        conversation_id = chat.conversation_id
        chat.say("Hello")
        verification = chat.say("My email is pierre.moreau@example.fr")
        confirm = chat.say("69002")
        context = chat.say("Yes")
        product, order, placed = _order_the_laptop_and_the_bag(chat)
        phone = chat.say(f"My new phone number is {NEW_PHONE}")
        chat.say("No, that's all")

    # Nothing of the account is shown before the second fact.
    assert "postcode" in verification.lower()
    assert "Pierre" not in verification
    assert "Pierre Moreau" in confirm
    assert "C-100001" in context or "order" in context.lower()
    assert "Éclipse 3000" in product
    assert "Éclipse Laptop Bag" in product
    assert "Éclipse 3000 Spare Battery" in product
    assert "Éclipse 3000" in order
    assert "Éclipse Laptop Bag" in order
    assert "1358,00" in _digits_and_commas(order)  # 1 299 € + 59 €: the total is shown
    (new_order,) = new_orders(live, earlier)
    assert new_order.number is not None
    assert new_order.number in placed
    assert NEW_PHONE[-4:] in phone.replace(" ", "")
    assert primary_phone(live) == NEW_PHONE
    assert_the_crm_after(live, earlier, conversation_id=f"web-{conversation_id}")


def test_a_trusted_caller_number_asks_the_postcode_then_to_confirm(live: LiveStack) -> None:
    earlier = before(live)
    conversation_id = _conversation_id()

    with Chat(live.url, conversation_id, token=API_TOKEN) as chat:
        greeting = chat.say("Hello", phone=CALLER_PHONE)
        checked = chat.say("69002")
        context = chat.say("Yes")
        _order_the_laptop_and_the_bag(chat)
        chat.say(f"My new phone number is {NEW_PHONE}")
        chat.say("Bye")

    # The number only picks the account: the postcode comes before any name.
    assert "postcode" in greeting.lower()
    assert "Pierre" not in greeting
    assert "Moreau" not in greeting
    assert "Am I speaking with Pierre Moreau?" in checked
    assert "Pierre" in context or "order" in context.lower()
    assert primary_phone(live) == NEW_PHONE
    assert_the_crm_after(live, earlier, conversation_id=f"api-{conversation_id}")


def test_a_caller_number_without_the_token_identifies_nobody(live: LiveStack) -> None:
    with Chat(live.url) as chat:
        conversation_id = chat.conversation_id
        chat.say("Hello", phone=CALLER_PHONE)
        chat.say("Yes")
        chat.say("Where is my order?")

    said = chat.everything_said
    for secret in ("Pierre", "Moreau", "C-100001", "69002", "SO-"):
        assert secret not in said
    with live.sessions() as session:
        interaction = session.scalars(
            select(Interaction).where(Interaction.conversation_id == f"web-{conversation_id}")
        ).one()
        assert interaction.account_id is None


def _stranger(live: LiveStack, email: str) -> Chat:
    with Chat(live.url) as chat:
        chat.say("Hello")
        chat.say(f"My email is {email}")
        chat.say("75001")
        chat.say("Where is my order?")
    return chat


def test_a_stranger_failing_the_second_check_learns_nothing(live: LiveStack) -> None:
    with_account = _stranger(live, "pierre.moreau@example.fr")
    without_account = _stranger(live, "nobody.at.all@example.fr")

    said = with_account.everything_said
    for secret in ("Pierre", "Moreau", "C-100001", "69002", "Éclipse", "SO-"):
        assert secret not in said
    # Not even that the account exists: word for word what an unknown address gets.
    assert said == without_account.everything_said


def test_health_names_every_part_ok(live_stack: LiveStack) -> None:
    import httpx

    response = httpx.get(f"{live_stack.url}/healthz", timeout=10)

    body = response.json()
    # The contract's three parts, then each language's Rasa (README, "Languages").
    assert response.status_code == 200
    assert (body["rasa"], body["actions"], body["database"]) == ("ok", "ok", "ok")
    assert body["rasa_languages"] == {"en": "ok", "fr": "ok"}


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"metadata": {}}, "text"),
        ({"text": ""}, "text"),
        ({"text": "x" * 2001}, "2000"),
        ('{"text": "hello"', "JSON"),
    ],
    ids=["no text", "empty text", "too long", "bad JSON"],
)
def test_bad_input_is_refused_with_a_reason_and_nothing_is_stored(
    live_stack: LiveStack, body: dict[str, object] | str, reason: str
) -> None:
    import httpx

    conversation_id = _conversation_id()
    url = f"{live_stack.url}/api/conversations/{conversation_id}/messages"
    if isinstance(body, str):
        response = httpx.post(
            url, content=body, headers={"Content-Type": "application/json"}, timeout=10
        )
    else:
        response = httpx.post(url, json=body, timeout=10)

    assert response.status_code == 422
    assert reason.lower() in response.text.lower()
    with live_stack.sessions() as session:
        stored = session.scalars(
            select(TranscriptEntry).where(
                TranscriptEntry.conversation_id.in_(
                    [f"web-{conversation_id}", f"api-{conversation_id}"]
                )
            )
        ).all()
        assert stored == []
