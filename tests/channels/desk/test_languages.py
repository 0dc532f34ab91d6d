"""The desk shows each conversation's language, and the customer's words as written."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from tests.channels.desk.conftest import customer_says, handed_off, queue
from tests.channels.handoff_fakes import DeskBrowser

BADGE = re.compile(
    r'<span class="lang-badge" data-language="([^"]*)" title="([^"]*)">([^<]*)</span>'
)


class Speaking:
    """The gateway's records of languages, answering ``answer`` for every conversation."""

    def __init__(self, answer: str) -> None:
        self.answer = answer

    async def language_of(self, conversation_id: str) -> str:
        return self.answer


def speaking(gateway: TestClient, monkeypatch: pytest.MonkeyPatch, answer: str) -> None:
    """Every conversation speaks ``answer``, as the gateway's records say."""
    monkeypatch.setattr(gateway.app.state, "conversation_languages", Speaking(answer))


def test_a_conversation_is_english_until_the_gateway_knows_better(
    desk_gateway: TestClient, anna: DeskBrowser
) -> None:
    handoff_id = handed_off(desk_gateway)

    assert [row["language"] for row in queue(anna)] == ["en"]
    assert BADGE.findall(desk_gateway.get("/desk").text) == [("en", "English", "EN")]
    page = desk_gateway.get(f"/desk/handoffs/{handoff_id}").text
    assert BADGE.findall(page) == [("en", "English", "EN")]


def test_a_french_conversation_has_the_fr_badge_on_the_queue_and_its_page(
    desk_gateway: TestClient, anna: DeskBrowser, monkeypatch: pytest.MonkeyPatch
) -> None:
    handoff_id = handed_off(desk_gateway)
    speaking(desk_gateway, monkeypatch, "fr")

    assert [row["language"] for row in queue(anna)] == ["fr"]
    assert BADGE.findall(desk_gateway.get("/desk").text) == [("fr", "French", "FR")]
    page = desk_gateway.get(f"/desk/handoffs/{handoff_id}").text
    heading = re.search(r"<h1>.*?</h1>", page, re.DOTALL)
    assert heading is not None
    assert BADGE.findall(heading.group(0)) == [("fr", "French", "FR")]


@pytest.mark.parametrize(
    ("answer", "shown"),
    [
        ("FR", "fr"),
        ("fr-CA", "fr"),
        ("de", "en"),
        ("", "en"),
        ('"><script>alert(1)</script>', "en"),
        ("fr\u0000", "en"),
    ],
)
def test_only_a_language_the_doors_speak_is_shown(
    desk_gateway: TestClient,
    anna: DeskBrowser,
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    shown: str,
) -> None:
    handed_off(desk_gateway)
    speaking(desk_gateway, monkeypatch, answer)

    page = desk_gateway.get("/desk").text

    assert [row["language"] for row in queue(anna)] == [shown]
    assert [badge[0] for badge in BADGE.findall(page)] == [shown]
    assert "<script>alert" not in page


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Je voudrais l'Éclipse 3000, ça coûte combien ? Merci, Hélène", id="composed"),
        pytest.param("Ou\u0300 est ma commande ? C\u0327a fait 2 semaines", id="combining-marks"),
        pytest.param("Prix : 1\u202f299 € « vraiment » — œuvre, naïve, Noël", id="typography"),
    ],
)
def test_the_customers_words_reach_the_desk_exactly_as_written(
    desk_gateway: TestClient, anna: DeskBrowser, text: str
) -> None:
    handoff_id = handed_off(desk_gateway)
    anna.post(f"/desk/handoffs/{handoff_id}/take")
    customer_says(desk_gateway, text)

    lines = desk_gateway.get(f"/desk/api/handoffs/{handoff_id}/transcript").json()["lines"]
    page = desk_gateway.get(f"/desk/handoffs/{handoff_id}").text

    assert [line["text"] for line in lines if line["role"] == "customer"][-1] == text
    shown = re.findall(r'<span class="line__text">([^<]*)</span>', page)
    assert html.unescape(shown[-1]) == text
