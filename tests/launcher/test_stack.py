"""The launcher's stack: its processes, and what each may listen on."""

from __future__ import annotations

from launcher.stack import APP_PYTHON, Stack


def test_the_dialer_runs_only_when_asked() -> None:
    assert list(Stack().commands()) == ["actions", "rasa", "gateway"]
    assert Stack(dialer=True).commands()["dialer"] == [str(APP_PYTHON), "-m", "channels.dialer"]


def test_rasa_and_the_action_server_listen_on_loopback_only() -> None:
    stack = Stack()

    assert stack.child_env()["SANIC_HOST"] == "127.0.0.1"  # rasa-sdk's bind address
    rasa = stack.commands()["rasa"]
    assert rasa[rasa.index("--interface") + 1] == "127.0.0.1"
