"""The action server in one process: ``python -m launcher.action_server --port 5055``.

``python -m rasa_sdk`` serves through Sanic's worker manager: a manager
process, a multiprocessing state manager and the one worker that serves,
239 MiB resident together after the benchmark's load, where the worker alone
needs about a third of it (``bench/results/profile.md``). With one worker,
rasa-sdk's default, the two extra processes buy nothing here: the launcher,
not Sanic, watches and restarts the stack's processes. This serves rasa-sdk's
own app (the same routes, listeners and plugins) in a single process.
"""

from __future__ import annotations

import argparse
import os

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app_for_serve
from rasa_sdk.executor import ActionExecutor


def main(argv: list[str] | None = None) -> int:
    """Register the actions package and serve it until interrupted."""
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

    utils.configure_colored_logging(args.loglevel)
    utils.update_sanic_log_level()
    executor = ActionExecutor()
    executor.register_package(args.actions)
    app = create_app_for_serve(executor)
    app.run(host=args.host, port=args.port, single_process=True, access_log=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
