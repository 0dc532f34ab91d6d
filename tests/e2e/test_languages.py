"""One Rasa per language on one tracker store: a customer who switches language mid-conversation
keeps the identified account and the product chosen, and the bot answers in the new language.

On the e2e stack, which starts a Rasa server per language as `make run` does.
"""

from __future__ import annotations

import httpx

from crm_backend.models import ConversationLanguage
from languages.identify import identify

from .conftest import Chat, LiveStack, rasa_tracker


def test_health_names_each_languages_rasa(live: LiveStack) -> None:
    response = httpx.get(f"{live.url}/healthz", timeout=10)

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["rasa"], body["actions"], body["database"]) == ("ok", "ok", "ok")
    assert body["rasa_languages"] == {"en": "ok", "fr": "ok"}


def test_a_switch_keeps_the_account_and_the_product_and_the_bot_answers_in_french(
    live: LiveStack,
) -> None:
    with Chat(live.url) as chat:
        chat.say("Hello, my customer number is C-100001")
        confirm = chat.say("69002")
        chat.say("Yes")
        product = chat.say("Tell me about the Éclipse 3000")
        switched = chat.say("en français s'il vous plaît")
        sender = f"web-{chat.conversation_id}"

    assert "Pierre Moreau" in confirm
    assert "Éclipse 3000" in product
    tracker = rasa_tracker(live, sender, rasa_url=live.stack.rasa_urls["rasa-fr"])
    slots = tracker["slots"]
    assert slots["account_id"] == "1"
    chosen = str([slots.get(name) for name in ("focus_product", "mentioned_products")])
    assert "ECL-3000" in chosen or "Éclipse 3000" in chosen, chosen
    users = [e for e in tracker["events"] if e["event"] == "user"]
    assert [e["metadata"]["language"] for e in users] == ["en", "en", "en", "en", "fr"]
    with live.sessions() as session:
        row = session.query(ConversationLanguage).filter_by(conversation_id=sender).one()
        assert (row.language, row.chosen_by, row.account_checked) == ("fr", "switch", True)
    assert identify(switched) == "fr", switched
