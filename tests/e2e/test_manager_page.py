"""The manager's page on the real stack, in Chromium: containment, the chart's labels and legend.

Three customers talk to the real bot through the chat API: one finishes
with the bot, two ask for a person; an agent takes one at the desk and
answers it. The manager's page (today) counts both handoffs as not
contained, whether waiting or taken; the chart has a legend naming every
series, no text past the picture's edges, and today's "taken" bar visible
on top. Counts are read before and after, so other modules' conversations
on the shared stack do not matter.
"""

from __future__ import annotations

import re

from playwright.sync_api import Browser, BrowserContext, Page, expect

from .conftest import API_TOKEN, Chat, LiveStack
from .test_handoff_desk import (  # noqa: F401 - fixtures
    contexts,
    csrf,
    desk_client,
    log_in,
    new_page,
    screenshots_on_failure,
    staff,
)


def figures(page: Page, base: str) -> dict[str, int]:
    page.goto(f"{base}/desk/manager?days=1")
    words = page.locator("#containment-words").inner_text()
    contained, conversations = map(int, re.findall(r"\d+", words))
    outcomes = list(map(int, re.findall(r"\d+", page.locator("#handoff-outcomes").inner_text())))
    return {
        "contained": contained,
        "conversations": conversations,
        "requests": outcomes[0],
        "taken": outcomes[1],
        "waiting": outcomes[3],
    }


def test_waiting_and_taken_handoffs_are_not_contained_and_the_chart_shows_them(
    live_stack: LiveStack,
    staff: dict[str, str],  # noqa: F811
    browser: Browser,
    contexts: list[BrowserContext],  # noqa: F811
) -> None:
    base = live_stack.url
    manager = new_page(browser, contexts)
    with screenshots_on_failure("manager-page", {"manager": manager}):
        log_in(manager, base, "e2e-boss")
        before = figures(manager, base)

        with Chat(base, "e2e-manager-bot-only", token=API_TOKEN) as alone:
            alone.say("hello")
        asked = []
        for name in ("e2e-manager-waits", "e2e-manager-taken"):
            with Chat(base, name, token=API_TOKEN) as chat:
                chat.say("can I speak to a person?")
                assert chat.replies[-1]["handed_off"] is True
                asked.append(name)
        anna = desk_client(live_stack, "e2e-anna")
        queue = anna.get("/desk/api/queue").json()
        [row] = [r for r in queue if r["conversation_id"].endswith("e2e-manager-taken")]
        token = csrf(anna, "/desk")
        anna.post(f"/desk/handoffs/{row['id']}/take", data={"csrf_token": token})
        answered = anna.post(
            f"/desk/handoffs/{row['id']}/reply",
            data={"csrf_token": token, "text": "Hello, Anna here."},
        )
        assert answered.status_code == 303, answered.text

        after = figures(manager, base)
        assert after["conversations"] - before["conversations"] == 3
        assert after["contained"] - before["contained"] == 1
        assert after["requests"] - before["requests"] == 2
        assert after["taken"] - before["taken"] == 1
        assert after["waiting"] - before["waiting"] == 1
        expect(manager.locator("#containment")).to_have_text(re.compile(r"^\d+%$"))

        chart = manager.locator("svg#day-chart")
        legend = chart.locator(".chart__legend-item")
        expect(legend).to_have_count(4)
        assert [t.strip() for t in legend.all_text_contents()] == [
            "Conversations started",
            "Asked for a person",
            "Taken by an agent",
            "Abandoned",
        ]
        # Every piece of text lies inside the picture: none clipped at an edge.
        box = chart.bounding_box()
        assert box is not None
        clipped = []
        for text in chart.locator("text").all():
            inner = text.bounding_box()
            assert inner is not None
            if not (
                box["x"] <= inner["x"] <= inner["x"] + inner["width"] <= box["x"] + box["width"]
                and box["y"]
                <= inner["y"]
                <= inner["y"] + inner["height"]
                <= box["y"] + box["height"]
            ):
                clipped.append(text.text_content())
        assert clipped == []
        ticks = chart.locator(".chart__label--tick").all_text_contents()
        assert (ticks[0], len(ticks) >= 4) == ("0", True), ticks
        # Today's "taken" bar: at least 2 px high, coloured unlike its neighbours, on top.
        taken = chart.locator("rect.chart__bar--taken[data-series]").last
        taken.scroll_into_view_if_needed()  # elementFromPoint sees only the viewport
        bar = taken.bounding_box()
        assert bar is not None
        assert (bar["height"] >= 2, bar["width"] >= 1) == (True, True), bar
        fills = {
            kind: chart.locator(f"rect.chart__bar--{kind}").first.evaluate(
                "e => getComputedStyle(e).fill"
            )
            for kind in ("conversations", "asked", "taken")
        }
        assert len(set(fills.values())) == 3, fills
        on_top = manager.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).getAttribute('data-series')",
            [bar["x"] + bar["width"] / 2, bar["y"] + bar["height"] / 2],
        )
        assert on_top == "taken"
        anna.close()
