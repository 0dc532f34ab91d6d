"""Which endpoints file Rasa reads: the embedded one, or the scaled mode's.

Rasa reads ``endpoints.yml`` (SQLite tracker store, in-memory lock store) unless the
environment says otherwise (:func:`endpoints_file`): ``ICBOT_ENDPOINTS`` names a file,
and the variables of ``deploy/endpoints.scaled.yml`` (PostgreSQL tracker store, Redis
lock store; ``tools/scaled-services`` prints them) select that one: the scaled mode.
"""

from __future__ import annotations

from collections.abc import Mapping


class StackError(RuntimeError):
    """A process of the stack did not start or died."""


ENDPOINTS = "endpoints.yml"
SCALED_ENDPOINTS = "deploy/endpoints.scaled.yml"
# What deploy/endpoints.scaled.yml expands besides the action server's two (the stack's own).
SCALED_VARIABLES = (
    "ICBOT_POSTGRES_HOST",
    "ICBOT_POSTGRES_PORT",
    "ICBOT_TRACKER_DB",
    "POSTGRES_DB",
    "POSTGRES_USER",
    "POSTGRES_PASSWORD",
    "ICBOT_REDIS_HOST",
    "ICBOT_REDIS_PORT",
    "ICBOT_REDIS_PASSWORD",
)
# Any of these set asks for the scaled mode (the others are also set on one machine).
_SCALED_MARKERS = ("ICBOT_POSTGRES_HOST", "ICBOT_REDIS_HOST")


def endpoints_file(env: Mapping[str, str]) -> str:
    """The endpoints file Rasa reads, relative to the repository.

    ``ICBOT_ENDPOINTS`` when set; ``deploy/endpoints.scaled.yml`` when the environment
    names a PostgreSQL or Redis host (then it must set every variable that file needs:
    Rasa would not start without them); else ``endpoints.yml``.

    Raises:
        StackError: the scaled mode asked for with a variable missing.
    """
    if env.get("ICBOT_ENDPOINTS"):
        return env["ICBOT_ENDPOINTS"]
    if not scaled(env):
        return ENDPOINTS
    missing = [name for name in SCALED_VARIABLES if not env.get(name)]
    if missing:
        raise StackError(
            f"{SCALED_ENDPOINTS} needs {', '.join(missing)} too "
            '(eval "$(tools/scaled-services start)" sets them all)'
        )
    return SCALED_ENDPOINTS


def scaled(env: Mapping[str, str]) -> bool:
    """Whether ``env`` asks for the scaled mode (a PostgreSQL or Redis host)."""
    return any(env.get(name) for name in _SCALED_MARKERS)
