"""A Rasa in memory that hands off, pauses and speaks on request, for the handoff and desk tests.

:class:`HandoffRasa` answers the REST webhook like Rasa with the handoff
rules: a message in ``handing_off`` makes ``action_handoff`` run (the test's
``on_handoff`` writes the CRM's handoff row, as the action does) and the
answer carries the ``{"handoff": ...}`` custom payload. It keeps the HTTP
API calls the gateway makes (pause and resume events, ``execute``, the NLU's
``/model/parse``) and refuses, as a paused Rasa does, to answer a paused
conversation; ``spoke_while_paused`` lists any message that reached it then.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import httpx

from channels.conversations.redelivery import MESSAGE_ID

REST_WEBHOOK = "/webhooks/gateway/webhook"
ANYTHING_ELSE = "Is there anything else I can help you with?"
BACK_WITH_THE_BOT = (
    "You've left the queue, so no adviser will join this conversation. I'm here to help again."
)
QUEUED = "I'm passing you to an adviser. You're number 1 in the queue; the wait is about 1 minute."


class HandoffRasa:
    """Rasa's REST channel and HTTP API in memory (an ``httpx.MockTransport`` handler)."""

    def __init__(self) -> None:
        self.handing_off: set[str] = {"I want a person"}
        self.on_handoff: Callable[[str, str], None] = lambda sender, text: None
        self.answers: dict[str, list[dict[str, Any]]] = {}
        self.intents: dict[str, tuple[str, float]] = {"never mind": ("cancel", 0.97)}
        self.said = {
            "utter_anything_else": ANYTHING_ELSE,
            "utter_left_queue": BACK_WITH_THE_BOT,
        }
        self.paused: set[str] = set()
        self.received: list[dict[str, Any]] = []
        self.api_calls: list[tuple[str, str, Any]] = []
        self.spoke_while_paused: list[str] = []
        # What GET /conversations/{id}/story answers, by conversation (else 404, as Rasa).
        self.stories: dict[str, str] = {}
        self.down = False

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        path = request.url.path
        body = json.loads(request.content) if request.content else None
        if request.method == "POST" and path == REST_WEBHOOK:
            return self._message(body)
        self.api_calls.append((request.method, path, body))
        if path.endswith("/tracker/events"):
            sender = path.split("/")[2]
            for event in body:
                if event.get("event") == "pause":
                    self.paused.add(sender)
                elif event.get("event") == "resume":
                    self.paused.discard(sender)
            return httpx.Response(200, json={"sender_id": sender})
        if path.endswith("/execute"):
            sender = path.split("/")[2]
            text = self.said.get(body["name"], body["name"])
            return httpx.Response(200, json={"messages": [{"recipient_id": sender, "text": text}]})
        if request.method == "GET" and path.endswith("/story"):
            story = self.stories.get(path.split("/")[2])
            if story is None:
                return httpx.Response(404, json={"status": "failure", "reason": "NotFound"})
            return httpx.Response(200, text=story)
        if path == "/model/parse":
            name, confidence = self.intents.get(body["text"], ("inform", 0.9))
            return httpx.Response(200, json={"intent": {"name": name, "confidence": confidence}})
        return httpx.Response(404, json={"status": "failure", "reason": "NotFound"})

    def _message(self, body: dict[str, Any]) -> httpx.Response:
        sender, text = body["sender"], body["message"]
        # The gateway's own message id is random: the tests compare the rest.
        body.get("metadata", {}).pop(MESSAGE_ID, None)
        self.received.append(body)
        if sender in self.paused:
            self.spoke_while_paused.append(text)
            return httpx.Response(200, json=[])
        if text in self.handing_off:
            self.on_handoff(sender, text)
            return httpx.Response(
                200,
                json=[
                    {"recipient_id": sender, "text": QUEUED},
                    {"recipient_id": sender, "custom": {"handoff": {"status": "queued"}}},
                ],
            )
        answer = self.answers.get(text, [{"text": f"The bot answers: {text}"}])
        return httpx.Response(200, json=[{"recipient_id": sender, **m} for m in answer])

    @property
    def messages(self) -> list[str]:
        """What reached the bot, oldest first."""
        return [body["message"] for body in self.received]

    def events_sent(self, sender: str) -> list[Any]:
        """The tracker events and actions the gateway sent for a conversation, in order."""
        found: list[Any] = []
        for _method, path, body in self.api_calls:
            if path == f"/conversations/{sender}/tracker/events":
                found.extend(
                    e.get("event") if e.get("event") != "action" else e["name"] for e in body
                )
            elif path == f"/conversations/{sender}/execute":
                found.append(f"execute {body['name']}")
        return found


class DeskBrowser:
    """An agent's browser on the desk: logs in through the form, posts forms with their token.

    Each browser has its own cookies (a ``TestClient`` sharing the app), so two
    agents can work at once.
    """

    def __init__(self, client: Any) -> None:
        self.client = client
        self.csrf = ""

    def log_in(self, username: str, password: str) -> httpx.Response:
        page = self.client.get("/desk/login")
        token = hidden(page.text, "csrf_token")
        response = self.client.post(
            "/desk/login",
            data={"username": username, "password": password, "csrf_token": token, "next": "/desk"},
            follow_redirects=False,
        )
        if response.status_code == 303:
            self.csrf = hidden(self.client.get("/desk").text, "csrf_token")
        return response

    def post(self, path: str, **form: str) -> httpx.Response:
        return self.client.post(
            path, data={"csrf_token": self.csrf, **form}, follow_redirects=False
        )


def hidden(html: str, name: str) -> str:
    """The value of a hidden input of a page."""
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match is not None, f"no {name} in the page"
    return match.group(1)
