"""The scaled mode's PostgreSQL and Redis, through ``tools/scaled-services``, for Python callers.

The script starts both on free loopback ports and prints ``export NAME=value``
lines (the CRM's and Rasa's settings, ``ICBOT_SERVICES_DIR`` for the rest);
the scaled tests and ``make bench-scaled`` start, stop and restart them here.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping

from .stack import REPO_ROOT

SCRIPT = REPO_ROOT / "tools" / "scaled-services"


class ServicesError(RuntimeError):
    """The services did not start."""


def start() -> dict[str, str]:
    """Start PostgreSQL and Redis; the variables the script exports.

    Raises:
        ServicesError: the script failed (the end of what it said is in the message).
    """
    done = subprocess.run(  # noqa: S603 - our own script
        [str(SCRIPT), "start"], capture_output=True, text=True, check=False, timeout=300
    )
    exports = {}
    for line in done.stdout.splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        if name:
            exports[name] = value
    if done.returncode != 0 or "ICBOT_SERVICES_DIR" not in exports:
        raise ServicesError(f"tools/scaled-services could not start:\n{done.stderr[-2000:]}")
    return exports


def run(command: str, exports: Mapping[str, str]) -> None:
    """One command on the started services (``pg-stop``, ``redis-start``…), on their ports."""
    subprocess.run(  # noqa: S603 - our own script
        [str(SCRIPT), command, exports["ICBOT_SERVICES_DIR"]], check=True, timeout=120
    )


def stop(exports: Mapping[str, str]) -> None:
    """Stop both and delete their data; quiet when they are already gone."""
    subprocess.run(  # noqa: S603 - our own script
        [str(SCRIPT), "stop", exports["ICBOT_SERVICES_DIR"]], check=False, timeout=120
    )
