"""The web chat page in a real browser (Debian's chromium, driven by Playwright)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect

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
    # The bot's answer comes (the page greets no more of its own: it is the first).
    expect(page.locator(".msg--bot").first).to_be_visible(timeout=30_000)


def test_a_refused_message_says_why(page: Page) -> None:
    # The input's maxlength stops typing past 2,000 characters; a script can still send more.
    page.evaluate("document.getElementById('text').removeAttribute('maxlength')")
    _send(page, "x" * 2001)

    expect(page.locator(".msg--error").last).to_contain_text("2000")


def test_the_assistant_greets_once(page: Page) -> None:
    """Issue 14: the page greeted on its own, then the assistant again: two greetings."""
    assert page.locator(".msg").count() == 0

    _send(page, "hello")

    expect(page.locator(".msg--bot")).to_have_count(1, timeout=30_000)
    greetings = [
        t for t in _bot_messages(page) if " ".join(t.split()).startswith("Assistant: Hello")
    ]
    assert len(greetings) == 1, _bot_messages(page)


def _is_inert(button: Locator) -> bool:
    """Disabled, and focus does not reach it."""
    return bool(
        button.evaluate("b => { b.focus(); return b.disabled && document.activeElement !== b; }")
    )


def test_buttons_of_earlier_messages_are_inert(page: Page) -> None:
    """Issue 14: an old message's buttons replayed old steps."""
    bot = page.locator(".msg--bot")
    _send(page, "hello")
    expect(bot).to_have_count(1, timeout=30_000)
    greeting = bot.nth(0).get_by_role("button")
    assert greeting.count() == 3
    assert not any(_is_inert(greeting.nth(i)) for i in range(3))

    # A newer message from the bot (the customer typed): the greeting's buttons are over.
    _send(page, "show me the options")
    expect(bot).to_have_count(2, timeout=30_000)
    assert all(_is_inert(greeting.nth(i)) for i in range(3))
    menu = bot.nth(1).get_by_role("button")
    assert menu.count() >= 3
    assert not any(_is_inert(menu.nth(i)) for i in range(menu.count()))
    # Tab from the message box never lands on an old button.
    page.get_by_label("Your message").focus()
    for _ in range(menu.count() + 3):
        page.keyboard.press("Shift+Tab")
        focused = page.evaluate("document.activeElement.closest('.msg')?.textContent || ''")
        assert not focused.startswith("Assistant: Hello"), focused

    # A click on an old button (forced past Playwright's own check) sends nothing.
    mine = page.locator(".msg--me").count()
    greeting.first.click(force=True)
    page.wait_for_timeout(500)
    assert page.locator(".msg--me").count() == mine

    # Using a button of the newest message retires that message's buttons too.
    menu.first.click()
    expect(page.locator(".msg--me")).to_have_count(mine + 1)
    assert all(_is_inert(menu.nth(i)) for i in range(menu.count()))


@pytest.mark.parametrize(
    "viewport",
    [
        pytest.param({"width": 390, "height": 844}, id="mobile"),
        pytest.param({"width": 1280, "height": 720}, id="desktop"),
    ],
)
def test_the_place_in_the_queue_is_in_sight(
    browser: Browser, live_stack: LiveStack, viewport: ViewportSize
) -> None:
    """Issue 14: the waiting banner took the room of the newest message, the queue's."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        page.goto(f"{live_stack.url}/")
        bot = page.locator(".msg--bot")
        # Enough of a conversation that the log scrolls.
        for count, text in enumerate(
            ["hello", "show me the options", "hi", "give me the menu"], start=1
        ):
            _send(page, text)
            expect(bot).to_have_count(count, timeout=30_000)
        _send(page, "I want to talk to a person")
        queued = bot.last
        expect(queued).to_contain_text("in the queue", timeout=30_000)
        expect(page.locator("#handoff")).to_be_visible()
        page.wait_for_timeout(300)  # the layout settles after the banner shows

        on_top = queued.evaluate(
            """m => {
                const r = m.getBoundingClientRect();
                const x = r.left + r.width / 2, y = r.top + r.height / 2;
                const inside = r.top >= 0 && r.bottom <= innerHeight && r.left >= 0
                    && r.right <= innerWidth;
                const top = document.elementFromPoint(x, y);
                return inside && top !== null && m.contains(top);
            }"""
        )
        assert on_top, _bot_messages(page)[-1]
    finally:
        context.close()
