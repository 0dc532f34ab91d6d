"""Fixtures of the gateway tests: settings on a temporary var/ folder and the app on SQLite.

``chat_gateway`` is the app with a fake Rasa (:class:`FakeRasa` behind
``httpx.MockTransport``), for the tests of the chat door; the real Rasa is
exercised in tests/e2e. ``transcript_rows`` reads back what the doors wrote;
``down_database`` is a database that cannot be reached.

``twilio_gateway`` is the app behind a public URL with a Twilio auth token
and a :class:`ScriptedRasa`; ``phone`` and ``texter`` call and text it as
Twilio does (``channels.twilio.simulator``).

``desk_gateway`` is the app with the desk open round the clock, a
:class:`HandoffRasa` (``handoff_rasa``) and outbound SMS recorded by
``twilio_api``.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

from channels.app import create_app
from channels.conversations.rasa_client import RasaClient
from channels.conversations.redelivery import MESSAGE_ID
from channels.settings import GatewaySettings, TwilioSettings
from channels.twilio.simulator import SignedPoster, TwilioPhone, TwilioTexter
from crm_backend.opening_hours import OpeningHours
from crm_backend.services import handoff
from crm_backend.settings import CrmSettings, HandoffSettings
from crm_backend.uow import SqlAlchemyUnitOfWork
from launcher.stack import free_port
from tests.channels.handoff_fakes import HandoffRasa
from tests.channels.twilio_fakes import (
    ACCOUNT_SID,
    ACTIONS_URL,
    AUTH_TOKEN,
    PUBLIC_URL,
    RecordingHttpClient,
    ScriptedRasa,
)

API_TOKEN = "gateway-test-token"


@pytest.fixture
def gateway_settings(tmp_path: Path, database_url: str) -> GatewaySettings:
    """Settings with the integration token set, a var/ folder in tmp_path, and the test DB.

    Rasa and the action server are on ports nothing listens on: these tests run
    the gateway alone (tests/e2e runs it with the others).
    """
    crm = CrmSettings(database_url=database_url, var_dir=tmp_path / "var")
    return GatewaySettings(
        crm=crm,
        api_token=API_TOKEN,
        rasa_url=f"http://127.0.0.1:{free_port()}",
        actions_url=f"http://127.0.0.1:{free_port()}/webhook",
        health_timeout=1.0,
    )


@pytest.fixture
def gateway(
    gateway_settings: GatewaySettings, session_factory: sessionmaker[Session]
) -> Iterator[TestClient]:
    """The gateway app on the (empty, migrated) test database, started and stopped."""
    with TestClient(create_app(gateway_settings, session_factory)) as client:
        yield client


RASA_URL = "http://rasa.test"
REST_WEBHOOK = "/webhooks/gateway/webhook"


class FakeRasa:
    """Rasa's REST channel in memory, the handler of an ``httpx.MockTransport``.

    It records every request and answers the REST webhook with ``replies``;
    a test that needs another answer (an error, a timeout) sets ``respond``.
    """

    def __init__(self) -> None:
        self.replies: list[Any] = []  # JSON, any junk a test wants Rasa to answer
        self.respond: Callable[[httpx.Request], httpx.Response] | None = None
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.respond is not None:
            return self.respond(request)
        if request.method == "POST" and request.url.path == REST_WEBHOOK:
            return httpx.Response(200, json=self.replies)
        return httpx.Response(404, json={"status": "failure", "reason": "NotFound"})

    @property
    def sent(self) -> list[dict[str, Any]]:
        """The bodies posted to the REST webhook, oldest first, without the gateway's message ids.

        Each message's id (``message_ids``) is the gateway's own, random: a test compares
        the rest.
        """
        bodies = [json.loads(r.content) for r in self.requests if r.url.path == REST_WEBHOOK]
        for body in bodies:
            body.get("metadata", {}).pop(MESSAGE_ID, None)
        return bodies

    @property
    def message_ids(self) -> list[str]:
        """The id the gateway gave each message it posted, oldest first."""
        return [
            json.loads(r.content)["metadata"][MESSAGE_ID]
            for r in self.requests
            if r.url.path == REST_WEBHOOK
        ]


@pytest.fixture
def fake_rasa() -> FakeRasa:
    """A fake Rasa that answers nothing until the test sets ``replies``."""
    return FakeRasa()


@pytest.fixture
async def rasa_client(fake_rasa: FakeRasa) -> AsyncIterator[RasaClient]:
    """A real :class:`RasaClient` talking to ``fake_rasa``."""
    client = RasaClient(RASA_URL, transport=httpx.MockTransport(fake_rasa))
    yield client
    await client.aclose()


@pytest.fixture
def chat_gateway(
    gateway_settings: GatewaySettings,
    session_factory: sessionmaker[Session],
    rasa_client: RasaClient,
) -> Iterator[TestClient]:
    """The gateway on the test database, its Rasa being ``fake_rasa``."""
    app = create_app(gateway_settings, session_factory, rasa=rasa_client)
    with TestClient(app) as client:
        yield client


TranscriptRow = tuple[str, str, str, str, dict[str, Any]]


@pytest.fixture
def transcript_rows(
    uow_factory: Callable[[], SqlAlchemyUnitOfWork],
) -> Callable[[], list[TranscriptRow]]:
    """Reads every transcript entry of the test database, oldest first.

    Each row is ``(conversation_id, channel, role, text, payload)``.
    """

    def read() -> list[TranscriptRow]:
        with uow_factory() as uow:
            entries = reversed(uow.transcripts.list_by())
            return [(e.conversation_id, e.channel, e.role, e.text, e.payload) for e in entries]

    return read


@pytest.fixture
def down_database(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    """Sessions on a database that cannot be reached, like a server that is down."""
    # A database file under a regular file: SQLite cannot open it.
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    engine = create_engine(f"sqlite:///{blocker / 'crm.db'}")
    yield sessionmaker(bind=engine)
    engine.dispose()


# --- the Twilio doors ----------------------------------------------------------------------


@pytest.fixture
def scripted_rasa() -> ScriptedRasa:
    """A fake Rasa that answers each message text as the test scripts it."""
    return ScriptedRasa()


@pytest.fixture
def twilio_settings(gateway_settings: GatewaySettings) -> GatewaySettings:
    """The gateway behind ``PUBLIC_URL``, checking signatures with ``AUTH_TOKEN``, 3 s budget.

    Wide enough that a busy machine does not turn a normal turn into an apology.
    """
    twilio = TwilioSettings(auth_token=AUTH_TOKEN, reply_budget=3.0, company_name="Lumen")
    return replace(gateway_settings, public_url=PUBLIC_URL, twilio=twilio)


@pytest.fixture
async def twilio_gateway(
    twilio_settings: GatewaySettings,
    session_factory: sessionmaker[Session],
    scripted_rasa: ScriptedRasa,
) -> AsyncIterator[TestClient]:
    """The gateway on the test database, its Rasa being ``scripted_rasa``."""
    rasa = RasaClient(
        RASA_URL, actions_url=ACTIONS_URL, transport=httpx.MockTransport(scripted_rasa)
    )
    with TestClient(create_app(twilio_settings, session_factory, rasa=rasa)) as client:
        yield client
    await rasa.aclose()


@pytest.fixture
def signed_poster(twilio_gateway: TestClient) -> SignedPoster:
    """Posts to the gateway as Twilio does: signed for the public URL."""
    return SignedPoster(
        twilio_gateway,
        public_url=PUBLIC_URL,
        auth_token=AUTH_TOKEN,
        gateway_url="http://testserver",
    )


@pytest.fixture
def phone(signed_poster: SignedPoster) -> TwilioPhone:
    """Pierre Moreau's phone, about to call the company."""
    return TwilioPhone(signed_poster, caller="+33612345678")


