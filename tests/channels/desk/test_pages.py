"""The desk's pages: the login form, the queue, a conversation, the manager's view."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.channels.desk.conftest import PASSWORD, customer_says, handed_off, logged_in, queue
from tests.channels.handoff_fakes import DeskBrowser


def test_a_wrong_password_is_refused_without_saying_which_half(
    desk_gateway: TestClient, staff: dict[str, int]
) -> None:
    wrong = DeskBrowser(desk_gateway).log_in("anna", "not the password")
    unknown = DeskBrowser(desk_gateway).log_in("nobody", PASSWORD)

    assert (wrong.status_code, unknown.status_code) == (401, 401)
    assert "Unknown user name or wrong password." in wrong.text
    assert "icbot_desk=" not in wrong.headers.get("set-cookie", "").split("icbot_desk_login")[0]


def test_the_queue_shows_a_waiting_conversation_with_its_reason(
    desk_gateway: TestClient, anna: DeskBrowser
) -> None:
    handoff_id = handed_off(desk_gateway)

    rows = queue(anna)
    page = desk_gateway.get("/desk").text

    assert [
        (r["id"], r["channel"], r["status"], r["reason_label"], r["account"]) for r in rows
    ] == [(handoff_id, "web", "waiting", "Asked for a person", "not identified")]
    assert f'action="/desk/handoffs/{handoff_id}/take"' in page


def test_the_conversation_page_escapes_what_the_customer_wrote(
    desk_gateway: TestClient, anna: DeskBrowser
) -> None:
    handoff_id = handed_off(desk_gateway)
    anna.post(f"/desk/handoffs/{handoff_id}/take")
    customer_says(desk_gateway, "<script>alert(1)</script>")

    page = desk_gateway.get(f"/desk/handoffs/{handoff_id}").text

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


def test_the_managers_view(desk_gateway: TestClient, staff: dict[str, int]) -> None:
    boss = logged_in(desk_gateway, "boss")
    handed_off(boss.client)

    page = boss.client.get("/desk/manager")

    assert page.status_code == 200
    assert re.search(r'id="queue-length">1<', page.text)
    assert "<svg" in page.text
    assert "chart__bar--conversations" in page.text
    assert re.search(r"<th scope=\"row\">requested</th><td>1</td>", page.text)
    assert re.search(r"<th scope=\"row\">web</th><td>1</td>", page.text)
