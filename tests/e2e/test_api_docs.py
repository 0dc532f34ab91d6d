"""``/docs`` and ``/redoc`` in a real browser (Debian's chromium), as on a machine offline.

The browser may reach the gateway only: every other request is refused, as
it would be without the internet, and recorded. FastAPI's own pages loaded
Swagger UI and ReDoc from a CDN, so offline they were blank.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Route, expect

from .conftest import LiveStack

REDOCLY_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


@dataclass
class Offline:
    """A page that reaches only the gateway, and what it asked for and complained of."""

    page: Page
    requests: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def offline(browser: Browser, live_stack: LiveStack) -> Iterator[Offline]:
    context = browser.new_context()
    page = context.new_page()
    seen = Offline(page)
    gateway = live_stack.url + "/"

    def only_the_gateway(route: Route) -> None:
        url = route.request.url
        if url.startswith(gateway) or url.startswith(("blob:", "data:")):
            route.continue_()
        else:
            seen.refused.append(url)
            route.abort("internetdisconnected")

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            seen.errors.append(message.text)

    context.route("**/*", only_the_gateway)
    page.on("request", lambda request: seen.requests.append(request.url))
    page.on("console", console)
    try:
        yield seen
    finally:
        context.close()


def outside(seen: Offline, live_stack: LiveStack) -> list[str]:
    gateway = live_stack.url + "/"
    return [u for u in seen.requests if not u.startswith((gateway, "blob:", "data:"))]


def test_swagger_ui_shows_the_operations_offline(offline: Offline, live_stack: LiveStack) -> None:
    page = offline.page
    page.goto(f"{live_stack.url}/docs")

    operations = page.locator(".opblock")
    expect(operations.first).to_be_visible(timeout=15_000)
    expect(
        page.locator(".opblock-summary-path", has_text="/api/conversations").first
    ).to_be_visible()
    assert operations.count() >= 16
    expect(page.locator(".info .title")).to_contain_text("icbot")
    assert outside(offline, live_stack) == []
    assert offline.refused == []
    # The page's Content-Security-Policy blocked nothing it needs.
    assert offline.errors == []
    assert f"{live_stack.url}/docs-assets/swagger-ui-bundle.js" in offline.requests


def test_redoc_shows_the_title_offline(offline: Offline, live_stack: LiveStack) -> None:
    page = offline.page
    page.goto(f"{live_stack.url}/redoc")

    expect(page.locator("h1").first).to_contain_text("icbot", timeout=15_000)
    expect(page.get_by_text("/api/conversations").first).to_be_attached()
    # ReDoc's sidebar shows Redocly's logo from their CDN, with no option to turn it off:
    # the page's Content-Security-Policy stops it in the browser, so it never goes out.
    assert outside(offline, live_stack) in ([], [REDOCLY_LOGO])
    assert offline.refused == []
    assert [e for e in offline.errors if REDOCLY_LOGO not in e] == []
    assert f"{live_stack.url}/docs-assets/redoc.standalone.js" in offline.requests
