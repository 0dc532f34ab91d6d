"""The desk's conversation page as an agent reads it, on the real stack, in a real browser.

Pierre identifies himself (pressing the "Yes" button), asks for a quote and
then for a person. The agent, whose browser is in New York, opens the
waiting conversation and takes it. The page must show: the button's title,
not "/affirm"; every time in the company's zone (Europe/Paris), which it
names once; every amount as the bot writes it ("1 358,00 €"); messages
without the template's indentation; and after taking, the agent where they
were, the transcript at its last message and the cursor in the composer.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, BrowserContext, Page, expect

from .conftest import LiveStack
from .test_handoff_desk import (
    BOT,
    LIVE,
    contexts,
    identify_as_pierre,
    log_in,
    screenshots_on_failure,
    send,
    staff,
)

__all__ = ["contexts", "staff"]  # fixtures, used by name

ZONE = ZoneInfo("Europe/Paris")  # ICBOT_DESK_TIMEZONE's default, which the e2e stack keeps
# An amount, however written: "1 358,00 €", "1358.00 EUR" (not "Nova 14, 899,00 €" as one).
AMOUNT = re.compile(r"(?<![\d,.])\d{1,3}(?:[ \u00a0\u202f]?\d{3})*[.,]\d{2}\s*(?:€|EUR)")
BOTS_FORMAT = re.compile(r"^\d{1,3}(?: \d{3})*,\d{2} €$")


def say(page: Page, text: str) -> None:
    """The customer writes; the bot answers (a message more)."""
    before = page.locator(".msg--bot").count()
    send(page, text)
    expect(page.locator(".msg--bot")).not_to_have_count(before, timeout=BOT)


def agents_page(browser: Browser, contexts: list[BrowserContext]) -> Page:
    # Not the company's zone, so a time in the browser's zone shows; a small window, so
    # a jump to the composer scrolls the transcript away.
    context = browser.new_context(
        timezone_id="America/New_York", viewport={"width": 1000, "height": 560}
    )
    contexts.append(context)
    return context.new_page()


def clean_text(page: Page, selector: str) -> list[str]:
    """The textContent of every match that has whitespace around it."""
    found: list[str] = page.eval_on_selector_all(
        selector, "els => els.map(e => e.textContent).filter(t => t !== t.trim())"
    )
    return found


def transcript_at_end(page: Page) -> bool:
    at_end: bool = page.eval_on_selector(
        "#transcript", "t => t.scrollTop + t.clientHeight >= t.scrollHeight - 4"
    )
    return at_end


def test_the_agent_reads_the_conversation_as_the_customer_saw_it(
    live_stack: LiveStack, staff: dict[str, str], browser: Browser, contexts: list[BrowserContext]
) -> None:
    base = live_stack.url
    started = dt.datetime.now(dt.UTC)
    problems: list[str] = []
    notes: dict[str, object] = {}

    def check(what: str, ok: bool) -> None:
        if not ok:
            problems.append(what)

    agent = agents_page(browser, contexts)
    customer_context = browser.new_context()
    contexts.append(customer_context)
    customer = customer_context.new_page()
    with screenshots_on_failure("desk-page", {"agent": agent, "customer": customer}):
        log_in(agent, base, "e2e-anna")
        customer.goto(f"{base}/")
        identify_as_pierre(customer)  # presses "Yes"
        say(customer, "a quote for 3 nova 14 please")
        say(customer, "whenever, no rush")
        send(customer, "can I speak to a person?")
        expect(customer.locator("#handoff")).to_be_visible(timeout=BOT)

        row = agent.locator("#queue tbody tr", has_text="Pierre Moreau (C-100001)").last
        expect(row).to_contain_text("waiting", timeout=LIVE)
        handoff_id = row.get_attribute("data-id")
        agent.goto(f"{base}/desk/handoffs/{handoff_id}")
        transcript = agent.locator("#transcript")
        expect(transcript).to_contain_text("can I speak to a person?")

        # The button's title, not its payload.
        said = transcript.locator(".line--customer .line__text").all_text_contents()
        check("button title", "Yes" in said and "/affirm" not in (transcript.text_content() or ""))
        check("no payload", not [t for t in said if t.startswith("/")])
        # No template indentation in a message.
        check("indentation", clean_text(agent, "#transcript .line, #transcript .line__text") == [])
        # What the bot knew: labels, not slot names.
        slots = agent.locator("#slots").text_content() or ""
        check("labels", "Customer" in slots and "Pierre Moreau" in slots)
        check("no slot names", "customer_name" not in slots and "_id" not in slots)

        # Taking keeps the agent's place: transcript where it was, at its last message.
        take = agent.get_by_role("button", name="Take this conversation")
        take.scroll_into_view_if_needed()
        assert transcript_at_end(agent)
        top_before = transcript.bounding_box()
        assert top_before is not None
        take.click()
        expect(agent.locator("#reply-text")).to_be_visible()
        check("composer focused", agent.evaluate("document.activeElement.id") == "reply-text")
        top_after = transcript.bounding_box()
        assert top_after is not None
        check("place kept", abs(top_after["y"] - top_before["y"]) <= 4)
        check("transcript at its end", transcript_at_end(agent))
        expect(transcript.locator(".line--system").last).to_contain_text("has joined")

        # A line the page adds live, in the company's zone too.
        send(customer, "Thank you, I'll wait")
        expect(transcript.locator(".line--customer").last).to_contain_text(
            "Thank you, I'll wait", timeout=LIVE
        )
        check("live indentation", clean_text(agent, "#transcript .line") == [])
        times = agent.eval_on_selector_all(
            "time[datetime]", "els => els.map(e => [e.getAttribute('datetime'), e.textContent])"
        )
        assert len(times) >= 8
        check(
            "times in Paris",
            all(
                shown == f"{dt.datetime.fromisoformat(moment).astimezone(ZONE):%H:%M:%S}"
                for moment, shown in times
            ),
        )
        check("zone said once", agent.locator("body").inner_text().count("Europe/Paris") == 1)
        # This conversation in the customer's recent interactions, at Paris time.
        now = dt.datetime.now(dt.UTC)
        minutes = {
            f"{(started + dt.timedelta(minutes=m)).astimezone(ZONE):%Y-%m-%d %H:%M} web"
            for m in range(int((now - started).total_seconds() // 60) + 2)
        }
        interactions = agent.locator("#customer ~ ul li strong").all_text_contents()
        check("interaction at Paris time", bool(minutes & set(interactions)))

        # One money format: the bot's, in the transcript, the customer panel and the facts.
        amounts = AMOUNT.findall(agent.locator("main").inner_text())
        notes.update(amounts=amounts, times=times, interactions=interactions, said=said)
        check("money as the bot writes it", [a for a in amounts if not BOTS_FORMAT.match(a)] == [])
        check("no EUR", "EUR" not in agent.locator("main").inner_text())
        assert AMOUNT.search(agent.locator("aside").inner_text()), "no amount beside the chat"

        # Leave the stack as it was.
        agent.get_by_label("Wrap-up code").select_option("no_action")
        agent.get_by_role("button", name="Close the conversation").click()
        expect(agent).to_have_url(f"{base}/desk?notice=closed")
    # Every check is made, so one run names everything the page gets wrong.
    assert not problems, f"wrong on the page: {', '.join(problems)}; seen: {notes}"
