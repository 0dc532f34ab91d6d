"""The web chat page's languages in a real browser (Debian's chromium, driven by Playwright).

The page and its files come from the real gateway app; the chat API behind
it is a recording fake, so these tests need no Rasa: they test the page.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, Route, expect, sync_playwright

from channels.chat.web_texts import EN, FR
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

ORIGIN = "http://chat.test"


class FakeChatApi:
    """The chat API as the page sees it: records the bodies it gets, answers one message."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []

    def __call__(self, route: Route) -> None:
        path = urlsplit(route.request.url).path
        if path == "/api/conversations":
            route.fulfill(status=201, json={"conversation_id": "c1"})
        elif path == "/api/conversations/c1/messages":
            self.bodies.append(json.loads(route.request.post_data or "{}"))
            route.fulfill(
                json={
                    "conversation_id": "c1",
                    "messages": [{"text": "Bonjour !"}],
                    "handed_off": False,
                }
            )
        else:  # the event feed
            route.fulfill(
                json={"conversation_id": "c1", "cursor": 0, "events": [], "handed_off": False}
            )


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def api() -> FakeChatApi:
    return FakeChatApi()


def open_page(
    browser: Browser, gateway: TestClient, api: FakeChatApi, *, locale: str, **options: Any
) -> Page:
    """The chat page from the gateway, in a browser context with ``locale``."""
    context = browser.new_context(locale=locale, **options)

    def from_gateway(route: Route) -> None:
        path = urlsplit(route.request.url).path
        if path.startswith("/api/"):
            api(route)
            return
        headers = route.request.all_headers()
        answer = gateway.get(path, headers={"Accept-Language": headers.get("accept-language", "")})
        route.fulfill(status=answer.status_code, headers=dict(answer.headers), body=answer.content)

    context.route(f"{ORIGIN}/**", from_gateway)
    page = context.new_page()
    page.goto(f"{ORIGIN}/")
    return page


def _send(page: Page, label: str, button: str, text: str) -> None:
    page.get_by_label(label).fill(text)
    page.get_by_role("button", name=button, exact=True).click()


def test_a_french_browser_gets_french_and_the_switch_changes_language(
    browser: Browser, gateway: TestClient, api: FakeChatApi
) -> None:
    page = open_page(browser, gateway, api, locale="fr-FR")
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    try:
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        expect(page.get_by_role("heading", level=1)).to_have_text(FR["heading"])
        expect(page.get_by_label(FR["message"])).to_have_attribute("placeholder", FR["placeholder"])
        expect(page.get_by_role("button", name="Français")).to_have_attribute(
            "aria-pressed", "true"
        )

        _send(page, FR["message"], FR["send"], "bonjour")
        expect(page.locator(".msg--bot")).to_have_text(FR["bot"] + "Bonjour !")
        expect(page.locator(".msg--me")).to_have_text(FR["you"] + "bonjour")

        page.get_by_role("button", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_role("heading", level=1)).to_have_text(EN["heading"])
        expect(page.get_by_label(EN["message"])).to_have_attribute("placeholder", EN["placeholder"])
        expect(page).to_have_title(EN["title"])
        _send(page, EN["message"], EN["send"], "hello")
        expect(page.locator(".msg--bot")).to_have_count(2)
        _send(page, EN["message"], EN["send"], "thanks")
        expect(page.locator(".msg--bot")).to_have_count(3)

        page.get_by_role("button", name="Français").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(FR["heading"])
        _send(page, FR["message"], FR["send"], "merci")
        expect(page.locator(".msg--bot")).to_have_count(4)
    finally:
        page.context.close()

    # The language goes with the first message, and with the first after each switch only.
    assert api.bodies == [
        {"text": "bonjour", "metadata": {"language": "fr"}},
        {"text": "hello", "metadata": {"language": "en"}},
        {"text": "thanks"},
        {"text": "merci", "metadata": {"language": "fr"}},
    ]
    assert refused == []


def test_the_choice_outlives_a_reload_of_the_tab(
    browser: Browser, gateway: TestClient, api: FakeChatApi
) -> None:
    page = open_page(browser, gateway, api, locale="en-GB")
    try:
        expect(page.get_by_role("heading", level=1)).to_have_text(EN["heading"])
        page.get_by_role("button", name="Français").click()
        page.reload()
        expect(page.get_by_role("heading", level=1)).to_have_text(FR["heading"])
        expect(page.locator("html")).to_have_attribute("lang", "fr")
    finally:
        page.context.close()


@pytest.mark.parametrize("locale", ["fr-FR", "en-GB"])
def test_the_header_fits_a_phone(
    browser: Browser, gateway: TestClient, api: FakeChatApi, locale: str
) -> None:
    page = open_page(browser, gateway, api, locale=locale, viewport={"width": 390, "height": 844})
    try:
        # Nothing wider than the screen, the switch and the composer in sight.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        for name in ("English", "Français"):
            box = page.get_by_role("button", name=name).bounding_box()
            assert box is not None
            assert (box["x"] + box["width"] <= 390, box["height"] >= 40) == (True, True)
        composer = page.locator("#composer").bounding_box()
        assert composer is not None
        assert composer["y"] + composer["height"] <= 844
    finally:
        page.context.close()
