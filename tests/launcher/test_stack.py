"""The launcher's stack: its processes, and what each may listen on."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from channels.conversations.rasa_client import RasaClient
from channels.conversations.rasa_servers import RasaServers
from channels.settings import GatewaySettings
from launcher.stack import (
    APP_PYTHON,
    RASA_PYTHON,
    Ports,
    Stack,
    StackError,
    _answers,
    free_port,
)
from launcher.supervisor import Supervisor


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


def test_one_rasa_server_is_rasa_as_always() -> None:
    stack = Stack(ports=Ports(gateway=8000, rasa=5005, actions=5055))

    assert list(stack.commands()) == ["actions", "rasa", "gateway"]
    assert stack.child_env()["ICBOT_RASA_URL"] == "http://127.0.0.1:5005"
    assert stack.child_env()["ICBOT_RASA_URLS"] == "en=http://127.0.0.1:5005"


def test_several_rasa_servers_listen_on_the_next_free_ports_and_the_gateway_gets_them_all() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        # The port after the first server's is taken (and the next is the action server's).
        stack = Stack(
            ports=Ports(gateway=free_port(), rasa=busy - 1, actions=busy + 1), rasa_servers=3
        )

    first = busy - 1
    assert stack.rasa_ports[0] == first
    assert busy not in stack.rasa_ports
    assert busy + 1 not in stack.rasa_ports
    assert stack.rasa_ports == sorted(stack.rasa_ports)
    assert len(set(stack.rasa_ports)) == 3
    commands = stack.commands()
    assert list(commands) == ["actions", "rasa-1", "rasa-2", "rasa-3", "gateway"]
    assert [commands[name][commands[name].index("--port") + 1] for name in stack.rasa_names] == [
        str(port) for port in stack.rasa_ports
    ]
    env = stack.child_env()
    assert env["ICBOT_RASA_URLS"] == ",".join(
        f"en=http://127.0.0.1:{port}" for port in stack.rasa_ports
    )
    assert env["ICBOT_RASA_URL"] == f"http://127.0.0.1:{first}"
    # The gateway names them as the launcher does: /healthz and supervisor.json agree.
    urls = GatewaySettings.from_env(env).rasa_servers
    assert list(RasaServers(urls["en"]).names.values()) == stack.rasa_names


@pytest.mark.parametrize(
    ("servers", "names"),
    [
        (1, {"rasa": "en", "rasa-fr": "fr"}),
        (2, {"rasa-1": "en", "rasa-2": "en", "rasa-fr-1": "fr", "rasa-fr-2": "fr"}),
    ],
)
def test_each_language_has_its_own_rasa_servers_with_its_model(
    tmp_path: Path, servers: int, names: dict[str, str]
) -> None:
    french = tmp_path / "icbot-fr.tar.gz"
    stack = Stack(ports=Ports.free(), rasa_servers=servers, language_models={"fr": french})

    assert stack.rasa_languages == names
    assert len(set(stack.rasa_ports)) == len(names)
    commands = stack.commands()
    models = {name: commands[name][commands[name].index("--model") + 1] for name in names}
    assert models == {
        name: str(french if language == "fr" else stack.model) for name, language in names.items()
    }
    env = stack.child_env()
    assert env["ICBOT_RASA_URLS"] == ",".join(
        f"{language}={stack.rasa_urls[name]}" for name, language in names.items()
    )
    # The gateway names each as the launcher does: /healthz and supervisor.json agree.
    client = RasaClient(GatewaySettings.from_env(env).rasa_servers)
    gateway_names = {
        name: language
        for language in client.languages
        for name in client.server_names(language).values()
    }
    assert gateway_names == names


def test_a_missing_model_of_any_language_stops_the_start(tmp_path: Path) -> None:
    english = tmp_path / "icbot-en.tar.gz"
    english.write_bytes(b"")
    stack = Stack(
        ports=Ports.free(), model=english, language_models={"fr": tmp_path / "none.tar.gz"}
    )

    with pytest.raises(StackError, match=r"none\.tar\.gz"):
        stack.start()


def test_the_supervisor_watches_each_rasa_server(tmp_path: Path) -> None:
    stack = Stack(
        ports=Ports.free(), rasa_servers=2, env={"ICBOT_VAR_DIR": str(tmp_path)}, log_dir=tmp_path
    )

    assert list(Supervisor(stack).states) == ["actions", "rasa-1", "rasa-2", "gateway"]


def test_a_port_that_echoes_the_probe_back_is_not_ready_and_raises_nothing() -> None:
    # What a probe reads when it connects to itself before the server has bound the port.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]

        def echo() -> None:
            conn, _ = listener.accept()
            with conn:
                conn.sendall(conn.recv(4096))

        echoing = threading.Thread(target=echo)
        echoing.start()
        assert _answers(f"http://127.0.0.1:{port}/status") is False
        echoing.join(timeout=5)
