"""Fakes at the Twilio doors' boundaries: Rasa behind httpx, Twilio's API behind HttpClient.

- :class:`ScriptedRasa`: Rasa's REST channel and tracker endpoint in memory,
  answering each message text with a scripted answer (the handler of an
  ``httpx.MockTransport`` given to a real :class:`RasaClient`).
- :class:`RecordingHttpClient`: the ``twilio`` library's transport, recording
  every request and answering as Twilio's API documents it: messages and
  calls are created, listed (newest first, by ``To`` and ``From``) and fetched.
- helpers to sign requests as Twilio does and to read TwiML.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import secrets
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from twilio.http import HttpClient
from twilio.http.response import Response as TwilioResponse
from twilio.request_validator import RequestValidator

from channels.conversations.redelivery import MESSAGE_ID

REST_WEBHOOK = "/webhooks/gateway/webhook"
DIALOGUE_HEADER = "X-Icbot-Dialogue-State"  # as channels.conversations.rasa_client sends it
ACTIONS_URL = "http://actions.test/webhook"
PUBLIC_URL = "https://icbot.example.com"
AUTH_TOKEN = "twilio-test-auth-token"
ACCOUNT_SID = "AC" + "1" * 32


def sign(url: str, params: dict[str, str], token: str = AUTH_TOKEN) -> str:
    """The ``X-Twilio-Signature`` Twilio would send."""
    return RequestValidator(token).compute_signature(url, params)


def twiml(response: httpx.Response) -> ET.Element:
    """The TwiML document of a door's answer, parsed."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    return ET.fromstring(response.text)  # noqa: S314 - our own gateway's answer


def texts(element: ET.Element, tag: str) -> list[str]:
    """The text of every ``tag`` element under ``element``, in document order."""
    return [(e.text or "") for e in element.iter(tag)]


# The message Rasa adds to its answer when a custom action found nothing at the
# action server's address (bot/remote_actions.py).
ACTIONS_UNREACHABLE = {
    "recipient_id": "anyone",
    "custom": {"icbot": {"action_failed": "action_session_start", "unreachable": True}},
}


class ScriptedRasa:
    """Rasa in memory: an answer per message text, and a tracker that knows when a call ended.

    ``answers`` maps a message to its REST answer (``default`` otherwise);
    a message in ``closing`` makes the tracker show ``action_close_interaction``
    in that turn, as the goodbye rule does. ``delay`` makes every answer
    slow, ``status`` makes it an HTTP error. The action server's ``/health``
    (at :data:`ACTIONS_URL`) answers while ``actions_up``, else nothing listens
    and every answer says a custom action could not reach it.
    """

    def __init__(self) -> None:
        self.answers: dict[str, list[dict[str, Any]]] = {}
        self.default: list[dict[str, Any]] = [{"text": "Sorry, I didn't get that."}]
        self.closing: set[str] = set()
        self.requested_slot: str | None = None
        self.delay = 0.0
        self.status = 200
        self.received: list[dict[str, Any]] = []
        self.tracker_requests = 0
        self.actions_up = True
        # Off: a Rasa without bot/gateway_channel.py's dialogue state (the door reads the tracker).
        self.tells_dialogue_state = True
        self._last: dict[str, str] = {}

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "actions.test":
            if not self.actions_up:
                raise httpx.ConnectError("connection refused", request=request)
            return httpx.Response(200, json={"status": "ok"})
        if request.method == "POST" and request.url.path == REST_WEBHOOK:
            body = json.loads(request.content)
            # The gateway's own message id is random: the tests compare the rest.
            body.get("metadata", {}).pop(MESSAGE_ID, None)
            self.received.append(body)
            if self.delay:
                await asyncio.sleep(self.delay)
            if self.status != 200:
                return httpx.Response(self.status, json={"error": "scripted failure"})
            if not self.actions_up:
                # As Rasa answers when a custom action cannot reach the action server
                # (bot/remote_actions.py): whatever followed, and the failure.
                return httpx.Response(200, json=[*self.default, ACTIONS_UNREACHABLE])
            self._last[body["sender"]] = body["message"]
            answer = list(self.answers.get(body["message"], self.default))
            if request.headers.get(DIALOGUE_HEADER) and self.tells_dialogue_state:
                # As Rasa's gateway channel does when asked (bot/gateway_channel.py).
                answer.append(self._dialogue(body["sender"]))
            return httpx.Response(200, json=answer)
        if request.method == "GET" and request.url.path.endswith("/tracker"):
            self.tracker_requests += 1
            sender = request.url.path.split("/")[2]
            return httpx.Response(200, json=self._tracker(sender))
        return httpx.Response(404, json={"status": "failure", "reason": "NotFound"})

    def _dialogue(self, sender: str) -> dict[str, Any]:
        ended = self._last.get(sender, "") in self.closing
        state = {"ended": ended, "question": self.requested_slot}
        return {"recipient_id": sender, "custom": {"icbot": {"dialogue": state}}}

    def _tracker(self, sender: str) -> dict[str, Any]:
        last = self._last.get(sender, "")
        ran = "action_close_interaction" if last in self.closing else "utter_something"
        return {
            "sender_id": sender,
            "slots": {"requested_slot": self.requested_slot},
            "events": [
                {"event": "action", "name": "action_session_start"},
                {"event": "user", "text": last},
                {"event": "action", "name": ran},
                {"event": "action", "name": "action_listen"},
            ],
        }

    @property
    def messages(self) -> list[str]:
        """The texts the bot received, oldest first."""
        return [body["message"] for body in self.received]


