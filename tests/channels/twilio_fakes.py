"""Fakes at the Twilio doors' boundaries: Rasa behind httpx, Twilio's API behind HttpClient.

- :class:`ScriptedRasa`: Rasa's REST channel and tracker endpoint in memory,
  answering each message text with a scripted answer (the handler of an
  ``httpx.MockTransport`` given to a real :class:`RasaClient`).
- :class:`RecordingHttpClient`: the ``twilio`` library's transport, recording
  every request and answering as Twilio's API documents it.
- helpers to sign requests as Twilio does and to read TwiML.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import secrets
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

import httpx
from twilio.http import HttpClient
from twilio.http.response import Response as TwilioResponse
from twilio.request_validator import RequestValidator

REST_WEBHOOK = "/webhooks/rest/webhook"
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


class ScriptedRasa:
    """Rasa in memory: an answer per message text, and a tracker that knows when a call ended.

    ``answers`` maps a message to its REST answer (``default`` otherwise);
    a message in ``closing`` makes the tracker show ``action_close_interaction``
    in that turn, as the goodbye rule does. ``delay`` makes every answer
    slow, ``status`` makes it an HTTP error. The action server's ``/health``
    (at :data:`ACTIONS_URL`) answers while ``actions_up``, else nothing listens.
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
        self._last: dict[str, str] = {}

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "actions.test":
            if not self.actions_up:
                raise httpx.ConnectError("connection refused", request=request)
            return httpx.Response(200, json={"status": "ok"})
        if request.method == "POST" and request.url.path == REST_WEBHOOK:
            body = json.loads(request.content)
            self.received.append(body)
            if self.delay:
                await asyncio.sleep(self.delay)
            if self.status != 200:
                return httpx.Response(self.status, json={"error": "scripted failure"})
            self._last[body["sender"]] = body["message"]
            return httpx.Response(200, json=self.answers.get(body["message"], self.default))
        if request.method == "GET" and request.url.path.endswith("/tracker"):
            self.tracker_requests += 1
            sender = request.url.path.split("/")[2]
            return httpx.Response(200, json=self._tracker(sender))
        return httpx.Response(404, json={"status": "failure", "reason": "NotFound"})

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
    """One request the Twilio library made."""

    method: str
    url: str
    data: dict[str, str]
    auth: tuple[str, str] | None


class RecordingHttpClient(HttpClient):  # type: ignore[misc]
    """Twilio's REST API in memory: records requests, creates messages as the API documents.

    ``error`` makes the next request fail with that Twilio error
    (``(status, code, message)``), as the API answers it.
    """

    def __init__(self) -> None:
        super().__init__(logger=logging.getLogger("tests.twilio"), is_async=False)
        self.requests: list[RecordedRequest] = []
        self.error: tuple[int, int, str] | None = None

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
        self.requests.append(RecordedRequest(method.upper(), uri, form, auth))
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
        if method.upper() == "POST" and uri.endswith("/Messages.json"):
            return TwilioResponse(201, json.dumps(self._message(uri, form)))
        return TwilioResponse(404, json.dumps({"code": 20404, "status": 404}))

    @staticmethod
    def _message(uri: str, form: dict[str, str]) -> dict[str, Any]:
        account = uri.split("/Accounts/")[1].split("/")[0]
        sid = "SM" + secrets.token_hex(16)
        now = dt.datetime.now(dt.UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
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
