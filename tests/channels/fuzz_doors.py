"""The parts of the gateway's fuzz (tests/channels/test_fuzz.py): requests and the fakes around.

- :func:`schema_requests`: every operation of the gateway's OpenAPI schema, as
  schemathesis generates it (valid and, where the schema allows it, invalid
  data), sent without a token, with the integration token, or with a wrong one.
- :func:`twilio_requests`: the Twilio doors' forms with Twilio's field names and
  garbage or well-formed values, signed as Twilio signs them, so they get past
  the signature check into the doors.
- :class:`FuzzRasa`: Rasa (and the action server's health) behind
  ``httpx.MockTransport``, answering every call the gateway makes and keeping
  nothing, so a long run measures the gateway's memory, not the fake's.
- :func:`action_server_health`: a loopback HTTP server answering ``GET /health``
  for ``/healthz``'s probe, which opens its own connection.
- :func:`rss_bytes`: this process's resident memory, from ``/proc/self/statm``.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlencode

import httpx
from hypothesis import HealthCheck, Phase, find, settings
from hypothesis import strategies as st
from hypothesis.errors import HypothesisException
from schemathesis import GenerationMode
from schemathesis.core.result import Ok
from schemathesis.schemas import BaseSchema
from twilio.request_validator import RequestValidator

from channels.twilio.security import SIGNATURE_HEADER

# --- requests ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FuzzRequest:
    """One generated request: what to send, and how to show it when it fails."""

    label: str
    method: str
    url: str
    headers: dict[str, str]
    params: dict[str, Any] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=dict)  # httpx's json=, content= or data=

    def build(self, client: httpx.Client) -> httpx.Request:
        """The request, built by ``client`` (raises on what no HTTP client could send)."""
        # An empty ``params`` would drop the query the URL has (a Twilio door's, signed).
        params = self.params or None
        return client.build_request(
            self.method, self.url, headers=self.headers, params=params, **self.body
        )

    def describe(self) -> str:
        """The request as a failure message shows it."""
        shown = {k: v for k, v in self.headers.items() if k.lower() != "authorization"}
        return (
            f"{self.label}: {self.method} {self.url} params={self.params!r} "
            f"headers={shown!r} body={self.body!r}"
        )


def _negatable(schema: BaseSchema, label: str) -> bool:
    """Whether schemathesis can make invalid data for the operation (not all can)."""
    operation = schema.find_operation_by_label(label)
    assert operation is not None
    try:
        find(
            operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
            lambda _case: True,
            settings=settings(max_examples=20, database=None, phases=[Phase.generate]),
        )
    except HypothesisException:
        return False
    return True


Doors = dict[str, st.SearchStrategy[FuzzRequest]]


def schema_requests(schema: BaseSchema, *, api_token: str) -> Doors:
    """Each operation of ``schema`` (by label): valid and invalid data, without or with a token.

    A long poll's ``wait`` is 0: the fuzz is about what the routes take, and a
    generated 25-second wait would only make it slow.
    """
    tokens = st.sampled_from([None, api_token, "not-the-token"])
    doors: Doors = {}
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result  # an operation the schema cannot describe
        operation = result.ok()
        fixed = {"wait": 0} if any(p.name == "wait" for p in operation.iter_parameters()) else None
        cases = operation.as_strategy(query=fixed)
        if _negatable(schema, operation.label):
            cases |= operation.as_strategy(generation_mode=GenerationMode.NEGATIVE, query=fixed)
        doors[operation.label] = st.builds(_from_case, cases, tokens)
    return doors


def _from_case(case: Any, token: str | None) -> FuzzRequest:
    kwargs = case.as_transport_kwargs(base_url="http://testserver")
    headers = {
        k: v
        for k, v in kwargs["headers"].items()
        if k.lower() not in ("authorization", "x-schemathesis-testcaseid")
    }
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    body: dict[str, Any] = {}
    if "json" in kwargs:
        body["content"] = json.dumps(kwargs["json"]).encode()
    elif isinstance(kwargs.get("data"), (bytes, str)):
        body["content"] = kwargs["data"]
    elif kwargs.get("data") is not None:
        body["data"] = kwargs["data"]
    return FuzzRequest(
        label=case.operation.label,
        method=kwargs["method"],
        url=kwargs["url"],
        headers=headers,
        params=kwargs.get("params") or {},
        body=body,
    )


# Twilio's webhook fields the doors read, and some they ignore.
TWILIO_FIELDS = (
    "AccountSid",
    "CallSid",
    "MessageSid",
    "SmsSid",
    "From",
    "To",
    "Direction",
    "CallStatus",
    "CallDuration",
    "Digits",
    "SpeechResult",
    "Confidence",
    "AnsweredBy",
    "StirVerstat",
    "Body",
    "NumMedia",
    "ErrorCode",
    "FromCountry",
)
# Each door: the fields it needs (present most of the time) and its query's parameters.
TWILIO_DOORS = {
    "/twilio/voice": (("CallSid", "From", "To"), ("call_list_entry",)),
    "/twilio/voice/gather": (("CallSid", "From", "To"), ("turn", "silence")),
    "/twilio/voice/status": (("CallSid", "CallStatus"), ()),
    "/twilio/sms": (("MessageSid", "From", "To", "Body"), ()),
    "/twilio/outbound/status": (("CallSid", "CallStatus"), ("call_list_entry",)),
}
# Texts a form can carry: any code point but surrogates, which UTF-8 cannot encode.
_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)
_well_formed = st.one_of(
    st.from_regex(r"\A\+[1-9][0-9]{6,14}\Z"),  # E.164
    st.sampled_from(["+33612345678", "+33900000000", "0612345678", "anonymous", ""]),
    st.from_regex(r"\A(CA|SM|AC)[0-9a-f]{32}\Z"),
    st.sampled_from(
        [
            "ringing",
            "in-progress",
            "completed",
            "busy",
            "no-answer",
            "failed",
            "canceled",
            "inbound",
            "outbound-api",
            "outbound-dial",
            "human",
            "machine_start",
            "TN-Validation-Passed-A",
            "No-TN-Validation",
        ]
    ),
    st.integers(-5, 10_000).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["I want a person", "yes", "no", "1", "2", "#", "*", "69002", "stop"]),
)
_values = st.one_of(_well_formed, _text)
_query_values = st.one_of(st.integers(1, 60).map(str), st.integers(-3, 2**70).map(str), _text)


def twilio_requests(*, public_url: str, auth_token: str) -> Doors:
    """Each Twilio door (by label): forms of well-formed or garbage fields, signed."""
    return {
        f"POST {door}": _twilio_form(door=door, public_url=public_url, auth_token=auth_token)
        for door in TWILIO_DOORS
    }


@st.composite
def _twilio_form(draw: st.DrawFn, *, door: str, public_url: str, auth_token: str) -> FuzzRequest:
    needed, query_names = TWILIO_DOORS[door]
    form = draw(
        st.fixed_dictionaries(
            dict.fromkeys(needed, _values),
            optional={name: _values for name in TWILIO_FIELDS if name not in needed},
        )
    )
    if draw(st.integers(0, 9)) == 0:  # now and then, a needed field is missing
        form.pop(draw(st.sampled_from(needed)))
    form.update(draw(st.dictionaries(_text.filter(bool), _text, max_size=3)))
    query = (
        draw(st.dictionaries(st.sampled_from(query_names), _query_values)) if query_names else {}
    )
    # Encoded here, as sent: the signature covers the URL the gateway sees.
    path = f"{door}?{urlencode(query)}" if query else door
    headers = {
        SIGNATURE_HEADER: RequestValidator(auth_token).compute_signature(public_url + path, form),
        "Content-Type": "application/x-www-form-urlencoded",
    }
    if draw(st.booleans()):
        headers["I-Twilio-Idempotency-Token"] = draw(st.uuids().map(str) | _text.filter(_ascii))
    return FuzzRequest(
        label=f"POST {door}",
        method="POST",
        url="http://testserver" + path,
        headers=headers,
        body={"content": urlencode(form).encode()},
    )


def _ascii(text: str) -> bool:
    return text.isascii() and text.isprintable()


FUZZ_SETTINGS = settings(
    database=None,
    deadline=None,
    phases=[Phase.generate, Phase.shrink],
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)


# --- fakes ---------------------------------------------------------------------------------


class FuzzRasa:
    """Rasa and the action server in memory, answering whatever the gateway asks; keeps nothing."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        path = request.url.path
        if path.endswith("/health"):
            return httpx.Response(200, json={"status": "ok"})
        if request.method == "GET" and path == "/status":
            return httpx.Response(200, json={"model_file": "models/icbot.tar.gz"})
        if request.method == "GET" and path.endswith("/tracker"):
            return httpx.Response(200, json=_TRACKER)
        if request.method == "POST" and path.endswith("/tracker/events"):
            return httpx.Response(200, json={})
        if request.method == "POST" and path.endswith("/execute"):
            return httpx.Response(200, json={"messages": [{"text": "Anything else?"}]})
        if request.method == "POST" and path == "/model/parse":
            return httpx.Response(200, json={"intent": {"name": "affirm", "confidence": 0.9}})
        if request.method == "POST" and path.endswith("/webhook"):
            return httpx.Response(200, json=_REPLY)
        return httpx.Response(404, json={"status": "failure", "reason": "NotFound"})


_REPLY = [
    {"text": "Hello! How can I help?"},
    {"text": "Pick one", "buttons": [{"title": "Orders", "payload": "/orders"}]},
]
_TRACKER = {
    "sender_id": "x",
    "slots": {"requested_slot": None},
    "events": [
        {"event": "user", "text": "hello"},
        {"event": "action", "name": "utter_greet"},
        {"event": "action", "name": "action_listen"},
    ],
}


class _Health(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # http.server calls it by this name
        body = b'{"status": "ok"}'
        self.send_response(200 if self.path == "/health" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return None


@contextmanager
def action_server_health() -> Iterator[str]:
    """A loopback server answering ``GET /health``; yields its ``/webhook`` URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/webhook"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def rss_bytes() -> int:
    """This process's resident set size, in bytes (``/proc/self/statm``'s second field)."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