@dataclass(frozen=True)
class RecordedRequest:
    """One request the Twilio library made (``params``: a GET's query)."""

    method: str
    url: str
    data: dict[str, str]
    auth: tuple[str, str] | None
    params: dict[str, str] = field(default_factory=dict)


def _rfc2822(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")


class RecordingHttpClient(HttpClient):  # type: ignore[misc]
    """Twilio's REST API in memory: records requests, keeps the messages and calls it creates.

    ``error`` makes the next request fail with that Twilio error
    (``(status, code, message)``), as the API answers it. ``clock`` dates
    what is created (tests give their fake clock). ``calls`` and
    ``messages`` are Twilio's records by sid, oldest first; a test changes a
    call's ``status`` (``answered_by``, ``duration``) as the network would.
    ``created`` keeps the form each record was created with (its URLs).
    """

    def __init__(self, clock: Callable[[], dt.datetime] | None = None) -> None:
        super().__init__(logger=logging.getLogger("tests.twilio"), is_async=False)
        self.requests: list[RecordedRequest] = []
        self.error: tuple[int, int, str] | None = None
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.calls: dict[str, dict[str, Any]] = {}
        self.messages: dict[str, dict[str, Any]] = {}
        self.created: dict[str, dict[str, str]] = {}

    def request(
        self,
        method: str,
        uri: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> TwilioResponse:
        form = {str(k): str(v) for k, v in (data or {}).items()}
        query = {str(k): str(v) for k, v in (params or {}).items()}
        self.requests.append(RecordedRequest(method.upper(), uri, form, auth, query))
        if self.error is not None:
            status, code, message = self.error
            self.error = None
            return TwilioResponse(
                status,
                json.dumps(
                    {
                        "code": code,
                        "message": message,
                        "more_info": f"https://www.twilio.com/docs/errors/{code}",
                        "status": status,
                    }
                ),
            )
        verb, resource = method.upper(), uri.rsplit("/", 1)[-1]
        for kind, store, make in (
            ("Messages", self.messages, self._message),
            ("Calls", self.calls, self._call),
        ):
            if verb == "POST" and resource == f"{kind}.json":
                record = make(uri, form)
                store[record["sid"]] = record
                self.created[record["sid"]] = form
                return TwilioResponse(201, json.dumps(record))
            if verb == "GET" and resource == f"{kind}.json":
                return TwilioResponse(200, json.dumps(self._page(kind, store, uri, query)))
            if verb == "GET" and uri.endswith(".json") and f"/{kind}/" in uri:
                found = store.get(resource.removesuffix(".json"))
                if found is not None:
                    return TwilioResponse(200, json.dumps(found))
        return TwilioResponse(404, json.dumps({"code": 20404, "status": 404}))

    def _page(
        self, kind: str, store: dict[str, dict[str, Any]], uri: str, query: dict[str, str]
    ) -> dict[str, Any]:
        found = [
            record
            for record in reversed(store.values())
            if record["to"] == query.get("To", record["to"])
            and record["from"] == query.get("From", record["from"])
        ]
        path = uri.split("api.twilio.com")[-1]
        return {
            kind.lower(): found,
            "end": max(len(found) - 1, 0),
            "first_page_uri": f"{path}?Page=0",
            "next_page_uri": None,
            "page": 0,
            "page_size": 50,
            "previous_page_uri": None,
            "start": 0,
            "uri": path,
        }

    def _call(self, uri: str, form: dict[str, str]) -> dict[str, Any]:
        account = uri.split("/Accounts/")[1].split("/")[0]
        sid = "CA" + secrets.token_hex(16)
        now = _rfc2822(self.clock())
        return {
            "account_sid": account,
            "answered_by": None,
            "api_version": "2010-04-01",
            "caller_name": None,
            "date_created": now,
            "date_updated": now,
            "direction": "outbound-api",
            "duration": None,
            "end_time": None,
            "forwarded_from": None,
            "from": form.get("From"),
            "from_formatted": form.get("From"),
            "group_sid": None,
            "parent_call_sid": None,
            "phone_number_sid": None,
            "price": None,
            "price_unit": "USD",
            "queue_time": "0",
            "sid": sid,
            "start_time": None,
            "status": "queued",
            "subresource_uris": {},
            "to": form.get("To"),
            "to_formatted": form.get("To"),
            "trunk_sid": None,
            "uri": f"/2010-04-01/Accounts/{account}/Calls/{sid}.json",
        }

    def _message(self, uri: str, form: dict[str, str]) -> dict[str, Any]:
        account = uri.split("/Accounts/")[1].split("/")[0]
        sid = "SM" + secrets.token_hex(16)
        now = _rfc2822(self.clock())
        return {
            "account_sid": account,
            "api_version": "2010-04-01",
            "body": form.get("Body", ""),
            "date_created": now,
            "date_sent": None,
            "date_updated": now,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": form.get("From"),
            "messaging_service_sid": None,
            "num_media": "0",
            "num_segments": "1",
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            "status": "queued",
            "subresource_uris": {
                "media": f"/2010-04-01/Accounts/{account}/Messages/{sid}/Media.json"
            },
            "to": form.get("To"),
            "uri": f"/2010-04-01/Accounts/{account}/Messages/{sid}.json",
        }
