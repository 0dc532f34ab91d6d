"""Fixtures of the ConversationRelay door: the gateway with a relay number, and a call to it.

``relay_gateway`` is the gateway of ``twilio_gateway`` (tests/channels/conftest.py)
with :data:`RELAY_NUMBER` on the streaming door, what it reckons the voice
reads (``relay_speech_rate``: so fast by default that a reply goes out at
once), the agents' line (``relay_fallback``) and the Rasa servers
(``relay_rasa_servers``: English's); a test parametrizes them for others. ``relay_call`` is
Pierre Moreau calling that number as Twilio plays it
(:class:`channels.twilio.relay_simulator.TwilioRelayCall`), its socket a
:class:`TestClientSocket`.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from typing import Any

import anyio
import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import WebSocketTestSession

from channels.app import create_app
from channels.conversations.rasa_client import RasaClient
from channels.settings import GatewaySettings
from channels.twilio.relay_simulator import RelayClosed, RelaySocket, TwilioRelayCall
from channels.twilio.simulator import SignedPoster
from tests.channels.twilio_fakes import ACTIONS_URL, AUTH_TOKEN, PUBLIC_URL, ScriptedRasa

RELAY_NUMBER = "+33900000042"
PIERRE = "+33612345678"
RASA_URL = "http://rasa.test"


class TestClientSocket:
    """A :class:`RelaySocket` on a FastAPI ``TestClient``'s WebSocket session."""

    __test__ = False

    def __init__(self, client: TestClient, url: str, headers: dict[str, str]) -> None:
        self.session: WebSocketTestSession = client.websocket_connect(url, headers=headers)
        self.session.__enter__()

    def send(self, text: str) -> None:
        self.session.send_text(text)

    def recv(self, timeout: float) -> str | None:
        message = self.session.portal.call(_receive_within, self.session, timeout)
        if message is None:
            return None
        if message["type"] == "websocket.close":
            raise RelayClosed(f"closed with {message.get('code')}")
        return str(message["text"])

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.session.__exit__(None, None, None)


async def _receive_within(session: WebSocketTestSession, timeout: float) -> Any:
    # The session's own receive() waits for ever; a test must not.
    with anyio.move_on_after(timeout):
        return await session._send_rx.receive()
    return None


def opener(client: TestClient) -> Any:
    """Opens sockets on ``client`` (gateway URLs, as the simulator names them)."""

    def open_socket(url: str, headers: dict[str, str]) -> RelaySocket:
        return TestClientSocket(client, url, headers)

    return open_socket


@pytest.fixture
def relay_speech_rate() -> float:
    """Characters a second the door reckons the voice reads: here, a reply goes out at once."""
    return 1e6


@pytest.fixture
def relay_fallback() -> str | None:
    """The agents' line: none unless a test says so."""
    return None


@pytest.fixture
def relay_settings(
    twilio_settings: GatewaySettings, relay_speech_rate: float, relay_fallback: str | None
) -> GatewaySettings:
    """The Twilio gateway with :data:`RELAY_NUMBER` on the ConversationRelay door."""
    twilio = replace(
        twilio_settings.twilio,
        relay_numbers=(RELAY_NUMBER,),
        relay_speech_rate=relay_speech_rate,
        fallback_number=relay_fallback,
    )
    return replace(twilio_settings, twilio=twilio)


@pytest.fixture
def relay_rasa_servers() -> str | dict[str, tuple[str, ...]]:
    """The Rasa servers: English's alone, unless a test names each language's."""
    return RASA_URL


@pytest.fixture
async def relay_gateway(
    relay_settings: GatewaySettings,
    session_factory: sessionmaker[Session],
    scripted_rasa: ScriptedRasa,
    relay_rasa_servers: str | dict[str, tuple[str, ...]],
) -> AsyncIterator[TestClient]:
    """The gateway on the test database, its Rasa (every language's) being ``scripted_rasa``."""
    rasa = RasaClient(
        relay_rasa_servers, actions_url=ACTIONS_URL, transport=httpx.MockTransport(scripted_rasa)
    )
    with TestClient(create_app(relay_settings, session_factory, rasa=rasa)) as client:
        yield client
    await rasa.aclose()


@pytest.fixture
def relay_poster(relay_gateway: TestClient) -> SignedPoster:
    """Posts to the gateway as Twilio does: signed for the public URL."""
    return SignedPoster(
        relay_gateway, public_url=PUBLIC_URL, auth_token=AUTH_TOKEN, gateway_url="http://testserver"
    )


@pytest.fixture
def relay_call(relay_poster: SignedPoster, relay_gateway: TestClient) -> Iterator[TwilioRelayCall]:
    """Pierre Moreau about to call the relay number."""
    call = TwilioRelayCall(
        relay_poster, opener(relay_gateway), caller=PIERRE, to=RELAY_NUMBER, timeout=5
    )
    yield call
    if call.socket is not None:
        call.socket.close()
