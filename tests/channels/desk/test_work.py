"""What an agent does, as form posts: taking a conversation once, replying, notes, wrap-up,
hand back and close, and what a refused action answers (fake Rasa, real CRM on SQLite)."""

from __future__ import annotations

import pytest
from fastapi import HTTPException
from fastapi.testclient import TestClient

from channels.desk.agent_desk import BotUnreachable, PhoneCall
from channels.desk.work import REFUSALS, REFUSED, refused
from crm_backend.errors import (
    CrmUnavailable,
    HandoffNotFound,
    HandoffNotWaiting,
    InvalidRequest,
    NotYourHandoff,
)
from crm_backend.models import HandoffStatus, Interaction
from tests.channels.desk.conftest import C1, Uows, customer_says, handed_off, logged_in, queue
from tests.channels.handoff_fakes import ANYTHING_ELSE, DeskBrowser, HandoffRasa


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
    ben = logged_in(desk_gateway, "ben")
    handoff_id = handed_off(desk_gateway)

    first = anna.post(f"/desk/handoffs/{handoff_id}/take")
    second = ben.post(f"/desk/handoffs/{handoff_id}/take")

    assert first.headers["location"].startswith(f"/desk/handoffs/{handoff_id}")
    assert second.headers["location"] == "/desk?notice=taken"
    assert (
        "Another agent took that conversation first." in ben.client.get("/desk?notice=taken").text
    )
    assert queue(ben)[0]["agent"] == "Anna"


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
        "Anna has closed this conversation. Thank you for contacting us.",
        "satisfaction_form",  # the fake Rasa's words for the satisfaction question
    ]
    # The chat is closed, then the bot asks the satisfaction question (once).
    assert handoff_rasa.events_sent(f"web-{C1}") == [
        "pause",
        "resume",
        "execute satisfaction_form",
        "action_listen",
    ]
    with uow_factory() as uow:
        interaction = uow.session.query(Interaction).filter_by(conversation_id=f"web-{C1}").one()
        assert (interaction.outcome, interaction.wrap_up_code) == ("handled_by_agent", "no_action")
        assert interaction.satisfaction_asked_at is not None


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
    ben = logged_in(desk_gateway, "ben")
    handoff_id = handed_off(desk_gateway)
    anna.post(f"/desk/handoffs/{handoff_id}/take")

    response = ben.post(f"/desk/handoffs/{handoff_id}/reply", text="Hi, Ben here")

    assert response.headers["location"] == f"/desk/handoffs/{handoff_id}?notice=not_yours"
    page = ben.client.get(f"/desk/handoffs/{handoff_id}").text
    assert 'id="reply-text"' not in page
    assert "Hi, Ben here" not in page


# --- one table of refusals -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "location"),
    [
        pytest.param(
            HandoffNotWaiting(handoff_id=7, status="cancelled"), "/desk?notice=left", id="left"
        ),
        pytest.param(
            HandoffNotWaiting(handoff_id=7, status="assigned"), "/desk?notice=taken", id="taken"
        ),
        pytest.param(
            NotYourHandoff(handoff_id=7, agent_id=2, status="assigned"),
            "/desk/handoffs/7?notice=not_yours",
            id="not-yours",
        ),
        pytest.param(PhoneCall("phone"), "/desk/handoffs/7?notice=phone", id="phone"),
        pytest.param(
            BotUnreachable("down"), "/desk/handoffs/7?notice=bot_down#wrap-up", id="bot-down"
        ),
        pytest.param(
            InvalidRequest("no such code"), "/desk/handoffs/7?notice=invalid#wrap-up", id="invalid"
        ),
    ],
)
def test_a_refusal_is_a_notice_on_the_conversation_at_the_form_or_in_the_queue(
    error: Exception, location: str
) -> None:
    answer = refused(error, 7, form="#wrap-up")

    assert (answer.status_code, answer.headers["location"]) == (303, location)


@pytest.mark.parametrize(
    ("error", "status", "detail"),
    [
        (HandoffNotFound(key=7), 404, "No such conversation."),
        (CrmUnavailable("the database cannot be reached"), 503, "The CRM is unavailable."),
    ],
)
def test_an_unknown_conversation_or_a_crm_down_is_an_http_error(
    error: Exception, status: int, detail: str
) -> None:
    with pytest.raises(HTTPException) as raised:
        refused(error, 7, form="#notes")

    assert (raised.value.status_code, raised.value.detail) == (status, detail)


def test_every_refusal_the_routes_catch_has_its_answer() -> None:
    assert tuple(kind for kind, _answer in REFUSALS) == REFUSED
    assert {PhoneCall, BotUnreachable} <= set(REFUSED)
