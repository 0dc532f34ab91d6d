"""The launcher's stack: its processes, and what each may listen on."""

from __future__ import annotations

from launcher.stack import APP_PYTHON, RASA_PYTHON, Stack


def test_the_dialer_runs_only_when_asked() -> None:
    assert list(Stack().commands()) == ["actions", "rasa", "gateway"]
    assert Stack(dialer=True).commands()["dialer"] == [str(APP_PYTHON), "-m", "channels.dialer"]


def test_rasa_and_the_action_server_listen_on_loopback_only() -> None:
    stack = Stack()

    assert stack.child_env()["SANIC_HOST"] == "127.0.0.1"  # rasa-sdk's bind address
    rasa = stack.commands()["rasa"]
    assert rasa[rasa.index("--interface") + 1] == "127.0.0.1"


def test_no_secret_is_on_a_command_line_anyone_on_the_machine_can_read() -> None:
    stack = Stack()
    env = stack.child_env()
    secrets = {
        name: env.get(name, "")
        for name in ("ICBOT_RASA_TOKEN", "ICBOT_CHANNEL_SECRET", "ICBOT_ACTIONS_SECRET")
    }

    assert [
        (process, name)
        for process, argv in stack.commands().items()
        for name, value in secrets.items()
        if value and any(value in argument for argument in argv)
    ] == []
    assert [name for name, value in secrets.items() if len(value) < 32] == []


def test_rasa_starts_through_the_wrapper_that_reads_its_token_from_the_environment() -> None:
    rasa = Stack().commands()["rasa"]

    assert rasa[:3] == [str(RASA_PYTHON), "-m", "bot.serve"]
    assert [a for a in rasa if a.startswith(("-t", "--auth-token"))] == []


def test_each_stack_has_its_own_secrets() -> None:
    first, second = Stack().child_env(), Stack().child_env()

    assert [
        name
        for name in ("ICBOT_RASA_TOKEN", "ICBOT_CHANNEL_SECRET", "ICBOT_ACTIONS_SECRET")
        if first[name] == second[name]
    ] == []
