"""The desk's live data: the queue and a conversation's transcript as server-sent events."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from tests.channels.desk.conftest import customer_says, handed_off
from tests.channels.handoff_fakes import DeskBrowser, HandoffRasa


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


def test_a_pressed_button_reads_as_its_title_and_no_message_keeps_whitespace(
    desk_gateway: TestClient, anna: DeskBrowser, handoff_rasa: HandoffRasa
) -> None:
    handoff_rasa.answers["hello"] = [
        {"text": "  Are you Pierre?\n", "buttons": [{"title": "Yes, me", "payload": "/affirm"}]}
    ]
    customer_says(desk_gateway, "hello")
    customer_says(desk_gateway, "/affirm")
    customer_says(desk_gateway, "/deny")
    handoff_id = handed_off(desk_gateway)

    lines = desk_gateway.get(f"/desk/api/handoffs/{handoff_id}/transcript").json()["lines"]

    assert [(line["role"], line["text"], line["chose"]) for line in lines[:6]] == [
        ("customer", "hello", False),
        ("bot", "Are you Pierre?", False),
        ("customer", "Yes, me", True),
        ("bot", "The bot answers: /affirm", False),
        ("customer", "No", True),  # no button offered it: the intent in words
        ("bot", "The bot answers: /deny", False),
    ]
