"""A marketer's campaign on the real stack, in Chromium: created from choices, then activated,
paused, resumed and ended with the page's buttons; a script that does not exist is refused.

Screenshots of the pages of a failed test are kept in ``results/e2e/``.
"""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect

from .conftest import LiveStack
from .test_handoff_desk import PASSWORD, desk_user, screenshots_on_failure

MANAGER = "e2e-marketer"


def a_manager(live: LiveStack) -> None:
    desk_user(live, MANAGER, role="manager", display_name="Marketer")


def test_a_campaign_is_created_from_choices_and_lives_its_life(
    live_stack: LiveStack, browser: Browser
) -> None:
    a_manager(live_stack)
    base = live_stack.url
    context = browser.new_context()
    page = context.new_page()
    try:
        with screenshots_on_failure("campaign-life", {"manager": page}):
            page.goto(f"{base}/desk/login?next=/desk/campaigns")
            page.get_by_label("User name").fill(MANAGER)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            expect(page).to_have_url(f"{base}/desk/campaigns")

            # A script that does not exist, posted as a forged form would: refused.
            token = page.locator('#campaign-form input[name="csrf_token"]').get_attribute("value")
            refused = page.request.post(
                f"{base}/desk/campaigns",
                form={
                    "csrf_token": token or "",
                    "name": "Forged",
                    "script": "no_such_script",
                    "channel": "phone",
                    "starts_on": "2030-01-01",
                    "ends_on": "2030-01-31",
                    "hours_start": "09:00",
                    "hours_end": "19:00",
                    "max_attempts": "3",
                    "retry_delay_minutes": "60",
                },
            )
            assert refused.status == 422
            assert "script no_such_script not found" in refused.text()

            page.get_by_label("Name", exact=True).fill("Spring trade-up")
            page.get_by_label(re.compile("^Interactive script")).select_option("laptop_upgrade")
            page.get_by_label("Channel").select_option("phone")
            page.get_by_label("From", exact=True).first.fill("2026-01-01")
            page.get_by_label("To", exact=True).fill("2036-12-31")
            page.get_by_label(re.compile("^Product on offer")).select_option("ECL-3000")
            page.get_by_role("button", name="Create the campaign").click()
            expect(page).to_have_url(re.compile(r"/desk/campaigns/\d+\?notice=created$"))
            status = page.locator("#campaign-status")
            expect(status).to_have_text("draft")

            for button, after, buttons in (
                ("Activate", "active", ["Pause", "End"]),
                ("Pause", "paused", ["Resume", "End"]),
                ("Resume", "active", ["Pause", "End"]),
                ("End", "ended", []),
            ):
                page.locator("#campaign-actions").get_by_role("button", name=button).click()
                expect(status).to_have_text(after)
                expect(page.locator("#campaign-actions button")).to_have_text(buttons)
    finally:
        context.close()
