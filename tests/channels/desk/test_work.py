"""The agent desk in the gateway: login, CSRF, roles, the queue, taking a conversation once,
replying, notes, wrap-up, hand back and close (fake Rasa, real CRM on SQLite)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from channels.chat.conversation_ids import ConversationIds
from crm_backend.models import HandoffStatus, Interaction
from crm_backend.services import agents
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.channels.conftest import API_TOKEN
from tests.channels.handoff_fakes import ANYTHING_ELSE, DeskBrowser, HandoffRasa

Uows = Callable[[], SqlAlchemyUnitOfWork]
PASSWORD = "a long password"
# The customer's conversation, issued as the gateway (which shares the token) would.
C1 = ConversationIds.from_token(API_TOKEN).issue()


@pytest.fixture
def staff(uow_factory: Uows) -> dict[str, int]:
    """Two agents and a manager."""
    with uow_factory() as uow:
        ids = {
            name: agents.create_agent(
                uow, username=name, password=PASSWORD, display_name=name.title(), role=role
            ).id
            for name, role in (("anna", "agent"), ("ben", "agent"), ("boss", "manager"))
        }
        uow.commit()
    return ids


@pytest.fixture
def anna(desk_gateway: TestClient, staff: dict[str, int]) -> DeskBrowser:
    browser = DeskBrowser(desk_gateway)
    assert browser.log_in("anna", PASSWORD).status_code == 303
    return browser


def second_browser(desk_gateway: TestClient, username: str) -> DeskBrowser:
    browser = DeskBrowser(TestClient(desk_gateway.app, base_url="https://testserver"))
    assert browser.log_in(username, PASSWORD).status_code == 303
    return browser


def customer_says(client: TestClient, text: str, conversation: str = C1) -> dict:
    response = client.post(f"/api/conversations/{conversation}/messages", json={"text": text})
    assert response.status_code == 200, response.text
    return response.json()


def queue(browser: DeskBrowser) -> list[dict]:
    response = browser.client.get("/desk/api/queue")
    assert response.status_code == 200, response.text
    return response.json()


def handed_off(client: TestClient, text: str = "I want a person") -> int:
    """The customer asks for a person; the id of the handoff (the client is logged in)."""
    customer_says(client, text)
    rows = client.get("/desk/api/queue").json()
    return int(rows[-1]["id"])


# --- who may come in ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/desk", "/desk/handoffs/1", "/desk/manager", "/desk/handoffs/1?notice=sent"]
)
def test_pages_send_a_stranger_to_the_login(desk_gateway: TestClient, path: str) -> None:
    response = desk_gateway.get(path, follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"].startswith("/desk/login?next=/desk")


@pytest.mark.parametrize(
    "path",
    [
        "/desk/api/queue",
        "/desk/stream",
        "/desk/api/handoffs/1/transcript",
        "/desk/handoffs/1/stream",
    ],
)
def test_the_api_and_streams_answer_a_stranger_401(desk_gateway: TestClient, path: str) -> None:
    assert desk_gateway.get(path).status_code == 401


def test_a_stranger_cannot_post_either(desk_gateway: TestClient) -> None:
    response = desk_gateway.post(
        "/desk/handoffs/1/take", data={"csrf_token": "x"}, follow_redirects=False
    )

    assert (response.status_code, response.headers["location"][:11]) == (303, "/desk/login")


def test_login_sets_a_host_bound_http_only_strict_cookie(
    desk_gateway: TestClient, staff: dict[str, int]
) -> None:
    response = DeskBrowser(desk_gateway).log_in("anna", PASSWORD)

    cookie = response.headers["set-cookie"]
    assert cookie.startswith("__Host-icbot_desk=")
    assert {"HttpOnly", "Secure", "SameSite=strict", "Path=/"} <= {
        part.strip() for part in cookie.split(";")
    }
    assert response.headers["location"] == "/desk"


def test_a_wrong_password_is_refused_without_saying_which_half(
    desk_gateway: TestClient, staff: dict[str, int]
) -> None:
    wrong = DeskBrowser(desk_gateway).log_in("anna", "not the password")
    unknown = DeskBrowser(desk_gateway).log_in("nobody", PASSWORD)

    assert (wrong.status_code, unknown.status_code) == (401, 401)
    assert "Unknown user name or wrong password." in wrong.text
    assert "icbot_desk=" not in wrong.headers.get("set-cookie", "").split("icbot_desk_login")[0]


def test_a_login_without_its_csrf_token_is_refused(
    desk_gateway: TestClient, staff: dict[str, int]
) -> None:
    desk_gateway.get("/desk/login")

    response = desk_gateway.post(
        "/desk/login", data={"username": "anna", "password": PASSWORD}, follow_redirects=False
    )

    assert response.status_code == 403


def test_a_post_without_the_sessions_csrf_token_is_refused(
    desk_gateway: TestClient, anna: DeskBrowser
) -> None:
    handoff_id = handed_off(desk_gateway)

    missing = desk_gateway.post(f"/desk/handoffs/{handoff_id}/take", follow_redirects=False)
    forged = desk_gateway.post(
        f"/desk/handoffs/{handoff_id}/take", data={"csrf_token": "forged"}, follow_redirects=False
    )

    assert (missing.status_code, forged.status_code) == (403, 403)
    assert queue(anna)[0]["status"] == "waiting"


def test_an_agent_cannot_open_the_managers_view(
    desk_gateway: TestClient, anna: DeskBrowser
) -> None:
    assert desk_gateway.get("/desk/manager").status_code == 403


def test_logging_out_ends_the_session_on_the_server(
    desk_gateway: TestClient, anna: DeskBrowser
) -> None:
    token = desk_gateway.cookies.get("__Host-icbot_desk")

    response = anna.post("/desk/logout")

    assert (response.status_code, response.headers["location"]) == (
        303,
        "/desk/login?notice=logged_out",
    )
    desk_gateway.cookies.set("__Host-icbot_desk", token, domain="testserver")
    assert desk_gateway.get("/desk/api/queue").status_code == 401


def test_pages_carry_the_security_headers(desk_gateway: TestClient, anna: DeskBrowser) -> None:
    headers = desk_gateway.get("/desk").headers

    assert "script-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert (headers["x-frame-options"], headers["cache-control"]) == ("DENY", "no-store")


# --- the queue and a conversation ------------------------------------------------------------


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


def test_taking_assigns_and_tells_the_customer(desk_gateway: TestClient, anna: DeskBrowser) -> None:
    cursor = desk_gateway.get(f"/api/conversations/{C1}/events").json()["cursor"]
    handoff_id = handed_off(desk_gateway)

    response = anna.post(f"/desk/handoffs/{handoff_id}/take")

    assert response.status_code == 303
    assert response.headers["location"].startswith(f"/desk/handoffs/{handoff_id}")
    assert [(r["status"], r["agent"], r["mine"]) for r in queue(anna)] == [
        ("assigned", "Anna", True)
    ]
    feed = desk_gateway.get(f"/api/conversations/{C1}/events", params={"after": cursor}).json()
    assert [(e["role"], e["text"]) for e in feed["events"]] == [
        ("system", "Anna from our team has joined the conversation.")
    ]


def test_of_two_agents_taking_the_same_conversation_one_gets_it(
    desk_gateway: TestClient, anna: DeskBrowser
) -> None:
    ben = second_browser(desk_gateway, "ben")
    handoff_id = handed_off(desk_gateway)

    first = anna.post(f"/desk/handoffs/{handoff_id}/take")
    second = ben.post(f"/desk/handoffs/{handoff_id}/take")

    assert first.headers["location"].startswith(f"/desk/handoffs/{handoff_id}")
    assert second.headers["location"] == "/desk?notice=taken"
    assert (
        "Another agent took that conversation first." in ben.client.get("/desk?notice=taken").text
    )
    assert queue(ben)[0]["agent"] == "Anna"


def test_the_conversation_page_escapes_what_the_customer_wrote(
    desk_gateway: TestClient, anna: DeskBrowser
) -> None:
    handoff_id = handed_off(desk_gateway)
    anna.post(f"/desk/handoffs/{handoff_id}/take")
    customer_says(desk_gateway, "<script>alert(1)</script>")

    page = desk_gateway.get(f"/desk/handoffs/{handoff_id}").text

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


def test_reply_note_and_hand_back(
    desk_gateway: TestClient,
    anna: DeskBrowser,
    handoff_rasa: HandoffRasa,
    uow_factory: Uows,
) -> None:
    handoff_id = handed_off(desk_gateway)
    anna.post(f"/desk/handoffs/{handoff_id}/take")
    cursor = desk_gateway.get(f"/api/conversations/{C1}/events").json()["cursor"]

    anna.post(f"/desk/handoffs/{handoff_id}/reply", text="Hello, I'm Anna. How can I help?")
    customer_says(desk_gateway, "My laptop bag arrived torn")
    anna.post(f"/desk/handoffs/{handoff_id}/notes", text="Offer a replacement bag")
    page = desk_gateway.get(f"/desk/handoffs/{handoff_id}").text
    done = anna.post(
        f"/desk/handoffs/{handoff_id}/finish",
        action="hand_back",
        wrap_up_code="resolved",
        summary="Replacement bag sent",
    )
    feed = desk_gateway.get(f"/api/conversations/{C1}/events", params={"after": cursor}).json()
    after = customer_says(desk_gateway, "Thanks!")

    assert "Hello, I&#39;m Anna. How can I help?" in page
    assert "Offer a replacement bag" in page
    assert done.headers["location"] == "/desk?notice=handed_back"
    assert [(e["role"], e["text"]) for e in feed["events"]] == [
        ("agent", "Hello, I'm Anna. How can I help?"),
        ("bot", ANYTHING_ELSE),
    ]
    assert feed["handed_off"] is False
    assert handoff_rasa.events_sent(f"web-{C1}") == [
        "pause",
        "resume",
        "execute utter_anything_else",
        "action_listen",
    ]
    assert handoff_rasa.messages == ["I want a person", "Thanks!"]
    assert after["messages"] == [{"text": "The bot answers: Thanks!"}]
    with uow_factory() as uow:
        interaction = uow.interactions.get_by(conversation_id=f"web-{C1}")
        handoff = uow.handoffs.get(handoff_id)
        assert (interaction.wrap_up_code, interaction.wrap_up_summary) == (
            "resolved",
            "Replacement bag sent",
        )
        assert (handoff.status, [n.text for n in handoff.notes]) == (
            HandoffStatus.RETURNED,
            ["Offer a replacement bag"],
        )


def test_closing_ends_the_interaction_and_says_goodbye(
    desk_gateway: TestClient, anna: DeskBrowser, handoff_rasa: HandoffRasa, uow_factory: Uows
) -> None:
    handoff_id = handed_off(desk_gateway)
    anna.post(f"/desk/handoffs/{handoff_id}/take")
    cursor = desk_gateway.get(f"/api/conversations/{C1}/events").json()["cursor"]

    anna.post(f"/desk/handoffs/{handoff_id}/finish", action="close", wrap_up_code="no_action")

    feed = desk_gateway.get(f"/api/conversations/{C1}/events", params={"after": cursor}).json()
    assert [e["text"] for e in feed["events"]] == [
        "Anna has closed this conversation. Thank you for contacting us."
    ]
    assert handoff_rasa.events_sent(f"web-{C1}") == ["pause", "resume"]
    with uow_factory() as uow:
        interaction = uow.session.query(Interaction).filter_by(conversation_id=f"web-{C1}").one()
        assert (interaction.outcome, interaction.wrap_up_code) == ("handled_by_agent", "no_action")


def test_a_wrap_up_code_off_the_list_changes_nothing(
    desk_gateway: TestClient, anna: DeskBrowser, handoff_rasa: HandoffRasa
) -> None:
    handoff_id = handed_off(desk_gateway)
    anna.post(f"/desk/handoffs/{handoff_id}/take")

    response = anna.post(
        f"/desk/handoffs/{handoff_id}/finish", action="hand_back", wrap_up_code="x"
    )

    assert response.headers["location"] == f"/desk/handoffs/{handoff_id}?notice=invalid#wrap-up"
    assert queue(anna)[0]["status"] == "assigned"
    # Resumed for the attempt, paused again when the CRM refused.
    assert handoff_rasa.events_sent(f"web-{C1}") == ["pause", "resume", "pause"]


def test_with_the_bot_down_a_hand_back_changes_nothing(
    desk_gateway: TestClient, anna: DeskBrowser, handoff_rasa: HandoffRasa
) -> None:
    handoff_id = handed_off(desk_gateway)
    anna.post(f"/desk/handoffs/{handoff_id}/take")
    handoff_rasa.down = True

    response = anna.post(
        f"/desk/handoffs/{handoff_id}/finish", action="hand_back", wrap_up_code="resolved"
    )

    assert response.headers["location"] == f"/desk/handoffs/{handoff_id}?notice=bot_down#wrap-up"
    assert queue(anna)[0]["status"] == "assigned"


def test_another_agent_cannot_answer_in_my_conversation(
    desk_gateway: TestClient, anna: DeskBrowser
) -> None:
    ben = second_browser(desk_gateway, "ben")
    handoff_id = handed_off(desk_gateway)
    anna.post(f"/desk/handoffs/{handoff_id}/take")

    response = ben.post(f"/desk/handoffs/{handoff_id}/reply", text="Hi, Ben here")

    assert response.headers["location"] == f"/desk/handoffs/{handoff_id}?notice=not_yours"
    page = ben.client.get(f"/desk/handoffs/{handoff_id}").text
    assert 'id="reply-text"' not in page
    assert "Hi, Ben here" not in page


# --- live ------------------------------------------------------------------------------------


def first_event(client: TestClient, path: str) -> tuple[str, dict]:
    with client.stream("GET", path) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        name = None
        for line in response.iter_lines():
            if line.startswith("event: "):
                name = line.removeprefix("event: ")
            elif line.startswith("data: ") and name:
                return name, json.loads(line.removeprefix("data: "))
    raise AssertionError("no event")


def test_the_queue_stream_sends_the_queue(desk_gateway: TestClient, anna: DeskBrowser) -> None:
    handoff_id = handed_off(desk_gateway)

    name, data = first_event(desk_gateway, "/desk/stream")

    assert name == "queue"
    assert [(r["id"], r["status"]) for r in data["rows"]] == [(handoff_id, "waiting")]


def test_the_transcript_stream_sends_the_messages_after_the_cursor(
    desk_gateway: TestClient, anna: DeskBrowser
) -> None:
    handoff_id = handed_off(desk_gateway)
    customer_says(desk_gateway, "Still there?")

    name, data = first_event(desk_gateway, f"/desk/handoffs/{handoff_id}/stream?after=2")

    assert name == "transcript"
    assert (data["status"], [(line["role"], line["text"]) for line in data["lines"]]) == (
        "waiting",
        [("customer", "Still there?")],
    )


def test_the_managers_view(desk_gateway: TestClient, staff: dict[str, int]) -> None:
    boss = second_browser(desk_gateway, "boss")
    handed_off(boss.client)

    page = boss.client.get("/desk/manager")

    assert page.status_code == 200
    assert re.search(r'id="queue-length">1<', page.text)
    assert "<svg" in page.text
    assert "chart__bar--conversations" in page.text
    assert re.search(r"<th scope=\"row\">requested</th><td>1</td>", page.text)
    assert re.search(r"<th scope=\"row\">web</th><td>1</td>", page.text)


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
