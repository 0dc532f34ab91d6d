"""Rasa's server with no secret on its command line: ``python -m bot.serve <rasa run options>``.

``rasa run --auth-token=…`` shows the token of Rasa's HTTP API to anyone on
the machine (``ps``, ``/proc/<pid>/cmdline``). This wrapper, run with the
rasa env's Python, reads the token from ``ICBOT_RASA_TOKEN`` and hands Rasa's
own command-line entry point (logging, TensorFlow set-up, plugins, then
``rasa run``) the whole argument list inside the process: the command line
the system shows is the one without it. The other secrets never were
arguments: Rasa reads the gateway channel's (``ICBOT_CHANNEL_SECRET``,
``credentials.yml``) and the action server's (``ICBOT_ACTIONS_SECRET``,
``endpoints.yml``) from the environment.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence

TOKEN_VARIABLE = "ICBOT_RASA_TOKEN"
TOKEN_OPTIONS = ("-t", "--auth-token")


def rasa_argv(arguments: Sequence[str], environ: Mapping[str, str]) -> list[str]:
    """The arguments of ``rasa run``: ``arguments`` and the token from ``environ``.

    Raises:
        SystemExit: no token (Rasa's API would be open to anyone on the
            machine), or a token given on the command line after all.
    """
    token = environ.get(TOKEN_VARIABLE, "").strip()
    if not token:
        raise SystemExit(f"{TOKEN_VARIABLE} is not set: Rasa's HTTP API would be open to anyone")
    if any(a.split("=", 1)[0] in TOKEN_OPTIONS for a in arguments):
        raise SystemExit(f"the token comes from {TOKEN_VARIABLE}, never from the command line")
    # One argument, "--auth-token=…": a token that starts with "-" (token_urlsafe makes one
    # in 64) would otherwise read as an option, and Rasa would not start.
    return ["rasa", "run", *arguments, f"--auth-token={token}"]


def main() -> None:
    """Run ``rasa run`` with the command line's options and the token from the environment."""
    sys.argv = rasa_argv(sys.argv[1:], os.environ)
    from rasa.__main__ import main as rasa_main

    from bot import rule_states

    # The policies' states from the cache while serving; training stays Rasa's own.
    rule_states.enable()

    rasa_main()


if __name__ == "__main__":
    main()
