"""``python -m launcher run``: start the stack, print the URLs, stop it all on Ctrl-C.

Ports and host come from ``ICBOT_HOST`` (default 127.0.0.1), ``ICBOT_PORT``
(8000), ``ICBOT_RASA_PORT`` (5005) and ``ICBOT_ACTIONS_PORT`` (5055).
``ICBOT_RASA_SERVERS`` (default 1) starts that many Rasa servers, on
``ICBOT_RASA_PORT`` and the next free ports, sharing the tracker store; the
gateway sends each conversation to one of them. With
Twilio set up (:data:`OUTBOUND_SETTINGS`), the outbound dialer
(``python -m channels.dialer``) runs too and works the bot's active call lists.
The retention purge (:mod:`launcher.retention`) runs at start and daily.

Once started, the processes are supervised (:mod:`launcher.supervisor`): one
that dies is restarted with a back-off while the others keep serving, and one
that crashes 5 times within a minute is given up on (the gateway's
``/healthz`` says so). Ctrl-C or SIGTERM stops everything.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path
from types import FrameType

from languages import languages

from .retention import DailyPurge
from .stack import (
    DEFAULT_LANGUAGE,
    REPO_ROOT,
    SCALED_ENDPOINTS,
    Ports,
    Stack,
    StackError,
    model_path,
    other_language_models,
)
from .supervisor import Supervisor


def _token_hint() -> str:
    if os.environ.get("ICBOT_API_TOKEN"):
        return "the API token is the ICBOT_API_TOKEN you set"
    return f"the API token is in {REPO_ROOT / 'var' / 'api_token'}"


def desk_logins(var_dir: Path) -> str:
    """The demo desk users' logins (``python -m crm_backend demo-agents`` made them), one a line."""
    path = var_dir / "desk_logins"
    if not path.exists():
        return "                  (no demo logins: python -m crm_backend demo-agents makes them)\n"
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        username, _, password = line.partition(" ")
        if password:
            lines.append(f"                  {username:<14} password {password}\n")
    return "".join(lines)


# The dialer places calls through Twilio's API: it runs only when all of these are set.
OUTBOUND_SETTINGS = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM_NUMBER")


def _dialer_line(running: bool) -> str:
    if running:
        return "working the bot's active call lists (python -m channels.dialer)"
    return f"off: set {', '.join(OUTBOUND_SETTINGS)} to let the bot call"


def _scaled_line(stack: Stack) -> str:
    if stack.endpoints != SCALED_ENDPOINTS:
        return ""
    env = stack.child_env()
    return (
        f" (tracker store: PostgreSQL {env['ICBOT_POSTGRES_HOST']}:{env['ICBOT_POSTGRES_PORT']}"
        f"/{env['ICBOT_TRACKER_DB']}; lock store: Redis "
        f"{env['ICBOT_REDIS_HOST']}:{env['ICBOT_REDIS_PORT']})"
    )


def trained_language_models() -> dict[str, Path]:
    """Each other language's model that ``make model`` trained; says which wait for one."""
    found = other_language_models()
    for language in set(languages()) - set(found) - {DEFAULT_LANGUAGE}:
        print(
            f"no model for {language} ({model_path(language)}): icbot starts without it",
            file=sys.stderr,
        )
    return found


def _rasa_line(stack: Stack) -> str:
    """Each Rasa server's language and URL: ``en http://…, fr http://…``."""
    return ", ".join(f"{stack.rasa_languages[name]} {url}" for name, url in stack.rasa_urls.items())


def run() -> int:
    """Run until interrupted; return the exit code."""
    ports = Ports(
        gateway=int(os.environ.get("ICBOT_PORT", "8000")),
        rasa=int(os.environ.get("ICBOT_RASA_PORT", "5005")),
        actions=int(os.environ.get("ICBOT_ACTIONS_PORT", "5055")),
    )
    dialer = all(os.environ.get(name) for name in OUTBOUND_SETTINGS)
    var_dir = Path(os.environ.get("ICBOT_VAR_DIR") or REPO_ROOT / "var")
    stack = Stack(
        ports=ports,
        gateway_host=os.environ.get("ICBOT_HOST", "127.0.0.1"),
        dialer=dialer,
        log_dir=var_dir / "log",
        rasa_servers=int(os.environ.get("ICBOT_RASA_SERVERS") or "1"),
        language_models=trained_language_models(),
    )

    def _interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _interrupt)
    # A shell starting us in the background ignores SIGINT for us; Ctrl-C must still stop.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    print(
        "Starting the action server, one Rasa per language"
        f" ({', '.join(stack.models)}; about 45 s to load a model) and the gateway…"
    )
    try:
        stack.start()
    except StackError as exc:
        print(f"icbot could not start: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopped before start-up finished.")
        return 130
    supervisor = Supervisor(stack, say=lambda line: print(line, file=sys.stderr, flush=True))

    def _stop(signum: int, frame: FrameType | None) -> None:
        # No exception in the middle of a restart: the loop ends, then everything stops.
        supervisor.request_stop()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    purge = DailyPurge(env=stack.child_env(), log_dir=stack.log_dir).start()
    url = stack.gateway_url
    print(
        "\nicbot is running:\n"
        f"  web chat        {url}/\n"
        f"  chat API        POST {url}/api/conversations, then .../<id>/messages\n"
        f"  CRM API docs    {url}/docs\n"
        f"  health          {url}/healthz\n"
        f"  rasa            {_rasa_line(stack)}\n"
        f"  rasa endpoints  {stack.endpoints}{_scaled_line(stack)}\n"
        f"  agent desk      {url}/desk  (manager's view: {url}/desk/manager)\n"
        f"  desk logins\n{desk_logins(var_dir)}"
        f"  dialer          {_dialer_line(dialer)}\n"
        f"  logs            {Path(stack.log_dir)}/ (masked, rotated; purge.log: retention)\n"
        f"  ({_token_hint()})\n"
        "A process that dies is restarted; one that keeps crashing is given up on.\n"
        "Press Ctrl-C to stop everything.",
        flush=True,
    )
    try:
        supervisor.run()
        print("\nStopping…")
    finally:
        supervisor.stop()
        purge.stop()
        stack.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the command."""
    parser = argparse.ArgumentParser(prog="python -m launcher")
    parser.add_argument("command", choices=["run"])
    parser.parse_args(argv)
    return run()


if __name__ == "__main__":
    sys.exit(main())
