"""The stack as three child processes on chosen (or free) ports, and the dialer if asked.

With ``rasa_servers=N`` (``ICBOT_RASA_SERVERS``) N Rasa processes, named
``rasa-1`` … ``rasa-N``, listen on ``ports.rasa`` and the next free ports
above it, and share the tracker store; the gateway gets them all in
``ICBOT_RASA_URLS`` and sends each conversation to one of them
(:mod:`channels.conversations.rasa_servers`). One server is ``rasa``, as always.

Each language has its own model (``models/icbot-<lang>.tar.gz``) and its own Rasa
servers, N of them too: English's are named as above, another language's
``rasa-fr`` (or ``rasa-fr-1`` … ``rasa-fr-N``), on the next free ports. All share
the tracker store, and the gateway gets each with its language,
``ICBOT_RASA_URLS=en=http://…,fr=http://…`` (:mod:`channels.conversations.language`).

Rasa reads ``endpoints.yml``, or the scaled mode's (:mod:`launcher.endpoints`).

Each process's output goes through a masking pump (:mod:`launcher.logs`) into
``<log_dir>/<name>.log``, rotated by size. :meth:`Stack.stop` ends them
all, politely first; the context manager guarantees it, so no test or run
leaves a process behind.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Self

from .endpoints import (
    ENDPOINTS,
    SCALED_ENDPOINTS,
    SCALED_VARIABLES,
    StackError,
    endpoints_file,
    scaled,
)
from .logs import LogLimits, LogPump

# Re-exported: where the models are (launcher/models.py), as the stack's callers read them.
from .models import DEFAULT_LANGUAGE, DEFAULT_MODEL, model_path, other_language_models

__all__ = [
    "DEFAULT_LANGUAGE",
    "DEFAULT_MODEL",
    "ENDPOINTS",
    "SCALED_ENDPOINTS",
    "SCALED_VARIABLES",
    "Ports",
    "Stack",
    "StackError",
    "endpoints_file",
    "free_port",
    "model_path",
    "other_language_models",
]

REPO_ROOT = Path(__file__).resolve().parents[1]
APP_PYTHON = REPO_ROOT / ".venv" / "app" / "bin" / "python"
RASA_BIN = REPO_ROOT / ".venv" / "rasa" / "bin" / "rasa"
RASA_PYTHON = REPO_ROOT / ".venv" / "rasa" / "bin" / "python"


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Ports:
    """Where each process listens."""

    gateway: int = 8000
    rasa: int = 5005
    actions: int = 5055

    @classmethod
    def free(cls) -> Ports:
        """Three free ports, for tests and benchmarks."""
        return cls(gateway=free_port(), rasa=free_port(), actions=free_port())


@dataclass
class Stack:
    """Rasa, the action server and the gateway, started together."""

    ports: Ports = field(default_factory=Ports)
    model: Path = DEFAULT_MODEL
    log_dir: Path = REPO_ROOT / "var" / "log"
    env: Mapping[str, str] = field(default_factory=dict)
    host: str = "127.0.0.1"
    gateway_host: str = "127.0.0.1"
    # Secrets of this stack, passed to the children by environment only (never in argv,
    # which anyone on the machine reads): Rasa's API token, the secret of the gateway's
    # channel into Rasa (bot/gateway_channel.py), the one Rasa shows the action server.
    rasa_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    channel_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    actions_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    start_timeout: float = 180.0
    # The outbound dialer (python -m channels.dialer), a fourth process: only with Twilio set up.
    dialer: bool = False
    # Rasa processes sharing the tracker store (ICBOT_RASA_SERVERS), per language; their ports,
    # chosen once.
    rasa_servers: int = 1
    rasa_ports: list[int] = field(default_factory=list)
    # The other languages' models, each served by its own Rasa processes; `model` is English's.
    language_models: Mapping[str, Path] = field(default_factory=dict)
    _procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict, init=False)
    _pumps: dict[str, LogPump] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        if self.rasa_servers < 1:
            raise ValueError(f"at least one Rasa server, not {self.rasa_servers}")
        if not self.rasa_ports:
            self.rasa_ports = [self.ports.rasa]
            candidate = self.ports.rasa
            while len(self.rasa_ports) < self.rasa_servers * len(self.models):
                candidate += 1
                if candidate not in (self.ports.gateway, self.ports.actions) and _is_free(
                    self.host, candidate
                ):
                    self.rasa_ports.append(candidate)

    @property
    def models(self) -> dict[str, Path]:
        """Each language's model, English's first."""
        return {DEFAULT_LANGUAGE: self.model, **self.language_models}

    @property
    def rasa_languages(self) -> dict[str, str]:
        """Each Rasa process's language, by name, in the order of ``ICBOT_RASA_URLS``."""
        names: dict[str, str] = {}
        for language in self.models:
            base = "rasa" if language == DEFAULT_LANGUAGE else f"rasa-{language}"
            if self.rasa_servers == 1:
                names[base] = language
            else:
                names.update({f"{base}-{i}": language for i in range(1, self.rasa_servers + 1)})
        return names

    @property
    def rasa_names(self) -> list[str]:
        """The Rasa processes' names, in the order of ``ICBOT_RASA_URLS``."""
        return list(self.rasa_languages)

    @property
    def rasa_urls(self) -> dict[str, str]:
        """Each Rasa process's URL, by name."""
        return {
            name: f"http://{self.host}:{port}"
            for name, port in zip(self.rasa_names, self.rasa_ports, strict=True)
        }

    @property
    def gateway_url(self) -> str:
        """The public door."""
        host = "127.0.0.1" if self.gateway_host in ("0.0.0.0", "::") else self.gateway_host  # noqa: S104
        return f"http://{host}:{self.ports.gateway}"

    @property
    def rasa_url(self) -> str:
        """Rasa's HTTP API and the gateway's channel into it, on loopback (the first server)."""
        return f"http://{self.host}:{self.ports.rasa}"

    @property
    def actions_url(self) -> str:
        """The action server's webhook."""
        return f"http://{self.host}:{self.ports.actions}/webhook"

    def child_env(self) -> dict[str, str]:
        """The environment every child gets: ours, the endpoints, then overrides."""
        env = dict(os.environ)
        env.update(
            {
                "ICBOT_RASA_URL": self.rasa_url,
                "ICBOT_RASA_URLS": ",".join(
                    f"{self.rasa_languages[name]}={url}" for name, url in self.rasa_urls.items()
                ),
                "ICBOT_RASA_TOKEN": self.rasa_token,
                "ICBOT_CHANNEL_SECRET": self.channel_secret,
                "ICBOT_ACTIONS_SECRET": self.actions_secret,
                "ICBOT_ACTIONS_URL": self.actions_url,
                "PYTHONPATH": str(REPO_ROOT),
                "PYTHONUNBUFFERED": "1",
                # rasa-sdk binds SANIC_HOST, 0.0.0.0 by default: keep the action server private.
                "SANIC_HOST": self.host,
            }
        )
        env.update(self.env)
        # Rasa's SQL tracker store (endpoints.yml), in this stack's var folder: a restart
        # loses no conversation, and erasure and purge (python -m crm_backend) reach it.
        # Scaled, ICBOT_TRACKER_DB is a PostgreSQL database's name, set with the others.
        if not scaled(env):
            var_dir = env.get("ICBOT_VAR_DIR") or str(REPO_ROOT / "var")
            env.setdefault("ICBOT_TRACKER_DB", str(Path(var_dir) / "tracker.db"))
        return env

    @property
    def endpoints(self) -> str:
        """The endpoints file of Rasa (:func:`endpoints_file`)."""
        return endpoints_file(self.child_env())

    def commands(self) -> dict[str, list[str]]:
        """The command line of each process, in start order."""
        endpoints = self.endpoints
        commands = {
            "actions": [
                str(APP_PYTHON), "-m", "launcher.action_server", "--actions", "actions",
                "--host", self.host, "--port", str(self.ports.actions),
            ],
            # rasa run, through a wrapper that reads the API token from the environment.
            **{
                name: [
                    str(RASA_PYTHON), "-m", "bot.serve", "--enable-api",
                    "--model", str(self.models[self.rasa_languages[name]]),
                    "--endpoints", endpoints,
                    "--credentials", "credentials.yml", "--interface", self.host,
                    "--port", str(port),
                ]
                for name, port in zip(self.rasa_names, self.rasa_ports, strict=True)
            },
            "gateway": [
                str(APP_PYTHON), "-m", "uvicorn", "channels.app:create_app", "--factory",
                "--host", self.gateway_host, "--port", str(self.ports.gateway),
                "--no-access-log",
                # The desk's event streams stay open: they get 3 s to end, not for ever.
                "--timeout-graceful-shutdown", "3",
            ],
        }  # fmt: skip
        if self.dialer:
            commands["dialer"] = [str(APP_PYTHON), "-m", "channels.dialer"]
        return commands

    def start(self) -> Self:
        """Start every process and wait until each answers."""
        for model in self.models.values():
            if not model.exists():
                raise StackError(f"no trained model at {model}: run `make model` first")
        self.log_dir.mkdir(parents=True, exist_ok=True)
        try:
            for name in self.commands():
                self._spawn(name)
            self._wait_until_ready(list(self.commands()))
        except BaseException:
            self.stop()
            raise
        return self

    @property
    def var_dir(self) -> Path:
        """This stack's var folder (``ICBOT_VAR_DIR``): databases, tokens, supervisor status."""
        return Path(self.child_env().get("ICBOT_VAR_DIR") or REPO_ROOT / "var")

    def spawn(self, name: str) -> None:
        """Start one process without waiting for it (the supervisor's restart)."""
        self._spawn(name)

    def _spawn(self, name: str) -> None:
        env = self.child_env()
        pump = LogPump(self.log_path(name), limits=LogLimits.from_env(env))
        proc = subprocess.Popen(  # noqa: S603 - our own commands
            self.commands()[name], cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        self._procs[name] = proc
        self._pumps[name] = pump
        assert proc.stdout is not None
        pump.follow(proc.stdout)

    def reap(self) -> dict[str, int]:
        """Forget the processes that exited, each with its exit code (negative: a signal).

        What the dead process left in its group (a worker, a half-open port) is killed too,
        so a restart finds its port free.
        """
        dead = {name: proc for name, proc in self._procs.items() if proc.poll() is not None}
        for name, proc in dead.items():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            del self._procs[name]
            self._pumps.pop(name).close(timeout=1.0)
        return {name: int(proc.returncode) for name, proc in dead.items()}

    def stop_process(self, name: str) -> None:
        """End one process (a test of how the others cope with it gone)."""
        proc = self._procs.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        self._pumps.pop(name).close()

    def start_process(self, name: str) -> None:
        """Start one process again, on its port, and wait until it answers."""
        self._spawn(name)
        self._wait_until_ready([name])

    def _wait_until_ready(self, names: list[str]) -> None:
        checks = {
            "actions": f"http://{self.host}:{self.ports.actions}/health",
            **{
                name: f"{url}/status?token={self.rasa_token}"
                for name, url in self.rasa_urls.items()
            },
            "gateway": f"{self.gateway_url}/healthz",
        }
        deadline = time.monotonic() + self.start_timeout
        # A process without a port (the dialer) is ready once started, unless it exits.
        pending = {name: checks[name] for name in names if name in checks}
        while pending:
            for name, url in list(pending.items()):
                proc = self._procs[name]
                if proc.poll() is not None:
                    raise StackError(
                        f"{name} exited with {proc.returncode}; see {self.log_path(name)}"
                    )
                if _answers(url):
                    del pending[name]
            if pending and time.monotonic() > deadline:
                raise StackError(f"not ready after {self.start_timeout:.0f}s: {', '.join(pending)}")
            if pending:
                time.sleep(0.5)

    def log_path(self, name: str) -> Path:
        """Where a process writes its output."""
        return self.log_dir / f"{name}.log"

    def pids(self) -> dict[str, int]:
        """The process id of each running child."""
        return {name: proc.pid for name, proc in list(self._procs.items()) if proc.poll() is None}

    def stop(self) -> None:
        """End every process: SIGTERM, a grace period, then SIGKILL."""
        for proc in self._procs.values():
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for proc in self._procs.values():
            remaining = max(0.1, deadline - time.monotonic())
            try:
                proc.wait(timeout=remaining)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self._procs.clear()
        for pump in self._pumps.values():
            pump.close()
        self._pumps.clear()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _answers(url: str) -> bool:
    # Before a server binds its port, a probe from the same ephemeral range can connect
    # to itself (TCP self-connect) and read its own request back: no answer, no crash.
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
            return 200 <= int(response.status) < 300
    except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException):
        return False
