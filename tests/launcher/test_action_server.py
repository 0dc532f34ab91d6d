"""The action server takes Rasa's calls only: /webhook needs the secret Rasa sends."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from launcher import action_server
from launcher.action_server import SECRET_HEADER
from launcher.stack import APP_PYTHON, REPO_ROOT, free_port

SECRET = "actions-secret-of-this-stack"
# Any tracker, any account: what a process on the machine could post without the secret.
CALL = {
    "next_action": "action_that_does_not_exist",
    "sender_id": "anyone",
    "tracker": {"sender_id": "anyone", "slots": {"account_id": 1}, "events": []},
    "domain": {},
    "version": "3.6.21",
}


def request(url: str, *, body: dict[str, object] | None = None, secret: str | None = None):
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    data = None if body is None else json.dumps(body).encode()
    sent = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(sent, timeout=10) as answer:  # noqa: S310 - loopback
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


@pytest.fixture(scope="module")
def actions_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The action server, started as the launcher starts it, on a free port."""
    var_dir: Path = tmp_path_factory.mktemp("var")
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO_ROOT),
        "ICBOT_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'icbot.db'}",
        "ICBOT_ACTIONS_SECRET": SECRET,
    }
    process = subprocess.Popen(
        [str(APP_PYTHON), "-m", "launcher.action_server", "--port", str(port)],
        cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while not _healthy(url):
            assert process.poll() is None, "the action server exited"
            assert time.monotonic() < deadline, "the action server did not start"
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as answer:  # noqa: S310
            return int(answer.status) == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.mark.parametrize("secret", [None, "", "not-the-secret", SECRET + "x"])
@pytest.mark.parametrize("path", ["/webhook", "/actions"])
def test_without_the_secret_no_action_runs(actions_url: str, path: str, secret: str | None):
    body = CALL if path == "/webhook" else None

    assert request(actions_url + path, body=body, secret=secret) == (
        403,
        {"error": "forbidden"},
    )


def test_with_the_secret_rasa_reaches_the_actions(actions_url: str) -> None:
    status, answer = request(actions_url + "/webhook", body=CALL, secret=SECRET)

    # Through the door: rasa-sdk itself answers that no such action exists.
    assert (status, answer["action_name"]) == (404, "action_that_does_not_exist")


def test_health_stays_open_for_the_gateway(actions_url: str) -> None:
    assert request(actions_url + "/health") == (200, {"status": "ok"})


def test_without_a_secret_the_action_server_does_not_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ICBOT_ACTIONS_SECRET", raising=False)

    with pytest.raises(SystemExit, match="ICBOT_ACTIONS_SECRET"):
        action_server.main(["--port", str(free_port())])
