"""The live stack's inner doors: Rasa and the action server take only the stack's own calls.

Loopback is no credential: a process on the machine that posts to Rasa or to
the action server without the stack's secrets is refused, and no secret can
be read from a process's command line.
"""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.e2e.conftest import PIERRES_PHONE, LiveStack

# What an intruder on the machine would post: Pierre's number as the caller's.
INTRUSION = {
    "sender": "intruder",
    "message": "/greet",
    "metadata": {"channel": "voice", "caller_phone": PIERRES_PHONE},
}


def test_rasa_takes_no_message_without_the_gateways_secret(live: LiveStack) -> None:
    rasa = live.stack.rasa_url

    answers = [
        httpx.post(f"{rasa}/webhooks/rest/webhook", json=INTRUSION, timeout=30).status_code,
        httpx.post(f"{rasa}/webhooks/gateway/webhook", json=INTRUSION, timeout=30).status_code,
        httpx.post(
            f"{rasa}/webhooks/gateway/webhook",
            json=INTRUSION,
            headers={"X-Icbot-Channel-Secret": "a guess"},
            timeout=30,
        ).status_code,
    ]

    assert answers == [404, 403, 403]
    tracker = httpx.get(
        f"{rasa}/conversations/intruder/tracker",
        params={"token": live.stack.rasa_token},
        timeout=10,
    ).json()
    assert [e for e in tracker.get("events") or [] if e.get("event") == "user"] == []


def test_the_action_server_runs_no_action_without_rasas_secret(live: LiveStack) -> None:
    call = {
        "next_action": "action_session_start",
        "sender_id": "intruder",
        "tracker": {"sender_id": "intruder", "slots": {"account_id": 1}, "events": []},
        "domain": {},
    }

    answer = httpx.post(live.stack.actions_url, json=call, timeout=30)

    assert (answer.status_code, answer.json()) == (403, {"error": "forbidden"})


def test_no_process_of_the_stack_shows_a_secret_on_its_command_line(live: LiveStack) -> None:
    env = live.stack.child_env()
    secrets = [env[n] for n in ("ICBOT_RASA_TOKEN", "ICBOT_CHANNEL_SECRET", "ICBOT_ACTIONS_SECRET")]

    shown = {
        name: Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
        for name, pid in live.stack.pids().items()
    }

    assert sorted(shown) == ["actions", "gateway", "rasa", "rasa-fr"]
    assert [
        (name, argument)
        for name, argv in shown.items()
        for argument in argv
        if any(secret in argument for secret in secrets)
    ] == []
