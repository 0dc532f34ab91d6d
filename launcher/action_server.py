"""The action server in one process: ``python -m launcher.action_server --port 5055``.

``python -m rasa_sdk`` serves through Sanic's worker manager: a manager
process, a multiprocessing state manager and the one worker that serves,
239 MiB resident together after the benchmark's load, where the worker alone
needs about a third of it (``bench/results/profile.md``). With one worker,
rasa-sdk's default, the two extra processes buy nothing here: the launcher,
not Sanic, watches and restarts the stack's processes. This serves rasa-sdk's
own app (the same routes, listeners and plugins) in a single process.

Loopback is not a credential: any process on the machine could post a
tracker (and so any ``account_id``) to ``/webhook``. Every route but
``/health`` (which the gateway asks) needs the ``X-Icbot-Actions-Secret``
header, equal to ``ICBOT_ACTIONS_SECRET``: Rasa sends it from
``endpoints.yml`` (``action_endpoint.headers``), the launcher generates it
per stack and passes it by environment only. Without it the server does not start.
"""

from __future__ import annotations

import argparse
import hmac
import os

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app_for_serve
from rasa_sdk.executor import ActionExecutor
from sanic import DefaultSanic, Request, response
from sanic.response import HTTPResponse

SECRET_HEADER = "X-Icbot-Actions-Secret"  # noqa: S105 - a header's name, not a secret
SECRET_VARIABLE = "ICBOT_ACTIONS_SECRET"  # noqa: S105 - a variable's name, not a secret
OPEN_PATHS = frozenset({"/health"})


def require_secret(app: DefaultSanic, secret: str) -> None:
    """Refuse every request to ``app`` but ``/health`` without ``secret`` in its header."""
    expected = secret.encode()

    @app.on_request
    async def check(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        given = (request.headers.get(SECRET_HEADER) or "").encode()
        if hmac.compare_digest(given, expected):
            return None
        return response.json({"error": "forbidden"}, status=403)


def main(argv: list[str] | None = None) -> int:
    """Register the actions package and serve it until interrupted.

    Raises:
        SystemExit: ``ICBOT_ACTIONS_SECRET`` is not set.
    """
    parser = argparse.ArgumentParser(prog="python -m launcher.action_server")
    parser.add_argument("--actions", default="actions", help="the package of the actions")
    parser.add_argument("--port", type=int, default=5055)
    parser.add_argument(
        "--host",
        default=os.environ.get("SANIC_HOST", "127.0.0.1"),
        help="the address to bind (default: loopback; rasa-sdk's own default is 0.0.0.0)",
    )
    parser.add_argument("--loglevel", default="INFO")
    args = parser.parse_args(argv)
    secret = os.environ.get(SECRET_VARIABLE, "").strip()
    if not secret:
        raise SystemExit(f"{SECRET_VARIABLE} is not set: anyone could run the actions")

    utils.configure_colored_logging(args.loglevel)
    utils.update_sanic_log_level()
    executor = ActionExecutor()
    executor.register_package(args.actions)
    app = create_app_for_serve(executor)
    require_secret(app, secret)
    app.run(host=args.host, port=args.port, single_process=True, access_log=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
