"""One run's loop against a fake chat door (httpx's MockTransport) and a real seeded CRM."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import httpx

from converse.crm import catalog
from converse.run import Live, play, wanted_lines
from converse.scenario import Expectation, Persona, Phrasing, Scenario

PRICE = Expectation(kind="told", fields={"all": ["{price:NOV-14}"]})


def story(*expect: Expectation, max_turns: int = 6) -> Scenario:
    phrasing = Phrasing(
        opening="How much is the Nova 14?", then=(), answers={}, identify_with="email",
        clicks=False, persona=Persona(account="C-100001"),
    )  # fmt: skip
    return Scenario(
        name="price", process="product_info", goal="g", path=Path("price.yml"),
        max_turns=max_turns, phrasings=(phrasing,) * 3, expect=expect,
    )  # fmt: skip


def gateway(answer: str, sent: list[str]) -> httpx.Client:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/conversations":
            return httpx.Response(201, json={"conversation_id": "c1.tag"})
        sent.append(json.loads(request.content)["text"])
        body = {"conversation_id": "c1.tag", "messages": [{"text": answer}], "handed_off": False}
        return httpx.Response(200, json=body)

    return httpx.Client(base_url="http://gateway", transport=httpx.MockTransport(handle))


def live(crm, http: httpx.Client) -> Live:
    return Live(engine=crm.engine, sessions=crm.sessions, http=http, catalog=catalog(crm.sessions))


def test_a_run_ends_as_soon_as_the_goal_is_met(crm):
    sent: list[str] = []
    with gateway("The Nova 14 costs 749,00 €.", sent) as http:
        result = play(live(crm, http), story(PRICE), 0)

    assert (result.success, result.ended, len(result.turns)) == (True, "goal met", 1)
    assert sent == ["How much is the Nova 14?"]
    assert result.turns[0].bot == ("The Nova 14 costs 749,00 €.",)


def test_a_customer_asked_the_same_thing_again_and_again_leaves(crm):
    sent: list[str] = []
    with gateway("What is your postcode?", sent) as http:
        result = play(live(crm, http), story(PRICE), 0)

    assert (result.success, result.ended) == (False, "customer left (nothing new to say)")
    assert sent == ["How much is the Nova 14?", "69002", "my postcode is 69002"]


def test_a_door_that_fails_ends_the_run_with_the_reason(crm):
    def broken(request: httpx.Request) -> httpx.Response:
        return httpx.Response(500, text="boom")

    with httpx.Client(base_url="http://gateway", transport=httpx.MockTransport(broken)) as http:
        result = play(live(crm, http), story(PRICE), 0)

    assert result.ended.startswith("error: ChatError: POST /api/conversations: HTTP 500")
    assert result.verdict is None
    assert not result.success


def test_the_lines_the_customer_wants_come_from_its_order_or_quote():
    order = Expectation(kind="order", fields={"lines": {"NOV-14": 2}})
    quote = Expectation(kind="quote", fields={"lines": {"ZEN-PRO": 1}})

    assert wanted_lines(story(PRICE, quote, order)) == {"NOV-14": 2}
    assert wanted_lines(story(quote)) == {"ZEN-PRO": 1}
    assert wanted_lines(story(PRICE)) is None


def test_a_french_conversation_tells_the_gateway_its_language_with_its_first_message(crm):
    metadata: list[object] = []

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/conversations":
            return httpx.Response(201, json={"conversation_id": "c1.tag"})
        metadata.append(json.loads(request.content).get("metadata"))
        body = {"conversation_id": "c1.tag", "messages": [{"text": "Quel est votre code postal ?"}]}
        return httpx.Response(200, json=body)

    scenario = replace(story(PRICE), language="fr")
    with httpx.Client(base_url="http://gateway", transport=httpx.MockTransport(handle)) as http:
        play(live(crm, http), scenario, 0)

    assert metadata == [{"language": "fr"}, None, None]
