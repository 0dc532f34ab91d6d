"""The web chat page in a real browser (Debian's chromium, driven by Playwright)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import LiveStack


@pytest.fixture
def page(browser: Browser, live_stack: LiveStack) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_stack.url}/")
    try:
        yield page
    finally:
        context.close()


def _send(page: Page, text: str) -> None:
    page.get_by_label("Your message").fill(text)
    page.get_by_role("button", name="Send").click()


def _bot_messages(page: Page) -> list[str]:
    return page.locator(".msg--bot").all_inner_texts()


def test_a_customer_is_identified_and_confirms_with_a_button(page: Page) -> None:
    log = page.get_by_role("log")
    _send(page, "My email is pierre.moreau@example.fr")
    expect(log.locator(".msg--bot").last).to_contain_text("postcode")

    _send(page, "69002")
    expect(log.locator(".msg--bot").last).to_contain_text("Am I speaking with Pierre Moreau?")

    bot_messages = log.locator(".msg--bot")
    shown = bot_messages.count()
    yes = bot_messages.last.get_by_role("button").filter(has_text="Yes").first
    title = yes.inner_text()
    yes.click()

    # The click sends the button's payload and shows its title as the customer's line.
    expect(log.locator(".msg--me").last).to_have_text("You said: " + title)
    expect(yes).to_be_disabled()
    expect(bot_messages).not_to_have_count(shown, timeout=30_000)
    context = "\n".join(_bot_messages(page)[shown:])
    assert "C-100001" in context or "order" in context.lower(), context


def test_markup_from_the_customer_shows_as_text(page: Page) -> None:
    _send(page, "<b>bold</b> <img src=x onerror=alert(1)>")

    mine = page.locator(".msg--me").last
    expect(mine).to_have_text("You said: <b>bold</b> <img src=x onerror=alert(1)>")
    assert page.locator(".msg--me b, .msg--me img").count() == 0
    expect(page.locator(".msg--bot")).not_to_have_count(1, timeout=30_000)


def test_a_refused_message_says_why(page: Page) -> None:
    # The input's maxlength stops typing past 2,000 characters; a script can still send more.
    page.evaluate("document.getElementById('text').removeAttribute('maxlength')")
    _send(page, "x" * 2001)

    expect(page.locator(".msg--error").last).to_contain_text("2000")
