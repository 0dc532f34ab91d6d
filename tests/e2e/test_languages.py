"""One Rasa per language on one tracker store: a customer who switches language mid-conversation
keeps the identified account and the product chosen, and the bot answers in the new language.

A stack of its own: an English and a French Rasa server (``models/icbot-fr.tar.gz``; while
that model is not trained yet, the French server runs the English model, which tests the
wiring only: the French answer is then an expected failure, never claimed).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from crm_backend.models import ConversationLanguage
from languages.identify import identify
from launcher.stack import DEFAULT_MODEL, Ports, Stack, model_path

from .conftest import Chat, LiveStack, rasa_tracker, running, stack_env

FRENCH_MODEL = model_path("fr")


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveStack, bool]]:
    """The stack with an English and a French Rasa; whether the French one speaks French."""
    if not DEFAULT_MODEL.exists():
        pytest.fail(f"no trained model at {DEFAULT_MODEL}: run `make model` (make test does)")
    var_dir = tmp_path_factory.mktemp("e2e-languages")
    french = FRENCH_MODEL.exists()
    model = FRENCH_MODEL
    if not french:
        model = var_dir / "icbot-fr-standin.tar.gz"
        shutil.copy(DEFAULT_MODEL, model)
    ports = Ports.free()
    stack = Stack(
        ports=ports,
        env=stack_env(var_dir, ports),
        log_dir=var_dir / "log",
        language_models={"fr": model},
    )
    with running(stack) as live:
        yield live, french


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def test_health_names_each_languages_rasa(bilingual: tuple[LiveStack, bool]) -> None:
    live, _french = bilingual

    response = httpx.get(f"{live.url}/healthz", timeout=10)

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["rasa"], body["actions"], body["database"]) == ("ok", "ok", "ok")
    assert body["rasa_languages"] == {"en": "ok", "fr": "ok"}
    pids = live.stack.pids()
    rss = {name: _rss_mb(pids[name]) for name in ("rasa", "rasa-fr")}
    print(f"\nRSS of the Rasa servers (MB): {rss}, together {sum(rss.values()):.0f}")


def test_a_switch_keeps_the_account_and_the_product_and_the_bot_answers_in_french(
    bilingual: tuple[LiveStack, bool],
) -> None:
    live, french = bilingual
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
    if not french:
        pytest.xfail("models/icbot-fr.tar.gz is not trained yet: the French server ran English")
    assert identify(switched) == "fr", switched