@pytest.fixture
def texter(signed_poster: SignedPoster) -> TwilioTexter:
    """Pierre Moreau's phone, about to text the company."""
    return TwilioTexter(signed_poster, sender="+33612345678")


# --- handoffs and the desk ---------------------------------------------------------------

ALWAYS_OPEN = HandoffSettings(
    hours=OpeningHours.parse("mon-sun 00:00-24:00"), wrap_up_codes=("resolved", "no_action")
)
COMPANY_NUMBER = "+33900000000"


@pytest.fixture
def handoff_rasa(uow_factory: Callable[[], SqlAlchemyUnitOfWork]) -> HandoffRasa:
    """A fake Rasa whose handoff writes the CRM's queue entry, as ``action_handoff`` does."""
    rasa = HandoffRasa()

    def queue(sender: str, text: str) -> None:
        channel = sender.split("-", 1)[0]
        with uow_factory() as uow:
            handoff.request_handoff(
                uow,
                conversation_id=sender,
                channel=channel if channel in ("sms", "voice") else "web",
                reason="requested",
                settings=ALWAYS_OPEN,
                detail=text,
                reply_to=sender.removeprefix("sms-") if channel == "sms" else None,
            )
            uow.commit()

    rasa.on_handoff = queue
    return rasa


@pytest.fixture
def twilio_api() -> RecordingHttpClient:
    """Twilio's REST API in memory, recording what the outbound client sends."""
    return RecordingHttpClient()


@pytest.fixture
async def desk_gateway(
    gateway_settings: GatewaySettings,
    session_factory: sessionmaker[Session],
    handoff_rasa: HandoffRasa,
    twilio_api: RecordingHttpClient,
) -> AsyncIterator[TestClient]:
    """The gateway over https with the desk open round the clock, Twilio configured.

    Its Rasa is ``handoff_rasa``; outbound SMS go to ``twilio_api``.
    """
    settings = replace(
        gateway_settings,
        public_url=PUBLIC_URL,
        crm=replace(gateway_settings.crm, handoff=ALWAYS_OPEN),
        twilio=TwilioSettings(
            account_sid=ACCOUNT_SID,
            auth_token=AUTH_TOKEN,
            from_number=COMPANY_NUMBER,
            reply_budget=2.0,
        ),
    )
    rasa = RasaClient(RASA_URL, transport=httpx.MockTransport(handoff_rasa))
    app = create_app(settings, session_factory, rasa=rasa, twilio_http=twilio_api)
    with TestClient(app, base_url="https://testserver") as client:
        yield client
    await rasa.aclose()
