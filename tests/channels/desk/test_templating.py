"""What every desk page carries: the security headers, the place that says the bot is down."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.channels.handoff_fakes import DeskBrowser


def test_pages_carry_the_security_headers(desk_gateway: TestClient, anna: DeskBrowser) -> None:
    headers = desk_gateway.get("/desk").headers

    assert "script-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert (headers["x-frame-options"], headers["cache-control"]) == ("DENY", "no-store")


def test_every_desk_page_has_the_place_that_says_the_bot_is_down(anna: DeskBrowser) -> None:
    # desk.js fills it from /healthz while Rasa, the action server or the dialer is down.
    for path in ("/desk", "/desk/calls"):
        page = anna.client.get(path)
        assert page.status_code == 200
        assert (
            '<p class="notice notice--alert" id="bot-status" role="alert" hidden></p>' in page.text
        )
    script = anna.client.get("/desk/static/desk.js").text
    assert 'fetch("/healthz"' in script
