"""Twilio's signature on every Twilio door: 403 and no trace if unsigned, forged or re-targeted."""

from __future__ import annotations

import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from channels.twilio.security import MAX_FORM_BYTES, TOKEN_FILE, twilio_auth_token
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.channels.twilio_fakes import PUBLIC_URL, ScriptedRasa, sign, twiml

CALL = {
    "AccountSid": "AC" + "1" * 32,
    "CallSid": "CA" + "a" * 32,
    "From": "+33612345678",
    "To": "+33900000000",
    "CallStatus": "ringing",
    "Direction": "inbound",
}
GATHER = {**CALL, "CallStatus": "in-progress", "SpeechResult": "hello", "Confidence": "0.9"}
STATUS = {**CALL, "CallStatus": "completed", "CallDuration": "42"}
SMS = {
    "AccountSid": "AC" + "1" * 32,
    "MessageSid": "SM" + "b" * 32,
    "From": "+33612345678",
    "To": "+33900000000",
    "Body": "STOP",
    "NumMedia": "0",
}
DOORS = [
    ("/twilio/voice", CALL),
    ("/twilio/voice/gather?silence=0", GATHER),
    ("/twilio/voice/status", STATUS),
    ("/twilio/sms", SMS),
]


def traces(uow_factory: Callable[[], SqlAlchemyUnitOfWork]) -> dict[str, int]:
    """How many rows a request could have left behind."""
    with uow_factory() as uow:
        return {
            "transcripts": uow.transcripts.count(),
            "interactions": uow.interactions.count(),
            "inbound_messages": uow.inbound_messages.count(),
            "number_consents": uow.number_consents.count(),
        }


NO_TRACE = {"transcripts": 0, "interactions": 0, "inbound_messages": 0, "number_consents": 0}


def post(client: TestClient, path: str, params: dict[str, str], signature: str | None):
    headers = {"X-Twilio-Signature": signature} if signature is not None else {}
    return client.post(path, data=params, headers=headers)


@pytest.mark.parametrize(("path", "params"), DOORS)
def test_a_request_signed_for_the_public_url_is_let_in(
    twilio_gateway: TestClient, scripted_rasa: ScriptedRasa, path: str, params: dict[str, str]
) -> None:
    response = post(twilio_gateway, path, params, sign(PUBLIC_URL + path, params))

    twiml(response)


@pytest.mark.parametrize(("path", "params"), DOORS)
@pytest.mark.parametrize(
    "forgery",
    [
        "unsigned",
        "empty",
        "wrong token",
        "tampered field",
        "added field",
        "other door",
        "other host",
    ],
)
def test_unsigned_forged_or_retargeted_requests_get_403_and_leave_no_trace(
    twilio_gateway: TestClient,
    scripted_rasa: ScriptedRasa,
    uow_factory: Callable[[], SqlAlchemyUnitOfWork],
    path: str,
    params: dict[str, str],
    forgery: str,
) -> None:
    url = PUBLIC_URL + path
    sent = dict(params)
    signature: str | None = sign(url, params)
    if forgery == "unsigned":
        signature = None
    elif forgery == "empty":
        signature = ""
    elif forgery == "wrong token":
        signature = sign(url, params, token="not-the-account-token")
    elif forgery == "tampered field":
        sent["From"] = "+33698765432"
    elif forgery == "added field":
        sent["Digits"] = "1"
    elif forgery == "other door":  # a genuine signature, for another of our URLs
        signature = sign(f"{PUBLIC_URL}/twilio/other", params)
    elif forgery == "other host":  # a genuine signature, for somebody else's server
        signature = sign("https://attacker.example.com" + path, params)

    response = post(twilio_gateway, path, sent, signature)

    assert response.status_code == 403
    assert scripted_rasa.received == []
    assert traces(uow_factory) == NO_TRACE


def test_the_query_string_is_part_of_what_is_signed(
    twilio_gateway: TestClient, scripted_rasa: ScriptedRasa
) -> None:
    signed_for = f"{PUBLIC_URL}/twilio/voice/gather?silence=0"

    response = post(
        twilio_gateway, "/twilio/voice/gather?silence=1", GATHER, sign(signed_for, GATHER)
    )

    assert response.status_code == 403
    assert scripted_rasa.received == []


def test_twilio_may_sign_with_the_standard_port_in_the_url(twilio_gateway: TestClient) -> None:
    help_request = {**SMS, "Body": "HELP"}
    with_port = "https://icbot.example.com:443/twilio/sms"

    response = post(twilio_gateway, "/twilio/sms", help_request, sign(with_port, help_request))

    assert response.status_code == 200


def test_a_file_part_is_not_twilio_and_is_refused(
    twilio_gateway: TestClient, uow_factory: Callable[[], SqlAlchemyUnitOfWork]
) -> None:
    response = twilio_gateway.post(
        "/twilio/sms",
        data=SMS,
        files={"Body": ("body.txt", b"STOP")},
        headers={"X-Twilio-Signature": sign(f"{PUBLIC_URL}/twilio/sms", SMS)},
    )

    assert response.status_code == 403
    assert traces(uow_factory) == NO_TRACE


def test_without_a_configured_token_a_private_demo_token_is_generated_and_kept(
    tmp_path: Path,
) -> None:
    token = twilio_auth_token(configured=None, var_dir=tmp_path / "var")

    path = tmp_path / "var" / TOKEN_FILE
    assert path.read_text().strip() == token
    assert len(token) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert twilio_auth_token(configured="", var_dir=tmp_path / "var") == token
    assert twilio_auth_token(configured=" real ", var_dir=tmp_path / "var") == "real"


def test_an_oversized_form_gets_413_before_it_is_parsed_or_checked(
    twilio_gateway: TestClient,
    scripted_rasa: ScriptedRasa,
    uow_factory: Callable[[], SqlAlchemyUnitOfWork],
) -> None:
    # Twilio's forms are a few kilobytes; a signed 5 MB one is somebody else's.
    huge = {**SMS, "Body": "x" * (MAX_FORM_BYTES + 1)}

    response = post(twilio_gateway, "/twilio/sms", huge, sign(f"{PUBLIC_URL}/twilio/sms", huge))

    assert (response.status_code, response.json()) == (
        413,
        {"detail": f"a Twilio form is at most {MAX_FORM_BYTES} bytes"},
    )
    assert scripted_rasa.received == []
    assert traces(uow_factory) == NO_TRACE


def test_an_oversized_form_without_a_length_is_cut_off_at_the_bound(
    twilio_gateway: TestClient, uow_factory: Callable[[], SqlAlchemyUnitOfWork]
) -> None:
    def chunked() -> Iterator[bytes]:
        # No Content-Length: the door must stop reading, not collect everything.
        for _ in range(1000):
            yield b"x" * 1024

    response = twilio_gateway.post(
        "/twilio/sms",
        content=chunked(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": "anything",
        },
    )

    assert response.status_code == 413
    assert traces(uow_factory) == NO_TRACE
